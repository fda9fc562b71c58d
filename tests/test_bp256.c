/*
 * test_bp256.c: the home-made brainpoolP256r1 module (src/lib/crypto/bp256*.c) against
 * libcrypto, which stays the reference: curve constants, the Montgomery arithmetic mod p and
 * mod n against BIGNUM, public points against EC_POINT_mul for edge scalars, every table
 * entry and 100,000 random scalars, the reference double-and-add, and ECDSA signatures
 * against a BIGNUM / EC_POINT computation with the same nonce (as rfc6979.c does it), against
 * rfc6979.c itself, and through libcrypto's verifier.
 *
 * Random inputs come from a fixed-seed generator (RSPG_BP256_SEED=N overrides the seed, and
 * a failure prints it), so a failure reproduces. RSPG_BP256_RANDOM=N sets the number of
 * random scalars (default 100,000; 20,000 in an ASan build; never fewer than 10,000).
 *
 * Two references for k*G: EC_POINT_mul(g, r, k, NULL, NULL) (libcrypto's constant-time
 * ladder, ~0.3 ms) for the edge cases, and EC_POINT_mul(gp, r, k, G, 0) on a group with
 * EC_GROUP_precompute_mult (libcrypto's wNAF over its own precomputed table of G, ~60 us)
 * for the bulk: both are independent of our code. EC_GROUP_precompute_mult is deprecated in
 * OpenSSL 3.0, hence OPENSSL_SUPPRESS_DEPRECATED in this test only.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the four above */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "crypto/bp256_mont.h"
#include "crypto/bp256_point.h"
#include "rspg/crypto/bp256.h"
#include "rspg/crypto/rfc6979.h"

/* ---- deterministic random bytes (splitmix64) ---- */

static uint64_t rng_state;
static uint64_t rng_seed;

static uint64_t rng64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_bytes(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)rng64();
}

static int setup_rng(void **state)
{
    const char *s = getenv("RSPG_BP256_SEED");
    (void)state;
    rng_seed = s != NULL ? strtoull(s, NULL, 0) : 0x62703235365F7473ull;
    rng_state = rng_seed;
    return 0;
}

/* ---- libcrypto references ---- */

static EC_GROUP *grp;     /* brainpoolP256r1, plain (ladder) */
static EC_GROUP *grp_pre; /* the same with libcrypto's precomputed generator table */
static BN_CTX *bctx;

static int setup_groups(void **state)
{
    setup_rng(state);
    grp = EC_GROUP_new_by_curve_name(NID_brainpoolP256r1);
    grp_pre = EC_GROUP_new_by_curve_name(NID_brainpoolP256r1);
    bctx = BN_CTX_new();
    if (grp == NULL || grp_pre == NULL || bctx == NULL ||
        EC_GROUP_precompute_mult(grp_pre, bctx) != 1)
        return -1;
    return 0;
}

static int teardown_groups(void **state)
{
    (void)state;
    EC_GROUP_free(grp);
    EC_GROUP_free(grp_pre);
    BN_CTX_free(bctx);
    return 0;
}

static BIGNUM *bn32(const uint8_t b[32])
{
    BIGNUM *x = BN_bin2bn(b, 32, NULL);
    assert_non_null(x);
    return x;
}

static BIGNUM *limbs_bn(const uint64_t a[4])
{
    uint8_t b[32];
    bp256_to_bytes(b, a);
    return bn32(b);
}

/* X = 2^K; 1 or 0 */
static int pow2(BIGNUM *x, int k)
{
    BN_zero(x);
    return BN_set_bit(x, k);
}

static void hex32(const char *what, const uint8_t b[32])
{
    print_message("%s = ", what);
    for (int i = 0; i < 32; i++)
        print_message("%02x", b[i]);
    print_message(" (seed %llu)\n", (unsigned long long)rng_seed);
}

