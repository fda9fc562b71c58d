/*
 * json_render.c: a model (a JSON object) appended to a buffer as JSON or as text
 * (json_render.h).
 */
#include "rspg/base/json_render.h"

#include <stdlib.h>

void rspg_json_render(json_t *m, int json, rspg_json_text_fn text, rspg_buf *out)
{
    if (json) {
        char *t = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (t)
            rspg_buf_puts(out, t);
        free(t);
    } else {
        text(m, out);
    }
    json_decref(m);
    rspg_buf_reserve(out, 1);
    out->data[out->len] = '\0';
}
