/*
 * test_csr.c: the reader of requests and public keys (x509/csr.h). Requests are made here
 * with libcrypto (X509_REQ, as `openssl req -new` makes them): P-256 and brainpoolP256r1
 * ones are read with their key and subject, PEM and DER; a request with one bit of its
 * signature flipped, one whose info was altered after signing, one on an unknown curve and
 * files that are no request are refused with RSPG_E_INPUT and a precise message; public keys
 * (SPKI) are read in PEM and DER; a subject becomes a profile DN (types kept, "${" escaped,
 * multi-valued RDNs and BMPStrings refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <cmocka.h>

#include "rspg/asn1/der.h"
#include "rspg/x509/csr.h"
#include "test_util.h"

/* A request on CURVE (OpenSSL name) for subject O=ACME, CN=CN, signed with SHA-256; its DER
 * (or PEM) in OUT; the key in *KEY when KEY is not NULL. */
static void make_csr(const char *curve, const char *cn, int pem, rspg_buf *out, EVP_PKEY **key)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    assert_non_null(k);
    X509_REQ *req = X509_REQ_new();
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"ACME", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    assert_int_equal(X509_REQ_set_subject_name(req, name), 1);
    assert_int_equal(X509_REQ_set_pubkey(req, k), 1);
    assert_true(X509_REQ_sign(req, k, EVP_sha256()) > 0);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(pem ? PEM_write_bio_X509_REQ(bio, req) : i2d_X509_REQ_bio(bio, req), 1);
    char *p;
    long n = BIO_get_mem_data(bio, &p);
    rspg_buf_init(out);
    rspg_buf_append(out, p, (size_t)n);
    BIO_free(bio);
    X509_NAME_free(name);
    X509_REQ_free(req);
    if (key)
        *key = k;
    else
        EVP_PKEY_free(k);
}

/* The last error message of D. */
static const char *last(const rspg_diag *d)
{
    return d->count ? d->entries[d->count - 1].message : "";
}

static void read_ok(const char *curve, int pem)
{
    rspg_buf b;
    rspg_diag d;
    rspg_csr c;
    EVP_PKEY *k;
    make_csr(curve, "smdp.example.net", pem, &b, &k);
    rspg_diag_init(&d);
    assert_int_equal(rspg_csr_read(b.data, b.len, RSPG_CSR_ANY, "r.csr", &d, &c), RSPG_OK);
    assert_int_equal(c.kind, RSPG_CSR_REQUEST);
    assert_string_equal(c.key.curve->name, curve);
    rspg_key want;
    assert_int_equal(rspg_key_from_pkey(k, &d, &want), RSPG_OK);
    assert_memory_equal(c.key.pub, want.pub, want.pub_len);
    rspg_dn dn = {NULL, 0};
    assert_int_equal(rspg_csr_subject_dn(c.subject.data, c.subject.len, "r.csr", &d, &dn), RSPG_OK);
    assert_int_equal(dn.count, 2);
    assert_string_equal(dn.attrs[0].key, "O");
    assert_string_equal(dn.attrs[1].key, "CN");
    assert_string_equal(dn.attrs[1].value, "smdp.example.net");
    assert_int_equal(dn.attrs[1].type, RSPG_STR_UTF8);
    rspg_dn_free(&dn);
    rspg_key_free(&want);
    rspg_csr_free(&c);
    rspg_diag_fini(&d);
    rspg_buf_free(&b);
}

static void csr_p256_pem(void **state)
{
    (void)state;
    read_ok("prime256v1", 1);
}

static void csr_brainpool_der(void **state)
{
    (void)state;
    read_ok("brainpoolP256r1", 0);
}

/* Expects READ of B (DER) to fail with RSPG_E_INPUT and a message containing WANT. */
static void expect_refused(const rspg_buf *b, rspg_csr_kind kind, const char *want)
{
    rspg_diag d;
    rspg_csr c;
    rspg_diag_init(&d);
    assert_int_equal(rspg_csr_read(b->data, b->len, kind, "x.csr", &d, &c), RSPG_E_INPUT);
    assert_non_null(strstr(last(&d), want));
    assert_non_null(strstr(last(&d), "x.csr: "));
    rspg_csr_free(&c);
    rspg_diag_fini(&d);
}

static void csr_tampered_signature(void **state)
{
    (void)state;
    rspg_buf b;
    make_csr("prime256v1", "a", 0, &b, NULL);
    b.data[b.len - 1] ^= 0x01; /* the last octet of s: still DER, wrong signature */
    expect_refused(&b, RSPG_CSR_REQUEST, "self-signature does not verify");
    rspg_buf_free(&b);
}

static void csr_tampered_subject(void **state)
{
    (void)state;
    rspg_buf b;
    make_csr("prime256v1", "aaaa", 0, &b, NULL);
    size_t at = 0;
    while (at + 4 <= b.len && memcmp(b.data + at, "aaaa", 4) != 0)
        at++;
    assert_true(at + 4 <= b.len);
    b.data[at] = 'b'; /* the signed info changed after signing */
    expect_refused(&b, RSPG_CSR_ANY, "self-signature does not verify");
    rspg_buf_free(&b);
}

static void csr_unknown_curve(void **state)
{
    (void)state;
    rspg_buf b;
    make_csr("secp521r1", "a", 0, &b, NULL);
    expect_refused(&b, RSPG_CSR_REQUEST, "unsupported curve 1.3.132.0.35");
    rspg_buf_free(&b);
}

