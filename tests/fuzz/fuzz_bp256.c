/*
 * fuzz_bp256.c: libFuzzer target for the brainpoolP256r1 module (src/lib/crypto/bp256*.c)
 * against libcrypto, which is the reference: for arbitrary scalars d and k and an arbitrary
 * hash, rspg_bp256_public must equal EC_POINT_mul (or refuse exactly the d outside [1, n-1]),
 * and rspg_bp256_sign must equal r = x(kG) mod n, s = k^-1 (e + d r) mod n computed with
 * BIGNUM / EC_POINT (or refuse exactly when libcrypto's computation says so); every signature
 * it makes must pass libcrypto's verifier. Any difference aborts.
 *
 * Input: byte 0 = flags (bit 0: d = n - D, bit 1: k = n - K, so that the fuzzer reaches the
 * top of the range), bytes 1..32 = D, 33..64 = K (missing bytes are zero), the rest = the
 * hash (at most 128 bytes are used).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "rspg/crypto/bp256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EC_GROUP *grp;
static BN_CTX *bctx;

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

/* OUT (32 bytes) = IN, or n - IN when REFLECT; returns the value as a new BIGNUM (which may
 * be 0, n or larger than n; OUT then holds its low 256 bits, or n - IN mod 2^256). */
static BIGNUM *scalar(const uint8_t in[32], int reflect, uint8_t out[32])
{
    BIGNUM *x = BN_bin2bn(in, 32, NULL);
    CHECK(x != NULL);
    if (reflect) {
        CHECK(BN_sub(x, EC_GROUP_get0_order(grp), x));
        if (BN_is_negative(x)) /* IN > n: keep IN itself (out of range) */
            CHECK(BN_bin2bn(in, 32, x) != NULL);
    }
    CHECK(BN_bn2binpad(x, out, 32) == 32);
    return x;
}

static int in_range(const BIGNUM *x)
{
    return !BN_is_zero(x) && BN_cmp(x, EC_GROUP_get0_order(grp)) < 0;
}

static void check_public(const uint8_t d[32], const BIGNUM *bd, uint8_t pub[65])
{
    uint8_t ref[65];
    int rc = rspg_bp256_public(d, pub);
    CHECK(rc == (in_range(bd) ? 0 : -1));
    if (rc != 0)
        return;
    EC_POINT *p = EC_POINT_new(grp);
    CHECK(p != NULL && EC_POINT_mul(grp, p, bd, NULL, NULL, bctx) == 1);
    CHECK(EC_POINT_point2oct(grp, p, POINT_CONVERSION_UNCOMPRESSED, ref, 65, bctx) == 65);
    CHECK(memcmp(pub, ref, 65) == 0);
    EC_POINT_free(p);
}

/* libcrypto's (r, s) for nonce BK: 0, or -1 when r or s is 0 */
static int ref_sign(const BIGNUM *bd, const BIGNUM *bk, const uint8_t *h, size_t hlen,
                    uint8_t r[32], uint8_t s[32])
{
    const BIGNUM *n = EC_GROUP_get0_order(grp);
    BIGNUM *e = BN_new(), *x = BN_new(), *br = BN_new(), *bs = BN_new(), *t = BN_new();
    EC_POINT *R = EC_POINT_new(grp);
    int rc = -1;
    CHECK(e && x && br && bs && t && R);
    if (hlen == 0)
        BN_zero(e);
    else
        CHECK(BN_bin2bn(h, (int)(hlen > 32 ? 32 : hlen), e) != NULL);
    CHECK(BN_nnmod(e, e, n, bctx));
    CHECK(EC_POINT_mul(grp, R, bk, NULL, NULL, bctx) == 1);
    CHECK(EC_POINT_get_affine_coordinates(grp, R, x, NULL, bctx) == 1);
    CHECK(BN_nnmod(br, x, n, bctx) && BN_mod_inverse(t, bk, n, bctx) != NULL);
    CHECK(BN_mod_mul(bs, bd, br, n, bctx) && BN_mod_add(bs, bs, e, n, bctx) &&
          BN_mod_mul(bs, bs, t, n, bctx));
    if (!BN_is_zero(br) && !BN_is_zero(bs)) {
        CHECK(BN_bn2binpad(br, r, 32) == 32 && BN_bn2binpad(bs, s, 32) == 32);
        rc = 0;
    }
    BN_free(e);
    BN_free(x);
    BN_free(br);
    BN_free(bs);
    BN_free(t);
    EC_POINT_free(R);
    return rc;
}

/* libcrypto's verifier on (R, S) over H under PUB */
static void check_verify(const uint8_t pub[65], const uint8_t *h, size_t hlen, const uint8_t r[32],
                         const uint8_t s[32])
{
    OSSL_PARAM params[3];
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *fctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL), *vctx = NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *br = BN_bin2bn(r, 32, NULL), *bs = BN_bin2bn(s, 32, NULL);
    unsigned char *der = NULL;
    int der_len;
    params[0] =
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"brainpoolP256r1", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, 65);
    params[2] = OSSL_PARAM_construct_end();
    CHECK(fctx && sig && br && bs && EVP_PKEY_fromdata_init(fctx) == 1);
    CHECK(EVP_PKEY_fromdata(fctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1);
    CHECK(ECDSA_SIG_set0(sig, br, bs) == 1 && (der_len = i2d_ECDSA_SIG(sig, &der)) > 0);
    CHECK((vctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) != NULL);
    CHECK(EVP_PKEY_verify_init(vctx) == 1);
    CHECK(EVP_PKEY_verify(vctx, der, (size_t)der_len, h, hlen) == 1);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_PKEY_CTX_free(vctx);
    EVP_PKEY_CTX_free(fctx);
    EVP_PKEY_free(pkey);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t raw[65] = {0}, d[32], k[32], pub[65], r[32], s[32], wr[32], ws[32];
    const uint8_t *h = size > 65 ? data + 65 : NULL;
    size_t hlen = size > 65 ? size - 65 : 0;
    if (grp == NULL) {
        grp = EC_GROUP_new_by_curve_name(NID_brainpoolP256r1);
        bctx = BN_CTX_new();
        CHECK(grp != NULL && bctx != NULL);
    }
    memcpy(raw, data, size < 65 ? size : 65);
    if (hlen > 128)
        hlen = 128;
    BIGNUM *bd = scalar(raw + 1, raw[0] & 1, d), *bk = scalar(raw + 33, raw[0] & 2, k);
    check_public(d, bd, pub);
    int rc = rspg_bp256_sign(d, k, h, hlen, r, s);
    if (!in_range(bd) || !in_range(bk)) {
        CHECK(rc == -1);
    } else {
        CHECK(rc == ref_sign(bd, bk, h, hlen, wr, ws));
        if (rc == 0) {
            CHECK(memcmp(r, wr, 32) == 0 && memcmp(s, ws, 32) == 0);
            if (hlen > 0)
                check_verify(pub, h, hlen, r, s);
        }
    }
    BN_free(bd);
    BN_free(bk);
    return 0;
}
