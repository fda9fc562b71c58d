/*
 * test_sign.c: ecdsa-with-SHA256 signing and verification (src/lib/sign.c). RFC 6979
 * signatures through rspg_sign equal the RFC 6979 appendix A SHA-256 vectors byte for byte
 * (P-256, P-192, P-384: the whole DER ECDSA-Sig-Value is pinned); on all five curves,
 * random and RFC 6979 signatures verify with rspg_verify_sig and with libcrypto directly,
 * RFC 6979 is deterministic (same key and message, same bytes) while random nonces differ,
 * signatures are minimal DER SEQUENCE { r, s } with 0 < r, s < n, and every flipped bit of
 * the message or the signature, a truncated or extended signature, a non-minimal one and a
 * signature checked with another key fail. Also: signing with a public-only key is refused,
 * signatures are appended to the caller's buffer, and OpenSSL's own signatures verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "test_util.h"

static const char *const all_curves[] = {"prime256v1", "brainpoolP256r1", "prime192v1",
                                         "brainpoolP192r1", "secp384r1"};
#define N_CURVES (sizeof(all_curves) / sizeof(all_curves[0]))

/* ---- helpers ------------------------------------------------------------------ */

static void assert_diag_has(const rspg_diag *d, const char *needle)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, needle) != NULL)
            return;
    print_error("no diagnostic contains '%s'; got %zu:\n", needle, d->count);
    for (size_t i = 0; i < d->count; i++)
        print_error("  %s\n", d->entries[i].message);
    fail();
}

/* An rspg_key on CURVE with the private scalar HEX. */
static void gen_key(const char *curve, rspg_key *k)
{
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_generate(rspg_curve_find(curve), &d, k), RSPG_OK);
    rspg_diag_fini(&d);
}

static void sign(const rspg_key *k, rspg_nonce nonce, const void *msg, size_t len, rspg_buf *sig)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_buf_init(sig);
    rspg_status rc = rspg_sign(k, nonce, msg, len, &d, sig);
    if (rc != RSPG_OK)
        for (size_t i = 0; i < d.count; i++)
            print_error("%s\n", d.entries[i].message);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
}

/* Checks that SIG is a minimal DER SEQUENCE { INTEGER r, INTEGER s } with 0 < r, s < n. */
static void check_sig_der(const rspg_key *k, const rspg_buf *sig)
{
    rspg_der_cursor c, in;
    rspg_der_tlv seq, r, s;
    rspg_der_cursor_init(&c, sig->data, sig->len);
    assert_int_equal(rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq), 0);
    assert_true(rspg_der_cursor_done(&c));
    rspg_der_cursor_init(&in, seq.value, seq.len);
    assert_int_equal(rspg_der_expect(&in, RSPG_DER_INTEGER, &r), 0);
    assert_int_equal(rspg_der_expect(&in, RSPG_DER_INTEGER, &s), 0);
    assert_true(rspg_der_cursor_done(&in));
    EC_GROUP *g = EC_GROUP_new_by_curve_name(k->curve->nid);
    assert_non_null(g);
    const rspg_der_tlv *v[2] = {&r, &s};
    for (int i = 0; i < 2; i++) {
        assert_true(v[i]->len >= 1);
        assert_true(v[i]->len <= k->curve->field_bytes + 1);
        assert_int_equal(v[i]->value[0] & 0x80, 0); /* positive */
        if (v[i]->len > 1) /* minimal: a leading 00 only before a byte with its top bit set */
            assert_false(v[i]->value[0] == 0 && (v[i]->value[1] & 0x80) == 0);
        BIGNUM *bn = BN_bin2bn(v[i]->value, (int)v[i]->len, NULL);
        assert_non_null(bn);
        assert_false(BN_is_zero(bn));
        assert_true(BN_cmp(bn, EC_GROUP_get0_order(g)) < 0);
        BN_free(bn);
    }
    EC_GROUP_free(g);
}

/* Verifies with libcrypto alone, from the SPKI DER (an independent path). */
static int openssl_verify(const rspg_key *k, const void *msg, size_t len, const rspg_buf *sig)
{
    rspg_buf spki;
    rspg_buf_init(&spki);
    rspg_key_spki_der(k, &spki);
    const unsigned char *p = spki.data;
    EVP_PKEY *pub = d2i_PUBKEY(NULL, &p, (long)spki.len);
    assert_non_null(pub);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    assert_non_null(m);
    assert_int_equal(EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, pub), 1);
    int ok = EVP_DigestVerify(m, sig->data, sig->len, msg, len) == 1;
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(pub);
    rspg_buf_free(&spki);
    return ok;
}

