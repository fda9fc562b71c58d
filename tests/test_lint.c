/*
 * test_lint.c: the certificate linter (src/lib/lint.c, `rsp-pkigen lint`).
 *
 * 1. Every real GSMA certificate under ../shared/reference/sgp26 (all *.der except the two
 *    1oT "VARO" DP files, which are not GSMA's) lints with zero errors and zero warnings;
 *    the 1oT files give only w_ext_order (documented in docs/lint.md).
 * 2. Every certificate of an in-memory build of profiles/sgp26.yaml whose expect is
 *    "valid" lints with zero errors and zero warnings.
 * 3. Hand-made faults each produce their code: built from profile strings (a dropped
 *    extension, KU non-critical, two extensions swapped, a PrintableString O, a pinned
 *    SKI, an extra EKU, a P-384 key, a wrong key usage, a short validity, wrong policies,
 *    eIM role detection) and by re-encoding a certificate's DER (a 21-octet, a non-minimal,
 *    a negative and a zero serial, an AKI with authorityCertSerialNumber, GeneralizedTime
 *    before 2050, ecdsa-with-SHA384, X.509 v1, an explicit critical FALSE, swapped and
 *    dropped extensions of a real certificate).
 * 4. The CLI: output lines, exit codes, --json, --help.
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

#include <jansson.h>

#include "rspg/asn1/der.h"
#include "rspg/check/lint.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

#define CLOCK 1780000000 /* 2026-05-28 */

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

static void print_findings(const char *what, const rspg_lint_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        print_message("  %s: %s %s: %s\n", what, rspg_lint_severity_name(r->items[i].severity),
                      r->items[i].code, r->items[i].message);
}

static void lint_bytes(const uint8_t *p, size_t n, int role, const char *variant,
                       rspg_lint_result *res)
{
    rspg_lint_options o = {role, variant};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_lint_cert(p, n, &o, res, &d);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
}

/* Asserts that RES holds CODE (and prints the findings when not). */
static void expect_code(const rspg_lint_result *r, const char *code)
{
    if (!rspg_lint_has(r, code)) {
        print_findings("got", r);
        fail_msg("expected finding %s", code);
    }
}

/* ---- 1. the real GSMA certificates ---- */

static int is_1ot_varo(const char *rel)
{
    size_t n = strlen(rel);
    return strncmp(rel, "1oT-YggdraSIM/", 14) == 0 && n > 18 &&
           strcmp(rel + n - 18, "_VARO_SIG_NIST.der") == 0;
}

static void walk_der(const char *root, const char *rel, char ***files, size_t *n)
{
    char *dir = rel[0] ? rspg_xasprintf("%s/%s", root, rel) : rspg_xstrdup(root);
    DIR *d = opendir(dir);
    free(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = rel[0] ? rspg_xasprintf("%s/%s", rel, e->d_name) : rspg_xstrdup(e->d_name);
        char *full = rspg_xasprintf("%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk_der(root, sub, files, n);
            free(sub);
        } else if (strlen(sub) > 4 && strcmp(sub + strlen(sub) - 4, ".der") == 0) {
            *files = rspg_xrealloc(*files, (*n + 1) * sizeof(char *));
            (*files)[(*n)++] = sub;
        } else {
            free(sub);
        }
        free(full);
    }
    closedir(d);
}

static void test_real_gsma_certificates_lint_clean(void **state)
{
    (void)state;
    tu_require_shared();
    char *root = tu_shared("reference/sgp26");
    char **files = NULL;
    size_t n = 0, linted = 0, varo = 0;
    walk_der(root, "", &files, &n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        char *path = rspg_xasprintf("%s/%s", root, files[i]);
        rspg_lint_result res;
        rspg_diag d;
        rspg_diag_init(&d);
        rspg_lint_options o = {-1, NULL};
        assert_int_equal(rspg_lint_file(path, &o, &res, &d), RSPG_OK);
        rspg_diag_fini(&d);
        print_message("  %-80s %zu errors, %zu warnings, %zu notices\n", files[i], res.errors,
                      res.warnings, res.notices);
        if (is_1ot_varo(files[i])) {
            /* docs/lint.md: the 1oT re-issues have SKI before AKI (OpenSSL 3 order) */
            assert_int_equal(res.errors, 0);
            assert_int_equal(res.warnings, 1);
            expect_code(&res, "w_ext_order");
            varo++;
        } else {
            if (res.errors || res.warnings) {
                print_findings(files[i], &res);
                fail_msg("%s: a real GSMA certificate should lint clean", files[i]);
            }
            assert_true(res.role >= 0);
            linted++;
        }
        rspg_lint_result_free(&res);
        free(path);
        free(files[i]);
    }
    free(files);
    free(root);
    assert_int_equal(varo, 2);
    assert_true(linted >= 60);
}

