/*
 * lint.h: a zlint-style linter for one certificate against its role's GSMA SGP.26
 * profile (SGP.22 §4.5.2 certificate profiles as SGP.26 v3 instantiates them; RFC 5280
 * §4.1 and §4.2 for the encoding rules).
 *
 * The role comes from the certificate's RSP policy OID (rspg_role_from_policy), or is
 * given. eIM certificates (SGP.32 §2.7.3) carry no RSP policy: without a given role they
 * are taken as eim-tls when they have an extendedKeyUsage, as eim-sign when they carry
 * only authorityKeyIdentifier and keyUsage. The arc is v2 for Variant O and the nested v3
 * arc for Ov3/A/B/C (given with a variant, or read from the policy OID).
 *
 * Linting yields a list of findings, each with a severity, a stable code and a message
 * (the codes are listed in docs/lint.md). The library only builds the list: it never
 * prints. Codes start with e_ (error), w_ (warning) or n_ (notice), as in zlint.
 */
#ifndef RSPG_LINT_H
#define RSPG_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/cert_info.h"
#include "rspg/x509/x509.h"

typedef enum rspg_lint_severity {
    RSPG_LINT_ERROR,
    RSPG_LINT_WARNING,
    RSPG_LINT_NOTICE,
} rspg_lint_severity;

/* "error", "warning", "notice" */
const char *rspg_lint_severity_name(rspg_lint_severity s);

typedef struct rspg_lint_finding {
    rspg_lint_severity severity;
    const char *code; /* static, e.g. "e_ext_missing" */
    char *message;    /* owned */
} rspg_lint_finding;

typedef struct rspg_lint_options {
    int role;            /* an rspg_role, or -1 to detect it */
    const char *variant; /* "O", "Ov3", "A", "B", "C", or NULL to take the arc from the policy */
} rspg_lint_options;

typedef struct rspg_lint_result {
    rspg_lint_finding *items;
    size_t n, cap;
    size_t errors, warnings, notices;
    int role;                /* the role linted against, -1 when unknown */
    int v3;                  /* the arc linted against: 0 v2 (Variant O), 1 v3 */
    const char *role_source; /* "option", "policy", "extensions" or NULL */
} rspg_lint_result;

void rspg_lint_result_init(rspg_lint_result *r);
void rspg_lint_result_free(rspg_lint_result *r);
/* Does R hold a finding with CODE? (for tests and scripts) */
int rspg_lint_has(const rspg_lint_result *r, const char *code);

/* Lints the certificate DER (or PEM "CERTIFICATE") into RES (initialised here). Returns
 * RSPG_OK when it could be linted (findings are in RES, whatever their severity), or
 * RSPG_E_PROFILE with a message in D when DATA is not a certificate at all, RSPG_E_USAGE
 * when O is wrong (unknown variant or role). A certificate that is framed as one but breaks strict
 * DER is linted as far as it can be and gets an e_der_invalid finding. Free RES with
 * rspg_lint_result_free in every case. */
rspg_status rspg_lint_cert(const uint8_t *data, size_t len, const rspg_lint_options *o,
                           rspg_lint_result *res, rspg_diag *d);
/* Reads PATH (DER or PEM) and lints it; RSPG_E_IO when it cannot be read. */
rspg_status rspg_lint_file(const char *path, const rspg_lint_options *o, rspg_lint_result *res,
                           rspg_diag *d);

/* The role of a decoded certificate as the linter detects it: from its RSP policy OID
 * (*SOURCE = "policy", *V3 the arc), else for eIM certificates from their extensions
 * (*SOURCE = "extensions", *V3 = 0). Returns -1 when there is no role to find. */
int rspg_lint_detect_role(const rspg_cert_info *ci, rspg_role *role, int *v3, const char **source);

#endif
