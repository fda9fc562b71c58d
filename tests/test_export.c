/*
 * test_export.c: `export osmo-smdpp` (src/lib/flow/export.c, flow/export.h).
 *
 * A small build is written to a scratch folder (CI of Variants O and B on NIST and BRP;
 * SM-DP+ "SM-DP+" under the CI on both curves; "SM-DP+2" on NIST with a DER TLS key; a
 * Variant B SM-DP+ under a CI SubCA) and exported. Checked: pySim's names and nothing else,
 * the CI only in CertificateIssuer, the bytes (DER certificates, PEM keys, a DER key
 * armoured), keys 0600; the SM-DP+ chosen by default and by name; DATA_DIR's other files
 * left alone; the refusals (not a build folder, another schema, a file changed since the
 * build, a variant without SM-DP+, an SM-DP+ under a SubCA, an existing tree without force,
 * a foreign folder with force) with nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rspg/asn1/pem.h"
#include "rspg/base/time.h"
#include "rspg/flow/export.h"
#include "rspg/issue/build.h"
#include "rspg/issue/bundle.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

#define CA                                                                                         \
    "      - subject_key_identifier: {}\n      - basic_constraints: {critical: true, ca: true}\n"
#define EE "      - authority_key_identifier: {}\n      - subject_key_identifier: {}\n"
#define ENT(id, role, var, name, issuer, serial, exts, out)                                        \
    "  - id: " id "\n    role: " role "\n    variant: " var "\n    name: \"" name                  \
    "\"\n    issuer: " issuer "\n    subject: [{CN: \"" id "\"}]\n    serial: \"" serial           \
    "\"\n    extensions:\n" exts "    output: " out "\n"

static const char profile[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: exp\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "  brp: {curve: brainpoolP256r1, suffix: BRP}\n"
    "defaults: {curves: [nist, brp], validity_days: 365}\n"
    "entities:\n" ENT("ci", "ci", "[O, B]", "CI", "self", "01", CA,
                      "{dir: CI, cert: [\"CERT_CI_${CURVE}.der\", \"CERT_CI_${CURVE}.pem\"], "
                      "key: \"SK_CI_${CURVE}.pem\"}")
        ENT("auth", "dp-auth", "O", "SM-DP+", "ci", "10", EE,
            "{dir: DP, cert: \"CERT_AUTH_${CURVE}.der\", key: \"SK_AUTH_${CURVE}.pem\"}")
            ENT("pb", "dp-pb", "O", "SM-DP+", "ci", "11", EE,
                "{dir: DP, cert: \"CERT_PB_${CURVE}.der\", key: \"SK_PB_${CURVE}.pem\"}")
                ENT("tls", "dp-tls", "O", "SM-DP+", "ci", "12", EE,
                    "{dir: DP, cert: \"CERT_TLS_${CURVE}.der\", key: \"SK_TLS_${CURVE}.pem\"}")
                    ENT("auth2", "dp-auth", "O", "SM-DP+2", "ci", "20", EE,
                        "{dir: DP2, cert: \"CERT_AUTH_${CURVE}.der\", key: "
                        "\"SK_AUTH_${CURVE}.pem\"}\n    curves: [nist]")
                        ENT("pb2", "dp-pb", "O", "SM-DP+2", "ci", "21", EE,
                            "{dir: DP2, cert: \"CERT_PB_${CURVE}.der\", key: "
                            "\"SK_PB_${CURVE}.pem\"}\n    curves: [nist]")
                            ENT("tls2", "dp-tls", "O", "SM-DP+2", "ci", "22", EE,
                                "{dir: DP2, cert: \"CERT_TLS_${CURVE}.pem\", key: "
                                "\"SK_TLS_${CURVE}.der\"}\n    curves: [nist]")
                                ENT("subca", "ci-subca", "B", "SubCA", "ci", "30", CA,
                                    "{dir: B, cert: \"CERT_SUBCA_${CURVE}.der\"}")
                                    ENT("b-auth", "dp-auth", "B", "SM-DP+", "subca", "31", EE,
                                        "{dir: B, cert: \"CERT_AUTH_${CURVE}.der\", key: "
                                        "\"SK_AUTH_${CURVE}.pem\"}")
                                        ENT("b-pb", "dp-pb", "B", "SM-DP+", "subca", "32", EE,
                                            "{dir: B, cert: \"CERT_PB_${CURVE}.der\", key: "
                                            "\"SK_PB_${CURVE}.pem\"}")
                                            ENT("b-tls", "dp-tls", "B", "SM-DP+", "subca", "33", EE,
                                                "{dir: B, cert: \"CERT_TLS_${CURVE}.der\", key: "
                                                "\"SK_TLS_${CURVE}.pem\"}");

static char *build_dir; /* the build, made once */
static char *base;      /* the scratch folder of the group */

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *msg = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", msg);
        free(msg);
    }
}

