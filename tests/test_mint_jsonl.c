/*
 * test_mint_jsonl.c: the JSON Lines bundle (issue/mint_jsonl.h): the header line and its
 * comparison (the differing parameter named), the resume point (a torn record cut; an
 * empty file, a header alone, a torn header), every foreign file refused byte for byte
 * unchanged (random binary, JSON without a final newline, another run's header, another
 * first EID, a tail that is not a record), an existing bundle kept unless --force or
 * --resume, the lock naming its holder, the free-space check, and a failed write cut back
 * to the last complete record. Lines go out whole and in order across several writev
 * calls and through writes that signals cut short. A headerless shard resumes from its own
 * first record, and refuses another shard's file, records beyond its end and a bundle with
 * a header.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ: a small pipe, so that writes are cut short */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rspg/issue/mint_jsonl.h"
#include "test_util.h"

#define FIRST_EID "89049032123451234512345678901235"

static const uint8_t issuer[] = {0x30, 0x03, 0x02, 0x01, 0x01};
static const uint8_t profile[] = "entities: []\n";
static const uint8_t seed[] = {0x01};

/* The header of the run from FIRST (with SEED_BYTE as its seed and CLOCK), a new string. */
static char *header_of(const char *first, uint8_t seed_byte, int64_t clock)
{
    uint8_t s[1] = {seed_byte};
    rspg_mint_run run = {issuer,
                         sizeof(issuer),
                         "o-euicc",
                         profile,
                         sizeof(profile) - 1,
                         "prime256v1",
                         first,
                         100,
                         s,
                         1,
                         clock,
                         RSPG_NONCE_RFC6979};
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_mint_header(&run, &b);
    rspg_buf_append(&b, "", 1);
    return (char *)b.data;
}

/* HEADER (may be NULL), N complete records of the run from FIRST_EID, then TAIL. */
static char *bundle(const char *dir, const char *name, const char *header, int n, const char *tail)
{
    rspg_buf b;
    rspg_buf_init(&b);
    if (header)
        rspg_buf_puts(&b, header);
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

static long long resume(const char *path, const char *header, off_t *size, rspg_diag *d)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    long long r = rspg_mint_resume_point(fd, header, FIRST_EID, d);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    *size = st.st_size;
    close(fd);
    return r;
}

static const char *last_message(const rspg_diag *d)
{
    assert_true(d->count > 0);
    return d->entries[d->count - 1].message;
}

static void test_header(void **state)
{
    (void)state;
    char *h = header_of(FIRST_EID, 1, 1735689600);
    assert_non_null(strstr(h, "{\"rsp-pkigen-mint\":1,\"run\":{\"issuer\":\""));
    assert_non_null(strstr(h, "\"template\":\"o-euicc\",\"profile\":\""));
    assert_non_null(strstr(h, "\"curve\":\"prime256v1\",\"first_eid\":\"" FIRST_EID
                              "\",\"count\":100,\"seed\":\""));
    assert_non_null(strstr(h, "\"clock\":\"2025-01-01T00:00:00Z\",\"signatures\":\"rfc6979\"}}\n"));
    assert_null(strstr(h, "\"seed\":\"01\"")); /* a digest, never the seed */
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint_header_compare(h, strlen(h) - 1, h, &d), 0);
    char *other_seed = header_of(FIRST_EID, 2, 1735689600);
    assert_int_equal(rspg_mint_header_compare(other_seed, strlen(other_seed) - 1, h, &d), -1);
    assert_non_null(strstr(last_message(&d), "another run: its seed is"));
    char *other_clock = header_of(FIRST_EID, 1, 1735689601);
    assert_int_equal(rspg_mint_header_compare(other_clock, strlen(other_clock) - 1, h, &d), -1);
    assert_non_null(strstr(last_message(&d), "its clock is \"2025-01-01T00:00:01Z\""));
    assert_int_equal(rspg_mint_header_compare("{\"a\":1}", 7, h, &d), -1);
    assert_non_null(strstr(last_message(&d), "not a mint bundle"));
    assert_int_equal(rspg_mint_header_compare("{\"rsp-pkigen-mint\":2,\"run\":{}}", 30, h, &d), -1);
    assert_non_null(strstr(last_message(&d), "not version 1"));
    (void)seed;
    rspg_diag_fini(&d);
    free(h);
    free(other_seed);
    free(other_clock);
}

