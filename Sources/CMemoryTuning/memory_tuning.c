#include "memory_tuning.h"
#if defined(__GLIBC__)
#include <limits.h>
#include <malloc.h>
#endif

void tributary_keep_freed_memory(void) {
#if defined(__GLIBC__)
  // Keep blocks up to 32 MiB (glibc's limit for this threshold) on the heap, and never trim the heap.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}
