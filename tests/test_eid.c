/*
 * test_eid.c: EID handling (src/lib/eid.c): the ISO/IEC 7064 MOD 97-10 check digits of
 * SGP.29 §10 on the single SGP.26 test EID 89049032123451234512345678901235 (valid; the
 * check digits of its first 30 digits are "35"), the three error codes (wrong length,
 * non-digits, wrong check digits, with length checked first) and their texts, detection of
 * every single-digit substitution and every adjacent transposition, rspg_eid_complete on
 * good and bad input, and the EIN prefix test used for the EUM nameConstraints (89049032).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rspg/rsp/eid.h"

#define SGP26_EID "89049032123451234512345678901235"
#define SGP26_EID30 "890490321234512345123456789012"

static void test_sgp26_eid_valid(void **state)
{
    (void)state;
    assert_int_equal(strlen(SGP26_EID), RSPG_EID_LEN);
    assert_int_equal(rspg_eid_check(SGP26_EID), RSPG_EID_OK);
    /* a second, independently published example (SGP.29 style EID) */
    assert_int_equal(rspg_eid_check("89001012012341234012345678901224"), RSPG_EID_OK);
}

static void test_check_digits(void **state)
{
    char cd[2] = {'x', 'x'};
    (void)state;
    assert_int_equal(rspg_eid_check_digits(SGP26_EID30, cd), 0);
    assert_memory_equal(cd, "35", 2);
    /* only the first 30 digits count: the full EID (whatever its last two) gives the same */
    cd[0] = cd[1] = 'x';
    assert_int_equal(rspg_eid_check_digits(SGP26_EID, cd), 0);
    assert_memory_equal(cd, "35", 2);
    assert_int_equal(rspg_eid_check_digits(SGP26_EID30 "99", cd), 0);
    assert_memory_equal(cd, "35", 2);
    assert_int_equal(rspg_eid_check_digits("890010120123412340123456789012", cd), 0);
    assert_memory_equal(cd, "24", 2);
    /* all zeros: 98 - 0 = 98, the largest possible pair; check = 98 - (N*100 mod 97) */
    assert_int_equal(rspg_eid_check_digits("000000000000000000000000000000", cd), 0);
    assert_memory_equal(cd, "98", 2);
    /* N = 1: 100 mod 97 = 3, so 95 */
    assert_int_equal(rspg_eid_check_digits("000000000000000000000000000001", cd), 0);
    assert_memory_equal(cd, "95", 2);
}

static void test_check_digits_errors(void **state)
{
    char cd[2] = {'x', 'y'};
    (void)state;
    assert_int_equal(rspg_eid_check_digits("89049032123451234512345678901", cd), -1); /* 29 */
    assert_int_equal(rspg_eid_check_digits("", cd), -1);
    assert_int_equal(rspg_eid_check_digits("89049032123451234512345678901A", cd), -1);
    assert_int_equal(rspg_eid_check_digits("8904903212345 234512345678901", cd), -1);
    assert_int_equal(rspg_eid_check_digits("-89049032123451234512345678901", cd), -1);
}

static void test_errors(void **state)
{
    (void)state;
    /* wrong length */
    assert_int_equal(rspg_eid_check(""), RSPG_EID_BAD_LENGTH);
    assert_int_equal(rspg_eid_check(SGP26_EID30), RSPG_EID_BAD_LENGTH);
    assert_int_equal(rspg_eid_check("8904903212345123451234567890123"), RSPG_EID_BAD_LENGTH);
    assert_int_equal(rspg_eid_check(SGP26_EID "0"), RSPG_EID_BAD_LENGTH);
    assert_int_equal(rspg_eid_check(SGP26_EID " "), RSPG_EID_BAD_LENGTH);
    /* length is checked before the characters */
    assert_int_equal(rspg_eid_check("8904903212345123451234567890123X5"), RSPG_EID_BAD_LENGTH);
    /* non-digits, each with the right length */
    assert_int_equal(rspg_eid_check("8904903212345123451234567890123A"), RSPG_EID_NOT_DIGITS);
    assert_int_equal(rspg_eid_check("A9049032123451234512345678901235"), RSPG_EID_NOT_DIGITS);
    assert_int_equal(rspg_eid_check("8904903212345123451234567890123 "), RSPG_EID_NOT_DIGITS);
    assert_int_equal(rspg_eid_check("89049032-23451234512345678901235"), RSPG_EID_NOT_DIGITS);
    /* wrong check digits */
    assert_int_equal(rspg_eid_check(SGP26_EID30 "34"), RSPG_EID_BAD_CHECK_DIGITS);
    assert_int_equal(rspg_eid_check(SGP26_EID30 "36"), RSPG_EID_BAD_CHECK_DIGITS);
    assert_int_equal(rspg_eid_check(SGP26_EID30 "00"), RSPG_EID_BAD_CHECK_DIGITS);
    assert_int_equal(rspg_eid_check(SGP26_EID30 "53"), RSPG_EID_BAD_CHECK_DIGITS);
    assert_int_equal(rspg_eid_check(SGP26_EID30 "99"), RSPG_EID_BAD_CHECK_DIGITS);
    /* of the 100 possible pairs of check digits, exactly one (35) makes the EID valid */
    for (int k = 0; k < 100; k++) {
        char eid[RSPG_EID_LEN + 1];
        snprintf(eid, sizeof(eid), "%s%02d", SGP26_EID30, k);
        assert_int_equal(rspg_eid_check(eid), k == 35 ? RSPG_EID_OK : RSPG_EID_BAD_CHECK_DIGITS);
    }
}

