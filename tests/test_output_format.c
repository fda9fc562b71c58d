/*
 * test_output_format.c: the formats of a build (issue/output_format.h, output_format.c,
 * output_pkcs.c) on the private-root profile's Variant O SM-DP+ TLS chain: the default and
 * NULL change nothing; DER and PEM leave one encoding with every issuer/key/certificate
 * reference pointing at a file of the result, the same certificate bytes, and the result
 * sorted; BOTH gives every certificate its twin once (with its own copy of key_origin);
 * PKCS#8 keys are the same keys (read back by the key loader and by OpenSSL's PKCS#8
 * decoder); PKCS#12 files open with the password (not with another) and hold the
 * certificate and its key; --pkcs12 without a TLS certificate is a usage error; the option
 * parsers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "rspg/asn1/pem.h"
#include "rspg/issue/build.h"
#include "rspg/issue/output_format.h"
#include "test_util.h"

static const uint8_t seed[] = {0x17};

/* The private-root profile (loaded once) and a fresh build of ONLY. */
static rspg_profile *prof;

static int setup(void **state)
{
    (void)state;
    char *path = tu_src("profiles/private-root.yaml");
    rspg_diag d;
    rspg_diag_init(&d);
    int rc = rspg_profile_load_file(path, &d, &prof) == RSPG_OK ? 0 : -1;
    rspg_diag_fini(&d);
    free(path);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    rspg_profile_free(prof);
    return 0;
}

static void build(const char *only, rspg_build_result *r)
{
    char *roles[] = {(char *)only};
    rspg_build_options o = {0};
    o.roles = roles;
    o.n_roles = 1;
    o.has_clock = 1;
    o.clock = 1767225600; /* 2026-01-01 */
    o.nonce = RSPG_NONCE_RFC6979;
    o.seed = seed;
    o.seed_len = sizeof(seed);
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build(prof, &o, &d, r), RSPG_OK);
    rspg_diag_fini(&d);
}

static rspg_status apply(const rspg_output_format *f, rspg_build_result *r)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_output_format_apply(f, r, &d);
    rspg_diag_fini(&d);
    return rc;
}

static const rspg_artifact *find(const rspg_build_result *r, const char *path)
{
    for (size_t i = 0; path && i < r->n; i++)
        if (strcmp(r->items[i].path, path) == 0)
            return &r->items[i];
    return NULL;
}

/* Sorted, and every reference names a file of R. */
static void assert_consistent(const rspg_build_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const rspg_artifact *a = &r->items[i];
        if (i > 0)
            assert_true(strcmp(r->items[i - 1].path, a->path) < 0);
        if (a->kind == RSPG_ART_CERT)
            assert_non_null(find(r, a->issuer_path));
        if (a->key_path)
            assert_non_null(find(r, a->key_path));
        if (a->cert_path)
            assert_non_null(find(r, a->cert_path));
    }
}

static size_t count(const rspg_build_result *r, rspg_artifact_kind k, int pem)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->items[i].kind == k && (pem < 0 || r->items[i].pem == pem);
    return n;
}

static void der_of(const rspg_artifact *a, rspg_buf *out)
{
    rspg_buf_reset(out);
    assert_int_equal(rspg_pem_or_der(a->data.data, a->data.len, "CERTIFICATE", out), 0);
}

static void test_default_changes_nothing(void **state)
{
    (void)state;
    rspg_build_result r;
    build("o-dp-tls", &r);
    size_t n = r.n;
    rspg_output_format f = {RSPG_CERT_FORMAT_PROFILE, RSPG_KEY_FORMAT_SEC1, 0, NULL};
    assert_int_equal(apply(NULL, &r), RSPG_OK);
    assert_int_equal(apply(&f, &r), RSPG_OK);
    assert_int_equal(r.n, n);
    rspg_build_result_free(&r);
}

