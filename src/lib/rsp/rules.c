/*
 * rules.c: the per-role rules of SGP.22 §4.5.2 (certificate profiles) with the OIDs of
 * §4.5.2.1 / SGP.22 v3 id-rspRole (Variant O: 2.23.146.1.2.1.x; Ov3/A/B/C: the nested arc
 * 2.23.146.1.2.1.0.0...), as SGP.26 v3 instantiates them (the SubCA policies of the DP, DS
 * and EUM SubCAs are non-critical in SGP.26 v3.0.2; TLS policies are non-critical).
 */
#include "rspg/rsp/rules.h"

#include <string.h>

#define KU_SIGN RSPG_KU_DIGITAL_SIGNATURE
#define KU_CA (RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN)

static const rspg_role_rule rules[RSPG_ROLE_COUNT] = {
    {RSPG_ROLE_CI, "2.23.146.1.2.1.0", "2.23.146.1.2.1.0", 1, KU_CA, KU_CA, 1, 1, 0},
    {RSPG_ROLE_CI_SUBCA, NULL, "2.23.146.1.2.1.0.0", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 1, 1, 0},
    {RSPG_ROLE_EUM, "2.23.146.1.2.1.2", "2.23.146.1.2.1.0.0.0", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 1, 1, 0},
    {RSPG_ROLE_EUM_SUBCA, NULL, "2.23.146.1.2.1.0.0.0.0", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 0, 0, 0},
    {RSPG_ROLE_EUICC, "2.23.146.1.2.1.1", "2.23.146.1.2.1.0.0.0.0.0", 0, KU_SIGN, KU_SIGN, 1, 1, 0},
    {RSPG_ROLE_DP_SUBCA, NULL, "2.23.146.1.2.1.0.0.1", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 0, 0, 0},
    {RSPG_ROLE_DS_SUBCA, NULL, "2.23.146.1.2.1.0.0.2", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 0, 0, 0},
    {RSPG_ROLE_DP_AUTH, "2.23.146.1.2.1.4", "2.23.146.1.2.1.0.0.1.1", 0, KU_SIGN, KU_SIGN, 1, 1, 0},
    {RSPG_ROLE_DP_PB, "2.23.146.1.2.1.5", "2.23.146.1.2.1.0.0.1.2", 0, KU_SIGN, KU_SIGN, 1, 1, 0},
    {RSPG_ROLE_DP_TLS, "2.23.146.1.2.1.3", "2.23.146.1.2.1.0.0.1.0", 0, KU_SIGN, KU_SIGN, 0, 0, 1},
    {RSPG_ROLE_DS_AUTH, "2.23.146.1.2.1.7", "2.23.146.1.2.1.0.0.2.1", 0, KU_SIGN, KU_SIGN, 1, 1, 0},
    {RSPG_ROLE_DS_TLS, "2.23.146.1.2.1.6", "2.23.146.1.2.1.0.0.2.0", 0, KU_SIGN, KU_SIGN, 0, 0, 1},
    /* SGP.32 §2.7.3: eIM certificates carry no RSP role policy */
    {RSPG_ROLE_EIM_SIGN, NULL, NULL, 0, KU_SIGN, KU_SIGN, 0, 0, 0},
    {RSPG_ROLE_EIM_TLS, NULL, NULL, 0, KU_SIGN, KU_SIGN, 0, 0, 1},
    /* SGP.02 card-verifiable certificates are not X.509: no policy, no X.509 key usage (cvc.c) */
    {RSPG_ROLE_SGP02_DP, NULL, NULL, 0, 0, 0, 0, 0, 0},
    {RSPG_ROLE_SGP02_SR, NULL, NULL, 0, 0, 0, 0, 0, 0},
    {RSPG_ROLE_SGP02_ECASD, NULL, NULL, 0, 0, 0, 0, 0, 0},
};

const rspg_role_rule *rspg_rule_for(rspg_role role)
{
    return (unsigned)role < RSPG_ROLE_COUNT ? &rules[role] : NULL;
}

int rspg_role_from_policy(const char *oid, rspg_role *role, int *v3)
{
    for (int i = 0; i < RSPG_ROLE_COUNT; i++) {
        if (rules[i].oid_v3 && strcmp(rules[i].oid_v3, oid) == 0 &&
            !(rules[i].oid_v2 && strcmp(rules[i].oid_v2, oid) == 0)) {
            *role = rules[i].role;
            *v3 = 1;
            return 0;
        }
        if (rules[i].oid_v2 && strcmp(rules[i].oid_v2, oid) == 0) {
            *role = rules[i].role;
            *v3 = 0; /* the CI OID is the same in both arcs */
            return 0;
        }
    }
    return -1;
}

int rspg_role_may_issue(rspg_role issuer, rspg_role subject)
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

int rspg_role_is_euicc_side(rspg_role role)
{
    return role == RSPG_ROLE_EUM || role == RSPG_ROLE_EUM_SUBCA || role == RSPG_ROLE_EUICC;
}
