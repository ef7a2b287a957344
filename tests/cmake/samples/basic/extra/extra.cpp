int extraAnswer() { return 42; }