/* 04||X||Y of D*G by libcrypto: the ladder, or (PRE) wNAF with the precomputed table. */
static void ref_public(const uint8_t d[32], int pre, uint8_t pub[65])
{
    EC_GROUP *g = pre ? grp_pre : grp;
    EC_POINT *p = EC_POINT_new(g);
    BIGNUM *bd = bn32(d), *zero = BN_new();
    assert_non_null(p);
    assert_non_null(zero);
    BN_zero(zero);
    if (pre)
        assert_int_equal(EC_POINT_mul(g, p, bd, EC_GROUP_get0_generator(g), zero, bctx), 1);
    else
        assert_int_equal(EC_POINT_mul(g, p, bd, NULL, NULL, bctx), 1);
    assert_int_equal(EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pub, 65, bctx), 65);
    BN_free(zero);
    BN_free(bd);
    EC_POINT_free(p);
}

/* rspg_bp256_public(D) must equal libcrypto's D*G (D in [1, n-1]). */
static void check_public(const uint8_t d[32], int pre)
{
    uint8_t ours[65], ref[65];
    assert_int_equal(rspg_bp256_public(d, ours), 0);
    ref_public(d, pre, ref);
    if (memcmp(ours, ref, 65) != 0)
        hex32("public point differs for d", d);
    assert_memory_equal(ours, ref, 65);
}

/* the scalar X mod n as 32 bytes */
static void bn_mod_n_bytes(BIGNUM *x, uint8_t out[32])
{
    assert_int_equal(BN_nnmod(x, x, EC_GROUP_get0_order(grp), bctx), 1);
    assert_int_equal(BN_bn2binpad(x, out, 32), 32);
}

/* ---- curve constants and Montgomery arithmetic ---- */

static void assert_limbs_bn(const uint64_t a[4], const BIGNUM *want)
{
    BIGNUM *got = limbs_bn(a);
    assert_int_equal(BN_cmp(got, want), 0);
    BN_free(got);
}

static void test_constants_match_libcrypto(void **state)
{
    BIGNUM *p = BN_new(), *a = BN_new(), *b = BN_new(), *x = BN_new(), *y = BN_new();
    (void)state;
    assert_int_equal(EC_GROUP_get_curve(grp, p, a, b, bctx), 1);
    assert_int_equal(EC_POINT_get_affine_coordinates(grp, EC_GROUP_get0_generator(grp), x, y, bctx),
                     1);
    assert_limbs_bn(bp256_p, p);
    assert_limbs_bn(bp256_a, a);
    assert_limbs_bn(bp256_b, b);
    assert_limbs_bn(bp256_gx, x);
    assert_limbs_bn(bp256_gy, y);
    assert_limbs_bn(bp256_n, EC_GROUP_get0_order(grp));
    assert_true(BN_is_one(EC_GROUP_get0_cofactor(grp)));
    BN_free(p);
    BN_free(a);
    BN_free(b);
    BN_free(x);
    BN_free(y);
}

/* n0 = -m^-1 mod 2^64, one = 2^256 mod m, rr = 2^512 mod m */
static void check_mont_constants(const bp256_mod *M)
{
    BIGNUM *m = limbs_bn(M->m), *t = BN_new();
    assert_int_equal((uint64_t)(M->m[0] * M->n0), (uint64_t)-1);
    assert_true(pow2(t, 256) && BN_nnmod(t, t, m, bctx));
    assert_limbs_bn(M->one, t);
    assert_true(pow2(t, 512) && BN_nnmod(t, t, m, bctx));
    assert_limbs_bn(M->rr, t);
    BN_free(m);
    BN_free(t);
}

static void test_montgomery_constants(void **state)
{
    (void)state;
    assert_memory_equal(bp256_field()->m, bp256_p, 32);
    assert_memory_equal(bp256_order()->m, bp256_n, 32);
    check_mont_constants(bp256_field());
    check_mont_constants(bp256_order());
}

/* A (< m) for test number I: edge values first (0, 1, 2, m-1, m-2, 2^255, 2^64-1, ...),
 * then random ones. */
