/*
 * html.h: `rsp-pkigen report`: one self-contained HTML page of a build folder (no external
 * resource, no script: inline CSS and SVG). It shows
 *   - the build's provenance (every top-level field of manifest.json: profile, generator
 *     version, clock, keys, signatures, and vars/seed when the manifest records them);
 *   - one hierarchy per variant and curve, drawn as an SVG tree (CI -> SubCAs -> EUM ->
 *     eUICC, SM-DP+ / SM-DS / eIM branches), each node with role, subject CN, serial and
 *     validity and a link to its details;
 *   - every invalid case beside its valid twin: the fields that differ, the verdict and
 *     SGP.22 reason a validator must reach (the manifest's expect/reason) and the one
 *     rsp-pkigen's verifier reaches (green when they agree, red when not);
 *   - the CRLs with their verdicts;
 *   - a validity timeline of every certificate with "today" marked, the expired and those
 *     expiring within the window highlighted;
 *   - per certificate: what `show` prints, the lint findings, the file paths.
 * Every value from a certificate, the manifest or the profile is escaped (escape.h). The
 * page depends only on the folder, the options and the tool's version: equal inputs give
 * equal bytes.
 */
#ifndef RSPG_REPORT_HTML_H
#define RSPG_REPORT_HTML_H

#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"

typedef struct rspg_report_options {
    int64_t now;       /* "today": the timeline's mark and the start of the expiry window */
    int expiring_days; /* the expiry window in days (0: 30) */
    int has_at;        /* judge verdicts at AT instead of the manifest's clock */
    int64_t at;
} rspg_report_options;

typedef struct rspg_report_summary {
    size_t certificates, crls, invalid_cases;
    size_t verified, agreed, disagreed; /* verdicts of the verifier against the manifest */
    size_t expired, expiring;           /* at NOW, within the window */
} rspg_report_summary;

/* Appends the page of the build folder DIR to OUT. SUM (may be NULL) receives the counts.
 * Returns RSPG_OK, or RSPG_E_IO when DIR has no readable manifest (reason in D). Verdicts
 * that disagree with the manifest are shown in red; they are not an error here. */
rspg_status rspg_report_html(const char *dir, const rspg_report_options *o, rspg_buf *out,
                             rspg_report_summary *sum, rspg_diag *d);

#endif
