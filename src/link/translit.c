/* translit.c – see translit.h. */
