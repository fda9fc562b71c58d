/*
 * probe_verdict.h: the verdict of one conformance case of `rsp-pkigen probe`: what SGP.22
 * requires of the SM-DP+ (accept, or reject with the ES9+ subjectCode/reasonCode of the
 * fault, from the rulebook) against what the server answered (functionExecutionStatus).
 */
#ifndef RSPG_PROBE_VERDICT_H
#define RSPG_PROBE_VERDICT_H

#include "rspg/es9/es9_client.h"

typedef enum rspg_probe_verdict {
    RSPG_PROBE_PASS,         /* as SGP.22 requires */
    RSPG_PROBE_OTHER_CODE,   /* rejected as it must, but with another subjectCode/reasonCode */
    RSPG_PROBE_SERVER_FAULT, /* accepted what it must reject, or rejected what it must accept */
    RSPG_PROBE_ERROR,        /* the case could not be run to a verdict */
} rspg_probe_verdict;

typedef struct rspg_probe_expect {
    int accept;               /* the server must accept (Executed-Success) */
    const char *reason;       /* else: the SGP.22 error name, e.g. "euiccCertificateExpired" */
    const char *subject_code; /* its ES9+ subjectCode / reasonCode; NULL when no source gives */
    const char *reason_code;
    const char *cite;
} rspg_probe_expect;

/* Compares GOT with E. Accept expected: success passes, and so does a rejection with a
 * subjectCode under 8.2 (Profile: no order for this matchingId), which a server can only
 * answer after it has authenticated the eUICC; any other rejection is a server fault. Reject
 * expected: success is a server fault; a rejection passes when its codes are E's (or E has
 * none), else it is RSPG_PROBE_OTHER_CODE (an HTTP error instead of a status included). */
rspg_probe_verdict rspg_probe_compare(const rspg_probe_expect *e, const rspg_es9_status *got);
/* "pass", "other code", "SERVER FAULT", "error". */
const char *rspg_probe_verdict_name(rspg_probe_verdict v);
/* "subjectCode/reasonCode" of ST into BUF ("success" when it succeeded); returns BUF. */
const char *rspg_probe_status_text(const rspg_es9_status *st, char *buf, size_t cap);

#endif
