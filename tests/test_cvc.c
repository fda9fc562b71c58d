/*
 * test_cvc.c: SGP.02 card-verifiable certificates (GP '7F21'; src/lib/cvc*.c).
 *
 * - A certificate built from fixed inputs (the RFC 6979 A.2.5 P-256 key as the CI, a fixed
 *   subject scalar, RFC 6979 nonces) equals, byte for byte, the TLV string written out below
 *   (computed independently: Python `cryptography` with OpenSSL's deterministic ECDSA).
 * - It decodes back into its fields; its r||s signature verifies under the CI public key
 *   through libcrypto alone (ECDSA_SIG from r||s, EVP_DigestVerify over 93..7F49).
 * - Flipping any byte (every position, one at a time) makes verification fail; flipping
 *   any byte of the signed part makes libcrypto's check of the signed bytes fail too.
 * - Two third-party SGP.02 certificates (WHTY's SM-SR and SM-DP test vectors) decode and
 *   verify, and the encoder writes their signed part byte for byte from the same fields.
 * - The strict decoder refuses every malformed form tried; dates count whole days.
 * - profiles/sgp02.yaml builds, every card certificate verifies under its issuer's key (the
 *   CI or the EUM, read from the built X.509 files) with the defaults documented in
 *   docs/sgp02-cvc.md; the loader checks the `cvc:` key and the SGP.02 roles' rules;
 *   `show`, `verify FILE --ci` and `verify DIR` work on the built folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/check/show.h"
#include "rspg/crypto/key.h"
#include "rspg/issue/build.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/profile/profile.h"
#include "rspg/sgp02/cvc.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

/* ---- the fixed vector ---------------------------------------------------------- */

/* RFC 6979 A.2.5: the P-256 private key (its public key is Ux/Uy of A.2.5). */
#define CI_SCALAR "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"
#define SUBJECT_SCALAR "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20"

/* SHA-1 of the CI point 04||Ux||Uy (RFC 5280 §4.2.1.2 method 1) */
static const uint8_t ci_ski[20] = {0x1A, 0x95, 0x69, 0x57, 0x9B, 0xCE, 0x32, 0x9A, 0x94, 0x2D,
                                   0x07, 0x69, 0xC9, 0xC0, 0xB5, 0x64, 0x31, 0x56, 0x37, 0x10};

static const uint8_t expected[] = {
    /* 7F21 81 E9: the certificate, 233 bytes of value */
    0x7F,
    0x21,
    0x81,
    0xE9,
    /* 93 02: certificate serial number 0100 */
    0x93,
    0x02,
    0x01,
    0x00,
    /* 42 14: CA identifier = the CI's SKI */
    0x42,
    0x14,
    0x1A,
    0x95,
    0x69,
    0x57,
    0x9B,
    0xCE,
    0x32,
    0x9A,
    0x94,
    0x2D,
    0x07,
    0x69,
    0xC9,
    0xC0,
    0xB5,
    0x64,
    0x31,
    0x56,
    0x37,
    0x10,
    /* 5F20 14: subject identifier = SHA-1 of the subject point */
    0x5F,
    0x20,
    0x14,
    0xBB,
    0xA7,
    0x3C,
    0xBE,
    0x89,
    0x2E,
    0x7B,
    0x39,
    0xDF,
    0x5C,
    0x59,
    0xBE,
    0x4A,
    0x63,
    0x87,
    0x06,
    0x38,
    0xA2,
    0x40,
    0xB8,
    /* 95 01: key usage 88 (what SGP.02 implementations write for SM-DP/SM-SR) */
    0x95,
    0x01,
    0x88,
    /* 5F25 04: effective date 2025-01-01, BCD YYYYMMDD */
    0x5F,
    0x25,
    0x04,
    0x20,
    0x25,
    0x01,
    0x01,
    /* 5F24 04: expiration date 2035-01-01 */
    0x5F,
    0x24,
    0x04,
    0x20,
    0x35,
    0x01,
    0x01,
    /* 73 19: discretionary data */
    0x73,
    0x19,
    /*   C8 01: certificate type 01 = SM-DP */
    0xC8,
    0x01,
    0x01,
    /*   C9 14: the CI's key identifier */
    0xC9,
    0x14,
    0x1A,
    0x95,
    0x69,
    0x57,
    0x9B,
    0xCE,
    0x32,
    0x9A,
    0x94,
    0x2D,
    0x07,
    0x69,
    0xC9,
    0xC0,
    0xB5,
    0x64,
    0x31,
    0x56,
    0x37,
    0x10,
    /* 7F49 46: public key */
    0x7F,
    0x49,
    0x46,
    /*   B0 41: uncompressed point 04 || X || Y */
    0xB0,
    0x41,
    0x04,
    0x51,
    0x5C,
    0x3D,
    0x6E,
    0xB9,
    0xE3,
    0x96,
    0xB9,
    0x04,
    0xD3,
    0xFE,
    0xCA,
    0x7F,
    0x54,
    0xFD,
    0xCD,
    0x0C,
    0xC1,
    0xE9,
    0x97,
    0xBF,
    0x37,
    0x5D,
    0xCA,
    0x51,
    0x5A,
    0xD0,
    0xA6,
    0xC3,
    0xB4,
    0x03,
    0x5F,
    0x45,
    0x36,
    0xBE,
    0x3A,
    0x50,
    0xF3,
    0x18,
    0xFB,
    0xF9,
    0xA5,
    0x47,
    0x59,
    0x02,
    0xA2,
    0x21,
    0x50,
    0x2B,
    0xEF,
    0x0D,
    0x57,
    0xE0,
    0x8C,
    0x53,
    0xB2,
    0xCC,
    0x0A,
    0x56,
    0xF1,
    0x7D,
    0x9F,
    0x93,
    0x54,
    /*   F0 01: key parameter reference 00 = P-256 */
    0xF0,
    0x01,
    0x00,
    /* 5F37 40: signature r || s (ECDSA-SHA256 over bytes 4..169, RFC 6979 nonce) */
    0x5F,
    0x37,
    0x40,
    0x10,
    0xB8,
    0x3A,
    0x8E,
    0x3A,
    0xEA,
    0x91,
    0x7E,
    0x65,
    0xA8,
    0xFB,
    0xF1,
    0xEC,
    0x2C,
    0x2E,
    0x95,
    0x7F,
    0xAC,
    0xE0,
    0x50,
    0x75,
    0x36,
    0x78,
    0xEE,
    0xD5,
    0x39,
    0x97,
    0x51,
    0x1F,
    0xA4,
    0x58,
    0x04,
    0x86,
    0xCC,
    0x38,
    0xB9,
    0xBA,
    0x7B,
    0xCE,
    0x7D,
    0x56,
    0x53,
    0x87,
    0xCB,
    0x95,
    0xB8,
    0x60,
    0x49,
    0xE2,
    0x97,
    0xE9,
    0xFC,
    0x58,
    0xAD,
    0x7A,
    0x8A,
    0x01,
    0x47,
    0x8E,
    0x5D,
    0x23,
    0x0C,
    0xFD,
    0x96,
};

#define SIGNED_OFF 4   /* after 7F21 81 E9 */
#define SIGNED_LEN 166 /* 93 .. end of 7F49 */
#define SIG_OFF 173    /* the r||s value */

/* ---- helpers ------------------------------------------------------------------- */

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_error("  %s\n", d->entries[i].message);
}

/* An rspg_key on CURVE with the private scalar HEX. */
/* A public-only EVP_PKEY on prime256v1 from an uncompressed point, without rsp-pkigen. */
static EVP_PKEY *libcrypto_public(const uint8_t *pub, size_t len)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *pkey = NULL;
    assert_int_equal(
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, len), 1);
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params), 1);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* libcrypto alone: ECDSA_SIG from r||s (32 + 32 bytes), DER, EVP_DigestVerify(SHA-256). */
static int libcrypto_verify(EVP_PKEY *pkey, const uint8_t *msg, size_t len, const uint8_t *rs)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, 32, NULL), *s = BN_bin2bn(rs + 32, 32, NULL);
    assert_int_equal(ECDSA_SIG_set0(sig, r, s), 1);
    unsigned char *der = NULL;
    int der_len = i2d_ECDSA_SIG(sig, &der);
    assert_true(der_len > 0);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, pkey), 1);
    int ok = EVP_DigestVerify(m, der, (size_t)der_len, msg, len) == 1;
    EVP_MD_CTX_free(m);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return ok;
}