/* The roles detected on real files: from the policy, and for eIM from the extensions. */
static void test_real_roles(void **state)
{
    (void)state;
    tu_require_shared();
    static const struct {
        const char *rel;
        rspg_role role;
        int v3;
        const char *source;
    } cases[] = {
        {"openiotrsp/sgp26_variant_o/CERT_CI_SIG_NIST.der", RSPG_ROLE_CI, 0, "policy"},
        {"openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der", RSPG_ROLE_EUM, 0, "policy"},
        {"openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der", RSPG_ROLE_EUICC, 0, "policy"},
        {"openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der", RSPG_ROLE_EIM_SIGN, 0,
         "extensions"},
        {"osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_NIST.der", RSPG_ROLE_DP_TLS, 0, "policy"},
        {"osmocom-pysim/DPpb/CERT_S_SM_DP2pb_ECDSA_BRP.der", RSPG_ROLE_DP_PB, 0, "policy"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *rel = rspg_xasprintf("reference/sgp26/%s", cases[i].rel);
        char *path = tu_shared(rel);
        rspg_lint_result res;
        rspg_diag d;
        rspg_diag_init(&d);
        assert_int_equal(rspg_lint_file(path, NULL, &res, &d), RSPG_OK);
        assert_int_equal(res.role, cases[i].role);
        assert_int_equal(res.v3, cases[i].v3);
        assert_string_equal(res.role_source, cases[i].source);
        rspg_lint_result_free(&res);
        rspg_diag_fini(&d);
        free(path);
        free(rel);
    }
}

/* ---- 2. profiles/sgp26.yaml ---- */

static void test_sgp26_build_lints_clean(void **state)
{
    (void)state;
    static const uint8_t seed[] = {0x11, 0x17};
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_profile *p = NULL;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_file(path, &d, &p);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_build_options bo;
    memset(&bo, 0, sizeof(bo));
    bo.profile_dir = RSPG_SOURCE_DIR "/profiles";
    bo.has_clock = 1;
    bo.clock = CLOCK;
    bo.nonce = RSPG_NONCE_RFC6979;
    bo.seed = seed;
    bo.seed_len = sizeof(seed);
    rspg_build_result r;
    rc = rspg_build(p, &bo, &d, &r);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    size_t linted = 0, bad = 0;
    for (size_t i = 0; i < r.n; i++) {
        const rspg_artifact *a = &r.items[i];
        if (a->kind != RSPG_ART_CERT || strcmp(a->expect, "valid") != 0)
            continue;
        rspg_lint_result res;
        lint_bytes(a->data.data, a->data.len, -1, NULL, &res);
        if (res.errors || res.warnings) {
            print_findings(a->path, &res);
            bad++;
        }
        assert_int_equal(res.role, a->entity->role);
        linted++;
        rspg_lint_result_free(&res);
    }
    print_message("  %zu valid certificates of profiles/sgp26.yaml linted, %zu with findings\n",
                  linted, bad);
    assert_int_equal(bad, 0);
    assert_true(linted >= 100);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    free(path);
}

/* ---- 3a. faults from profile strings ---- */

static const char fault_fmt[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: lint-faults\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "defaults: {curves: [nist]}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}, {OU: TESTCERT}, {O: RSPTEST}, {C: IT}]\n"
    "    serial: \"B874F3ABFA6C44D3\"\n"
    "    validity: {days: 12783}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "      - subject_alt_name: {names: [{rid: 2.999.1}]}\n"
    "      - crl_distribution_points: {uris: [\"http://ci.test.example.com/CRL-1.crl\", "
    "\"http://ci.test.example.com/CRL-2.crl\"]}\n"
    "    output: {dir: CI, cert: CERT_CI.der}\n"
    "  - id: leaf\n"
    "    role: %s\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: %s\n"
    "    serial: \"0100\"\n"
    "    validity: {days: %s}\n"
    "    key: %s\n"
    "    extensions:\n"
    "%s"
    "    output: {dir: X, cert: LEAF.der}\n";

#define AKI "      - authority_key_identifier: {}\n"
#define SKI "      - subject_key_identifier: {}\n"
#define SAN "      - subject_alt_name: {names: [{rid: 2.999.10}]}\n"
#define KU "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
#define CP "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.4]}\n"
#define CRLDP                                                                                      \
    "      - crl_distribution_points: {uris: [\"http://ci.test.example.com/CRL-1.crl\", "          \
    "\"http://ci.test.example.com/CRL-2.crl\"]}\n"
#define DP_AUTH_EXTS AKI SKI SAN KU CP CRLDP
#define DP_SUBJECT "[{O: ACME}, {CN: TEST SM-DP+}]"

typedef struct leaf_spec {
    const char *role, *subject, *days, *key, *exts;
} leaf_spec;

/* Builds the profile with LEAF (defaults: a GSMA Variant O dp-auth) and returns the leaf
 * certificate's DER in OUT. */
static void build_leaf(leaf_spec s, rspg_buf *out)
{
    char *text = rspg_xasprintf(fault_fmt, s.role ? s.role : "dp-auth",
                                s.subject ? s.subject : DP_SUBJECT, s.days ? s.days : "3650",
                                s.key ? s.key : "generate", s.exts ? s.exts : DP_AUTH_EXTS);
    rspg_profile *p = NULL;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_string(text, strlen(text), "faults.yaml", &d, &p);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_build_options bo;
    memset(&bo, 0, sizeof(bo));
    bo.profile_dir = ".";
    bo.has_clock = 1;
    bo.clock = CLOCK;
    bo.nonce = RSPG_NONCE_RFC6979;
    rspg_build_result r;
    rc = rspg_build(p, &bo, &d, &r);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    int found = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (r.items[i].kind == RSPG_ART_CERT && strcmp(r.items[i].path, "X/LEAF.der") == 0) {
            rspg_buf_append(out, r.items[i].data.data, r.items[i].data.len);
            found = 1;
        }
    }
    assert_true(found);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    free(text);
}

static void lint_leaf(leaf_spec s, int role, const char *variant, rspg_lint_result *res)
{
    rspg_buf der;
    rspg_buf_init(&der);
    build_leaf(s, &der);
    lint_bytes(der.data, der.len, role, variant, res);
    rspg_buf_free(&der);
}

static void test_baseline_is_clean(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){0}, -1, NULL, &res);
    print_findings("baseline", &res);
    assert_int_equal(res.n, 0);
    assert_int_equal(res.role, RSPG_ROLE_DP_AUTH);
    assert_int_equal(res.v3, 0);
    assert_string_equal(res.role_source, "policy");
    rspg_lint_result_free(&res);
    /* the same with the role and variant given */
    lint_leaf((leaf_spec){0}, RSPG_ROLE_DP_AUTH, "O", &res);
    assert_int_equal(res.n, 0);
    assert_string_equal(res.role_source, "option");
    rspg_lint_result_free(&res);
}

