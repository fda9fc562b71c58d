/*
 * test_gsma_chains.c: the verifier on GSMA's real certificates (../shared/reference/sgp26)
 * and on another project's deliberately invalid ones (../shared/reference/peer-invalid).
 * The real chains CI -> EUM -> eUICC, CI -> SM-DP+ auth/pb/TLS and CI -> eIM, NIST and
 * brainpool, verify at a time inside their validity; the expired TLS generations fail as
 * expired (certificateExpired); every peer-invalid certificate is rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/check/verify.h"
#include "test_util.h"

#define R "reference/sgp26/"

static int64_t at(const char *t)
{
    int64_t v = 0;
    assert_int_equal(rspg_parse_rfc3339(t, &v), 0);
    return v;
}

static int add(rspg_verifier *v, const char *rel, int anchor, int role)
{
    rspg_diag d;
    rspg_diag_init(&d);
    char *p = tu_shared(rel);
    int i = rspg_verifier_add_cert_file(v, p, anchor, role, &d);
    if (i < 0)
        fail_msg("%s: %s", rel, d.count ? d.entries[0].message : "?");
    free(p);
    rspg_diag_fini(&d);
    return i;
}

static void expect(rspg_verifier *v, int idx, const char *reason)
{
    rspg_verdict vd;
    rspg_verifier_check(v, idx, &vd);
    if (reason == NULL && !vd.valid)
        fail_msg("expected valid: %s [%s, %s]", vd.message, vd.check, vd.reason);
    if (reason && vd.valid)
        fail_msg("expected invalid (%s), but it verifies (chain %s)", reason, vd.chain);
    if (reason && strcmp(reason, "*") != 0 && strcmp(reason, vd.reason) != 0)
        fail_msg("expected %s, got %s: %s", reason, vd.reason, vd.message);
}

static void test_2020_issue_nist_and_brp(void **state)
{
    (void)state;
    tu_require_shared();
    static const char *const curves[] = {"NIST", "BRP"};
    for (int c = 0; c < 2; c++) {
        rspg_verifier *v = rspg_verifier_new(at("2026-01-01T00:00:00Z"));
        char ci[256], eum[256], euicc[256], auth[256], auth2[256], pb[256];
        snprintf(ci, sizeof(ci), R "osmo-ttcn3-hacks/CertificateIssuer/CERT_CI_ECDSA_%s.der",
                 curves[c]);
        snprintf(eum, sizeof(eum), R "osmo-ttcn3-hacks/EUM/CERT_EUM_ECDSA_%s.der", curves[c]);
        snprintf(euicc, sizeof(euicc), R "osmo-ttcn3-hacks/eUICC/CERT_EUICC_ECDSA_%s.der",
                 curves[c]);
        snprintf(auth, sizeof(auth), R "osmocom-pysim/DPauth/CERT_S_SM_DPauth_ECDSA_%s.der",
                 curves[c]);
        snprintf(auth2, sizeof(auth2), R "osmocom-pysim/DPauth/CERT_S_SM_DP2auth_ECDSA_%s.der",
                 curves[c]);
        snprintf(pb, sizeof(pb), R "osmocom-pysim/DPpb/CERT_S_SM_DPpb_ECDSA_%s.der", curves[c]);
        add(v, ci, 1, -1);
        add(v, eum, 0, -1);
        expect(v, add(v, euicc, 0, -1), NULL);
        expect(v, add(v, auth, 0, -1), NULL);
        expect(v, add(v, auth2, 0, -1), NULL);
        expect(v, add(v, pb, 0, -1), NULL);
        rspg_verifier_free(v);
    }
}

static void test_v3_variant_o_and_eim(void **state)
{
    (void)state;
    tu_require_shared();
    rspg_verifier *v = rspg_verifier_new(at("2026-01-01T00:00:00Z"));
    add(v, R "1oT-YggdraSIM/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der", 1, -1);
    add(v, R "openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der", 0, -1);
    expect(v, add(v, R "openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der", 0, -1), NULL);
    /* the eIM signing certificate has no policy: judged as eim-sign */
    expect(v, add(v, R "openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der", 0, -1), NULL);
    rspg_verifier_free(v);
}

