/*
 * test_probe_verdict.c: the verdict of a probe case (src/lib/es9/probe_verdict.c): what SGP.22
 * requires (accept, or reject with the rulebook's ES9+ codes) against the server's
 * functionExecutionStatus; and the rulebook rows the probe reads (SGP.22 §5.6.3 codes).
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <string.h>

#include "rspg/es9/probe_verdict.h"
#include "rspg/rsp/rulebook.h"

static rspg_es9_status answer(int success, const char *subject, const char *reason, long http)
{
    rspg_es9_status st;
    memset(&st, 0, sizeof(st));
    st.success = success;
    st.http_status = http;
    snprintf(st.status, sizeof(st.status), "%s",
             http != 200 ? "HTTP 500"
             : success   ? "Executed-Success"
                         : "Failed");
    snprintf(st.subject_code, sizeof(st.subject_code), "%s", subject);
    snprintf(st.reason_code, sizeof(st.reason_code), "%s", reason);
    return st;
}

static void test_accept_expected(void **state)
{
    (void)state;
    rspg_probe_expect e = {1, NULL, NULL, NULL, "SGP.22"};
    rspg_es9_status ok = answer(1, "", "", 200), refused = answer(0, "8.1.3", "6.1", 200),
                    no_profile = answer(0, "8.2.6", "3.8", 200), crash = answer(0, "", "", 500);
    assert_int_equal(rspg_probe_compare(&e, &ok), RSPG_PROBE_PASS);
    assert_int_equal(rspg_probe_compare(&e, &refused), RSPG_PROBE_SERVER_FAULT);
    assert_int_equal(rspg_probe_compare(&e, &no_profile), RSPG_PROBE_PASS);
    assert_int_equal(rspg_probe_compare(&e, &crash), RSPG_PROBE_SERVER_FAULT);
    rspg_es9_status eight_two_x = answer(0, "8.20", "1", 200); /* not under 8.2 */
    assert_int_equal(rspg_probe_compare(&e, &eight_two_x), RSPG_PROBE_SERVER_FAULT);
}

static void test_reject_expected(void **state)
{
    (void)state;
    rspg_probe_expect e = {0, "euiccCertificateExpired", "8.1.3", "6.3", "SGP.22"};
    rspg_es9_status ok = answer(1, "", "", 200), same = answer(0, "8.1.3", "6.3", 200),
                    other = answer(0, "8.1.3", "6.1", 200), crash = answer(0, "", "", 500);
    assert_int_equal(rspg_probe_compare(&e, &ok), RSPG_PROBE_SERVER_FAULT);
    assert_int_equal(rspg_probe_compare(&e, &same), RSPG_PROBE_PASS);
    assert_int_equal(rspg_probe_compare(&e, &other), RSPG_PROBE_OTHER_CODE);
    assert_int_equal(rspg_probe_compare(&e, &crash), RSPG_PROBE_OTHER_CODE);
    rspg_probe_expect nocode = {0, "eumCertificateInvalid", NULL, NULL, "SGP.22"};
    assert_int_equal(rspg_probe_compare(&nocode, &other), RSPG_PROBE_PASS);
    assert_int_equal(rspg_probe_compare(&nocode, &ok), RSPG_PROBE_SERVER_FAULT);
}

static void test_texts(void **state)
{
    (void)state;
    char buf[64];
    rspg_es9_status ok = answer(1, "", "", 200), no = answer(0, "8.11.1", "3.9", 200),
                    crash = answer(0, "", "", 500);
    assert_string_equal(rspg_probe_status_text(&ok, buf, sizeof(buf)), "success");
    assert_string_equal(rspg_probe_status_text(&no, buf, sizeof(buf)), "8.11.1/3.9");
    assert_string_equal(rspg_probe_status_text(&crash, buf, sizeof(buf)), "HTTP 500");
    assert_string_equal(rspg_probe_verdict_name(RSPG_PROBE_SERVER_FAULT), "SERVER FAULT");
    assert_string_equal(rspg_probe_verdict_name(RSPG_PROBE_OTHER_CODE), "other code");
    assert_string_equal(rspg_probe_verdict_name(RSPG_PROBE_PASS), "pass");
    assert_string_equal(rspg_probe_verdict_name(RSPG_PROBE_ERROR), "error");
}

/* The SGP.22 §5.6.3 codes of the faults the conformance run meets. */
static void test_rulebook_codes(void **state)
{
    (void)state;
    struct {
        rspg_violation v;
        unsigned when;
        const char *reason, *subject, *code;
    } rows[] = {
        {RSPG_V_UNKNOWN_CI, RSPG_WHEN_OTHER, "ciPKUnknown", "8.11.1", "3.9"},
        {RSPG_V_EXPIRED, RSPG_WHEN_EUICC | RSPG_WHEN_LEAF, "euiccCertificateExpired", "8.1.3",
         "6.3"},
        {RSPG_V_EXPIRED, RSPG_WHEN_OTHER, "eumCertificateExpired", "8.1.2", "6.3"},
        {RSPG_V_EID, RSPG_WHEN_EUICC | RSPG_WHEN_LEAF, "euiccCertificateInvalid", "8.1.3", "6.1"},
        {RSPG_V_SIGNATURE, RSPG_WHEN_EUICC | RSPG_WHEN_LEAF, "euiccCertificateInvalid", "8.1.3",
         "6.1"},
        {RSPG_V_EUM_CONSTRAINT, RSPG_WHEN_EUICC | RSPG_WHEN_LEAF, "euiccCertificateInvalid",
         "8.1.4", "6.1"},
        {RSPG_V_PATH_LEN, RSPG_WHEN_OTHER, "eumCertificateInvalid", "8.1.2", "6.1"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const rspg_reason_row *r =
            rspg_rule_reason(RSPG_VALIDATOR_ES9_CLIENT, rows[i].v, rows[i].when);
        assert_non_null(r);
        assert_string_equal(r->reason, rows[i].reason);
        assert_string_equal(r->subject_code, rows[i].subject);
        assert_string_equal(r->reason_code, rows[i].code);
    }
    const rspg_reason_row *f = rspg_rule_es9_fault(RSPG_ES9_FAULT_EUICC_SIGNATURE1);
    assert_non_null(f);
    assert_string_equal(f->subject_code, "8.1");
    assert_string_equal(f->reason_code, "6.1");
    assert_non_null(rspg_rule_es9_fault(RSPG_ES9_FAULT_SERVER_CHALLENGE));
    assert_null(rspg_rule_es9_fault(RSPG_ES9_FAULT_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_expected),
        cmocka_unit_test(test_reject_expected),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_rulebook_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