static const rspg_cvc_item fixed_items[] = {
    {RSPG_CVC_TAG_CERT_TYPE, (const uint8_t *)"\x01", 1},
    {RSPG_CVC_TAG_CI_KEY_ID, ci_ski, sizeof(ci_ski)},
};

static rspg_cvc_fields fixed_fields(const rspg_key *subject)
{
    static const uint8_t serial[] = {0x01, 0x00}, ku[] = {0x88};
    rspg_cvc_fields f;
    memset(&f, 0, sizeof(f));
    f.serial = serial;
    f.serial_len = sizeof(serial);
    f.ca_id = ci_ski;
    f.ca_id_len = sizeof(ci_ski);
    f.subject_id = subject->ski;
    f.subject_id_len = sizeof(subject->ski);
    f.key_usage = ku;
    f.key_usage_len = sizeof(ku);
    f.has_effective = 1;
    f.effective = (rspg_cvc_date){2025, 1, 1};
    f.expiration = (rspg_cvc_date){2035, 1, 1};
    f.has_discretionary = 1;
    f.discretionary = fixed_items;
    f.n_discretionary = 2;
    return f;
}

static void hex_mismatch(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
    char *g = rspg_hex(got, got_len), *w = rspg_hex(want, want_len);
    print_error("got:  %s\nwant: %s\n", g, w);
    free(g);
    free(w);
    fail();
}

/* ---- the fixed vector: encode, decode, verify ----------------------------------- */

static void test_encode_fixed_vector(void **state)
{
    (void)state;
    rspg_key ci, subject;
    tu_key_from_scalar("prime256v1", CI_SCALAR, &ci);
    tu_key_from_scalar("prime256v1", SUBJECT_SCALAR, &subject);
    assert_memory_equal(ci.ski, ci_ski, sizeof(ci_ski));
    rspg_cvc_fields f = fixed_fields(&subject);
    rspg_diag d;
    rspg_buf out, body;
    rspg_diag_init(&d);
    rspg_buf_init(&out);
    rspg_buf_init(&body);
    rspg_status rc = rspg_cvc_encode(&f, &subject, &ci, RSPG_NONCE_RFC6979, &d, &out);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    if (out.len != sizeof(expected) || memcmp(out.data, expected, out.len) != 0)
        hex_mismatch(out.data, out.len, expected, sizeof(expected));
    /* the body alone is the signed part of the expected bytes */
    assert_int_equal(rspg_cvc_encode_body(&f, &subject, &d, &body), RSPG_OK);
    assert_int_equal(body.len, SIGNED_LEN);
    assert_memory_equal(body.data, expected + SIGNED_OFF, SIGNED_LEN);
    /* RFC 6979: the same again; a random nonce gives another signature over the same body */
    rspg_buf again, rnd;
    rspg_buf_init(&again);
    rspg_buf_init(&rnd);
    assert_int_equal(rspg_cvc_encode(&f, &subject, &ci, RSPG_NONCE_RFC6979, &d, &again), RSPG_OK);
    assert_int_equal(rspg_cvc_encode(&f, &subject, &ci, RSPG_NONCE_RANDOM, &d, &rnd), RSPG_OK);
    assert_memory_equal(again.data, expected, sizeof(expected));
    assert_int_equal(rnd.len, sizeof(expected));
    assert_memory_equal(rnd.data, expected, SIG_OFF);
    assert_memory_not_equal(rnd.data + SIG_OFF, expected + SIG_OFF, 64);
    rspg_cvc c;
    assert_int_equal(rspg_cvc_decode(rnd.data, rnd.len, &c, NULL), 0);
    assert_true(rspg_cvc_verify_signature(&c, &ci));
    rspg_buf_free(&again);
    rspg_buf_free(&rnd);
    rspg_buf_free(&out);
    rspg_buf_free(&body);
    rspg_diag_fini(&d);
    rspg_key_free(&ci);
    rspg_key_free(&subject);
}

static void test_decode_fixed_vector(void **state)
{
    (void)state;
    rspg_cvc c;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_cvc_decode(expected, sizeof(expected), &c, &d);
    if (rc != RSPG_OK)
        print_error("%s\n", d.entries[0].message);
    rspg_diag_fini(&d);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(c.cert.tag, 0x7F21);
    assert_int_equal(c.cert.hdr_len, 4);
    assert_int_equal(c.cert.len, 233);
    assert_int_equal(c.serial.len, 2);
    assert_memory_equal(c.serial.value, "\x01\x00", 2);
    assert_int_equal(c.ca_id.len, 20);
    assert_memory_equal(c.ca_id.value, ci_ski, 20);
    assert_int_equal(c.subject_id.tag, 0x5F20);
    assert_int_equal(c.subject_id.len, 20);
    assert_int_equal(c.key_usage.len, 1);
    assert_int_equal(c.key_usage.value[0], 0x88);
    assert_true(c.has_effective);
    assert_int_equal(c.effective_date.year, 2025);
    assert_int_equal(c.effective_date.month, 1);
    assert_int_equal(c.effective_date.day, 1);
    assert_int_equal(c.expiration_date.year, 2035);
    assert_false(c.has_sd_image);
    assert_true(c.has_discretionary);
    assert_int_equal(c.discretionary.tag, 0x73);
    assert_int_equal(c.n_items, 2);
    assert_int_equal(c.items[0].tag, 0xC8);
    assert_int_equal(c.items[0].value[0], 0x01);
    assert_int_equal(c.items[1].tag, 0xC9);
    assert_memory_equal(c.items[1].value, ci_ski, 20);
    assert_int_equal(c.point.len, 65);
    assert_memory_equal(c.point.value, expected + 102, 65);
    assert_int_equal(c.key_param.len, 1);
    assert_int_equal(c.key_param.value[0], 0x00);
    assert_non_null(c.curve);
    assert_string_equal(c.curve->name, "prime256v1");
    assert_int_equal(c.signature.len, 64);
    assert_ptr_equal(c.signature.value, expected + SIG_OFF);
    assert_ptr_equal(c.signed_data, expected + SIGNED_OFF);
    assert_int_equal(c.signed_len, SIGNED_LEN);
    assert_int_equal(c.n_fields, 9); /* 93 42 5F20 95 5F25 5F24 73 7F49 5F37 */
    static const unsigned order[] = {0x93,   0x42, 0x5F20, 0x95,  0x5F25,
                                     0x5F24, 0x73, 0x7F49, 0x5F37};
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(c.fields[i].tag, order[i]);
    assert_string_equal(rspg_cvc_kind(&c), "sm-dp");
}

static void test_libcrypto_verifies_fixed_vector(void **state)
{
    (void)state;
    /* the CI public key 04||Ux||Uy of RFC 6979 A.2.5 */
    uint8_t pub[65];
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(rspg_unhex("0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                                "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
                                &b),
                     0);
    memcpy(pub, b.data, sizeof(pub));
    rspg_buf_free(&b);
    uint8_t h[20];
    SHA1(pub, sizeof(pub), h);
    assert_memory_equal(h, ci_ski, 20);
    EVP_PKEY *pkey = libcrypto_public(pub, sizeof(pub));
    assert_true(libcrypto_verify(pkey, expected + SIGNED_OFF, SIGNED_LEN, expected + SIG_OFF));
    /* including the 7F21 header is not what is signed */
    assert_false(libcrypto_verify(pkey, expected, SIGNED_OFF + SIGNED_LEN, expected + SIG_OFF));
    EVP_PKEY_free(pkey);
}

