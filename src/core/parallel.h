/*
 * parallel.h – run a function over fixed ranges of an index space on
 * several threads.
 *
 * [0, n) is cut into `threads` contiguous ranges of equal size (the last
 * may be shorter or empty); range t runs fn(ctx, t, from, to). Range 0 runs
 * on the calling thread; a range whose thread cannot be started runs there
 * too, so the work is always done. Because the ranges depend only on n and
 * the thread count, a caller that keeps results per range and joins them in
 * range order gets the same result for any number of threads.
 */
#ifndef FN_CORE_PARALLEL_H
#define FN_CORE_PARALLEL_H

#include <stddef.h>

#include "core/status.h"

#define FN_PARALLEL_MAX 64 /* threads; more are treated as this many */

/* fn must be safe to run concurrently for different ranges. Returns the
 * status of the lowest range that failed, or FN_OK. ctx is borrowed. */
typedef fn_status (*fn_range_fn)(void *ctx, int range, size_t from, size_t to);
FN_MUST_CHECK fn_status fn_parallel_ranges(int threads, size_t n, fn_range_fn fn, void *ctx);

#endif