/* Builds the profile (seeded, fixed clock) with its bundles and manifest into DIR. */
static void write_build(const char *dir)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_profile *p = NULL;
    rspg_status rc = rspg_profile_load_string(profile, strlen(profile), "e.yaml", &d, &p);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    static const uint8_t seed[] = {9, 8, 7};
    rspg_build_options o;
    memset(&o, 0, sizeof(o));
    o.profile_dir = ".";
    o.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339("2025-01-01T00:00:00Z", &o.clock), 0);
    o.nonce = RSPG_NONCE_RFC6979;
    o.seed = seed;
    o.seed_len = sizeof(seed);
    rspg_build_result r;
    assert_int_equal(rspg_build(p, &o, &d, &r), RSPG_OK);
    assert_int_equal(rspg_bundle_add(&r, p, &d), RSPG_OK);
    char *m = rspg_manifest_json(&r, p);
    rspg_output_options oo = {0, m, 0, NULL, 0};
    rc = rspg_output_write(dir, &r, &oo, &d);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    free(m);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
}

static int setup(void **state)
{
    int rc = tu_scratch_setup(state);
    base = tu_scratch();
    build_dir = rspg_xasprintf("%s/build", base);
    write_build(build_dir);
    return rc;
}

static int teardown(void **state)
{
    free(build_dir);
    free(base);
    return tu_scratch_teardown(state);
}

/* Runs the export of VARIANT (and DP) into a new DATA_DIR NAME under the scratch folder. */
static rspg_status run_export(const char *name, const char *variant, const char *dp, int force,
                              rspg_diag *d, rspg_export_summary *s, char **out)
{
    *out = rspg_xasprintf("%s/%s", base, name);
    rspg_export_options o = {build_dir, *out, variant, dp, force};
    rspg_status rc = rspg_export_osmo_smdpp(&o, d, s);
    print_diag(d);
    return rc;
}

/* The sorted list of files under DIR, one per line. */
static char *list_files(const char *dir)
{
    char *cmd = rspg_xasprintf("(cd '%s' && find . -type f | sed 's|^[.]/||' | sort)", dir), *out,
         *err;
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(err);
    return out;
}

