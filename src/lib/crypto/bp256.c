/*
 * bp256.c: brainpoolP256r1 key pairs and ECDSA signatures for bulk minting (issue 15), on
 * our own arithmetic (bp256_point.c, bp256_mont.h) because libcrypto 3.0 runs this curve
 * through generic BIGNUM code without fixed-base precomputation (bench/bp256.sh).
 *
 * This module never replaces libcrypto for verification, CA keys, other curves or PKCS#11
 * keys: it serves only the end-entity key pairs and signatures of the minting loop, and the
 * tests check every result against libcrypto. The nonce is an input (RFC 6979 stays in
 * rfc6979.c), so that for the same k the signature equals rfc6979.c's byte for byte.
 *
 * Constant time in the secrets D and K: range checks, the multiplications k*G and d*G, and
 * the arithmetic mod n (Fermat inversion with the public exponent n-2) have no branch or
 * memory index that depends on them. Only the outcome "refused" is visible.
 */
#include "rspg/crypto/bp256.h"

#include <string.h>

#include "crypto/bp256_mont.h"
#include "crypto/bp256_point.h"

/* 1 when the integer A is in [1, n-1], else 0 (constant time). */
static uint64_t in_range(const uint64_t a[4])
{
    return (bp256_is_zero(a) ^ 1) & bp256_lt(a, bp256_n);
}

int rspg_bp256_public(const uint8_t d[32], uint8_t pub[65])
{
    uint64_t dl[4], x[4], y[4];
    bp256_from_bytes(dl, d);
    if (!in_range(dl)) {
        memset(pub, 0, 65);
        bp256_wipe(dl, sizeof(dl));
        return -1;
    }
    bp256_base_mul(dl, x, y);
    pub[0] = 0x04;
    bp256_to_bytes(pub + 1, x);
    bp256_to_bytes(pub + 33, y);
    bp256_wipe(dl, sizeof(dl));
    return 0;
}

/* e = bits2int(HASH) mod n (RFC 6979 §2.3.2, SEC 1 §4.1.3 step 5): the leftmost 256 bits of
 * the hash (qlen = 256); a shorter hash is its own value. e < 2^256 < 2n, so one
 * conditional subtraction reduces it. */
static void hash_to_e(const uint8_t *hash, size_t hash_len, const bp256_mod *fn, uint64_t e[4])
{
    uint8_t buf[32] = {0};
    size_t take = hash_len < 32 ? hash_len : 32;
    if (take > 0)
        memcpy(buf + 32 - take, hash, take);
    bp256_from_bytes(e, buf);
    bp256_mont_final_sub(e, e, 0, fn);
}

/* s = K^-1 (E + D R) mod n, all in Montgomery form mod n, out as a plain integer. */
static void sign_s(const uint64_t d[4], const uint64_t k[4], const uint64_t e[4],
                   const uint64_t r[4], const bp256_mod *fn, uint64_t s[4])
{
    uint64_t km[4], dm[4], rm[4], em[4], t[4];
    bp256_mont_to(km, k, fn);
    bp256_mont_inv(km, km, fn); /* K^-1 R */
    bp256_mont_to(dm, d, fn);
    bp256_mont_to(rm, r, fn);
    bp256_mont_to(em, e, fn);
    bp256_mont_mul(t, dm, rm, fn); /* D R (Montgomery) */
    bp256_mont_add(t, t, em, fn);
    bp256_mont_mul(t, km, t, fn);
    bp256_mont_from(s, t, fn);
    bp256_wipe(km, sizeof(km));
    bp256_wipe(dm, sizeof(dm));
    bp256_wipe(t, sizeof(t));
}

int rspg_bp256_sign(const uint8_t d[32], const uint8_t k[32], const uint8_t *hash, size_t hash_len,
                    uint8_t r[32], uint8_t s[32])
{
    const bp256_mod *fn = bp256_order();
    uint64_t dl[4], kl[4], e[4], x[4], rl[4], sl[4];
    int rc = -1;
    bp256_from_bytes(dl, d);
    bp256_from_bytes(kl, k);
    memset(r, 0, 32);
    memset(s, 0, 32);
    if (!(in_range(dl) & in_range(kl)) || (hash == NULL && hash_len > 0))
        goto done;
    hash_to_e(hash, hash_len, fn, e);
    bp256_base_mul(kl, x, NULL);
    bp256_mont_final_sub(rl, x, 0, fn); /* x < p < 2n: r = x mod n */
    if (bp256_is_zero(rl))
        goto done;
    sign_s(dl, kl, e, rl, fn, sl);
    if (bp256_is_zero(sl))
        goto done;
    bp256_to_bytes(r, rl);
    bp256_to_bytes(s, sl);
    rc = 0;
done:
    bp256_wipe(dl, sizeof(dl));
    bp256_wipe(kl, sizeof(kl));
    return rc;
}
