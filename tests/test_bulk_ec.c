/*
 * test_bulk_ec.c: the bulk key generator and signer (crypto/bulk_ec.h). On
 * brainpoolP256r1 the bp256 engine must give exactly the libcrypto engine's derived keys and
 * RFC 6979 signatures (2,000 hashes: about 16 of them have an r or s with a leading zero
 * byte, which the DER must drop); random keys and random-nonce signatures must check out
 * under libcrypto; the engine is bp256 exactly for brainpoolP256r1 keys in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "rspg/crypto/bulk_ec.h"
#include "test_util.h"

#define SCALAR "1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff001"

static const uint8_t seed[] = {0x01, 0x02, 0x03};

static void test_derived_keys_match(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    const rspg_curve *brp = rspg_curve_find("brp");
    rspg_bulk_keygen *fast = rspg_bulk_keygen_new(brp, RSPG_EC_AUTO, &d);
    rspg_bulk_keygen *ref = rspg_bulk_keygen_new(brp, RSPG_EC_LIBCRYPTO, &d);
    assert_non_null(fast);
    assert_non_null(ref);
    assert_int_equal(rspg_bulk_keygen_fast(fast), 1);
    assert_int_equal(rspg_bulk_keygen_fast(ref), 0);
    for (int i = 0; i < 500; i++) {
        char label[32];
        uint8_t sk1[32], sk2[32], p1[133], p2[133];
        snprintf(label, sizeof(label), "euicc/%d", i);
        assert_int_equal(rspg_bulk_keygen_pair(fast, seed, sizeof(seed), label, sk1, p1), 65);
        assert_int_equal(rspg_bulk_keygen_pair(ref, seed, sizeof(seed), label, sk2, p2), 65);
        assert_memory_equal(sk1, sk2, 32);
        assert_memory_equal(p1, p2, 65);
    }
    rspg_bulk_keygen_free(fast);
    rspg_bulk_keygen_free(ref);
    rspg_diag_fini(&d);
}

/* PUB is SK * G on CURVE, by libcrypto. */
static int libcrypto_point_ok(const rspg_curve *curve, const uint8_t *sk, const uint8_t *pub,
                              size_t len)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(curve->nid);
    EC_POINT *p = EC_POINT_new(g);
    BIGNUM *k = BN_bin2bn(sk, (int)curve->field_bytes, NULL);
    uint8_t want[133];
    size_t n = EC_POINT_mul(g, p, k, NULL, NULL, NULL)
                   ? EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, want, 133, NULL)
                   : 0;
    int ok = n == len && memcmp(want, pub, n) == 0;
    BN_free(k);
    EC_POINT_free(p);
    EC_GROUP_free(g);
    return ok;
}

static void test_random_keys_are_on_the_curve(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    const char *names[] = {"brp", "nist"};
    for (int c = 0; c < 2; c++) {
        const rspg_curve *curve = rspg_curve_find(names[c]);
        rspg_bulk_keygen *g = rspg_bulk_keygen_new(curve, RSPG_EC_AUTO, &d);
        assert_non_null(g);
        assert_int_equal(rspg_bulk_keygen_fast(g), c == 0);
        uint8_t first[32];
        for (int i = 0; i < 200; i++) {
            uint8_t sk[32], pub[133];
            size_t n = rspg_bulk_keygen_pair(g, NULL, 0, "ignored", sk, pub);
            assert_int_equal(n, 65);
            assert_true(libcrypto_point_ok(curve, sk, pub, n));
            if (i == 0)
                memcpy(first, sk, 32);
            else
                assert_memory_not_equal(first, sk, 32);
        }
        rspg_bulk_keygen_free(g);
    }
    rspg_diag_fini(&d);
}

/* libcrypto's verdict on SIG over HASH under KEY. */
static int libcrypto_verify(const rspg_key *key, const uint8_t hash[32], const uint8_t *sig,
                            size_t len)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    int ok = c && EVP_PKEY_verify_init(c) > 0 && EVP_PKEY_verify(c, sig, len, hash, 32) == 1;
    EVP_PKEY_CTX_free(c);
    return ok;
}

