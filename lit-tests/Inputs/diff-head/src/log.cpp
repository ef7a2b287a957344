#include "util/log.h"

static int Level = 1;

unsigned logLevel() { return Level; }

void logMessage(const char *Text) { (void)Text; }

void logValue(const char *Name, double Value) {
  if (logLevel() > 0)
    logMessage(Name);
  (void)Value;
}
