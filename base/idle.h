/* idle.h: memory a process no longer needs given back to the kernel when it goes idle. */
#ifndef SETT_BASE_IDLE_H
#define SETT_BASE_IDLE_H

#include <stddef.h>

/* Frees the heap's unused pages (malloc_trim) and the stack's pages more than `keep` bytes below
 * the caller's frame. Call it from the frame the process waits in (or above it): what the wait
 * itself needs below that point must fit in `keep` (the red zone included). A page given back
 * that is needed again comes back zeroed, at the cost of a page fault. */
void idle_give_back(size_t keep);

#endif
