/*
 * key.h: EC key pairs. Generation (random or derived from a seed), loading from PEM or
 * DER (SEC1 / RFC 5915 or PKCS#8), and the encodings rsp-pkigen writes: SEC1 "EC PRIVATE
 * KEY" with the named curve and public key (as GSMA ships them) and SubjectPublicKeyInfo.
 *
 * Ownership: an rspg_key owns its EVP_PKEY (rspg_key_free). Thread safety: a key may be
 * used by several threads for signing only through their own contexts (see mint.c).
 */
#ifndef RSPG_KEY_H
#define RSPG_KEY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"

typedef struct rspg_key {
    EVP_PKEY *pkey; /* owned; NULL for a public-only key */
    const rspg_curve *curve;
    uint8_t pub[133]; /* uncompressed point 04||X||Y */
    size_t pub_len;
    uint8_t ski[20]; /* SHA-1 of the point: RFC 5280 §4.2.1.2 method 1 */
    int hsm;         /* the private key lives in a PKCS#11 token (signing only) */
} rspg_key;

/* Generates a random key on CURVE. */
rspg_status rspg_key_generate(const rspg_curve *curve, rspg_diag *d, rspg_key *out);
/* Derives a key from SEED and LABEL: HMAC-SHA256 expansion reduced into [1, n-1]
 * (deterministic: same seed and label, same key). */
rspg_status rspg_key_derive(const rspg_curve *curve, const uint8_t *seed, size_t seed_len,
                            const char *label, rspg_diag *d, rspg_key *out);
/* Loads a private key from PEM or DER bytes (SEC1 or PKCS#8; a leading EC PARAMETERS
 * block is skipped). WHAT names the source in messages. */
rspg_status rspg_key_load(const uint8_t *data, size_t len, const char *what, rspg_diag *d,
                          rspg_key *out);
rspg_status rspg_key_load_file(const char *path, rspg_diag *d, rspg_key *out);
/* Fills pub/ski/curve from PKEY (taking ownership of PKEY). */
rspg_status rspg_key_from_pkey(EVP_PKEY *pkey, rspg_diag *d, rspg_key *out);
/* Builds a public-only key from an uncompressed point on CURVE. */
rspg_status rspg_key_from_public(const rspg_curve *curve, const uint8_t *pub, size_t len,
                                 rspg_diag *d, rspg_key *out);
void rspg_key_free(rspg_key *k);
/* Copies K (the EVP_PKEY is reference-counted). */
void rspg_key_copy(rspg_key *dst, const rspg_key *k);

/* DER of the SubjectPublicKeyInfo (id-ecPublicKey, namedCurve, point). */
void rspg_key_spki_der(const rspg_key *k, rspg_buf *out);
/* DER of the SEC1 ECPrivateKey (version 1, d, [0] namedCurve, [1] public key). */
rspg_status rspg_key_sec1_der(const rspg_key *k, rspg_diag *d, rspg_buf *out);
/* DER of the namedCurve OID TLV (the "EC PARAMETERS" block). */
void rspg_key_params_der(const rspg_key *k, rspg_buf *out);
/* The private key file's bytes appended to OUT: SEC1 DER, or with PEM set "EC PARAMETERS" +
 * "EC PRIVATE KEY" PEM blocks, as `openssl ecparam -genkey` writes them and GSMA ships them.
 * Intermediate copies of the secret are cleansed. */
rspg_status rspg_key_private_file(const rspg_key *k, int pem, rspg_diag *d, rspg_buf *out);
/* The public key file's bytes appended to OUT: SubjectPublicKeyInfo DER, or "PUBLIC KEY" PEM. */
void rspg_key_public_file(const rspg_key *k, int pem, rspg_buf *out);

#endif
