int extraHelper() { return 42; }
