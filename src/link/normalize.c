/* normalize.c – see normalize.h. */