static void test_error_texts(void **state)
{
    (void)state;
    assert_string_equal(rspg_eid_error_text(RSPG_EID_OK), "valid");
    assert_non_null(strstr(rspg_eid_error_text(RSPG_EID_BAD_LENGTH), "32"));
    assert_non_null(strstr(rspg_eid_error_text(RSPG_EID_NOT_DIGITS), "digits"));
    assert_non_null(strstr(rspg_eid_error_text(RSPG_EID_BAD_CHECK_DIGITS), "97-10"));
    assert_string_equal(rspg_eid_error_text((rspg_eid_error)99), "unknown");
}

/* MOD 97-10 detects every single substitution and every adjacent transposition. */
static void test_error_detection(void **state)
{
    (void)state;
    for (int i = 0; i < RSPG_EID_LEN; i++) {
        for (char c = '0'; c <= '9'; c++) {
            char eid[] = SGP26_EID;
            if (eid[i] == c)
                continue;
            eid[i] = c;
            assert_int_equal(rspg_eid_check(eid), RSPG_EID_BAD_CHECK_DIGITS);
        }
    }
    for (int i = 0; i + 1 < RSPG_EID_LEN; i++) {
        char eid[] = SGP26_EID;
        if (eid[i] == eid[i + 1])
            continue;
        char t = eid[i];
        eid[i] = eid[i + 1];
        eid[i + 1] = t;
        assert_int_equal(rspg_eid_check(eid), RSPG_EID_BAD_CHECK_DIGITS);
    }
}

static void test_complete(void **state)
{
    char out[RSPG_EID_LEN + 1];
    (void)state;
    memset(out, 'x', sizeof(out));
    assert_int_equal(rspg_eid_complete(SGP26_EID30, out), 0);
    assert_string_equal(out, SGP26_EID);
    /* extra input beyond 30 digits is ignored, and replaced by the right check digits */
    memset(out, 'x', sizeof(out));
    assert_int_equal(rspg_eid_complete(SGP26_EID30 "00", out), 0);
    assert_string_equal(out, SGP26_EID);

    /* every completed EID is valid, and its check digits are in 02..98 */
    char base[] = "890490320000000000000000000000";
    for (int i = 0; i < 500; i++) {
        snprintf(base + 22, 9, "%08d", i * 7919);
        assert_int_equal(strlen(base), 30);
        assert_int_equal(rspg_eid_complete(base, out), 0);
        assert_int_equal(strlen(out), RSPG_EID_LEN);
        assert_memory_equal(out, base, 30);
        assert_int_equal(rspg_eid_check(out), RSPG_EID_OK);
        int cd = (out[30] - '0') * 10 + (out[31] - '0');
        assert_true(cd >= 2 && cd <= 98);
    }

    /* bad input */
    assert_int_equal(rspg_eid_complete("8904903212345123451234567890", out), -1);
    assert_int_equal(rspg_eid_complete("89049032123451234512345678901X", out), -1);
    assert_int_equal(rspg_eid_complete("", out), -1);
}

static void test_prefix(void **state)
{
    (void)state;
    assert_true(rspg_eid_has_prefix(SGP26_EID, "89049032")); /* the SGP.26 EIN */
    assert_true(rspg_eid_has_prefix(SGP26_EID, "8904903"));
    assert_true(rspg_eid_has_prefix(SGP26_EID, "89"));
    assert_true(rspg_eid_has_prefix(SGP26_EID, SGP26_EID));
    assert_true(rspg_eid_has_prefix(SGP26_EID, ""));
    assert_false(rspg_eid_has_prefix(SGP26_EID, "89049033"));
    assert_false(rspg_eid_has_prefix(SGP26_EID, "9049032"));
    assert_false(rspg_eid_has_prefix(SGP26_EID, SGP26_EID "0"));
    assert_false(rspg_eid_has_prefix("8904", "89049032"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgp26_eid_valid),
        cmocka_unit_test(test_check_digits),
        cmocka_unit_test(test_check_digits_errors),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_texts),
        cmocka_unit_test(test_error_detection),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
