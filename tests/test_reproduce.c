/*
 * test_reproduce.c: byte-exact reproduction of GSMA's own SGP.26 certificates.
 *
 * profiles/gsma-sgp26-v3.yaml is built in memory with GSMA's published private keys
 * (key_dir = ../shared/reference/sgp26, RFC 6979 signatures), and for every real DER
 * certificate in ../shared/reference/sgp26 (the table below: real file -> generated file
 * -> real issuer certificate):
 *
 *   - the generated TBSCertificate is byte for byte the real one (serial, issuer, dates,
 *     subject, public key, extensions in order); on a mismatch the first differing offset
 *     and a hex window of both sides are printed;
 *   - the generated certificate's signature verifies (OpenSSL X509_verify) under the
 *     public key of GSMA's REAL issuer certificate;
 *   - the generated TBS artifact (output.tbs) is the TBS inside the generated certificate.
 *
 * The table also holds byte-identical copies of one certificate found in several source
 * folders (they map to the one generated certificate), and a separate test checks that
 * every *.der under the reference folder is in the table. Nothing is written to disk.
 * Skipped when ../shared is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

#define REF "reference/sgp26/"
#define ONEOT "1oT-YggdraSIM/Valid Test Cases/Variant O/"
#define OIOT "openiotrsp/sgp26_variant_o/"
#define TTCN "osmo-ttcn3-hacks/"
#define PYSIM "osmocom-pysim/"
#define OLD PYSIM "DPtls/Old_TLS_Validity/Expired "

/* Real issuer certificates (relative to reference/sgp26). */
#define CI_V3 ONEOT "CI/CERT_CI_SIG_NIST.der"
#define CI20_NIST TTCN "CertificateIssuer/CERT_CI_ECDSA_NIST.der"
#define CI20_BRP TTCN "CertificateIssuer/CERT_CI_ECDSA_BRP.der"
#define CI17 "waigel-euicc-rsp/ci-2017.der"

