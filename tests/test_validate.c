/*
 * test_validate.c: the static rule check of a profile (src/lib/profile/validate.c). Every
 * profile in profiles/ loads and passes; sgp26.yaml with --var eid=...1236 (wrong check
 * digits) fails at the eUICC's serialNumber attribute with rule eid-check-digits; a small
 * hand-written Variant A profile passes, and each of its broken copies fails with its rule
 * at its line: an EUM without nameConstraints, a DP TLS without EKU serverAuth, an eUICC
 * issued by a DP SubCA, an EID outside the EUM's EIN prefix, a wrong policy OID, a CA flag
 * on an end entity; an entity marked expect: invalid is not checked.
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/profile/validate.h"
#include "test_util.h"

static void test_every_profile_passes(void **state)
{
    (void)state;
    char *dir = tu_src("profiles");
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dh)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        char *path = rspg_xasprintf("%s/%s", dir, de->d_name);
        rspg_diag d;
        rspg_profile *p = NULL;
        rspg_diag_init(&d);
        assert_int_equal(rspg_profile_load_file(path, &d, &p), RSPG_OK);
        rspg_status rc = rspg_profile_check_rules(p, &d);
        for (size_t i = 0; i < d.count; i++) {
            char *m = rspg_diag_format(&d.entries[i]);
            fprintf(stderr, "%s\n", m);
            free(m);
        }
        assert_int_equal(rc, RSPG_OK);
        assert_int_equal(d.errors, 0);
        rspg_profile_free(p);
        rspg_diag_fini(&d);
        free(path);
        n++;
    }
    closedir(dh);
    free(dir);
    assert_true(n >= 5);
}

/* The first error of checking profile P, formatted (free it); NULL when it passes. */
static char *first_error(const rspg_profile *p)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_check_rules(p, &d);
    char *m = d.count ? rspg_diag_format(&d.entries[0]) : NULL;
    assert_int_equal(rc, d.errors ? RSPG_E_PROFILE : RSPG_OK);
    rspg_diag_fini(&d);
    return m;
}

static void expect_in(const char *msg, const char *want)
{
    assert_non_null(msg);
    if (strstr(msg, want) == NULL)
        fail_msg("'%s' does not contain '%s'", msg, want);
}

static void test_sgp26_bad_eid(void **state)
{
    (void)state;
    char *path = tu_src("profiles/sgp26.yaml");
    const char *vars[] = {"eid=89049032123451234512345678901236"};
    rspg_load_options o = {vars, 1, NULL, 0};
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    assert_int_equal(rspg_profile_load_file_ex(path, &o, &d, &p), RSPG_OK);
    rspg_diag_fini(&d);
    char *m = first_error(p);
    expect_in(m, "sgp26.yaml:176:");
    expect_in(m, "entity 'o-euicc': EID 89049032123451234512345678901236 has wrong check digits "
                 "(rule eid-check-digits, SGP.29 §10 / SGP.22 §4.5.2.1.0.2): the certificate "
                 "would be rejected as euiccCertificateInvalid");
    free(m);
    rspg_profile_free(p);
    free(path);
}

/* A small Variant A PKI: CI -> EUM -> eUICC, CI -> DP SubCA -> DP TLS. Line numbers in
 * the comments. */
#define P_HDR                                                                                      \
    "schema: rsp-pkigen/profile/1\n"                          /* 1 */                              \
    "curves:\n"                                               /* 2 */                              \
    "  nist: {curve: prime256v1, suffix: NIST}\n"             /* 3 */                              \
    "defaults: {curves: [nist], validity_days: 365}\n"        /* 4 */                              \
    "entities:\n"                                             /* 5 */                              \
    "  - id: ci\n"                                            /* 6 */                              \
    "    role: ci\n"                                          /* 7 */                              \
    "    variant: A\n"                                        /* 8 */                              \
    "    issuer: self\n"                                      /* 9 */                              \
    "    subject: [{CN: Test CI}]\n"                          /* 10 */                             \
    "    serial: \"01\"\n"                                    /* 11 */                             \
    "    extensions:\n"                                       /* 12 */                             \
    "      - basic_constraints: {critical: true, ca: true}\n" /* 13 */                             \
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}\n"               \
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n" /* 15 */                \
    "    output: {cert: \"ci_${CURVE}.der\"}\n"                            /* 16 */
#define P_EUM_HEAD                                                                                 \
    "  - id: eum\n"                                               /* 17 */                         \
    "    role: eum\n"                                             /* 18 */                         \
    "    variant: A\n"                                            /* 19 */                         \
    "    issuer: ci\n"                                            /* 20 */                         \
    "    subject: [{O: RSP Test EUM}, {CN: EUM Test}]\n"          /* 21 */                         \
    "    serial: \"02\"\n"                                        /* 22 */                         \
    "    extensions:\n"                                           /* 23 */                         \
    "      - key_usage: {critical: true, usage: [keyCertSign]}\n" /* 24 */                         \
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0.0.0]}\n"           \
    "      - basic_constraints: {critical: true, ca: true, path_len: 1}\n" /* 26 */
#define P_EUM_NC                                                                                   \
    "      - name_constraints: {critical: true, permitted: [{dir: [{O: RSP Test EUM}]}]}\n"        \
    "      - permitted_eins: {eins: [\"89049032\"]}\n"
