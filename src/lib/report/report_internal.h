/*
 * report_internal.h: what the report's files share inside the layer: the steps of loading
 * the model (model.c -> model_link.c -> model_details.c), the field-by-field difference of
 * an invalid case and its twin (diff.c), and the page's parts (html_*.c).
 */
#ifndef RSPG_REPORT_INTERNAL_H
#define RSPG_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/report/html.h"
#include "rspg/report/model.h"

/* Resolves issuer and twin paths to indexes, and builds the groups (model_link.c). */
void rspg_report_link(rspg_report_model *m);
/* Decodes each certificate once for its subject CN and signature (model_link.c). */
void rspg_report_read_certs(rspg_report_model *m);
/* show, lint and the verifier's verdicts (model_details.c). */
void rspg_report_details(rspg_report_model *m, int has_at, int64_t at);

/* The fields of show's text that differ between TWIN and INV, as HTML rows (diff.c);
 * returns how many differ. */
size_t rspg_report_diff(const rspg_report_cert *twin, const rspg_report_cert *inv, rspg_buf *out);

/* Page parts (html_tree.c, html_timeline.c, html_cases.c, html_details.c). */
void rspg_report_html_tree(const rspg_report_model *m, const rspg_report_group *g, rspg_buf *out);
void rspg_report_html_timeline(const rspg_report_model *m, const rspg_report_options *o,
                               rspg_buf *out);
void rspg_report_html_cases(const rspg_report_model *m, rspg_buf *out);
void rspg_report_html_crls(const rspg_report_model *m, const rspg_report_options *o, rspg_buf *out);
void rspg_report_html_details(const rspg_report_model *m, rspg_buf *out);

/* Small writers shared by the parts. */
void rspg_report_printf(rspg_buf *out, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "YYYY-MM-DD" of T. */
void rspg_report_date(int64_t t, char out[16]);
/* The verdict cell: "valid" / "invalid: REASON (check)" in green when it agrees, red when not. */
void rspg_report_verdict_cell(rspg_buf *out, int has_verdict, int agrees, const rspg_verdict *v);

#endif