static void operand(const bp256_mod *M, int i, uint64_t a[4])
{
    static const uint64_t small[][4] = {{0, 0, 0, 0},          {1, 0, 0, 0},
                                        {2, 0, 0, 0},          {~0ull, 0, 0, 0},
                                        {0, 0, 0, 1ull << 63}, {~0ull, ~0ull, ~0ull, 0},
                                        {0, 0, 1, 0}};
    const int ns = (int)(sizeof(small) / sizeof(small[0]));
    if (i < ns) {
        memcpy(a, small[i], 32);
    } else if (i < ns + 3) { /* m-1, m-2, m-3 */
        memcpy(a, M->m, 32);
        a[0] -= (uint64_t)(i - ns + 1);
    } else {
        do {
            for (int l = 0; l < 4; l++)
                a[l] = rng64();
        } while (!bp256_lt(a, M->m));
    }
}

/* add, sub, mul, sqr and inv mod M against BN_mod_* for 3,000 operand pairs */
static void check_arith(const bp256_mod *M)
{
    BIGNUM *m = limbs_bn(M->m), *want = BN_new();
    uint64_t a[4], b[4], am[4], bm[4], r[4];
    assert_non_null(want);
    for (int i = 0; i < 3000; i++) {
        operand(M, i % 60 < 10 ? i % 60 : i, a);
        operand(M, i % 7 == 0 ? (i / 7) % 10 : i + 1, b);
        BIGNUM *ba = limbs_bn(a), *bb = limbs_bn(b);
        bp256_mont_add(r, a, b, M);
        assert_true(BN_mod_add(want, ba, bb, m, bctx));
        assert_limbs_bn(r, want);
        bp256_mont_sub(r, a, b, M);
        assert_true(BN_mod_sub(want, ba, bb, m, bctx));
        assert_limbs_bn(r, want);
        bp256_mont_to(am, a, M);
        bp256_mont_to(bm, b, M);
        bp256_mont_mul(r, am, bm, M);
        bp256_mont_from(r, r, M);
        assert_true(BN_mod_mul(want, ba, bb, m, bctx));
        assert_limbs_bn(r, want);
        bp256_mont_sqr(r, am, M);
        bp256_mont_from(r, r, M);
        assert_true(BN_mod_sqr(want, ba, m, bctx));
        assert_limbs_bn(r, want);
        if (i % 10 == 0) { /* inversion: 0 -> 0, else a^-1 */
            bp256_mont_inv(r, am, M);
            bp256_mont_from(r, r, M);
            if (BN_is_zero(ba))
                BN_zero(want);
            else
                assert_non_null(BN_mod_inverse(want, ba, m, bctx));
            assert_limbs_bn(r, want);
        }
        BN_free(ba);
        BN_free(bb);
    }
    BN_free(m);
    BN_free(want);
}

static void test_field_arithmetic(void **state)
{
    (void)state;
    check_arith(bp256_field());
}

static void test_scalar_arithmetic(void **state)
{
    (void)state;
    check_arith(bp256_order());
}

/* ---- public points ---- */

/* Calls FN on every edge scalar: 1..40, n-1..n-40, 2^k, 2^k - 1 and n - 2^k (reduced mod n,
 * zero skipped), runs of ones at every 8th position and length, alternating bit patterns,
 * all-0xFF, and the scalars whose 43 Booth digits are all t for t = +-1, +-31, +-32. */
