/*
 * progress.h – progress line for long runs, on a terminal only.
 *
 * Writes "\r<label>: 412.000 / 1.000.000 (41 %), 3,2 s" to stderr at most
 * every 200 ms when stderr is a terminal (or when forced for tests), and
 * nothing otherwise, so logs and pipes stay clean.
 */
#ifndef FN_CORE_PROGRESS_H
#define FN_CORE_PROGRESS_H

struct fn_progress {
    const char *label;        /* borrowed */
    unsigned long long total; /* 0 when unknown */
    double started;           /* monotonic seconds */
    double last;              /* last print */
    int enabled;
};

/* total may be 0 (unknown). enabled follows isatty(stderr) unless the
 * environment sets FALLNETZ_PROGRESS=1 (force) or 0 (never). */
void fn_progress_start(struct fn_progress *p, const char *label, unsigned long long total);
void fn_progress_update(struct fn_progress *p, unsigned long long done);
/* Prints the final line with a newline (when enabled). */
void fn_progress_finish(struct fn_progress *p, unsigned long long done);

/* Monotonic clock in seconds. */
double fn_now(void);

#endif