static void test_flip_every_byte_fails(void **state)
{
    (void)state;
    rspg_key ci;
    tu_key_from_scalar("prime256v1", CI_SCALAR, &ci);
    EVP_PKEY *pkey = libcrypto_public(ci.pub, ci.pub_len);
    rspg_cvc_issuer iss = {&ci, ci.ski, sizeof(ci.ski), "CI"};
    rspg_cvc_verdict v;
    int64_t at = rspg_cvc_date_start((rspg_cvc_date){2030, 6, 1});
    rspg_cvc_verify(expected, sizeof(expected), &iss, 1, at, &v);
    assert_true(v.valid);
    assert_int_equal(v.issuer, 0);
    uint8_t m[sizeof(expected)];
    size_t decoded = 0;
    static const uint8_t masks[] = {0x01, 0x80, 0xFF};
    for (size_t pos = 0; pos < sizeof(expected); pos++) {
        for (size_t k = 0; k < sizeof(masks); k++) {
            memcpy(m, expected, sizeof(m));
            m[pos] ^= masks[k];
            rspg_cvc_verify(m, sizeof(m), &iss, 1, at, &v);
            if (v.valid)
                fail_msg("flipping byte %zu with %02X still verifies", pos, masks[k]);
            rspg_cvc c;
            if (rspg_cvc_decode(m, sizeof(m), &c, NULL) == 0) {
                decoded++;
                assert_false(rspg_cvc_verify_signature(&c, &ci));
            }
            if (pos >= SIGNED_OFF && pos < SIGNED_OFF + SIGNED_LEN &&
                libcrypto_verify(pkey, m + SIGNED_OFF, SIGNED_LEN, m + SIG_OFF))
                fail_msg("libcrypto accepts the signed part with byte %zu flipped", pos);
        }
    }
    /* most flips leave the TLV structure intact: the signature is what catches them */
    assert_true(decoded > sizeof(expected));
    EVP_PKEY_free(pkey);
    rspg_key_free(&ci);
}

/* ---- third-party vectors ----------------------------------------------------------- */

/* WHTY (Wuhan Tianyu) SGP.02 SM-SR/SM-DP test code, package com.whty.euicc: the
 * CERT.SR.ECDSA of SrChangeAuthenticateSMSRTest.java and the CERT.DP.ECDSA of
 * PersonalISDPTest.java (without their STORE DATA / DGI 3A01 wrapping). They are signed by
 * the P-256 test CI key of FirstStoreDataforISDPApdu.java, whose public point is WHTY_CI.
 * (docs/gsma-cert-rules.md Addendum A.3; the code index did not name the repository.) */
static const char whty_sr[] =
    "7F2181A59301014201015F2001019501885F2404214501017303C801027F4946B041046466E042804FAAC48F83"
    "9EA53E85D0B8B93F2F015028A472F07F3227AF408170ACFB39D198BA7D0DCFF3DE5032A6CC8F6ACC84EF556BFE"
    "530DEC0FF75F2AF59AF001005F3740F1B7D2080AABCEE4EEE484130279F075CEF5A34C27AC87B0F8413DF8D354"
    "8A3C4666F06A812A079E740B1956566585F49F65D6A559F5C5B41C3795D1524A63DF";
static const char whty_dp[] =
    "7F2181A59301024201025F2001029501885F2404214501017303C801017F4946B041046466E042804FAAC48F83"
    "9EA53E85D0B8B93F2F015028A472F07F3227AF408170ACFB39D198BA7D0DCFF3DE5032A6CC8F6ACC84EF556BFE"
    "530DEC0FF75F2AF59AF001005F3740F7BA7DE1E625D5721A5756F9B9D8D1A25D1667300801BE063AE1FED8CA9E"
    "0107B12F00500EEE49D82A5065542E0A38FDD86E276A804BF859CB5528C0457CC830";
#define WHTY_CI                                                                                    \
    "04F5D2FFB5293ED953053DAF0865F7FCAEE9790216AD861246777B3CCBE4077BA261BB8A999DD9D56F987E5AC854" \
    "8"                                                                                            \
    "AFBA5B11A91A786ACFCA4982B18C5192D15CA"

static void test_third_party_vectors(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_key ci;
    rspg_buf pt, sr, dp;
    rspg_diag_init(&d);
    rspg_buf_init(&pt);
    rspg_buf_init(&sr);
    rspg_buf_init(&dp);
    assert_int_equal(rspg_unhex(WHTY_CI, &pt), 0);
    assert_int_equal(rspg_key_from_public(rspg_curve_find("prime256v1"), pt.data, pt.len, &d, &ci),
                     RSPG_OK);
    assert_int_equal(rspg_cvc_load((const uint8_t *)whty_sr, strlen(whty_sr), &sr), 0);
    assert_int_equal(rspg_cvc_load((const uint8_t *)whty_dp, strlen(whty_dp), &dp), 0);
    rspg_cvc_issuer iss = {&ci, NULL, 0, "WHTY CI"};
    rspg_cvc_verdict v;
    int64_t at = rspg_cvc_date_start((rspg_cvc_date){2030, 1, 1});
    rspg_cvc_verify(sr.data, sr.len, &iss, 1, at, &v);
    if (!v.valid)
        fail_msg("WHTY SM-SR: %s [%s]", v.message, v.check);
    assert_string_equal(v.kind, "sm-sr");
    rspg_cvc_verify(dp.data, dp.len, &iss, 1, at, &v);
    if (!v.valid)
        fail_msg("WHTY SM-DP: %s [%s]", v.message, v.check);
    assert_string_equal(v.kind, "sm-dp");
    /* the libcrypto-only check agrees */
    rspg_cvc c;
    assert_int_equal(rspg_cvc_decode(sr.data, sr.len, &c, NULL), 0);
    EVP_PKEY *pkey = libcrypto_public(pt.data, pt.len);
    assert_true(libcrypto_verify(pkey, c.signed_data, c.signed_len, c.signature.value));
    EVP_PKEY_free(pkey);
    assert_false(c.has_effective);
    assert_int_equal(c.expiration_date.year, 2145);
    /* the encoder writes WHTY's signed part byte for byte from the same fields */
    rspg_key subject;
    assert_int_equal(rspg_key_from_public(c.curve, c.point.value, c.point.len, &d, &subject),
                     RSPG_OK);
    static const uint8_t one[] = {0x01}, ku[] = {0x88};
    static const rspg_cvc_item sr_type = {RSPG_CVC_TAG_CERT_TYPE, (const uint8_t *)"\x02", 1};
    rspg_cvc_fields f;
    memset(&f, 0, sizeof(f));
    f.serial = f.ca_id = f.subject_id = one;
    f.serial_len = f.ca_id_len = f.subject_id_len = 1;
    f.key_usage = ku;
    f.key_usage_len = 1;
    f.expiration = (rspg_cvc_date){2145, 1, 1};
    f.has_discretionary = 1;
    f.discretionary = &sr_type;
    f.n_discretionary = 1;
    rspg_buf body;
    rspg_buf_init(&body);
    assert_int_equal(rspg_cvc_encode_body(&f, &subject, &d, &body), RSPG_OK);
    if (body.len != c.signed_len || memcmp(body.data, c.signed_data, body.len) != 0)
        hex_mismatch(body.data, body.len, c.signed_data, c.signed_len);
    rspg_buf_free(&body);
    rspg_key_free(&subject);
    rspg_key_free(&ci);
    rspg_buf_free(&pt);
    rspg_buf_free(&sr);
    rspg_buf_free(&dp);
    rspg_diag_fini(&d);
}

/* ---- strict decoding ------------------------------------------------------------- */

static void expect_bad(const uint8_t *p, size_t n, const char *needle)
{
    rspg_cvc c;
    rspg_diag d;
    rspg_diag_init(&d);
    if (rspg_cvc_decode(p, n, &c, &d) == RSPG_OK)
        fail_msg("decoded, but should fail with '%s'", needle);
    assert_int_equal(d.errors, 1);
    if (strstr(d.entries[0].message, needle) == NULL)
        fail_msg("'%s' does not contain '%s'", d.entries[0].message, needle);
    rspg_diag_fini(&d);
}

