/*
 * test_hardening.c: regression tests for what fuzzing (tests/fuzz) found in the library.
 *
 * - rspg_key_load took a SEC1/PKCS#8 key whose public key does not belong to its private
 *   scalar (fuzz_key: one flipped bit of the scalar): the builder would then put one key
 *   in the certificate and sign with the other. Now refused, for a damaged scalar, for a
 *   spliced pair (A's scalar, B's public key), in PEM and DER, and through
 *   rspg_key_load_file; the untouched key still loads.
 * - An empty input to lint, show and the X.509/CRL readers made rspg_der_cursor_init compute
 *   NULL + 0 (undefined behaviour, fuzz_x509's first input). Now a plain refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/check/lint.h"
#include "rspg/check/show.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

/* SEC1 DER of a new key on CURVE; the 32-octet scalar starts at offset 7 (30 77 02 01 01 04 20). */
static void sec1_of_new_key(const char *curve, rspg_buf *out, rspg_key *k)
{
    rspg_diag d;
    rspg_diag_init(&d);
    const rspg_curve *c = rspg_curve_find(curve);
    assert_non_null(c);
    assert_int_equal(rspg_key_generate(c, &d, k), RSPG_OK);
    rspg_buf_init(out);
    assert_int_equal(rspg_key_sec1_der(k, &d, out), RSPG_OK);
    assert_int_equal(out->data[5], 0x04);
    assert_int_equal(out->data[6], 0x20);
    rspg_diag_fini(&d);
}

static void expect_mismatch(const uint8_t *data, size_t len)
{
    rspg_diag d;
    rspg_key k;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load(data, len, "k.der", &d, &k), RSPG_E_PROFILE);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.entries[0].message,
                        "k.der: the public key in the file does not match its private key");
    assert_null(k.pkey);
    rspg_diag_fini(&d);
}

static void test_key_flipped_scalar_refused(void **state)
{
    (void)state;
    static const char *const curves[] = {"prime256v1", "brainpoolP256r1"};
    for (size_t i = 0; i < 2; i++) {
        rspg_buf der;
        rspg_key k;
        sec1_of_new_key(curves[i], &der, &k);
        rspg_key_free(&k);
        /* as written, it loads */
        rspg_diag d;
        rspg_diag_init(&d);
        assert_int_equal(rspg_key_load(der.data, der.len, "k.der", &d, &k), RSPG_OK);
        rspg_key_free(&k);
        rspg_diag_fini(&d);
        der.data[7 + 31] ^= 0x01; /* the scalar's last bit */
        expect_mismatch(der.data, der.len);
        /* the same in PEM */
        rspg_buf pem;
        rspg_buf_init(&pem);
        rspg_pem_encode("EC PRIVATE KEY", der.data, der.len, &pem);
        expect_mismatch(pem.data, pem.len);
        rspg_buf_free(&pem);
        rspg_buf_free(&der);
    }
}

static void test_key_spliced_pair_refused(void **state)
{
    (void)state;
    rspg_buf a, b;
    rspg_key ka, kb;
    sec1_of_new_key("prime256v1", &a, &ka);
    sec1_of_new_key("prime256v1", &b, &kb);
    memcpy(a.data + 7, b.data + 7, 32); /* B's scalar with A's public key */
    expect_mismatch(a.data, a.len);

    /* and through a file, as the builder and mint read them */
    char *dir = tu_scratch();
    char path[4096];
    snprintf(path, sizeof(path), "%s/spliced.der", dir);
    assert_int_equal(tu_write_file(path, a.data, a.len), 0);
    rspg_diag d;
    rspg_key k;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(path, &d, &k), RSPG_E_PROFILE);
    assert_non_null(strstr(d.entries[0].message, "does not match its private key"));
    rspg_diag_fini(&d);
    free(dir);
    rspg_key_free(&ka);
    rspg_key_free(&kb);
    rspg_buf_free(&a);
    rspg_buf_free(&b);
}

static void test_empty_inputs(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_x509 x;
    rspg_x509_crl c;
    assert_int_equal(rspg_x509_read(NULL, 0, &x, &d), RSPG_E_INPUT);
    assert_int_equal(d.errors, 1); /* with its reason */
    assert_int_equal(rspg_crl_read(NULL, 0, &c, &d), RSPG_E_INPUT);
    assert_int_equal(d.errors, 2);
    rspg_lint_options lo = {.role = -1, .variant = NULL};
    rspg_lint_result lr;
    assert_int_equal(rspg_lint_cert((const uint8_t *)"", 0, &lo, &lr, &d), RSPG_E_INPUT);
    rspg_lint_result_free(&lr);
    rspg_show_options so = {0};
    rspg_buf out;
    rspg_buf_init(&out);
    assert_int_equal(rspg_show_cert((const uint8_t *)"", 0, &so, &out, &d), RSPG_E_INPUT);
    rspg_buf_free(&out);
    rspg_der_cursor cur;
    rspg_der_cursor_init(&cur, NULL, 0);
    assert_true(rspg_der_cursor_done(&cur));
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_flipped_scalar_refused),
        cmocka_unit_test(test_key_spliced_pair_refused),
        cmocka_unit_test(test_empty_inputs),
    };
    return cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown);
}