/* Resuming PATH is refused with WHY in the message, and the file is unchanged. */
static void refused(const char *path, const char *header, const char *why, rspg_diag *d)
{
    rspg_buf before, after;
    rspg_buf_init(&before);
    rspg_buf_init(&after);
    assert_int_equal(tu_read_file(path, &before), 0);
    off_t size;
    assert_int_equal(resume(path, header, &size, d), -1);
    assert_non_null(strstr(last_message(d), why));
    assert_int_equal(tu_read_file(path, &after), 0);
    assert_int_equal(before.len, after.len);
    if (before.len)
        assert_memory_equal(before.data, after.data, before.len);
    rspg_buf_free(&before);
    rspg_buf_free(&after);
}

static void test_resume_point(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *h = header_of(FIRST_EID, 1, 0);
    rspg_diag d;
    rspg_diag_init(&d);
    off_t size;
    char *whole = bundle(dir, "whole", h, 3, "");
    struct stat st;
    assert_int_equal(stat(whole, &st), 0);
    assert_int_equal(resume(whole, h, &size, &d), 3);
    assert_int_equal(size, st.st_size);
    char *torn = bundle(dir, "torn", h, 3, "{\"index\":3,\"eid\":\"8904");
    assert_int_equal(resume(torn, h, &size, &d), 3);
    assert_int_equal(size, st.st_size); /* the torn record is cut */
    char *empty = bundle(dir, "empty", NULL, 0, "");
    assert_int_equal(resume(empty, h, &size, &d), 0);
    char *alone = bundle(dir, "alone", h, 0, "");
    assert_int_equal(resume(alone, h, &size, &d), 0);
    assert_int_equal(size, (off_t)strlen(h));
    char *lone = bundle(dir, "lone", h, 0, "{\"index\":0,");
    assert_int_equal(resume(lone, h, &size, &d), 0);
    assert_int_equal(size, (off_t)strlen(h));
    char half[64];
    snprintf(half, sizeof(half), "%.40s", h);
    char *torn_header = bundle(dir, "torn-header", NULL, 0, half);
    assert_int_equal(resume(torn_header, h, &size, &d), 0);
    assert_int_equal(size, 0);
    /* foreign files: refused, not a byte changed */
    char *binary = bundle(dir, "binary", NULL, 0,
                          "\x7f"
                          "ELF\x02\x01\x01\x00\xff\xfe\n\x01");
    refused(binary, h, "not a mint bundle", &d);
    char *json = bundle(dir, "json", NULL, 0, "{\"name\": \"my data\", \"n\": [1, 2, 3]}");
    refused(json, h, "not a mint bundle", &d);
    char *old = bundle(dir, "old", NULL, 2, ""); /* records without a header */
    refused(old, h, "not a mint bundle", &d);
    char *other = header_of(FIRST_EID, 2, 0);
    char *other_run = bundle(dir, "other-run", other, 3, "{\"ind");
    refused(other_run, h, "its seed is", &d);
    char *other_clock = header_of(FIRST_EID, 1, 60);
    char *later = bundle(dir, "later", other_clock, 3, "");
    refused(later, h, "its clock is", &d);
    char *h2 = header_of("89049032123451234512345678901332", 1, 0);
    char *moved = bundle(dir, "moved", h2, 3, ""); /* header of h2, records of FIRST_EID */
    int fd = open(moved, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(rspg_mint_resume_point(fd, h2, "89049032123451234512345678901332", &d), -1);
    close(fd);
    assert_non_null(strstr(last_message(&d), "does not continue this run"));
    char *junk = bundle(dir, "junk", h, 3, "hello");
    refused(junk, h, "not the start of record 3", &d);
    char *junk_line = bundle(dir, "junk-line", h, 3, "hello\n");
    refused(junk_line, h, "not a mint record", &d);
    char *skipped = bundle(dir, "skipped", h, 3, "{\"index\":5,");
    refused(skipped, h, "not the start of record 3", &d);
    rspg_diag_fini(&d);
    char *all[] = {whole,     torn,    empty,     alone,       lone,  torn_header, binary, json,
                   old,       other,   other_run, other_clock, later, h2,          moved,  junk,
                   junk_line, skipped, h};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        free(all[i]);
    tu_rmtree(dir);
    free(dir);
}

/* A headerless shard file: records FROM..FROM+N-1 of the run from FIRST_EID, then TAIL. */
static char *shard_file(const char *dir, const char *name, int from, int n, const char *tail)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (int i = from; i < from + n; i++) {
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

/* The resume point of the shard of records 5..9 in PATH (and the file's size after it). */
static long long resume_shard(const char *path, const char *header, off_t *size, rspg_diag *d)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    long long r = rspg_mint_resume_point_shard(fd, header, FIRST_EID, 5, 10, d);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    *size = st.st_size;
    close(fd);
    return r;
}

static void test_resume_point_shard(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    rspg_diag d;
    rspg_diag_init(&d);
    off_t size;
    char *empty = shard_file(dir, "empty", 0, 0, "");
    assert_int_equal(resume_shard(empty, "", &size, &d), 5); /* the shard's first record */
    char *part = shard_file(dir, "part", 5, 3, "");
    assert_int_equal(resume_shard(part, "", &size, &d), 8);
    char *done = shard_file(dir, "done", 5, 5, "");
    assert_int_equal(resume_shard(done, "", &size, &d), 10);
    char *torn_first = shard_file(dir, "torn-first", 5, 0, "{\"index\":5,\"ei");
    assert_int_equal(resume_shard(torn_first, "", &size, &d), 5);
    assert_int_equal(size, 0);
    char *torn = shard_file(dir, "torn", 5, 2, "{\"index\":7,");
    assert_int_equal(resume_shard(torn, "", &size, &d), 7);
    /* refused, unchanged: another shard's records, too many records, a header */
    char *other = shard_file(dir, "other", 0, 3, "");
    assert_int_equal(resume_shard(other, "", &size, &d), -1);
    assert_non_null(strstr(last_message(&d), "does not start with record 5 of this run"));
    char *beyond = shard_file(dir, "beyond", 5, 7, "");
    struct stat st;
    assert_int_equal(stat(beyond, &st), 0);
    assert_int_equal(resume_shard(beyond, "", &size, &d), -1);
    assert_non_null(strstr(last_message(&d), "outside this shard's records 5 to 9"));
    assert_int_equal(size, st.st_size);
    char *h = header_of(FIRST_EID, 1, 0);
    char *whole = bundle(dir, "whole", h, 3, "");
    assert_int_equal(resume_shard(whole, "", &size, &d), -1);
    /* shard 0 carries the header: records 0..2 of a shard 0..2 (complete) */
    int fd = open(whole, O_RDWR);
    assert_int_equal(rspg_mint_resume_point_shard(fd, h, FIRST_EID, 0, 3, &d), 3);
    close(fd);
    rspg_diag_fini(&d);
    char *all[] = {empty, part, done, torn_first, torn, other, beyond, h, whole};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        free(all[i]);
    tu_rmtree(dir);
    free(dir);
}

static rspg_mint_jsonl_params params(const char *path, const char *h, int resume, int force)
{
    rspg_mint_jsonl_params p = {path, resume, force, 1, h, FIRST_EID, 100, 12};
    return p;
}

static void test_open_and_write(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = rspg_xasprintf("%s/b.jsonl", dir);
    char *h = header_of(FIRST_EID, 1, 0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_jsonl j;
    rspg_mint_jsonl_params p = params(path, h, 0, 0);
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_OK);
    assert_int_equal(j.start, 0);
    assert_true(j.bytes >= 100 * 12 + strlen(h));
    assert_true(j.avail > 0 && j.avail != UINT64_MAX);
    rspg_mint_record recs[2];
    memset(recs, 0, sizeof(recs));
    recs[0].line = "{\"index\":0}\n";
    recs[0].line_len = strlen(recs[0].line);
    recs[1].line = "{\"index\":1}\n";
    recs[1].line_len = strlen(recs[1].line);
    assert_int_equal(rspg_mint_jsonl_sink(&j, recs, 2, &d), 0);
    /* the lock: another open of the same bundle is refused, naming the holder */
    rspg_mint_jsonl k;
    rspg_mint_jsonl_params pr = params(path, h, 1, 0);
    assert_int_equal(rspg_mint_jsonl_open(&k, &pr, &d), RSPG_E_USAGE);
    char pid[32];
    snprintf(pid, sizeof(pid), "(pid %d)", (int)getpid());
    assert_non_null(strstr(last_message(&d), "another mint"));
    assert_non_null(strstr(last_message(&d), pid));
    rspg_mint_jsonl_close(&k);
    rspg_mint_jsonl_close(&j);
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(path, &b), 0);
    size_t hl = strlen(h);
    assert_int_equal(b.len, hl + 24);
    assert_memory_equal(b.data, h, hl);
    assert_memory_equal(b.data + hl, "{\"index\":0}\n{\"index\":1}\n", 24);
    rspg_buf_free(&b);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* it exists now: refused unless --force */
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_E_USAGE);
    assert_non_null(strstr(last_message(&d), "already exists"));
    rspg_mint_jsonl_close(&j);
    p.force = 1;
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_OK);
    rspg_mint_jsonl_close(&j);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, (off_t)hl); /* the header alone */
    /* standard output cannot be resumed */
    rspg_mint_jsonl_params ps = params("-", h, 1, 0);
    assert_int_equal(rspg_mint_jsonl_open(&j, &ps, &d), RSPG_E_USAGE);
    rspg_mint_jsonl_close(&j);
    rspg_diag_fini(&d);
    free(path);
    free(h);
    tu_rmtree(dir);
    free(dir);
}