/* Rebuilds the fixed certificate with BODY as the 7F21 value (lengths recomputed). */
static void wrap(const uint8_t *body, size_t n, rspg_buf *out)
{
    rspg_buf_reset(out);
    rspg_buf_append(out, "\x7F\x21", 2);
    if (n < 0x80) {
        rspg_buf_push(out, (uint8_t)n);
    } else {
        rspg_buf_push(out, 0x81);
        rspg_buf_push(out, (uint8_t)n);
    }
    rspg_buf_append(out, body, n);
}

static void test_decode_is_strict(void **state)
{
    (void)state;
    const uint8_t *v = expected + 4; /* the 7F21 value */
    const size_t vn = sizeof(expected) - 4;
    rspg_buf b, body;
    rspg_buf_init(&b);
    rspg_buf_init(&body);

    /* every proper prefix fails */
    for (size_t n = 0; n < sizeof(expected); n++) {
        rspg_cvc c;
        assert_int_not_equal(rspg_cvc_decode(expected, n, &c, NULL), 0);
    }
    /* a byte after the certificate */
    rspg_buf_append(&b, expected, sizeof(expected));
    rspg_buf_push(&b, 0x00);
    expect_bad(b.data, b.len, "after the certificate");
    /* not 7F21 */
    rspg_buf_reset(&b);
    rspg_buf_append(&b, expected, sizeof(expected));
    b.data[1] = 0x4E;
    expect_bad(b.data, b.len, "is not 7F21");
    /* non-minimal lengths: 82 00 E9 and 81 02 for 93 */
    rspg_buf_reset(&b);
    rspg_buf_append(&b, "\x7F\x21\x82\x00\xE9", 5);
    rspg_buf_append(&b, v, vn);
    expect_bad(b.data, b.len, "not minimal");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, "\x93\x81\x02\x01\x00", 5);
    rspg_buf_append(&body, v + 4, vn - 4);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "not minimal");
    /* 83 and indefinite length forms */
    rspg_buf_reset(&b);
    rspg_buf_append(&b, "\x7F\x21\x83\x00\x00\xE9", 6);
    rspg_buf_append(&b, v, vn);
    expect_bad(b.data, b.len, "not 1 byte, 81 or 82");
    rspg_buf_reset(&b);
    rspg_buf_append(&b, "\x7F\x21\x80", 3);
    rspg_buf_append(&b, v, vn);
    expect_bad(b.data, b.len, "not 1 byte, 81 or 82");
    /* a 3-byte tag, and a 2-byte tag that fits in 1 byte */
    rspg_buf_reset(&b);
    rspg_buf_append(&b, "\x7F\xA1\x21\x81\xE9", 5);
    rspg_buf_append(&b, v, vn);
    expect_bad(b.data, b.len, "longer than 2 bytes");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, "\x9F\x13\x02\x01\x00", 5);
    rspg_buf_append(&body, v + 4, vn - 4);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "must be written in 1 byte");
    /* 42 before 93 (swapped), 93 twice, 5F24 missing, 7F49 missing, an unknown tag */
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v + 4, 22);
    rspg_buf_append(&body, v, 4);
    rspg_buf_append(&body, v + 26, vn - 26);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "93 (serial number) is missing before 42");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 4);
    rspg_buf_append(&body, v, vn);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "repeated or out of order");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 59);           /* 93 .. 5F25 */
    rspg_buf_append(&body, v + 66, vn - 66); /* 73 .. */
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "5F24 (expiration date) is missing");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 93);             /* 93 .. 73 */
    rspg_buf_append(&body, v + 166, vn - 166); /* 5F37 */
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "7F49 (public key) is missing");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 93);
    rspg_buf_append(&body, "\x5F\x4C\x01\x00", 4);
    rspg_buf_append(&body, v + 93, vn - 93);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "does not belong in 7F21");
    /* 5F37 not last; 53 and 73 both */
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, vn);
    rspg_buf_append(&body, "\x95\x01\x82", 3);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "repeated or out of order");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 66);
    rspg_buf_append(&body, "\x53\x01\x00", 3);
    rspg_buf_append(&body, v + 66, vn - 66);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "73/53 (discretionary data) is repeated");
    /* dates: month 13, a nibble A, 3 bytes, effective after expiration */
    static const struct {
        const char *eff, *why;
    } dates[] = {
        {"\x5F\x25\x04\x20\x25\x13\x01", "not a 4-byte BCD date"},
        {"\x5F\x25\x04\x20\x2A\x01\x01", "not a 4-byte BCD date"},
        {"\x5F\x25\x04\x20\x25\x02\x30", "not a 4-byte BCD date"},
        {"\x5F\x25\x04\x20\x40\x01\x01", "is after 5F24"},
    };
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        rspg_buf_reset(&body);
        rspg_buf_append(&body, v, 52);
        rspg_buf_append(&body, dates[i].eff, 7);
        rspg_buf_append(&body, v + 59, vn - 59);
        wrap(body.data, body.len, &b);
        expect_bad(b.data, b.len, dates[i].why);
    }
    /* key usage of 3 bytes; an empty serial */
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 49);
    rspg_buf_append(&body, "\x95\x03\x88\x00\x00", 5);
    rspg_buf_append(&body, v + 52, vn - 52);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "95 (key usage) is 3 bytes");
    rspg_buf_reset(&body);
    rspg_buf_append(&body, "\x93\x00", 2);
    rspg_buf_append(&body, v + 4, vn - 4);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "is empty");
    /* 7F49: F0 before B0; a point of the wrong length for F0's curve; F0 = 01 (P-384) */
    rspg_buf_reset(&body);
    rspg_buf_append(&body, v, 93);
    rspg_buf_append(&body, "\x7F\x49\x46\xF0\x01\x00", 6);
    rspg_buf_append(&body, v + 96, 67);
    rspg_buf_append(&body, v + 166, vn - 166);
    wrap(body.data, body.len, &b);
    expect_bad(b.data, b.len, "must start with B0");
    rspg_buf_reset(&b);
    rspg_buf_append(&b, expected, sizeof(expected));
    b.data[4 + 93 + 3 + 2 + 65 + 2] = 0x01; /* F0 01 -> P-384 */
    expect_bad(b.data, b.len, "but a point of secp384r1 is 97");
    /* 73 with a truncated inner TLV */
    rspg_buf_reset(&b);
    rspg_buf_append(&b, expected, sizeof(expected));
    b.data[4 + 66 + 3] = 0x02; /* C8 02 01 C9 ... : runs into C9 */
    expect_bad(b.data, b.len, "");
    rspg_buf_free(&b);
    rspg_buf_free(&body);
}

/* ---- dates, signatures, verification checks ---------------------------------------- */

static void test_dates_are_whole_days(void **state)
{
    (void)state;
    rspg_cvc c;
    assert_int_equal(rspg_cvc_decode(expected, sizeof(expected), &c, NULL), 0);
    int64_t eff = rspg_cvc_date_start((rspg_cvc_date){2025, 1, 1});
    int64_t exp = rspg_cvc_date_start((rspg_cvc_date){2035, 1, 1});
    assert_int_equal(rspg_cvc_check_dates(&c, eff - 1), -1);
    assert_int_equal(rspg_cvc_check_dates(&c, eff), 0);
    assert_int_equal(rspg_cvc_check_dates(&c, exp), 0);
    assert_int_equal(rspg_cvc_check_dates(&c, exp + 86399), 0);
    assert_int_equal(rspg_cvc_check_dates(&c, exp + 86400), 1);
    rspg_cvc_date d = rspg_cvc_date_of(rspg_cvc_date_start((rspg_cvc_date){2024, 2, 29}) + 3600);
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 29);
    assert_true(rspg_cvc_date_valid((rspg_cvc_date){2000, 2, 29}));
    assert_false(rspg_cvc_date_valid((rspg_cvc_date){1900, 2, 29}));
    assert_false(rspg_cvc_date_valid((rspg_cvc_date){2025, 4, 31}));
    assert_false(rspg_cvc_date_valid((rspg_cvc_date){10000, 1, 1}));
}

