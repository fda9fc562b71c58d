/*
 * test_rulebook.c: the rulebook's tables (src/lib/rsp/rulebook.c) are complete and
 * consistent: every role has a rule and, for each arc it exists in, an extension profile
 * row (SGP.02 card certificates excepted); the may-issue matrix equals SGP.22 §2.6.1 as the
 * former switch encoded it (X.509 roles) and SGP.02 §2.3 (card certificates); every
 * violation has a rule name, a check word and a source, and every validator gives every
 * violation an error name (the exact strings verify and the manifest use); policy OID ->
 * role -> OID round-trips for both arcs; profile rows carry the policy with the role's
 * criticality, a CA role's row has basicConstraints critical, a TLS role's has EKU; the
 * curves are SGP.22 §2.6.5's.
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <string.h>

#include "rspg/rsp/rulebook.h"

static int is_cvc(rspg_role r)
{
    return r == RSPG_ROLE_SGP02_DP || r == RSPG_ROLE_SGP02_SR || r == RSPG_ROLE_SGP02_ECASD;
}

static void test_every_role_has_a_rule(void **state)
{
    (void)state;
    for (int r = 0; r < RSPG_ROLE_COUNT; r++) {
        const rspg_role_rule *rule = rspg_rule_for((rspg_role)r);
        assert_non_null(rule);
        assert_int_equal(rule->role, r);
        assert_non_null(rule->source);
        assert_true((rule->ku_required & ~rule->ku_allowed) == 0);
        if (is_cvc((rspg_role)r)) {
            assert_non_null(rule->cvc_key_usage);
            assert_int_equal(rule->validator, RSPG_VALIDATOR_CVC);
        } else {
            assert_null(rule->cvc_key_usage);
            assert_true(rule->ku_required != 0);
            /* a CA signs certificates; an end entity signs data only */
            assert_int_equal(!!(rule->ku_required & RSPG_KU_KEY_CERT_SIGN), rule->is_ca);
            assert_int_equal(rspg_role_is_ca((rspg_role)r), rule->is_ca);
        }
    }
    assert_null(rspg_rule_for(RSPG_ROLE_COUNT));
}

static void test_every_role_has_profile_rows(void **state)
{
    (void)state;
    for (int r = 0; r < RSPG_ROLE_COUNT; r++) {
        const rspg_role_rule *rule = rspg_rule_for((rspg_role)r);
        for (int v3 = 0; v3 <= 1; v3++) {
            const rspg_ext_profile *p = rspg_ext_profile_for((rspg_role)r, v3);
            if (is_cvc((rspg_role)r)) {
                assert_null(p);
                continue;
            }
            assert_non_null(p);
            assert_int_equal(p->role, r);
            int has_arc = (v3 ? rule->oid_v3 : rule->oid_v2) != NULL;
            if (has_arc)
                assert_true(p->arc == RSPG_ARC_ANY || p->arc == (v3 ? RSPG_ARC_V3 : RSPG_ARC_V2));
            /* the policy slot, with the role's criticality, where the role has a policy */
            const rspg_ext_slot *cp = rspg_ext_profile_slot(p, RSPG_XID_CP);
            if (has_arc) {
                assert_non_null(cp);
                assert_int_equal(cp->critical, rspg_rule_policy_critical((rspg_role)r, v3));
            } else if (rule->oid_v2 == NULL && rule->oid_v3 == NULL) {
                assert_null(cp); /* eIM: no policy */
            }
            const rspg_ext_slot *bc = rspg_ext_profile_slot(p, RSPG_XID_BC);
            if (rule->is_ca) {
                assert_non_null(bc);
                assert_true(bc->critical);
            }
            const rspg_ext_slot *ku = rspg_ext_profile_slot(p, RSPG_XID_KU);
            assert_non_null(ku);
            assert_true(ku->critical);
            assert_int_equal(rspg_ext_profile_slot(p, RSPG_XID_EKU) != NULL, rule->tls);
            /* no extension twice in a row */
            int seen[RSPG_XID_COUNT] = {0};
            for (int i = 0; i < RSPG_PROFILE_MAX_EXTS && p->exts[i].ext != RSPG_XID_NONE; i++)
                assert_int_equal(seen[p->exts[i].ext]++, 0);
        }
    }
    /* every row names a known role and cites a source */
    for (unsigned i = 0; rspg_ext_profile_at(i); i++) {
        assert_true(rspg_ext_profile_at(i)->role < RSPG_ROLE_COUNT);
        assert_non_null(rspg_ext_profile_at(i)->source);
    }
}

