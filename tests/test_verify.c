/*
 * test_verify.c: the folder verifier, rspg_verify_dir (src/lib/verify.c), on real builds.
 *
 * The valid Variant O part of profiles/sgp26.yaml (CI, EUM, eUICC, SM-DP+, SM-DS, eIM and
 * the CI's CRLs; NIST and BRP; DER and PEM) is built with a fixed clock and written with
 * its manifest, and rspg_verify_dir must agree with it. Then the folder is damaged and
 * each disagreement is reported with the path: one signature byte of a leaf and of an
 * intermediate, an issuer that is gone (file and manifest entry: the eUICC's path cannot
 * be built; file only: an I/O error naming it), a manifest that says "invalid" for a
 * valid certificate, and validity checked at other times (--at). Missing, foreign and
 * broken manifests are I/O errors. The verifier API is checked on one certificate with
 * and without its trust anchor. (The whole sgp26 build is verified by tests/cli/build.sh.)
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
#include <unistd.h>

#include <jansson.h>

#include "rspg/asn1/der.h"
#include "rspg/check/verify.h"
#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

#define CLOCK_TEXT "2025-01-01T00:00:00Z"
#define VO "Valid Test Cases/Variant O/"
#define EUICC_NIST VO "eUICC/CERT_EUICC_SIG_NIST.der"
#define EUM_NIST VO "EUM/CERT_EUM_SIG_NIST.der"
#define EUM_NIST_PEM VO "EUM/CERT_EUM_SIG_NIST.pem"
#define DP_TLS_NIST VO "SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der"

struct folder {
    char *tmp, *dir;
    size_t n_checked; /* certificates and CRLs in the manifest */
};

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

static int64_t clock_value(void)
{
    int64_t t = 0;
    assert_int_equal(rspg_parse_rfc3339(CLOCK_TEXT, &t), 0);
    return t;
}

/* The valid Variant O entities of profiles/sgp26.yaml (its invalid cases are left out, so
 * that a fresh folder holds only certificates the manifest expects to be valid). */
static const char *const valid_o[] = {
    "o-ci",     "o-eum",     "o-euicc",   "o-dp-auth", "o-dp-pb",    "o-dp2-auth", "o-dp2-pb",
    "o-dp-tls", "o-dp2-tls", "o-ds-auth", "o-ds-tls",  "o-eim-sign", "o-eim-tls"};

/* Builds profiles/sgp26.yaml into F: all of it (VARIANT NULL), or the valid Variant O set. */
static void make_folder(struct folder *f, const char *variant)
{
    f->tmp = tu_scratch();
    assert_non_null(f->tmp);
    f->dir = rspg_xasprintf("%s/out", f->tmp);
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_build_result r;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_file(path, &d, &p);
    if (rc == RSPG_OK) {
        char *variants[1] = {(char *)variant};
        rspg_build_options o;
        memset(&o, 0, sizeof(o));
        o.profile_dir = ".";
        o.has_clock = 1;
        o.clock = clock_value();
        o.nonce = RSPG_NONCE_RFC6979;
        o.variants = variants;
        o.n_variants = variant ? 1 : 0;
        o.roles = (char **)valid_o;
        o.n_roles = variant ? sizeof(valid_o) / sizeof(valid_o[0]) : 0;
        rc = rspg_build(p, &o, &d, &r);
    }
    if (rc == RSPG_OK) {
        f->n_checked = 0;
        for (size_t i = 0; i < r.n; i++)
            f->n_checked += r.items[i].kind == RSPG_ART_CERT || r.items[i].kind == RSPG_ART_CRL;
        char *m = rspg_manifest_json(&r, p);
        rspg_output_options oo = {0, m};
        rc = rspg_output_write(f->dir, &r, &oo, &d);
        free(m);
        rspg_build_result_free(&r);
    }
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    free(path);
}

static void drop_folder(struct folder *f)
{
    tu_rmtree(f->tmp);
    free(f->dir);
    free(f->tmp);
}

/* Verifies F; returns the status; fills the counts; the messages, one a line, in *MSGS. */
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

