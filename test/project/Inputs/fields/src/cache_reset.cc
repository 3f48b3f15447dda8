#include "db.h"

void Cache::Reset() {
  generation_ = 0;
}
