/*
 * test_time.c: base/time.c, civil time (UTC) beyond time_t and RFC 3339 text: days from a
 * proleptic Gregorian date and back, month lengths (leap years), digit parsing, and the
 * strict "YYYY-MM-DDTHH:MM:SSZ" / "YYYY-MM-DD" forms the profiles and manifests use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "rspg/base/time.h"
#include "test_util.h"

static void test_parse_digits(void **state)
{
    (void)state;
    int v = -1;
    assert_int_equal(rspg_parse_digits((const uint8_t *)"2025", 4, &v), 0);
    assert_int_equal(v, 2025);
    assert_int_equal(rspg_parse_digits((const uint8_t *)"0071", 4, &v), 0);
    assert_int_equal(v, 71);
    assert_int_equal(rspg_parse_digits((const uint8_t *)"12", 0, &v), 0);
    assert_int_equal(v, 0);
    v = 5;
    assert_int_equal(rspg_parse_digits((const uint8_t *)"2a25", 4, &v), -1);
    assert_int_equal(v, 5); /* untouched on error */
    assert_int_equal(rspg_parse_digits((const uint8_t *)" 1", 2, &v), -1);
    assert_int_equal(rspg_parse_digits((const uint8_t *)"-1", 2, &v), -1);
}

static void test_days_in_month(void **state)
{
    (void)state;
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(rspg_days_in_month(2023, m), dm[m - 1]);
    assert_int_equal(rspg_days_in_month(2024, 2), 29); /* divisible by 4 */
    assert_int_equal(rspg_days_in_month(1900, 2), 28); /* by 100, not 400 */
    assert_int_equal(rspg_days_in_month(2000, 2), 29); /* by 400 */
    assert_int_equal(rspg_days_in_month(2100, 2), 28);
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(rspg_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(rspg_days_from_civil(1970, 1, 2), 1);
    assert_int_equal(rspg_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(rspg_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(rspg_days_from_civil(2025, 1, 1), 20089);
    assert_int_equal(rspg_days_from_civil(1, 1, 1), -719162);
    /* 9999-12-31, the last day of GeneralizedTime, beyond a 32-bit time_t */
    assert_int_equal(rspg_days_from_civil(9999, 12, 31), 2932896);
}

static void check_civil(int64_t t, int y, int mo, int d, int h, int mi, int s)
{
    int Y, MO, D, H, MI, S;
    rspg_civil_from_unix(t, &Y, &MO, &D, &H, &MI, &S);
    assert_int_equal(Y, y);
    assert_int_equal(MO, mo);
    assert_int_equal(D, d);
    assert_int_equal(H, h);
    assert_int_equal(MI, mi);
    assert_int_equal(S, s);
}

static void test_civil_from_unix(void **state)
{
    (void)state;
    check_civil(0, 1970, 1, 1, 0, 0, 0);
    check_civil(-1, 1969, 12, 31, 23, 59, 59);
    check_civil(951782400, 2000, 2, 29, 0, 0, 0);
    check_civil(1735689600 + 86399, 2025, 1, 1, 23, 59, 59);
    check_civil(2147483648, 2038, 1, 19, 3, 14, 8); /* past a 32-bit time_t */
    check_civil(253402300799, 9999, 12, 31, 23, 59, 59);
    /* every day from 1899 to 2101 goes there and back */
    for (int64_t day = rspg_days_from_civil(1899, 1, 1); day < rspg_days_from_civil(2101, 1, 1);
         day++) {
        int y, m, d, h, mi, s;
        rspg_civil_from_unix(day * 86400 + 43200, &y, &m, &d, &h, &mi, &s);
        if (rspg_days_from_civil(y, (unsigned)m, (unsigned)d) != day || h != 12)
            fail_msg("day %lld: %04d-%02d-%02d does not map back", (long long)day, y, m, d);
    }
}

static void test_parse_rfc3339(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(rspg_parse_rfc3339("2025-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 1735689600);
    assert_int_equal(rspg_parse_rfc3339("2025-01-01", &t), 0);
    assert_int_equal(t, 1735689600);
    assert_int_equal(rspg_parse_rfc3339("2024-02-29T23:59:59Z", &t), 0);
    assert_int_equal(t, 1709251199);
    assert_int_equal(rspg_parse_rfc3339("1969-12-31t23:59:59z", &t), 0);
    assert_int_equal(t, -1);
    assert_int_equal(rspg_parse_rfc3339("2025-06-01 12:00:00Z", &t), 0);
    assert_int_equal(t, 1748779200);
}

static void test_parse_rfc3339_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2025",
        "2025-1-01",
        "2025-01-01T00:00:00",       /* no zone */
        "2025-01-01T00:00:00+00:00", /* only Z */
        "2025-01-01T00:00:00.5Z",    /* no fractions */
        "2025-01-01X00:00:00Z",
        "2025/01/01",
        "2025-00-01",
        "2025-13-01",
        "2025-02-29", /* not a leap year */
        "2025-04-31",
        "2025-01-00",
        "0000-01-01",
        "2025-01-01T24:00:00Z",
        "2025-01-01T00:60:00Z",
        "2025-01-01T00:00:60Z", /* no leap seconds */
        " 2025-01-01",
        "2025-01-01 ",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t t = 12345;
        if (rspg_parse_rfc3339(bad[i], &t) != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_int_equal(t, 12345);
    }
}

static void test_format_rfc3339(void **state)
{
    (void)state;
    char out[32];
    rspg_format_rfc3339(1735689600, out, sizeof(out));
    assert_string_equal(out, "2025-01-01T00:00:00Z");
    rspg_format_rfc3339(-1, out, sizeof(out));
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    rspg_format_rfc3339(253402300799, out, sizeof(out));
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    /* formatting and parsing agree */
    for (int64_t t = -86400 * 400; t < 4102444800; t += 86400 * 37 + 3661) {
        int64_t back;
        rspg_format_rfc3339(t, out, sizeof(out));
        assert_int_equal(rspg_parse_rfc3339(out, &back), 0);
        assert_int_equal(back, t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_digits),    cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_days_from_civil), cmocka_unit_test(test_civil_from_unix),
        cmocka_unit_test(test_parse_rfc3339),   cmocka_unit_test(test_parse_rfc3339_refused),
        cmocka_unit_test(test_format_rfc3339),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