/* The issuing rule as the switch in the former rules.c had it (SGP.22 §2.6.1, v3). */
static int old_may_issue(rspg_role issuer, rspg_role subject)
{
    switch (issuer) {
    case RSPG_ROLE_CI:
        return subject != RSPG_ROLE_CI && subject != RSPG_ROLE_EUM_SUBCA &&
               subject != RSPG_ROLE_EUICC;
    case RSPG_ROLE_CI_SUBCA:
        return subject == RSPG_ROLE_EUM || subject == RSPG_ROLE_DP_SUBCA ||
               subject == RSPG_ROLE_DS_SUBCA || subject == RSPG_ROLE_DP_AUTH ||
               subject == RSPG_ROLE_DP_PB || subject == RSPG_ROLE_DP_TLS ||
               subject == RSPG_ROLE_DS_AUTH || subject == RSPG_ROLE_DS_TLS;
    case RSPG_ROLE_EUM:
        return subject == RSPG_ROLE_EUM_SUBCA || subject == RSPG_ROLE_EUICC;
    case RSPG_ROLE_EUM_SUBCA:
        return subject == RSPG_ROLE_EUICC;
    case RSPG_ROLE_DP_SUBCA:
        return subject == RSPG_ROLE_DP_AUTH || subject == RSPG_ROLE_DP_PB ||
               subject == RSPG_ROLE_DP_TLS;
    case RSPG_ROLE_DS_SUBCA:
        return subject == RSPG_ROLE_DS_AUTH || subject == RSPG_ROLE_DS_TLS;
    default:
        return 0;
    }
}

static void test_may_issue_matrix(void **state)
{
    (void)state;
    for (int i = 0; i < RSPG_ROLE_COUNT; i++)
        for (int s = 0; s < RSPG_ROLE_COUNT; s++) {
            int got = rspg_role_may_issue((rspg_role)i, (rspg_role)s);
            if (!is_cvc((rspg_role)s)) {
                assert_int_equal(got, old_may_issue((rspg_role)i, (rspg_role)s));
                /* only CAs issue */
                if (got)
                    assert_true(rspg_role_is_ca((rspg_role)i));
            }
        }
    /* SGP.02 §2.3: DP and SR card certificates by the CI, the ECASD's by the EUM */
    assert_true(rspg_role_may_issue(RSPG_ROLE_CI, RSPG_ROLE_SGP02_DP));
    assert_true(rspg_role_may_issue(RSPG_ROLE_CI, RSPG_ROLE_SGP02_SR));
    assert_true(rspg_role_may_issue(RSPG_ROLE_EUM, RSPG_ROLE_SGP02_ECASD));
    assert_false(rspg_role_may_issue(RSPG_ROLE_CI, RSPG_ROLE_SGP02_ECASD));
    assert_false(rspg_role_may_issue(RSPG_ROLE_DP_SUBCA, RSPG_ROLE_EUICC));
    /* every non-root role has an issuer */
    for (int s = 0; s < RSPG_ROLE_COUNT; s++) {
        int any = 0;
        for (int i = 0; i < RSPG_ROLE_COUNT; i++)
            any |= rspg_role_may_issue((rspg_role)i, (rspg_role)s);
        assert_int_equal(any, s != RSPG_ROLE_CI);
    }
}

