#include "calc/calc.h"

namespace calc {
int parseExpr(const char *&P);

int parseNumber(const char *&P) { return *P++ - '0'; }

int parseFactor(const char *&P) {
  if (*P == '(') {
    ++P;
    int V = parseExpr(P);
    ++P;
    return V;
  }
  return parseNumber(P);
}

int parseTerm(const char *&P) {
  int V = parseFactor(P);
  while (*P == '*') {
    ++P;
    V *= parseFactor(P);
  }
  return V;
}

int parseExpr(const char *&P) {
  int V = parseTerm(P);
  while (*P == '+') {
    ++P;
    V += parseTerm(P);
  }
  return V;
}

int evaluate(const char *Text) {
  const char *P = Text;
  return parseExpr(P);
}

const char *format(double Value) { return Value != 0 ? "x" : "0"; }
} // namespace calc