static void for_edge_scalars(void (*fn)(const uint8_t d[32]))
{
    BIGNUM *x = BN_new(), *n = BN_dup(EC_GROUP_get0_order(grp));
    uint8_t d[32];
    assert_non_null(x);
    assert_non_null(n);
#define EMIT()                                                                                     \
    do {                                                                                           \
        bn_mod_n_bytes(x, d);                                                                      \
        if (!BN_is_zero(x))                                                                        \
            fn(d);                                                                                 \
    } while (0)
    for (int i = 1; i <= 40; i++) {
        assert_true(BN_set_word(x, (BN_ULONG)i));
        EMIT();
        assert_true(BN_set_word(x, (BN_ULONG)i) && BN_sub(x, n, x));
        EMIT();
    }
    for (int k = 0; k <= 256; k++) {
        if (k < 256) {
            assert_true(pow2(x, k));
            EMIT(); /* 2^k (reduced when >= n) */
            assert_true(pow2(x, k) && BN_sub(x, n, x));
            if (!BN_is_negative(x))
                EMIT(); /* n - 2^k */
        }
        assert_true(pow2(x, k) && BN_sub_word(x, 1));
        EMIT(); /* 2^k - 1; k = 256: all-0xFF, reduced */
    }
    for (int start = 0; start < 256; start += 8)
        for (int len = 1; start + len <= 256; len += 13) {
            BN_zero(x);
            for (int b = start; b < start + len; b++)
                assert_true(BN_set_bit(x, b));
            EMIT();
        }
    static const uint8_t pats[] = {0x55, 0xAA, 0x0F, 0xF0, 0x3F, 0x81, 0x7E, 0xFE};
    for (size_t i = 0; i < sizeof(pats); i++) {
        uint8_t b[32];
        memset(b, pats[i], 32);
        assert_non_null(BN_bin2bn(b, 32, x));
        EMIT();
    }
    static const long digits[] = {1, -1, 31, -31, 32, -32};
    for (size_t i = 0; i < sizeof(digits) / sizeof(digits[0]); i++) {
        BIGNUM *t = BN_new();
        assert_non_null(t);
        BN_zero(x);
        for (int j = 0; j < 43; j++) { /* x = sum digit * 2^(6j) */
            assert_true(BN_set_word(t, (BN_ULONG)labs(digits[i])) && BN_lshift(t, t, 6 * j));
            assert_true(digits[i] > 0 ? BN_add(x, x, t) : BN_sub(x, x, t));
        }
        EMIT();
        BN_free(t);
    }
#undef EMIT
    BN_free(x);
    BN_free(n);
}

static void check_public_ladder(const uint8_t d[32])
{
    check_public(d, 0);
}

static void test_public_edge_scalars(void **state)
{
    (void)state;
    for_edge_scalars(check_public_ladder);
    assert_int_equal(bp256_fallbacks(), 0);
}

/* i * 2^(6j) and n - i * 2^(6j) for i = 1..33, j = 0..42: every entry of the generator
 * table, as the only non-zero digit and with its sign flipped, and the Booth carries
 * around each (33 = 32 + 1 has digits 1 and -31 in two windows). */
static void test_public_table_scalars(void **state)
{
    BIGNUM *x = BN_new(), *n = BN_dup(EC_GROUP_get0_order(grp));
    uint8_t d[32];
    (void)state;
    for (int j = 0; j < 43; j++)
        for (int i = 1; i <= 33; i++) {
            assert_true(BN_set_word(x, (BN_ULONG)i) && BN_lshift(x, x, 6 * j));
            bn_mod_n_bytes(x, d);
            check_public(d, 1);
            assert_true(BN_sub(x, n, x));
            bn_mod_n_bytes(x, d);
            check_public(d, 1);
        }
    BN_free(x);
    BN_free(n);
    assert_int_equal(bp256_fallbacks(), 0);
}

/* the default number of random scalars: 100,000, or 20,000 in an AddressSanitizer build
 * (which runs our arithmetic ~10x slower) */
#if defined(__SANITIZE_ADDRESS__)
#define RANDOM_SCALARS 20000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RANDOM_SCALARS 20000
#endif
#endif
#ifndef RANDOM_SCALARS
#define RANDOM_SCALARS 100000
#endif

