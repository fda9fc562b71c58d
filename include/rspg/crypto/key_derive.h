/*
 * key_derive.h: seeded private keys. A private scalar is derived from a seed and a
 * stable label (the entity's name) by HMAC-SHA256 expansion, reduced into [1, n-1],
 * so that the same seed always gives the same keys and different labels give
 * independent keys.
 *
 * Ownership: the caller owns every buffer and context. Thread safety: one context per
 * thread.
 */
#ifndef RSPG_KEY_DERIVE_H
#define RSPG_KEY_DERIVE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

/* Derives a scalar in [1, ORDER-1] from SEED (SEED_LEN bytes, may be 0) and the NUL-
 * terminated LABEL. Returns 1 and sets *OUT (a new BIGNUM) on success, 0 on failure. */
int rspg_derive_scalar(const BIGNUM *order, const uint8_t *seed, size_t seed_len, const char *label,
                       BIGNUM **out);

/* The same with a caller-owned HMAC-SHA256 context (see rspg_hmac_sha256_new in
 * rfc6979.h) and BN_CTX (may be NULL), for hot loops; one context per thread. */
int rspg_derive_scalar_ex(EVP_MAC_CTX *mac, BN_CTX *bn_ctx, const BIGNUM *order,
                          const uint8_t *seed, size_t seed_len, const char *label, BIGNUM **out);

#endif