static void test_signature_forms(void **state)
{
    (void)state;
    /* r = 1, s = 2: padded to 32 bytes each, and back */
    uint8_t plain[64];
    rspg_buf der;
    rspg_buf_init(&der);
    memset(plain, 0, sizeof(plain));
    plain[31] = 1;
    plain[63] = 2;
    assert_int_equal(rspg_cvc_sig_to_der(plain, sizeof(plain), &der), 0);
    static const uint8_t want[] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02};
    assert_int_equal(der.len, sizeof(want));
    assert_memory_equal(der.data, want, sizeof(want));
    uint8_t back[64];
    assert_int_equal(rspg_cvc_sig_to_plain(der.data, der.len, 32, back), 0);
    assert_memory_equal(back, plain, 64);
    /* r with the top bit set (DER 00 pad) still fits 32 bytes */
    memset(plain, 0xFF, 32);
    rspg_buf_reset(&der);
    assert_int_equal(rspg_cvc_sig_to_der(plain, sizeof(plain), &der), 0);
    assert_int_equal(rspg_cvc_sig_to_plain(der.data, der.len, 32, back), 0);
    assert_memory_equal(back, plain, 64);
    /* too big for 24 bytes, trailing garbage, odd plain length */
    assert_int_equal(rspg_cvc_sig_to_plain(der.data, der.len, 24, back), -1);
    rspg_buf_push(&der, 0x00);
    assert_int_equal(rspg_cvc_sig_to_plain(der.data, der.len, 32, back), -1);
    assert_int_equal(rspg_cvc_sig_to_der(plain, 63, &der), -1);
    rspg_buf_free(&der);
}

/* Encodes F (subject/issuer fixed keys) and verifies with the CI as issuer. */
static void verify_fields(const rspg_cvc_fields *f, const rspg_key *subject, const rspg_key *ci,
                          rspg_cvc_verdict *v)
{
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_cvc_encode(f, subject, ci, RSPG_NONCE_RFC6979, &d, &out), RSPG_OK);
    rspg_cvc_issuer iss = {ci, ci->ski, sizeof(ci->ski), "CI"};
    rspg_cvc_verify(out.data, out.len, &iss, 1, rspg_cvc_date_start((rspg_cvc_date){2030, 1, 1}),
                    v);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

static void test_verify_checks(void **state)
{
    (void)state;
    rspg_key ci, subject, other;
    tu_key_from_scalar("prime256v1", CI_SCALAR, &ci);
    tu_key_from_scalar("prime256v1", SUBJECT_SCALAR, &subject);
    tu_key_from_scalar("prime256v1", "77", &other);
    rspg_cvc_fields f = fixed_fields(&subject);
    rspg_cvc_verdict v;
    static const uint8_t ku82[] = {0x82}, ku8200[] = {0x82, 0x00}, ku0080[] = {0x00, 0x80},
                         ku80[] = {0x80};
    /* 82 (GP coding) and 82 00 are accepted as well as 88 */
    f.key_usage = ku82;
    verify_fields(&f, &subject, &ci, &v);
    assert_true(v.valid);
    f.key_usage = ku8200;
    f.key_usage_len = 2;
    verify_fields(&f, &subject, &ci, &v);
    assert_true(v.valid);
    /* an SM-DP (C8 01) with the ECASD usage, or 80 */
    f.key_usage = ku0080;
    verify_fields(&f, &subject, &ci, &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "key-usage");
    f.key_usage = ku80;
    f.key_usage_len = 1;
    verify_fields(&f, &subject, &ci, &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "key-usage");
    /* an ECASD: no C8, 00 80 */
    f.key_usage = ku0080;
    f.key_usage_len = 2;
    f.discretionary = fixed_items + 1;
    f.n_discretionary = 1;
    verify_fields(&f, &subject, &ci, &v);
    assert_true(v.valid);
    assert_string_equal(v.kind, "ecasd");
    /* C9 that is not the issuer's key identifier */
    rspg_cvc_item wrong_c9 = {RSPG_CVC_TAG_CI_KEY_ID, other.ski, sizeof(other.ski)};
    f.discretionary = &wrong_c9;
    verify_fields(&f, &subject, &ci, &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "issuer-key-id");
    /* C8 03 */
    rspg_cvc_item c8_03 = {RSPG_CVC_TAG_CERT_TYPE, (const uint8_t *)"\x03", 1};
    f.discretionary = &c8_03;
    verify_fields(&f, &subject, &ci, &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "key-usage");
    /* signed by another key */
    f = fixed_fields(&subject);
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_cvc_encode(&f, &subject, &other, RSPG_NONCE_RFC6979, &d, &out), RSPG_OK);
    rspg_cvc_issuer two[2] = {{&ci, ci.ski, 20, "CI"}, {&other, other.ski, 20, "other"}};
    rspg_cvc_verify(out.data, out.len, two, 1, 0, &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "signature");
    /* ... found among several issuers, but then C9 (the CI's) does not match */
    rspg_cvc_verify(out.data, out.len, two, 2, 0, &v);
    assert_int_equal(v.issuer, 1);
    assert_string_equal(v.check, "issuer-key-id");
    /* a P-384 issuer cannot sign (SHA-256 belongs to 256-bit curves, GPC Table B-3) */
    rspg_key p384;
    tu_key_from_scalar("secp384r1", "1234", &p384);
    rspg_buf_reset(&out);
    assert_int_equal(rspg_cvc_encode(&f, &subject, &p384, RSPG_NONCE_RFC6979, &d, &out),
                     RSPG_E_PROFILE);
    /* a P-192 subject has no key parameter reference (unless given) */
    rspg_key p192;
    tu_key_from_scalar("prime192v1", "1234", &p192);
    f.subject_id = p192.ski;
    assert_int_equal(rspg_cvc_encode(&f, &p192, &ci, RSPG_NONCE_RFC6979, &d, &out), RSPG_E_PROFILE);
    f.key_param = (const uint8_t *)"\x40";
    f.key_param_len = 1;
    rspg_buf_reset(&out);
    assert_int_equal(rspg_cvc_encode(&f, &p192, &ci, RSPG_NONCE_RFC6979, &d, &out), RSPG_OK);
    rspg_cvc_issuer one = {&ci, ci.ski, 20, "CI"};
    rspg_cvc_verify(out.data, out.len, &one, 1, 0, &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "curve");
    /* bad fields: empty serial, 3-byte key usage, dates out of order */
    f = fixed_fields(&subject);
    f.serial_len = 0;
    assert_int_equal(rspg_cvc_encode_body(&f, &subject, &d, &out), RSPG_E_PROFILE);
    f = fixed_fields(&subject);
    f.key_usage_len = 3;
    assert_int_equal(rspg_cvc_encode_body(&f, &subject, &d, &out), RSPG_E_PROFILE);
    f = fixed_fields(&subject);
    f.effective = (rspg_cvc_date){2036, 1, 1};
    assert_int_equal(rspg_cvc_encode_body(&f, &subject, &d, &out), RSPG_E_PROFILE);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
    rspg_key_free(&p384);
    rspg_key_free(&p192);
    rspg_key_free(&ci);
    rspg_key_free(&subject);
    rspg_key_free(&other);
}

/* ---- show ----------------------------------------------------------------------- */

