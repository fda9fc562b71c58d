/*
 * test_verify.c: the folder verifier (src/lib/verify.c).
 *
 * A small build (CI -> EUM -> eUICC, CI -> DP TLS, NIST and BRP, DER and PEM) is written
 * with its manifest, and rspg_verify_dir must agree with it; then the folder is damaged
 * and each disagreement is reported with the path: one signature byte of a leaf, of an
 * intermediate (its children fail through the chain), a deleted issuer file, a manifest
 * that says "invalid" for a valid certificate, and validity checked at another time.
 * profiles/sgp26.yaml verifies as a whole. Missing or foreign manifests are I/O errors.
 * rspg_verify_link is checked on its own: wrong issuer name, AKI != SKI, wrong key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "rspg/build.h"
#include "rspg/der.h"
#include "rspg/manifest.h"
#include "rspg/output.h"
#include "rspg/profile.h"
#include "rspg/verify.h"
#include "test_util.h"

/* Every test works in a folder under one scratch root, which the group teardown removes
 * even when a test fails. */
static char *scratch_root;

static int group_setup(void **state)
{
    (void)state;
    scratch_root = tu_mkdtemp();
    return scratch_root ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_rmtree(scratch_root);
    free(scratch_root);
    scratch_root = NULL;
    return 0;
}