static void test_policy_round_trip(void **state)
{
    (void)state;
    for (int r = 0; r < RSPG_ROLE_COUNT; r++)
        for (int v3 = 0; v3 <= 1; v3++) {
            const char *oid = rspg_rule_policy_oid((rspg_role)r, v3);
            rspg_role back;
            int back_v3;
            if (oid == NULL)
                continue;
            assert_int_equal(rspg_role_from_policy(oid, &back, &back_v3), 0);
            assert_int_equal(back, r);
            /* the CI OID is the same in both arcs and reads as v2 */
            assert_int_equal(back_v3, r == RSPG_ROLE_CI ? 0 : v3);
        }
    rspg_role r;
    int v3;
    assert_int_equal(rspg_role_from_policy("2.23.146.1.2.1.0.0.0.0.0", &r, &v3), 0);
    assert_int_equal(r, RSPG_ROLE_EUICC);
    assert_int_equal(v3, 1);
    assert_int_equal(rspg_role_from_policy("2.23.146.1.2.1.1", &r, &v3), 0);
    assert_int_equal(r, RSPG_ROLE_EUICC);
    assert_int_equal(v3, 0);
    assert_int_equal(rspg_role_from_policy("2.23.146.1.2.1.9", &r, &v3), -1);
    assert_int_equal(rspg_role_from_policy(RSPG_OID_KEY_USAGE, &r, &v3), -1);
}

static void test_violations_and_reasons(void **state)
{
    (void)state;
    for (int v = 0; v < RSPG_V_COUNT; v++) {
        const rspg_violation_def *d = rspg_violation_def_of((rspg_violation)v);
        assert_non_null(d);
        assert_int_equal(d->v, v);
        assert_non_null(d->rule);
        assert_non_null(d->check);
        assert_non_null(d->cite);
        for (int w = 0; w < RSPG_VALIDATOR_COUNT; w++)
            for (unsigned when = 0; when < 16; when++) {
                const rspg_reason_row *row =
                    rspg_rule_reason((rspg_validator)w, (rspg_violation)v, when);
                assert_non_null(row);
                assert_non_null(row->reason);
                assert_int_equal(row->subject_code == NULL, row->reason_code == NULL);
            }
    }
    /* every validator's last row is its default */
    for (unsigned i = 0; rspg_reason_row_at(i); i++)
        assert_non_null(rspg_reason_row_at(i)->cite);
}

static const char *reason(rspg_validator w, rspg_violation v, unsigned when)
{
    return rspg_rule_reason(w, v, when)->reason;
}