static void test_der_and_pem(void **state)
{
    (void)state;
    rspg_cert_format fmts[] = {RSPG_CERT_FORMAT_DER, RSPG_CERT_FORMAT_PEM};
    for (size_t k = 0; k < 2; k++) {
        rspg_build_result r, ref;
        build("o-dp-tls", &r);
        build("o-dp-tls", &ref);
        rspg_output_format f = {fmts[k], RSPG_KEY_FORMAT_SEC1, 0, NULL};
        assert_int_equal(apply(&f, &r), RSPG_OK);
        int pem = fmts[k] == RSPG_CERT_FORMAT_PEM;
        assert_int_equal(count(&r, RSPG_ART_CERT, !pem), 0);
        assert_true(count(&r, RSPG_ART_CERT, pem) > 0);
        assert_consistent(&r);
        /* the same certificates: every DER of the reference is in the result */
        rspg_buf a, b;
        rspg_buf_init(&a);
        rspg_buf_init(&b);
        for (size_t i = 0; i < ref.n; i++) {
            if (ref.items[i].kind != RSPG_ART_CERT)
                continue;
            der_of(&ref.items[i], &a);
            int found = 0;
            for (size_t j = 0; j < r.n && !found; j++)
                if (r.items[j].kind == RSPG_ART_CERT) {
                    der_of(&r.items[j], &b);
                    found = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
                }
            assert_true(found);
        }
        rspg_buf_free(&a);
        rspg_buf_free(&b);
        rspg_build_result_free(&r);
        rspg_build_result_free(&ref);
    }
}

static void test_both(void **state)
{
    (void)state;
    rspg_build_result r;
    build("o-dp-tls", &r);
    rspg_output_format f = {RSPG_CERT_FORMAT_BOTH, RSPG_KEY_FORMAT_SEC1, 0, NULL};
    assert_int_equal(apply(&f, &r), RSPG_OK);
    assert_consistent(&r);
    size_t der = count(&r, RSPG_ART_CERT, 0), pem = count(&r, RSPG_ART_CERT, 1);
    assert_true(der > 0);
    assert_int_equal(der, pem);
    /* applying it again adds nothing */
    size_t n = r.n;
    assert_int_equal(apply(&f, &r), RSPG_OK);
    assert_int_equal(r.n, n);
    rspg_build_result_free(&r);
}

/* BOTH with certificates whose key was read from a file: each twin owns its copy of
 * key_origin (the result frees every artifact's own; ASan sees a shared one freed twice),
 * and DER drops the PEM twins again without leaking theirs. */
static void test_both_key_origin(void **state)
{
    (void)state;
    rspg_build_result r;
    build("o-dp-tls", &r);
    size_t n = r.n;
    for (size_t i = 0; i < n; i++)
        if (r.items[i].kind == RSPG_ART_CERT)
            r.items[i].key_origin = rspg_xstrdup("keys/dp-tls.pem");
    rspg_output_format f = {RSPG_CERT_FORMAT_BOTH, RSPG_KEY_FORMAT_SEC1, 0, NULL};
    assert_int_equal(apply(&f, &r), RSPG_OK);
    assert_true(r.n > n);
    for (size_t i = 0; i < r.n; i++)
        for (size_t j = i + 1; j < r.n; j++)
            if (r.items[i].key_origin && r.items[j].key_origin) {
                assert_string_equal(r.items[i].key_origin, r.items[j].key_origin);
                assert_ptr_not_equal(r.items[i].key_origin, r.items[j].key_origin);
            }
    rspg_output_format der = {RSPG_CERT_FORMAT_DER, RSPG_KEY_FORMAT_SEC1, 0, NULL};
    assert_int_equal(apply(&der, &r), RSPG_OK);
    assert_int_equal(count(&r, RSPG_ART_CERT, 1), 0);
    assert_consistent(&r);
    rspg_build_result_free(&r);
}

