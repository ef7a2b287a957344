// Excluded from the index by the EXCLUDE glob of the sample.
double legacyArea() { return 0; }
