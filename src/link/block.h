/*
 * block.h – blocking for record linkage: a union of several cheap keys.
 *
 * Each record of the indexed side (e.g. the AZR) has up to BLOCK_MAX_KEYS
 * key hashes (AZR number; family skeleton + birth year; sorted names + birth
 * date; ...; 0 = no key). For a record of the other side the candidates are
 * every indexed record that shares at least one key of the same kind; each
 * candidate appears once. Blocks larger than max_block (keys too common to
 * discriminate, e.g. "mhmd" + an unknown year) are skipped and counted, so
 * one common name cannot make the run quadratic. Memory: one sorted
 * (hash, index) array per key kind.
 */
#ifndef FN_LINK_BLOCK_H
#define FN_LINK_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define BLOCK_MAX_KEYS 16

struct block_index;

/* Builds the index over nrec records with nkeys keys each (keys[r * nkeys +
 * k]). *out is freed with block_index_free. */
FN_MUST_CHECK fn_status block_index_build(const uint64_t *keys, size_t nrec, int nkeys,
                                          size_t max_block, struct block_index **out);
/* The same with the key kinds' tables built on up to `threads` threads
 * (the index is the same for any number). */
FN_MUST_CHECK fn_status block_index_build_threads(const uint64_t *keys, size_t nrec, int nkeys,
                                                  size_t max_block, int threads,
                                                  struct block_index **out);
void block_index_free(struct block_index *ix);

/* Candidates for one record with keys[nkeys]: indices into the indexed side,
 * sorted ascending and unique, at most max_out (FN_TOO_LARGE beyond, with
 * the first max_out kept). *skipped counts oversized blocks met. */
FN_MUST_CHECK fn_status block_candidates(const struct block_index *ix, const uint64_t *keys,
                                         uint32_t *out, size_t max_out, size_t *n, size_t *skipped);

/* The same set of candidates without sorting them: each once, in the
 * order the keys find them. seen: a zeroed bitmap of one bit per indexed
 * record, which the call uses and leaves zeroed (one per thread). Faster
 * where the order does not matter. */
FN_MUST_CHECK fn_status block_candidates_unsorted(const struct block_index *ix,
                                                  const uint64_t *keys, uint32_t *out,
                                                  size_t max_out, size_t *n, size_t *skipped,
                                                  uint64_t *seen);

/* Size of the block of key h of kind k (0 when absent). */
size_t block_size_of(const struct block_index *ix, int k, uint64_t h);
/* Start loading what block_candidates(ix, keys) reads, in three steps of a
 * pipeline over records: the hash slots, then (with the slots in cache)
 * the groups, then (with the groups in cache) the start of each group's
 * record list. No effect on results. */
void block_prefetch_slots(const struct block_index *ix, const uint64_t *keys);
void block_prefetch_groups(const struct block_index *ix, const uint64_t *keys);
void block_prefetch_lists(const struct block_index *ix, const uint64_t *keys);
/* Changes the cap above which blocks are skipped (>= 1). */
void block_index_set_max_block(struct block_index *ix, size_t max_block);

/* Statistics of key kind k: number of distinct keys, records with a key,
 * the largest block and the mean block size a record with this key meets
 * (sum of squared block sizes over records); for tuning and summaries. */
struct block_stats {
    size_t groups, records, largest;
    double mean_met;
};
void block_index_stats(const struct block_index *ix, int k, struct block_stats *out);

/* FNV-1a of a key string with a kind tag; never 0 (0 means "no key"). An
 * empty string gives 0. */
uint64_t block_hash(int kind, const char *s);

#endif
