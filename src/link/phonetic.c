/*
 * phonetic.c – Kölner Phonetik (Postel 1969), written from the published
 * rule table: letters map to digits by their neighbours, repeated digits
 * collapse, zeros after the first position are dropped.
 */
#include "link/phonetic.h"

#include <string.h>

static int is_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

/* Digit(s) for s[i] given its neighbours; "" for h (and non-letters). */
static const char *koeln_code(const char *s, size_t i, size_t n)
{
    char c = s[i];
    char prev = i > 0 ? s[i - 1] : '\0';
    char next = i + 1 < n ? s[i + 1] : '\0';
    int first = i == 0 || !is_letter(prev);
    switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'j':
    case 'o':
    case 'u':
    case 'y':
        return "0";
    case 'h':
        return "";
    case 'b':
        return "1";
    case 'p':
        return next == 'h' ? "3" : "1";
    case 'd':
    case 't':
        return (next == 'c' || next == 's' || next == 'z') ? "8" : "2";
    case 'f':
    case 'v':
    case 'w':
        return "3";
    case 'g':
    case 'k':
    case 'q':
        return "4";
    case 'c':
        if (first)
            return strchr("ahkloqrux", next) && next ? "4" : "8";
        if (prev == 's' || prev == 'z')
            return "8";
        return strchr("ahkoqux", next) && next ? "4" : "8";
    case 'x':
        return (prev == 'c' || prev == 'k' || prev == 'q') ? "8" : "48";
    case 'l':
        return "5";
    case 'm':
    case 'n':
        return "6";
    case 'r':
        return "7";
    case 's':
    case 'z':
        return "8";
    default:
        return "";
    }
}

void link_koelner_phonetik(const char *s, char *out, size_t size)
{
    if (!size)
        return;
    size_t n = strlen(s), w = 0;
    char last = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!is_letter(s[i])) {
            last = '\0'; /* words are coded on their own */
            continue;
        }
        for (const char *d = koeln_code(s, i, n); *d; d++) {
            if (*d == last)
                continue;
            last = *d;
            /* '0' only at the start of the code */
            if (*d == '0' && w > 0)
                continue;
            if (w + 1 < size)
                out[w++] = *d;
        }
    }
    out[w] = '\0';
}