static void test_fault_missing_extension(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.exts = AKI SAN KU CP CRLDP}, -1, NULL, &res);
    expect_code(&res, "e_ext_missing");
    assert_int_equal(res.errors, 1);
    assert_non_null(strstr(res.items[0].message, "subjectKeyIdentifier"));
    rspg_lint_result_free(&res);
}

static void test_fault_ku_not_critical(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.exts = AKI SKI SAN
                          "      - key_usage: {usage: [digitalSignature]}\n" CP CRLDP},
              -1, NULL, &res);
    expect_code(&res, "e_ext_criticality");
    assert_int_equal(res.errors, 1);
    rspg_lint_result_free(&res);
}

static void test_fault_swapped_extensions(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.exts = AKI SKI KU SAN CP CRLDP}, -1, NULL, &res);
    expect_code(&res, "w_ext_order");
    assert_int_equal(res.errors, 0);
    assert_int_equal(res.warnings, 1);
    rspg_lint_result_free(&res);
}

static void test_fault_printable_o(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.subject = "[{O: {value: ACME, type: printable}}, {CN: TEST SM-DP+}]"},
              -1, NULL, &res);
    expect_code(&res, "e_dn_string_type");
    assert_int_equal(res.errors, 1);
    rspg_lint_result_free(&res);
    /* and C as UTF8String */
    lint_leaf((leaf_spec){.subject = "[{C: {value: DE, type: utf8}}, {O: ACME}, {CN: X}]"}, -1,
              NULL, &res);
    expect_code(&res, "e_dn_string_type");
    rspg_lint_result_free(&res);
}

static void test_fault_pinned_ski(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.exts = AKI
                          "      - subject_key_identifier: {key_id: "
                          "\"0102030405060708090A0B0C0D0E0F1011121314\"}\n" SAN KU CP CRLDP},
              -1, NULL, &res);
    expect_code(&res, "w_ski_not_method1");
    assert_int_equal(res.errors, 0);
    rspg_lint_result_free(&res);
}

static void test_fault_unexpected_extension(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.exts = DP_AUTH_EXTS
                          "      - extended_key_usage: {critical: true, usage: [serverAuth]}\n"},
              -1, NULL, &res);
    expect_code(&res, "e_ext_unexpected");
    rspg_lint_result_free(&res);
    lint_leaf((leaf_spec){.exts = DP_AUTH_EXTS "      - raw: {oid: 1.2.3.4, value: \"0500\"}\n"},
              -1, NULL, &res);
    expect_code(&res, "e_ext_unexpected");
    assert_non_null(strstr(res.items[0].message, "1.2.3.4"));
    rspg_lint_result_free(&res);
}

static void test_fault_curve(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.key = "{curve: secp384r1}"}, -1, NULL, &res);
    expect_code(&res, "e_curve");
    rspg_lint_result_free(&res);
}

