/*
 * test_output.c: atomic output (src/lib/output.c).
 *
 * A build written with rspg_output_write: every file with its exact bytes, private keys
 * 0600 whatever the umask, other files 0644, nothing left beside the destination; the
 * destination appears only complete (a watcher process never sees it partial); an
 * existing destination is refused without force (and left untouched) and replaced with
 * force; a failure part-way (two files with one path, a file where a folder must go)
 * leaves no destination and no `*.tmp-*` folder, and keeps an old destination; an
 * unwritable parent (a path under a regular file) fails with RSPG_E_IO and leaves
 * nothing behind; rspg_remove_tree. Issue 14: artifact paths checked (rspg_output_path_check)
 * and refused by the writer itself; --force only over a previous output or an empty folder,
 * force_any over any, never over a link or a folder holding the profile; the lock (a
 * second taker refused with the holder's pid, released without a trace).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rspg/issue/build.h"
#include "rspg/issue/output.h"
#include "test_util.h"

/* ---- helpers ---- */

static void add(rspg_build_result *r, const char *path, const char *data, int secret)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->items = rspg_xrealloc(r->items, r->cap * sizeof(*r->items));
    }
    rspg_artifact *a = &r->items[r->n++];
    memset(a, 0, sizeof(*a));
    a->kind = secret ? RSPG_ART_PRIVATE_KEY : RSPG_ART_CERT;
    a->secret = secret;
    a->path = rspg_xstrdup(path);
    rspg_buf_init(&a->data);
    rspg_buf_append(&a->data, data, strlen(data));
}

/* A result shaped like a build: nested folders, keys, a PEM and DER certificate. */
static void sample(rspg_build_result *r)
{
    memset(r, 0, sizeof(*r));
    add(r, "CI/CERT_CI_SIG_NIST.der", "\x30\x03\x02\x01\x01", 0);
    add(r, "CI/CERT_CI_SIG_NIST.pem",
        "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n", 0);
    add(r, "CI/SK_CI_SIG_NIST.pem",
        "-----BEGIN EC PRIVATE KEY-----\nsecret\n-----END EC PRIVATE KEY-----\n", 1);
    add(r, "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_TLS_NIST.der", "tls", 0);
    add(r, "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/SK_S_SM_DP_TLS_NIST.pem", "tls key", 1);
    add(r, "top.der", "top", 0);
}

static const char manifest_text[] = "{\"schema\": \"rsp-pkigen/manifest/1\"}\n";

static char *path_in(const char *dir, const char *rel)
{
    return rspg_xasprintf("%s/%s", dir, rel);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

/* Names in DIR other than those listed (NULL-terminated), as one string ("" if none). */
static char *extra_entries(const char *dir, const char *const *expected)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    rspg_buf b;
    rspg_buf_init(&b);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        int ok = 0;
        for (size_t i = 0; expected && expected[i]; i++)
            ok |= strcmp(expected[i], de->d_name) == 0;
        if (!ok) {
            rspg_buf_puts(&b, de->d_name);
            rspg_buf_puts(&b, " ");
        }
    }
    closedir(d);
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

static void assert_only(const char *dir, const char *const *expected)
{
    char *extra = extra_entries(dir, expected);
    if (*extra)
        fail_msg("%s holds unexpected entries: %s", dir, extra);
    free(extra);
}

/* Counts regular files under PATH (recursively). */
static size_t count_files(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return 1;
    DIR *d = opendir(path);
    if (d == NULL)
        return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child = path_in(path, de->d_name);
        n += count_files(child);
        free(child);
    }
    closedir(d);
    return n;
}

static void assert_content(const char *dir, const rspg_build_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const rspg_artifact *a = &r->items[i];
        char *p = path_in(dir, a->path);
        rspg_buf got;
        rspg_buf_init(&got);
        assert_int_equal(tu_read_file(p, &got), 0);
        assert_int_equal(got.len, a->data.len);
        assert_memory_equal(got.data, a->data.data, got.len);
        assert_int_equal(mode_of(p), a->secret ? 0600u : 0644u);
        rspg_buf_free(&got);
        free(p);
    }
}

static char *first_message(const rspg_diag *d)
{
    assert_true(d->count >= 1);
    return rspg_diag_format(&d->entries[0]);
}

/* ---- tests ---- */