/* ---- known answers -------------------------------------------------------------- */

/* RFC 6979 appendix A, ECDSA with SHA-256 (A.2.5 P-256; A.2.3 P-192; A.2.6 P-384). */
static const struct {
    const char *curve, *x, *msg, *r, *s;
} vectors[] = {
    {"prime256v1", "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", "sample",
     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
    {"prime256v1", "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", "test",
     "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
     "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
    {"prime192v1", "6FAB034934E4C0FC9AE67F5B5659A9D7D1FEFD187EE09FD4", "sample",
     "4B0B8CE98A92866A2820E20AA6B75B56382E0F9BFD5ECB55",
     "CCDB006926EA9565CBADC840829D8C384E06DE1F1E381B85"},
    {"prime192v1", "6FAB034934E4C0FC9AE67F5B5659A9D7D1FEFD187EE09FD4", "test",
     "3A718BD8B4926C3B52EE6BBE67EF79B18CB6EB62B1AD97AE",
     "5662E6848A4A19B1F1AE2F72ACD4B8BBE50F1EAC65D9124F"},
    {"secp384r1",
     "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2E"
     "DF5",
     "sample",
     "21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB"
     "2CD",
     "F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0"
     "AB0"},
};

static void test_rfc6979_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        rspg_key k;
        rspg_buf sig, r, s, want;
        tu_key_from_scalar(vectors[i].curve, vectors[i].x, &k);
        sign(&k, RSPG_NONCE_RFC6979, vectors[i].msg, strlen(vectors[i].msg), &sig);

        /* the expected DER: SEQUENCE { INTEGER r, INTEGER s } */
        rspg_buf_init(&r);
        rspg_buf_init(&s);
        rspg_buf_init(&want);
        assert_int_equal(rspg_unhex(vectors[i].r, &r), 0);
        assert_int_equal(rspg_unhex(vectors[i].s, &s), 0);
        size_t m = rspg_der_begin(&want, RSPG_DER_SEQUENCE);
        rspg_der_put_uint_bytes(&want, r.data, r.len);
        rspg_der_put_uint_bytes(&want, s.data, s.len);
        rspg_der_end(&want, m);
        char *got_hex = rspg_hex(sig.data, sig.len), *want_hex = rspg_hex(want.data, want.len);
        assert_string_equal(got_hex, want_hex);
        free(got_hex);
        free(want_hex);
        assert_int_equal(rspg_verify_sig(&k, (const uint8_t *)vectors[i].msg,
                                         strlen(vectors[i].msg), sig.data, sig.len),
                         1);
        rspg_buf_free(&r);
        rspg_buf_free(&s);
        rspg_buf_free(&want);
        rspg_buf_free(&sig);
        rspg_key_free(&k);
    }
}

/* ---- all curves ----------------------------------------------------------------- */

