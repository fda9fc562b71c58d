/*
 * html.c: the report page (html.h): head with the inline style sheet, provenance, summary,
 * and the sections drawn by html_tree.c, html_cases.c, html_timeline.c and html_details.c.
 * No script and no external resource: the file opens the same anywhere, offline.
 */
#include "rspg/report/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "rspg/base/time.h"
#include "rspg/report/escape.h"

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 4em;color:#1f2328}"
    "h1{font-size:1.6em}h2{border-bottom:1px solid #d0d7de;margin-top:2em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:#f6f8fa}pre{background:#f6f8fa;padding:6px;overflow-x:auto}"
    ".ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}"
    ".okc{background:#dafbe1}.badc{background:#ffebe9}"
    ".was{background:#eef6ee}.now{background:#fff0ee}.diff th{background:none;font-weight:400}"
    ".soon{background:#fff8c5}.gone{color:#6e7781}"
    "svg{display:block;margin:.5em 0}svg text{font:11px system-ui,sans-serif}"
    "svg .role{font-weight:700}nav a{margin-right:1em}"
    "section.cert{border-top:1px solid #d0d7de;margin-top:1em}"
    ".inv{color:#cf222e}";

void rspg_report_printf(rspg_buf *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        rspg_buf_append(out, tmp, (size_t)n);
        return;
    }
    char *big = rspg_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rspg_buf_append(out, big, (size_t)n);
    free(big);
}

void rspg_report_date(int64_t t, char out[16])
{
    int y, mo, d, hh, mm, ss;
    rspg_civil_from_unix(t, &y, &mo, &d, &hh, &mm, &ss);
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, mo, d);
}

void rspg_report_verdict_cell(rspg_buf *out, int has_verdict, int agrees, const rspg_verdict *v)
{
    if (!has_verdict) {
        rspg_buf_puts(out, "<td>not verified</td>");
        return;
    }
    rspg_report_printf(out, "<td class=\"%s\"><span class=\"%s\">%s</span>",
                       agrees ? "okc" : "badc", agrees ? "ok" : "bad",
                       v->valid ? "valid" : "invalid");
    if (!v->valid) {
        rspg_buf_puts(out, ": ");
        rspg_html_puts(out, v->reason);
        rspg_buf_puts(out, " (");
        rspg_html_puts(out, v->check);
        rspg_buf_puts(out, ")<br><small>");
        rspg_html_puts(out, v->message);
        rspg_buf_puts(out, "</small>");
    }
    rspg_buf_puts(out, agrees ? " &#10003;</td>" : " &#10007; not as the manifest says</td>");
}

static void provenance(const rspg_report_model *m, const rspg_report_options *o, rspg_buf *out)
{
    char t[32];
    rspg_buf_puts(out, "<h2 id=\"provenance\">Provenance</h2>\n<table>\n");
    for (size_t i = 0; i < m->n_prov; i++) {
        rspg_buf_puts(out, "<tr><th>");
        rspg_html_puts(out, m->prov_keys[i]);
        rspg_buf_puts(out, "</th><td><code>");
        rspg_html_puts(out, m->prov_values[i]);
        rspg_buf_puts(out, "</code></td></tr>\n");
    }
    rspg_buf_puts(out, "<tr><th>folder</th><td><code>");
    rspg_html_puts(out, m->dir);
    rspg_format_rfc3339(o->now, t, sizeof(t));
    rspg_report_printf(out, "</code></td></tr>\n<tr><th>today</th><td>%s</td></tr>\n", t);
    rspg_format_rfc3339(m->verify_time, t, sizeof(t));
    rspg_report_printf(out,
                       "<tr><th>verdicts judged at</th><td>%s (%s)</td></tr>\n"
                       "<tr><th>report by</th><td>rsp-pkigen %s</td></tr>\n</table>\n",
                       t, o->has_at ? "--at" : "the manifest's clock", RSPG_VERSION);
}