/* N random scalars (RSPG_BP256_RANDOM, default RANDOM_SCALARS), each against libcrypto */
static void test_public_random(void **state)
{
    const char *env = getenv("RSPG_BP256_RANDOM");
    long count = env != NULL ? strtol(env, NULL, 10) : RANDOM_SCALARS;
    BIGNUM *bd = BN_new();
    const BIGNUM *n = EC_GROUP_get0_order(grp);
    uint8_t d[32], pub[65];
    long done = 0;
    (void)state;
    assert_true(count >= 10000); /* fewer proves too little */
    while (done < count) {
        rng_bytes(d, 32);
        assert_non_null(BN_bin2bn(d, 32, bd));
        if (BN_is_zero(bd) || BN_cmp(bd, n) >= 0) { /* out of range: refused */
            assert_int_equal(rspg_bp256_public(d, pub), -1);
            continue;
        }
        check_public(d, 1);
        done++;
    }
    BN_free(bd);
    assert_int_equal(bp256_fallbacks(), 0);
}

static void test_public_out_of_range(void **state)
{
    uint8_t d[32], pub[65];
    BIGNUM *x = BN_new();
    const BIGNUM *n = EC_GROUP_get0_order(grp);
    (void)state;
    /* 0, n, n + 1, p, 2^256 - 1 */
    memset(d, 0, 32);
    memset(pub, 0xEE, 65);
    assert_int_equal(rspg_bp256_public(d, pub), -1);
    for (int i = 0; i < 65; i++)
        assert_int_equal(pub[i], 0);
    assert_int_equal(BN_bn2binpad(n, d, 32), 32);
    assert_int_equal(rspg_bp256_public(d, pub), -1);
    assert_true(BN_copy(x, n) && BN_add_word(x, 1));
    assert_int_equal(BN_bn2binpad(x, d, 32), 32);
    assert_int_equal(rspg_bp256_public(d, pub), -1);
    bp256_to_bytes(d, bp256_p);
    assert_int_equal(rspg_bp256_public(d, pub), -1);
    memset(d, 0xFF, 32);
    assert_int_equal(rspg_bp256_public(d, pub), -1);
    BN_free(x);
}

/* the variable-time reference (the fallback of bp256_base_mul) against libcrypto */
static void check_ref(const uint8_t d[32])
{
    uint64_t k[4], x[4], y[4];
    uint8_t ours[65], ref[65];
    bp256_from_bytes(k, d);
    bp256_base_mul_ref(k, x, y);
    ours[0] = 4;
    bp256_to_bytes(ours + 1, x);
    bp256_to_bytes(ours + 33, y);
    ref_public(d, 1, ref);
    assert_memory_equal(ours, ref, 65);
}

static void test_reference_multiplication(void **state)
{
    uint8_t d[32];
    uint64_t zero[4] = {0, 0, 0, 0}, x[4], y[4];
    (void)state;
    for_edge_scalars(check_ref);
    for (int i = 0; i < 200; i++) {
        rng_bytes(d, 32);
        d[0] &= 0x7F; /* < 2^255 < n */
        if (d[31] == 0)
            d[31] = 1;
        check_ref(d);
    }
    bp256_base_mul_ref(zero, x, y); /* 0 * G: infinity, reported as (0, 0) */
    assert_true(bp256_is_zero(x) && bp256_is_zero(y));
}

/* ---- threads (first in the group: the table is built under concurrent first calls) ---- */

#define THREADS 4
#define PER_THREAD 64

static uint8_t thread_d[THREADS][PER_THREAD][32], thread_pub[THREADS][PER_THREAD][65];

static void *thread_main(void *arg)
{
    uint8_t(*d)[32] = thread_d[(intptr_t)arg];
    uint8_t(*pub)[65] = thread_pub[(intptr_t)arg];
    for (int i = 0; i < PER_THREAD; i++)
        if (rspg_bp256_public(d[i], pub[i]) != 0)
            memset(pub[i], 0, 65);
    return NULL;
}

