int privateHelper() { return 7; }