static void test_write_and_modes(void **state)
{
    (void)state;
    mode_t old = umask(022);
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out");
    rspg_build_result r;
    sample(&r);
    rspg_output_options o = {0, manifest_text};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_OK);
    assert_int_equal(d.count, 0);
    assert_content(dest, &r);
    char *m = path_in(dest, "manifest.json");
    rspg_buf got;
    rspg_buf_init(&got);
    assert_int_equal(tu_read_file(m, &got), 0);
    assert_int_equal(got.len, strlen(manifest_text));
    assert_memory_equal(got.data, manifest_text, got.len);
    assert_int_equal(mode_of(m), 0644u);
    rspg_buf_free(&got);
    free(m);
    assert_int_equal(mode_of(dest), 0755u);
    char *sub = path_in(dest, "Valid Test Cases/Variant O/SM-DP+");
    assert_int_equal(mode_of(sub), 0755u);
    free(sub);
    assert_int_equal(count_files(dest), r.n + 1);
    static const char *const only_out[] = {"out", NULL};
    assert_only(tmp, only_out); /* no out.tmp-* or out.old-* */
    rspg_diag_fini(&d);

    /* a permissive umask does not open the keys up; a trailing '/' names the same folder */
    umask(0);
    char *dest2 = rspg_xasprintf("%s/out2//", tmp);
    o.manifest = NULL;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest2, &r, &o, &d), RSPG_OK);
    char *out2 = path_in(tmp, "out2");
    assert_content(out2, &r);
    assert_int_equal(count_files(out2), r.n); /* no manifest asked for */
    static const char *const both[] = {"out", "out2", NULL};
    assert_only(tmp, both);
    rspg_diag_fini(&d);
    umask(old);

    free(out2);
    free(dest2);
    rspg_build_result_free(&r);
    tu_rmtree(tmp);
    free(dest);
    free(tmp);
}

static void test_existing_destination(void **state)
{
    (void)state;
    umask(022);
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out");
    char *marker = path_in(dest, "old.txt");
    assert_int_equal(mkdir(dest, 0755), 0);
    assert_int_equal(tu_write_file(marker, "old", 3), 0);
    rspg_build_result r;
    sample(&r);

    /* refused without force, untouched */
    rspg_output_options o = {0, manifest_text};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_USAGE);
    char *msg = first_message(&d);
    char *want = rspg_xasprintf("%s: already exists (use --force to replace it)", dest);
    assert_string_equal(msg, want);
    free(msg);
    free(want);
    assert_true(exists(marker));
    assert_int_equal(count_files(dest), 1);
    static const char *const only_out[] = {"out", NULL};
    assert_only(tmp, only_out);
    rspg_diag_fini(&d);

    /* replaced with force: the old content is gone, nothing is left aside */
    o.force = o.force_any = 1; /* mine.txt alone: not an output of ours */
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_OK);
    assert_false(exists(marker));
    assert_content(dest, &r);
    assert_int_equal(count_files(dest), r.n + 1);
    assert_only(tmp, only_out);
    rspg_diag_fini(&d);

    /* force does not replace a regular file */
    char *file = path_in(tmp, "file");
    assert_int_equal(tu_write_file(file, "x", 1), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(file, &r, &o, &d), RSPG_E_USAGE);
    msg = first_message(&d);
    want = rspg_xasprintf("%s: exists and is not a folder", file);
    assert_string_equal(msg, want);
    free(msg);
    free(want);
    assert_int_equal(count_files(file), 1);
    rspg_diag_fini(&d);

    free(file);
    rspg_build_result_free(&r);
    tu_rmtree(tmp);
    free(marker);
    free(dest);
    free(tmp);
}

static void test_unwritable_parent(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *file = path_in(tmp, "file");
    assert_int_equal(tu_write_file(file, "x", 1), 0);
    char *dest = path_in(file, "out"); /* a folder under a regular file */
    rspg_build_result r;
    sample(&r);
    rspg_output_options o = {1, manifest_text};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_IO);
    char *msg = first_message(&d);
    char *want =
        rspg_xasprintf("%s: cannot create a folder next to it: %s", dest, strerror(ENOTDIR));
    assert_string_equal(msg, want);
    free(msg);
    free(want);
    static const char *const only_file[] = {"file", NULL};
    assert_only(tmp, only_file); /* no *.tmp-* */
    rspg_diag_fini(&d);

    /* a parent that does not exist */
    char *deep = path_in(tmp, "no/such/out");
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(deep, &r, &o, &d), RSPG_E_IO);
    assert_only(tmp, only_file);
    rspg_diag_fini(&d);

    free(deep);
    rspg_build_result_free(&r);
    tu_rmtree(tmp);
    free(dest);
    free(file);
    free(tmp);
}