static void same_file(const char *a, const char *b)
{
    rspg_buf x, y;
    rspg_buf_init(&x);
    rspg_buf_init(&y);
    assert_int_equal(tu_read_file(a, &x), 0);
    assert_int_equal(tu_read_file(b, &y), 0);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    rspg_buf_free(&x);
    rspg_buf_free(&y);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

static char *at(const char *dir, const char *rel)
{
    return rspg_xasprintf("%s/%s", dir, rel);
}

static void test_variant_o(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_export_summary s;
    char *out;
    assert_int_equal(run_export("o", NULL, NULL, 0, &d, &s, &out), RSPG_OK);
    assert_int_equal(s.files, 16);
    assert_string_equal(s.dp_name, "SM-DP+"); /* before SM-DP+2 */
    assert_string_equal(s.curves, "NIST, BRP");
    char *certs = at(out, "certs"), *files = list_files(certs);
    assert_string_equal(files, "CertificateIssuer/CERT_CI_ECDSA_BRP.der\n"
                               "CertificateIssuer/CERT_CI_ECDSA_NIST.der\n"
                               "DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der\n"
                               "DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der\n"
                               "DPauth/SK_S_SM_DPauth_ECDSA_BRP.pem\n"
                               "DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem\n"
                               "DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der\n"
                               "DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der\n"
                               "DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem\n"
                               "DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem\n"
                               "DPtls/CERT_S_SM_DP_TLS_BRP.der\n"
                               "DPtls/CERT_S_SM_DP_TLS_BRP.pem\n"
                               "DPtls/CERT_S_SM_DP_TLS_NIST.der\n"
                               "DPtls/CERT_S_SM_DP_TLS_NIST.pem\n"
                               "DPtls/SK_S_SM_DP_TLS_BRP.pem\n"
                               "DPtls/SK_S_SM_DP_TLS_NIST.pem\n");
    assert_string_equal(s.paths[0], "CertificateIssuer/CERT_CI_ECDSA_BRP.der");
    /* the bytes: DER certificates and PEM keys of the build, the TLS PEM of the same DER */
    char *a = at(certs, "CertificateIssuer/CERT_CI_ECDSA_NIST.der"),
         *b = at(build_dir, "CI/CERT_CI_NIST.der");
    same_file(a, b);
    free(a), free(b);
    a = at(certs, "DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem"), b = at(build_dir, "DP/SK_PB_BRP.pem");
    same_file(a, b);
    assert_int_equal(mode_of(a), 0600);
    free(a), free(b);
    a = at(certs, "DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der");
    assert_int_equal(mode_of(a), 0644);
    free(a);
    rspg_buf der, pem;
    rspg_buf_init(&der);
    rspg_buf_init(&pem);
    a = at(certs, "DPtls/CERT_S_SM_DP_TLS_NIST.der"),
    b = at(certs, "DPtls/CERT_S_SM_DP_TLS_NIST.pem");
    assert_int_equal(tu_read_file(a, &der), 0);
    assert_int_equal(rspg_read_der_file(b, "CERTIFICATE", &pem), 0);
    assert_int_equal(der.len, pem.len);
    assert_memory_equal(der.data, pem.data, der.len);
    rspg_buf_free(&der);
    rspg_buf_free(&pem);
    free(a), free(b);
    /* nothing beside certs/ (no lock, no stage) */
    char *cmd = rspg_xasprintf("ls -A '%s'", out), *o, *e;
    assert_int_equal(tu_run(cmd, &o, &e), 0);
    assert_string_equal(o, "certs\n");
    free(cmd), free(o), free(e);
    free(files);
    free(certs);
    free(out);
    rspg_diag_fini(&d);
}

/* SM-DP+2 by name: NIST only; its DER TLS key armoured as PEM. */
static void test_dp_by_name(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_export_summary s;
    char *out;
    assert_int_equal(run_export("dp2", "O", "SM-DP+2", 0, &d, &s, &out), RSPG_OK);
    assert_int_equal(s.files, 8);
    assert_string_equal(s.curves, "NIST");
    char *k = rspg_xasprintf("%s/certs/DPtls/SK_S_SM_DP_TLS_NIST.pem", out);
    char *kd = rspg_xasprintf("%s/DP2/SK_TLS_NIST.der", build_dir);
    rspg_buf pem, der;
    rspg_buf_init(&pem);
    rspg_buf_init(&der);
    assert_int_equal(tu_read_file(k, &pem), 0);
    assert_int_equal(tu_read_file(kd, &der), 0);
    rspg_buf sec1;
    rspg_buf_init(&sec1);
    assert_int_equal(rspg_pem_decode(pem.data, pem.len, "EC PRIVATE KEY", &sec1), 0);
    assert_int_equal(sec1.len, der.len);
    assert_memory_equal(sec1.data, der.data, der.len);
    assert_int_equal(mode_of(k), 0600);
    rspg_buf_free(&pem), rspg_buf_free(&der), rspg_buf_free(&sec1);
    free(k), free(kd), free(out);
    rspg_diag_fini(&d);
    /* a name that does not exist */
    rspg_diag_init(&d);
    assert_int_equal(run_export("dp9", "O", "SM-DP+9", 0, &d, &s, &out), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[0].message, "no SM-DP+ named 'SM-DP+9'"));
    free(out);
    rspg_diag_fini(&d);
}

