int reportMain() { return 0; }

int main() { return reportMain(); }