/* The number of lines of S that start with PREFIX. */
static size_t lines_starting(const char *s, const char *prefix)
{
    size_t n = 0;
    for (const char *p = s; *p;) {
        n += strncmp(p, prefix, strlen(prefix)) == 0;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    return n;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
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

static void remove_file(const struct folder *f, const char *rel)
{
    char *p = rspg_xasprintf("%s/%s", f->dir, rel);
    assert_int_equal(unlink(p), 0);
    free(p);
}

/* Rewrites the manifest: sets "expect" of PATH to EXPECT, or drops PATH when EXPECT is NULL. */
static void edit_manifest(const struct folder *f, const char *path, const char *expect)
{
    char *mpath = rspg_xasprintf("%s/manifest.json", f->dir);
    json_error_t err;
    json_t *m = json_load_file(mpath, 0, &err);
    assert_non_null(m);
    json_t *arts = json_object_get(m, "artifacts");
    int found = 0;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        if (strcmp(json_string_value(json_object_get(a, "path")), path) != 0)
            continue;
        found = 1;
        if (expect) {
            json_object_set_new(a, "expect", json_string(expect));
        } else {
            json_array_remove(arts, i);
            break;
        }
    }
    assert_true(found);
    assert_int_equal(unlink(mpath), 0);
    assert_int_equal(json_dump_file(m, mpath, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    json_decref(m);
    free(mpath);
}

/* ---- tests ---- */

static void test_fresh_build_agrees(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_OK);
    assert_string_equal(msgs, "");
    assert_int_equal(res.certificates, f.n_checked);
    assert_true(res.certificates > 20);
    assert_int_equal(res.agreed, res.certificates);
    assert_int_equal(res.disagreed, 0);
    assert_int_equal(res.n_items, res.certificates);
    size_t invalid = 0;
    for (size_t i = 0; i < res.n_items; i++) {
        const rspg_verify_item *it = &res.items[i];
        assert_true(it->agrees);
        assert_int_equal(it->verdict.valid, strcmp(it->expect, "valid") == 0);
        invalid += !it->verdict.valid;
    }
    /* the only invalid one: the CI's CRL with a corrupted signature, which comes with the CI */
    assert_int_equal(invalid, 2 * 2); /* NIST and BRP, .crl and .pem */
    rspg_verify_result_free(&res);
    free(msgs);
    drop_folder(&f);
}

static void test_corrupt_leaf_signature(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    flip_last_byte(&f, EUICC_NIST);
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_int_equal(count_lines(msgs), 1);
    assert_int_equal(lines_starting(msgs, EUICC_NIST ": the manifest expects valid, but it is "
                                                     "invalid ("),
                     1);
    assert_non_null(strstr(msgs, ", signature): the signature of '"));
    assert_int_equal(res.disagreed, 1);
    assert_int_equal(res.agreed, res.certificates - 1);
    for (size_t i = 0; i < res.n_items; i++)
        if (!res.items[i].agrees) {
            assert_string_equal(res.items[i].path, EUICC_NIST);
            assert_false(res.items[i].verdict.valid);
            assert_string_equal(res.items[i].verdict.check, "signature");
        }
    rspg_verify_result_free(&res);
    free(msgs);
    drop_folder(&f);
}

static void test_corrupt_intermediate_signature(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    /* both copies of the NIST EUM: the eUICC below it has no good path any more */
    flip_last_byte(&f, EUM_NIST);
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_int_equal(
        lines_starting(msgs, EUM_NIST ": the manifest expects valid, but it is invalid ("), 1);
    /* the PEM twin still holds the good certificate, and the eUICC's path can use it */
    assert_int_equal(lines_starting(msgs, EUM_NIST_PEM ":"), 0);
    rspg_verify_result_free(&res);
    free(msgs);

    char *pem = rspg_xasprintf("%s/%s", f.dir, EUM_NIST_PEM);
    char *der = rspg_xasprintf("%s/%s", f.dir, EUM_NIST);
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(der, &b), 0);
    assert_int_equal(unlink(pem), 0);
    assert_int_equal(tu_write_file(pem, b.data, b.len), 0); /* the damaged DER, as the PEM file */
    rspg_buf_free(&b);
    free(pem);
    free(der);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_int_equal(
        lines_starting(msgs, EUM_NIST ": the manifest expects valid, but it is invalid ("), 1);
    assert_int_equal(
        lines_starting(msgs, EUM_NIST_PEM ": the manifest expects valid, but it is invalid ("), 1);
    assert_int_equal(
        lines_starting(msgs, EUICC_NIST ": the manifest expects valid, but it is invalid ("), 1);
    assert_int_equal(res.disagreed, 3);
    assert_int_equal(count_lines(msgs), 3);
    rspg_verify_result_free(&res);
    free(msgs);
    drop_folder(&f);
}

static void test_missing_issuer(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    rspg_verify_result res;
    char *msgs;
    /* a file the manifest lists is gone: an I/O error that names it */
    remove_file(&f, EUM_NIST);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    char *want = rspg_xasprintf("%s/%s: cannot read\n", f.dir, EUM_NIST);
    assert_string_equal(msgs, want);
    free(want);
    rspg_verify_result_free(&res);
    free(msgs);

    /* the issuer is gone for good (both files, both manifest entries): the eUICC is
     * reported, with its path, as not verifying */
    remove_file(&f, EUM_NIST_PEM);
    edit_manifest(&f, EUM_NIST, NULL);
    edit_manifest(&f, EUM_NIST_PEM, NULL);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_int_equal(count_lines(msgs), 1);
    assert_int_equal(
        lines_starting(msgs, EUICC_NIST ": the manifest expects valid, but it is invalid ("), 1);
    assert_int_equal(res.disagreed, 1);
    assert_int_equal(res.certificates, f.n_checked - 2);
    rspg_verify_result_free(&res);
    free(msgs);
    drop_folder(&f);
}

static void test_manifest_expects_invalid(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    edit_manifest(&f, DP_TLS_NIST, "invalid");
    rspg_verify_result res;
    char *msgs;
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_VERIFY);
    assert_string_equal(msgs, DP_TLS_NIST
                        ": the manifest expects invalid (no reason), but it verifies\n");
    assert_int_equal(res.disagreed, 1);
    rspg_verify_result_free(&res);
    free(msgs);

    /* a damaged certificate the manifest calls invalid is an agreement */
    edit_manifest(&f, DP_TLS_NIST, "valid");
    flip_last_byte(&f, EUICC_NIST);
    edit_manifest(&f, EUICC_NIST, "invalid");
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_OK);
    assert_string_equal(msgs, "");
    assert_int_equal(res.agreed, res.certificates);
    rspg_verify_result_free(&res);
    free(msgs);
    drop_folder(&f);
}