static void test_threads_first_use(void **state)
{
    pthread_t t[THREADS];
    (void)state;
    for (int i = 0; i < THREADS; i++)
        for (int j = 0; j < PER_THREAD; j++) {
            rng_bytes(thread_d[i][j], 32);
            thread_d[i][j][0] &= 0x7F; /* < n */
            thread_d[i][j][31] |= 1;   /* != 0 */
        }
    for (intptr_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, (void *)i), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++)
        for (int j = 0; j < PER_THREAD; j++) {
            uint8_t ref[65];
            ref_public(thread_d[i][j], 1, ref);
            assert_memory_equal(thread_pub[i][j], ref, 65);
        }
}

/* ---- signatures ---- */

/* e = bits2int(HASH) mod n: the leftmost 256 bits (SEC 1 §4.1.3 step 5) */
static BIGNUM *ref_e(const uint8_t *hash, size_t hash_len)
{
    BIGNUM *e = BN_new();
    assert_non_null(e);
    if (hash_len == 0)
        BN_zero(e);
    else
        assert_non_null(BN_bin2bn(hash, (int)(hash_len > 32 ? 32 : hash_len), e));
    assert_true(BN_nnmod(e, e, EC_GROUP_get0_order(grp), bctx));
    return e;
}

/* (r, s) with nonce K by libcrypto arithmetic, as rfc6979.c computes it: R = K*G,
 * r = x(R) mod n, s = K^-1 (e + D r) mod n. Returns 0, or -1 when r or s is 0. */
static int ref_sign(const uint8_t d[32], const uint8_t k[32], const uint8_t *hash, size_t hash_len,
                    uint8_t r[32], uint8_t s[32])
{
    const BIGNUM *n = EC_GROUP_get0_order(grp);
    BIGNUM *bd = bn32(d), *bk = bn32(k), *e = ref_e(hash, hash_len);
    BIGNUM *rx = BN_new(), *br = BN_new(), *bs = BN_new(), *t = BN_new();
    EC_POINT *R = EC_POINT_new(grp);
    int rc = -1;
    assert_true(rx && br && bs && t && R);
    assert_int_equal(EC_POINT_mul(grp, R, bk, NULL, NULL, bctx), 1);
    assert_int_equal(EC_POINT_get_affine_coordinates(grp, R, rx, NULL, bctx), 1);
    assert_true(BN_nnmod(br, rx, n, bctx));
    assert_non_null(BN_mod_inverse(t, bk, n, bctx));
    assert_true(BN_mod_mul(bs, bd, br, n, bctx) && BN_mod_add(bs, bs, e, n, bctx) &&
                BN_mod_mul(bs, bs, t, n, bctx));
    if (!BN_is_zero(br) && !BN_is_zero(bs)) {
        assert_int_equal(BN_bn2binpad(br, r, 32), 32);
        assert_int_equal(BN_bn2binpad(bs, s, 32), 32);
        rc = 0;
    }
    BN_free(bd);
    BN_free(bk);
    BN_free(e);
    BN_free(rx);
    BN_free(br);
    BN_free(bs);
    BN_free(t);
    EC_POINT_free(R);
    return rc;
}

/* libcrypto's verifier (EVP_PKEY_verify, the path of ECDSA_do_verify) on (R, S) over HASH
 * under the public key PUB: 1 valid. */
static int ossl_verify(const uint8_t pub[65], const uint8_t *hash, size_t hash_len,
                       const uint8_t r[32], const uint8_t s[32])
{
    OSSL_PARAM params[3];
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *fctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL), *vctx = NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    unsigned char *der = NULL;
    int der_len, ok;
    params[0] =
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"brainpoolP256r1", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, 65);
    params[2] = OSSL_PARAM_construct_end();
    assert_non_null(fctx);
    assert_non_null(sig);
    assert_int_equal(EVP_PKEY_fromdata_init(fctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(fctx, &pkey, EVP_PKEY_PUBLIC_KEY, params), 1);
    assert_int_equal(ECDSA_SIG_set0(sig, bn32(r), bn32(s)), 1);
    der_len = i2d_ECDSA_SIG(sig, &der);
    assert_true(der_len > 0);
    vctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    assert_non_null(vctx);
    assert_int_equal(EVP_PKEY_verify_init(vctx), 1);
    ok = EVP_PKEY_verify(vctx, der, (size_t)der_len, hash, hash_len) == 1;
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_PKEY_CTX_free(vctx);
    EVP_PKEY_CTX_free(fctx);
    EVP_PKEY_free(pkey);
    return ok;
}

