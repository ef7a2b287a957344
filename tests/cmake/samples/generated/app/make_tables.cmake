file(WRITE "${OUT}" [[
#ifndef GENERATED_TABLES_H
#define GENERATED_TABLES_H
inline int squareOf(int N) { return N * N; }
#endif
]])