static void test_reason_names(void **state)
{
    (void)state;
    const unsigned euicc = RSPG_WHEN_LEAF | RSPG_WHEN_EUICC, eum = RSPG_WHEN_OTHER;
    /* SGP.22 §5.6.3 ES9+ AuthenticateClient */
    assert_string_equal(reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_EXPIRED, euicc),
                        "euiccCertificateExpired");
    assert_string_equal(reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_NOT_YET_VALID, euicc),
                        "euiccCertificateInvalid");
    assert_string_equal(reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_EID, euicc),
                        "euiccCertificateInvalid");
    assert_string_equal(reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_EXPIRED, eum),
                        "eumCertificateExpired");
    assert_string_equal(reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_SIGNATURE, eum),
                        "eumCertificateInvalid");
    assert_string_equal(reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_UNKNOWN_CI, eum), "ciPKUnknown");
    const rspg_reason_row *row =
        rspg_rule_reason(RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_KEY_USAGE, euicc);
    assert_string_equal(row->subject_code, "8.1.3");
    assert_string_equal(row->reason_code, "6.1");
    /* SGP.22 §5.7.13 ES10b AuthenticateServer */
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_CURVE, 0), "unsupportedCurve");
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_POLICY, RSPG_WHEN_LEAF),
                        "invalidOid");
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_POLICY, 0), "invalidCertificate");
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_REVOKED, RSPG_WHEN_V3),
                        "revokedCert");
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_REVOKED, 0), "invalidCertificate");
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_EXPIRED, 0), "invalidCertificate");
    assert_string_equal(reason(RSPG_VALIDATOR_ES10B_PB, RSPG_V_POLICY, RSPG_WHEN_LEAF),
                        "invalidCertificate");
    assert_string_equal(reason(RSPG_VALIDATOR_LPA_TLS, RSPG_V_NOT_YET_VALID, 0),
                        "certificateExpired");
    assert_string_equal(reason(RSPG_VALIDATOR_UNKNOWN, RSPG_V_EKU, 0), "invalidCertificate");
    assert_string_equal(reason(RSPG_VALIDATOR_CRL, RSPG_V_CRL_TIME, 0), "invalidCertOrCrlTime");
    assert_string_equal(reason(RSPG_VALIDATOR_CRL, RSPG_V_CRL_FORMAT, 0), "invalidCrlSignature");
    assert_string_equal(reason(RSPG_VALIDATOR_CVC, RSPG_V_SIGNATURE, 0), "invalidSignature");
    assert_string_equal(reason(RSPG_VALIDATOR_CVC, RSPG_V_ISSUER_KEY_ID, 0), "invalidCertificate");
    /* the validators of the leaf roles */
    assert_int_equal(rspg_rule_validator(1, RSPG_ROLE_EUICC), RSPG_VALIDATOR_ES9_CLIENT);
    assert_int_equal(rspg_rule_validator(1, RSPG_ROLE_DS_AUTH), RSPG_VALIDATOR_ES10B_AUTH);
    assert_int_equal(rspg_rule_validator(1, RSPG_ROLE_DP_PB), RSPG_VALIDATOR_ES10B_PB);
    assert_int_equal(rspg_rule_validator(1, RSPG_ROLE_DP_TLS), RSPG_VALIDATOR_LPA_TLS);
    assert_int_equal(rspg_rule_validator(0, RSPG_ROLE_EUICC), RSPG_VALIDATOR_UNKNOWN);
    /* check words are found back */
    rspg_violation v;
    assert_int_equal(rspg_violation_by_check("name-constraints", &v), 0);
    assert_int_equal(v, RSPG_V_EUM_CONSTRAINT);
    assert_int_equal(rspg_violation_by_check("no-such-check", &v), -1);
}

static void test_extensions_and_curves(void **state)
{
    (void)state;
    for (int i = RSPG_XID_NONE + 1; i < RSPG_XID_COUNT; i++) {
        const rspg_ext_def *d = rspg_ext_def_of((rspg_xid)i);
        assert_non_null(d);
        assert_int_equal(rspg_ext_by_oid(d->oid), i);
    }
    assert_null(rspg_ext_def_of(RSPG_XID_NONE));
    assert_int_equal(rspg_ext_by_oid("2.5.29.99"), RSPG_XID_NONE);
    assert_true(rspg_rule_curve_allowed(RSPG_OID_CURVE_PRIME256V1));
    assert_true(rspg_rule_curve_allowed(RSPG_OID_CURVE_BRAINPOOLP256R1));
    assert_false(rspg_rule_curve_allowed(RSPG_OID_CURVE_SECP384R1));
    assert_false(rspg_rule_curve_allowed(NULL));
    size_t n = 0;
    while (rspg_rule_curves()[n])
        n++;
    assert_int_equal(n, 2);
    assert_true(rspg_role_is_euicc_side(RSPG_ROLE_EUM_SUBCA));
    assert_false(rspg_role_is_euicc_side(RSPG_ROLE_DP_AUTH));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_role_has_a_rule),
        cmocka_unit_test(test_every_role_has_profile_rows),
        cmocka_unit_test(test_may_issue_matrix),
        cmocka_unit_test(test_policy_round_trip),
        cmocka_unit_test(test_violations_and_reasons),
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test(test_extensions_and_curves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