/* ours == the libcrypto computation with the same k, and (when VERIFY) libcrypto accepts it */
static void check_sign(const uint8_t d[32], const uint8_t k[32], const uint8_t *hash,
                       size_t hash_len, int verify)
{
    uint8_t r[32], s[32], wr[32], ws[32], pub[65];
    int want = ref_sign(d, k, hash, hash_len, wr, ws);
    int got = rspg_bp256_sign(d, k, hash, hash_len, r, s);
    assert_int_equal(got, want);
    if (got != 0)
        return;
    if (memcmp(r, wr, 32) != 0 || memcmp(s, ws, 32) != 0) {
        hex32("signature differs for d", d);
        hex32("k", k);
    }
    assert_memory_equal(r, wr, 32);
    assert_memory_equal(s, ws, 32);
    if (verify && hash_len > 0) {
        assert_int_equal(rspg_bp256_public(d, pub), 0);
        assert_int_equal(ossl_verify(pub, hash, hash_len, r, s), 1);
    }
}

/* a random scalar in [1, n-1] */
static void random_scalar(uint8_t d[32])
{
    uint8_t pub[65];
    do
        rng_bytes(d, 32);
    while (rspg_bp256_public(d, pub) != 0);
}

static void test_sign_random(void **state)
{
    uint8_t d[32], k[32], h[64];
    (void)state;
    for (int i = 0; i < 1000; i++) {
        random_scalar(d);
        random_scalar(k);
        rng_bytes(h, sizeof(h));
        check_sign(d, k, h, 32, 1);
    }
}

/* hash lengths 0 (e = 0), 1, 20 (SHA-1), 31, 32, 33, 48, 64 (truncated to 256 bits);
 * hashes 0, all-0xFF (e >= n, reduced) and exactly n (e = 0); d, k in {1, 2, n-1, n-2} */
static void test_sign_edge_cases(void **state)
{
    static const size_t lens[] = {0, 1, 20, 31, 32, 33, 48, 64};
    uint8_t d[32], k[32], h[64], nb[32], ext[4][32];
    (void)state;
    bp256_to_bytes(nb, bp256_n);
    memset(ext, 0, sizeof(ext));
    ext[0][31] = 1;
    ext[1][31] = 2;
    memcpy(ext[2], nb, 32);
    ext[2][31] -= 1;
    memcpy(ext[3], nb, 32);
    ext[3][31] -= 2;
    for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
        for (int i = 0; i < 20; i++) {
            random_scalar(d);
            random_scalar(k);
            rng_bytes(h, sizeof(h));
            check_sign(d, k, lens[l] ? h : NULL, lens[l], 1);
        }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            rng_bytes(h, 32);
            check_sign(ext[i], ext[j], h, 32, 1);
            memset(h, 0, 32);
            check_sign(ext[i], ext[j], h, 32, 1);
            memset(h, 0xFF, 64);
            check_sign(ext[i], ext[j], h, 64, 1);
            check_sign(ext[i], ext[j], nb, 32, 1);
        }
}

/* s = 0 when e = -d r mod n: refused (-1, r and s zeroed), as libcrypto's rule is */
static void test_sign_s_zero_refused(void **state)
{
    uint8_t d[32], k[32], r[32], s[32], e[32], wr[32], ws[32];
    BIGNUM *bd, *br, *be = BN_new();
    (void)state;
    random_scalar(d);
    random_scalar(k);
    memset(e, 0, 32);
    assert_int_equal(rspg_bp256_sign(d, k, e, 32, r, s), 0); /* r for this k */
    bd = bn32(d);
    br = bn32(r);
    assert_true(BN_mod_mul(be, bd, br, EC_GROUP_get0_order(grp), bctx));
    assert_true(BN_sub(be, EC_GROUP_get0_order(grp), be)); /* e = n - d r */
    assert_int_equal(BN_bn2binpad(be, e, 32), 32);
    assert_int_equal(ref_sign(d, k, e, 32, wr, ws), -1);
    memset(s, 0xEE, 32);
    assert_int_equal(rspg_bp256_sign(d, k, e, 32, r, s), -1);
    for (int i = 0; i < 32; i++) {
        assert_int_equal(r[i], 0);
        assert_int_equal(s[i], 0);
    }
    BN_free(bd);
    BN_free(br);
    BN_free(be);
}

