/*
 * html_tree.c: one hierarchy (variant x curve) as an inline SVG tree, drawn left to right:
 * the root (CI) in the first column, what it signed in the next (SubCAs, EUM, SM-DP+/SM-DS,
 * eIM), and so on (SGP.22 §2.6.1 hierarchy). Leaves take one row each; a CA sits level with
 * its first child, so that the root of a tall tree is at its top. Each node links to the
 * certificate's details (#cN).
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "rspg/report/escape.h"

enum { NODE_W = 260, NODE_H = 50, COL_W = 300, ROW_H = 58, PAD = 10, CN_MAX = 38 };

typedef struct layout {
    const rspg_report_model *m;
    const rspg_report_group *g;
    int *parent; /* per certificate: the parent in the group, -1 root, -2 not in the group */
    int *depth;
    double *row;
    char *placed;
    int rows, max_depth;
} layout;

static int is_invalid(const layout *l, size_t c)
{
    const char *e = l->m->certs[c].expect;
    return e && strcmp(e, "invalid") == 0;
}

/* Places node C at DEPTH and its subtree; returns its row. */
static double place(layout *l, size_t c, int depth)
{
    l->placed[c] = 1;
    l->depth[c] = depth;
    if (depth > l->max_depth)
        l->max_depth = depth;
    double first = -1;
    for (int pass = 0; pass < 2; pass++) /* the valid children first, then the invalid cases */
        for (size_t k = 0; k < l->m->n_certs; k++) {
            if (l->parent[k] != (int)c || l->placed[k] || depth > 30 || is_invalid(l, k) != pass)
                continue;
            double r = place(l, k, depth + 1);
            if (first < 0)
                first = r;
        }
    l->row[c] = first < 0 ? (double)l->rows++ : first; /* level with its first child */
    return l->row[c];
}

/* S cut to at most MAX bytes at a UTF-8 character boundary, with "..." when cut. */
static void text_cut(rspg_buf *out, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        rspg_html_puts(out, s);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    rspg_html_escape(out, s, max);
    rspg_buf_puts(out, "&#8230;");
}

static void node(const layout *l, size_t c, rspg_buf *out)
{
    const rspg_report_cert *x = &l->m->certs[c];
    int inv = x->expect && strcmp(x->expect, "invalid") == 0;
    double xx = PAD + l->depth[c] * COL_W, yy = PAD + l->row[c] * ROW_H;
    char nb[16] = "?", na[16] = "?";
    if (x->not_before)
        rspg_report_date(x->nb, nb);
    if (x->not_after)
        rspg_report_date(x->na, na);
    rspg_report_printf(out, "<a href=\"#%s\"><g><title>", x->id);
    rspg_html_puts(out, x->paths[0]);
    if (inv) {
        rspg_buf_puts(out, " (invalid: ");
        rspg_html_puts(out, x->reason ? x->reason : "no reason given");
        rspg_buf_puts(out, ")");
    }
    rspg_report_printf(out,
                       "</title><rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" rx=\"4\" "
                       "fill=\"%s\" stroke=\"%s\"%s/>",
                       xx, yy, NODE_W, NODE_H, inv ? "#ffebe9" : "#f6f8fa",
                       inv ? "#cf222e" : "#57606a", inv ? " stroke-dasharray=\"4 3\"" : "");
    rspg_report_printf(out, "<text x=\"%.0f\" y=\"%.0f\"><tspan class=\"role\">", xx + 6, yy + 14);
    rspg_html_puts(out, x->role ? x->role : x->kind);
    rspg_buf_puts(out, "</tspan> ");
    text_cut(out, x->cn, CN_MAX);
    rspg_report_printf(out, "</text><text x=\"%.0f\" y=\"%.0f\">serial ", xx + 6, yy + 29);
    text_cut(out, x->serial ? x->serial : "?", 40);
    rspg_report_printf(out, "</text><text x=\"%.0f\" y=\"%.0f\">%s &#8594; %s</text></g></a>\n",
                       xx + 6, yy + 44, nb, na);
}

static void edges(const layout *l, rspg_buf *out)
{
    for (size_t c = 0; c < l->m->n_certs; c++) {
        int p = l->parent[c];
        if (p < 0 || !l->placed[c])
            continue;
        double x1 = PAD + l->depth[p] * COL_W + NODE_W, y1 = PAD + l->row[p] * ROW_H + NODE_H / 2.0;
        double x2 = PAD + l->depth[c] * COL_W, y2 = PAD + l->row[c] * ROW_H + NODE_H / 2.0;
        double mx = (x1 + x2) / 2;
        rspg_report_printf(out,
                           "<path d=\"M%.0f %.1fC%.0f %.1f %.0f %.1f %.0f %.1f\" fill=\"none\" "
                           "stroke=\"#8c959f\"/>\n",
                           x1, y1, mx, y1, mx, y2, x2, y2);
    }
}

void rspg_report_html_tree(const rspg_report_model *m, const rspg_report_group *g, rspg_buf *out)
{
    size_t n = m->n_certs ? m->n_certs : 1;
    layout l = {m,
                g,
                rspg_xcalloc(n, sizeof(int)),
                rspg_xcalloc(n, sizeof(int)),
                rspg_xcalloc(n, sizeof(double)),
                rspg_xcalloc(n, 1),
                0,
                0};
    for (size_t c = 0; c < m->n_certs; c++)
        l.parent[c] = rspg_report_in_group(&m->certs[c], g) ? rspg_report_parent_in(m, c, g) : -2;
    for (int pass = 0; pass < 2; pass++) /* valid roots first */
        for (size_t c = 0; c < m->n_certs; c++)
            if (l.parent[c] == -1 && is_invalid(&l, c) == pass)
                place(&l, c, 0);
    for (size_t c = 0; c < m->n_certs; c++) /* an issuer loop has no root: start anywhere */
        if (l.parent[c] >= 0 && !l.placed[c])
            place(&l, c, 0);
    int w = PAD * 2 + l.max_depth * COL_W + NODE_W, h = PAD * 2 + l.rows * ROW_H;
    rspg_report_printf(out,
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                       "viewBox=\"0 0 %d %d\" role=\"img\">\n",
                       w, h, w, h);
    edges(&l, out);
    for (size_t c = 0; c < m->n_certs; c++)
        if (l.placed[c])
            node(&l, c, out);
    rspg_buf_puts(out, "</svg>\n");
    free(l.parent);
    free(l.depth);
    free(l.row);
    free(l.placed);
}
