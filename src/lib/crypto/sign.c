/*
 * sign.c: ecdsa-with-SHA256 signatures (RFC 5758 §3.2; SGP.22 §2.6.5 mandates ECDSA with
 * SHA-256 on P-256 or brainpoolP256r1). One function serves both nonce kinds: OpenSSL's
 * random nonce, or the RFC 6979 deterministic nonce (rfc6979.c) for byte-reproducible
 * output on OpenSSL 3.0, which lacks the "nonce-type" parameter that 3.2 added.
 */
#include "rspg/crypto/sign.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "rspg/crypto/rfc6979.h"

#if OPENSSL_VERSION_NUMBER >= 0x30200000L
#define RSPG_NATIVE_RFC6979 1
#endif

static rspg_status sign_evp(const rspg_key *key, int deterministic, const uint8_t *msg, size_t len,
                            rspg_diag *d, rspg_buf *sig)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    size_t slen = 0;
    rspg_status rc = RSPG_OK;
    (void)deterministic;
    if (mctx == NULL ||
        EVP_DigestSignInit_ex(mctx, &pctx, "SHA256", NULL, NULL, key->pkey, NULL) <= 0) {
        rc = rspg_fail_crypto(d, "cannot start signing");
        goto out;
    }
#ifdef RSPG_NATIVE_RFC6979
    if (deterministic) {
        unsigned int one = 1;
        OSSL_PARAM p[2] = {OSSL_PARAM_construct_uint(OSSL_SIGNATURE_PARAM_NONCE_TYPE, &one),
                           OSSL_PARAM_construct_end()};
        if (EVP_PKEY_CTX_set_params(pctx, p) <= 0) {
            rc = rspg_fail_crypto(d, "cannot select deterministic nonces");
            goto out;
        }
    }
#endif
    if (EVP_DigestSign(mctx, NULL, &slen, msg, len) <= 0) {
        rc = rspg_fail_crypto(d, "cannot sign");
        goto out;
    }
    rspg_buf_reserve(sig, slen);
    if (EVP_DigestSign(mctx, sig->data + sig->len, &slen, msg, len) <= 0) {
        rc = rspg_fail_crypto(d, "cannot sign");
        goto out;
    }
    sig->len += slen;
out:
    EVP_MD_CTX_free(mctx);
    return rc;
}

#ifndef RSPG_NATIVE_RFC6979
static rspg_status sign_rfc6979(const rspg_key *key, const uint8_t *msg, size_t len, rspg_diag *d,
                                rspg_buf *sig)
{
    uint8_t h[SHA256_DIGEST_LENGTH];
    BIGNUM *priv = NULL;
    EC_GROUP *g = EC_GROUP_new_by_curve_name(key->curve->nid);
    unsigned char *der = NULL;
    size_t der_len = 0;
    rspg_status rc = RSPG_OK;
    SHA256(msg, len, h);
    if (g == NULL || !EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &priv) ||
        !rspg_rfc6979_sign(g, priv, h, sizeof(h), &der, &der_len)) {
        rc = rspg_fail_crypto(d, "cannot sign deterministically");
    } else {
        rspg_buf_append(sig, der, der_len);
    }
    OPENSSL_free(der);
    BN_clear_free(priv);
    EC_GROUP_free(g);
    return rc;
}
#endif

rspg_status rspg_sign(const rspg_key *key, rspg_nonce nonce, const uint8_t *msg, size_t len,
                      rspg_diag *d, rspg_buf *sig)
{
    if (key->pkey == NULL)
        return rspg_fail(d, RSPG_E_USAGE, "no private key to sign with");
    if (key->hsm)
        nonce = RSPG_NONCE_RANDOM; /* the token computes the nonce: RFC 6979 needs the scalar */
#ifndef RSPG_NATIVE_RFC6979
    if (nonce == RSPG_NONCE_RFC6979)
        return sign_rfc6979(key, msg, len, d, sig);
#endif
    return sign_evp(key, nonce == RSPG_NONCE_RFC6979, msg, len, d, sig);
}

int rspg_verify_sig(const rspg_key *key, const uint8_t *msg, size_t len, const uint8_t *sig,
                    size_t sig_len)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    int ok = mctx && key->pkey &&
             EVP_DigestVerifyInit_ex(mctx, NULL, "SHA256", NULL, NULL, key->pkey, NULL) > 0 &&
             EVP_DigestVerify(mctx, sig, sig_len, msg, len) == 1;
    EVP_MD_CTX_free(mctx);
    ERR_clear_error();
    return ok;
}