static void test_sign_out_of_range(void **state)
{
    uint8_t ok[32], bad[4][32], h[32] = {1}, r[32], s[32];
    (void)state;
    random_scalar(ok);
    memset(bad, 0, sizeof(bad)); /* 0, n, n + 1, 2^256 - 1 */
    bp256_to_bytes(bad[1], bp256_n);
    bp256_to_bytes(bad[2], bp256_n);
    bad[2][31] += 1;
    memset(bad[3], 0xFF, 32);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rspg_bp256_sign(bad[i], ok, h, 32, r, s), -1);
        assert_int_equal(rspg_bp256_sign(ok, bad[i], h, 32, r, s), -1);
    }
    assert_int_equal(rspg_bp256_sign(ok, ok, NULL, 32, r, s), -1);
    assert_int_equal(rspg_bp256_sign(ok, ok, h, 32, r, s), 0);
}

/* rfc6979.c's signature (libcrypto path) == ours with rfc6979.c's nonce, byte for byte */
static void test_sign_matches_rfc6979(void **state)
{
    const BIGNUM *n = EC_GROUP_get0_order(grp);
    uint8_t d[32], h[32], k[32], r[32], s[32];
    (void)state;
    for (int i = 0; i < 200; i++) {
        unsigned char *der = NULL;
        const unsigned char *p;
        size_t der_len = 0;
        BIGNUM *bd, *bk = NULL;
        ECDSA_SIG *sig;
        const BIGNUM *wr, *ws;
        random_scalar(d);
        rng_bytes(h, 32);
        bd = bn32(d);
        assert_int_equal(rspg_rfc6979_sign(grp, bd, h, 32, &der, &der_len), 1);
        p = der;
        sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
        assert_non_null(sig);
        ECDSA_SIG_get0(sig, &wr, &ws);
        assert_int_equal(rspg_rfc6979_nonce(bd, n, h, 32, 0, &bk), 1);
        assert_int_equal(BN_bn2binpad(bk, k, 32), 32);
        assert_int_equal(rspg_bp256_sign(d, k, h, 32, r, s), 0);
        BIGNUM *gr = bn32(r), *gs = bn32(s);
        assert_int_equal(BN_cmp(gr, wr), 0);
        assert_int_equal(BN_cmp(gs, ws), 0);
        BN_free(gr);
        BN_free(gs);
        BN_free(bd);
        BN_clear_free(bk);
        ECDSA_SIG_free(sig);
        OPENSSL_free(der);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_first_use),
        cmocka_unit_test(test_constants_match_libcrypto),
        cmocka_unit_test(test_montgomery_constants),
        cmocka_unit_test(test_field_arithmetic),
        cmocka_unit_test(test_scalar_arithmetic),
        cmocka_unit_test(test_public_edge_scalars),
        cmocka_unit_test(test_public_table_scalars),
        cmocka_unit_test(test_public_out_of_range),
        cmocka_unit_test(test_reference_multiplication),
        cmocka_unit_test(test_public_random),
        cmocka_unit_test(test_sign_random),
        cmocka_unit_test(test_sign_edge_cases),
        cmocka_unit_test(test_sign_s_zero_refused),
        cmocka_unit_test(test_sign_out_of_range),
        cmocka_unit_test(test_sign_matches_rfc6979),
    };
    return cmocka_run_group_tests(tests, setup_groups, teardown_groups);
}
