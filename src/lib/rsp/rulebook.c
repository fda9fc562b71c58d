/*
 * rulebook.c: the rules of the RSP PKI as tables (see rulebook.h). Adding a role or a
 * variant is adding rows here: one in `roles`, its `profiles` rows, its `issues` pairs;
 * tests/test_rulebook.c fails when a role lacks one.
 *
 * Sources: SGP.22 §4.5.2.1 (role policies; v3 nested id-rspRole arc), §4.5.2.2 (path
 * validation), §2.6.1 (the certificate hierarchy: who issues whom), §2.6.5 (curves),
 * §5.6.3 / §5.7.13 (the ES9+ AuthenticateClient and ES10b AuthenticateServer errors);
 * SGP.26 v3 as instantiated by the real GSMA DER files and cnf files (PROFILE.md §2, §7;
 * /work/shared/docs/gsma-cert-rules.md §1-§6); SGP.32 §2.7.3 (eIM); SGP.02 §2.3 (CVCs).
 */
#include "rspg/rsp/rulebook.h"

#include <stddef.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- extensions ---- */

static const rspg_ext_def ext_defs[RSPG_XID_COUNT] = {
    [RSPG_XID_SKI] = {RSPG_OID_SUBJECT_KEY_ID, "subjectKeyIdentifier", "SKI"},
    [RSPG_XID_AKI] = {RSPG_OID_AUTHORITY_KEY_ID, "authorityKeyIdentifier", "AKI"},
    [RSPG_XID_BC] = {RSPG_OID_BASIC_CONSTRAINTS, "basicConstraints", "BC"},
    [RSPG_XID_KU] = {RSPG_OID_KEY_USAGE, "keyUsage", "KU"},
    [RSPG_XID_EKU] = {RSPG_OID_EXT_KEY_USAGE, "extendedKeyUsage", "EKU"},
    [RSPG_XID_CP] = {RSPG_OID_CERTIFICATE_POLICIES, "certificatePolicies", "CP"},
    [RSPG_XID_SAN] = {RSPG_OID_SUBJECT_ALT_NAME, "subjectAltName", "SAN"},
    [RSPG_XID_CRLDP] = {RSPG_OID_CRL_DISTRIBUTION_POINTS, "cRLDistributionPoints", "CRLDP"},
    [RSPG_XID_NC] = {RSPG_OID_NAME_CONSTRAINTS, "nameConstraints", "NC"},
    /* SGP.22 v3 id-rsp-permittedEins (SEQUENCE OF PrintableString) */
    [RSPG_XID_EINS] = {RSPG_OID_PERMITTED_EINS, "permittedEins", "permittedEins"},
};

const rspg_ext_def *rspg_ext_def_of(rspg_xid id)
{
    return id > RSPG_XID_NONE && id < RSPG_XID_COUNT ? &ext_defs[id] : NULL;
}

rspg_xid rspg_ext_by_oid(const char *dotted)
{
    for (int i = RSPG_XID_NONE + 1; i < RSPG_XID_COUNT; i++)
        if (strcmp(ext_defs[i].oid, dotted) == 0)
            return (rspg_xid)i;
    return RSPG_XID_NONE;
}

/* ---- role rules ---- */

#define KU_SIGN RSPG_KU_DIGITAL_SIGNATURE
#define KU_CA (RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN)
#define ABSENT RSPG_PATHLEN_ABSENT
#define NA RSPG_PATHLEN_NA

/* The validity lengths SGP.26 gives each role, in days (PROFILE.md §2 "Validity
 * [observed]", and profiles/sgp26.yaml for the TLS generations). SubCAs: no rule. */
static const long days_ci[] = {12783, 0}, days_eum[] = {12410, 0}, days_euicc[] = {2000000, 0},
                  days_auth[] = {3650, 0}, days_eim_sign[] = {2555, 0},
                  /* 200 d (2026 generation), 398 d (2021-2025), 3650 d (the 2020 issue) */
    days_tls[] = {200, 398, 3650, 0};

/* SGP.22 §4.5.2.1 with the OIDs of gsma-cert-rules.md §1.2 (v2: 2.23.146.1.2.1.x; v3: the
 * nested arc 2.23.146.1.2.1.0.0...). SGP.26 v3.0.2 makes the DP, DS and EUM SubCA policies
 * and every TLS policy non-critical. pathLen and SAN registeredIDs: PROFILE.md §2 table and
 * gsma-cert-rules.md §1.5 (the first instance: DP2/DP4/DP8 use .12/.14/.18). */