static void test_sign_verify_all_curves(void **state)
{
    uint8_t big[1000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7 + 3);
    const struct {
        const void *p;
        size_t n;
    } msgs[] = {{"", 0}, {"abc", 3}, {big, sizeof(big)}};
    (void)state;

    for (size_t c = 0; c < N_CURVES; c++) {
        rspg_key k, other;
        gen_key(all_curves[c], &k);
        gen_key(all_curves[c], &other);
        for (size_t m = 0; m < sizeof(msgs) / sizeof(msgs[0]); m++) {
            rspg_buf r1, r2, d1, d2, o1;
            sign(&k, RSPG_NONCE_RANDOM, msgs[m].p, msgs[m].n, &r1);
            sign(&k, RSPG_NONCE_RANDOM, msgs[m].p, msgs[m].n, &r2);
            sign(&k, RSPG_NONCE_RFC6979, msgs[m].p, msgs[m].n, &d1);
            sign(&k, RSPG_NONCE_RFC6979, msgs[m].p, msgs[m].n, &d2);
            sign(&other, RSPG_NONCE_RFC6979, msgs[m].p, msgs[m].n, &o1);
            const rspg_buf *all[] = {&r1, &r2, &d1, &d2};
            for (size_t j = 0; j < 4; j++) {
                check_sig_der(&k, all[j]);
                assert_int_equal(
                    rspg_verify_sig(&k, msgs[m].p, msgs[m].n, all[j]->data, all[j]->len), 1);
                assert_int_equal(openssl_verify(&k, msgs[m].p, msgs[m].n, all[j]), 1);
                /* not with another key */
                assert_int_equal(
                    rspg_verify_sig(&other, msgs[m].p, msgs[m].n, all[j]->data, all[j]->len), 0);
            }
            /* RFC 6979 is deterministic; random nonces are not */
            assert_int_equal(d1.len, d2.len);
            assert_memory_equal(d1.data, d2.data, d1.len);
            assert_false(r1.len == r2.len && memcmp(r1.data, r2.data, r1.len) == 0);
            /* the deterministic nonce depends on the key */
            assert_false(o1.len == d1.len && memcmp(o1.data, d1.data, d1.len) == 0);
            rspg_buf_free(&r1);
            rspg_buf_free(&r2);
            rspg_buf_free(&d1);
            rspg_buf_free(&d2);
            rspg_buf_free(&o1);
        }
        /* and on the message */
        rspg_buf a, b;
        sign(&k, RSPG_NONCE_RFC6979, "abc", 3, &a);
        sign(&k, RSPG_NONCE_RFC6979, "abd", 3, &b);
        assert_false(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        rspg_buf_free(&a);
        rspg_buf_free(&b);
        rspg_key_free(&other);
        rspg_key_free(&k);
    }
}

/* Every flipped bit of the message or of the signature breaks it. */
static void test_tampering(void **state)
{
    static const char msg[] = "TBSCertificate stand-in";
    (void)state;
    for (size_t c = 0; c < N_CURVES; c++) {
        for (int nonce = 0; nonce < 2; nonce++) {
            rspg_key k;
            rspg_buf sig;
            uint8_t m[sizeof(msg) - 1];
            gen_key(all_curves[c], &k);
            sign(&k, (rspg_nonce)nonce, msg, sizeof(m), &sig);
            memcpy(m, msg, sizeof(m));
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len), 1);

            for (size_t i = 0; i < sizeof(m); i += 5) {
                for (int bit = 0; bit < 8; bit++) {
                    m[i] ^= (uint8_t)(1u << bit);
                    assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len), 0);
                    m[i] ^= (uint8_t)(1u << bit);
                }
            }
            /* every bit on the two RSP curves, one bit per byte on the others */
            for (size_t i = 0; i < sig.len; i++) {
                for (int bit = c < 2 ? 0 : (int)(i % 8); bit < (c < 2 ? 8 : (int)(i % 8) + 1);
                     bit++) {
                    sig.data[i] ^= (uint8_t)(1u << bit);
                    if (rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len) != 0)
                        print_error("%s: flipping bit %d of byte %zu still verifies\n",
                                    all_curves[c], bit, i);
                    assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len), 0);
                    sig.data[i] ^= (uint8_t)(1u << bit);
                }
            }
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len), 1);
            /* truncated, extended, empty */
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len - 1), 0);
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, 0), 0);
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m) - 1, sig.data, sig.len), 0);
            rspg_buf_push(&sig, 0x00);
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), sig.data, sig.len), 0);
            sig.len--;

            /* a non-minimal re-encoding of the same (r, s): an extra 00 before r */
            rspg_der_cursor cur, in;
            rspg_der_tlv seq, r, s;
            rspg_der_cursor_init(&cur, sig.data, sig.len);
            assert_int_equal(rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq), 0);
            rspg_der_cursor_init(&in, seq.value, seq.len);
            assert_int_equal(rspg_der_expect(&in, RSPG_DER_INTEGER, &r), 0);
            assert_int_equal(rspg_der_expect(&in, RSPG_DER_INTEGER, &s), 0);
            rspg_buf bad;
            rspg_buf_init(&bad);
            size_t mk = rspg_der_begin(&bad, RSPG_DER_SEQUENCE);
            rspg_buf_push(&bad, RSPG_DER_INTEGER);
            rspg_der_put_len(&bad, r.len + 1);
            rspg_buf_push(&bad, 0x00);
            rspg_buf_append(&bad, r.value, r.len);
            rspg_buf_append(&bad, s.hdr, s.hdr_len + s.len);
            rspg_der_end(&bad, mk);
            assert_int_equal(rspg_verify_sig(&k, m, sizeof(m), bad.data, bad.len), 0);
            rspg_buf_free(&bad);

            rspg_buf_free(&sig);
            rspg_key_free(&k);
        }
    }
}

