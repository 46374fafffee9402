/* page.h – the embedded German web UI page. */
#ifndef FN_HTTP_PAGE_H
#define FN_HTTP_PAGE_H

extern const char http_index_html[];

#endif
