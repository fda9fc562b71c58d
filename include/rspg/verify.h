/*
 * verify.h: checks a built output folder against its manifest: every certificate is
 * parsed, its chain is walked through the manifest's issuer links up to a self-signed
 * root, and each link is checked (issuer name, AKI = issuer SKI, ecdsa-with-SHA256
 * signature under the issuer's key, validity at the chosen time). Each verdict is
 * compared with the manifest's `expect`.
 */
#ifndef RSPG_VERIFY_H
#define RSPG_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/diag.h"

typedef struct rspg_verify_options {
    int has_time;   /* check validity at TIME; default: the manifest's clock */
    int64_t time;
} rspg_verify_options;

typedef struct rspg_verify_result {
    size_t certificates; /* certificates checked */
    size_t agreed;       /* verdicts equal to the manifest's expectation */
    size_t disagreed;
} rspg_verify_result;

/* Verifies the folder DIR. Disagreements are added to D as errors; returns RSPG_OK when
 * every verdict agrees, RSPG_E_VERIFY when some disagree, another status when the folder
 * or its manifest cannot be read. */
rspg_status rspg_verify_dir(const char *dir, const rspg_verify_options *o, rspg_diag *d,
                            rspg_verify_result *res);

/* Checks one link: CERT (DER) issued by ISSUER (DER) at TIME. Returns NULL when it holds,
 * else a static reason. */
const char *rspg_verify_link(const uint8_t *cert, size_t cert_len, const uint8_t *issuer,
                             size_t issuer_len, int64_t time);

#endif