static void test_show(void **state)
{
    (void)state;
    rspg_buf out;
    rspg_diag d;
    rspg_show_options o = {0};
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_show_cert(expected, sizeof(expected), &o, &out, &d), RSPG_OK);
    const char *t = (const char *)out.data;
    static const char *const lines[] = {
        "kind:              sm-dp",
        "93   Certificate Serial Number    0100",
        "42   CA Identifier                1A9569579BCE329A942D0769C9C0B56431563710",
        "5F20 Subject Identifier           BBA73CBE892E7B39DF5C59BE4A63870638A240B8",
        "95   Key Usage                    88 (",
        "5F25 Effective Date               20250101 (2025-01-01)",
        "5F24 Expiration Date              20350101 (2035-01-01)",
        "    C8   Certificate Type           01 (SM-DP)",
        "    C9   Issuer Key Identifier      1A9569579BCE329A942D0769C9C0B56431563710",
        "  7F49 Public Key\n",
        "    F0   Key Parameter Reference    00 (NIST P-256, OpenSSL prime256v1)",
        "5F37 Signature                    r = 10B83A8E",
        "bytes 4 to 169 (93 .. 7F49, 166 bytes)",
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        if (strstr(t, lines[i]) == NULL)
            fail_msg("no '%s' in:\n%s", lines[i], t);
    /* the hex form, and JSON */
    char *hex = rspg_hex(expected, sizeof(expected));
    char *text = rspg_xasprintf("  %s\n", hex);
    rspg_buf_reset(&out);
    o.json = 1;
    assert_int_equal(rspg_show_cert((const uint8_t *)text, strlen(text), &o, &out, &d), RSPG_OK);
    json_error_t jerr;
    json_t *m = json_loadb((const char *)out.data, out.len, 0, &jerr);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "sm-dp");
    assert_string_equal(json_string_value(json_object_get(m, "curve")), "prime256v1");
    json_t *fields = json_object_get(m, "fields");
    assert_int_equal(json_array_size(fields), 9);
    json_t *f5 = json_array_get(fields, 4);
    assert_string_equal(json_string_value(json_object_get(f5, "tag")), "5F25");
    assert_string_equal(json_string_value(json_object_get(f5, "meaning")), "2025-01-01");
    json_decref(m);
    /* a malformed one is an error */
    rspg_buf_reset(&out);
    assert_int_equal(rspg_show_cert(expected, sizeof(expected) - 1, &o, &out, &d), RSPG_E_INPUT);
    assert_true(d.errors > 0);
    free(hex);
    free(text);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

/* ---- profiles/sgp02.yaml -------------------------------------------------------- */

static const rspg_artifact *find_artifact(const rspg_build_result *r, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].path, path) == 0)
            return &r->items[i];
    return NULL;
}

/* The public key (and SKI, at most 20 bytes: its length is returned) of the X.509
 * certificate artifact A. */
static size_t issuer_key(const rspg_artifact *a, rspg_key *k, uint8_t ski[20])
{
    rspg_x509 x;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_x509_read(a->data.data, a->data.len, &x, NULL), 0);
    const rspg_curve *c = rspg_curve_by_oid_der(x.spki_curve_oid.value, x.spki_curve_oid.len);
    assert_non_null(c);
    assert_int_equal(rspg_key_from_public(c, x.pub, x.pub_len, &d, k), RSPG_OK);
    size_t n;
    const uint8_t *s = rspg_x509_ski(&x, &n);
    assert_non_null(s);
    assert_true(n <= 20);
    memcpy(ski, s, n);
    rspg_diag_fini(&d);
    return n;
}

static void build_sgp02(rspg_profile **p, rspg_build_result *r)
{
    char *path = tu_src("profiles/sgp02.yaml");
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_file(path, &d, p);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    static const uint8_t seed[] = {0x02, 0x02};
    rspg_build_options o;
    memset(&o, 0, sizeof(o));
    o.profile_dir = ".";
    o.nonce = RSPG_NONCE_RFC6979;
    o.seed = seed;
    o.seed_len = sizeof(seed);
    o.has_clock = 1;
    rspg_parse_rfc3339("2026-03-01T12:00:00Z", &o.clock);
    rc = rspg_build(*p, &o, &d, r);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    free(path);
}

static void test_sgp02_profile_builds_and_verifies(void **state)
{
    (void)state;
    rspg_profile *p = NULL;
    rspg_build_result r;
    build_sgp02(&p, &r);
    int64_t clock;
    rspg_parse_rfc3339("2026-03-01T12:00:00Z", &clock);
    size_t n_cvc = 0, n_hex = 0, kinds[3] = {0}, brp = 0;
    for (size_t i = 0; i < r.n; i++) {
        const rspg_artifact *a = &r.items[i];
        if (a->kind != RSPG_ART_CVC)
            continue;
        assert_true(rspg_role_is_cvc(a->entity->role));
        if (strcmp(rspg_cvc_file_format(a->path), "hex") == 0) {
            /* the .hex file is the hex of its .cvc twin */
            char *bin_path = rspg_xstrdup(a->path);
            memcpy(bin_path + strlen(bin_path) - 4, ".cvc", 4);
            const rspg_artifact *bin = find_artifact(&r, bin_path);
            assert_non_null(bin);
            char *h = rspg_hex(bin->data.data, bin->data.len);
            assert_int_equal(a->data.len, strlen(h) + 1);
            assert_memory_equal(a->data.data, h, strlen(h));
            assert_int_equal(a->data.data[a->data.len - 1], '\n');
            free(h);
            free(bin_path);
            n_hex++;
            continue;
        }
        n_cvc++;
        const rspg_artifact *ia = find_artifact(&r, a->issuer_path);
        assert_non_null(ia);
        assert_int_equal(ia->kind, RSPG_ART_CERT);
        assert_int_equal(ia->entity->role,
                         a->entity->role == RSPG_ROLE_SGP02_ECASD ? RSPG_ROLE_EUM : RSPG_ROLE_CI);
        rspg_key ik;
        uint8_t iski[20];
        assert_int_equal(issuer_key(ia, &ik, iski), 20);
        rspg_cvc c;
        assert_int_equal(rspg_cvc_decode(a->data.data, a->data.len, &c, NULL), 0);
        rspg_cvc_issuer iss = {&ik, iski, 20, ia->path};
        rspg_cvc_verdict v;
        rspg_cvc_verify(a->data.data, a->data.len, &iss, 1, clock, &v);
        if (strcmp(a->expect, "invalid") == 0) {
            assert_false(v.valid);
            assert_string_equal(v.check, "signature");
            assert_string_equal(a->reason, "invalidSignature");
            assert_non_null(a->twin_path);
            rspg_key_free(&ik);
            continue;
        }
        if (!v.valid)
            fail_msg("%s: %s [%s]", a->path, v.message, v.check);
        /* the defaults (docs/sgp02-cvc.md) */
        assert_memory_equal(c.ca_id.value, iski, 20); /* 42 = issuer SKI */
        uint8_t h[20];
        SHA1(c.point.value, c.point.len, h);
        assert_int_equal(c.subject_id.len, 20);
        assert_memory_equal(c.subject_id.value, h, 20); /* 5F20 = subject SKI */
        rspg_buf serial;
        rspg_buf_init(&serial);
        rspg_unhex(rspg_per_curve_get(&a->entity->serial, "nist"), &serial);
        assert_int_equal(c.serial.len, serial.len); /* 93 = the entity's serial */
        assert_memory_equal(c.serial.value, serial.data, serial.len);
        rspg_buf_free(&serial);
        assert_true(c.has_effective); /* 5F25 = date of notBefore */
        assert_int_equal(c.effective_date.year, 2026);
        assert_int_equal(c.effective_date.month, 3);
        assert_int_equal(c.effective_date.day, 1);
        rspg_cvc_date exp = rspg_cvc_date_of(clock + a->entity->validity_days * 86400);
        assert_int_equal(c.expiration_date.year, exp.year); /* 5F24 = date of notAfter */
        assert_int_equal(c.expiration_date.month, exp.month);
        assert_int_equal(c.expiration_date.day, exp.day);
        const rspg_cvc_tlv *c9 = NULL, *c8 = NULL;
        for (size_t j = 0; j < c.n_items; j++) {
            if (c.items[j].tag == 0xC9)
                c9 = &c.items[j];
            if (c.items[j].tag == 0xC8)
                c8 = &c.items[j];
        }
        assert_non_null(c9);
        assert_memory_equal(c9->value, iski, 20); /* C9 = issuer SKI */
        switch (a->entity->role) {
        case RSPG_ROLE_SGP02_DP:
        case RSPG_ROLE_SGP02_SR:
            kinds[a->entity->role == RSPG_ROLE_SGP02_SR]++;
            assert_non_null(c8);
            assert_int_equal(c8->value[0], a->entity->role == RSPG_ROLE_SGP02_DP ? 1 : 2);
            assert_int_equal(c.key_usage.len, 1);
            assert_int_equal(c.key_usage.value[0], 0x88);
            assert_int_equal(c.n_items, 2);
            assert_int_equal(c.items[0].tag, 0xC8);
            break;
        default:
            kinds[2]++;
            assert_null(c8);
            assert_int_equal(c.key_usage.len, 2);
            assert_memory_equal(c.key_usage.value, "\x00\x80", 2);
            assert_string_equal(v.kind, "ecasd");
            break;
        }
        int is_brp = strcmp(a->curve, "brainpoolP256r1") == 0;
        brp += is_brp;
        assert_int_equal(c.key_param.value[0], is_brp ? 0x03 : 0x00);
        assert_string_equal(c.curve->name, a->curve);
        rspg_key_free(&ik);
    }
    assert_int_equal(n_cvc, 7);
    assert_int_equal(n_hex, 7);
    assert_int_equal(kinds[0], 2);
    assert_int_equal(kinds[1], 2);
    assert_int_equal(kinds[2], 2);
    assert_int_equal(brp, 3);
    /* deterministic: the same build gives the same bytes */
    rspg_profile *p2 = NULL;
    rspg_build_result r2;
    build_sgp02(&p2, &r2);
    assert_int_equal(r2.n, r.n);
    for (size_t i = 0; i < r.n; i++) {
        assert_string_equal(r.items[i].path, r2.items[i].path);
        assert_int_equal(r.items[i].data.len, r2.items[i].data.len);
        assert_memory_equal(r.items[i].data.data, r2.items[i].data.data, r.items[i].data.len);
    }
    rspg_build_result_free(&r2);
    rspg_profile_free(p2);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
}