static void test_validity_time(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    rspg_verify_result res;
    char *msgs;
    /* one second before the clock: nothing is valid yet */
    rspg_verify_options o = {1, clock_value() - 1};
    assert_int_equal(verify(&f, &o, &res, &msgs), RSPG_E_VERIFY);
    for (size_t i = 0; i < res.n_items; i++)
        assert_int_equal(res.items[i].agrees, strcmp(res.items[i].expect, "valid") != 0);
    rspg_verify_result_free(&res);
    free(msgs);
    /* at the clock: all valid */
    o.time = clock_value();
    assert_int_equal(verify(&f, &o, &res, &msgs), RSPG_OK);
    rspg_verify_result_free(&res);
    free(msgs);
    /* three years on: the TLS certificates (valid for months) have expired and the CRLs
     * (30 days) are stale; the other certificates are still valid */
    o.time = clock_value() + 3 * 365LL * 86400;
    assert_int_equal(verify(&f, &o, &res, &msgs), RSPG_E_VERIFY);
    assert_true(res.disagreed > 0);
    for (size_t i = 0; i < res.n_items; i++) {
        const rspg_verify_item *it = &res.items[i];
        int tls = strstr(it->path, "_TLS_") != NULL;
        int crl = strncmp(it->path, "CRLs/", 5) == 0;
        int should_fail = strcmp(it->expect, "valid") == 0 && (tls || crl);
        if (should_fail != !it->agrees)
            fail_msg("%s: %s at +3 years", it->path,
                     it->agrees ? "as expected" : it->verdict.message);
        if (!it->agrees)
            assert_string_equal(it->verdict.check, tls ? "validity" : "crl-time");
    }
    assert_int_equal(
        lines_starting(msgs, DP_TLS_NIST ": the manifest expects valid, but it is invalid ("), 1);
    assert_non_null(strstr(msgs, "has expired"));
    rspg_verify_result_free(&res);
    free(msgs);
    drop_folder(&f);
}

