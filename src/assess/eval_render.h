/*
 * eval_render.h – the evaluation report (eval_report_json, evaluate.h) as
 * an HTML page and as CSV, for the CLI (`evaluate --out`) and the API
 * (GET /api/v1/evaluation?format=csv). Renders only what the JSON holds, so
 * the suppression of small cells done there carries over; every text is
 * escaped (codes and labels are data).
 */
#ifndef FN_ASSESS_EVAL_RENDER_H
#define FN_ASSESS_EVAL_RENDER_H

#include <jansson.h>

#include "core/buf.h"

/* The report's sections as HTML (no <html> frame) appended to h. */
FN_MUST_CHECK fn_status eval_render_html(const json_t *report, struct fn_buf *h);

/* The report as CSV (semicolon, UTF-8 with BOM, for German Excel): one row
 * per figure, columns bereich;gruppe;kennzahl;wert. Appended to out. */
FN_MUST_CHECK fn_status eval_render_csv(const json_t *report, struct fn_buf *out);

#endif
