/*
 * test_build_filters.c: the --variant, --curve and --only values checked against the profile
 * before a build (flow/build_filters.c): values the profile has pass (a variant, a curve key,
 * suffix or OpenSSL name, a role or an entity id); a value it lacks is RSPG_E_USAGE naming
 * it, listing the valid ones and suggesting the closest ("dp-tsl" -> dp-tls, "P-256" ->
 * prime256v1); every bad value gets its own error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rspg/flow/build_filters.h"
#include "test_util.h"

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

/* Checks the filters; the messages joined by '\n' in *MSG (new string). */
static rspg_status run(char **variants, size_t nv, char **curves, size_t nc, char **roles,
                       size_t nr, char **msg)
{
    rspg_build_options o = {0};
    o.variants = variants;
    o.n_variants = nv;
    o.curves = curves;
    o.n_curves = nc;
    o.roles = roles;
    o.n_roles = nr;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_build_filters_check(prof, &o, &d);
    rspg_buf b;
    rspg_buf_init(&b);
    for (size_t i = 0; i < d.count; i++) {
        rspg_buf_puts(&b, d.entries[i].message);
        rspg_buf_push(&b, '\n');
    }
    rspg_buf_push(&b, 0);
    *msg = (char *)b.data;
    rspg_diag_fini(&d);
    return rc;
}

static void test_good_values(void **state)
{
    (void)state;
    char *v[] = {"O", "A"}, *c[] = {"nist", "BRP", "prime256v1", "brainpoolP256r1"},
         *r[] = {"dp-tls", "o-ci", "eum-subca"};
    char *msg;
    assert_int_equal(run(v, 2, c, 4, r, 3, &msg), RSPG_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(run(NULL, 0, NULL, 0, NULL, 0, &msg), RSPG_OK);
    free(msg);
}

static void test_bad_values(void **state)
{
    (void)state;
    char *v[] = {"D"}, *c[] = {"P-256"}, *r[] = {"dp-tsl"};
    char *msg;
    assert_int_equal(run(v, 1, NULL, 0, NULL, 0, &msg), RSPG_E_USAGE);
    assert_non_null(strstr(msg, "--variant 'D' names no variant of the profile (expected O or A)"));
    free(msg);
    assert_int_equal(run(NULL, 0, c, 1, NULL, 0, &msg), RSPG_E_USAGE);
    assert_non_null(strstr(msg, "--curve 'P-256'"));
    assert_non_null(strstr(msg, "did you mean prime256v1?"));
    free(msg);
    assert_int_equal(run(NULL, 0, NULL, 0, r, 1, &msg), RSPG_E_USAGE);
    assert_non_null(strstr(msg, "--only 'dp-tsl' names no role or entity"));
    assert_non_null(strstr(msg, "did you mean dp-tls?"));
    free(msg);
    /* Ov3 is a variant, but not of this profile */
    char *ov3[] = {"Ov3"};
    assert_int_equal(run(ov3, 1, NULL, 0, NULL, 0, &msg), RSPG_E_USAGE);
    free(msg);
    /* all three at once: three errors */
    assert_int_equal(run(v, 1, c, 1, r, 1, &msg), RSPG_E_USAGE);
    size_t lines = 0;
    for (const char *p = msg; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_values),
        cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
