/*
 * test_diag.c: base/diag.c, the diagnostics sink: messages with and without a location,
 * the error count, the returned statuses, duplicate suppression (the same message at the
 * same place once), libcrypto's queue drained into a message, prefixed moves, formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "rspg/base/diag.h"
#include "test_util.h"

static void assert_formats_as(const rspg_diag_entry *e, const char *want)
{
    char *s = rspg_diag_format(e);
    assert_string_equal(s, want);
    free(s);
}

static void test_init_empty(void **state)
{
    (void)state;
    rspg_diag d;
    memset(&d, 0x5a, sizeof(d));
    rspg_diag_init(&d);
    assert_null(d.entries);
    assert_int_equal(d.count, 0);
    assert_int_equal(d.errors, 0);
    rspg_diag_fini(&d);
    rspg_diag_fini(&d); /* fini leaves an empty sink: twice is harmless */
    assert_int_equal(d.count, 0);
}

static void test_add_and_count(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    char file[] = "p.yaml";
    rspg_diag_add(&d, RSPG_SEV_WARNING, (rspg_loc){file, 3, 7}, "w %d", 1);
    rspg_diag_add(&d, RSPG_SEV_NOTE, (rspg_loc){0}, "a note");
    rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){file, 4, 1}, "e %s", "x");
    file[0] = 'q'; /* the entry owns a copy of the file name */
    assert_int_equal(d.count, 3);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.entries[0].severity, RSPG_SEV_WARNING);
    assert_string_equal(d.entries[0].file, "p.yaml");
    assert_int_equal(d.entries[0].line, 3);
    assert_int_equal(d.entries[0].col, 7);
    assert_string_equal(d.entries[0].message, "w 1");
    assert_null(d.entries[1].file);
    assert_string_equal(d.entries[2].message, "e x");
    /* growth past the first allocation keeps every entry */
    for (int i = 0; i < 100; i++)
        rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){0}, "n%d", i);
    assert_int_equal(d.count, 103);
    assert_int_equal(d.errors, 101);
    assert_string_equal(d.entries[102].message, "n99");
    rspg_diag_fini(&d);
}

static void test_duplicates_once(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_loc at = {"p.yaml", 2, 5};
    rspg_diag_add(&d, RSPG_SEV_ERROR, at, "same");
    rspg_diag_add(&d, RSPG_SEV_ERROR, at, "same");
    assert_int_equal(d.count, 1);
    assert_int_equal(d.errors, 1);
    /* a different place, file, severity or text is a new message */
    rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){"p.yaml", 2, 6}, "same");
    rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){"q.yaml", 2, 5}, "same");
    rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){NULL, 2, 5}, "same");
    rspg_diag_add(&d, RSPG_SEV_WARNING, at, "same");
    rspg_diag_add(&d, RSPG_SEV_ERROR, at, "other");
    assert_int_equal(d.count, 6);
    assert_int_equal(d.errors, 5);
    rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){NULL, 2, 5}, "same");
    assert_int_equal(d.count, 6);
    rspg_diag_fini(&d);
}

static void test_fail_statuses(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_fail_at(&d, (rspg_loc){"p.yaml", 9, 3}, "bad %s", "key"), RSPG_E_PROFILE);
    assert_int_equal(rspg_fail(&d, RSPG_E_IO, "cannot read %s", "f"), RSPG_E_IO);
    assert_int_equal(rspg_fail(&d, RSPG_E_INPUT, "not a certificate"), RSPG_E_INPUT);
    assert_int_equal(d.count, 3);
    assert_int_equal(d.errors, 3);
    assert_formats_as(&d.entries[0], "p.yaml:9:3: bad key");
    assert_formats_as(&d.entries[1], "cannot read f");
    assert_null(d.entries[2].file);
    rspg_diag_fini(&d);
}

static void test_fail_crypto(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    ERR_clear_error();
    assert_int_equal(rspg_fail_crypto(&d, "sign %d", 1), RSPG_E_CRYPTO);
    assert_string_equal(d.entries[0].message, "sign 1");
    /* a libcrypto error on the queue is appended and the queue cleared */
    assert_null(EVP_get_digestbyname("no-such-digest"));
    ERR_raise(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM);
    ERR_raise(ERR_LIB_EVP, EVP_R_BAD_DECRYPT);
    assert_int_equal(rspg_fail_crypto(&d, "load"), RSPG_E_CRYPTO);
    assert_int_equal(d.count, 2);
    assert_non_null(strstr(d.entries[1].message, "load (libcrypto: "));
    assert_int_equal(ERR_peek_error(), 0);
    assert_int_equal(d.errors, 2);
    rspg_diag_fini(&d);
}

static void test_take_prefixed(void **state)
{
    (void)state;
    rspg_diag d, from;
    rspg_diag_init(&d);
    rspg_diag_init(&from);
    rspg_diag_add(&d, RSPG_SEV_NOTE, (rspg_loc){0}, "first");
    rspg_diag_add(&from, RSPG_SEV_ERROR, (rspg_loc){"x.yaml", 1, 2}, "broken");
    rspg_diag_add(&from, RSPG_SEV_WARNING, (rspg_loc){0}, "odd");
    rspg_diag_take_prefixed(&d, &from, "CERT_A.der");
    assert_int_equal(from.count, 0);
    assert_null(from.entries);
    assert_int_equal(d.count, 3);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.entries[1].message, "CERT_A.der: broken");
    assert_int_equal(d.entries[1].severity, RSPG_SEV_ERROR);
    assert_null(d.entries[1].file); /* the prefix replaces the location */
    assert_string_equal(d.entries[2].message, "CERT_A.der: odd");
    assert_int_equal(d.entries[2].severity, RSPG_SEV_WARNING);
    rspg_diag_fini(&d);
}

static void test_format(void **state)
{
    (void)state;
    rspg_diag_entry e = {RSPG_SEV_ERROR, "f.yaml", 12, 4, "message"};
    assert_formats_as(&e, "f.yaml:12:4: message");
    e.line = 0;
    assert_formats_as(&e, "f.yaml: message");
    e.file = NULL;
    e.line = 5;
    assert_formats_as(&e, "message");
}

static void test_long_message_truncated(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    char big[3000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    rspg_diag_add(&d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s", big);
    assert_int_equal(d.count, 1);
    size_t n = strlen(d.entries[0].message);
    assert_true(n > 0 && n < sizeof(big) - 1);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_empty),      cmocka_unit_test(test_add_and_count),
        cmocka_unit_test(test_duplicates_once), cmocka_unit_test(test_fail_statuses),
        cmocka_unit_test(test_fail_crypto),     cmocka_unit_test(test_take_prefixed),
        cmocka_unit_test(test_format),          cmocka_unit_test(test_long_message_truncated),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