static void csr_secp384r1_read(void **state)
{
    (void)state;
    /* a known curve that SGP.22 does not allow: read here, refused by the role's rule */
    rspg_buf b;
    rspg_diag d;
    rspg_csr c;
    make_csr("secp384r1", "a", 1, &b, NULL);
    rspg_diag_init(&d);
    assert_int_equal(rspg_csr_read(b.data, b.len, RSPG_CSR_REQUEST, "r", &d, &c), RSPG_OK);
    assert_string_equal(c.key.curve->name, "secp384r1");
    rspg_csr_free(&c);
    rspg_diag_fini(&d);
    rspg_buf_free(&b);
}

static void csr_not_a_request(void **state)
{
    (void)state;
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_buf_puts(&b, "hello");
    expect_refused(&b, RSPG_CSR_REQUEST, "not a PKCS#10 certificate request");
    rspg_buf_reset(&b);
    rspg_buf_puts(&b, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    expect_refused(&b, RSPG_CSR_REQUEST, "no PEM block 'CERTIFICATE REQUEST'");
    rspg_buf_reset(&b);
    static const uint8_t v1[] = {0x30, 0x0b, 0x30, 0x03, 0x02, 0x01, 0x01,
                                 0x30, 0x00, 0x03, 0x02, 0x00, 0x00};
    rspg_buf_append(&b, v1, sizeof(v1));
    expect_refused(&b, RSPG_CSR_REQUEST, "version 1 expected");
    rspg_buf_free(&b);
}

static void public_key_pem_and_der(void **state)
{
    (void)state;
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "brainpoolP256r1");
    assert_non_null(k);
    for (int pem = 0; pem < 2; pem++) {
        BIO *bio = BIO_new(BIO_s_mem());
        assert_int_equal(pem ? PEM_write_bio_PUBKEY(bio, k) : i2d_PUBKEY_bio(bio, k), 1);
        char *p;
        long n = BIO_get_mem_data(bio, &p);
        rspg_diag d;
        rspg_csr c;
        rspg_diag_init(&d);
        assert_int_equal(rspg_csr_read((const uint8_t *)p, (size_t)n, RSPG_CSR_ANY, "pk", &d, &c),
                         RSPG_OK);
        assert_int_equal(c.kind, RSPG_CSR_PUBLIC);
        assert_string_equal(c.key.curve->name, "brainpoolP256r1");
        assert_int_equal(c.subject.len, 0);
        rspg_csr_free(&c);
        /* a public key where a request is asked for */
        assert_int_equal(
            rspg_csr_read((const uint8_t *)p, (size_t)n, RSPG_CSR_REQUEST, "pk", &d, &c),
            RSPG_E_INPUT);
        rspg_csr_free(&c);
        rspg_diag_fini(&d);
        BIO_free(bio);
    }
    EVP_PKEY_free(k);
}

/* A Name with the given RDNs (each a SET of DER ATAVs, given as hex). */
static void name_of(const char *hex, rspg_buf *out)
{
    rspg_buf in;
    rspg_buf_init(&in);
    rspg_buf_init(out);
    assert_int_equal(rspg_unhex(hex, &in), 0);
    size_t m = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_buf_append(out, in.data, in.len);
    rspg_der_end(out, m);
    rspg_buf_free(&in);
}

static void subject_dn_rules(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_dn dn = {NULL, 0};
    rspg_buf n;
    rspg_diag_init(&d);
    /* C=DE (PrintableString), CN="${x}" (UTF8String) */
    name_of("310b300906035504061302"
            "4445"
            "310f300d06035504030c06"
            "247b787d7a7a",
            &n);
    assert_int_equal(rspg_csr_subject_dn(n.data, n.len, "r", &d, &dn), RSPG_OK);
    assert_int_equal(dn.count, 2);
    assert_string_equal(dn.attrs[0].key, "C");
    assert_int_equal(dn.attrs[0].type, RSPG_STR_PRINTABLE);
    assert_string_equal(dn.attrs[1].value, "$${x}zz");
    rspg_buf_free(&n);
    /* two attributes in one RDN */
    name_of("3116300906035504061302"
            "4445"
            "3009060355040a0c02"
            "4142",
            &n);
    assert_int_equal(rspg_csr_subject_dn(n.data, n.len, "r", &d, &dn), RSPG_E_INPUT);
    assert_non_null(strstr(last(&d), "multi-valued RDN"));
    assert_int_equal(dn.count, 2); /* left as it was */
    rspg_buf_free(&n);
    /* a BMPString */
    name_of("310d300b06035504031e04"
            "00410042",
            &n);
    assert_int_equal(rspg_csr_subject_dn(n.data, n.len, "r", &d, &dn), RSPG_E_INPUT);
    assert_non_null(strstr(last(&d), "not a UTF8String"));
    rspg_buf_free(&n);
    rspg_dn_free(&dn);
    rspg_diag_fini(&d);
}

static void csr_file_missing(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_csr c;
    rspg_diag_init(&d);
    assert_int_equal(rspg_csr_read_file("/nonexistent/r.csr", RSPG_CSR_REQUEST, &d, &c), RSPG_E_IO);
    assert_non_null(strstr(last(&d), "/nonexistent/r.csr"));
    rspg_csr_free(&c);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csr_p256_pem),           cmocka_unit_test(csr_brainpool_der),
        cmocka_unit_test(csr_tampered_signature), cmocka_unit_test(csr_tampered_subject),
        cmocka_unit_test(csr_unknown_curve),      cmocka_unit_test(csr_secp384r1_read),
        cmocka_unit_test(csr_not_a_request),      cmocka_unit_test(public_key_pem_and_der),
        cmocka_unit_test(subject_dn_rules),       cmocka_unit_test(csr_file_missing),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