static void test_space(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = rspg_xasprintf("%s/big.jsonl", dir);
    char *h = header_of(FIRST_EID, 1, 0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_jsonl j;
    rspg_mint_jsonl_params p = params(path, h, 0, 0);
    p.count = UINT64_MAX / 2;
    p.record_len = 1000;
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_E_USAGE);
    assert_non_null(strstr(last_message(&d), "records need about more than 18 EB"));
    assert_non_null(strstr(last_message(&d), "nothing was written"));
    rspg_mint_jsonl_close(&j);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0); /* not even an empty file */
    p.space_check = 0;
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_OK);
    rspg_mint_jsonl_close(&j);
    rspg_diag_fini(&d);
    free(path);
    free(h);
    tu_rmtree(dir);
    free(dir);
}

enum { MANY = 700 };
static char many_lines[MANY][48];

/* MANY records, each line of another length, more than one writev takes (LINES_PER_WRITE);
 * WANT gets their concatenation. */
static void fill_many(rspg_mint_record recs[MANY], rspg_buf *want)
{
    memset(recs, 0, MANY * sizeof(recs[0]));
    for (int i = 0; i < MANY; i++) {
        snprintf(many_lines[i], sizeof(many_lines[i]), "{\"index\":%d,\"pad\":\"%.*s\"}\n", i,
                 i % 17, "xxxxxxxxxxxxxxxxx");
        recs[i].line = many_lines[i];
        recs[i].line_len = strlen(many_lines[i]);
        rspg_buf_puts(want, many_lines[i]);
    }
}

