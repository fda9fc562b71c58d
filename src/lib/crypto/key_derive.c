/*
 * key_derive.c: seeded private keys. A private scalar is derived from a seed and a
 * label (the entity's name), so that one seed regenerates the whole test PKI.
 *
 * THE CONSTRUCTION BELOW IS A COMPATIBILITY PROMISE: the same (seed, label, order) must
 * give the same scalar in every later version. Do not change any detail of it; a new
 * scheme needs a new prefix ("rsp-pkigen key v2") and must leave v1 available.
 *
 *   n      = the group order (n >= 2), nbits = bit length of n
 *   L      = ceil((nbits + 64) / 8) bytes  (64 extra bits make the bias of the final
 *            reduction below 2^-64)
 *   M(i)   = "rsp-pkigen key v1" || 0x00 || label || i
 *            (the 17 ASCII bytes of the prefix, one zero byte, the label's bytes without
 *            its terminating NUL, then the block counter i as ONE byte)
 *   T(i)   = HMAC-SHA256(key = seed, message = M(i))      for i = 1, 2, ..., 255
 *   OKM    = the first L bytes of T(1) || T(2) || ...  (blocks are independent: unlike
 *            HKDF-Expand, T(i) does not chain T(i-1))
 *   t      = OKM as an unsigned big-endian integer
 *   scalar = (t mod (n - 1)) + 1                       (so 1 <= scalar <= n - 1)
 *
 * For P-256 (nbits 256), L = 40 bytes: T(1) and the first 8 bytes of T(2).
 *
 * The seed is the HMAC key, so the usual RFC 2104 key rules apply: a seed of more than
 * 64 bytes (the SHA-256 block size) acts as its SHA-256 digest, and seeds that differ
 * only by trailing zero bytes (including the empty seed versus 00, 00 00, ...) are the
 * same key and give the same scalars. Fixed-length seeds do not hit either case.
 * A label cannot contain a NUL, and the counter is one byte of fixed position, so
 * distinct (label, i) pairs give distinct messages.
 */
#include "rspg/crypto/key_derive.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define KD_PREFIX "rsp-pkigen key v1" /* hashed together with its terminating NUL */
#define KD_HLEN 32                    /* HMAC-SHA256 output bytes */
#define KD_MAX_BLOCKS 255             /* the counter is a single byte, 1..255 */

int rspg_derive_scalar(const BIGNUM *order, const uint8_t *seed, size_t seed_len, const char *label,
                       BIGNUM **out)
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2];
    int ok = 0;
    EVP_MAC_free(mac);
    if (ctx != NULL) {
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
        params[1] = OSSL_PARAM_construct_end();
        ok = EVP_MAC_CTX_set_params(ctx, params) &&
             rspg_derive_scalar_ex(ctx, NULL, order, seed, seed_len, label, out);
    } else if (out != NULL) {
        *out = NULL;
    }
    EVP_MAC_CTX_free(ctx);
    return ok;
}

int rspg_derive_scalar_ex(EVP_MAC_CTX *ctx, BN_CTX *bn_ctx, const BIGNUM *order,
                          const uint8_t *seed, size_t seed_len, const char *label, BIGNUM **out)
{
    static const uint8_t no_seed = 0; /* a valid pointer for an empty HMAC key */
    BN_CTX *bctx = NULL;
    BIGNUM *t = NULL, *nm1 = NULL, *v = NULL;
    uint8_t *okm = NULL;
    size_t nbytes = 0, nblocks = 0, label_len;
    int ok = 0;

    if (out == NULL)
        return 0;
    *out = NULL;
    if (order == NULL || label == NULL || (seed == NULL && seed_len > 0))
        return 0;
    /* n >= 2, so that [1, n-1] is not empty */
    if (BN_is_negative(order) || BN_num_bits(order) < 2)
        return 0;
    if (seed_len == 0)
        seed = &no_seed;
    label_len = strlen(label);

    nbytes = ((size_t)BN_num_bits(order) + 64 + 7) / 8;
    nblocks = (nbytes + KD_HLEN - 1) / KD_HLEN;
    if (nblocks > KD_MAX_BLOCKS)
        return 0;

    okm = OPENSSL_zalloc(nblocks * KD_HLEN);
    if (okm == NULL || ctx == NULL)
        goto done;

    for (size_t i = 1; i <= nblocks; i++) {
        const uint8_t counter = (uint8_t)i;
        size_t outl = 0;

        /* T(i) = HMAC-SHA256(seed, prefix || 0x00 || label || i) */
        if (!EVP_MAC_init(ctx, seed, seed_len, NULL) ||
            !EVP_MAC_update(ctx, (const unsigned char *)KD_PREFIX, sizeof KD_PREFIX) ||
            (label_len > 0 && !EVP_MAC_update(ctx, (const unsigned char *)label, label_len)) ||
            !EVP_MAC_update(ctx, &counter, 1) ||
            !EVP_MAC_final(ctx, okm + (i - 1) * KD_HLEN, &outl, KD_HLEN) || outl != KD_HLEN)
            goto done;
    }

    /* scalar = (OKM[0 .. L-1] as a big-endian integer mod (n - 1)) + 1 */
    bctx = bn_ctx ? bn_ctx : BN_CTX_new();
    t = BN_secure_new();
    nm1 = BN_dup(order);
    v = BN_secure_new();
    if (bctx == NULL || t == NULL || nm1 == NULL || v == NULL)
        goto done;
    if (BN_bin2bn(okm, (int)nbytes, t) == NULL || !BN_sub_word(nm1, 1) ||
        !BN_nnmod(v, t, nm1, bctx) || !BN_add_word(v, 1))
        goto done;
    *out = v;
    v = NULL;
    ok = 1;

done:
    OPENSSL_clear_free(okm, nblocks * KD_HLEN);
    if (bctx != bn_ctx)
        BN_CTX_free(bctx);
    BN_clear_free(t);
    BN_free(nm1);
    BN_clear_free(v);
    return ok;
}