#define P_EUM_OUT "    output: {cert: \"eum_${CURVE}.der\"}\n"
#define P_EUICC(issuer, eid, policy)                                                               \
    "  - id: euicc\n"                                                                              \
    "    role: euicc\n"                                                                            \
    "    variant: A\n"                                                                             \
    "    issuer: " issuer "\n"                                                                     \
    "    subject: [{O: RSP Test EUM}, {serialNumber: \"" eid "\"}, {CN: Test eUICC}]\n"            \
    "    serial: \"03\"\n"                                                                         \
    "    extensions:\n"                                                                            \
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"                             \
    "      - certificate_policies: {critical: true, policies: [" policy "]}\n"                     \
    "    output: {cert: \"euicc_${CURVE}.der\"}\n"
#define P_DP_SUBCA                                                                                 \
    "  - id: dp-subca\n"                                                                           \
    "    role: dp-subca\n"                                                                         \
    "    variant: A\n"                                                                             \
    "    issuer: ci\n"                                                                             \
    "    subject: [{CN: Test DP SubCA}]\n"                                                         \
    "    serial: \"04\"\n"                                                                         \
    "    extensions:\n"                                                                            \
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"                         \
    "      - certificate_policies: {critical: false, policies: [2.23.146.1.2.1.0.0.1]}\n"          \
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"                         \
    "    output: {cert: \"dpsub_${CURVE}.der\"}\n"
#define P_DP_TLS(eku, bc)                                                                          \
    "  - id: dp-tls\n"                                                                             \
    "    role: dp-tls\n"                                                                           \
    "    variant: A\n"                                                                             \
    "    issuer: dp-subca\n"                                                                       \
    "    subject: [{CN: smdp.example.com}]\n"                                                      \
    "    serial: \"05\"\n"                                                                         \
    "    extensions:\n"                                                                            \
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n" eku bc                      \
    "      - certificate_policies: {policies: [2.23.146.1.2.1.0.0.1.0]}\n"                         \
    "    output: {cert: \"tls_${CURVE}.der\"}\n"
#define EKU_OK "      - extended_key_usage: {critical: true, usage: [serverAuth, clientAuth]}\n"
#define EKU_CLIENT "      - extended_key_usage: {critical: true, usage: [clientAuth]}\n"
#define EID_OK "89049032123451234512345678901235"
#define POL_EUICC "2.23.146.1.2.1.0.0.0.0.0"

static rspg_profile *load(const char *text)
{
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_string(text, strlen(text), "t.yaml", &d, &p);
    for (size_t i = 0; i < d.count; i++) {
        char *m = rspg_diag_format(&d.entries[i]);
        fprintf(stderr, "%s\n", m);
        free(m);
    }
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    return p;
}

static void check_case(const char *text, const char *want1, const char *want2)
{
    rspg_profile *p = load(text);
    char *m = first_error(p);
    if (want1 == NULL) {
        if (m)
            fail_msg("unexpected: %s", m);
    } else {
        expect_in(m, want1);
        expect_in(m, want2);
    }
    free(m);
    rspg_profile_free(p);
}

static void test_hand_written(void **state)
{
    (void)state;
    /* the good one */
    check_case(P_HDR P_EUM_HEAD P_EUM_NC P_EUM_OUT P_EUICC("eum", EID_OK, POL_EUICC)
                   P_DP_SUBCA P_DP_TLS(EKU_OK, ""),
               NULL, NULL);
    /* a valid EUM without nameConstraints (nor permittedEins) */
    check_case(P_HDR P_EUM_HEAD P_EUM_OUT P_EUICC("eum", EID_OK, POL_EUICC),
               "t.yaml:17:5: entity 'eum': a eum certificate needs nameConstraints",
               "(rule required-extension, SGP.22 §4.5.2.1): the certificate would be rejected "
               "as eumCertificateInvalid");
    /* a valid DP TLS without EKU, and with EKU clientAuth only */
    check_case(P_HDR P_DP_SUBCA P_DP_TLS("", ""),
               "entity 'dp-tls': a dp-tls certificate needs "
               "extendedKeyUsage",
               "(rule eku, SGP.22 §4.5.2.1 (TLS: serverAuth))");
    check_case(P_HDR P_DP_SUBCA P_DP_TLS(EKU_CLIENT, ""),
               "entity 'dp-tls': its extendedKeyUsage lacks serverAuth", "rule eku");
    /* an end entity marked as a CA */
    check_case(P_HDR P_DP_SUBCA P_DP_TLS(EKU_OK,
                                         "      - basic_constraints: {critical: true, ca: true}\n"),
               "basicConstraints cA is TRUE, but dp-tls is an end-entity role",
               "rule basic-constraints");
    /* a valid eUICC issued by a DP SubCA */
    check_case(P_HDR P_DP_SUBCA P_EUICC("dp-subca", EID_OK, POL_EUICC),
               "entity 'euicc': its issuer 'dp-subca' is a dp-subca, which may not issue a euicc",
               "(rule issuer-role, SGP.22 §2.6.1)");
    /* an EID outside the EUM's EIN prefix */
    check_case(P_HDR P_EUM_HEAD P_EUM_NC P_EUM_OUT P_EUICC(
                   "eum", "89049033123451234512345678901257", POL_EUICC),
               "EID 89049033123451234512345678901257 is outside the EIN prefix 89049032 that "
               "'eum' permits",
               "rule eum-constraint");
    /* the Variant O policy on a Variant A eUICC */
    check_case(P_HDR P_EUM_HEAD P_EUM_NC P_EUM_OUT P_EUICC("eum", EID_OK, "2.23.146.1.2.1.1"),
               "its certificatePolicies lacks 2.23.146.1.2.1.0.0.0.0.0", "rule policy");
    /* expect: invalid is not checked */
    check_case(P_HDR P_DP_SUBCA P_EUICC(
                   "dp-subca", EID_OK,
                   POL_EUICC) "    expect: invalid\n    reason: euiccCertificateInvalid\n",
               NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_profile_passes),
        cmocka_unit_test(test_sgp26_bad_eid),
        cmocka_unit_test(test_hand_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