/* ---- odds and ends -------------------------------------------------------------- */

static void test_public_only_key_refused(void **state)
{
    rspg_key k, pub;
    rspg_diag d;
    rspg_buf sig;
    (void)state;
    gen_key("prime256v1", &k);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_from_public(k.curve, k.pub, k.pub_len, &d, &pub), RSPG_OK);
    /* no EVP_PKEY at all */
    rspg_key none = k;
    none.pkey = NULL;
    rspg_buf_init(&sig);
    assert_int_equal(rspg_sign(&none, RSPG_NONCE_RANDOM, (const uint8_t *)"x", 1, &d, &sig),
                     RSPG_E_USAGE);
    assert_diag_has(&d, "no private key to sign with");
    assert_int_equal(sig.len, 0);
    assert_int_equal(
        rspg_verify_sig(&none, (const uint8_t *)"x", 1, (const uint8_t *)"\x30\x00", 2), 0);
    /* a public-only EVP_PKEY: signing fails cleanly, whichever nonce */
    rspg_diag_fini(&d);
    rspg_diag_init(&d);
    assert_int_not_equal(rspg_sign(&pub, RSPG_NONCE_RANDOM, (const uint8_t *)"x", 1, &d, &sig),
                         RSPG_OK);
    assert_int_not_equal(rspg_sign(&pub, RSPG_NONCE_RFC6979, (const uint8_t *)"x", 1, &d, &sig),
                         RSPG_OK);
    assert_int_equal(d.errors, 2);
    assert_int_equal(sig.len, 0);
    rspg_buf_free(&sig);
    rspg_key_free(&pub);
    rspg_key_free(&k);
    rspg_diag_fini(&d);
}

static void test_appends(void **state)
{
    rspg_key k;
    rspg_diag d;
    (void)state;
    gen_key("brainpoolP256r1", &k);
    rspg_diag_init(&d);
    for (int nonce = 0; nonce < 2; nonce++) {
        rspg_buf sig, alone;
        rspg_buf_init(&sig);
        rspg_buf_puts(&sig, "prefix");
        assert_int_equal(rspg_sign(&k, (rspg_nonce)nonce, (const uint8_t *)"m", 1, &d, &sig),
                         RSPG_OK);
        assert_memory_equal(sig.data, "prefix", 6);
        assert_int_equal(sig.data[6], 0x30);
        assert_int_equal(rspg_verify_sig(&k, (const uint8_t *)"m", 1, sig.data + 6, sig.len - 6),
                         1);
        if (nonce == RSPG_NONCE_RFC6979) {
            rspg_buf_init(&alone);
            assert_int_equal(rspg_sign(&k, RSPG_NONCE_RFC6979, (const uint8_t *)"m", 1, &d, &alone),
                             RSPG_OK);
            assert_int_equal(alone.len, sig.len - 6);
            assert_memory_equal(alone.data, sig.data + 6, alone.len);
            rspg_buf_free(&alone);
        }
        rspg_buf_free(&sig);
    }
    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
    rspg_key_free(&k);
}

/* Signatures made by libcrypto itself verify with rspg_verify_sig. */
static void test_verifies_openssl_signatures(void **state)
{
    (void)state;
    for (size_t c = 0; c < N_CURVES; c++) {
        rspg_key k;
        unsigned char sig[160];
        size_t n = sizeof(sig);
        gen_key(all_curves[c], &k);
        EVP_MD_CTX *m = EVP_MD_CTX_new();
        assert_non_null(m);
        assert_int_equal(EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, k.pkey), 1);
        assert_int_equal(EVP_DigestSign(m, sig, &n, (const unsigned char *)"hello", 5), 1);
        EVP_MD_CTX_free(m);
        assert_int_equal(rspg_verify_sig(&k, (const uint8_t *)"hello", 5, sig, n), 1);
        assert_int_equal(rspg_verify_sig(&k, (const uint8_t *)"hellO", 5, sig, n), 0);
        rspg_key_free(&k);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6979_known_answers),
        cmocka_unit_test(test_sign_verify_all_curves),
        cmocka_unit_test(test_tampering),
        cmocka_unit_test(test_public_only_key_refused),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_verifies_openssl_signatures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
