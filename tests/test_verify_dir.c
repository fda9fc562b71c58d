/*
 * test_verify_dir.c: the expiry watch of `verify DIR` (check/verify_dir.c, verify.h) on a
 * build of the private-root profile's Variant O SM-DP+ TLS chain at 2026-01-01: nothing is
 * listed without a window or when nothing expires within it; a window that reaches the
 * CRLs' nextUpdate (2026-01-31) lists them and only what the manifest expects valid, with
 * their dates; a later reference time lists the expired ones too; the verdicts (taken at the
 * manifest's clock) are not affected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rspg/base/time.h"
#include "rspg/check/verify.h"
#include "rspg/flow/build_flow.h"
#include "test_util.h"

static char *dir;

static int setup(void **state)
{
    if (tu_scratch_setup(state) != 0)
        return -1;
    char *scratch = tu_scratch();
    dir = rspg_xasprintf("%s/lab", scratch);
    free(scratch);
    char *profile = tu_src("profiles/private-root.yaml");
    char *roles[] = {"o-dp-tls"};
    static const uint8_t seed[] = {0x17};
    rspg_build_flow_options o = {0};
    o.profile_path = profile;
    o.output = dir;
    o.build.roles = roles;
    o.build.n_roles = 1;
    o.build.has_clock = 1;
    rspg_parse_rfc3339("2026-01-01T00:00:00Z", &o.build.clock);
    o.build.nonce = RSPG_NONCE_RFC6979;
    o.build.seed = seed;
    o.build.seed_len = sizeof(seed);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_build_flow_run(&o, &d, NULL);
    rspg_diag_fini(&d);
    free(profile);
    return rc == RSPG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    free(dir);
    return tu_scratch_teardown(state);
}

static int64_t at(const char *t)
{
    int64_t v = 0;
    assert_int_equal(rspg_parse_rfc3339(t, &v), 0);
    return v;
}

/* Runs the watch at NOW with WINDOW seconds; returns the number listed (RES kept). */
static size_t watch(const char *now, int64_t window, rspg_verify_result *res)
{
    rspg_verify_options o = {0, 0, window, at(now)};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_verify_dir(dir, &o, &d, res), RSPG_OK);
    rspg_diag_fini(&d);
    return res->n_expiring;
}

static void test_no_window_nothing(void **state)
{
    (void)state;
    rspg_verify_result res;
    assert_int_equal(watch("2026-01-02T00:00:00Z", 0, &res), 0);
    assert_true(res.agreed > 0);
    rspg_verify_result_free(&res);
    assert_int_equal(watch("2026-01-02T00:00:00Z", 12 * 3600, &res), 0);
    rspg_verify_result_free(&res);
}

static void test_crls_within_30_days(void **state)
{
    (void)state;
    rspg_verify_result res;
    size_t n = watch("2026-01-02T00:00:00Z", 30 * 86400, &res);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(res.expiring[i].kind, "crl");
        assert_int_equal(res.expiring[i].until, at("2026-01-31T00:00:00Z"));
    }
    assert_int_equal(res.disagreed, 0);
    rspg_verify_result_free(&res);
}

static void test_expired_listed(void **state)
{
    (void)state;
    rspg_verify_result a, b;
    size_t soon = watch("2026-01-02T00:00:00Z", 30 * 86400, &a);
    /* a year later: the CRLs have expired, and the 200-day TLS certificates too */
    size_t later = watch("2027-01-01T00:00:00Z", 86400, &b);
    assert_true(later > soon);
    int tls = 0;
    for (size_t i = 0; i < later; i++) {
        assert_true(b.expiring[i].until < at("2027-01-01T00:00:00Z"));
        tls |= strstr(b.expiring[i].path, "TLS") != NULL &&
               strcmp(b.expiring[i].kind, "certificate") == 0;
    }
    assert_true(tls);
    /* the verdicts are still taken at the manifest's clock: all agree */
    assert_int_equal(b.disagreed, 0);
    rspg_verify_result_free(&a);
    rspg_verify_result_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_window_nothing),
        cmocka_unit_test(test_crls_within_30_days),
        cmocka_unit_test(test_expired_listed),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
