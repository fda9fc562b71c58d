/*
 * graph.c: the build's hierarchy in Graphviz DOT (graph.h): one cluster per variant and
 * curve (model.h), issuer -> subject edges (SGP.22 §2.6.1), invalid cases dashed red with
 * the SGP.22 reason a validator must reach. DOT strings escape " and \ (the DOT language's
 * quoted string), and a newline becomes \n, so any subject name gives a valid graph.
 */
#include "rspg/report/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_internal.h"
#include "rspg/crypto/curve.h"

/* Appends S as the inside of a DOT quoted string. */
static void dot_escape(rspg_buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            rspg_buf_push(out, '\\');
        if (*s == '\n' || *s == '\r') {
            rspg_buf_puts(out, "\\n");
            continue;
        }
        if ((unsigned char)*s < 0x20 || *s == 0x7F) { /* no control characters in a label */
            rspg_buf_push(out, ' ');
            continue;
        }
        rspg_buf_push(out, (uint8_t)*s);
    }
}

static void dot_node(const rspg_report_cert *c, const char *gid, rspg_buf *out)
{
    int inv = c->expect && strcmp(c->expect, "invalid") == 0;
    rspg_report_printf(out, "    %s_%s [label=\"", gid, c->id);
    dot_escape(out, c->role);
    rspg_buf_puts(out, "\\n");
    dot_escape(out, c->cn);
    rspg_buf_puts(out, "\\nserial ");
    dot_escape(out, c->serial ? c->serial : "?");
    rspg_buf_puts(out, "\\n");
    dot_escape(out, c->not_before);
    rspg_buf_puts(out, " .. ");
    dot_escape(out, c->not_after);
    if (inv) {
        rspg_buf_puts(out, "\\ninvalid: ");
        dot_escape(out, c->reason ? c->reason : "?");
    }
    rspg_buf_puts(out, "\", tooltip=\"");
    dot_escape(out, c->paths[0]);
    rspg_buf_puts(out,
                  inv ? "\", style=\"dashed,filled\", color=\"#cf222e\", fillcolor=\"#ffebe9\"];\n"
                      : "\"];\n");
}

static void cluster(const rspg_report_model *m, size_t gi, rspg_buf *out)
{
    const rspg_report_group *g = &m->groups[gi];
    char gid[24];
    snprintf(gid, sizeof(gid), "g%zu", gi);
    rspg_report_printf(out, "  subgraph cluster_%s {\n    label=\"Variant ", gid);
    dot_escape(out, g->variant);
    rspg_buf_puts(out, " / ");
    dot_escape(out, g->curve);
    rspg_buf_puts(out, "\";\n");
    for (size_t c = 0; c < m->n_certs; c++)
        if (rspg_report_in_group(&m->certs[c], g))
            dot_node(&m->certs[c], gid, out);
    for (size_t c = 0; c < m->n_certs; c++) {
        if (!rspg_report_in_group(&m->certs[c], g))
            continue;
        int p = rspg_report_parent_in(m, c, g);
        if (p >= 0)
            rspg_report_printf(out, "    %s_%s -> %s_%s;\n", gid, m->certs[p].id, gid,
                               m->certs[c].id);
    }
    rspg_buf_puts(out, "  }\n");
}

/* Does group curve GC match the user's CURVE (a name or an alias of curve.h)? */
static int curve_matches(const char *gc, const char *curve)
{
    if (strcasecmp(gc, curve) == 0)
        return 1;
    const rspg_curve *a = rspg_curve_find(curve), *b = rspg_curve_find(gc);
    return a && a == b;
}

static rspg_status check_filters(const rspg_report_model *m, const char *variant, const char *curve,
                                 rspg_diag *d)
{
    int v_ok = variant == NULL, c_ok = curve == NULL;
    for (size_t g = 0; g < m->n_groups; g++) {
        v_ok |= variant && strcmp(m->groups[g].variant, variant) == 0;
        c_ok |= curve && curve_matches(m->groups[g].curve, curve);
    }
    if (v_ok && c_ok)
        return RSPG_OK;
    char *valid = v_ok ? rspg_report_curves_text(m) : rspg_report_variants_text(m);
    rspg_status rc = rspg_fail(d, RSPG_E_USAGE, "%s: no %s '%s' in this build (valid: %s)", m->dir,
                               v_ok ? "curve" : "variant", v_ok ? curve : variant, valid);
    free(valid);
    return rc;
}

rspg_status rspg_report_dot(const char *dir, const char *variant, const char *curve, rspg_buf *out,
                            rspg_diag *d)
{
    rspg_report_model m;
    rspg_status rc = rspg_report_model_load(dir, 0, 0, 0, &m, d);
    if (rc == RSPG_OK)
        rc = check_filters(&m, variant, curve, d);
    if (rc != RSPG_OK) {
        rspg_report_model_free(&m);
        return rc;
    }
    rspg_buf_puts(out, "digraph \"");
    dot_escape(out, m.profile_name ? m.profile_name : "rsp-pkigen");
    rspg_buf_puts(out, "\" {\n  rankdir=LR;\n  node [shape=box, style=filled, "
                       "fillcolor=\"#f6f8fa\", fontname=\"Helvetica\", fontsize=10];\n");
    for (size_t g = 0; g < m.n_groups; g++) {
        if (variant && strcmp(m.groups[g].variant, variant) != 0)
            continue;
        if (curve && !curve_matches(m.groups[g].curve, curve))
            continue;
        cluster(&m, g, out);
    }
    rspg_buf_puts(out, "}\n");
    rspg_report_model_free(&m);
    return RSPG_OK;
}