static void test_fault_key_usage_and_validity(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.exts = AKI SKI SAN
                          "      - key_usage: {critical: true, usage: [keyAgreement]}\n" CP CRLDP},
              -1, NULL, &res);
    expect_code(&res, "e_key_usage");
    rspg_lint_result_free(&res);
    lint_leaf((leaf_spec){.days = "365"}, -1, NULL, &res);
    expect_code(&res, "n_validity_length");
    assert_int_equal(res.errors, 0);
    assert_int_equal(res.warnings, 0);
    assert_int_equal(res.notices, 1);
    rspg_lint_result_free(&res);
}

static void test_fault_policies(void **state)
{
    (void)state;
    rspg_lint_result res;
    /* a dp-auth certificate linted as dp-pb */
    lint_leaf((leaf_spec){0}, RSPG_ROLE_DP_PB, NULL, &res);
    expect_code(&res, "e_policy_mismatch");
    rspg_lint_result_free(&res);
    /* a Variant O certificate linted as Variant A */
    lint_leaf((leaf_spec){0}, -1, "A", &res);
    expect_code(&res, "e_policy_mismatch");
    assert_int_equal(res.v3, 1);
    rspg_lint_result_free(&res);
    /* a CA basicConstraints in an end entity */
    lint_leaf(
        (leaf_spec){.exts = DP_AUTH_EXTS "      - basic_constraints: {critical: true, ca: true}\n"},
        -1, NULL, &res);
    expect_code(&res, "e_basic_constraints");
    expect_code(&res, "e_ext_unexpected");
    rspg_lint_result_free(&res);
}

static void test_eim_detection(void **state)
{
    (void)state;
    rspg_lint_result res;
    lint_leaf((leaf_spec){.role = "eim-sign",
                          .subject = "[{C: DE}, {CN: eim.example.com}]",
                          .days = "2555",
                          .exts = AKI KU},
              -1, NULL, &res);
    print_findings("eim-sign", &res);
    assert_int_equal(res.n, 0);
    assert_int_equal(res.role, RSPG_ROLE_EIM_SIGN);
    assert_string_equal(res.role_source, "extensions");
    rspg_lint_result_free(&res);
    lint_leaf((leaf_spec){.role = "eim-tls",
                          .subject = "[{C: DE}, {CN: eim.example.com}]",
                          .days = "398",
                          .exts = AKI KU
                          "      - extended_key_usage: {critical: true, usage: [serverAuth, "
                          "clientAuth]}\n"
                          "      - subject_alt_name: {names: [{dns: eim.example.com}, {rid: "
                          "2.999.20}]}\n" CRLDP},
              -1, NULL, &res);
    print_findings("eim-tls", &res);
    assert_int_equal(res.n, 0);
    assert_int_equal(res.role, RSPG_ROLE_EIM_TLS);
    rspg_lint_result_free(&res);
    /* no policy, and more than AKI + KU: no role to find */
    lint_leaf((leaf_spec){.exts = AKI SKI KU}, -1, NULL, &res);
    expect_code(&res, "e_role_unknown");
    assert_int_equal(res.role, -1);
    rspg_lint_result_free(&res);
    /* ... unless given */
    lint_leaf((leaf_spec){.exts = AKI SKI KU}, RSPG_ROLE_DP_AUTH, NULL, &res);
    expect_code(&res, "e_ext_missing");
    assert_false(rspg_lint_has(&res, "e_role_unknown"));
    rspg_lint_result_free(&res);
}

/* ---- 3b. faults by re-encoding the DER ---- */

typedef struct parts {
    int version; /* the [0] INTEGER, or -1 when omitted (v1) */
    rspg_buf serial, alg, issuer, validity, subject, spki, sig_alg, sig;
    rspg_buf ext[RSPG_X509_MAX_EXTS];
    size_t n_ext;
} parts;

static void copy_tlv(rspg_buf *b, const rspg_der_tlv *t)
{
    rspg_buf_init(b);
    rspg_buf_append(b, t->hdr, t->hdr_len + t->len);
}

static void parts_from(const uint8_t *der, size_t len, parts *p)
{
    rspg_x509 c;
    assert_int_equal(rspg_x509_read(der, len, &c, NULL), RSPG_OK);
    p->version = c.version;
    copy_tlv(&p->serial, &c.serial);
    copy_tlv(&p->alg, &c.tbs_sig_alg);
    copy_tlv(&p->issuer, &c.issuer);
    copy_tlv(&p->validity, &c.validity);
    copy_tlv(&p->subject, &c.subject);
    copy_tlv(&p->spki, &c.spki);
    copy_tlv(&p->sig_alg, &c.sig_alg);
    copy_tlv(&p->sig, &c.sig);
    p->n_ext = c.n_exts;
    for (size_t i = 0; i < c.n_exts; i++)
        copy_tlv(&p->ext[i], &c.exts[i].whole);
}

static void parts_free(parts *p)
{
    rspg_buf *all[] = {&p->serial,  &p->alg,  &p->issuer,  &p->validity,
                       &p->subject, &p->spki, &p->sig_alg, &p->sig};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        rspg_buf_free(all[i]);
    for (size_t i = 0; i < p->n_ext; i++)
        rspg_buf_free(&p->ext[i]);
}

