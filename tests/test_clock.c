/*
 * test_clock.c: base/clock.c, the one rule for the issuing time of build and mint:
 * option > profile defaults.clock > SOURCE_DATE_EPOCH > now. SOURCE_DATE_EPOCH follows
 * reproducible-builds.org: decimal digits only; set but empty counts as unset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rspg/base/clock.h"
#include "test_util.h"

#define T2025 1735689600 /* 2025-01-01T00:00:00Z */
#define T2030 1893456000 /* 2030-01-01T00:00:00Z */

static int clear_env(void **state)
{
    (void)state;
    unsetenv("SOURCE_DATE_EPOCH");
    return 0;
}

/* Resolves with the given inputs; returns the status, fills OUT and the first message. */
static rspg_status resolve(int has_option, int64_t option, const char *profile, rspg_clock *out,
                           char *msg, size_t n)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status st = rspg_clock_resolve(has_option, option, profile, &d, out);
    if (msg)
        snprintf(msg, n, "%s", d.count ? d.entries[0].message : "");
    if (st == RSPG_OK)
        assert_int_equal(d.count, 0);
    else
        assert_int_equal(d.errors, 1);
    rspg_diag_fini(&d);
    return st;
}

static void test_option_wins(void **state)
{
    (void)state;
    rspg_clock c;
    setenv("SOURCE_DATE_EPOCH", "1000", 1);
    assert_int_equal(resolve(1, 42, "2025-01-01T00:00:00Z", &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, 42);
    assert_string_equal(c.source, "option");
    /* an option of 0 (the epoch) is still the option */
    assert_int_equal(resolve(1, 0, NULL, &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, 0);
    assert_string_equal(c.source, "option");
}

static void test_profile_before_environment(void **state)
{
    (void)state;
    rspg_clock c;
    setenv("SOURCE_DATE_EPOCH", "1000", 1);
    assert_int_equal(resolve(0, 42, "2025-01-01T00:00:00Z", &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, T2025);
    assert_string_equal(c.source, "profile");
    assert_int_equal(resolve(0, 0, "2030-01-01", &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, T2030);
}

static void test_bad_profile_clock(void **state)
{
    (void)state;
    char msg[256];
    rspg_clock c = {7, "untouched"};
    assert_int_equal(resolve(0, 0, "2025-13-01T00:00:00Z", &c, msg, sizeof(msg)), RSPG_E_PROFILE);
    assert_non_null(strstr(msg, "2025-13-01T00:00:00Z"));
    assert_int_equal(c.time, 7);
    assert_string_equal(c.source, "untouched");
    assert_int_equal(resolve(0, 0, "tomorrow", &c, NULL, 0), RSPG_E_PROFILE);
}

static void test_source_date_epoch(void **state)
{
    (void)state;
    rspg_clock c;
    setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
    assert_int_equal(resolve(0, 0, NULL, &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, T2025);
    assert_string_equal(c.source, "SOURCE_DATE_EPOCH");
    setenv("SOURCE_DATE_EPOCH", "0", 1);
    assert_int_equal(resolve(0, 0, NULL, &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, 0);
    assert_string_equal(c.source, "SOURCE_DATE_EPOCH");
    /* the largest int64 is still a number of seconds */
    setenv("SOURCE_DATE_EPOCH", "9223372036854775807", 1);
    assert_int_equal(resolve(0, 0, NULL, &c, NULL, 0), RSPG_OK);
    assert_int_equal(c.time, INT64_MAX);
}

static void test_source_date_epoch_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {" 10",
                                      "10 ",
                                      "1e3",
                                      "-5",
                                      "+5",
                                      "0x10",
                                      "soon",
                                      "1.5",
                                      "99999999999999999999",
                                      "9223372036854775808"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char msg[256];
        rspg_clock c = {7, "untouched"};
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        if (resolve(0, 0, NULL, &c, msg, sizeof(msg)) != RSPG_E_USAGE)
            fail_msg("SOURCE_DATE_EPOCH '%s' was accepted", bad[i]);
        /* the message names the variable and the value as given */
        assert_non_null(strstr(msg, "SOURCE_DATE_EPOCH"));
        char *quoted = rspg_xasprintf("'%s'", bad[i]);
        assert_non_null(strstr(msg, quoted));
        free(quoted);
        assert_int_equal(c.time, 7);
        assert_string_equal(c.source, "untouched");
    }
}

static void test_now(void **state)
{
    (void)state;
    rspg_clock c;
    for (int set_empty = 0; set_empty <= 1; set_empty++) {
        if (set_empty)
            setenv("SOURCE_DATE_EPOCH", "", 1); /* empty counts as unset */
        else
            unsetenv("SOURCE_DATE_EPOCH");
        int64_t before = (int64_t)time(NULL);
        assert_int_equal(resolve(0, 0, NULL, &c, NULL, 0), RSPG_OK);
        int64_t after = (int64_t)time(NULL);
        assert_string_equal(c.source, "now");
        assert_true(c.time >= before && c.time <= after);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_option_wins, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_profile_before_environment, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_bad_profile_clock, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_source_date_epoch, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_source_date_epoch_refused, clear_env, clear_env),
        cmocka_unit_test_setup_teardown(test_now, clear_env, clear_env),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