/* ---- the loader ----------------------------------------------------------------- */

#define HDR                                                                                        \
    "schema: rsp-pkigen/profile/1\n"                                                               \
    "curves:\n"                                                                                    \
    "  nist: {curve: prime256v1, suffix: NIST}\n"                                                  \
    "defaults: {curves: [nist], clock: 2025-01-01T00:00:00Z}\n"                                    \
    "entities:\n"                                                                                  \
    "  - id: ci\n"                                                                                 \
    "    role: ci\n"                                                                               \
    "    variant: O\n"                                                                             \
    "    issuer: self\n"                                                                           \
    "    subject: [{CN: Test CI}]\n"                                                               \
    "    serial: \"01\"\n"                                                                         \
    "    validity: {days: 3650}\n"                                                                 \
    "    extensions: [{subject_key_identifier: {}}]\n"                                             \
    "    output: {cert: ci.der}\n"                                                                 \
    "  - id: eum\n"                                                                                \
    "    role: eum\n"                                                                              \
    "    variant: O\n"                                                                             \
    "    issuer: ci\n"                                                                             \
    "    subject: [{CN: EUM}]\n"                                                                   \
    "    serial: \"02\"\n"                                                                         \
    "    validity: {days: 3650}\n"                                                                 \
    "    extensions: [{subject_key_identifier: {key_id: \"0102030405\"}}]\n"                       \
    "    output: {cert: eum.der}\n"

#define DP(ROLE, ISSUER, EXTRA, FILES)                                                             \
    "  - id: dp\n"                                                                                 \
    "    role: " ROLE "\n"                                                                         \
    "    variant: O\n"                                                                             \
    "    issuer: " ISSUER "\n"                                                                     \
    "    serial: \"0100\"\n"                                                                       \
    "    validity: {days: 365}\n" EXTRA "    output: {cert: " FILES "}\n"

