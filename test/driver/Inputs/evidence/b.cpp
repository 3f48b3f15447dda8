#include "counter.h"
int use(Counter &c) {
  c.add();
  return c.peek();
}
