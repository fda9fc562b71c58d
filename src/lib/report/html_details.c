/*
 * html_details.c: one section per certificate (anchor #cN, the target of every link of the
 * page): its files, what `show` prints of it (check/show.h: RFC 5280 §4.1 fields and the
 * SGP.22 §4.5.2 extensions), the manifest's expectation and the verifier's verdict, and the
 * lint findings against its role's SGP.26 profile (check/lint.h, codes in docs/lint.md).
 */
#include <string.h>

#include "report_internal.h"
#include "rspg/report/escape.h"

static void files(const rspg_report_model *m, const rspg_report_cert *c, rspg_buf *out)
{
    rspg_buf_puts(out, "<tr><th>files</th><td>");
    for (size_t k = 0; k < c->n_paths; k++) {
        rspg_buf_puts(out, k ? "<br><code>" : "<code>");
        rspg_html_puts(out, c->paths[k]);
        rspg_buf_puts(out, "</code>");
    }
    rspg_buf_puts(out, "</td></tr>\n");
    if (c->key) {
        rspg_buf_puts(out, "<tr><th>private key</th><td><code>");
        rspg_html_puts(out, c->key);
        rspg_buf_puts(out, "</code></td></tr>\n");
    }
    rspg_buf_puts(out, "<tr><th>issuer</th><td>");
    if (c->issuer >= 0) {
        rspg_report_printf(out, "<a href=\"#%s\">", m->certs[c->issuer].id);
        rspg_html_puts(out, c->issuer_path);
        rspg_buf_puts(out, "</a>");
    } else {
        rspg_buf_puts(out, "itself (a root)");
    }
    rspg_buf_puts(out, "</td></tr>\n<tr><th>entity</th><td>");
    rspg_html_puts(out, c->entity);
    rspg_buf_puts(out, " (");
    rspg_html_puts(out, c->name);
    rspg_buf_puts(out, ")</td></tr>\n");
}

static void lint_list(const rspg_report_cert *c, rspg_buf *out)
{
    if (!c->linted)
        return;
    rspg_report_printf(out, "<p>lint: %zu errors, %zu warnings, %zu notices</p>\n", c->lint.errors,
                       c->lint.warnings, c->lint.notices);
    if (c->lint.n == 0)
        return;
    rspg_buf_puts(out, "<table><tr><th>severity</th><th>code</th><th>finding</th></tr>\n");
    for (size_t k = 0; k < c->lint.n; k++) {
        const rspg_lint_finding *f = &c->lint.items[k];
        rspg_report_printf(out, "<tr><td class=\"%s\">%s</td><td><code>",
                           f->severity == RSPG_LINT_ERROR ? "bad" : "",
                           rspg_lint_severity_name(f->severity));
        rspg_html_puts(out, f->code);
        rspg_buf_puts(out, "</code></td><td>");
        rspg_html_puts(out, f->message);
        rspg_buf_puts(out, "</td></tr>\n");
    }
    rspg_buf_puts(out, "</table>\n");
}

static void section(const rspg_report_model *m, const rspg_report_cert *c, rspg_buf *out)
{
    int inv = c->expect && strcmp(c->expect, "invalid") == 0;
    rspg_report_printf(out, "<section class=\"cert\" id=\"%s\">\n<h3%s>", c->id,
                       inv ? " class=\"inv\"" : "");
    rspg_html_puts(out, c->role);
    rspg_buf_puts(out, " ");
    rspg_html_puts(out, c->cn);
    if (inv)
        rspg_buf_puts(out, " (invalid case)");
    rspg_buf_puts(out, "</h3>\n<table>\n");
    files(m, c, out);
    rspg_buf_puts(out, "<tr><th>expected</th><td>");
    rspg_html_puts(out, c->expect ? c->expect : "valid");
    if (c->reason) {
        rspg_buf_puts(out, ": ");
        rspg_html_puts(out, c->reason);
    }
    rspg_buf_puts(out, "</td></tr>\n<tr><th>verifier</th>");
    rspg_report_verdict_cell(out, c->has_verdict, c->agrees, &c->verdict);
    rspg_buf_puts(out, "</tr>\n</table>\n");
    if (c->show) {
        rspg_buf_puts(out, "<pre>");
        rspg_html_puts(out, c->show);
        rspg_buf_puts(out, "</pre>\n");
    }
    if (c->show_error) {
        rspg_buf_puts(out, "<p class=\"bad\">");
        rspg_html_puts(out, c->show_error);
        rspg_buf_puts(out, "</p>\n");
    }
    lint_list(c, out);
    rspg_buf_puts(out, "</section>\n");
}

void rspg_report_html_details(const rspg_report_model *m, rspg_buf *out)
{
    rspg_buf_puts(out, "<h2 id=\"details\">Certificates</h2>\n");
    for (size_t i = 0; i < m->n_certs; i++)
        section(m, &m->certs[i], out);
}
