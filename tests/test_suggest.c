/*
 * test_suggest.c: the edit distance and "did you mean" hints of base/suggest.c: distances
 * (insertion, deletion, substitution, transposition, case), the suggestion thresholds on the
 * values of the issue ("dp-tsl" -> dp-tls, "D" among variants -> nothing,
 * "P-256" among curve names -> nothing), the word list and the hint text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rspg/base/suggest.h"

static const char *const roles[] = {"ci",       "ci-subca", "eum",      "eum-subca", "euicc",
                                    "dp-subca", "ds-subca", "dp-auth",  "dp-pb",     "dp-tls",
                                    "ds-auth",  "ds-tls",   "eim-sign", "eim-tls"};
#define N_ROLES (sizeof(roles) / sizeof(roles[0]))

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(rspg_edit_distance("", ""), 0);
    assert_int_equal(rspg_edit_distance("abc", ""), 3);
    assert_int_equal(rspg_edit_distance("", "ab"), 2);
    assert_int_equal(rspg_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(rspg_edit_distance("dp-tsl", "dp-tls"), 1); /* transposition */
    assert_int_equal(rspg_edit_distance("NIST", "nist"), 0);     /* case-insensitive */
    assert_int_equal(rspg_edit_distance("eum", "eum-subca"), 6);
    assert_int_equal(rspg_edit_distance("ca", "abc"), 3); /* OSA, not full Damerau */
}

static void test_suggest(void **state)
{
    (void)state;
    assert_string_equal(rspg_suggest("dp-tsl", roles, N_ROLES), "dp-tls");
    assert_string_equal(rspg_suggest("euic", roles, N_ROLES), "euicc");
    assert_string_equal(rspg_suggest("DP-TLS", roles, N_ROLES), "dp-tls");
    assert_null(rspg_suggest("server", roles, N_ROLES));
    static const char *const curves[] = {"nist", "brainpool",  "NIST",
                                         "BRP",  "prime256v1", "brainpoolP256r1"};
    assert_null(rspg_suggest("P-256", curves, 6));
    assert_string_equal(rspg_suggest("brainpol", curves, 6), "brainpool");
    static const char *const variants[] = {"O", "Ov3", "A", "B", "C"};
    /* one letter off a one-letter variant is no hint: D is not O, A, B or C */
    assert_null(rspg_suggest("D", variants, 5));
    assert_string_equal(rspg_suggest("b", variants, 5), "B");
    assert_string_equal(rspg_suggest("ov3", variants, 5), "Ov3");
    assert_null(rspg_suggest("X9", variants + 1, 1) /* X9 vs Ov3: 2 > 1 */);
}

static void test_word_list(void **state)
{
    (void)state;
    static const char *const w[] = {"a", "b", "a", "c"};
    char *s = rspg_word_list(w, 4);
    assert_string_equal(s, "a, b or c");
    free(s);
    s = rspg_word_list(w, 1);
    assert_string_equal(s, "a");
    free(s);
    s = rspg_word_list(w, 0);
    assert_string_equal(s, "");
    free(s);
}

static void test_hint(void **state)
{
    (void)state;
    static const char *const w[] = {"der", "pem", "both"};
    char *h = rspg_suggest_hint("pen", w, 3);
    assert_string_equal(h, " (expected der, pem or both; did you mean pem?)");
    free(h);
    h = rspg_suggest_hint("xyzzy", w, 3);
    assert_string_equal(h, " (expected der, pem or both)");
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_word_list),
        cmocka_unit_test(test_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