/* DATA_DIR's other files stay; an existing certs/ needs force; a foreign one is kept. */
static void test_destination(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_export_summary s;
    char *out = rspg_xasprintf("%s/data", base);
    char *upp = rspg_xasprintf("%s/upp", out), *uppf = rspg_xasprintf("%s/upp/X.der", out);
    assert_int_equal(mkdir(out, 0755), 0);
    assert_int_equal(mkdir(upp, 0755), 0);
    assert_int_equal(tu_write_file(uppf, "x", 1), 0);
    free(out);
    assert_int_equal(run_export("data", NULL, NULL, 0, &d, &s, &out), RSPG_OK);
    free(out);
    assert_int_equal(run_export("data", NULL, NULL, 0, &d, &s, &out), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "already exists (use --force"));
    free(out);
    /* osmo-smdpp's own DH file in certs/ does not make it foreign */
    char *dh = rspg_xasprintf("%s/data/certs/dhparam2048.pem", base);
    assert_int_equal(tu_write_file(dh, "dh", 2), 0);
    assert_int_equal(run_export("data", "Ov3", NULL, 1, &d, &s, &out), RSPG_E_USAGE); /* no Ov3 */
    free(out);
    assert_int_equal(run_export("data", NULL, "SM-DP+2", 1, &d, &s, &out), RSPG_OK);
    char *files = list_files(out);
    assert_non_null(strstr(files, "upp/X.der\n")); /* left alone */
    assert_null(strstr(files, "BRP"));             /* replaced: SM-DP+2 is NIST only */
    assert_null(strstr(files, "dhparam"));
    free(files);
    /* a certs folder holding something else: never replaced */
    char *notes = rspg_xasprintf("%s/certs/notes.txt", out);
    assert_int_equal(tu_write_file(notes, "n", 1), 0);
    free(out);
    rspg_diag_fini(&d);
    rspg_diag_init(&d);
    assert_int_equal(run_export("data", NULL, NULL, 1, &d, &s, &out), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[0].message, "not an osmo-smdpp certs folder (it holds "
                                                 "'notes.txt'); never replaced"));
    struct stat st;
    assert_int_equal(stat(notes, &st), 0);
    free(notes), free(dh), free(upp), free(uppf), free(out);
    rspg_diag_fini(&d);
}

/* A refusal leaves no DATA_DIR/certs; its message names the problem. */
static void refused(const char *name, const char *variant, rspg_status want, const char *msg)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_export_summary s;
    char *out;
    assert_int_equal(run_export(name, variant, NULL, 0, &d, &s, &out), want);
    assert_true(d.count >= 1);
    if (strstr(d.entries[0].message, msg) == NULL)
        fail_msg("message '%s' lacks '%s'", d.entries[0].message, msg);
    char *certs = rspg_xasprintf("%s/certs", out);
    struct stat st;
    assert_int_not_equal(stat(certs, &st), 0);
    free(certs);
    free(out);
    rspg_diag_fini(&d);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("v-ov3", "Ov3", RSPG_E_USAGE,
            "Variant Ov3 has no SM-DP+ certificates (DPauth, DPpb and DP TLS) to export; "
            "variants that have: O, B");
    refused("v-b", "B", RSPG_E_USAGE, "is issued by 'B/CERT_SUBCA_NIST.der', not by the CI");
    /* not a build folder */
    char *saved = build_dir;
    build_dir = rspg_xasprintf("%s/CI", saved);
    refused("nb", NULL, RSPG_E_INPUT, "not a build folder (no manifest.json");
    free(build_dir);
    /* a manifest of another schema */
    build_dir = rspg_xasprintf("%s/other", base);
    assert_int_equal(mkdir(build_dir, 0755), 0);
    char *m = rspg_xasprintf("%s/manifest.json", build_dir);
    const char *other = "{\"schema\": \"something/else\", \"artifacts\": []}";
    assert_int_equal(tu_write_file(m, other, strlen(other)), 0);
    refused("os", NULL, RSPG_E_INPUT, "not an rsp-pkigen manifest");
    free(m);
    free(build_dir);
    build_dir = saved;
}

/* A file changed after the build: its sha256 is not the manifest's. */
static void test_changed_file(void **state)
{
    (void)state;
    char *copy = rspg_xasprintf("%s/changed", base);
    write_build(copy);
    char *key = rspg_xasprintf("%s/DP/SK_TLS_NIST.pem", copy);
    assert_int_equal(tu_write_file(key, "tampered", 8), 0);
    char *saved = build_dir;
    build_dir = copy;
    refused("ch", NULL, RSPG_E_INPUT, "changed since the build");
    build_dir = saved;
    free(key);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_o),    cmocka_unit_test(test_dp_by_name),
        cmocka_unit_test(test_destination),  cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_changed_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