static void test_tls_generations(void **state)
{
    (void)state;
    tu_require_shared();
    /* on 2026-07-01 the 2025 generation is valid, and the 2021-2024 ones have expired */
    rspg_verifier *v = rspg_verifier_new(at("2026-07-01T00:00:00Z"));
    add(v, R "osmo-ttcn3-hacks/CertificateIssuer/CERT_CI_ECDSA_NIST.der", 1, -1);
    add(v, R "osmo-ttcn3-hacks/CertificateIssuer/CERT_CI_ECDSA_BRP.der", 1, -1);
    static const char *const current[] = {
        "osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_NIST.der",
        "osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_BRP.der",
        "osmocom-pysim/DPtls/CERT_S_SM_DP2_TLS.der",
        "osmocom-pysim/DPtls/CERT_S_SM_DP4_TLS.der",
        "osmocom-pysim/DPtls/CERT_S_SM_DP8_TLS.der",
    };
    for (size_t i = 0; i < sizeof(current) / sizeof(current[0]); i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), R "%s", current[i]);
        expect(v, add(v, rel, 0, -1), NULL);
    }
    static const char *const years[] = {"2022", "2023", "2024"};
    static const char *const files[] = {"CERT_S_SM_DP_TLS_NIST.der", "CERT_S_SM_DP_TLS_BRP.der",
                                        "CERT_S_SM_DP2_TLS.der", "CERT_S_SM_DP4_TLS.der",
                                        "CERT_S_SM_DP8_TLS.der"};
    for (size_t y = 0; y < 3; y++)
        for (size_t f = 0; f < 5; f++) {
            char rel[256];
            snprintf(rel, sizeof(rel), R "osmocom-pysim/DPtls/Old_TLS_Validity/Expired %s/%s",
                     years[y], files[f]);
            expect(v, add(v, rel, 0, -1), "certificateExpired");
        }
    /* the 2026 generation is not valid yet on that day, and valid a month later */
    expect(v, add(v, R "osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der", 0, -1),
           "certificateExpired");
    rspg_verifier_free(v);
    v = rspg_verifier_new(at("2026-08-01T00:00:00Z"));
    add(v, R "osmo-ttcn3-hacks/CertificateIssuer/CERT_CI_ECDSA_BRP.der", 1, -1);
    expect(v, add(v, R "osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der", 0, -1), NULL);
    rspg_verifier_free(v);
}

static void test_peer_invalid_certificates_are_rejected(void **state)
{
    (void)state;
    tu_require_shared();
    rspg_verifier *v = rspg_verifier_new(at("2026-01-01T00:00:00Z"));
    add(v, R "osmo-ttcn3-hacks/CertificateIssuer/CERT_CI_ECDSA_NIST.der", 1, -1);
    add(v, R "osmo-ttcn3-hacks/EUM/CERT_EUM_ECDSA_NIST.der", 0, -1);
    static const struct {
        const char *file, *reason;
    } cases[] = {
        {"CERT_EUICC_ECDSA_NIST_EXPIRED.der", "euiccCertificateExpired"},
        {"CERT_EUICC_ECDSA_NIST_INVALID.der", "ciPKUnknown"},
        {"CERT_EUICC_ECDSA_NIST_INVALID_EID.der", "euiccCertificateInvalid"},
        {"CERT_EUICC_ECDSA_NIST_UNMATCHED_EID.der", "euiccCertificateInvalid"},
        {"CERT_EUM_ECDSA_NIST_EXPIRED.der", "*"}, /* its policy is dp-auth's (a peer bug) */
        {"CERT_EUM_ECDSA_NIST_INVALID.der", "ciPKUnknown"},
        {"CERT_EUM_ECDSA_NIST_UNKNOWN_CI.der", "ciPKUnknown"},
        {"CERT_UNKNOWN_CI_ECDSA_NIST.der", "ciPKUnknown"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "reference/peer-invalid/osmo-ttcn3-hacks/%s", cases[i].file);
        expect(v, add(v, rel, 0, -1), cases[i].reason);
    }
    rspg_verifier_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2020_issue_nist_and_brp),
        cmocka_unit_test(test_v3_variant_o_and_eim),
        cmocka_unit_test(test_tls_generations),
        cmocka_unit_test(test_peer_invalid_certificates_are_rejected),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