/* The file holds every line once, in order, after one sink call. */
static void test_many_lines(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = rspg_xasprintf("%s/b.jsonl", dir);
    char *h = header_of(FIRST_EID, 1, 0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_jsonl j;
    rspg_mint_jsonl_params p = params(path, h, 0, 0);
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_OK);
    static rspg_mint_record recs[MANY];
    rspg_buf want;
    rspg_buf_init(&want);
    rspg_buf_puts(&want, h);
    fill_many(recs, &want);
    assert_int_equal(rspg_mint_jsonl_sink(&j, recs, MANY, &d), 0);
    assert_int_equal(j.good, (off_t)want.len);
    rspg_mint_jsonl_close(&j);
    rspg_buf got;
    rspg_buf_init(&got);
    assert_int_equal(tu_read_file(path, &got), 0);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    rspg_buf_free(&got);
    rspg_buf_free(&want);
    rspg_diag_fini(&d);
    free(path);
    free(h);
    tu_rmtree(dir);
    free(dir);
}

static volatile sig_atomic_t ticks;
static void on_tick(int sig)
{
    (void)sig;
    ticks++;
}

/* Copies the pipe FD to PATH in small, slow reads (the child of test_short_writes). */
static void slow_reader(int fd, const char *path)
{
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char piece[512];
    ssize_t n = -1;
    while (out >= 0 && (n = read(fd, piece, sizeof(piece))) > 0) {
        if (write(out, piece, (size_t)n) != n)
            _exit(1);
        nanosleep(&(struct timespec){0, 200000}, NULL);
    }
    _exit(out >= 0 && n == 0 ? 0 : 1);
}

