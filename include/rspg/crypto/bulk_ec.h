/*
 * bulk_ec.h: the key pairs and signatures of a bulk run (mint), one context per thread:
 * an end-entity key generator for one curve and a signer for one issuer key. On
 * brainpoolP256r1 both run on the fast fixed-base module bp256.h (issue 15), elsewhere on
 * libcrypto; the choice is invisible in the output. A derived key is the one key_derive.h
 * gives, an RFC 6979 signature the one rfc6979.h gives: byte for byte, whatever the engine.
 *
 * libcrypto stays the only engine for other curves, for keys in a PKCS#11 token and for
 * every verification. RSPG_EC_LIBCRYPTO forces it on brainpoolP256r1 too (the tests
 * compare both engines; `RSPG_EC_ENGINE=libcrypto rsp-pkigen mint ...` does the same).
 *
 * Ownership: contexts are the caller's (the _free functions); a signer borrows its key,
 * which must outlive it. Thread safety: one context per thread, no shared state but the
 * bp256 table (built once, read-only).
 */
#ifndef RSPG_BULK_EC_H
#define RSPG_BULK_EC_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"

typedef enum rspg_ec_engine {
    RSPG_EC_AUTO = 0,      /* bp256 on brainpoolP256r1, libcrypto elsewhere */
    RSPG_EC_LIBCRYPTO = 1, /* libcrypto everywhere */
} rspg_ec_engine;

/* The largest DER ECDSA-Sig-Value of a supported curve (P-384: 2 x (2 + 49) + 3). */
#define RSPG_BULK_SIG_MAX 110

typedef struct rspg_bulk_keygen rspg_bulk_keygen;
typedef struct rspg_bulk_signer rspg_bulk_signer;

/* A key generator for CURVE, or NULL (with the reason in D). */
rspg_bulk_keygen *rspg_bulk_keygen_new(const rspg_curve *curve, rspg_ec_engine engine,
                                       rspg_diag *d);
/* One key pair: derived from SEED and LABEL as rspg_key_derive does (SEED NULL: random,
 * uniform in [1, n-1]). SK gets the private scalar (field_bytes, big-endian), PUB the
 * uncompressed point. Returns the point's length, or 0 on failure (libcrypto's error
 * queue says why). */
size_t rspg_bulk_keygen_pair(rspg_bulk_keygen *g, const uint8_t *seed, size_t seed_len,
                             const char *label, uint8_t *sk, uint8_t pub[133]);
/* 1 when G runs on bp256. */
int rspg_bulk_keygen_fast(const rspg_bulk_keygen *g);
void rspg_bulk_keygen_free(rspg_bulk_keygen *g);

/* A signer for KEY with NONCE, or NULL (with the reason in D). A key in a PKCS#11 token
 * signs through libcrypto with the token's random nonces, whatever NONCE and ENGINE. */
rspg_bulk_signer *rspg_bulk_signer_new(const rspg_key *key, rspg_nonce nonce, rspg_ec_engine engine,
                                       rspg_diag *d);
/* The DER ECDSA-Sig-Value of the SHA-256 hash HASH into SIG (RSPG_BULK_SIG_MAX bytes).
 * Returns its length, or 0 on failure (libcrypto's error queue says why). */
size_t rspg_bulk_sign(rspg_bulk_signer *s, const uint8_t hash[32], uint8_t sig[RSPG_BULK_SIG_MAX]);
/* 1 when S runs on bp256. */
int rspg_bulk_signer_fast(const rspg_bulk_signer *s);
void rspg_bulk_signer_free(rspg_bulk_signer *s);

#endif