static void test_bad_folders(void **state)
{
    (void)state;
    struct folder f;
    rspg_verify_result res;
    char *msgs;
    f.tmp = tu_scratch();
    f.dir = rspg_xasprintf("%s/out", f.tmp);
    /* no folder, no manifest */
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    char *want = rspg_xasprintf("%s/manifest.json: cannot read the manifest: ", f.dir);
    assert_memory_equal(msgs, want, strlen(want));
    free(want);
    rspg_verify_result_free(&res);
    free(msgs);
    /* a JSON file that is not a manifest */
    assert_int_equal(mkdir(f.dir, 0755), 0);
    char *mpath = rspg_xasprintf("%s/manifest.json", f.dir);
    static const char other[] = "{\"schema\": \"other/1\", \"artifacts\": []}\n";
    assert_int_equal(tu_write_file(mpath, other, strlen(other)), 0);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    want = rspg_xasprintf("%s: not an rsp-pkigen manifest (schema rsp-pkigen/manifest/1)\n", mpath);
    assert_string_equal(msgs, want);
    free(want);
    rspg_verify_result_free(&res);
    free(msgs);
    /* broken JSON: located at its line */
    static const char broken[] = "{\n  \"schema\": ,\n}\n";
    assert_int_equal(unlink(mpath), 0);
    assert_int_equal(tu_write_file(mpath, broken, strlen(broken)), 0);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    want = rspg_xasprintf("%s:2:", mpath);
    assert_memory_equal(msgs, want, strlen(want));
    free(want);
    rspg_verify_result_free(&res);
    free(msgs);
    /* no clock and no --at */
    static const char noclock[] = "{\"schema\": \"rsp-pkigen/manifest/1\", \"artifacts\": []}\n";
    assert_int_equal(unlink(mpath), 0);
    assert_int_equal(tu_write_file(mpath, noclock, strlen(noclock)), 0);
    assert_int_equal(verify(&f, NULL, &res, &msgs), RSPG_E_IO);
    want = rspg_xasprintf("%s: no clock.time; give the time with --at\n", f.dir);
    assert_string_equal(msgs, want);
    free(want);
    rspg_verify_result_free(&res);
    free(msgs);
    free(mpath);
    drop_folder(&f);
}

static void test_verifier_api(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    char *ci = rspg_xasprintf("%s/" VO "CI/CERT_CI_SIG_NIST.der", f.dir);
    char *eum = rspg_xasprintf("%s/" EUM_NIST, f.dir);
    char *euicc = rspg_xasprintf("%s/" EUICC_NIST, f.dir);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_verdict vd;

    /* with the CI as trust anchor: valid */
    rspg_verifier *v = rspg_verifier_new(clock_value());
    assert_true(rspg_verifier_add_cert_file(v, ci, 1, -1, &d) >= 0);
    assert_true(rspg_verifier_add_cert_file(v, eum, 0, -1, &d) >= 0);
    int leaf = rspg_verifier_add_cert_file(v, euicc, 0, -1, &d);
    assert_true(leaf >= 0);
    rspg_verifier_check(v, leaf, &vd);
    if (!vd.valid)
        fail_msg("%s: %s", vd.reason, vd.message);
    assert_null(vd.reason);
    rspg_verifier_free(v);

    /* without it: invalid, the reason an eUICC gives for an unknown CI */
    v = rspg_verifier_new(clock_value());
    assert_true(rspg_verifier_add_cert_file(v, ci, 0, -1, &d) >= 0);
    assert_true(rspg_verifier_add_cert_file(v, eum, 0, -1, &d) >= 0);
    leaf = rspg_verifier_add_cert_file(v, euicc, 0, -1, &d);
    rspg_verifier_check(v, leaf, &vd);
    assert_false(vd.valid);
    assert_non_null(vd.reason);
    assert_string_equal(vd.check, "trust-anchor");
    rspg_verifier_free(v);

    /* a file that is not a certificate */
    v = rspg_verifier_new(clock_value());
    char *junk = rspg_xasprintf("%s/junk.der", f.tmp);
    assert_int_equal(tu_write_file(junk, "\x30\x00", 2), 0);
    assert_int_equal(rspg_verifier_add_cert_file(v, junk, 0, -1, &d),
                     -2); /* not a certificate: RSPG_E_INPUT */
    assert_true(d.errors >= 1);
    rspg_verifier_free(v);
    free(junk);

    rspg_diag_fini(&d);
    free(ci);
    free(eum);
    free(euicc);
    drop_folder(&f);
}

