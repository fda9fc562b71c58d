/*
 * es9_client.h: the ES9+ transport of an LPA (SGP.22 §6.5, "RSP Server - LPA" over HTTPS):
 * JSON requests POSTed to URL/gsma/rsp2/es9plus/FUNCTION with the X-Admin-Protocol header,
 * ASN.1 payloads in base64, and the functionExecutionStatus of each answer (§6.5.1.4).
 * libcurl carries the HTTP; TLS trusts only the given CA bundle (the chosen CI, SGP.22
 * §2.6.6) and, for brainpool, runs TLS 1.2 offering the brainpoolP256r1 group (OpenSSL 3 has
 * no brainpool group in TLS 1.3) and prime256v1 for the key exchange.
 *
 * Ownership: a client owns its libcurl handle (rspg_es9_client_free); JSON answers belong to
 * the caller (json_decref). Thread safety: one client per thread.
 */
#ifndef RSPG_ES9_CLIENT_H
#define RSPG_ES9_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"

typedef struct rspg_es9_options {
    const char *url;     /* the SM-DP+ base URL: https://HOST[:PORT] (http:// with insecure_http) */
    const char *ca_file; /* PEM bundle of the trust anchors for TLS; NULL: the system's */
    int insecure_http;   /* allow a plain-HTTP URL */
    int brainpool;       /* TLS 1.2 only, groups brainpoolP256r1 and prime256v1 */
    long timeout_s;      /* per request; 0: 30 s */
} rspg_es9_options;

/* The functionExecutionStatus of an answer (SGP.22 §6.5.1.4). */
typedef struct rspg_es9_status {
    int success;     /* status is Executed-Success or Executed-WithWarning */
    char status[48]; /* e.g. "Failed" */
    char subject_code[24], reason_code[24];
    char message[256];
    long http_status; /* 200 for an ES9+ answer; another: the server failed (no JSON read) */
} rspg_es9_status;

typedef struct rspg_es9_client rspg_es9_client;

/* A client for O; RSPG_E_USAGE in D for a URL that is not https:// (or http:// with
 * insecure_http). */
rspg_status rspg_es9_client_new(const rspg_es9_options *o, rspg_diag *d, rspg_es9_client **out);
void rspg_es9_client_free(rspg_es9_client *c);
/* The SM-DP+ address of the URL (host[:port]), as InitiateAuthentication sends it. */
const char *rspg_es9_client_address(const rspg_es9_client *c);

/* Did the last call fail because libcurl refused the server's certificate (CA bundle,
 * validity, host name: OpenSSL's verification, not rsp-pkigen's)? */
int rspg_es9_client_tls_refused(const rspg_es9_client *c);

/* Calls FUNCTION (e.g. "initiateAuthentication") with REQ (borrowed). On an ES9+ answer:
 * RSPG_OK, *RESP the answer (caller's) and *ST its status. An HTTP status other than 200 is
 * RSPG_OK too, with *RESP NULL, ST->success 0, ST->http_status and ST->status "HTTP nnn" (the
 * caller decides whether it means "not an ES9+ server" or "the server failed"). A transport
 * failure (no connection, TLS refused, timeout) or a 200 answer that is not ES9+ (not JSON, no
 * header.functionExecutionStatus) is RSPG_E_IO with one message in D. */
rspg_status rspg_es9_call(rspg_es9_client *c, const char *function, json_t *req, json_t **resp,
                          rspg_es9_status *st, rspg_diag *d);

/* Base64 (RFC 4648) of N octets, a new string. */
char *rspg_es9_b64(const uint8_t *p, size_t n);
/* Decodes the base64 string member KEY of OBJ into OUT; -1 when absent or not base64. */
int rspg_es9_b64_member(json_t *obj, const char *key, rspg_buf *out);

#endif