static const rspg_role_rule roles[RSPG_ROLE_COUNT] = {
    {RSPG_ROLE_CI, "2.23.146.1.2.1.0", "2.23.146.1.2.1.0", 1, KU_CA, KU_CA, 1, 1, 0, ABSENT, ABSENT,
     "2.999.1", "2.999.1", days_ci, RSPG_VALIDATOR_LPA_TLS, NULL, "PROFILE.md §2 CI"},
    {RSPG_ROLE_CI_SUBCA, NULL, "2.23.146.1.2.1.0.0", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 1, 1, 0, NA,
     ABSENT, NULL, "2.999.1", NULL, RSPG_VALIDATOR_LPA_TLS, NULL, "CISubCA-ext.cnf"},
    {RSPG_ROLE_EUM, "2.23.146.1.2.1.2", "2.23.146.1.2.1.0.0.0", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 1,
     1, 0, 0, 1, "2.999.5", "2.999.101", days_eum, RSPG_VALIDATOR_ES9_CLIENT, NULL,
     "PROFILE.md §2 EUM; EUM-ext.cnf"},
    {RSPG_ROLE_EUM_SUBCA, NULL, "2.23.146.1.2.1.0.0.0.0", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 0, 0, 0,
     NA, 0, NULL, "2.999.101", NULL, RSPG_VALIDATOR_ES9_CLIENT, NULL, "EUMSubCA-ext.cnf"},
    {RSPG_ROLE_EUICC, "2.23.146.1.2.1.1", "2.23.146.1.2.1.0.0.0.0.0", 0, KU_SIGN, KU_SIGN, 1, 1, 0,
     NA, NA, NULL, NULL, days_euicc, RSPG_VALIDATOR_ES9_CLIENT, NULL, "PROFILE.md §2 eUICC"},
    {RSPG_ROLE_DP_SUBCA, NULL, "2.23.146.1.2.1.0.0.1", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 0, 0, 0, NA,
     0, NULL, "2.999.221", NULL, RSPG_VALIDATOR_LPA_TLS, NULL, "SM_DPSubCA-ext.cnf"},
    {RSPG_ROLE_DS_SUBCA, NULL, "2.23.146.1.2.1.0.0.2", 1, RSPG_KU_KEY_CERT_SIGN, KU_CA, 0, 0, 0, NA,
     0, NULL, "2.999.321", NULL, RSPG_VALIDATOR_LPA_TLS, NULL, "SM_DSSubCA-ext.cnf"},
    {RSPG_ROLE_DP_AUTH, "2.23.146.1.2.1.4", "2.23.146.1.2.1.0.0.1.1", 0, KU_SIGN, KU_SIGN, 1, 1, 0,
     NA, NA, "2.999.10", "2.999.231", days_auth, RSPG_VALIDATOR_ES10B_AUTH, NULL,
     "PROFILE.md §7 CERT_S_SM_DPauth"},
    {RSPG_ROLE_DP_PB, "2.23.146.1.2.1.5", "2.23.146.1.2.1.0.0.1.2", 0, KU_SIGN, KU_SIGN, 1, 1, 0,
     NA, NA, "2.999.10", "2.999.231", days_auth, RSPG_VALIDATOR_ES10B_PB, NULL,
     "PROFILE.md §7 CERT_S_SM_DPpb"},
    {RSPG_ROLE_DP_TLS, "2.23.146.1.2.1.3", "2.23.146.1.2.1.0.0.1.0", 0, KU_SIGN, KU_SIGN, 0, 0, 1,
     NA, NA, "2.999.10", "2.999.251", days_tls, RSPG_VALIDATOR_LPA_TLS, NULL,
     "PROFILE.md §7 CERT_S_SM_DP_TLS"},
    {RSPG_ROLE_DS_AUTH, "2.23.146.1.2.1.7", "2.23.146.1.2.1.0.0.2.1", 0, KU_SIGN, KU_SIGN, 1, 1, 0,
     NA, NA, "2.999.15", "2.999.331", days_auth, RSPG_VALIDATOR_ES10B_AUTH, NULL,
     "SM_DSauth-ext.cnf"},
    {RSPG_ROLE_DS_TLS, "2.23.146.1.2.1.6", "2.23.146.1.2.1.0.0.2.0", 0, KU_SIGN, KU_SIGN, 0, 0, 1,
     NA, NA, "2.999.15", "2.999.251", days_tls, RSPG_VALIDATOR_LPA_TLS, NULL, "SM_DStls-ext.cnf"},
    /* SGP.32 §2.7.3: eIM certificates carry no RSP role policy */
    {RSPG_ROLE_EIM_SIGN, NULL, NULL, 0, KU_SIGN, KU_SIGN, 0, 0, 0, NA, NA, NULL, NULL,
     days_eim_sign, RSPG_VALIDATOR_LPA_TLS, NULL, "SGP.32 §2.7.3; CERT_S_EIMsign_ECDSA_NIST.der"},
    {RSPG_ROLE_EIM_TLS, NULL, NULL, 0, KU_SIGN, KU_SIGN, 0, 0, 1, NA, NA, "2.999.20", "2.999.20",
     days_tls, RSPG_VALIDATOR_LPA_TLS, NULL, "SGP.32 §2.7.3; EIMtls-ext.cnf"},
    /* SGP.02 card-verifiable certificates are not X.509: no policy, no X.509 key usage; the
     * CVC key usage (tag 95) is GPC Amd E / SGP.02 §2.3: 88 for DP and SR, 0080 for ECASD */
    {RSPG_ROLE_SGP02_DP, NULL, NULL, 0, 0, 0, 0, 0, 0, NA, NA, NULL, NULL, NULL, RSPG_VALIDATOR_CVC,
     "88", "SGP.02 §2.3 CERT.DP.ECDSA"},
    {RSPG_ROLE_SGP02_SR, NULL, NULL, 0, 0, 0, 0, 0, 0, NA, NA, NULL, NULL, NULL, RSPG_VALIDATOR_CVC,
     "88", "SGP.02 §2.3 CERT.SR.ECDSA"},
    {RSPG_ROLE_SGP02_ECASD, NULL, NULL, 0, 0, 0, 0, 0, 0, NA, NA, NULL, NULL, NULL,
     RSPG_VALIDATOR_CVC, "0080", "SGP.02 §2.3 CERT.ECASD.ECKA"},
};