static void put(rspg_buf *b, const rspg_buf *t)
{
    rspg_buf_append(b, t->data, t->len);
}

static void parts_encode(const parts *p, rspg_buf *out)
{
    size_t cert = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    size_t tbs = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    if (p->version >= 0) {
        size_t v = rspg_der_begin(out, 0xA0);
        rspg_der_put_uint(out, (uint64_t)p->version);
        rspg_der_end(out, v);
    }
    put(out, &p->serial);
    put(out, &p->alg);
    put(out, &p->issuer);
    put(out, &p->validity);
    put(out, &p->subject);
    put(out, &p->spki);
    if (p->n_ext) {
        size_t x = rspg_der_begin(out, 0xA3);
        size_t s = rspg_der_begin(out, RSPG_DER_SEQUENCE);
        for (size_t i = 0; i < p->n_ext; i++)
            put(out, &p->ext[i]);
        rspg_der_end(out, s);
        rspg_der_end(out, x);
    }
    rspg_der_end(out, tbs);
    put(out, &p->sig_alg);
    put(out, &p->sig);
    rspg_der_end(out, cert);
}

static void set_bytes(rspg_buf *b, const void *data, size_t n)
{
    rspg_buf_reset(b);
    rspg_buf_append(b, data, n);
}

/* The index of the extension OID (dotted) in P; fails when absent. */
static size_t ext_index(const parts *p, const char *oid)
{
    rspg_buf want;
    rspg_buf_init(&want);
    assert_int_equal(rspg_der_oid_from_text(oid, &want), 0);
    for (size_t i = 0; i < p->n_ext; i++) {
        rspg_der_cursor c, e;
        rspg_der_tlv seq, o;
        rspg_der_cursor_init(&c, p->ext[i].data, p->ext[i].len);
        assert_int_equal(rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq), 0);
        rspg_der_cursor_init(&e, seq.value, seq.len);
        assert_int_equal(rspg_der_expect(&e, RSPG_DER_OID, &o), 0);
        if (o.len == want.len && memcmp(o.value, want.data, want.len) == 0) {
            rspg_buf_free(&want);
            return i;
        }
    }
    fail_msg("no extension %s", oid);
    return 0;
}

/* Extension OID with the extnValue contents VALUE; CRITICAL: -1 absent, 0 FALSE encoded
 * (not DER), 1 TRUE. */
static void make_ext(rspg_buf *b, const char *oid, int critical, const uint8_t *value, size_t n)
{
    rspg_buf_reset(b);
    size_t s = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(b, oid);
    if (critical >= 0)
        rspg_der_put_tlv(b, RSPG_DER_BOOLEAN, critical ? "\xFF" : "\x00", 1);
    rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, value, n);
    rspg_der_end(b, s);
}

typedef void (*edit_fn)(parts *p);

/* Re-encodes DER with EDIT applied and lints the result. */
static void lint_edited(const rspg_buf *der, edit_fn edit, rspg_lint_result *res)
{
    parts p;
    rspg_buf out;
    memset(&p, 0, sizeof(p));
    parts_from(der->data, der->len, &p);
    edit(&p);
    rspg_buf_init(&out);
    parts_encode(&p, &out);
    lint_bytes(out.data, out.len, -1, NULL, res);
    rspg_buf_free(&out);
    parts_free(&p);
}

static void edit_none(parts *p)
{
    (void)p;
}

static void edit_serial_21(parts *p)
{
    uint8_t s[23] = {RSPG_DER_INTEGER, 21, 0x01};
    for (int i = 3; i < 23; i++)
        s[i] = (uint8_t)(0x10 + i);
    set_bytes(&p->serial, s, sizeof(s));
}

static void edit_serial_not_minimal(parts *p)
{
    static const uint8_t s[] = {RSPG_DER_INTEGER, 3, 0x00, 0x01, 0x00};
    set_bytes(&p->serial, s, sizeof(s));
}

static void edit_serial_negative(parts *p)
{
    static const uint8_t s[] = {RSPG_DER_INTEGER, 2, 0x81, 0x00};
    set_bytes(&p->serial, s, sizeof(s));
}

static void edit_serial_zero(parts *p)
{
    static const uint8_t s[] = {RSPG_DER_INTEGER, 1, 0x00};
    set_bytes(&p->serial, s, sizeof(s));
}

static void edit_aki_with_serial(parts *p)
{
    size_t i = ext_index(p, "2.5.29.35");
    uint8_t v[2 + 2 + 20 + 3] = {RSPG_DER_SEQUENCE, 25, 0x80, 20};
    for (int k = 0; k < 20; k++)
        v[4 + k] = (uint8_t)k;
    v[24] = 0x82;
    v[25] = 1;
    v[26] = 0x01;
    make_ext(&p->ext[i], "2.5.29.35", -1, v, sizeof(v));
}