static void test_failure_part_way(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out");
    rspg_output_options o = {0, manifest_text};
    rspg_diag d;

    /* two artifacts with one path: the second cannot be created (O_EXCL) */
    rspg_build_result r;
    sample(&r);
    add(&r, "CI/CERT_CI_SIG_NIST.der", "again", 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_IO);
    char *msg = first_message(&d);
    char *want =
        rspg_xasprintf("%s/CI/CERT_CI_SIG_NIST.der: cannot write: %s", dest, strerror(EEXIST));
    assert_string_equal(msg, want);
    free(msg);
    free(want);
    assert_false(exists(dest));
    assert_only(tmp, NULL);
    rspg_diag_fini(&d);
    rspg_build_result_free(&r);

    /* a file where a folder must go, with force over an existing destination: the old
     * destination is kept as it was */
    assert_int_equal(mkdir(dest, 0755), 0);
    char *marker = path_in(dest, "old.txt");
    assert_int_equal(tu_write_file(marker, "old", 3), 0);
    memset(&r, 0, sizeof(r));
    add(&r, "a", "file", 0);
    add(&r, "a/b.der", "under a file", 0);
    o.force = o.force_any = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_IO);
    msg = first_message(&d);
    want = rspg_xasprintf("%s/a/b.der: cannot write: ", dest);
    assert_memory_equal(msg, want, strlen(want));
    free(msg);
    free(want);
    assert_true(exists(marker));
    assert_int_equal(count_files(dest), 1);
    static const char *const only_out[] = {"out", NULL};
    assert_only(tmp, only_out);
    rspg_diag_fini(&d);
    rspg_build_result_free(&r);

    free(marker);
    tu_rmtree(tmp);
    free(dest);
    free(tmp);
}

/* A watcher process polls the destination while a large result is written: whenever it
 * exists, it is complete. */
static void test_destination_appears_complete(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out");
    char *done = path_in(tmp, "done");
    rspg_build_result r;
    memset(&r, 0, sizeof(r));
    for (int i = 0; i < 600; i++) {
        char *p = rspg_xasprintf("d%02d/f%03d.der", i % 40, i);
        add(&r, p, "0123456789abcdef", i % 3 == 0);
        free(p);
    }
    size_t want = r.n + 1;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t seen = 0;
        for (;;) {
            int finished = exists(done);
            if (exists(dest)) {
                size_t n = count_files(dest);
                if (n != want)
                    _exit(10);
                seen++;
            }
            if (finished)
                _exit(seen ? 0 : 11);
        }
    }
    rspg_output_options o = {0, manifest_text};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_OK);
    assert_int_equal(tu_write_file(done, "", 0), 0);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_int_equal(count_files(dest), want);
    rspg_diag_fini(&d);
    rspg_build_result_free(&r);
    tu_rmtree(tmp);
    free(done);
    free(dest);
    free(tmp);
}

/* The stage: files in a temporary folder beside the destination, nothing at the
 * destination until commit; discard leaves nothing; with force, the old folder stays
 * untouched until commit and is kept when the stage is discarded. */
static void test_stage_commit_discard(void **state)
{
    (void)state;
    umask(022);
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out");
    rspg_build_result r;
    sample(&r);
    rspg_output_options o = {0, manifest_text};
    rspg_diag d;
    rspg_diag_init(&d);

    /* discarded: nothing at all is left */
    rspg_output_stage *s = NULL;
    assert_int_equal(rspg_output_stage_write(dest, &r, &o, &d, &s), RSPG_OK);
    assert_non_null(s);
    const char *dir = rspg_output_stage_dir(s);
    char *prefix = rspg_xasprintf("%s.tmp-", dest);
    assert_true(strncmp(dir, prefix, strlen(prefix)) == 0);
    free(prefix);
    assert_content(dir, &r);
    assert_int_equal(count_files(dir), r.n + 1);
    assert_false(exists(dest));
    rspg_output_discard(s);
    static const char *const none[] = {NULL};
    assert_only(tmp, none);

    /* committed: in place, no temporary folder left */
    assert_int_equal(rspg_output_stage_write(dest, &r, &o, &d, &s), RSPG_OK);
    assert_int_equal(rspg_output_commit(s, &d), RSPG_OK);
    assert_content(dest, &r);
    static const char *const only_out[] = {"out", NULL};
    assert_only(tmp, only_out);

    /* with force over an existing folder: discard keeps the old one as it was */
    char *marker = path_in(dest, "old.txt");
    assert_int_equal(tu_write_file(marker, "old", 3), 0);
    o.force = 1;
    assert_int_equal(rspg_output_stage_write(dest, &r, &o, &d, &s), RSPG_OK);
    assert_true(exists(marker));
    rspg_output_discard(s);
    assert_true(exists(marker));
    assert_int_equal(count_files(dest), r.n + 2);
    assert_only(tmp, only_out);
    /* and commit replaces it */
    assert_int_equal(rspg_output_stage_write(dest, &r, &o, &d, &s), RSPG_OK);
    assert_int_equal(rspg_output_commit(s, &d), RSPG_OK);
    assert_false(exists(marker));
    assert_int_equal(count_files(dest), r.n + 1);
    assert_only(tmp, only_out);

    /* without force an existing folder is refused before anything is written */
    o.force = 0;
    s = (rspg_output_stage *)&d; /* overwritten with NULL on failure */
    assert_int_equal(rspg_output_stage_write(dest, &r, &o, &d, &s), RSPG_E_USAGE);
    assert_null(s);
    assert_only(tmp, only_out);
    assert_int_equal(d.errors, 1);
    rspg_output_discard(NULL); /* allowed */

    rspg_diag_fini(&d);
    rspg_build_result_free(&r);
    tu_rmtree(tmp);
    free(marker);
    free(dest);
    free(tmp);
}

