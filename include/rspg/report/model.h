/*
 * model.h: a build folder read for the report and the graph: manifest.json (docs/manifest.md)
 * and each certificate decoded once (x509/cert_info.h), grouped into one hierarchy per variant
 * and curve.
 *
 * A "certificate" here is one certificate whatever the number of files it is written to: a
 * PEM copy beside its DER file (same path but the extension) is listed among its paths, not
 * as another certificate. Card certificates (SGP.02 `cvc`) are certificates too. The group
 * (variant, curve) of a certificate is each variant it serves and the curve of the root its
 * issuer chain ends in, so an invalid-curve leaf stays under the CI that signed it.
 *
 * With RSPG_REPORT_DETAILS the model also holds what `show` prints of each certificate
 * (check/show.h), its lint findings (check/lint.h) and the verdict rsp-pkigen's verifier gives
 * it (check/verify.h, rspg_verify_dir at the manifest's clock or the time asked for).
 *
 * Ownership: the model owns everything in it (rspg_report_model_free). Thread safety: none.
 */
#ifndef RSPG_REPORT_MODEL_H
#define RSPG_REPORT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/check/lint.h"
#include "rspg/rsp/verdict.h"

enum { RSPG_REPORT_DETAILS = 1 };

typedef struct rspg_report_cert {
    char id[24];  /* "c0", "c1", ...: HTML anchor and DOT node */
    char **paths; /* every file of the certificate, the representative (DER) first */
    size_t n_paths;
    char *kind; /* "certificate" or "cvc" */
    char *role, *name, *entity, *curve, *issuer_path, *key, *serial;
    char *not_before, *not_after; /* RFC 3339, as in the manifest */
    int64_t nb, na;               /* the same in Unix seconds (0 when absent) */
    char **variants;
    size_t n_variants;
    char *expect, *reason, *case_id, *twin_path, *note;
    int beyond_sgp26, trust_anchor;
    char *cn;                /* the subject CN, or the entity name when the certificate has none */
    int issuer;              /* index of the issuing certificate; -1 for a root or an unknown one */
    int twin;                /* index of the valid twin; -1 none */
    const char *group_curve; /* the curve of the root (a view of some certificate's curve) */
    /* RSPG_REPORT_DETAILS */
    char *show; /* show's text; NULL when it could not be decoded */
    char *show_error;
    rspg_lint_result lint;
    int linted;
    int has_verdict, agrees;
    rspg_verdict verdict;
    uint8_t *sig; /* the signatureValue bits (to tell twins apart); NULL for a cvc */
    size_t sig_len;
} rspg_report_cert;

typedef struct rspg_report_crl {
    char *path, *role, *name, *variant, *curve, *issuer_path, *this_update, *next_update;
    int64_t tu, nu;
    char *expect, *reason, *case_id;
    int has_verdict, agrees;
    rspg_verdict verdict;
} rspg_report_crl;

typedef struct rspg_report_group {
    char *variant;
    const char *curve; /* a view of a certificate's curve */
} rspg_report_group;

typedef struct rspg_report_model {
    char *dir;
    char **prov_keys, **prov_values; /* provenance: each top-level field but the artifacts */
    size_t n_prov;
    char *profile_name, *version, *clock;
    int64_t verify_time; /* the time verdicts were judged at */
    rspg_report_cert *certs;
    size_t n_certs;
    rspg_report_crl *crls;
    size_t n_crls;
    rspg_report_group *groups; /* variant order O, Ov3, A, B, C, others; prime256v1 first */
    size_t n_groups;
    size_t verified, agreed, disagreed;
} rspg_report_model;

/* Reads DIR (a build folder) into M. FLAGS: 0 or RSPG_REPORT_DETAILS. HAS_AT/AT: the time
 * verdicts are judged at (default: the manifest's clock, as `rsp-pkigen verify DIR`).
 * Returns RSPG_OK; RSPG_E_IO when the manifest cannot be read or is not ours, with the
 * reason in D. A certificate file that cannot be decoded is kept (its show_error says
 * why). Free M with rspg_report_model_free in every case. */
rspg_status rspg_report_model_load(const char *dir, unsigned flags, int has_at, int64_t at,
                                   rspg_report_model *m, rspg_diag *d);
void rspg_report_model_free(rspg_report_model *m);

/* Is certificate C in group G? */
int rspg_report_in_group(const rspg_report_cert *c, const rspg_report_group *g);
/* The index of the group's parent of C: its issuer when that is in G too, else -1. */
int rspg_report_parent_in(const rspg_report_model *m, size_t c, const rspg_report_group *g);

/* The valid values for messages: "O, Ov3, A" and "prime256v1, brainpoolP256r1" (new). */
char *rspg_report_variants_text(const rspg_report_model *m);
char *rspg_report_curves_text(const rspg_report_model *m);

#endif