static void edit_generalized_2026(parts *p)
{
    rspg_buf_reset(&p->validity);
    size_t s = rspg_der_begin(&p->validity, RSPG_DER_SEQUENCE);
    rspg_der_put_tlv(&p->validity, RSPG_DER_GENERALIZEDTIME, "20260528000000Z", 15);
    rspg_der_put_tlv(&p->validity, RSPG_DER_UTCTIME, "360525000000Z", 13);
    rspg_der_end(&p->validity, s);
}

static void edit_utctime_for_2050(parts *p)
{
    /* notAfter in 2050 as GeneralizedTime is right; 2049 as GeneralizedTime is not */
    rspg_buf_reset(&p->validity);
    size_t s = rspg_der_begin(&p->validity, RSPG_DER_SEQUENCE);
    rspg_der_put_tlv(&p->validity, RSPG_DER_UTCTIME, "260528000000Z", 13);
    rspg_der_put_tlv(&p->validity, RSPG_DER_GENERALIZEDTIME, "20491231000000Z", 15);
    rspg_der_end(&p->validity, s);
}

static void edit_sha384(parts *p)
{
    static const uint8_t alg[] = {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86,
                                  0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03};
    set_bytes(&p->alg, alg, sizeof(alg));
}

static void edit_v1(parts *p)
{
    p->version = -1;
}

static void edit_explicit_false(parts *p)
{
    size_t i = ext_index(p, "2.5.29.17");
    static const uint8_t san[] = {0x30, 0x05, 0x88, 0x03, 0x88, 0x37, 0x0A};
    make_ext(&p->ext[i], "2.5.29.17", 0, san, sizeof(san));
}

static void edit_drop_crldp(parts *p)
{
    size_t i = ext_index(p, "2.5.29.31");
    rspg_buf_free(&p->ext[i]);
    memmove(&p->ext[i], &p->ext[i + 1], (p->n_ext - i - 1) * sizeof(p->ext[0]));
    p->n_ext--;
}

static void edit_swap_first_two(parts *p)
{
    rspg_buf t = p->ext[0];
    p->ext[0] = p->ext[1];
    p->ext[1] = t;
}

static void edit_ku_not_critical(parts *p)
{
    size_t i = ext_index(p, "2.5.29.15");
    static const uint8_t ku[] = {0x03, 0x02, 0x07, 0x80};
    make_ext(&p->ext[i], "2.5.29.15", -1, ku, sizeof(ku));
}

static void edit_key_off_curve(parts *p)
{
    p->spki.data[p->spki.len - 1] ^= 0x01; /* Y + 1 or - 1: not on the curve */
}

/* The SPKI with the same algorithm and the subjectPublicKey BITS (N octets, after 00). */
static void set_key_bits(parts *p, const uint8_t *bits, size_t n)
{
    rspg_der_cursor cur;
    rspg_der_tlv seq, alg;
    rspg_buf b;
    rspg_der_cursor_init(&cur, p->spki.data, p->spki.len);
    assert_int_equal(rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq), 0);
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    assert_int_equal(rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &alg), 0);
    rspg_buf_init(&b);
    size_t m = rspg_der_begin(&b, RSPG_DER_SEQUENCE);
    rspg_buf_append(&b, alg.hdr, alg.hdr_len + alg.len);
    rspg_der_put_bit_string(&b, 0, bits, n);
    rspg_der_end(&b, m);
    set_bytes(&p->spki, b.data, b.len);
    rspg_buf_free(&b);
}

static void edit_key_infinity(parts *p)
{
    set_key_bits(p, (const uint8_t *)"\0", 1);
}

static void edit_key_short(parts *p)
{
    uint8_t pt[64] = {0x04};
    set_key_bits(p, pt, sizeof(pt));
}

/* The signatureValue BIT STRING holding VALUE (N octets). */
static void set_sig_value(parts *p, const uint8_t *value, size_t n)
{
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_der_put_bit_string(&b, 0, value, n);
    set_bytes(&p->sig, b.data, b.len);
    rspg_buf_free(&b);
}

static void edit_sig_oversized(parts *p)
{
    uint8_t r[100];
    rspg_buf v;
    memset(r, 0x11, sizeof(r));
    rspg_buf_init(&v);
    size_t m = rspg_der_begin(&v, RSPG_DER_SEQUENCE);
    rspg_der_put_tlv(&v, RSPG_DER_INTEGER, r, sizeof(r));
    rspg_der_put_tlv(&v, RSPG_DER_INTEGER, "\x01", 1);
    rspg_der_end(&v, m);
    set_sig_value(p, v.data, v.len);
    rspg_buf_free(&v);
}

static void edit_sig_r_zero(parts *p)
{
    static const uint8_t v[] = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01};
    set_sig_value(p, v, sizeof(v));
}

static void edit_sig_s_negative(parts *p)
{
    static const uint8_t v[] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x81};
    set_sig_value(p, v, sizeof(v));
}

