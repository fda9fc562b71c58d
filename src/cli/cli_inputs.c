/*
 * cli_inputs.c: reading certificate arguments (cli_inputs.h): '-' is standard input, a PEM
 * bundle is split into its certificates (asn1/pem_bundle.h).
 */
#include "cli_inputs.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rspg/asn1/pem_bundle.h"

#define MAX_INPUT (16u << 20) /* as show and lint read files */

static cli_object *add(cli_objects *out, char *name)
{
    out->v = rspg_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
    cli_object *o = &out->v[out->n++];
    o->name = name;
    rspg_buf_init(&o->data);
    return o;
}

int cli_read_objects(const char *path, cli_objects *out)
{
    rspg_buf raw;
    rspg_buf_init(&raw);
    if (cli_read_input(path, MAX_INPUT, "certificate", &raw) != 0) {
        rspg_buf_free(&raw);
        return -1;
    }
    rspg_der_list l = {0};
    const char *name = cli_input_name(path);
    if (rspg_pem_split(raw.data, raw.len, "CERTIFICATE", &l) > 1) {
        for (size_t i = 0; i < l.n; i++) {
            cli_object *o = add(out, rspg_xasprintf("%s#%zu", name, i + 1));
            o->data = l.items[i];
            rspg_buf_init(&l.items[i]);
        }
        rspg_buf_free(&raw);
    } else {
        add(out, rspg_xstrdup(name))->data = raw;
    }
    rspg_der_list_free(&l);
    return 0;
}

void cli_objects_free(cli_objects *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].name);
        rspg_buf_free(&o->v[i].data);
    }
    free(o->v);
    o->v = NULL;
    o->n = 0;
}
