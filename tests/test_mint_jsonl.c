/*
 * test_mint_jsonl.c: the JSON Lines bundle (issue/mint_jsonl.h): the resume point after a
 * torn record (cut off), of an empty bundle and of a lone torn record, a bundle of another
 * run refused, an existing bundle kept unless --force or --resume, and chunks written whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rspg/issue/mint_jsonl.h"
#include "test_util.h"

#define FIRST_EID "89049032123451234512345678901235"

/* A bundle of N complete records of the run from FIRST_EID, then TAIL. */
static char *bundle(const char *dir, const char *name, int n, const char *tail)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (int i = 0; i < n; i++) {
        char eid[RSPG_EID_LEN + 1];
        assert_int_equal(rspg_eid_add(FIRST_EID, (uint64_t)i, eid), 0);
        char *line =
            rspg_xasprintf("{\"index\":%d,\"eid\":\"%s\",\"serial\":\"%s\"}\n", i, eid, eid);
        rspg_buf_puts(&b, line);
        free(line);
    }
    rspg_buf_puts(&b, tail);
    char *path = rspg_xasprintf("%s/%s", dir, name);
    assert_int_equal(tu_write_file(path, b.len ? (const void *)b.data : "", b.len), 0);
    rspg_buf_free(&b);
    return path;
}

static long long resume(const char *path, const char *first, off_t *size, rspg_diag *d)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    long long r = rspg_mint_resume_point(fd, first, d);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    *size = st.st_size;
    close(fd);
    return r;
}

static void test_resume_point(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    rspg_diag d;
    rspg_diag_init(&d);
    off_t size;
    char *whole = bundle(dir, "whole", 3, "");
    struct stat st;
    assert_int_equal(stat(whole, &st), 0);
    assert_int_equal(resume(whole, FIRST_EID, &size, &d), 3);
    assert_int_equal(size, st.st_size);
    char *torn = bundle(dir, "torn", 3, "{\"index\":3,\"eid\":\"8904");
    assert_int_equal(resume(torn, FIRST_EID, &size, &d), 3);
    assert_int_equal(size, st.st_size); /* the torn record is cut */
    char *empty = bundle(dir, "empty", 0, "");
    assert_int_equal(resume(empty, FIRST_EID, &size, &d), 0);
    char *lone = bundle(dir, "lone", 0, "{\"index\":0,");
    assert_int_equal(resume(lone, FIRST_EID, &size, &d), 0);
    assert_int_equal(size, 0);
    /* another run (another first EID): refused, nothing cut */
    char *other = bundle(dir, "other", 3, "{\"ind");
    assert_int_equal(resume(other, "89049032123451234512345678901332", &size, &d), -1);
    assert_non_null(strstr(d.entries[d.count - 1].message, "does not continue this run"));
    assert_true(size > st.st_size);
    char *junk = bundle(dir, "junk", 0, "hello\n");
    assert_int_equal(resume(junk, FIRST_EID, &size, &d), -1);
    assert_non_null(strstr(d.entries[d.count - 1].message, "not a mint record"));
    rspg_diag_fini(&d);
    free(whole);
    free(torn);
    free(empty);
    free(lone);
    free(other);
    free(junk);
    tu_rmtree(dir);
    free(dir);
}

static void test_open_and_write(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = rspg_xasprintf("%s/b.jsonl", dir);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_jsonl j;
    uint64_t start = 99;
    assert_int_equal(rspg_mint_jsonl_open(&j, path, 0, 0, FIRST_EID, &start, &d), RSPG_OK);
    assert_int_equal(start, 0);
    rspg_mint_record recs[2];
    memset(recs, 0, sizeof(recs));
    recs[0].line = "{\"index\":0}\n";
    recs[0].line_len = strlen(recs[0].line);
    recs[1].line = "{\"index\":1}\n";
    recs[1].line_len = strlen(recs[1].line);
    assert_int_equal(rspg_mint_jsonl_sink(&j, recs, 2, &d), 0);
    rspg_mint_jsonl_close(&j);
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(path, &b), 0);
    assert_int_equal(b.len, 24);
    assert_memory_equal(b.data, "{\"index\":0}\n{\"index\":1}\n", 24);
    rspg_buf_free(&b);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* it exists now: refused unless --force */
    assert_int_equal(rspg_mint_jsonl_open(&j, path, 0, 0, FIRST_EID, &start, &d), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "already exists"));
    rspg_mint_jsonl_close(&j);
    assert_int_equal(rspg_mint_jsonl_open(&j, path, 0, 1, FIRST_EID, &start, &d), RSPG_OK);
    rspg_mint_jsonl_close(&j);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0);
    /* standard output cannot be resumed */
    assert_int_equal(rspg_mint_jsonl_open(&j, "-", 1, 0, FIRST_EID, &start, &d), RSPG_E_USAGE);
    rspg_mint_jsonl_close(&j);
    rspg_diag_fini(&d);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_point),
        cmocka_unit_test(test_open_and_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
