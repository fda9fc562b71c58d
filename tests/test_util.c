/*
 * test_util.c: helpers shared by the unit tests.
 */
#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rspg/issue/output.h"

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

static int skips;

void tu_note_skip(const char *why, const char *file, int line)
{
    skips++;
    print_message("SKIPPED (%s:%d): %s\n", file, line, why);
}

int tu_skipped(void)
{
    return skips;
}

int tu_exit(int failures)
{
    if (failures != 0)
        return failures;
    if (skips != 0) {
        print_message("%d case(s) skipped: exit 77 (ctest: Not Run)\n", skips);
        return 77;
    }
    return 0;
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
        rspg_remove_tree(path, NULL);
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

/* An EVP_PKEY key pair on CURVE with the private scalar HEX (public point computed). */
EVP_PKEY *tu_pkey_from_scalar(const char *curve, const char *hex)
{
    int nid = OBJ_sn2nid(curve);
    EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    BIGNUM *priv = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *pkey = NULL;
    uint8_t pub[133];
    size_t plen;

    assert_non_null(pt);
    assert_non_null(bld);
    assert_non_null(ctx);
    assert_true(BN_hex2bn(&priv, hex) > 0);
    assert_int_equal(EC_POINT_mul(g, pt, priv, NULL, NULL, NULL), 1);
    plen = EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL);
    assert_true(plen > 0);
    assert_int_equal(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, plen), 1);
    params = OSSL_PARAM_BLD_to_param(bld);
    assert_non_null(params);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params), 1);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    BN_free(priv);
    EC_POINT_free(pt);
    EC_GROUP_free(g);
    return pkey;
}

void tu_key_from_scalar(const char *curve, const char *hex, rspg_key *out)
{
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_from_pkey(tu_pkey_from_scalar(curve, hex), &d, out), RSPG_OK);
    rspg_diag_fini(&d);
}

rspg_ext tu_ext(rspg_ext_kind kind, int critical)
{
    rspg_ext e;
    memset(&e, 0, sizeof(e));
    e.kind = kind;
    e.critical = critical;
    e.path_len = -1;
    return e;
}

rspg_ext tu_ext_bc(int critical, int ca, long path_len)
{
    rspg_ext e = tu_ext(RSPG_EXT_BASIC_CONSTRAINTS, critical);
    e.ca = ca;
    e.path_len = path_len;
    return e;
}

rspg_ext tu_ext_ku(int critical, unsigned bits)
{
    rspg_ext e = tu_ext(RSPG_EXT_KEY_USAGE, critical);
    e.key_usage = bits;
    return e;
}

rspg_ext tu_ext_items(rspg_ext_kind kind, int critical, char **items, size_t n)
{
    rspg_ext e = tu_ext(kind, critical);
    e.items = items;
    e.n_items = n;
    return e;
}

rspg_ext tu_ext_names(rspg_ext_kind kind, int critical, rspg_general_name *names, size_t n)
{
    rspg_ext e = tu_ext(kind, critical);
    e.names = names;
    e.n_names = n;
    return e;
}