const rspg_role_rule *rspg_rule_for(rspg_role role)
{
    return (unsigned)role < RSPG_ROLE_COUNT ? &roles[role] : NULL;
}

const char *rspg_rule_policy_oid(rspg_role role, int v3)
{
    const rspg_role_rule *r = rspg_rule_for(role);
    return r == NULL ? NULL : v3 ? r->oid_v3 : r->oid_v2;
}

int rspg_rule_policy_critical(rspg_role role, int v3)
{
    const rspg_role_rule *r = rspg_rule_for(role);
    return r && (v3 ? r->policy_critical_v3 : r->policy_critical_v2);
}

int rspg_role_from_policy(const char *oid, rspg_role *role, int *v3)
{
    for (int i = 0; i < RSPG_ROLE_COUNT; i++) {
        if (roles[i].oid_v2 && strcmp(roles[i].oid_v2, oid) == 0) {
            *role = roles[i].role;
            *v3 = 0; /* the CI OID is the same in both arcs */
            return 0;
        }
        if (roles[i].oid_v3 && strcmp(roles[i].oid_v3, oid) == 0) {
            *role = roles[i].role;
            *v3 = 1;
            return 0;
        }
    }
    return -1;
}

int rspg_role_is_ca(rspg_role r)
{
    const rspg_role_rule *rule = rspg_rule_for(r);
    return rule != NULL && rule->is_ca;
}

int rspg_role_is_euicc_side(rspg_role role)
{
    const rspg_role_rule *r = rspg_rule_for(role);
    return r != NULL && r->validator == RSPG_VALIDATOR_ES9_CLIENT;
}

/* ---- who issues whom: SGP.22 §2.6.1 (v3 hierarchy: the CI signs every CA and, in
 * Variants O/Ov3/A, the end entities; a CI SubCA takes its place in B/C; the EUM signs
 * EUM SubCAs and eUICCs), SGP.32 §2.7.3 (eIM by the CI), SGP.02 §2.3 (DP and SR card
 * certificates by the CI, ECASD by the EUM) ---- */

static const struct {
    rspg_role issuer, subject;
} issues[] = {
    {RSPG_ROLE_CI, RSPG_ROLE_CI_SUBCA},       {RSPG_ROLE_CI, RSPG_ROLE_EUM},
    {RSPG_ROLE_CI, RSPG_ROLE_DP_SUBCA},       {RSPG_ROLE_CI, RSPG_ROLE_DS_SUBCA},
    {RSPG_ROLE_CI, RSPG_ROLE_DP_AUTH},        {RSPG_ROLE_CI, RSPG_ROLE_DP_PB},
    {RSPG_ROLE_CI, RSPG_ROLE_DP_TLS},         {RSPG_ROLE_CI, RSPG_ROLE_DS_AUTH},
    {RSPG_ROLE_CI, RSPG_ROLE_DS_TLS},         {RSPG_ROLE_CI, RSPG_ROLE_EIM_SIGN},
    {RSPG_ROLE_CI, RSPG_ROLE_EIM_TLS},        {RSPG_ROLE_CI, RSPG_ROLE_SGP02_DP},
    {RSPG_ROLE_CI, RSPG_ROLE_SGP02_SR},       {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_EUM},
    {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DP_SUBCA}, {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DS_SUBCA},
    {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DP_AUTH},  {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DP_PB},
    {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DP_TLS},   {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DS_AUTH},
    {RSPG_ROLE_CI_SUBCA, RSPG_ROLE_DS_TLS},   {RSPG_ROLE_EUM, RSPG_ROLE_EUM_SUBCA},
    {RSPG_ROLE_EUM, RSPG_ROLE_EUICC},         {RSPG_ROLE_EUM, RSPG_ROLE_SGP02_ECASD},
    {RSPG_ROLE_EUM_SUBCA, RSPG_ROLE_EUICC},   {RSPG_ROLE_DP_SUBCA, RSPG_ROLE_DP_AUTH},
    {RSPG_ROLE_DP_SUBCA, RSPG_ROLE_DP_PB},    {RSPG_ROLE_DP_SUBCA, RSPG_ROLE_DP_TLS},
    {RSPG_ROLE_DS_SUBCA, RSPG_ROLE_DS_AUTH},  {RSPG_ROLE_DS_SUBCA, RSPG_ROLE_DS_TLS},
};

