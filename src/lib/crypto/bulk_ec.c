/*
 * bulk_ec.c: per-thread key generation and signing for bulk runs (bulk_ec.h). On
 * brainpoolP256r1 the two fixed-base multiplications go to bp256.c, which is 6-10x
 * libcrypto 3.0's generic prime-curve code there (bench/bp256.sh); everything that fixes
 * the bytes of the output stays shared with the libcrypto path: the key derivation
 * (key_derive.c), the RFC 6979 nonce (rfc6979.c, candidate after candidate as RFC 6979
 * §3.4 says when r or s is zero) and the DER of the ECDSA-Sig-Value (SEC 1 §C.5, minimal
 * INTEGERs, as i2d_ECDSA_SIG writes it). Random scalars (keys, and nonces of random
 * signatures) are drawn by BN_priv_rand_range on both paths.
 */
#include "rspg/crypto/bulk_ec.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "rspg/crypto/bp256.h"
#include "rspg/crypto/key_derive.h"
#include "rspg/crypto/rfc6979.h"

/* RFC 6979 §3.4: r or s == 0 has probability ~2/n; rfc6979.c gives up at the same count */
#define MAX_CANDIDATES 64

struct rspg_bulk_keygen {
    const rspg_curve *curve;
    int fast;
    EC_GROUP *group;
    BN_CTX *bn;
    EVP_MAC_CTX *mac;
    BIGNUM *priv;
    EC_POINT *pt; /* libcrypto path only */
};

struct rspg_bulk_signer {
    const rspg_key *key;
    rspg_nonce nonce;
    int fast;
    EC_GROUP *group;
    EVP_MAC_CTX *mac;       /* RFC 6979 */
    BIGNUM *priv;           /* RFC 6979, and the fast path */
    BIGNUM *k;              /* the fast path's random nonce */
    EVP_PKEY_CTX *sign_ctx; /* libcrypto with random nonces */
    uint8_t d[32];          /* the fast path's private scalar */
};

static int use_bp256(const rspg_curve *curve, rspg_ec_engine engine)
{
    return engine == RSPG_EC_AUTO && curve->nid == NID_brainpoolP256r1;
}

rspg_bulk_keygen *rspg_bulk_keygen_new(const rspg_curve *curve, rspg_ec_engine engine, rspg_diag *d)
{
    rspg_bulk_keygen *g = rspg_xcalloc(1, sizeof(*g));
    g->curve = curve;
    g->fast = use_bp256(curve, engine);
    g->group = EC_GROUP_new_by_curve_name(curve->nid);
    g->bn = BN_CTX_new();
    g->mac = rspg_hmac_sha256_new();
    g->priv = BN_secure_new();
    g->pt = g->group && !g->fast ? EC_POINT_new(g->group) : NULL;
    if (!g->group || !g->bn || !g->mac || !g->priv || (!g->fast && !g->pt)) {
        rspg_fail_crypto(d, "cannot set up key generation on %s", curve->name);
        rspg_bulk_keygen_free(g);
        return NULL;
    }
    BN_set_flags(g->priv, BN_FLG_CONSTTIME);
    return g;
}

/* The private scalar into g->priv: derived, or uniform in [1, n-1]. 1 or 0. */
static int draw_scalar(rspg_bulk_keygen *g, const uint8_t *seed, size_t seed_len, const char *label)
{
    const BIGNUM *order = EC_GROUP_get0_order(g->group);
    if (seed) {
        BIGNUM *v = NULL;
        int ok = rspg_derive_scalar_ex(g->mac, g->bn, order, seed, seed_len, label, &v) &&
                 BN_copy(g->priv, v) != NULL;
        BN_clear_free(v);
        return ok;
    }
    do {
        if (!BN_priv_rand_range(g->priv, order))
            return 0;
    } while (BN_is_zero(g->priv));
    return 1;
}

size_t rspg_bulk_keygen_pair(rspg_bulk_keygen *g, const uint8_t *seed, size_t seed_len,
                             const char *label, uint8_t *sk, uint8_t pub[133])
{
    int fb = (int)g->curve->field_bytes;
    if (!draw_scalar(g, seed, seed_len, label) || BN_bn2binpad(g->priv, sk, fb) != fb)
        return 0;
    if (g->fast)
        return rspg_bp256_public(sk, pub) == 0 ? 65 : 0;
    if (!EC_POINT_mul(g->group, g->pt, g->priv, NULL, NULL, g->bn))
        return 0;
    return EC_POINT_point2oct(g->group, g->pt, POINT_CONVERSION_UNCOMPRESSED, pub, 133, g->bn);
}

int rspg_bulk_keygen_fast(const rspg_bulk_keygen *g)
{
    return g->fast;
}

void rspg_bulk_keygen_free(rspg_bulk_keygen *g)
{
    if (g == NULL)
        return;
    EC_GROUP_free(g->group);
    BN_CTX_free(g->bn);
    EVP_MAC_CTX_free(g->mac);
    BN_clear_free(g->priv);
    EC_POINT_free(g->pt);
    free(g);
}

/* ---- the signer ---- */

