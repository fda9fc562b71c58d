/*
 * test_util.c: helpers shared by the unit tests.
 */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rspg/output.h"

char *tu_src(const char *rel)
{
    return rspg_xasprintf("%s/%s", RSPG_SOURCE_DIR, rel);
}

char *tu_shared(const char *rel)
{
    return rspg_xasprintf("%s/%s", RSPG_SHARED_DIR, rel);
}

int tu_have_shared(void)
{
    struct stat st;
    char *p = tu_shared("reference/sgp26/PROFILE.md");
    int ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

int tu_read_file(const char *path, rspg_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
        rspg_buf_append(out, tmp, n);
    int err = ferror(f);
    fclose(f);
    return err ? -1 : 0;
}

int tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

char *tu_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    char *t = rspg_xasprintf("%s/rspg-test-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(t) == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

void tu_rmtree(const char *path)
{
    if (path)
        rspg_remove_tree(path);
}

static char *slurp(const char *path)
{
    rspg_buf b;
    rspg_buf_init(&b);
    tu_read_file(path, &b);
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

int tu_run(const char *cmd, char **out, char **err)
{
    char *dir = tu_mkdtemp();
    if (dir == NULL)
        return -1;
    char *o = rspg_xasprintf("%s/out", dir), *e = rspg_xasprintf("%s/err", dir);
    char *full = rspg_xasprintf("%s >'%s' 2>'%s' </dev/null", cmd, o, e);
    int st = system(full);
    if (out)
        *out = slurp(o);
    if (err)
        *err = slurp(e);
    free(full);
    free(o);
    free(e);
    tu_rmtree(dir);
    free(dir);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

const char *tu_cli(void)
{
    return RSPG_CLI;
}

static char *scratch_root;

int tu_scratch_setup(void **state)
{
    (void)state;
    scratch_root = tu_mkdtemp();
    return scratch_root ? 0 : -1;
}

int tu_scratch_teardown(void **state)
{
    (void)state;
    tu_rmtree(scratch_root);
    free(scratch_root);
    scratch_root = NULL;
    return 0;
}

char *tu_scratch(void)
{
    char *t = rspg_xasprintf("%s/t-XXXXXX", scratch_root);
    if (mkdtemp(t) == NULL) {
        free(t);
        return NULL;
    }
    return t;
}