static void edit_sig_trailing(parts *p)
{
    static const uint8_t v[] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00};
    set_sig_value(p, v, sizeof(v));
}

static void edit_sig_r_order(parts *p)
{
    /* r = n of P-256 (FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551) */
    static const uint8_t v[] = {0x30, 0x26, 0x02, 0x21, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
                                0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3,
                                0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51, 0x02, 0x01, 0x01};
    set_sig_value(p, v, sizeof(v));
}

static void test_der_faults(void **state)
{
    (void)state;
    static const struct {
        edit_fn edit;
        const char *code;
    } cases[] = {
        {edit_serial_21, "e_serial_too_long"},
        {edit_serial_not_minimal, "e_serial_not_minimal"},
        {edit_serial_negative, "e_serial_not_positive"},
        {edit_serial_zero, "e_serial_not_positive"},
        {edit_aki_with_serial, "e_aki_not_keyid_only"},
        {edit_generalized_2026, "e_time_encoding"},
        {edit_utctime_for_2050, "e_time_encoding"},
        {edit_sha384, "e_sig_alg"},
        {edit_v1, "e_version"},
        {edit_explicit_false, "e_der_invalid"},
        {edit_drop_crldp, "e_ext_missing"},
        {edit_swap_first_two, "w_ext_order"},
        {edit_ku_not_critical, "e_ext_criticality"},
        {edit_key_off_curve, "e_key_not_on_curve"},
        {edit_key_infinity, "e_key_infinity"},
        {edit_key_short, "e_key_length"},
        {edit_sig_oversized, "e_sig_oversized"},
        {edit_sig_r_zero, "e_sig_value_invalid"},
        {edit_sig_s_negative, "e_sig_value_invalid"},
        {edit_sig_trailing, "e_sig_value_invalid"},
        {edit_sig_r_order, "e_sig_value_invalid"},
    };
    rspg_buf der;
    rspg_buf_init(&der);
    build_leaf((leaf_spec){0}, &der);
    rspg_lint_result res;
    /* re-encoding without an edit gives the same, clean certificate */
    lint_edited(&der, edit_none, &res);
    assert_int_equal(res.n, 0);
    rspg_lint_result_free(&res);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lint_edited(&der, cases[i].edit, &res);
        expect_code(&res, cases[i].code);
        rspg_lint_result_free(&res);
    }
    rspg_buf_free(&der);
}

/* Faults in a real GSMA certificate: the v3.0.2 EUM. */
static void test_real_certificate_faults(void **state)
{
    (void)state;
    tu_require_shared();
    char *path = tu_shared("reference/sgp26/openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der");
    rspg_buf der;
    rspg_buf_init(&der);
    assert_int_equal(tu_read_file(path, &der), 0);
    rspg_lint_result res;
    lint_edited(&der, edit_none, &res);
    assert_int_equal(res.n, 0);
    rspg_lint_result_free(&res);
    lint_edited(&der, edit_serial_21, &res);
    expect_code(&res, "e_serial_too_long");
    assert_int_equal(res.errors, 1);
    rspg_lint_result_free(&res);
    lint_edited(&der, edit_swap_first_two, &res);
    expect_code(&res, "w_ext_order");
    assert_int_equal(res.errors, 0);
    rspg_lint_result_free(&res);
    lint_edited(&der, edit_drop_crldp, &res);
    expect_code(&res, "e_ext_missing");
    rspg_lint_result_free(&res);
    lint_edited(&der, edit_ku_not_critical, &res);
    expect_code(&res, "e_ext_criticality");
    rspg_lint_result_free(&res);
    /* the EUM of Variant O linted as a Variants A/B/C EUM misses permittedEins */
    lint_bytes(der.data, der.len, -1, "B", &res);
    expect_code(&res, "e_policy_mismatch");
    expect_code(&res, "e_ext_missing");
    rspg_lint_result_free(&res);
    rspg_buf_free(&der);
    free(path);
}

static void test_not_a_certificate(void **state)
{
    (void)state;
    static const uint8_t junk[] = {0x04, 0x03, 0x01, 0x02, 0x03};
    rspg_lint_result res;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_lint_cert(junk, sizeof(junk), NULL, &res, &d), RSPG_E_INPUT);
    assert_true(d.errors > 0);
    rspg_lint_result_free(&res);
    rspg_diag_fini(&d);
    rspg_diag_init(&d);
    rspg_lint_options o = {-1, "Z"};
    assert_int_equal(rspg_lint_cert(junk, sizeof(junk), &o, &res, &d), RSPG_E_USAGE);
    rspg_lint_result_free(&res);
    rspg_diag_fini(&d);
    rspg_diag_init(&d);
    assert_int_equal(rspg_lint_file("/nonexistent/x.der", NULL, &res, &d), RSPG_E_IO);
    rspg_lint_result_free(&res);
    rspg_diag_fini(&d);
}