static void test_rfc6979_signatures_match(void **state)
{
    (void)state;
    rspg_key key;
    tu_key_from_scalar("brainpoolP256r1", SCALAR, &key);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_bulk_signer *fast = rspg_bulk_signer_new(&key, RSPG_NONCE_RFC6979, RSPG_EC_AUTO, &d);
    rspg_bulk_signer *ref = rspg_bulk_signer_new(&key, RSPG_NONCE_RFC6979, RSPG_EC_LIBCRYPTO, &d);
    assert_non_null(fast);
    assert_non_null(ref);
    assert_int_equal(rspg_bulk_signer_fast(fast), 1);
    assert_int_equal(rspg_bulk_signer_fast(ref), 0);
    int short_ints = 0;
    for (int i = 0; i < 2000; i++) {
        uint8_t hash[32], s1[RSPG_BULK_SIG_MAX], s2[RSPG_BULK_SIG_MAX];
        if (i == 0)
            memset(hash, 0, sizeof(hash));
        else if (i == 1)
            memset(hash, 0xff, sizeof(hash)); /* e >= n: reduced mod n */
        else
            SHA256((const uint8_t *)&i, sizeof(i), hash);
        size_t n1 = rspg_bulk_sign(fast, hash, s1), n2 = rspg_bulk_sign(ref, hash, s2);
        assert_true(n1 > 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(s1, s2, n1);
        assert_true(libcrypto_verify(&key, hash, s1, n1));
        short_ints += n1 < 70; /* 70: two 32-byte INTEGERs without a 00 pad */
    }
    assert_true(short_ints > 0);
    rspg_bulk_signer_free(fast);
    rspg_bulk_signer_free(ref);
    rspg_key_free(&key);
    rspg_diag_fini(&d);
}

static void test_random_signatures_verify(void **state)
{
    (void)state;
    rspg_key key;
    tu_key_from_scalar("brainpoolP256r1", SCALAR, &key);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_bulk_signer *s = rspg_bulk_signer_new(&key, RSPG_NONCE_RANDOM, RSPG_EC_AUTO, &d);
    assert_non_null(s);
    uint8_t hash[32], a[RSPG_BULK_SIG_MAX], b[RSPG_BULK_SIG_MAX];
    memset(hash, 0x42, sizeof(hash));
    size_t na = rspg_bulk_sign(s, hash, a), nb = rspg_bulk_sign(s, hash, b);
    assert_true(na > 0 && nb > 0);
    assert_true(na != nb || memcmp(a, b, na) != 0); /* fresh nonces */
    for (int i = 0; i < 200; i++) {
        hash[i % 32] ^= (uint8_t)i;
        na = rspg_bulk_sign(s, hash, a);
        assert_true(libcrypto_verify(&key, hash, a, na));
    }
    rspg_bulk_signer_free(s);
    rspg_key_free(&key);
    rspg_diag_fini(&d);
}

static void test_engine_choice(void **state)
{
    (void)state;
    rspg_key nist, brp;
    tu_key_from_scalar("prime256v1", SCALAR, &nist);
    tu_key_from_scalar("brainpoolP256r1", SCALAR, &brp);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_bulk_signer *s = rspg_bulk_signer_new(&nist, RSPG_NONCE_RFC6979, RSPG_EC_AUTO, &d);
    assert_int_equal(rspg_bulk_signer_fast(s), 0);
    uint8_t hash[32] = {1}, sig[RSPG_BULK_SIG_MAX];
    size_t n = rspg_bulk_sign(s, hash, sig);
    assert_true(n > 0 && libcrypto_verify(&nist, hash, sig, n));
    rspg_bulk_signer_free(s);
    /* a token key: libcrypto with the token's random nonces, whatever was asked */
    brp.hsm = 1;
    s = rspg_bulk_signer_new(&brp, RSPG_NONCE_RFC6979, RSPG_EC_AUTO, &d);
    assert_int_equal(rspg_bulk_signer_fast(s), 0);
    uint8_t sig2[RSPG_BULK_SIG_MAX];
    n = rspg_bulk_sign(s, hash, sig);
    size_t n2 = rspg_bulk_sign(s, hash, sig2);
    assert_true(n > 0 && libcrypto_verify(&brp, hash, sig, n));
    assert_true(n != n2 || memcmp(sig, sig2, n) != 0);
    rspg_bulk_signer_free(s);
    /* no private part: refused with a reason */
    rspg_key pub = brp;
    pub.pkey = NULL;
    assert_null(rspg_bulk_signer_new(&pub, RSPG_NONCE_RFC6979, RSPG_EC_AUTO, &d));
    assert_true(d.errors > 0);
    rspg_key_free(&nist);
    rspg_key_free(&brp);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derived_keys_match),
        cmocka_unit_test(test_random_keys_are_on_the_curve),
        cmocka_unit_test(test_rfc6979_signatures_match),
        cmocka_unit_test(test_random_signatures_verify),
        cmocka_unit_test(test_engine_choice),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
