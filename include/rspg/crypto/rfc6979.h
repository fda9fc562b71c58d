/*
 * rfc6979.h: deterministic ECDSA (RFC 6979 §3.2, HMAC-SHA256 nonce generation).
 *
 * OpenSSL 3.2+ offers this natively (the "nonce-type" signature parameter); Debian 12
 * ships 3.0, so the nonce is computed here with libcrypto's HMAC and BIGNUM, and the
 * signature (r, s) with EC_GROUP / EC_POINT / BIGNUM arithmetic (no deprecated EC_KEY).
 *
 * Ownership: signatures are new OPENSSL_malloc'd buffers (OPENSSL_free). Thread safety:
 * one HMAC context per thread.
 */
#ifndef RSPG_RFC6979_H
#define RSPG_RFC6979_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

/* Computes the RFC 6979 nonce k for private scalar X on a group of order Q, for the
 * message hash H1 (H1_LEN bytes; SHA-256 output). CANDIDATE selects the n-th candidate
 * of §3.2 step h (0 = first; callers retry with 1, 2, ... when r or s came out zero).
 * Returns 1 and sets *K (a new BIGNUM) on success, 0 on failure. */
int rspg_rfc6979_nonce(const BIGNUM *x, const BIGNUM *q, const uint8_t *h1, size_t h1_len,
                       unsigned candidate, BIGNUM **k);

/* Signs the hash H1 with private scalar PRIV on GROUP deterministically. On success
 * returns 1 and writes the DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) to
 * a new buffer *SIG of *SIG_LEN bytes (free with OPENSSL_free); 0 on failure. */
int rspg_rfc6979_sign(const EC_GROUP *group, const BIGNUM *priv, const uint8_t *h1, size_t h1_len,
                      unsigned char **sig, size_t *sig_len);

/* The same with a caller-owned HMAC-SHA256 context (from rspg_hmac_sha256_new), so that
 * hot loops (bulk minting) fetch nothing per signature. A context serves one thread. */
EVP_MAC_CTX *rspg_hmac_sha256_new(void);
int rspg_rfc6979_nonce_ex(EVP_MAC_CTX *mac, const BIGNUM *x, const BIGNUM *q, const uint8_t *h1,
                          size_t h1_len, unsigned candidate, BIGNUM **k);
int rspg_rfc6979_sign_ex(EVP_MAC_CTX *mac, const EC_GROUP *group, const BIGNUM *priv,
                         const uint8_t *h1, size_t h1_len, unsigned char **sig, size_t *sig_len);

#endif
