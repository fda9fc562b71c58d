/*
 * probe_flow.h: `rsp-pkigen probe`, an ES9+ conformance run against a live SM-DP+ (SGP.22
 * §5.6, §6.5). For each eUICC case of a build's manifest (the valid eUICC and the invalid
 * ones: unknown CI, EUM expired, EID outside the EUM's range, wrong EID check digits, ...)
 * and for faults probe injects itself (a bad eUICC certificate signature, a bad
 * euiccSignature1, a wrong serverChallenge) it runs a download session (es9/es9_session.h)
 * and compares the server's functionExecutionStatus with what SGP.22 §5.6.3 requires: the
 * fault's SGP.22 error comes from rsp-pkigen's own verifier, its ES9+ subjectCode/reasonCode
 * from the rulebook (rsp/rulebook.h).
 *
 * Ownership: the result owns its rows (rspg_probe_result_free). Thread safety: one run at a
 * time per result.
 */
#ifndef RSPG_PROBE_FLOW_H
#define RSPG_PROBE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/es9/es9_session.h"
#include "rspg/es9/probe_verdict.h"
#include "rspg/rsp/verdict.h"

enum { RSPG_PROBE_NIST = 1, RSPG_PROBE_BRP = 2 };

typedef struct rspg_probe_options {
    const char *url;          /* the SM-DP+ base URL */
    const char *pki_dir;      /* a build folder (its manifest.json) */
    const char *variant;      /* "O" (default) */
    unsigned curves;          /* RSPG_PROBE_NIST | RSPG_PROBE_BRP; 0: NIST */
    const char *const *cases; /* case ids to run ("valid", "euicc/unknown-ci", ...); none: all */
    size_t n_cases;
    const char *matching_id; /* ctxParamsForCommonAuthentication.matchingId; NULL: none */
    int insecure_http;
    const char *ca_file; /* TLS trust anchors; NULL: the chosen CI certificate(s) of the build */
    long timeout_s;
    int has_time; /* check validity at TIME; default: now */
    int64_t time;
} rspg_probe_options;

typedef struct rspg_probe_row {
    char *case_id;     /* the manifest's case, "valid", or a probe fault "es9/..." */
    const char *curve; /* "NIST" or "BRP" */
    char *euicc;       /* the eUICC certificate (path in the build) */
    rspg_probe_expect expect;
    int ran; /* a session reached authenticateClient or a server fault */
    rspg_es9_session_result got;
    rspg_probe_verdict verdict;
    char note[700]; /* why, in words */
} rspg_probe_row;

/* The row tls/server-certificate: the chain the server sent in its TLS handshake, judged by
 * rsp-pkigen's verifier as SGP.22 §2.6.6 requires of an LPA (es9/es9_tls_judge.h). */
typedef struct rspg_probe_tls {
    int checked;               /* a TLS handshake was made (not an http:// URL) */
    const char *curve;         /* of the leaf's key: "NIST", "BRP", another curve's name, or "?" */
    char version[16];          /* negotiated, e.g. "TLSv1.3"; "" unknown */
    char cipher[80];           /* IANA name; "" unknown */
    size_t sent;               /* certificates the server sent */
    char host[256];            /* the host name checked */
    rspg_verdict verdict;      /* rsp-pkigen's verifier, host name included */
    rspg_probe_verdict result; /* RSPG_PROBE_PASS, or RSPG_PROBE_SERVER_FAULT when invalid */
    int libcurl_refused;       /* libcurl (OpenSSL) refused the handshake: no case could run */
    char note[900];            /* why, in words */
} rspg_probe_tls;

typedef struct rspg_probe_result {
    rspg_probe_row *rows;
    size_t n;
    size_t pass, other_code, server_faults, errors; /* of the eUICC cases */
    rspg_probe_tls tls;
} rspg_probe_result;

/* Runs the conformance cases of O. With an https:// URL the TLS chain of the server is read
 * first (one handshake without a request) and judged (RES->tls). RSPG_OK when the server did
 * what SGP.22 requires of every case (rejections with other codes included) and its TLS
 * certificate is valid, RSPG_E_VERIFY when some row is a server fault or an error; that
 * includes a TLS certificate rsp-pkigen rejects and libcurl refuses too (the run stops there,
 * RES->tls.libcurl_refused, no eUICC case run); RSPG_E_IO when the server is unreachable or
 * not ES9+ (one message in D); RSPG_E_USAGE / RSPG_E_INPUT for bad options or a build
 * without the cases. */
rspg_status rspg_probe_run(const rspg_probe_options *o, rspg_diag *d, rspg_probe_result *res);
void rspg_probe_result_free(rspg_probe_result *res);

#endif