static void summarize(const rspg_report_model *m, const rspg_report_options *o,
                      rspg_report_summary *s)
{
    int64_t window = (int64_t)(o->expiring_days > 0 ? o->expiring_days : 30) * 86400;
    memset(s, 0, sizeof(*s));
    s->certificates = m->n_certs;
    s->crls = m->n_crls;
    for (size_t i = 0; i < m->n_certs; i++) {
        const rspg_report_cert *c = &m->certs[i];
        s->invalid_cases += c->expect && strcmp(c->expect, "invalid") == 0;
        s->verified += (size_t)c->has_verdict;
        s->agreed += (size_t)(c->has_verdict && c->agrees);
        s->expired += c->na && c->na < o->now;
        s->expiring += c->na >= o->now && c->na <= o->now + window;
    }
    for (size_t i = 0; i < m->n_crls; i++) {
        const rspg_report_crl *r = &m->crls[i];
        s->invalid_cases += r->expect && strcmp(r->expect, "invalid") == 0;
        s->verified += (size_t)r->has_verdict;
        s->agreed += (size_t)(r->has_verdict && r->agrees);
    }
    s->disagreed = s->verified - s->agreed;
}

static void summary_html(const rspg_report_summary *s, const rspg_report_options *o, rspg_buf *out)
{
    rspg_report_printf(
        out,
        "<p>%zu certificates, %zu CRLs, %zu invalid cases. The verifier agrees with the "
        "manifest on <span class=\"%s\">%zu of %zu</span>. At today's date %zu certificates "
        "have expired and <span class=\"%s\">%zu expire within %d days</span>.</p>\n",
        s->certificates, s->crls, s->invalid_cases, s->disagreed ? "bad" : "ok", s->agreed,
        s->verified, s->expired, s->expiring ? "bad" : "ok", s->expiring,
        o->expiring_days > 0 ? o->expiring_days : 30);
}

static void hierarchy(const rspg_report_model *m, rspg_buf *out)
{
    rspg_buf_puts(out, "<h2 id=\"hierarchy\">Hierarchy</h2>\n<nav>");
    for (size_t g = 0; g < m->n_groups; g++) {
        rspg_report_printf(out, "<a href=\"#g%zu\">Variant ", g);
        rspg_html_puts(out, m->groups[g].variant);
        rspg_buf_puts(out, " &middot; ");
        rspg_html_puts(out, m->groups[g].curve);
        rspg_buf_puts(out, "</a>");
    }
    rspg_buf_puts(out, "</nav>\n<p>Each box: role, subject CN, serial, validity; a dashed red "
                       "box is an invalid case. Click a box for its details.</p>\n");
    for (size_t g = 0; g < m->n_groups; g++) {
        rspg_report_printf(out, "<h3 id=\"g%zu\">Variant ", g);
        rspg_html_puts(out, m->groups[g].variant);
        rspg_buf_puts(out, " &middot; ");
        rspg_html_puts(out, m->groups[g].curve);
        rspg_buf_puts(out, "</h3>\n");
        rspg_report_html_tree(m, &m->groups[g], out);
    }
}

rspg_status rspg_report_html(const char *dir, const rspg_report_options *o, rspg_buf *out,
                             rspg_report_summary *sum, rspg_diag *d)
{
    rspg_report_model m;
    rspg_status rc = rspg_report_model_load(dir, RSPG_REPORT_DETAILS, o->has_at, o->at, &m, d);
    if (rc != RSPG_OK) {
        rspg_report_model_free(&m);
        return rc;
    }
    rspg_report_summary s;
    summarize(&m, o, &s);
    rspg_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<title>rsp-pkigen report: ");
    rspg_html_puts(out, m.profile_name ? m.profile_name : dir);
    rspg_report_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    rspg_html_puts(out, m.profile_name ? m.profile_name : dir);
    rspg_buf_puts(out, ": test PKI report</h1>\n<nav><a href=\"#provenance\">Provenance</a>"
                       "<a href=\"#hierarchy\">Hierarchy</a><a href=\"#cases\">Invalid cases</a>"
                       "<a href=\"#crls\">CRLs</a><a href=\"#timeline\">Validity</a>"
                       "<a href=\"#details\">Certificates</a></nav>\n");
    summary_html(&s, o, out);
    provenance(&m, o, out);
    hierarchy(&m, out);
    rspg_report_html_cases(&m, out);
    rspg_report_html_crls(&m, o, out);
    rspg_report_html_timeline(&m, o, out);
    rspg_report_html_details(&m, out);
    rspg_buf_puts(out, "</body>\n</html>\n");
    if (sum)
        *sum = s;
    rspg_report_model_free(&m);
    return RSPG_OK;
}
