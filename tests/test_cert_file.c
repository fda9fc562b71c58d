/*
 * test_cert_file.c: one certificate file through a check (check/cert_file.h): the check
 * sees the file's bytes and the caller's options and output, its status comes back, and its
 * messages are prefixed with the path; a missing file, a folder and a file over 16 MiB are
 * RSPG_E_IO with the path in the message, and the check does not run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/check/cert_file.h"
#include "test_util.h"

/* What the check saw, and what it answers. */
struct seen {
    int calls;
    rspg_buf bytes;
    rspg_status answer;
};

static rspg_status record(const void *opts, void *out, const uint8_t *data, size_t len,
                          rspg_diag *d)
{
    struct seen *s = out;
    assert_string_equal((const char *)opts, "opts");
    s->calls++;
    rspg_buf_append(&s->bytes, data, len);
    rspg_diag_add(d, RSPG_SEV_WARNING, (rspg_loc){0}, "saw %zu bytes", len);
    return s->answer;
}

static void test_runs_the_check(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *path = rspg_xasprintf("%s/c.der", dir);
    static const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    assert_int_equal(tu_write_file(path, der, sizeof(der)), 0);
    rspg_status answers[] = {RSPG_OK, RSPG_E_INPUT};
    for (size_t k = 0; k < 2; k++) {
        struct seen s = {0, {0}, answers[k]};
        rspg_buf_init(&s.bytes);
        rspg_diag d;
        rspg_diag_init(&d);
        assert_int_equal(rspg_cert_file_check(path, record, "opts", &s, &d), answers[k]);
        assert_int_equal(s.calls, 1);
        assert_int_equal(s.bytes.len, sizeof(der));
        assert_memory_equal(s.bytes.data, der, sizeof(der));
        assert_int_equal(d.count, 1);
        assert_int_equal(d.entries[0].severity, RSPG_SEV_WARNING);
        char *want = rspg_xasprintf("%s: saw 5 bytes", path);
        assert_string_equal(d.entries[0].message, want);
        free(want);
        rspg_diag_fini(&d);
        rspg_buf_free(&s.bytes);
    }
    free(path);
    free(dir);
}

static void expect_unreadable(const char *path)
{
    struct seen s = {0, {0}, RSPG_OK};
    rspg_buf_init(&s.bytes);
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_cert_file_check(path, record, "opts", &s, &d), RSPG_E_IO);
    assert_int_equal(s.calls, 0);
    assert_int_equal(d.count, 1);
    char *want = rspg_xasprintf("%s: cannot be read (or larger than 16 MiB)", path);
    assert_string_equal(d.entries[0].message, want);
    free(want);
    rspg_diag_fini(&d);
    rspg_buf_free(&s.bytes);
}

static void test_unreadable(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *missing = rspg_xasprintf("%s/none.der", dir);
    expect_unreadable(missing);
    expect_unreadable(dir);
    char *big = rspg_xasprintf("%s/big.der", dir);
    FILE *f = fopen(big, "wb");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)RSPG_CERT_FILE_MAX, SEEK_SET), 0);
    assert_int_equal(fputc(0, f), 0); /* one byte over the limit */
    assert_int_equal(fclose(f), 0);
    expect_unreadable(big);
    free(big);
    free(missing);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_the_check),
        cmocka_unit_test(test_unreadable),
    };
    return tu_exit(cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown));
}