static const struct repro_case {
    const char *real;      /* relative to reference/sgp26 */
    const char *generated; /* relative to the build's output root; NULL: same as real */
    const char *issuer;    /* the real issuer certificate, relative to reference/sgp26 */
} cases[] = {
    /* SGP.26 v3.0.2 (2024), Variant O, NIST */
    {CI_V3, NULL, CI_V3},
    {OIOT "CERT_CI_SIG_NIST.der", CI_V3, CI_V3}, /* copy of the 1oT file */
    {OIOT "CERT_EUM_SIG_NIST.der", NULL, CI_V3},
    {OIOT "CERT_EUICC_SIG_NIST.der", NULL, OIOT "CERT_EUM_SIG_NIST.der"},
    {OIOT "CERT_S_EIMsign_ECDSA_NIST.der", NULL, CI_V3},
    /* the 2020 issue: CI, EUM, eUICC */
    {CI20_NIST, NULL, CI20_NIST},
    {CI20_BRP, NULL, CI20_BRP},
    {PYSIM "CertificateIssuer/CERT_CI_ECDSA_NIST.der", CI20_NIST, CI20_NIST}, /* copy */
    {PYSIM "CertificateIssuer/CERT_CI_ECDSA_BRP.der", CI20_BRP, CI20_BRP},    /* copy */
    {TTCN "EUM/CERT_EUM_ECDSA_NIST.der", NULL, CI20_NIST},
    {TTCN "EUM/CERT_EUM_ECDSA_BRP.der", NULL, CI20_BRP},
    {TTCN "eUICC/CERT_EUICC_ECDSA_NIST.der", NULL, TTCN "EUM/CERT_EUM_ECDSA_NIST.der"},
    {TTCN "eUICC/CERT_EUICC_ECDSA_BRP.der", NULL, TTCN "EUM/CERT_EUM_ECDSA_BRP.der"},
/* the 2020 issue: SM-DP+ auth and pb (copies in osmo-ttcn3-hacks) */
#define DP2020(dir, file, curve)                                                                   \
    {PYSIM dir "/" file, NULL, CI20_##curve},                                                      \
    {                                                                                              \
        TTCN dir "/" file, PYSIM dir "/" file, CI20_##curve                                        \
    }
    DP2020("DPauth", "CERT_S_SM_DPauth_ECDSA_NIST.der", NIST),
    DP2020("DPauth", "CERT_S_SM_DPauth_ECDSA_BRP.der", BRP),
    DP2020("DPauth", "CERT_S_SM_DP2auth_ECDSA_NIST.der", NIST),
    DP2020("DPauth", "CERT_S_SM_DP2auth_ECDSA_BRP.der", BRP),
    DP2020("DPpb", "CERT_S_SM_DPpb_ECDSA_NIST.der", NIST),
    DP2020("DPpb", "CERT_S_SM_DPpb_ECDSA_BRP.der", BRP),
    DP2020("DPpb", "CERT_S_SM_DP2pb_ECDSA_NIST.der", NIST),
    DP2020("DPpb", "CERT_S_SM_DP2pb_ECDSA_BRP.der", BRP),
#undef DP2020
    /* SM-DP+ TLS: 2025 (osmocom-pysim), 2024-07 and 2026 (osmo-ttcn3-hacks) */
    {PYSIM "DPtls/CERT_S_SM_DP_TLS_NIST.der", NULL, CI20_NIST},
    {PYSIM "DPtls/CERT_S_SM_DP_TLS_BRP.der", NULL, CI20_BRP},
    {PYSIM "DPtls/CERT_S_SM_DP2_TLS.der", NULL, CI20_NIST},
    {PYSIM "DPtls/CERT_S_SM_DP4_TLS.der", NULL, CI20_NIST},
    {PYSIM "DPtls/CERT_S_SM_DP8_TLS.der", NULL, CI20_NIST},
    {TTCN "DPtls/CERT_S_SM_DP2_TLS.der", NULL, CI20_NIST},
    {TTCN "DPtls/CERT_S_SM_DP4_TLS.der", NULL, CI20_NIST},
    {TTCN "DPtls/CERT_S_SM_DP8_TLS.der", NULL, CI20_NIST},
    {TTCN "DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der", NULL, CI_V3},
    {TTCN "DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der", NULL, CI20_BRP},
/* SM-DP+ TLS: the expired generations 2021 (3650 days) to 2024 (398 days) */
#define OLDGEN(year)                                                                               \
    {OLD year "/CERT_S_SM_DP_TLS_NIST.der", NULL, CI20_NIST},                                      \
        {OLD year "/CERT_S_SM_DP_TLS_BRP.der", NULL, CI20_BRP},                                    \
        {OLD year "/CERT_S_SM_DP2_TLS.der", NULL, CI20_NIST},                                      \
        {OLD year "/CERT_S_SM_DP4_TLS.der", NULL, CI20_NIST},                                      \
    {                                                                                              \
        OLD year "/CERT_S_SM_DP8_TLS.der", NULL, CI20_NIST                                         \
    }
    OLDGEN("2021"),
    OLDGEN("2022"),
    OLDGEN("2023"),
    OLDGEN("2024"),
#undef OLDGEN
    /* SGP.26 v1.0 (2017) */
    {CI17, NULL, CI17},
    {"waigel-euicc-rsp/eum.der", NULL, CI17},
    /* NOT GSMA originals: 1oT's re-issues with the published Test CI key */
    {ONEOT "SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_NIST.der", NULL, CI_V3},
    {ONEOT "SM-DP+/SM_DPpb/CERT_S_SM_DPpb_VARO_SIG_NIST.der", NULL, CI_V3},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

struct repro {
    rspg_profile *profile;
    rspg_build_result result;
    int built;
};

static int setup(void **state)
{
    struct repro *g = calloc(1, sizeof(*g));
    *state = g;
    return g ? 0 : -1;
}

static int teardown(void **state)
{
    struct repro *g = *state;
    if (g->built)
        rspg_build_result_free(&g->result);
    rspg_profile_free(g->profile);
    free(g);
    return 0;
}

static void build_once(struct repro *g)
{
    if (g->built)
        return;
    rspg_diag d;
    rspg_diag_init(&d);
    char *path = tu_src("profiles/gsma-sgp26-v3.yaml");
    rspg_status rc = rspg_profile_load_file(path, &d, &g->profile);
    if (rc != RSPG_OK)
        fail_msg("loading %s failed (status %d)", path, (int)rc);
    rspg_build_options bo;
    memset(&bo, 0, sizeof(bo));
    bo.profile_dir = RSPG_SOURCE_DIR "/profiles";
    bo.key_dir = RSPG_SHARED_DIR "/" REF;
    bo.nonce = RSPG_NONCE_RFC6979;
    rc = rspg_build(g->profile, &bo, &d, &g->result);
    if (rc != RSPG_OK)
        fail_msg("building %s with --key-dir %s failed (status %d)", path, bo.key_dir, (int)rc);
    g->built = 1;
    free(path);
    rspg_diag_fini(&d);
}

static const rspg_artifact *find_artifact(const struct repro *g, const char *path,
                                          rspg_artifact_kind kind)
{
    for (size_t i = 0; i < g->result.n; i++)
        if (g->result.items[i].kind == kind && strcmp(g->result.items[i].path, path) == 0)
            return &g->result.items[i];
    return NULL;
}

/* "x/y.der" -> "x/y.tbs.der" */
static char *tbs_path(const char *der_path)
{
    size_t n = strlen(der_path);
    return rspg_xasprintf("%.*s.tbs.der", (int)(n - 4), der_path);
}

static char *read_ref(const char *rel, rspg_buf *out)
{
    char *path = rspg_xasprintf("%s/%s%s", RSPG_SHARED_DIR, REF, rel);
    rspg_buf_init(out);
    if (tu_read_file(path, out) != 0)
        fail_msg("cannot read %s", path);
    return path;
}

/* Appends the hex of P[from..to) (clamped to N) to OUT. */
static void hex_window(rspg_buf *out, const uint8_t *p, size_t n, size_t from, size_t to)
{
    if (to > n)
        to = n;
    for (size_t i = from; i < to; i++) {
        char h[4];
        snprintf(h, sizeof(h), "%02X", p[i]);
        rspg_buf_puts(out, h);
    }
    if (from >= to)
        rspg_buf_puts(out, "(end)");
}

/* Compares the TBS bytes; on a difference appends the first differing offset and a hex
 * window of both sides to REPORT and returns 0. */
static int same_tbs(const char *name, const rspg_der_tlv *real, const rspg_der_tlv *gen,
                    rspg_buf *report)
{
    const uint8_t *a = real->hdr, *b = gen->hdr;
    size_t na = real->hdr_len + real->len, nb = gen->hdr_len + gen->len;
    if (na == nb && memcmp(a, b, na) == 0)
        return 1;
    size_t off = 0;
    while (off < na && off < nb && a[off] == b[off])
        off++;
    size_t from = off >= 8 ? off - 8 : 0;
    char head[800];
    snprintf(head, sizeof(head),
             "  %s: TBS differs at offset %zu (real %zu bytes, generated %zu bytes)\n"
             "    real      @%zu: ",
             name, off, na, nb, from);
    rspg_buf_puts(report, head);
    hex_window(report, a, na, from, off + 24);
    snprintf(head, sizeof(head), "\n    generated @%zu: ", from);
    rspg_buf_puts(report, head);
    hex_window(report, b, nb, from, off + 24);
    rspg_buf_puts(report, "\n");
    return 0;
}

/* 1 when the generated certificate GEN verifies under the public key of the real issuer
 * certificate ISSUER (both DER). */
static int verifies_under(const rspg_buf *gen, const rspg_buf *issuer)
{
    const unsigned char *p = gen->data;
    X509 *g = d2i_X509(NULL, &p, (long)gen->len);
    p = issuer->data;
    X509 *i = d2i_X509(NULL, &p, (long)issuer->len);
    int ok = g && i && X509_verify(g, X509_get0_pubkey(i)) == 1;
    X509_free(g);
    X509_free(i);
    return ok;
}

static void test_reproduces_gsma_tbs_byte_for_byte(void **state)
{
    struct repro *g = *state;
    tu_require_shared();
    build_once(g);
    rspg_buf report;
    rspg_buf_init(&report);
    size_t identical = 0, verified = 0, failures = 0;
    for (size_t i = 0; i < N_CASES; i++) {
        const struct repro_case *c = &cases[i];
        const char *gen_path = c->generated ? c->generated : c->real;
        rspg_buf real_der, issuer_der;
        char *real_path = read_ref(c->real, &real_der);
        char *issuer_path = read_ref(c->issuer, &issuer_der);
        const rspg_artifact *a = find_artifact(g, gen_path, RSPG_ART_CERT);
        char line[1200];
        if (a == NULL) {
            snprintf(line, sizeof(line), "  %s: the profile generates no %s\n", c->real, gen_path);
            rspg_buf_puts(&report, line);
            failures++;
            goto next;
        }
        rspg_x509 real, gen;
        if (rspg_x509_read(real_der.data, real_der.len, &real, NULL) != RSPG_OK)
            fail_msg("%s: not a certificate", real_path);
        if (rspg_x509_read(a->data.data, a->data.len, &gen, NULL) != RSPG_OK)
            fail_msg("generated %s: not a certificate", gen_path);
        int ok = 1;
        if (same_tbs(c->real, &real.tbs, &gen.tbs, &report))
            identical++;
        else
            ok = 0;
        if (verifies_under(&a->data, &issuer_der)) {
            verified++;
        } else {
            snprintf(line, sizeof(line),
                     "  %s: the generated certificate does not verify under the real issuer %s\n",
                     c->real, c->issuer);
            rspg_buf_puts(&report, line);
            ok = 0;
        }
        /* the TBS artifact written next to it is the certificate's TBS */
        char *tp = tbs_path(gen_path);
        const rspg_artifact *t = find_artifact(g, tp, RSPG_ART_TBS);
        if (t == NULL || t->data.len != gen.tbs.hdr_len + gen.tbs.len ||
            memcmp(t->data.data, gen.tbs.hdr, t->data.len) != 0) {
            snprintf(line, sizeof(line), "  %s: %s is missing or is not the certificate's TBS\n",
                     c->real, tp);
            rspg_buf_puts(&report, line);
            ok = 0;
        }
        free(tp);
        if (!ok)
            failures++;
    next:
        rspg_buf_free(&real_der);
        rspg_buf_free(&issuer_der);
        free(real_path);
        free(issuer_path);
    }
    print_message("reproduced %zu of %zu certificates byte for byte (TBS); %zu of %zu verify "
                  "under GSMA's real issuer certificate\n",
                  identical, N_CASES, verified, N_CASES);
    rspg_buf_push(&report, 0);
    if (failures)
        fail_msg("%zu of %zu certificates not reproduced:\n%s", failures, N_CASES,
                 (char *)report.data);
    rspg_buf_free(&report);
}

/* Every generated certificate is one of the table's (no entity without a real file). */
static void test_every_generated_certificate_has_a_real_file(void **state)
{
    struct repro *g = *state;
    tu_require_shared();
    build_once(g);
    size_t distinct = 0;
    for (size_t i = 0; i < g->result.n; i++) {
        const rspg_artifact *a = &g->result.items[i];
        size_t n = strlen(a->path);
        if (a->kind != RSPG_ART_CERT || n < 4 || strcmp(a->path + n - 4, ".der") != 0)
            continue;
        int found = 0;
        for (size_t k = 0; k < N_CASES && !found; k++)
            found = strcmp(cases[k].generated ? cases[k].generated : cases[k].real, a->path) == 0;
        if (!found)
            fail_msg("the profile generates %s, which no real certificate in the table matches",
                     a->path);
        distinct++;
    }
    print_message("%zu distinct certificates generated for %zu real files\n", distinct, N_CASES);
}

/* Collects every *.der under DIR (REL is its path below the reference root). */
static void walk_der(const char *dir, const char *rel, char ***out, size_t *n)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("cannot open %s", dir);
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char *full = rspg_xasprintf("%s/%s", dir, ent->d_name);
        char *sub = *rel ? rspg_xasprintf("%s/%s", rel, ent->d_name) : rspg_xstrdup(ent->d_name);
        struct stat st;
        size_t len = strlen(ent->d_name);
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk_der(full, sub, out, n);
            free(sub);
        } else if (len > 4 && strcmp(ent->d_name + len - 4, ".der") == 0) {
            *out = rspg_xrealloc(*out, (*n + 1) * sizeof(char *));
            (*out)[(*n)++] = sub;
        } else {
            free(sub);
        }
        free(full);
    }
    closedir(d);
}

/* Every real DER certificate in the reference folder is in the table. */
static void test_table_covers_every_real_certificate(void **state)
{
    (void)state;
    tu_require_shared();
    char *root = tu_shared("reference/sgp26");
    char **files = NULL;
    size_t n = 0;
    walk_der(root, "", &files, &n);
    rspg_buf missing;
    rspg_buf_init(&missing);
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t k = 0; k < N_CASES && !found; k++)
            found = strcmp(cases[k].real, files[i]) == 0;
        if (!found) {
            rspg_buf_puts(&missing, "  ");
            rspg_buf_puts(&missing, files[i]);
            rspg_buf_puts(&missing, "\n");
        }
        free(files[i]);
    }
    free(files);
    free(root);
    rspg_buf_push(&missing, 0);
    if (missing.len > 1)
        fail_msg("real certificates not in the table:\n%s", (char *)missing.data);
    rspg_buf_free(&missing);
    assert_int_equal(n, N_CASES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproduces_gsma_tbs_byte_for_byte),
        cmocka_unit_test(test_every_generated_certificate_has_a_real_file),
        cmocka_unit_test(test_table_covers_every_real_certificate),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