static void test_pkcs8(void **state)
{
    (void)state;
    rspg_build_result r, ref;
    build("o-dp-tls", &r);
    build("o-dp-tls", &ref);
    rspg_output_format f = {RSPG_CERT_FORMAT_PROFILE, RSPG_KEY_FORMAT_PKCS8, 0, NULL};
    assert_int_equal(apply(&f, &r), RSPG_OK);
    size_t keys = 0;
    for (size_t i = 0; i < r.n; i++) {
        rspg_artifact *a = &r.items[i];
        if (a->kind != RSPG_ART_PRIVATE_KEY)
            continue;
        keys++;
        assert_string_equal(a->encoding, "pkcs8");
        assert_true(a->secret);
        const rspg_artifact *old = find(&ref, a->path);
        assert_non_null(old);
        rspg_key k1, k2;
        rspg_diag d;
        rspg_diag_init(&d);
        assert_int_equal(rspg_key_load(a->data.data, a->data.len, "new", &d, &k1), RSPG_OK);
        assert_int_equal(rspg_key_load(old->data.data, old->data.len, "old", &d, &k2), RSPG_OK);
        assert_int_equal(k1.pub_len, k2.pub_len);
        assert_memory_equal(k1.pub, k2.pub, k1.pub_len);
        rspg_key_free(&k1);
        rspg_key_free(&k2);
        rspg_diag_fini(&d);
        if (a->pem) {
            assert_non_null(strstr((const char *)a->data.data, "-----BEGIN PRIVATE KEY-----"));
            BIO *b = BIO_new_mem_buf(a->data.data, (int)a->data.len);
            PKCS8_PRIV_KEY_INFO *p8 = PEM_read_bio_PKCS8_PRIV_KEY_INFO(b, NULL, NULL, NULL);
            assert_non_null(p8);
            PKCS8_PRIV_KEY_INFO_free(p8);
            BIO_free(b);
        }
    }
    assert_true(keys > 0);
    rspg_build_result_free(&r);
    rspg_build_result_free(&ref);
}

static void test_pkcs12(void **state)
{
    (void)state;
    rspg_build_result r;
    build("o-dp-tls", &r);
    rspg_output_format f = {RSPG_CERT_FORMAT_PROFILE, RSPG_KEY_FORMAT_SEC1, 1, "pw"};
    assert_int_equal(apply(&f, &r), RSPG_OK);
    assert_consistent(&r);
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++) {
        const rspg_artifact *a = &r.items[i];
        if (a->kind != RSPG_ART_PKCS12)
            continue;
        n++;
        assert_true(a->secret);
        assert_int_equal(a->entity->role, RSPG_ROLE_DP_TLS);
        const unsigned char *p = a->data.data;
        PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)a->data.len);
        assert_non_null(p12);
        assert_int_equal(PKCS12_verify_mac(p12, "other", -1), 0);
        EVP_PKEY *key = NULL;
        X509 *cert = NULL;
        STACK_OF(X509) *ca = NULL;
        assert_int_equal(PKCS12_parse(p12, "pw", &key, &cert, &ca), 1);
        assert_non_null(key);
        assert_non_null(cert);
        assert_int_equal(X509_check_private_key(cert, key), 1);
        EVP_PKEY_free(key);
        X509_free(cert);
        sk_X509_pop_free(ca, X509_free);
        PKCS12_free(p12);
    }
    assert_true(n > 0);
    rspg_build_result_free(&r);
    /* no TLS certificate in the build: a usage error */
    build("o-ci", &r);
    assert_int_equal(apply(&f, &r), RSPG_E_USAGE);
    rspg_build_result_free(&r);
}

static void test_parse(void **state)
{
    (void)state;
    rspg_cert_format c;
    rspg_key_format k;
    assert_int_equal(rspg_cert_format_parse("both", &c), 0);
    assert_int_equal(c, RSPG_CERT_FORMAT_BOTH);
    assert_int_equal(rspg_cert_format_parse("PEM", &c), -1);
    assert_int_equal(rspg_key_format_parse("pkcs8", &k), 0);
    assert_int_equal(k, RSPG_KEY_FORMAT_PKCS8);
    assert_int_equal(rspg_key_format_parse("pkcs12", &k), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_changes_nothing),
        cmocka_unit_test(test_der_and_pem),
        cmocka_unit_test(test_both),
        cmocka_unit_test(test_both_key_origin),
        cmocka_unit_test(test_pkcs8),
        cmocka_unit_test(test_pkcs12),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
