// Fills the cache from several threads before the pool starts serving.
#pragma once
#include "cache.h"

void warmUp(Cache &cache, int keys);
