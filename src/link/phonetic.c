/* phonetic.c – see phonetic.h. */
