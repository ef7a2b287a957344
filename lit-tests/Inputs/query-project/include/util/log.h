#ifndef UTIL_LOG_H
#define UTIL_LOG_H
#include "util/config.h"
void logMessage(const char *Text);
void logValue(const char *Name, double Value);
#endif
