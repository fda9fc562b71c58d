/*
 * json_render.h: the last step of a command that gathers its facts into a JSON object
 * first and renders its text from it (show.c, sgp02/cvc_show.c), so that the --json
 * output and the text always say the same.
 */
#ifndef RSPG_JSON_RENDER_H
#define RSPG_JSON_RENDER_H

#include <jansson.h>

#include "rspg/base/buf.h"

/* Appends a text rendering of model M to OUT. */
typedef void (*rspg_json_text_fn)(json_t *m, rspg_buf *out);

/* Appends model M to OUT: as JSON (two-space indent, keys in the model's order) when JSON
 * is non-zero, else as TEXT renders it. OUT stays NUL-terminated (the NUL not counted in
 * OUT->len). Releases M. */
void rspg_json_render(json_t *m, int json, rspg_json_text_fn text, rspg_buf *out);

#endif
