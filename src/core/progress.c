/* progress.c – throttled progress line on a terminal. */
#include "core/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

double fn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fn_progress_start(struct fn_progress *p, const char *label, unsigned long long total)
{
    const char *env = getenv("FALLNETZ_PROGRESS");
    p->label = label;
    p->total = total;
    p->started = fn_now();
    p->last = 0;
    if (env && *env)
        p->enabled = env[0] == '1';
    else
        p->enabled = isatty(STDERR_FILENO);
}

static void progress_print(struct fn_progress *p, unsigned long long done, double now, int final)
{
    double secs = now - p->started;
    if (p->total)
        fprintf(stderr, "\r%s: %llu / %llu (%.0f %%), %.1f s%s", p->label, done, p->total,
                100.0 * (double)done / (double)p->total, secs, final ? "\n" : "");
    else
        fprintf(stderr, "\r%s: %llu, %.1f s%s", p->label, done, secs, final ? "\n" : "");
    fflush(stderr);
}

void fn_progress_update(struct fn_progress *p, unsigned long long done)
{
    if (!p->enabled)
        return;
    double now = fn_now();
    if (now - p->last < 0.2)
        return;
    p->last = now;
    progress_print(p, done, now, 0);
}

void fn_progress_finish(struct fn_progress *p, unsigned long long done)
{
    if (!p->enabled)
        return;
    progress_print(p, done, fn_now(), 1);
}