static char *scratch(void)
{
    char *t = rspg_xasprintf("%s/t-XXXXXX", scratch_root);
    if (mkdtemp(t) == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

static const char small[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: small\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "  brp: {curve: brainpoolP256r1, suffix: BRP}\n"
    "defaults: {curves: [nist, brp], validity_days: 365}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}, {C: IT}]\n"
    "    serial: \"01\"\n"
    "    validity: {days: 12783}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "    output: {dir: CI, cert: [\"CERT_CI_SIG_${CURVE}.der\", \"CERT_CI_SIG_${CURVE}.pem\"]}\n"
    "  - id: eum\n"
    "    role: eum\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {CN: EUM Test}]\n"
    "    serial: \"0101\"\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign]}\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"
    "    output: {dir: EUM, cert: [\"CERT_EUM_SIG_${CURVE}.der\", \"CERT_EUM_SIG_${CURVE}.pem\"]}\n"
    "  - id: euicc\n"
    "    role: euicc\n"
    "    variant: O\n"
    "    issuer: eum\n"
    "    subject: [{O: RSP Test EUM}, {CN: Test eUICC}]\n"
    "    serial: \"0200\"\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "    output: {dir: eUICC, cert: \"CERT_EUICC_SIG_${CURVE}.der\", key: \"SK_EUICC_SIG_${CURVE}.pem\"}\n"
    "  - id: dp-tls\n"
    "    role: dp-tls\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: [{CN: testsmdpplus1.example.com}]\n"
    "    serial: \"09\"\n"
    "    validity: {not_before: 2024-01-01T00:00:00Z, days: 200}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - authority_key_identifier: {}\n"
    "    output: {dir: TLS, cert: \"CERT_S_SM_DP_TLS_${CURVE}.der\"}\n";

/* TLS runs 2024-01-01 .. 2024-07-19; everything else from the clock on */
#define CLOCK_TEXT "2024-03-01T00:00:00Z"
#define N_CERTS 12 /* CI 2x2, EUM 2x2, eUICC 2, TLS 2 */

struct folder {
    char *tmp, *dir;
};

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

static void write_build(const char *text, const char *dest)
{
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_build_result r;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_string(text, strlen(text), "t.yaml", &d, &p);
    if (rc == RSPG_OK) {
        rspg_build_options o;
        memset(&o, 0, sizeof(o));
        o.profile_dir = ".";
        o.has_clock = 1;
        rspg_parse_rfc3339(CLOCK_TEXT, &o.clock);
        o.nonce = RSPG_NONCE_RFC6979;
        rc = rspg_build(p, &o, &d, &r);
    }
    if (rc == RSPG_OK) {
        char *m = rspg_manifest_json(&r, p);
        rspg_output_options oo = {0, m};
        rc = rspg_output_write(dest, &r, &oo, &d);
        free(m);
        rspg_build_result_free(&r);
    }
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
}

static void make_folder(struct folder *f)
{
    f->tmp = scratch();
    assert_non_null(f->tmp);
    f->dir = rspg_xasprintf("%s/out", f->tmp);
    write_build(small, f->dir);
}

static void drop_folder(struct folder *f)
{
    tu_rmtree(f->tmp);
    free(f->dir);
    free(f->tmp);
}

/* Verifies F; returns the status; fills RES; the messages (joined by '\n') in *MSGS. */
static rspg_status verify(const struct folder *f, const rspg_verify_options *o,
                          rspg_verify_result *res, char **msgs)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_verify_dir(f->dir, o, &d, res);
    rspg_buf b;
    rspg_buf_init(&b);
    for (size_t i = 0; i < d.count; i++) {
        char *m = rspg_diag_format(&d.entries[i]);
        rspg_buf_puts(&b, m);
        rspg_buf_puts(&b, "\n");
        free(m);
    }
    rspg_buf_push(&b, 0);
    *msgs = (char *)b.data;
    rspg_diag_fini(&d);
    return rc;
}

static void flip_last_byte(const struct folder *f, const char *rel)
{
    char *p = rspg_xasprintf("%s/%s", f->dir, rel);
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(p, &b), 0);
    assert_true(b.len > 100);
    b.data[b.len - 1] ^= 0x01; /* the last octet of the signature's s: still DER */
    assert_int_equal(unlink(p), 0);
    assert_int_equal(tu_write_file(p, b.data, b.len), 0);
    rspg_buf_free(&b);
    free(p);
}

static void test_fresh_build_agrees(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_OK);
    assert_string_equal(msgs, "");
    assert_int_equal(res.certificates, N_CERTS);
    assert_int_equal(res.agreed, N_CERTS);
    assert_int_equal(res.disagreed, 0);
    free(msgs);
    drop_folder(&f);
}

static void test_corrupt_leaf_signature(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    flip_last_byte(&f, "eUICC/CERT_EUICC_SIG_NIST.der");
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_string_equal(msgs, "eUICC/CERT_EUICC_SIG_NIST.der: expected valid, verified invalid: "
                              "signature does not verify under the issuer's key\n");
    assert_int_equal(res.certificates, N_CERTS);
    assert_int_equal(res.disagreed, 1);
    assert_int_equal(res.agreed, N_CERTS - 1);
    free(msgs);
    drop_folder(&f);
}

static void test_corrupt_intermediate_signature(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    flip_last_byte(&f, "EUM/CERT_EUM_SIG_BRP.der");
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    /* the DER and its PEM twin are separate files: the PEM is still good, but the
     * eUICC's chain goes through the damaged DER */
    assert_string_equal(msgs,
                        "EUM/CERT_EUM_SIG_BRP.der: expected valid, verified invalid: signature "
                        "does not verify under the issuer's key\n"
                        "eUICC/CERT_EUICC_SIG_BRP.der: expected valid, verified invalid: chain "
                        "certificate EUM/CERT_EUM_SIG_BRP.der: signature does not verify under "
                        "the issuer's key\n");
    assert_int_equal(res.disagreed, 2);
    free(msgs);
    drop_folder(&f);
}

static void test_deleted_issuer(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    char *p = rspg_xasprintf("%s/EUM/CERT_EUM_SIG_NIST.der", f.dir);
    assert_int_equal(unlink(p), 0);
    free(p);
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_string_equal(msgs,
                        "EUM/CERT_EUM_SIG_NIST.der: expected valid, verified invalid: cannot "
                        "read the certificate file\n"
                        "eUICC/CERT_EUICC_SIG_NIST.der: expected valid, verified invalid: the "
                        "issuer certificate is missing\n");
    assert_int_equal(res.certificates, N_CERTS);
    assert_int_equal(res.disagreed, 2);
    free(msgs);
    drop_folder(&f);

    /* the root: everything below it fails */
    make_folder(&f);
    p = rspg_xasprintf("%s/CI/CERT_CI_SIG_BRP.der", f.dir);
    assert_int_equal(unlink(p), 0);
    free(p);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_int_equal(res.disagreed, 6); /* CI der+pem, EUM der+pem, eUICC, TLS on BRP */
    assert_non_null(strstr(msgs, "TLS/CERT_S_SM_DP_TLS_BRP.der: expected valid, verified invalid: "
                                 "the issuer certificate is missing\n"));
    assert_non_null(strstr(msgs, "CI/CERT_CI_SIG_BRP.pem: expected valid, verified invalid: the "
                                 "issuer certificate is missing\n"));
    assert_null(strstr(msgs, "NIST"));
    free(msgs);
    drop_folder(&f);
}

static void set_expect(const struct folder *f, const char *path, const char *expect)
{
    char *mpath = rspg_xasprintf("%s/manifest.json", f->dir);
    json_error_t err;
    json_t *m = json_load_file(mpath, JSON_PRESERVE_ORDER, &err);
    assert_non_null(m);
    json_t *arts = json_object_get(m, "artifacts");
    int found = 0;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        if (strcmp(json_string_value(json_object_get(a, "path")), path) == 0) {
            json_object_set_new(a, "expect", json_string(expect));
            found = 1;
        }
    }
    assert_true(found);
    assert_int_equal(unlink(mpath), 0);
    assert_int_equal(json_dump_file(m, mpath, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    json_decref(m);
    free(mpath);
}

static void test_manifest_expects_invalid(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    set_expect(&f, "TLS/CERT_S_SM_DP_TLS_NIST.der", "invalid");
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_string_equal(msgs, "TLS/CERT_S_SM_DP_TLS_NIST.der: expected invalid, verified valid\n");
    assert_int_equal(res.disagreed, 1);
    free(msgs);

    /* and a damaged certificate the manifest calls invalid is an agreement */
    set_expect(&f, "TLS/CERT_S_SM_DP_TLS_NIST.der", "valid");
    flip_last_byte(&f, "TLS/CERT_S_SM_DP_TLS_BRP.der");
    set_expect(&f, "TLS/CERT_S_SM_DP_TLS_BRP.der", "invalid");
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_OK);
    assert_int_equal(res.agreed, N_CERTS);
    free(msgs);
    drop_folder(&f);
}

static void test_validity_time(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    rspg_verify_result res;
    char *msgs;
    /* after the TLS certificates' notAfter */
    rspg_verify_options o = {1, 0};
    assert_int_equal(rspg_parse_rfc3339("2024-07-19T00:00:01Z", &o.time), 0);
    assert_int_equal(verify(&f, &o, &res, &msgs), RSPG_E_VERIFY);
    assert_string_equal(msgs, "TLS/CERT_S_SM_DP_TLS_BRP.der: expected valid, verified invalid: expired\n"
                              "TLS/CERT_S_SM_DP_TLS_NIST.der: expected valid, verified invalid: expired\n");
    free(msgs);
    /* exactly at notAfter: still valid (RFC 5280: the period includes both ends) */
    assert_int_equal(rspg_parse_rfc3339("2024-07-19T00:00:00Z", &o.time), 0);
    assert_int_equal(verify(&f, &o, &res, &msgs), RSPG_OK);
    free(msgs);
    /* before the clock: everything but the TLS certificates is not yet valid */
    assert_int_equal(rspg_parse_rfc3339("2024-02-29T23:59:59Z", &o.time), 0);
    assert_int_equal(verify(&f, &o, &res, &msgs), RSPG_E_VERIFY);
    assert_int_equal(res.disagreed, N_CERTS); /* the TLS ones through their CI */
    assert_non_null(strstr(msgs, "CI/CERT_CI_SIG_NIST.der: expected valid, verified invalid: not yet valid\n"));
    assert_non_null(strstr(msgs, "TLS/CERT_S_SM_DP_TLS_NIST.der: expected valid, verified invalid: "
                                 "chain certificate CI/CERT_CI_SIG_NIST.der: not yet valid\n"));
    free(msgs);
    drop_folder(&f);
}

static void test_bad_folders(void **state)
{
    (void)state;
    struct folder f;
    rspg_verify_result res;
    char *msgs;
    f.tmp = scratch();
    f.dir = rspg_xasprintf("%s/out", f.tmp);
    /* no manifest */
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    assert_non_null(strstr(msgs, "/out/manifest.json"));
    assert_non_null(strstr(msgs, "cannot read the manifest"));
    free(msgs);
    /* a JSON file that is not a manifest */
    tu_rmtree(f.tmp);
    free(f.dir);
    free(f.tmp);
    make_folder(&f);
    char *mpath = rspg_xasprintf("%s/manifest.json", f.dir);
    assert_int_equal(unlink(mpath), 0);
    static const char other[] = "{\"schema\": \"other/1\", \"artifacts\": []}\n";
    assert_int_equal(tu_write_file(mpath, other, strlen(other)), 0);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    char *want = rspg_xasprintf("%s: not an rsp-pkigen manifest (schema rsp-pkigen/manifest/1)\n", mpath);
    assert_string_equal(msgs, want);
    free(want);
    free(msgs);
    /* broken JSON: located */
    assert_int_equal(unlink(mpath), 0);
    static const char broken[] = "{\n  \"schema\": ,\n}\n";
    assert_int_equal(tu_write_file(mpath, broken, strlen(broken)), 0);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    want = rspg_xasprintf("%s:2:", mpath);
    assert_memory_equal(msgs, want, strlen(want));
    free(want);
    free(msgs);
    free(mpath);
    drop_folder(&f);
}

static void test_sgp26_folder(void **state)
{
    (void)state;
    struct folder f;
    f.tmp = scratch();
    f.dir = rspg_xasprintf("%s/out", f.tmp);
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(path, &b), 0);
    rspg_buf_push(&b, 0);
    write_build((const char *)b.data, f.dir);
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_OK);
    assert_string_equal(msgs, "");
    assert_true(res.certificates > 100);
    assert_int_equal(res.agreed, res.certificates);
    free(msgs);
    rspg_buf_free(&b);
    free(path);
    drop_folder(&f);
}

static void read_rel(const struct folder *f, const char *rel, rspg_buf *out)
{
    char *p = rspg_xasprintf("%s/%s", f->dir, rel);
    rspg_buf_init(out);
    assert_int_equal(tu_read_file(p, out), 0);
    free(p);
}

static void test_verify_link(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f);
    rspg_buf ci_n, ci_b, eum_n, eum_b, euicc_n, tls_n;
    read_rel(&f, "CI/CERT_CI_SIG_NIST.der", &ci_n);
    read_rel(&f, "CI/CERT_CI_SIG_BRP.der", &ci_b);
    read_rel(&f, "EUM/CERT_EUM_SIG_NIST.der", &eum_n);
    read_rel(&f, "EUM/CERT_EUM_SIG_BRP.der", &eum_b);
    read_rel(&f, "eUICC/CERT_EUICC_SIG_NIST.der", &euicc_n);
    read_rel(&f, "TLS/CERT_S_SM_DP_TLS_NIST.der", &tls_n);
    int64_t t;
    assert_int_equal(rspg_parse_rfc3339(CLOCK_TEXT, &t), 0);
    assert_null(rspg_verify_link(eum_n.data, eum_n.len, ci_n.data, ci_n.len, t));
    assert_null(rspg_verify_link(ci_n.data, ci_n.len, ci_n.data, ci_n.len, t));
    assert_null(rspg_verify_link(euicc_n.data, euicc_n.len, eum_n.data, eum_n.len, t));
    /* the TLS certificate is not the eUICC's issuer */
    assert_string_equal(rspg_verify_link(euicc_n.data, euicc_n.len, tls_n.data, tls_n.len, t),
                        "issuer name does not match the issuer's subject");
    /* same name, other key: the BRP CI's SKI is not the NIST EUM's AKI */
    assert_string_equal(rspg_verify_link(eum_n.data, eum_n.len, ci_b.data, ci_b.len, t),
                        "authority key identifier does not match the issuer's subject key "
                        "identifier");
    /* validity */
    assert_string_equal(rspg_verify_link(tls_n.data, tls_n.len, ci_n.data, ci_n.len,
                                         t + 365LL * 86400),
                        "expired");
    assert_string_equal(rspg_verify_link(eum_n.data, eum_n.len, ci_n.data, ci_n.len, t - 1),
                        "not yet valid");
    /* not a certificate */
    assert_non_null(rspg_verify_link((const uint8_t *)"\x30\x00", 2, ci_n.data, ci_n.len, t));
    assert_string_equal(rspg_verify_link(eum_n.data, eum_n.len, (const uint8_t *)"\x30\x00", 2, t),
                        "the issuer certificate cannot be parsed");
    rspg_buf_free(&ci_n);
    rspg_buf_free(&ci_b);
    rspg_buf_free(&eum_n);
    rspg_buf_free(&eum_b);
    rspg_buf_free(&euicc_n);
    rspg_buf_free(&tls_n);
    drop_folder(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_build_agrees),
        cmocka_unit_test(test_corrupt_leaf_signature),
        cmocka_unit_test(test_corrupt_intermediate_signature),
        cmocka_unit_test(test_deleted_issuer),
        cmocka_unit_test(test_manifest_expects_invalid),
        cmocka_unit_test(test_validity_time),
        cmocka_unit_test(test_bad_folders),
        cmocka_unit_test(test_sgp26_folder),
        cmocka_unit_test(test_verify_link),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