/* ---- 4. the CLI ---- */

static void test_cli(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    assert_non_null(dir);
    rspg_buf good, bad;
    rspg_buf_init(&good);
    rspg_buf_init(&bad);
    build_leaf((leaf_spec){0}, &good);
    build_leaf((leaf_spec){.exts = AKI SAN KU CP CRLDP}, &bad);
    char *gp = rspg_xasprintf("%s/good.der", dir), *bp = rspg_xasprintf("%s/bad.der", dir);
    assert_int_equal(tu_write_file(gp, good.data, good.len), 0);
    assert_int_equal(tu_write_file(bp, bad.data, bad.len), 0);
    char *out = NULL, *err = NULL, *cmd;

    cmd = rspg_xasprintf("'%s' lint '%s'", tu_cli(), gp);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    assert_string_equal(out, "");
    free(cmd);
    free(out);
    free(err);

    cmd = rspg_xasprintf("'%s' lint '%s' '%s'", tu_cli(), gp, bp);
    assert_int_equal(tu_run(cmd, &out, &err), 1);
    char *want = rspg_xasprintf("%s: error e_ext_missing: subjectKeyIdentifier is missing", bp);
    assert_non_null(strstr(out, want));
    free(want);
    free(cmd);
    free(out);
    free(err);

    cmd = rspg_xasprintf("'%s' lint --json '%s'", tu_cli(), bp);
    assert_int_equal(tu_run(cmd, &out, &err), 1);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    assert_non_null(root);
    json_t *r0 = json_array_get(json_object_get(root, "results"), 0);
    assert_string_equal(json_string_value(json_object_get(r0, "role")), "dp-auth");
    assert_int_equal(json_integer_value(json_object_get(r0, "errors")), 1);
    json_t *f0 = json_array_get(json_object_get(r0, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(f0, "code")), "e_ext_missing");
    assert_string_equal(json_string_value(json_object_get(f0, "severity")), "error");
    json_decref(root);
    free(cmd);
    free(out);
    free(err);

    /* the role given on the command line */
    cmd = rspg_xasprintf("'%s' lint --role dp-pb --variant O -v '%s'", tu_cli(), gp);
    assert_int_equal(tu_run(cmd, &out, &err), 1);
    assert_non_null(strstr(out, "linted as dp-pb (v2 arc, role from option)"));
    assert_non_null(strstr(out, "error e_policy_mismatch"));
    free(cmd);
    free(out);
    free(err);

    cmd = rspg_xasprintf("'%s' lint --help", tu_cli());
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    assert_non_null(strstr(out, "Usage: rsp-pkigen lint"));
    free(cmd);
    free(out);
    free(err);

    static const char *const usage_errors[] = {
        "lint",
        "lint --role nobody x.der",
        "lint --variant D x.der",
        "lint --bogus x.der",
        "lint /nonexistent/x.der",
    };
    for (size_t i = 0; i < sizeof(usage_errors) / sizeof(usage_errors[0]); i++) {
        cmd = rspg_xasprintf("'%s' %s", tu_cli(), usage_errors[i]);
        assert_int_equal(tu_run(cmd, &out, &err), 2);
        assert_non_null(strstr(err, "rsp-pkigen: error: "));
        free(cmd);
        free(out);
        free(err);
    }
    /* a file that is not a certificate */
    char *jp = rspg_xasprintf("%s/junk.der", dir);
    assert_int_equal(tu_write_file(jp, "junk", 4), 0);
    cmd = rspg_xasprintf("'%s' lint '%s'", tu_cli(), jp);
    assert_int_equal(tu_run(cmd, &out, &err), 4); /* RSPG_E_INPUT */
    assert_non_null(strstr(err, "not a certificate"));
    free(jp);
    free(cmd);
    free(out);
    free(err);

    tu_rmtree(dir);
    free(dir);
    free(gp);
    free(bp);
    rspg_buf_free(&good);
    rspg_buf_free(&bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_gsma_certificates_lint_clean),
        cmocka_unit_test(test_real_roles),
        cmocka_unit_test(test_sgp26_build_lints_clean),
        cmocka_unit_test(test_baseline_is_clean),
        cmocka_unit_test(test_fault_missing_extension),
        cmocka_unit_test(test_fault_ku_not_critical),
        cmocka_unit_test(test_fault_swapped_extensions),
        cmocka_unit_test(test_fault_printable_o),
        cmocka_unit_test(test_fault_pinned_ski),
        cmocka_unit_test(test_fault_unexpected_extension),
        cmocka_unit_test(test_fault_curve),
        cmocka_unit_test(test_fault_key_usage_and_validity),
        cmocka_unit_test(test_fault_policies),
        cmocka_unit_test(test_eim_detection),
        cmocka_unit_test(test_der_faults),
        cmocka_unit_test(test_real_certificate_faults),
        cmocka_unit_test(test_not_a_certificate),
        cmocka_unit_test(test_cli),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
