/*
 * test_issue_flow.c: the `issue` flow's own parts (flow/issue_flow.h): the subject syntax of
 * --subject ("/K=V/...", a backslash escapes, string types as in profiles, "${" escaped, refusals
 * left the DN as it was). The whole flow runs in tests/cli/issue.sh with openssl-made CSRs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rspg/flow/issue_flow.h"
#include "rspg/x509/csr.h"
#include "test_util.h"

static void subjects(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_dn dn = {NULL, 0};
    rspg_diag_init(&d);
    assert_int_equal(rspg_issue_parse_subject("/C=DE/O=A\\/B/CN=x ${y}", &d, &dn), RSPG_OK);
    assert_int_equal(dn.count, 3);
    assert_int_equal(dn.attrs[0].type, RSPG_STR_PRINTABLE);
    assert_string_equal(dn.attrs[1].value, "A/B");
    assert_string_equal(dn.attrs[2].value, "x $${y}");
    assert_int_equal(rspg_issue_parse_subject("CN=x", &d, &dn), RSPG_E_USAGE);
    assert_int_equal(rspg_issue_parse_subject("/XX=1", &d, &dn), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "unknown attribute"));
    assert_int_equal(rspg_issue_parse_subject("/CN=", &d, &dn), RSPG_E_USAGE);
    assert_int_equal(rspg_issue_parse_subject("/CN", &d, &dn), RSPG_E_USAGE);
    assert_int_equal(dn.count, 3); /* left as it was */
    rspg_dn_free(&dn);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subjects),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
