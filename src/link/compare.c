/* compare.c – see compare.h. */
