/*
 * html_cases.c: the invalid cases, each beside its valid twin (the profile's `twin:`, the
 * manifest's "twin"): the fields that differ (diff.c), the verdict and SGP.22 reason a
 * validator must reach (manifest "expect"/"reason", docs/invalid-cases.md) and the verdict
 * rsp-pkigen's verifier reaches, green when they agree and red when not; and the CRLs
 * (RFC 5280 §5) with the same two verdicts.
 */
#include <string.h>

#include "report_internal.h"
#include "rspg/report/escape.h"

static void cert_link(rspg_buf *out, const rspg_report_cert *c)
{
    rspg_report_printf(out, "<a href=\"#%s\">", c->id);
    rspg_html_puts(out, c->role);
    rspg_buf_puts(out, " ");
    rspg_html_puts(out, c->cn);
    rspg_buf_puts(out, "</a><br><small>");
    const char *base = strrchr(c->paths[0], '/');
    rspg_html_puts(out, base ? base + 1 : c->paths[0]);
    rspg_buf_puts(out, "</small>");
}

static void expected_cell(rspg_buf *out, const char *expect, const char *reason)
{
    rspg_buf_puts(out, "<td>");
    rspg_html_puts(out, expect ? expect : "valid");
    if (reason) {
        rspg_buf_puts(out, ": ");
        rspg_html_puts(out, reason);
    }
    rspg_buf_puts(out, "</td>");
}

static void case_row(const rspg_report_model *m, const rspg_report_cert *c, rspg_buf *out)
{
    rspg_buf_puts(out, "<tr><td>");
    rspg_html_puts(out, c->case_id ? c->case_id : "(no case id)");
    rspg_buf_puts(out, "<br><small>Variant ");
    rspg_html_puts(out, c->n_variants ? c->variants[0] : "-");
    rspg_buf_puts(out, " &middot; ");
    rspg_html_puts(out, c->curve);
    if (c->beyond_sgp26)
        rspg_buf_puts(out, " &middot; beyond SGP.26");
    rspg_buf_puts(out, "</small></td><td>");
    if (c->twin >= 0)
        cert_link(out, &m->certs[c->twin]);
    else
        rspg_buf_puts(out, "<i>no valid twin</i>");
    rspg_buf_puts(out, "</td><td>");
    cert_link(out, c);
    rspg_buf_puts(out, "</td><td>");
    if (c->twin >= 0) {
        rspg_buf diff;
        rspg_buf_init(&diff);
        size_t n = rspg_report_diff(&m->certs[c->twin], c, &diff);
        if (n) {
            rspg_buf_puts(out, "<table class=\"diff\">");
            rspg_buf_append(out, diff.data, diff.len);
            rspg_buf_puts(out, "</table>");
        } else {
            rspg_buf_puts(out, "<i>every field equal: the difference is outside the certificate "
                               "(its issuer, a CRL or the trust anchors)</i>");
        }
        rspg_buf_free(&diff);
    }
    if (c->note) {
        rspg_buf_puts(out, "<small>");
        rspg_html_puts(out, c->note);
        rspg_buf_puts(out, "</small>");
    }
    rspg_buf_puts(out, "</td>");
    expected_cell(out, c->expect, c->reason);
    rspg_report_verdict_cell(out, c->has_verdict, c->agrees, &c->verdict);
    rspg_buf_puts(out, "</tr>\n");
}

void rspg_report_html_cases(const rspg_report_model *m, rspg_buf *out)
{
    rspg_buf_puts(out, "<h2 id=\"cases\">Invalid cases</h2>\n<p>Each invalid certificate beside "
                       "its valid twin: the fields that differ (twin / invalid), the verdict a "
                       "validator must reach (SGP.22 reason) and the verdict rsp-pkigen's "
                       "verifier reaches (green: as expected; red: not).</p>\n"
                       "<table>\n<tr><th>case</th><th>valid twin</th><th>invalid case</th>"
                       "<th>difference</th><th>expected</th><th>verifier</th></tr>\n");
    size_t n = 0;
    for (size_t i = 0; i < m->n_certs; i++)
        if (m->certs[i].expect && strcmp(m->certs[i].expect, "invalid") == 0) {
            case_row(m, &m->certs[i], out);
            n++;
        }
    rspg_buf_puts(out, "</table>\n");
    if (n == 0)
        rspg_buf_puts(out, "<p>This build has no invalid certificate.</p>\n");
}

void rspg_report_html_crls(const rspg_report_model *m, const rspg_report_options *o, rspg_buf *out)
{
    int64_t window = (int64_t)(o->expiring_days > 0 ? o->expiring_days : 30) * 86400;
    rspg_buf_puts(out, "<h2 id=\"crls\">CRLs</h2>\n<table>\n<tr><th>CRL</th><th>issuer</th>"
                       "<th>thisUpdate</th><th>nextUpdate</th><th>expected</th><th>verifier</th>"
                       "</tr>\n");
    for (size_t i = 0; i < m->n_crls; i++) {
        const rspg_report_crl *r = &m->crls[i];
        const char *cls = r->nu && r->nu < o->now             ? "gone"
                          : r->nu && r->nu <= o->now + window ? "soon"
                                                              : "";
        rspg_buf_puts(out, "<tr><td>");
        rspg_html_puts(out, r->path);
        if (r->case_id) {
            rspg_buf_puts(out, "<br><small>");
            rspg_html_puts(out, r->case_id);
            rspg_buf_puts(out, "</small>");
        }
        rspg_buf_puts(out, "</td><td>");
        rspg_html_puts(out, r->issuer_path);
        rspg_buf_puts(out, "</td><td>");
        rspg_html_puts(out, r->this_update);
        rspg_report_printf(out, "</td><td class=\"%s\">", cls);
        rspg_html_puts(out, r->next_update);
        rspg_buf_puts(out, "</td>");
        expected_cell(out, r->expect, r->reason);
        rspg_report_verdict_cell(out, r->has_verdict, r->agrees, &r->verdict);
        rspg_buf_puts(out, "</tr>\n");
    }
    rspg_buf_puts(out, "</table>\n");
}