/* Writes cut short: a small pipe read slowly and a timer whose signal interrupts writev
 * (no SA_RESTART), so writev returns after part of the lines; every line still arrives
 * once, in order. */
static void test_short_writes(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = rspg_xasprintf("%s/piped", dir);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    (void)fcntl(fds[1], F_SETPIPE_SZ, 4096);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[1]);
        slow_reader(fds[0], path);
    }
    close(fds[0]);
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_tick; /* no SA_RESTART */
    assert_int_equal(sigaction(SIGALRM, &sa, &old_sa), 0);
    struct itimerval every = {{0, 300}, {0, 300}}, off = {{0, 0}, {0, 0}};
    ticks = 0;
    assert_int_equal(setitimer(ITIMER_REAL, &every, NULL), 0);
    static rspg_mint_record recs[MANY];
    rspg_buf want;
    rspg_buf_init(&want);
    fill_many(recs, &want);
    rspg_mint_jsonl j;
    memset(&j, 0, sizeof(j));
    j.fd = fds[1];
    rspg_diag d;
    rspg_diag_init(&d);
    int rc = rspg_mint_jsonl_sink(&j, recs, MANY, &d);
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old_sa, NULL);
    close(fds[1]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(rc, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(ticks > 0);
    rspg_buf got;
    rspg_buf_init(&got);
    assert_int_equal(tu_read_file(path, &got), 0);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    rspg_buf_free(&got);
    rspg_buf_free(&want);
    rspg_diag_fini(&d);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

/* A write that fails half-way (here RLIMIT_FSIZE; a full disk alike) is cut back. */
static void test_failed_write_cut_back(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *path = rspg_xasprintf("%s/b.jsonl", dir);
    char *h = header_of(FIRST_EID, 1, 0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_jsonl j;
    rspg_mint_jsonl_params p = params(path, h, 0, 0);
    assert_int_equal(rspg_mint_jsonl_open(&j, &p, &d), RSPG_OK);
    char line[64];
    snprintf(line, sizeof(line), "{\"index\":0,\"pad\":\"%040d\"}\n", 0);
    rspg_mint_record recs[4];
    memset(recs, 0, sizeof(recs));
    for (int i = 0; i < 4; i++) {
        recs[i].line = line;
        recs[i].line_len = strlen(line);
    }
    assert_int_equal(rspg_mint_jsonl_sink(&j, recs, 1, &d), 0);
    off_t good = (off_t)(strlen(h) + strlen(line));
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)good + 30; /* room for part of one more record */
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = rspg_mint_jsonl_sink(&j, recs, 4, &d);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(last_message(&d), "it ends with the last complete record"));
    rspg_mint_jsonl_close(&j);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, good);
    rspg_diag_fini(&d);
    free(path);
    free(h);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_resume_point),
        cmocka_unit_test(test_resume_point_shard),
        cmocka_unit_test(test_open_and_write),
        cmocka_unit_test(test_space),
        cmocka_unit_test(test_many_lines),
        cmocka_unit_test(test_short_writes),
        cmocka_unit_test(test_failed_write_cut_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
