/*
 * html_timeline.c: the validity (RFC 5280 §4.1.2.5) of every certificate as one SVG bar
 * each, sorted by notAfter, on a time axis with today marked: expired certificates grey,
 * those expiring within the window (30 days unless asked otherwise) highlighted in amber
 * and also listed in a table above, since a 30-day window is thin on a 35-year axis.
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "rspg/base/time.h"
#include "rspg/report/escape.h"

enum { LABEL_W = 380, AXIS_W = 760, ROW = 13, TOP = 24 };
/* The axis stops 100 years after its start: SGP.26 eUICC certificates run to the year 7500,
 * which would squeeze everything else into a pixel; a longer bar ends in an arrow. */
#define AXIS_MAX_SPAN ((int64_t)100 * 366 * 86400)

typedef struct row_key {
    int64_t na;
    size_t index;
} row_key;

static int by_not_after(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    if (x->na != y->na)
        return x->na < y->na ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

typedef struct axis {
    int64_t from, to;
} axis;

static double xpos(const axis *a, int64_t t)
{
    return LABEL_W + (double)(t - a->from) * AXIS_W / (double)(a->to - a->from);
}

static void year_ticks(const axis *a, int height, rspg_buf *out)
{
    int y0, y1, mo, d, hh, mm, ss;
    rspg_civil_from_unix(a->from, &y0, &mo, &d, &hh, &mm, &ss);
    rspg_civil_from_unix(a->to, &y1, &mo, &d, &hh, &mm, &ss);
    int step = y1 - y0 > 40 ? 10 : y1 - y0 > 12 ? 5 : 1;
    for (int y = y0 + 1; y <= y1; y++) {
        if (y % step)
            continue;
        double x = xpos(a, rspg_days_from_civil(y, 1, 1) * 86400);
        rspg_report_printf(out,
                           "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d0d7de\"/>"
                           "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                           x, TOP - 4, x, height, x, TOP - 8, y);
    }
}

static void bar(const rspg_report_cert *c, const axis *a, int64_t now, int64_t window, int y,
                rspg_buf *out)
{
    int gone = c->na < now, soon = !gone && c->na <= now + window;
    int inv = c->expect && strcmp(c->expect, "invalid") == 0;
    const char *fill = gone ? "#afb8c1" : soon ? "#bf8700" : "#0969da";
    rspg_report_printf(out, "<a href=\"#%s\"><g><title>", c->id);
    rspg_html_puts(out, c->paths[0]);
    rspg_buf_puts(out, ": ");
    rspg_html_puts(out, c->not_before);
    rspg_buf_puts(out, " to ");
    rspg_html_puts(out, c->not_after);
    rspg_report_printf(out, "</title><text x=\"%d\" y=\"%d\"%s%s>", 4, y + 10,
                       soon ? " font-weight=\"700\"" : "", inv ? " fill=\"#cf222e\"" : "");
    rspg_html_puts(out, c->role);
    rspg_buf_puts(out, " ");
    rspg_html_puts(out, c->n_variants ? c->variants[0] : "");
    rspg_buf_puts(out, " ");
    rspg_html_puts(out, c->group_curve);
    rspg_buf_puts(out, " ");
    rspg_html_puts(out, c->case_id ? c->case_id : "");
    int cut = c->na > a->to;
    double x1 = xpos(a, c->nb), x2 = xpos(a, cut ? a->to : c->na);
    rspg_report_printf(
        out, "</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s/>", x1,
        y + 2, x2 - x1 < 1 ? 1 : x2 - x1, ROW - 4, fill, inv ? " stroke=\"#cf222e\"" : "");
    if (cut)
        rspg_report_printf(out, "<text x=\"%.1f\" y=\"%d\">&#9654; %.4s</text>", x2 + 2, y + 10,
                           c->not_after ? c->not_after : "");
    rspg_buf_puts(out, "</g></a>\n");
}

static void soon_table(const rspg_report_model *m, const row_key *order, int64_t now,
                       int64_t window, rspg_buf *out)
{
    size_t n = 0;
    for (size_t k = 0; k < m->n_certs; k++) {
        const rspg_report_cert *c = &m->certs[order[k].index];
        if (c->na < now || c->na > now + window)
            continue;
        if (n++ == 0)
            rspg_buf_puts(out, "<table><tr><th>expires within the window</th><th>notAfter</th>"
                               "</tr>\n");
        rspg_report_printf(out, "<tr class=\"soon\"><td><a href=\"#%s\">", c->id);
        rspg_html_puts(out, c->paths[0]);
        rspg_buf_puts(out, "</a></td><td>");
        rspg_html_puts(out, c->not_after);
        rspg_buf_puts(out, "</td></tr>\n");
    }
    if (n)
        rspg_buf_puts(out, "</table>\n");
    else
        rspg_buf_puts(out, "<p class=\"ok\">No certificate expires within the window.</p>\n");
}

void rspg_report_html_timeline(const rspg_report_model *m, const rspg_report_options *o,
                               rspg_buf *out)
{
    int days = o->expiring_days > 0 ? o->expiring_days : 30;
    int64_t window = (int64_t)days * 86400;
    row_key *order = rspg_xcalloc(m->n_certs ? m->n_certs : 1, sizeof(row_key));
    axis a = {o->now, o->now + 86400};
    for (size_t i = 0; i < m->n_certs; i++) {
        order[i] = (row_key){m->certs[i].na, i};
        if (m->certs[i].nb && m->certs[i].nb < a.from)
            a.from = m->certs[i].nb;
    }
    for (size_t i = 0; i < m->n_certs; i++)
        if (m->certs[i].na > a.to && m->certs[i].na - a.from <= AXIS_MAX_SPAN)
            a.to = m->certs[i].na;
    qsort(order, m->n_certs, sizeof(row_key), by_not_after);
    rspg_report_printf(out,
                       "<h2 id=\"timeline\">Validity</h2>\n<p>Every certificate from notBefore "
                       "to notAfter; the red line is today. Grey: expired; amber: expires "
                       "within %d days; a red label or outline: an invalid case.</p>\n",
                       days);
    soon_table(m, order, o->now, window, out);
    int h = TOP + (int)m->n_certs * ROW + 4;
    rspg_report_printf(out,
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                       "viewBox=\"0 0 %d %d\" role=\"img\">\n",
                       LABEL_W + AXIS_W + 60, h, LABEL_W + AXIS_W + 60, h);
    year_ticks(&a, h, out);
    for (size_t k = 0; k < m->n_certs; k++)
        bar(&m->certs[order[k].index], &a, o->now, window, TOP + (int)k * ROW, out);
    char today[16];
    rspg_report_date(o->now, today);
    double xn = xpos(&a, o->now);
    rspg_report_printf(out,
                       "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#cf222e\" "
                       "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%d\" fill=\"#cf222e\">today %s"
                       "</text>\n</svg>\n",
                       xn, TOP - 6, xn, h, xn + 3, 10, today);
    free(order);
}
