/*
 * test_buf.c: base/buf.c, the growable byte buffer, the allocation helpers, whole-file
 * reading with a size limit (a refused file leaves no bytes behind), and hex text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/buf.h"
#include "rspg/base/file.h"
#include "test_util.h"

static void test_append_push_puts(void **state)
{
    (void)state;
    rspg_buf b;
    rspg_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    rspg_buf_append(&b, "", 0); /* nothing appended, nothing allocated */
    assert_null(b.data);
    rspg_buf_puts(&b, "ab");
    rspg_buf_push(&b, 'c');
    rspg_buf_append(&b, "de", 2);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "abcde", 5);
    /* growth across many reallocations keeps the bytes */
    for (int i = 0; i < 10000; i++)
        rspg_buf_push(&b, (uint8_t)i);
    assert_int_equal(b.len, 10005);
    assert_true(b.cap >= b.len);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[5 + i], (uint8_t)i);
    rspg_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_non_null(b.data); /* reset keeps the memory */
    rspg_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
}

static void test_reserve_and_insert(void **state)
{
    (void)state;
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_buf_reserve(&b, 100);
    assert_true(b.cap >= 100);
    assert_int_equal(b.len, 0);
    size_t cap = b.cap;
    rspg_buf_reserve(&b, 10);
    assert_int_equal(b.cap, cap);
    rspg_buf_puts(&b, "held");
    rspg_buf_insert(&b, 0, "[", 1);
    rspg_buf_insert(&b, 5, "]", 1);
    rspg_buf_insert(&b, 3, "--", 2);
    rspg_buf_insert(&b, 2, "x", 0);
    assert_int_equal(b.len, 8);
    assert_memory_equal(b.data, "[he--ld]", 8);
    /* a long overlapping move (the DER length fix-up inserts before a whole body) */
    rspg_buf_reset(&b);
    for (int i = 0; i < 4096; i++)
        rspg_buf_push(&b, (uint8_t)(i * 7));
    rspg_buf_insert(&b, 1, "\x30\x82\x0f", 3);
    assert_int_equal(b.len, 4099);
    assert_memory_equal(b.data + 1, "\x30\x82\x0f", 3);
    assert_int_equal(b.data[0], 0);
    for (int i = 1; i < 4096; i++)
        assert_int_equal(b.data[3 + i], (uint8_t)(i * 7));
    rspg_buf_free(&b);
}

static void test_strings(void **state)
{
    (void)state;
    char *s = rspg_xstrdup("text");
    assert_string_equal(s, "text");
    free(s);
    s = rspg_xstrndup("text", 2);
    assert_string_equal(s, "te");
    free(s);
    /* unlike strndup, exactly N bytes are copied (S must have them), then a NUL */
    s = rspg_xstrndup("a\0b", 3);
    assert_memory_equal(s, "a\0b\0", 4);
    free(s);
    s = rspg_xasprintf("%s-%d-%02x", "a", 42, 10);
    assert_string_equal(s, "a-42-0a");
    free(s);
    char big[5000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    s = rspg_xasprintf("<%s>", big); /* no fixed buffer */
    assert_int_equal(strlen(s), sizeof(big) + 1);
    free(s);
    int *z = rspg_xcalloc(16, sizeof(int));
    for (int i = 0; i < 16; i++)
        assert_int_equal(z[i], 0);
    free(z);
}

static void test_hex(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
    char *h = rspg_hex(bytes, sizeof(bytes));
    assert_string_equal(h, "000FA5FF");
    free(h);
    h = rspg_hex(bytes, 0);
    assert_string_equal(h, "");
    free(h);
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(rspg_unhex("000fA5Ff", &b), 0);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, bytes, 4);
    rspg_buf_reset(&b);
    assert_int_equal(rspg_unhex("", &b), 0);
    assert_int_equal(b.len, 0);
    static const char *const bad[] = {"0", "abc", "0g", "g0", "0 ", " 0", "0x00", "-1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (rspg_unhex(bad[i], &b) != -1)
            fail_msg("'%s' was accepted as hex", bad[i]);
    rspg_buf_free(&b);
}

static void test_read_file(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    assert_non_null(dir);
    char *path = rspg_xasprintf("%s/f", dir);
    assert_int_equal(tu_write_file(path, "0123456789", 10), 0);
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_buf_puts(&b, "kept:");
    assert_int_equal(rspg_read_file(path, 10, &b), 0); /* appended; exactly the limit */
    assert_int_equal(b.len, 15);
    assert_memory_equal(b.data, "kept:0123456789", 15);
    /* over the limit: EFBIG, and the buffer is as before */
    errno = 0;
    assert_int_equal(rspg_read_file(path, 9, &b), -1);
    assert_int_equal(errno, EFBIG);
    assert_int_equal(b.len, 15);
    /* a missing file: -1 with errno from the system, nothing appended */
    char *missing = rspg_xasprintf("%s/missing", dir);
    errno = 0;
    assert_int_equal(rspg_read_file(missing, 100, &b), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(b.len, 15);
    /* an empty file is fine */
    assert_int_equal(tu_write_file(path, "", 0), 0);
    assert_int_equal(rspg_read_file(path, 0, &b), 0);
    assert_int_equal(b.len, 15);
    rspg_buf_free(&b);
    free(missing);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_push_puts), cmocka_unit_test(test_reserve_and_insert),
        cmocka_unit_test(test_strings),          cmocka_unit_test(test_hex),
        cmocka_unit_test(test_read_file),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