int rspg_role_may_issue(rspg_role issuer, rspg_role subject)
{
    for (size_t i = 0; i < N_OF(issues); i++)
        if (issues[i].issuer == issuer && issues[i].subject == subject)
            return 1;
    return 0;
}

/* ---- extension profiles: the GSMA order and criticality per role and arc ----
 * Each row cites its source: the real GSMA DER files where they exist (PROFILE.md §7),
 * else profiles/sgp26.yaml (which follows the GSMA cnf files, PROFILE.md §2). The
 * tolerated GSMA quirks are listed in docs/lint.md and at the rows concerned. */

#define NC_ 0 /* non-critical: the flag is absent (DER DEFAULT FALSE) */
#define CR_ 1 /* critical */

static const rspg_ext_profile profiles[] = {
    /* PROFILE.md §7: real v3.0.2 CERT_CI_SIG_NIST.der (the 2017 ci-2017.der and the 2020
     * CERT_CI_ECDSA_{NIST,BRP}.der have the same list). */
    {RSPG_ROLE_CI,
     RSPG_ARC_V2,
     "GSMA CERT_CI_SIG_NIST.der (v3.0.2)",
     {{RSPG_XID_SKI, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml ov3-ci / abc-ci (PROFILE.md §2 [cnf]): as Variant O, no CRLDP. */
    {RSPG_ROLE_CI,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml ov3-ci (GSMA cnf)",
     {{RSPG_XID_SKI, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_SAN, NC_}}},
    /* profiles/sgp26.yaml abc-ci-subca (CISubCA-ext.cnf, PROFILE.md §2). */
    {RSPG_ROLE_CI_SUBCA,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml abc-ci-subca (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
    /* PROFILE.md §7: real v3.0.2 CERT_EUM_SIG_NIST.der (the 2017 eum.der and the 2020
     * CERT_EUM_ECDSA_{NIST,BRP}.der have the same list). */
    {RSPG_ROLE_EUM,
     RSPG_ARC_V2,
     "GSMA CERT_EUM_SIG_NIST.der (v3.0.2)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CRLDP, NC_},
      {RSPG_XID_NC, CR_}}},
    /* profiles/sgp26.yaml ov3-eum / a-eum (EUM-ext.cnf, PROFILE.md §2/§4): nameConstraints
     * with O only, then the non-critical permittedEins last. */
    {RSPG_ROLE_EUM,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml ov3-eum (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CRLDP, NC_},
      {RSPG_XID_NC, CR_},
      {RSPG_XID_EINS, NC_}}},
    /* profiles/sgp26.yaml a-eum-subca (EUMSubCA-ext.cnf): the policy is NON-critical. */
    {RSPG_ROLE_EUM_SUBCA,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-eum-subca (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* PROFILE.md §7: real v3.0.2 CERT_EUICC_SIG_NIST.der (and the 2020 CERT_EUICC_ECDSA_*). */
    {RSPG_ROLE_EUICC,
     RSPG_ARC_V2,
     "GSMA CERT_EUICC_SIG_NIST.der (v3.0.2)",
     {{RSPG_XID_AKI, NC_}, {RSPG_XID_SKI, NC_}, {RSPG_XID_KU, CR_}, {RSPG_XID_CP, CR_}}},
    /* profiles/sgp26.yaml ov3-euicc (eUICC-ext.cnf): as Variant O. */
    {RSPG_ROLE_EUICC,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml ov3-euicc (GSMA cnf)",
     {{RSPG_XID_AKI, NC_}, {RSPG_XID_SKI, NC_}, {RSPG_XID_KU, CR_}, {RSPG_XID_CP, CR_}}},
    /* profiles/sgp26.yaml a-dp-subca (SM_DPSubCA-ext.cnf): the policy is NON-critical. */
    {RSPG_ROLE_DP_SUBCA,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-dp-subca (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml a-ds-subca (SM_DSSubCA-ext.cnf): as the DP SubCA. */
    {RSPG_ROLE_DS_SUBCA,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-ds-subca (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_BC, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* PROFILE.md §7: real 2020 CERT_S_SM_DP{,2}auth_ECDSA_{NIST,BRP}.der. (The 1oT
     * CERT_S_SM_DPauth_VARO_SIG_NIST.der has SKI first: not GSMA's, w_ext_order.) */
    {RSPG_ROLE_DP_AUTH,
     RSPG_ARC_V2,
     "GSMA CERT_S_SM_DPauth_ECDSA_NIST.der (2020)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml a-dp-auth (SM_DPauth-ext.cnf): as Variant O. */
    {RSPG_ROLE_DP_AUTH,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-dp-auth (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* PROFILE.md §7: real 2020 CERT_S_SM_DP{,2}pb_ECDSA_{NIST,BRP}.der. */
    {RSPG_ROLE_DP_PB,
     RSPG_ARC_V2,
     "GSMA CERT_S_SM_DPpb_ECDSA_NIST.der (2020)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml a-dp-pb (SM_DPpb-ext.cnf). */
    {RSPG_ROLE_DP_PB,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-dp-pb (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* PROFILE.md §7: real CERT_S_SM_DP{,2,4,8}_TLS*.der (every generation 2020-2026):
     * the policy is non-critical. */
    {RSPG_ROLE_DP_TLS,
     RSPG_ARC_V2,
     "GSMA CERT_S_SM_DP_TLS_NIST.der (2025)",
     {{RSPG_XID_KU, CR_},
      {RSPG_XID_EKU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_AKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml a-dp-tls (SM_DPtls-ext.cnf): the Variant O order. */
    {RSPG_ROLE_DP_TLS,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-dp-tls (GSMA cnf)",
     {{RSPG_XID_KU, CR_},
      {RSPG_XID_EKU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_AKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml o-ds-auth (SM_DSauth-ext.cnf, Variant O): GSMA's order differs
     * from DPauth (KU before SKI). */
    {RSPG_ROLE_DS_AUTH,
     RSPG_ARC_V2,
     "profiles/sgp26.yaml o-ds-auth (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml a-ds-auth (SM_DSauth-ext.cnf, Variants A/B/C). */
    {RSPG_ROLE_DS_AUTH,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-ds-auth (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_CP, CR_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml o-ds-tls (SM_DStls-ext.cnf): as DP TLS. */
    {RSPG_ROLE_DS_TLS,
     RSPG_ARC_V2,
     "profiles/sgp26.yaml o-ds-tls (GSMA cnf)",
     {{RSPG_XID_KU, CR_},
      {RSPG_XID_EKU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_AKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
    /* profiles/sgp26.yaml a-ds-tls. */
    {RSPG_ROLE_DS_TLS,
     RSPG_ARC_V3,
     "profiles/sgp26.yaml a-ds-tls (GSMA cnf)",
     {{RSPG_XID_KU, CR_},
      {RSPG_XID_EKU, CR_},
      {RSPG_XID_CP, NC_},
      {RSPG_XID_SKI, NC_},
      {RSPG_XID_AKI, NC_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
    /* PROFILE.md §7: real v3.0.2 CERT_S_EIMsign_ECDSA_NIST.der: ONLY AKI and KU. GSMA quirk
     * tolerated: no SKI (every other GSMA certificate has one) and no policy (SGP.32). */
    {RSPG_ROLE_EIM_SIGN,
     RSPG_ARC_ANY,
     "GSMA CERT_S_EIMsign_ECDSA_NIST.der (v3.0.2)",
     {{RSPG_XID_AKI, NC_}, {RSPG_XID_KU, CR_}}},
    /* profiles/sgp26.yaml o-eim-tls (EIMtls-ext.cnf, PROFILE.md §2): no SKI, no policy. */
    {RSPG_ROLE_EIM_TLS,
     RSPG_ARC_ANY,
     "profiles/sgp26.yaml o-eim-tls (GSMA cnf)",
     {{RSPG_XID_AKI, NC_},
      {RSPG_XID_KU, CR_},
      {RSPG_XID_EKU, CR_},
      {RSPG_XID_SAN, NC_},
      {RSPG_XID_CRLDP, NC_}}},
};
const rspg_ext_profile *rspg_ext_profile_for(rspg_role role, int v3)
{
    const rspg_ext_profile *any = NULL;
    for (size_t i = 0; i < N_OF(profiles); i++) {
        if (profiles[i].role != role)
            continue;
        if (profiles[i].arc == RSPG_ARC_ANY || profiles[i].arc == (v3 ? RSPG_ARC_V3 : RSPG_ARC_V2))
            return &profiles[i];
        any = &profiles[i];
    }
    return any; /* a v3-only role asked for in v2: its v3 row */
}

const rspg_ext_slot *rspg_ext_profile_slot(const rspg_ext_profile *p, rspg_xid id)
{
    for (size_t i = 0; p && i < RSPG_PROFILE_MAX_EXTS && p->exts[i].ext != RSPG_XID_NONE; i++)
        if (p->exts[i].ext == id)
            return &p->exts[i];
    return NULL;
}

const rspg_ext_profile *rspg_ext_profile_at(unsigned i)
{
    return i < N_OF(profiles) ? &profiles[i] : NULL;
}

/* ---- required extensions beyond those the role rule implies ---- */

static const struct {
    rspg_role role;
    rspg_xid ext;
} required[] = {
    /* SGP.22 §4.5.2.1.0.2: the EUM certificate carries the nameConstraints that bound the
     * eUICCs it issues (O and EIN prefix; v3 adds permittedEins) */
    {RSPG_ROLE_EUM, RSPG_XID_NC},
};

unsigned rspg_rule_required_exts(rspg_role role, int v3)
{
    const rspg_role_rule *r = rspg_rule_for(role);
    if (r == NULL || r->validator == RSPG_VALIDATOR_CVC)
        return 0;
    unsigned bits = 1u << RSPG_XID_KU;
    if (r->is_ca)
        bits |= 1u << RSPG_XID_BC;
    if (rspg_rule_policy_oid(role, v3))
        bits |= 1u << RSPG_XID_CP;
    if (r->tls)
        bits |= 1u << RSPG_XID_EKU;
    for (size_t i = 0; i < N_OF(required); i++)
        if (required[i].role == role)
            bits |= 1u << required[i].ext;
    return bits;
}

/* ---- curves: SGP.22 §2.6.5 (NIST P-256 and brainpoolP256r1) ---- */

static const char *const curves[] = {RSPG_OID_CURVE_PRIME256V1, RSPG_OID_CURVE_BRAINPOOLP256R1,
                                     NULL};

int rspg_rule_curve_allowed(const char *curve_oid)
{
    for (size_t i = 0; curve_oid && curves[i]; i++)
        if (strcmp(curves[i], curve_oid) == 0)
            return 1;
    return 0;
}

const char *const *rspg_rule_curves(void)
{
    return curves;
}

/* ---- violations ---- */

static const rspg_violation_def violations[RSPG_V_COUNT] = {
    {RSPG_V_UNKNOWN_CI, "trust-anchor", "trust-anchor", "SGP.22 §4.5.2.2 (chains to the CI)"},
    {RSPG_V_SIGNATURE, "signature", "signature", "SGP.22 §4.5.2.2; RFC 5280 §6.1.3"},
    {RSPG_V_EXPIRED, "validity", "validity", "SGP.22 §4.5.2.2; RFC 5280 §4.1.2.5"},
    {RSPG_V_NOT_YET_VALID, "validity", "validity", "SGP.22 §4.5.2.2; RFC 5280 §4.1.2.5"},
    {RSPG_V_CURVE, "curve", "curve", "SGP.22 §2.6.5"},
    {RSPG_V_CURVE_MISMATCH, "curve-mismatch", "curve", "SGP.22 §4.5.2.2 (one curve per chain)"},
    {RSPG_V_CRITICAL, "critical-extension", "critical-extension", "RFC 5280 §4.2"},
    {RSPG_V_BASIC_CONSTRAINTS, "basic-constraints", "basic-constraints",
     "RFC 5280 §4.2.1.9; SGP.22 §4.5.2.1"},
    {RSPG_V_PATH_LEN, "path-len", "path-length", "RFC 5280 §4.2.1.9, §6.1.4"},
    {RSPG_V_KEY_USAGE, "key-usage", "key-usage", "RFC 5280 §4.2.1.3; SGP.22 §4.5.2.1"},
    {RSPG_V_POLICY, "policy", "policy", "SGP.22 §4.5.2.1 (id-rspRole policies)"},
    {RSPG_V_ISSUER_ROLE, "issuer-role", "issuer-role", "SGP.22 §2.6.1"},
    {RSPG_V_EKU, "eku", "extended-key-usage", "SGP.22 §4.5.2.1 (TLS: serverAuth)"},
    {RSPG_V_REVOKED, "revoked", "revocation", "SGP.22 §4.5.2.2; RFC 5280 §6.3"},
    {RSPG_V_EID, "eid-check-digits", "eid", "SGP.29 §10 / SGP.22 §4.5.2.1.0.2"},
    {RSPG_V_EUM_CONSTRAINT, "eum-constraint", "name-constraints",
     "SGP.22 §4.5.2.1.0.2 (EUM nameConstraints, permittedEins)"},
    {RSPG_V_FORMAT, "format", "format", "RFC 5280 §4.1"},
    {RSPG_V_MISSING_EXTENSION, "required-extension", "format", "SGP.22 §4.5.2.1"},
    {RSPG_V_CRL_SIGNATURE, "crl-signature", "crl-signature", "SGP.22 §4.5.2.2; RFC 5280 §6.3.3"},
    {RSPG_V_CRL_TIME, "crl-time", "crl-time", "RFC 5280 §5.1.2.4, §5.1.2.5"},
    {RSPG_V_CRL_UNKNOWN_ISSUER, "crl-issuer", "trust-anchor", "RFC 5280 §6.3.3"},
    {RSPG_V_CRL_FORMAT, "crl-format", "format", "RFC 5280 §5.1 (v2 CRL)"},
    {RSPG_V_ISSUER_KEY_ID, "issuer-key-id", "issuer-key-id", "SGP.02 §2.3 (CA identifier 42)"},
};

const rspg_violation_def *rspg_violation_def_of(rspg_violation v)
{
    return (unsigned)v < RSPG_V_COUNT ? &violations[v] : NULL;
}

int rspg_violation_by_check(const char *check, rspg_violation *out)
{
    for (int i = 0; i < RSPG_V_COUNT; i++)
        if (strcmp(violations[i].check, check) == 0) {
            *out = (rspg_violation)i;
            return 0;
        }
    return -1;
}

/* ---- the error a validator reports: the first row that matches (validator, violation,
 * conditions); each validator ends with its default row (violation -1).
 * Error names: SGP.22 §5.6.3 (ES9+ AuthenticateClient), §5.7.13 (ES10b AuthenticateServer,
 * PrepareDownload), v3 revokedCert; the ES9+ subjectCode/reasonCode pairs are those
 * osmo-smdpp uses (gsma-cert-rules.md §6, [CONFIRMED-CODE]); left empty where no source
 * gives them. ---- */

#define LEAF RSPG_WHEN_LEAF
#define V3 RSPG_WHEN_V3
#define EUICC RSPG_WHEN_EUICC
#define OTHER RSPG_WHEN_OTHER
#define S22_ES9 "SGP.22 §5.6.3 ES9+ AuthenticateClient"
#define S22_AUTH "SGP.22 §5.7.13 ES10b AuthenticateServer"
#define S22_PB "SGP.22 §5.7.5 ES10b PrepareDownload"

static const rspg_reason_row reasons[] = {
    /* the leaf's role is unknown */
    {RSPG_VALIDATOR_UNKNOWN, RSPG_V_UNKNOWN_CI, 0, "ciPKUnknown", NULL, NULL, "SGP.22 §4.5.2.2"},
    {RSPG_VALIDATOR_UNKNOWN, RSPG_V_EXPIRED, 0, "certificateExpired", NULL, NULL, "SGP.22"},
    {RSPG_VALIDATOR_UNKNOWN, RSPG_V_NOT_YET_VALID, 0, "certificateExpired", NULL, NULL, "SGP.22"},
    {RSPG_VALIDATOR_UNKNOWN, -1, 0, "invalidCertificate", NULL, NULL, "SGP.22"},
    /* SM-DP+ checking the eUICC chain */
    {RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_UNKNOWN_CI, 0, "ciPKUnknown", "8.11.1", "3.9", S22_ES9},
    {RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_EXPIRED, EUICC, "euiccCertificateExpired", "8.1.3", "6.3",
     S22_ES9},
    {RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_EUM_CONSTRAINT, EUICC, "euiccCertificateInvalid", "8.1.4",
     "6.1", S22_ES9 " (EID outside the EUM's range)"},
    {RSPG_VALIDATOR_ES9_CLIENT, -1, EUICC, "euiccCertificateInvalid", "8.1.3", "6.1", S22_ES9},
    {RSPG_VALIDATOR_ES9_CLIENT, RSPG_V_EXPIRED, OTHER, "eumCertificateExpired", "8.1.2", "6.3",
     S22_ES9 " (EUM Certificate - Expired)"},
    {RSPG_VALIDATOR_ES9_CLIENT, -1, 0, "eumCertificateInvalid", "8.1.2", "6.1",
     S22_ES9 " (EUM Certificate - Verification failed)"},
    /* the eUICC checking CERT.DPauth / CERT.DSauth */
    {RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_UNKNOWN_CI, 0, "ciPKUnknown", NULL, NULL, S22_AUTH},
    {RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_CURVE, 0, "unsupportedCurve", NULL, NULL, S22_AUTH},
    {RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_POLICY, LEAF, "invalidOid", NULL, NULL, S22_AUTH},
    {RSPG_VALIDATOR_ES10B_AUTH, RSPG_V_REVOKED, V3, "revokedCert", NULL, NULL, S22_AUTH " (v3)"},
    {RSPG_VALIDATOR_ES10B_AUTH, -1, 0, "invalidCertificate", NULL, NULL, S22_AUTH},
    /* the eUICC checking CERT.DPpb */
    {RSPG_VALIDATOR_ES10B_PB, RSPG_V_UNKNOWN_CI, 0, "ciPKUnknown", NULL, NULL, S22_PB},
    {RSPG_VALIDATOR_ES10B_PB, RSPG_V_CURVE, 0, "unsupportedCurve", NULL, NULL, S22_PB},
    {RSPG_VALIDATOR_ES10B_PB, RSPG_V_REVOKED, V3, "revokedCert", NULL, NULL, S22_PB " (v3)"},
    {RSPG_VALIDATOR_ES10B_PB, -1, 0, "invalidCertificate", NULL, NULL, S22_PB},
    /* the LPA's TLS check; CA and eIM certificates */
    {RSPG_VALIDATOR_LPA_TLS, RSPG_V_UNKNOWN_CI, 0, "ciPKUnknown", NULL, NULL, "SGP.22 §2.6.6"},
    {RSPG_VALIDATOR_LPA_TLS, RSPG_V_EXPIRED, 0, "certificateExpired", NULL, NULL, "SGP.22"},
    {RSPG_VALIDATOR_LPA_TLS, RSPG_V_NOT_YET_VALID, 0, "certificateExpired", NULL, NULL, "SGP.22"},
    {RSPG_VALIDATOR_LPA_TLS, RSPG_V_REVOKED, V3, "revokedCert", NULL, NULL, "SGP.22 v3"},
    {RSPG_VALIDATOR_LPA_TLS, -1, 0, "invalidCertificate", NULL, NULL, "SGP.22"},
    /* a CRL (ES10b LoadCRL, SGP.22 v2 LoadCRLResponseError; RFC 5280 §6.3) */
    {RSPG_VALIDATOR_CRL, RSPG_V_CRL_UNKNOWN_ISSUER, 0, "ciPKUnknown", NULL, NULL, "RFC 5280 §6.3"},
    {RSPG_VALIDATOR_CRL, RSPG_V_CRL_TIME, 0, "invalidCertOrCrlTime", NULL, NULL, "RFC 5280 §6.3"},
    {RSPG_VALIDATOR_CRL, -1, 0, "invalidCrlSignature", NULL, NULL, "SGP.22 ES10b LoadCRL"},
    /* an SGP.02 card certificate (ES10b-like error names) */
    {RSPG_VALIDATOR_CVC, RSPG_V_SIGNATURE, 0, "invalidSignature", NULL, NULL, "SGP.02 §2.3"},
    {RSPG_VALIDATOR_CVC, RSPG_V_EXPIRED, 0, "certificateExpired", NULL, NULL, "SGP.02 §2.3"},
    {RSPG_VALIDATOR_CVC, RSPG_V_CURVE, 0, "unsupportedCurve", NULL, NULL, "SGP.02 §2.3"},
    {RSPG_VALIDATOR_CVC, -1, 0, "invalidCertificate", NULL, NULL, "SGP.02 §2.3"},
};

const rspg_reason_row *rspg_rule_reason(rspg_validator w, rspg_violation v, unsigned when)
{
    for (size_t i = 0; i < N_OF(reasons); i++) {
        const rspg_reason_row *r = &reasons[i];
        if (r->validator == w && (r->violation < 0 || r->violation == (int)v) &&
            (r->when & when) == r->when)
            return r;
    }
    return NULL;
}

rspg_validator rspg_rule_validator(int leaf_known, rspg_role leaf)
{
    const rspg_role_rule *r = rspg_rule_for(leaf);
    return leaf_known && r ? r->validator : RSPG_VALIDATOR_UNKNOWN;
}

const rspg_reason_row *rspg_reason_row_at(unsigned i)
{
    return i < N_OF(reasons) ? &reasons[i] : NULL;
}

/* ---- ES9+ AuthenticateClient faults that are not a certificate's: what the SM-DP+ must
 * answer when the eUICC's own proof fails (SGP.22 §5.6.3: "eUICC - Verification failed"
 * for euiccSignature1 over euiccSigned1 and for a serverChallenge that is not the session's).
 * Certificate faults use the reasons table above (RSPG_VALIDATOR_ES9_CLIENT). ---- */

static const rspg_reason_row es9_faults[RSPG_ES9_FAULT_COUNT] = {
    [RSPG_ES9_FAULT_EUICC_SIGNATURE1] = {RSPG_VALIDATOR_ES9_CLIENT, -1, 0, "euiccSignatureInvalid",
                                         "8.1", "6.1",
                                         S22_ES9 " (eUICC - Verification failed: euiccSignature1)"},
    [RSPG_ES9_FAULT_SERVER_CHALLENGE] = {RSPG_VALIDATOR_ES9_CLIENT, -1, 0,
                                         "serverChallengeMismatch", "8.1", "6.1",
                                         S22_ES9 " (eUICC - Verification failed: serverChallenge)"},
};

const rspg_reason_row *rspg_rule_es9_fault(rspg_es9_fault f)
{
    return (unsigned)f < RSPG_ES9_FAULT_COUNT ? &es9_faults[f] : NULL;
}