static void test_remove_tree(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *a = path_in(tmp, "a/b/c");
    char *f = path_in(tmp, "a/b/c/f");
    char *ab = path_in(tmp, "a/b");
    char *top = path_in(tmp, "a");
    assert_int_equal(mkdir(top, 0755), 0);
    assert_int_equal(mkdir(ab, 0755), 0);
    assert_int_equal(mkdir(a, 0755), 0);
    assert_int_equal(tu_write_file(f, "x", 1), 0);
    assert_int_equal(rspg_remove_tree(top, NULL), RSPG_OK);
    assert_false(exists(top));
    assert_int_equal(rspg_remove_tree(top, NULL), RSPG_OK); /* already gone */
    char *plain = path_in(tmp, "plain");
    assert_int_equal(tu_write_file(plain, "x", 1), 0);
    assert_int_equal(rspg_remove_tree(plain, NULL), RSPG_OK); /* a plain file */
    assert_false(exists(plain));
    free(plain);
    assert_int_equal(rmdir(tmp), 0);
    free(a);
    free(f);
    free(ab);
    free(top);
    free(tmp);
}

/* Paths checked after substitution (issue 14): each phrase names the fault. */
static void test_path_check(void **state)
{
    (void)state;
    assert_null(rspg_output_path_check("CI/CERT_CI_SIG_NIST.der"));
    assert_null(
        rspg_output_path_check("Valid Test Cases/Variant O/a..b.der")); /* not a component */
    assert_null(rspg_output_path_check(".hidden/x"));
    assert_string_equal(rspg_output_path_check(""), "is empty");
    assert_string_equal(rspg_output_path_check("/etc/x"), "is absolute");
    assert_string_equal(rspg_output_path_check("../x"), "has a '.' or '..' component");
    assert_string_equal(rspg_output_path_check("a/../../x"), "has a '.' or '..' component");
    assert_string_equal(rspg_output_path_check("a/./x"), "has a '.' or '..' component");
    assert_string_equal(rspg_output_path_check("a/.."), "has a '.' or '..' component");
    assert_string_equal(rspg_output_path_check("a//x"),
                        "has an empty component ('//' or a trailing '/')");
    assert_string_equal(rspg_output_path_check("a/"),
                        "has an empty component ('//' or a trailing '/')");
    assert_string_equal(rspg_output_path_check("a\nb"), "contains a control character");
    assert_string_equal(rspg_output_path_check("manifest.json"), "is the manifest's own name");
    char longname[300];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_string_equal(rspg_output_path_check(longname), "has a component longer than 255 bytes");
    char longpath[1100];
    for (size_t i = 0; i < sizeof(longpath) - 1; i++)
        longpath[i] = i % 2 ? '/' : 'a';
    longpath[sizeof(longpath) - 1] = '\0';
    assert_string_equal(rspg_output_path_check(longpath), "is longer than 1024 bytes");
}

/* The writer itself refuses a path that leaves the stage: nothing anywhere, no lock. */
static void test_writer_confines(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out");
    rspg_build_result r;
    memset(&r, 0, sizeof(r));
    add(&r, "../escaped.der", "x", 0);
    rspg_output_options o = {0, manifest_text};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_USAGE);
    char *msg = first_message(&d);
    char *want = rspg_xasprintf(
        "%s: output path '../escaped.der' has a '.' or '..' component; nothing is written", dest);
    assert_string_equal(msg, want);
    assert_only(tmp, NULL);
    free(msg);
    free(want);
    rspg_diag_fini(&d);
    rspg_build_result_free(&r);
    free(dest);
    assert_int_equal(rmdir(tmp), 0);
    free(tmp);
}

