/*
 * sign.h: ECDSA with SHA-256 (ecdsa-with-SHA256, RFC 5758 §3.2), the only signature
 * algorithm of the RSP PKI. Signatures are either randomised (libcrypto's nonce) or
 * deterministic per RFC 6979 (HMAC-SHA256 nonce), which makes output byte-reproducible.
 *
 * Ownership: signatures are appended to caller-owned buffers. Thread safety: signing
 * fetches per call; the _ex variants of rfc6979.h serve hot loops, one context per thread.
 */
#ifndef RSPG_SIGN_H
#define RSPG_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"

typedef enum rspg_nonce {
    RSPG_NONCE_RANDOM = 0,
    RSPG_NONCE_RFC6979 = 1,
} rspg_nonce;

/* Signs MSG (hashing it with SHA-256) with KEY; appends the DER ECDSA-Sig-Value to SIG. */
rspg_status rspg_sign(const rspg_key *key, rspg_nonce nonce, const uint8_t *msg, size_t len,
                      rspg_diag *d, rspg_buf *sig);
/* Verifies a DER ECDSA-Sig-Value over MSG with KEY's public point: 1 good, 0 bad. */
int rspg_verify_sig(const rspg_key *key, const uint8_t *msg, size_t len, const uint8_t *sig,
                    size_t sig_len);

#endif