/* A copy of the certificate file PATH with a negative serial (its first octet's top bit
 * set: same length, so no other byte moves), written to NAME in the scratch folder. */
static char *negative_serial_copy(const struct folder *f, const char *path, const char *name)
{
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(path, &b), 0);
    /* 30 82 LL LL | 30 82 LL LL | A0 03 02 01 02 | 02 NN serial... */
    assert_true(b.len > 16 && b.data[0] == 0x30 && b.data[1] == 0x82 && b.data[4] == 0x30 &&
                b.data[5] == 0x82 && b.data[8] == 0xA0 && b.data[13] == RSPG_DER_INTEGER);
    b.data[15] |= 0x80;
    char *out = rspg_xasprintf("%s/%s", f->tmp, name);
    assert_int_equal(tu_write_file(out, b.data, b.len), 0);
    rspg_buf_free(&b);
    return out;
}

/* The strict reader in verify: a certificate breaking a strict rule is a format verdict with
 * the chain's SGP.22 error, and is refused as a trust anchor (RFC 5280 §4.1.2.2 here). */
static void test_strict_certificates(void **state)
{
    (void)state;
    struct folder f;
    make_folder(&f, "O");
    char *ci = rspg_xasprintf("%s/" VO "CI/CERT_CI_SIG_NIST.der", f.dir);
    char *eum = rspg_xasprintf("%s/" EUM_NIST, f.dir);
    char *euicc = rspg_xasprintf("%s/" EUICC_NIST, f.dir);
    char *bad_eum = negative_serial_copy(&f, eum, "eum-negative.der");
    char *bad_ci = negative_serial_copy(&f, ci, "ci-negative.der");
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_verdict vd;

    rspg_verifier *v = rspg_verifier_new(clock_value());
    assert_true(rspg_verifier_add_cert_file(v, ci, 1, -1, &d) >= 0);
    assert_true(rspg_verifier_add_cert_file(v, bad_eum, 0, -1, &d) >= 0);
    int leaf = rspg_verifier_add_cert_file(v, euicc, 0, -1, &d);
    assert_true(leaf >= 0);
    rspg_verifier_check(v, leaf, &vd);
    assert_false(vd.valid);
    assert_string_equal(vd.check, "format");
    assert_string_equal(vd.reason, "eumCertificateInvalid");
    assert_non_null(strstr(vd.message, "the serial number is negative"));
    rspg_verifier_free(v);

    v = rspg_verifier_new(clock_value());
    assert_int_equal(rspg_verifier_add_cert_file(v, bad_ci, 1, -1, &d), -2);
    assert_true(d.count >= 1);
    assert_non_null(strstr(d.entries[d.count - 1].message, "refused as a trust anchor"));
    rspg_verifier_free(v);

    rspg_diag_fini(&d);
    free(ci);
    free(eum);
    free(euicc);
    free(bad_eum);
    free(bad_ci);
    drop_folder(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_build_agrees),
        cmocka_unit_test(test_corrupt_leaf_signature),
        cmocka_unit_test(test_corrupt_intermediate_signature),
        cmocka_unit_test(test_missing_issuer),
        cmocka_unit_test(test_manifest_expects_invalid),
        cmocka_unit_test(test_validity_time),
        cmocka_unit_test(test_bad_folders),
        cmocka_unit_test(test_verifier_api),
        cmocka_unit_test(test_strict_certificates),
    };
    return cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown);
}
