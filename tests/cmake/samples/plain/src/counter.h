#ifndef PLAIN_COUNTER_H
#define PLAIN_COUNTER_H

#ifdef __cplusplus
extern "C" {
#endif

struct counter {
  int value;
};

void counter_add(struct counter *c, int n);

#ifdef __cplusplus
}
#endif

#endif
