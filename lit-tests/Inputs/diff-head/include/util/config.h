#ifndef UTIL_CONFIG_H
#define UTIL_CONFIG_H
#include "util/log.h"
unsigned logLevel();
#endif