rspg_bulk_signer *rspg_bulk_signer_new(const rspg_key *key, rspg_nonce nonce, rspg_ec_engine engine,
                                       rspg_diag *d)
{
    rspg_bulk_signer *s = rspg_xcalloc(1, sizeof(*s));
    s->key = key;
    s->nonce = nonce;
    if (key->pkey == NULL) {
        rspg_fail(d, RSPG_E_USAGE, "the issuer key has no private part");
        free(s);
        return NULL;
    }
    if (key->hsm)
        s->nonce = nonce = RSPG_NONCE_RANDOM; /* the token draws them: it keeps the scalar */
    s->fast = !key->hsm && use_bp256(key->curve, engine);
    s->group = EC_GROUP_new_by_curve_name(key->curve->nid);
    int ok = s->group != NULL;
    if (ok && (s->fast || nonce == RSPG_NONCE_RFC6979))
        ok = EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &s->priv) &&
             (s->mac = rspg_hmac_sha256_new()) != NULL;
    if (ok && s->fast)
        ok = (s->k = BN_secure_new()) != NULL && BN_bn2binpad(s->priv, s->d, 32) == 32;
    if (ok && !s->fast && nonce != RSPG_NONCE_RFC6979)
        ok = (s->sign_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL)) != NULL &&
             EVP_PKEY_sign_init(s->sign_ctx) > 0;
    if (!ok) {
        rspg_fail_crypto(d, "cannot set up signing with the issuer's key");
        rspg_bulk_signer_free(s);
        return NULL;
    }
    if (s->priv)
        BN_set_flags(s->priv, BN_FLG_CONSTTIME);
    return s;
}

/* An INTEGER's TLV from the 32 big-endian bytes V (v > 0): minimal, with a 00 before a set
 * top bit (X.690 §8.3.2). Returns its length (at most 35). */
static size_t put_integer(uint8_t *out, const uint8_t v[32])
{
    size_t skip = 0;
    while (skip < 31 && v[skip] == 0)
        skip++;
    size_t pad = v[skip] & 0x80 ? 1 : 0, len = 32 - skip + pad;
    out[0] = 0x02;
    out[1] = (uint8_t)len;
    out[2] = 0;
    memcpy(out + 2 + pad, v + skip, 32 - skip);
    return 2 + len;
}

/* The ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } (at most 72 bytes). */
static size_t put_sig(uint8_t *sig, const uint8_t r[32], const uint8_t s[32])
{
    size_t n = put_integer(sig + 2, r);
    n += put_integer(sig + 2 + n, s);
    sig[0] = 0x30;
    sig[1] = (uint8_t)n;
    return 2 + n;
}

/* The nonce of try C into K (32 bytes): RFC 6979 candidate C, or a random one. 1 or 0. */
static int fast_nonce(rspg_bulk_signer *s, const uint8_t hash[32], unsigned c, uint8_t k[32])
{
    const BIGNUM *order = EC_GROUP_get0_order(s->group);
    int ok;
    if (s->nonce == RSPG_NONCE_RFC6979) {
        BIGNUM *kb = NULL;
        ok = rspg_rfc6979_nonce_ex(s->mac, s->priv, order, hash, 32, c, &kb) &&
             BN_bn2binpad(kb, k, 32) == 32;
        BN_clear_free(kb);
        return ok;
    }
    do {
        if (!BN_priv_rand_range(s->k, order))
            return 0;
    } while (BN_is_zero(s->k));
    return BN_bn2binpad(s->k, k, 32) == 32;
}

static size_t sign_fast(rspg_bulk_signer *s, const uint8_t hash[32], uint8_t *sig)
{
    uint8_t k[32], r[32], sv[32];
    size_t n = 0;
    for (unsigned c = 0; c < MAX_CANDIDATES && n == 0; c++) {
        if (!fast_nonce(s, hash, c, k))
            break;
        if (rspg_bp256_sign(s->d, k, hash, 32, r, sv) == 0)
            n = put_sig(sig, r, sv);
    }
    OPENSSL_cleanse(k, sizeof(k));
    return n;
}

size_t rspg_bulk_sign(rspg_bulk_signer *s, const uint8_t hash[32], uint8_t sig[RSPG_BULK_SIG_MAX])
{
    if (s->fast)
        return sign_fast(s, hash, sig);
    if (s->nonce == RSPG_NONCE_RFC6979) {
        unsigned char *der = NULL;
        size_t n = 0;
        if (!rspg_rfc6979_sign_ex(s->mac, s->group, s->priv, hash, 32, &der, &n) ||
            n > RSPG_BULK_SIG_MAX)
            n = 0;
        else
            memcpy(sig, der, n);
        OPENSSL_free(der);
        return n;
    }
    size_t n = RSPG_BULK_SIG_MAX;
    return EVP_PKEY_sign(s->sign_ctx, sig, &n, hash, 32) > 0 ? n : 0;
}

int rspg_bulk_signer_fast(const rspg_bulk_signer *s)
{
    return s->fast;
}

void rspg_bulk_signer_free(rspg_bulk_signer *s)
{
    if (s == NULL)
        return;
    EC_GROUP_free(s->group);
    EVP_MAC_CTX_free(s->mac);
    BN_clear_free(s->priv);
    BN_clear_free(s->k);
    EVP_PKEY_CTX_free(s->sign_ctx);
    OPENSSL_cleanse(s->d, sizeof(s->d));
    free(s);
}
