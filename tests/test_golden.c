/*
 * test_golden.c: the generated SGP.26 set against GSMA's real certificates, field by
 * field. profiles/sgp26.yaml is built in memory (fixed clock and seed) once per
 * generation of GSMA files (v3.0.2 and 2026 names; the 2020-2025 files with CRL-A/CRL-B
 * and 398-day or 3650-day TLS validity, chosen with the profile's own variables), and each
 * real certificate in ../shared/reference/sgp26 is compared with the generated certificate
 * of the same type: version, signature algorithm (outer and TBS), issuer and subject Name
 * bytes (attribute order and string types), SPKI algorithm and curve, validity length and
 * time types, and the extensions: OIDs, order, criticality and DER values (all but SKI and
 * AKI, which depend on the keys; for those the presence and length). Zero differences.
 *
 * Not compared, on purpose: 1oT's CERT_S_SM_DP{auth,pb}_VARO_SIG_NIST.der (local
 * re-issues with OpenSSL 3 extension order, not GSMA's; see PROFILE.md §7) and the 2017
 * v1.0 CI/EUM (CN=GSMA Test CI, 12418-day EUM; superseded by v3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

enum gen { GEN_V3, GEN_2020, GEN_TLS398, GEN_TLS3650, GEN_COUNT };

static const char *const gen_vars[GEN_COUNT][4] = {
    [GEN_V3] = {NULL},
    [GEN_2020] = {"crl_1=CRL-A.crl", "crl_2=CRL-B.crl", NULL},
    [GEN_TLS398] = {"crl_1=CRL-A.crl", "crl_2=CRL-B.crl", "tls_days=398", NULL},
    [GEN_TLS3650] = {"crl_1=CRL-A.crl", "crl_2=CRL-B.crl", "tls_days=3650", NULL},
};

#define VO "Valid Test Cases/Variant O/"

static const struct golden_case {
    const char *reference; /* relative to shared/reference/sgp26 */
    const char *generated; /* relative to the output root */
    enum gen gen;
} cases[] = {
    /* SGP.26 v3.0.2 (2024) and the 2026 TLS generation */
    {"1oT-YggdraSIM/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der",
     VO "CI/CERT_CI_SIG_NIST.der", GEN_V3},
    {"openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der", VO "EUM/CERT_EUM_SIG_NIST.der", GEN_V3},
    {"openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der", VO "eUICC/CERT_EUICC_SIG_NIST.der",
     GEN_V3},
    {"openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der",
     VO "EIM/CERT_S_EIMsign_ECDSA_NIST.der", GEN_V3},
    {"osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der", GEN_V3},
    {"osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der", GEN_V3},
    /* the 2020 issuance (CRL-A / CRL-B), NIST and BRP */
    {"osmocom-pysim/CertificateIssuer/CERT_CI_ECDSA_NIST.der", VO "CI/CERT_CI_SIG_NIST.der",
     GEN_2020},
    {"osmocom-pysim/CertificateIssuer/CERT_CI_ECDSA_BRP.der", VO "CI/CERT_CI_SIG_BRP.der",
     GEN_2020},
    {"osmo-ttcn3-hacks/EUM/CERT_EUM_ECDSA_NIST.der", VO "EUM/CERT_EUM_SIG_NIST.der", GEN_2020},
    {"osmo-ttcn3-hacks/EUM/CERT_EUM_ECDSA_BRP.der", VO "EUM/CERT_EUM_SIG_BRP.der", GEN_2020},
    {"osmo-ttcn3-hacks/eUICC/CERT_EUICC_ECDSA_NIST.der", VO "eUICC/CERT_EUICC_SIG_NIST.der",
     GEN_2020},
    {"osmo-ttcn3-hacks/eUICC/CERT_EUICC_ECDSA_BRP.der", VO "eUICC/CERT_EUICC_SIG_BRP.der",
     GEN_2020},
    {"osmocom-pysim/DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der",
     VO "SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_NIST.der", GEN_2020},
    {"osmocom-pysim/DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der",
     VO "SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_BRP.der", GEN_2020},
    {"osmocom-pysim/DPauth/CERT_S_SM_DP2auth_ECDSA_NIST.der",
     VO "SM-DP+/SM_DPauth/CERT_S_SM_DP2auth_VARO_SIG_NIST.der", GEN_2020},
    {"osmocom-pysim/DPauth/CERT_S_SM_DP2auth_ECDSA_BRP.der",
     VO "SM-DP+/SM_DPauth/CERT_S_SM_DP2auth_VARO_SIG_BRP.der", GEN_2020},
    {"osmocom-pysim/DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der",
     VO "SM-DP+/SM_DPpb/CERT_S_SM_DPpb_VARO_SIG_NIST.der", GEN_2020},
    {"osmocom-pysim/DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der",
     VO "SM-DP+/SM_DPpb/CERT_S_SM_DPpb_VARO_SIG_BRP.der", GEN_2020},
    {"osmocom-pysim/DPpb/CERT_S_SM_DP2pb_ECDSA_NIST.der",
     VO "SM-DP+/SM_DPpb/CERT_S_SM_DP2pb_VARO_SIG_NIST.der", GEN_2020},
    {"osmocom-pysim/DPpb/CERT_S_SM_DP2pb_ECDSA_BRP.der",
     VO "SM-DP+/SM_DPpb/CERT_S_SM_DP2pb_VARO_SIG_BRP.der", GEN_2020},
    /* the 2021-2025 TLS generations (398 days; 2020-2021: 3650 days) */
    {"osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_NIST.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der", GEN_TLS398},
    {"osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_BRP.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der", GEN_TLS398},
    {"osmocom-pysim/DPtls/CERT_S_SM_DP2_TLS.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP2_VARO_TLS_NIST.der", GEN_TLS398},
    {"osmocom-pysim/DPtls/CERT_S_SM_DP4_TLS.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP4_VARO_TLS_NIST.der", GEN_TLS398},
    {"osmocom-pysim/DPtls/CERT_S_SM_DP8_TLS.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP8_VARO_TLS_NIST.der", GEN_TLS398},
    {"osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP2_TLS.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP2_VARO_TLS_NIST.der", GEN_TLS398},
    {"osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP4_TLS.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP4_VARO_TLS_NIST.der", GEN_TLS398},
    {"osmo-ttcn3-hacks/DPtls/CERT_S_SM_DP8_TLS.der",
     VO "SM-DP+/SM_DPtls/CERT_S_SM_DP8_VARO_TLS_NIST.der", GEN_TLS398},
#define OLD(year, ref, gen_path, g)                                                                \
    {                                                                                              \
        "osmocom-pysim/DPtls/Old_TLS_Validity/Expired " year "/" ref,                              \
            VO "SM-DP+/SM_DPtls/" gen_path, g                                                      \
    }
    OLD("2024", "CERT_S_SM_DP_TLS_NIST.der", "CERT_S_SM_DP_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2024", "CERT_S_SM_DP_TLS_BRP.der", "CERT_S_SM_DP_VARO_TLS_BRP.der", GEN_TLS398),
    OLD("2024", "CERT_S_SM_DP2_TLS.der", "CERT_S_SM_DP2_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2024", "CERT_S_SM_DP4_TLS.der", "CERT_S_SM_DP4_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2024", "CERT_S_SM_DP8_TLS.der", "CERT_S_SM_DP8_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2023", "CERT_S_SM_DP_TLS_NIST.der", "CERT_S_SM_DP_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2023", "CERT_S_SM_DP_TLS_BRP.der", "CERT_S_SM_DP_VARO_TLS_BRP.der", GEN_TLS398),
    OLD("2023", "CERT_S_SM_DP2_TLS.der", "CERT_S_SM_DP2_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2023", "CERT_S_SM_DP4_TLS.der", "CERT_S_SM_DP4_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2023", "CERT_S_SM_DP8_TLS.der", "CERT_S_SM_DP8_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2022", "CERT_S_SM_DP_TLS_NIST.der", "CERT_S_SM_DP_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2022", "CERT_S_SM_DP_TLS_BRP.der", "CERT_S_SM_DP_VARO_TLS_BRP.der", GEN_TLS398),
    OLD("2022", "CERT_S_SM_DP2_TLS.der", "CERT_S_SM_DP2_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2022", "CERT_S_SM_DP4_TLS.der", "CERT_S_SM_DP4_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2022", "CERT_S_SM_DP8_TLS.der", "CERT_S_SM_DP8_VARO_TLS_NIST.der", GEN_TLS398),
    OLD("2021", "CERT_S_SM_DP_TLS_NIST.der", "CERT_S_SM_DP_VARO_TLS_NIST.der", GEN_TLS3650),
    OLD("2021", "CERT_S_SM_DP_TLS_BRP.der", "CERT_S_SM_DP_VARO_TLS_BRP.der", GEN_TLS3650),
    OLD("2021", "CERT_S_SM_DP2_TLS.der", "CERT_S_SM_DP2_VARO_TLS_NIST.der", GEN_TLS3650),
    OLD("2021", "CERT_S_SM_DP4_TLS.der", "CERT_S_SM_DP4_VARO_TLS_NIST.der", GEN_TLS3650),
    OLD("2021", "CERT_S_SM_DP8_TLS.der", "CERT_S_SM_DP8_VARO_TLS_NIST.der", GEN_TLS3650),
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

struct golden {
    rspg_profile *profile[GEN_COUNT];
    rspg_build_result result[GEN_COUNT];
    int built[GEN_COUNT];
};

static int setup(void **state)
{
    struct golden *g = calloc(1, sizeof(*g));
    *state = g;
    return g ? 0 : -1;
}

static int teardown(void **state)
{
    struct golden *g = *state;
    for (int i = 0; i < GEN_COUNT; i++) {
        if (g->built[i])
            rspg_build_result_free(&g->result[i]);
        rspg_profile_free(g->profile[i]);
    }
    free(g);
    return 0;
}

static const rspg_artifact *generated(struct golden *g, enum gen gen, const char *path)
{
    if (!g->built[gen]) {
        static const uint8_t seed[] = {0x60, 0x1d, 0xe4};
        const char *const *vars = gen_vars[gen];
        size_t n = 0;
        while (vars[n])
            n++;
        rspg_load_options lo = {vars, n, NULL, 0};
        rspg_diag d;
        rspg_diag_init(&d);
        char *path_profile = tu_src("profiles/sgp26.yaml");
        assert_int_equal(rspg_profile_load_file_ex(path_profile, &lo, &d, &g->profile[gen]),
                         RSPG_OK);
        rspg_build_options bo = {0};
        bo.profile_dir = RSPG_SOURCE_DIR "/profiles";
        bo.has_clock = 1;
        bo.clock = 1780000000;
        bo.nonce = RSPG_NONCE_RFC6979;
        bo.seed = seed;
        bo.seed_len = sizeof(seed);
        bo.curves = NULL;
        char *variant = "O";
        bo.variants = &variant;
        bo.n_variants = 1;
        assert_int_equal(rspg_build(g->profile[gen], &bo, &d, &g->result[gen]), RSPG_OK);
        g->built[gen] = 1;
        free(path_profile);
        rspg_diag_fini(&d);
    }
    for (size_t i = 0; i < g->result[gen].n; i++)
        if (strcmp(g->result[gen].items[i].path, path) == 0)
            return &g->result[gen].items[i];
    return NULL;
}

static int same_tlv(const rspg_der_tlv *a, const rspg_der_tlv *b)
{
    return a->hdr_len + a->len == b->hdr_len + b->len &&
           memcmp(a->hdr, b->hdr, a->hdr_len + a->len) == 0;
}

static char *oid_text(const rspg_der_tlv *t)
{
    char *s = rspg_der_oid_to_text(t->value, t->len);
    return s ? s : rspg_xstrdup("?");
}

/* Compares REF and GEN; appends one line per difference to OUT; returns the count. */
static int compare(const rspg_x509 *ref, const rspg_x509 *gen, rspg_buf *out)
{
    int diffs = 0;
#define DIFF(...)                                                                                  \
    do {                                                                                           \
        char line_[512];                                                                           \
        snprintf(line_, sizeof(line_), __VA_ARGS__);                                               \
        rspg_buf_puts(out, "    ");                                                                \
        rspg_buf_puts(out, line_);                                                                 \
        rspg_buf_puts(out, "\n");                                                                  \
        diffs++;                                                                                   \
    } while (0)
    if (ref->version != gen->version)
        DIFF("version %d != %d", ref->version, gen->version);
    if (!same_tlv(&ref->sig_alg, &gen->sig_alg) || !same_tlv(&ref->tbs_sig_alg, &gen->tbs_sig_alg))
        DIFF("signature algorithm differs");
    if (!same_tlv(&ref->issuer, &gen->issuer))
        DIFF("issuer Name differs (attribute order, string types or values)");
    if (!same_tlv(&ref->subject, &gen->subject))
        DIFF("subject Name differs (attribute order, string types or values)");
    if (!same_tlv(&ref->spki_alg_oid, &gen->spki_alg_oid) ||
        !same_tlv(&ref->spki_curve_oid, &gen->spki_curve_oid))
        DIFF("public key algorithm or curve differs");
    if (ref->pub_len != gen->pub_len)
        DIFF("public key length %zu != %zu", ref->pub_len, gen->pub_len);
    if (ref->not_after - ref->not_before != gen->not_after - gen->not_before)
        DIFF("validity length %lld s != %lld s", (long long)(ref->not_after - ref->not_before),
             (long long)(gen->not_after - gen->not_before));
    if (ref->validity.len != gen->validity.len)
        DIFF("validity time types differ (UTCTime/GeneralizedTime)");
    if (ref->n_exts != gen->n_exts)
        DIFF("%zu extensions != %zu", ref->n_exts, gen->n_exts);
    for (size_t i = 0; i < ref->n_exts && i < gen->n_exts; i++) {
        const rspg_x509_ext *a = &ref->exts[i], *b = &gen->exts[i];
        char *oa = oid_text(&a->oid), *ob = oid_text(&b->oid);
        if (strcmp(oa, ob) != 0) {
            DIFF("extension %zu is %s, generated %s", i + 1, oa, ob);
        } else {
            int key_id = strcmp(oa, "2.5.29.14") == 0 || strcmp(oa, "2.5.29.35") == 0;
            if (a->critical != b->critical)
                DIFF("extension %s: critical %d != %d", oa, a->critical, b->critical);
            if (key_id ? a->value.len != b->value.len : !same_tlv(&a->value, &b->value)) {
                char *ha = rspg_hex(a->value.value, a->value.len);
                char *hb = rspg_hex(b->value.value, b->value.len);
                DIFF("extension %s value %s != %s", oa, ha, hb);
                free(ha);
                free(hb);
            }
        }
        free(oa);
        free(ob);
    }
#undef DIFF
    return diffs;
}

static void test_generated_matches_gsma_field_by_field(void **state)
{
    struct golden *g = *state;
    tu_require_shared();
    rspg_buf report;
    rspg_buf_init(&report);
    int total = 0;
    size_t compared = 0;
    for (size_t i = 0; i < N_CASES; i++) {
        char *path = rspg_xasprintf("%s/reference/sgp26/%s", RSPG_SHARED_DIR, cases[i].reference);
        rspg_buf ref_der;
        rspg_buf_init(&ref_der);
        assert_int_equal(tu_read_file(path, &ref_der), 0);
        const rspg_artifact *a = generated(g, cases[i].gen, cases[i].generated);
        if (a == NULL)
            fail_msg("the profile generated no %s", cases[i].generated);
        rspg_x509 ref, gen;
        assert_int_equal(rspg_x509_read(ref_der.data, ref_der.len, &ref, NULL), 0);
        assert_int_equal(rspg_x509_read(a->data.data, a->data.len, &gen, NULL), 0);
        rspg_buf diffs;
        rspg_buf_init(&diffs);
        int n = compare(&ref, &gen, &diffs);
        if (n) {
            char head[600];
            snprintf(head, sizeof(head), "%s vs %s:\n", cases[i].reference, cases[i].generated);
            rspg_buf_puts(&report, head);
            rspg_buf_append(&report, diffs.data, diffs.len);
        }
        total += n;
        compared++;
        rspg_buf_free(&diffs);
        rspg_buf_free(&ref_der);
        free(path);
    }
    rspg_buf_push(&report, 0);
    print_message("compared %zu GSMA certificates field by field: %d differences\n", compared,
                  total);
    if (total)
        fail_msg("%d differences:\n%s", total, (char *)report.data);
    rspg_buf_free(&report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_matches_gsma_field_by_field),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