static void test_loader_rules(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *needle;
    } bad[] = {
        {HDR DP("sgp02-dp", "eum", "", "[dp.cvc]"),
         "is signed by the CI (role ci), but its issuer 'eum' has role eum"},
        {HDR DP("sgp02-ecasd", "ci", "", "[dp.cvc]"),
         "is signed by an EUM (role eum), but its issuer 'ci' has role ci"},
        {HDR DP("sgp02-sr", "self", "", "[dp.cvc]"), "cannot be self-signed"},
        {HDR DP("sgp02-dp", "ci", "", "[dp.der]"),
         "its files end in .cvc (binary TLV) or .hex, not 'dp.der'"},
        {HDR DP("dp-auth", "ci", "    subject: [{CN: x}]\n", "[dp.cvc]"),
         ".cvc and .hex files are card-verifiable certificates"},
        {HDR DP("dp-auth", "ci", "    subject: [{CN: x}]\n    cvc: {key_usage: \"82\"}\n",
                "[dp.der]"),
         "'cvc' applies to the SGP.02 roles"},
        {HDR DP("sgp02-dp", "ci", "    extensions: [{subject_key_identifier: {}}]\n", "[dp.cvc]"),
         "has no X.509 extensions"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {key_usage: \"888888\"}\n", "[dp.cvc]"),
         "cvc.key_usage (95) is 3 bytes; 1 to 2 expected"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {ca_id: \"XY\"}\n", "[dp.cvc]"),
         "cvc.ca_id (42) 'XY' is not hex digits of even length (or 'auto')"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {expiration: 2025-13-01}\n", "[dp.cvc]"),
         "cvc.expiration '2025-13-01' is not a date"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {discretionary: [{C8: \"01\"}, {\"1F\": \"00\"}]}\n",
                "[dp.cvc]"),
         "'1F' is not a BER tag"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {discretionary: [{CA: auto}]}\n", "[dp.cvc]"),
         "'auto' is known for C8"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {colour: red}\n", "[dp.cvc]"),
         "unknown key 'colour' in cvc"},
        {HDR DP("sgp02-dp", "ci", "    cvc: {discretionary: C8}\n", "[dp.cvc]"),
         "cvc.discretionary must be a list"},
        {HDR DP("sgp02-dp", "ci", "", "[dp.crt]"), "must end in .der or .pem"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rspg_diag d;
        rspg_profile *p = NULL;
        rspg_diag_init(&d);
        rspg_status rc =
            rspg_profile_load_string(bad[i].yaml, strlen(bad[i].yaml), "t.yaml", &d, &p);
        if (rc == RSPG_OK)
            fail_msg("case %zu loads, but should fail with '%s'", i, bad[i].needle);
        int found = 0;
        for (size_t j = 0; j < d.count; j++)
            found |= strstr(d.entries[j].message, bad[i].needle) != NULL;
        if (!found) {
            print_diag(&d);
            fail_msg("case %zu: no message contains '%s'", i, bad[i].needle);
        }
        rspg_diag_fini(&d);
    }
}

/* Builds YAML and returns the decoded certificate of entity 'dp' (its bytes in *OUT). */
static void build_one(const char *yaml, rspg_buf *cert, rspg_buf *signed_file, uint8_t *ci_ski_out,
                      uint8_t *eum_ski_out)
{
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_build_result r;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_string(yaml, strlen(yaml), "t.yaml", &d, &p);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    static const uint8_t seed[] = {0x05};
    rspg_build_options o;
    memset(&o, 0, sizeof(o));
    o.profile_dir = ".";
    o.nonce = RSPG_NONCE_RFC6979;
    o.seed = seed;
    o.seed_len = 1;
    rc = rspg_build(p, &o, &d, &r);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    const rspg_artifact *a = find_artifact(&r, "dp.cvc"), *ci = find_artifact(&r, "ci.der"),
                        *eum = find_artifact(&r, "eum.der"), *tbs = find_artifact(&r, "dp.bin");
    assert_non_null(a);
    assert_int_equal(a->kind, RSPG_ART_CVC);
    rspg_buf_append(cert, a->data.data, a->data.len);
    if (tbs && signed_file)
        rspg_buf_append(signed_file, tbs->data.data, tbs->data.len);
    rspg_key k;
    issuer_key(ci, &k, ci_ski_out);
    rspg_key_free(&k);
    if (eum) {
        issuer_key(eum, &k, eum_ski_out);
        rspg_key_free(&k);
    }
    rspg_build_result_free(&r);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
}

static void test_explicit_cvc_values(void **state)
{
    (void)state;
    static const char yaml[] =
        HDR DP("sgp02-sr", "ci",
               "    cvc:\n"
               "      serial: \"0A0B0C\"\n"
               "      ca_id: \"4711\"\n"
               "      subject_id: \"89049032123451234512345678901235\"\n"
               "      key_usage: \"82\"\n"
               "      effective: false\n"
               "      expiration: 2030-06-30\n"
               "      sd_image: \"01\"\n"
               "      discretionary: [{C8: auto}, {DF20: \"CAFE\"}, {C9: auto}]\n",
               "[dp.cvc], tbs: dp.bin");
    rspg_buf cert, sd;
    rspg_buf_init(&cert);
    rspg_buf_init(&sd);
    uint8_t ciski[20], eumski[20];
    build_one(yaml, &cert, &sd, ciski, eumski);
    rspg_cvc c;
    assert_int_equal(rspg_cvc_decode(cert.data, cert.len, &c, NULL), 0);
    assert_int_equal(c.serial.len, 3);
    assert_memory_equal(c.serial.value, "\x0A\x0B\x0C", 3);
    assert_int_equal(c.ca_id.len, 2);
    assert_memory_equal(c.ca_id.value, "\x47\x11", 2);
    assert_int_equal(c.subject_id.len, 16);
    assert_int_equal(c.subject_id.value[0], 0x89);
    assert_int_equal(c.key_usage.value[0], 0x82);
    assert_false(c.has_effective);
    assert_int_equal(c.expiration_date.year, 2030);
    assert_int_equal(c.expiration_date.month, 6);
    assert_int_equal(c.expiration_date.day, 30);
    assert_true(c.has_sd_image);
    assert_int_equal(c.n_items, 3);
    assert_int_equal(c.items[0].tag, 0xC8);
    assert_int_equal(c.items[0].value[0], 0x02); /* auto: SM-SR */
    assert_int_equal(c.items[1].tag, 0xDF20);
    assert_memory_equal(c.items[1].value, "\xCA\xFE", 2);
    assert_int_equal(c.items[2].tag, 0xC9);
    assert_memory_equal(c.items[2].value, ciski, 20);
    /* output.tbs: the signed data */
    assert_int_equal(sd.len, c.signed_len);
    assert_memory_equal(sd.data, c.signed_data, sd.len);

    /* an ECASD under an EUM whose SKI is pinned: 42 and C9 take the pinned value; an
     * empty discretionary list writes no 73 */
    static const char ecasd[] = HDR DP("sgp02-ecasd", "eum", "", "[dp.cvc, dp.hex]");
    rspg_buf_reset(&cert);
    build_one(ecasd, &cert, NULL, ciski, eumski);
    assert_int_equal(rspg_cvc_decode(cert.data, cert.len, &c, NULL), 0);
    assert_memory_equal(eumski, "\x01\x02\x03\x04\x05", 5);
    assert_int_equal(c.ca_id.len, 5);
    assert_memory_equal(c.ca_id.value, "\x01\x02\x03\x04\x05", 5);
    assert_int_equal(c.n_items, 1);
    assert_int_equal(c.items[0].tag, 0xC9);
    assert_memory_equal(c.items[0].value, "\x01\x02\x03\x04\x05", 5);
    assert_string_equal(rspg_cvc_kind(&c), "ecasd");
    static const char none[] =
        HDR DP("sgp02-ecasd", "eum", "    cvc: {discretionary: []}\n", "[dp.cvc]");
    rspg_buf_reset(&cert);
    build_one(none, &cert, NULL, ciski, eumski);
    assert_int_equal(rspg_cvc_decode(cert.data, cert.len, &c, NULL), 0);
    assert_false(c.has_discretionary);
    rspg_buf_free(&cert);
    rspg_buf_free(&sd);
}

/* ---- the CLI -------------------------------------------------------------------- */

static void test_cli(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp(), *profile = tu_src("profiles/sgp02.yaml"), *out = NULL, *err = NULL;
    char *cmd = rspg_xasprintf("'%s' build '%s' -o '%s/o' --seed 0303 --clock 2026-01-01T00:00:00Z",
                               tu_cli(), profile, dir);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);
    static const struct {
        const char *args;
        int rc;
        const char *needle;
    } runs[] = {
        {"show o/SGP.02/SM-DP/CERT_DP_ECDSA_NIST.cvc", 0, "5F20 Subject Identifier"},
        {"show o/SGP.02/SM-SR/CERT_SR_ECDSA_BRP.hex", 0,
         "C8   Certificate Type           02 (SM-SR)"},
        {"show --json o/SGP.02/eUICC/CERT_ECASD_ECKA_NIST.cvc", 0, "\"kind\": \"ecasd\""},
        {"verify o/SGP.02/SM-DP/CERT_DP_ECDSA_NIST.cvc --ci o/SGP.02/CI/CERT_CI_SIG_NIST.der "
         "--at 2027-01-01T00:00:00Z",
         0, "valid (sm-dp card certificate, signed by"},
        {"verify o/SGP.02/SM-SR/CERT_SR_ECDSA_BRP.hex --ci o/SGP.02/CI/CERT_CI_SIG_NIST.der "
         "--ci o/SGP.02/CI/CERT_CI_SIG_BRP.pem",
         0, "signed by o/SGP.02/CI/CERT_CI_SIG_BRP.pem"},
        {"verify o/SGP.02/eUICC/CERT_ECASD_ECKA_NIST.cvc --ci o/SGP.02/EUM/CERT_EUM_SIG_NIST.der",
         0, "valid (ecasd card certificate"},
        {"verify o/SGP.02/eUICC/CERT_ECASD_ECKA_NIST.cvc --ci o/SGP.02/CI/CERT_CI_SIG_NIST.der", 1,
         "[signature]"},
        {"verify o/SGP.02/SM-DP/CERT_DP_ECDSA_NIST.cvc --ci o/SGP.02/CI/CERT_CI_SIG_NIST.der "
         "--at 2040-01-01T00:00:00Z",
         1, "expired (5F24 = 2035-12-30)"},
        {"verify o/SGP.02/Invalid/SM-DP/CERT_DP_ECDSA_INV_SIGN_NIST.cvc --json --ci "
         "o/SGP.02/CI/CERT_CI_SIG_NIST.der",
         1, "\"check\": \"signature\""},
        {"verify o/SGP.02/SM-DP/CERT_DP_ECDSA_NIST.cvc", 2, "needs its issuer"},
        {"verify o/SGP.02/SM-DP/CERT_DP_ECDSA_NIST.cvc --ci o/SGP.02/CI/CERT_CI_SIG_NIST.der "
         "--crl x.crl",
         2, "apply to X.509 certificates"},
        {"verify o/SGP.02/SM-DP/CERT_DP_ECDSA_NIST.cvc o/SGP.02/CI/CERT_CI_SIG_NIST.der --ci "
         "o/SGP.02/CI/CERT_CI_SIG_NIST.der",
         2,
         "verify X.509 certificates and card certificates "
         "separately"},
        {"verify o", 0, "verified 22 certificates and CRLs in o: 22 as the manifest expects"},
        {"lint --role sgp02-dp o/SGP.02/CI/CERT_CI_SIG_NIST.der", 2, "not X.509"},
    };
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        cmd = rspg_xasprintf("cd '%s' && '%s' %s", dir, tu_cli(), runs[i].args);
        int rc = tu_run(cmd, &out, &err);
        char *both = rspg_xasprintf("%s%s", out ? out : "", err ? err : "");
        if (rc != runs[i].rc || strstr(both, runs[i].needle) == NULL)
            fail_msg("%s: exit %d (want %d), no '%s' in:\n%s", runs[i].args, rc, runs[i].rc,
                     runs[i].needle, both);
        free(both);
        free(out);
        free(err);
        free(cmd);
    }
    tu_rmtree(dir);
    free(dir);
    free(profile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_fixed_vector),
        cmocka_unit_test(test_decode_fixed_vector),
        cmocka_unit_test(test_libcrypto_verifies_fixed_vector),
        cmocka_unit_test(test_flip_every_byte_fails),
        cmocka_unit_test(test_third_party_vectors),
        cmocka_unit_test(test_decode_is_strict),
        cmocka_unit_test(test_dates_are_whole_days),
        cmocka_unit_test(test_signature_forms),
        cmocka_unit_test(test_verify_checks),
        cmocka_unit_test(test_show),
        cmocka_unit_test(test_sgp02_profile_builds_and_verifies),
        cmocka_unit_test(test_loader_rules),
        cmocka_unit_test(test_explicit_cvc_values),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