/* --force replaces a previous output or an empty folder only; force_any any folder; never
 * a symbolic link, the current folder or a folder holding KEEP. */
static void test_force_guard(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out"), *mine = path_in(tmp, "out/mine.txt");
    rspg_build_result r;
    sample(&r);
    rspg_output_options o = {1, manifest_text};
    rspg_diag d;
    int exists_flag;
    assert_int_equal(mkdir(dest, 0755), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_check_dest(dest, &o, &d, &exists_flag), RSPG_OK); /* empty */
    assert_true(exists_flag);
    assert_int_equal(tu_write_file(mine, "x", 1), 0);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_USAGE);
    assert_true(exists(mine));
    char *msg = first_message(&d);
    assert_non_null(strstr(msg, "not a previous rsp-pkigen output (it has no manifest.json)"));
    free(msg);
    rspg_diag_fini(&d);
    /* a folder holding KEEP is never replaced, even with force_any */
    o.force_any = 1;
    o.keep = mine;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_USAGE);
    msg = first_message(&d);
    char *want = rspg_xasprintf("%s: contains the profile; never replaced", dest);
    assert_string_equal(msg, want);
    free(msg);
    free(want);
    rspg_diag_fini(&d);
    o.keep = NULL;
    /* force_any replaces it; then the output is ours and plain force does */
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_OK);
    assert_false(exists(mine));
    o.force_any = 0;
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_OK);
    rspg_diag_fini(&d);
    /* a symbolic link at the destination */
    char *link = path_in(tmp, "link");
    assert_int_equal(symlink(dest, link), 0);
    o.force_any = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(link, &r, &o, &d), RSPG_E_USAGE);
    assert_int_equal(d.errors, 1);
    rspg_diag_fini(&d);
    assert_int_equal(unlink(link), 0);
    static const char *const only_out[] = {"out", NULL};
    assert_only(tmp, only_out);
    rspg_build_result_free(&r);
    assert_int_equal(rspg_remove_tree(dest, NULL), RSPG_OK);
    assert_int_equal(rmdir(tmp), 0);
    free(link);
    free(mine);
    free(dest);
    free(tmp);
}

/* The lock: a second taker is refused with the holder's pid; release removes the file. */
static void test_lock(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *dest = path_in(tmp, "out"), *lockfile = path_in(tmp, "out.lock");
    rspg_output_lock *l = NULL, *l2 = NULL;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_lock_take(dest, &d, &l), RSPG_OK);
    assert_true(exists(lockfile));
    assert_int_equal(rspg_output_lock_take(dest, &d, &l2), RSPG_E_IO);
    assert_null(l2);
    char *msg = first_message(&d);
    char *want = rspg_xasprintf(
        "%s: another rsp-pkigen run (pid %ld) is writing it (%s.lock); nothing was done", dest,
        (long)getpid(), dest);
    assert_string_equal(msg, want);
    free(msg);
    free(want);
    rspg_diag_fini(&d);
    /* a stage of the same destination is refused too, and leaves nothing */
    rspg_build_result r;
    sample(&r);
    rspg_output_options o = {0, manifest_text};
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_E_IO);
    static const char *const only_lock[] = {"out.lock", NULL};
    assert_only(tmp, only_lock);
    rspg_diag_fini(&d);
    /* the holder may write with locked set */
    o.locked = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &r, &o, &d), RSPG_OK);
    rspg_diag_fini(&d);
    rspg_output_lock_release(l);
    assert_false(exists(lockfile));
    rspg_build_result_free(&r);
    assert_int_equal(rspg_remove_tree(dest, NULL), RSPG_OK);
    assert_int_equal(rmdir(tmp), 0);
    free(lockfile);
    free(dest);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_modes),
        cmocka_unit_test(test_existing_destination),
        cmocka_unit_test(test_unwritable_parent),
        cmocka_unit_test(test_failure_part_way),
        cmocka_unit_test(test_destination_appears_complete),
        cmocka_unit_test(test_stage_commit_discard),
        cmocka_unit_test(test_remove_tree),
        cmocka_unit_test(test_path_check),
        cmocka_unit_test(test_writer_confines),
        cmocka_unit_test(test_force_guard),
        cmocka_unit_test(test_lock),
    };
    return cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown);
}
