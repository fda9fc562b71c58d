/*
 * test_invalid.c: the deliberately invalid certificates and the CRLs of profiles/sgp26.yaml,
 * checked independently of the code that made them.
 *
 * - Every SGP.26 section 4 certificate differs from its valid twin in exactly the field
 *   its case names (the signature; the key; the validity; the policy; the EKU; the key
 *   usage), compared field by field on the DER; a corrupted signature is still DER, fails
 *   under its issuer's key (OpenSSL X509_verify) while its twin's passes.
 * - Every CRL parses with OpenSSL, names its issuer's DN, verifies under the issuer's key
 *   (the corrupted one does not), and lists exactly the serials the profile revokes.
 * - `openssl verify -crl_check` rejects the revoked SM-DP+ certificate and accepts the
 *   valid one of the same CI.
 * - The project's verifier reaches every verdict and reason the manifest states, over the
 *   whole output (valid set, invalid set, cases beyond SGP.26, CRLs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "rspg/check/verify.h"
#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

struct fixture {
    rspg_profile *p;
    rspg_build_result r;
    char *dir; /* the build written to disk */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    rspg_diag d;
    rspg_diag_init(&d);
    char *path = tu_src("profiles/sgp26.yaml");
    static const uint8_t seed[] = {0x1a, 0x2b};
    rspg_build_options bo = {0};
    bo.profile_dir = RSPG_SOURCE_DIR "/profiles";
    bo.has_clock = 1;
    bo.clock = 1785000000; /* 2026-07-25 */
    bo.nonce = RSPG_NONCE_RFC6979;
    bo.seed = seed;
    bo.seed_len = sizeof(seed);
    if (rspg_profile_load_file(path, &d, &f->p) != RSPG_OK ||
        rspg_build(f->p, &bo, &d, &f->r) != RSPG_OK)
        return -1;
    free(path);
    char *tmp = tu_mkdtemp();
    f->dir = rspg_xasprintf("%s/out", tmp);
    char *manifest = rspg_manifest_json(&f->r, f->p);
    rspg_output_options oo = {0, manifest};
    int rc = rspg_output_write(f->dir, &f->r, &oo, &d);
    free(manifest);
    free(tmp);
    rspg_diag_fini(&d);
    *state = f;
    return rc == RSPG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char *tmp = rspg_xstrndup(f->dir, strlen(f->dir) - 4);
    tu_rmtree(tmp);
    free(tmp);
    free(f->dir);
    rspg_build_result_free(&f->r);
    rspg_profile_free(f->p);
    free(f);
    return 0;
}

static const rspg_artifact *find(const struct fixture *f, const char *path)
{
    for (size_t i = 0; path && i < f->r.n; i++)
        if (strcmp(f->r.items[i].path, path) == 0)
            return &f->r.items[i];
    return NULL;
}

static int same(const rspg_der_tlv *a, const rspg_der_tlv *b)
{
    return a->hdr_len + a->len == b->hdr_len + b->len &&
           memcmp(a->hdr, b->hdr, a->hdr_len + a->len) == 0;
}

static const char *ext_name(const rspg_der_tlv *oid)
{
    static const struct {
        uint8_t last;
        const char *name;
    } names[] = {{14, "subjectKeyIdentifier"}, {15, "keyUsage"},
                 {17, "subjectAltName"},       {19, "basicConstraints"},
                 {30, "nameConstraints"},      {31, "cRLDistributionPoints"},
                 {32, "certificatePolicies"},  {35, "authorityKeyIdentifier"},
                 {37, "extKeyUsage"}};
    if (oid->len == 3 && oid->value[0] == 0x55 && oid->value[1] == 0x1D)
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (names[i].last == oid->value[2])
                return names[i].name;
    return "other";
}

static void add(char *set, size_t cap, const char *what)
{
    if (strstr(set, what))
        return;
    if (*set)
        strncat(set, ",", cap - strlen(set) - 1);
    strncat(set, what, cap - strlen(set) - 1);
}

/* The fields in which C differs from its twin T; "signature" when only it differs. */
static void diff(const rspg_x509 *c, const rspg_x509 *t, char *set, size_t cap)
{
    set[0] = '\0';
    if (!same(&c->serial, &t->serial))
        add(set, cap, "serial");
    if (!same(&c->issuer, &t->issuer))
        add(set, cap, "issuer");
    if (!same(&c->validity, &t->validity))
        add(set, cap, "validity");
    if (!same(&c->subject, &t->subject))
        add(set, cap, "subject");
    if (!same(&c->spki, &t->spki))
        add(set, cap, "key");
    for (size_t i = 0; i < c->n_exts || i < t->n_exts; i++) {
        /* extensions by OID, in order; an absent one counts for its OID */
        const rspg_x509_ext *a = i < c->n_exts ? &c->exts[i] : NULL;
        const rspg_x509_ext *b = NULL;
        for (size_t j = 0; a && j < t->n_exts; j++)
            if (same(&a->oid, &t->exts[j].oid))
                b = &t->exts[j];
        if (a && (!b || !same(&a->whole, &b->whole))) {
            /* the SKI follows the key: counted as "key" */
            add(set, cap,
                strcmp(ext_name(&a->oid), "subjectKeyIdentifier") == 0 ? "key" : ext_name(&a->oid));
        }
        const rspg_x509_ext *tb = i < t->n_exts ? &t->exts[i] : NULL;
        int present = 0;
        for (size_t j = 0; tb && j < c->n_exts; j++)
            present |= same(&tb->oid, &c->exts[j].oid);
        if (tb && !present)
            add(set, cap, ext_name(&tb->oid));
    }
    if (!*set && !same(&c->sig, &t->sig))
        add(set, cap, "signature");
}

static const char *expected_diff(const char *case_id)
{
    static const struct {
        const char *suffix, *fields;
    } cases[] = {
        {"/invalid-signature", "signature"},
        {"/invalid-curve", "key"},
        {"/expired", "validity"},
        {"/invalid-certificate-policy", "certificatePolicies"},
        {"/invalid-eku", "extKeyUsage"},
        {"/invalid-key-usage", "keyUsage"},
        {"/missing-critical-extension", "extKeyUsage"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(case_id), k = strlen(cases[i].suffix);
        if (n >= k && strcmp(case_id + n - k, cases[i].suffix) == 0)
            return cases[i].fields;
    }
    return NULL;
}

static int x509_verified_by(const rspg_artifact *cert, const rspg_artifact *issuer)
{
    const unsigned char *p = cert->data.data, *q = issuer->data.data;
    X509 *c = d2i_X509(NULL, &p, (long)cert->data.len),
         *i = d2i_X509(NULL, &q, (long)issuer->data.len);
    int ok = c && i && X509_verify(c, X509_get0_pubkey(i)) == 1;
    X509_free(c);
    X509_free(i);
    return ok;
}

static void test_twins_differ_in_exactly_the_fault(void **state)
{
    struct fixture *f = *state;
    size_t checked = 0, beyond = 0;
    for (size_t i = 0; i < f->r.n; i++) {
        const rspg_artifact *a = &f->r.items[i];
        if (a->kind != RSPG_ART_CERT || a->pem || strcmp(a->expect, "invalid") != 0)
            continue;
        assert_non_null(a->reason);
        assert_non_null(a->case_id);
        const rspg_artifact *t = find(f, a->twin_path);
        if (t == NULL && a->beyond_sgp26) {
            beyond++; /* a new CA or root of its own, with no valid twin */
            continue;
        }
        if (t == NULL)
            fail_msg("%s has no twin in the build", a->path);
        assert_string_equal(t->expect, "valid");
        rspg_x509 c, tw;
        assert_int_equal(rspg_x509_read(a->data.data, a->data.len, &c, NULL), RSPG_OK);
        assert_int_equal(rspg_x509_read(t->data.data, t->data.len, &tw, NULL), RSPG_OK);
        char set[256];
        diff(&c, &tw, set, sizeof(set));
        if (a->beyond_sgp26) {
            assert_true(set[0] != '\0');
            beyond++;
            continue;
        }
        const char *want = expected_diff(a->case_id);
        if (want == NULL)
            fail_msg("%s: unknown SGP.26 case '%s'", a->path, a->case_id);
        if (strcmp(set, want) != 0)
            fail_msg("%s (%s) differs from its twin in '%s', expected only '%s'", a->path,
                     a->case_id, set, want);
        const rspg_artifact *iss = find(f, a->issuer_path);
        assert_non_null(iss);
        if (strstr(a->case_id, "invalid-signature")) {
            assert_false(x509_verified_by(a, iss));
            assert_true(x509_verified_by(t, iss));
        } else {
            assert_true(x509_verified_by(a, iss)); /* one fault only: the signature is good */
        }
        checked++;
    }
    print_message("%zu SGP.26 invalid certificates differ from their twins in exactly their fault; "
                  "%zu beyond-SGP.26 cases differ\n",
                  checked, beyond);
    assert_int_equal(checked, 112);
}

static void test_crls(void **state)
{
    struct fixture *f = *state;
    size_t n = 0, revoked = 0;
    for (size_t i = 0; i < f->r.n; i++) {
        const rspg_artifact *a = &f->r.items[i];
        if (a->kind != RSPG_ART_CRL || a->pem)
            continue;
        const unsigned char *p = a->data.data;
        X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)a->data.len);
        if (crl == NULL)
            fail_msg("%s does not parse", a->path);
        assert_int_equal(X509_CRL_get_version(crl), 1); /* v2 */
        const rspg_artifact *iss = find(f, a->issuer_path);
        assert_non_null(iss);
        const unsigned char *q = iss->data.data;
        X509 *ic = d2i_X509(NULL, &q, (long)iss->data.len);
        assert_non_null(ic);
        assert_int_equal(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ic)), 0);
        int ok = X509_CRL_verify(crl, X509_get0_pubkey(ic)) == 1;
        assert_int_equal(ok, strcmp(a->expect, "valid") == 0);
        /* exactly the profile's revocations */
        const STACK_OF(X509_REVOKED) *rv = X509_CRL_get_REVOKED(crl);
        int listed = rv ? sk_X509_REVOKED_num(rv) : 0;
        assert_int_equal((size_t)listed, a->crl->n_revoked);
        assert_int_equal((size_t)listed, a->n_revoked);
        for (int k = 0; k < listed; k++) {
            const ASN1_INTEGER *sn = X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(rv, k));
            const rspg_entity *e = rspg_profile_find(f->p, a->crl->revoked[k].entity);
            assert_non_null(e);
            const char *hex = rspg_per_curve_get(&e->serial, "nist");
            BIGNUM *want = NULL, *got = ASN1_INTEGER_to_BN(sn, NULL);
            BN_hex2bn(&want, hex);
            assert_int_equal(BN_cmp(want, got), 0);
            BN_free(want);
            BN_free(got);
            revoked++;
        }
        X509_free(ic);
        X509_CRL_free(crl);
        n++;
    }
    print_message("%zu CRLs checked, %zu revocations\n", n, revoked);
    assert_true(n >= 30);
    assert_true(revoked >= 2);
}

static void test_openssl_crl_check(void **state)
{
    struct fixture *f = *state;
    char *cmd = rspg_xasprintf("cd '%s' && openssl verify -attime 1785086400 -crl_check -CAfile "
                               "'Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.pem' "
                               "-CRLfile 'CRLs/Variant O/CI/NIST/CRL-1.pem' "
                               "'Invalid Test Cases (beyond SGP.26)/Variant "
                               "O/SM-DP+/Revoked/CERT_S_SM_DPauth_REVOKED_VARO_SIG_NIST.pem'",
                               f->dir);
    char *out = NULL, *err = NULL;
    int st = tu_run(cmd, &out, &err);
    assert_int_not_equal(st, 0);
    if (strstr(out, "certificate revoked") == NULL && strstr(err, "certificate revoked") == NULL)
        fail_msg("openssl verify -crl_check did not report the revocation: %s%s", out, err);
    free(cmd);
    free(out);
    free(err);
    /* the valid SM-DP+ auth certificate of the same CI passes with the same CRL */
    cmd = rspg_xasprintf(
        "cd '%s' && openssl x509 -inform der -in 'Valid Test Cases/Variant "
        "O/SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_NIST.der' "
        "-out dpauth.pem && openssl verify -attime 1785086400 -crl_check -CAfile 'Valid Test "
        "Cases/Variant O/CI/CERT_CI_SIG_NIST.pem' "
        "-CRLfile 'CRLs/Variant O/CI/NIST/CRL-1.pem' dpauth.pem; rc=$?; rm -f dpauth.pem; exit $rc",
        f->dir);
    st = tu_run(cmd, &out, &err);
    if (st != 0)
        fail_msg("openssl verify -crl_check rejected the valid SM-DP+ auth certificate: %s%s", out,
                 err);
    free(cmd);
    free(out);
    free(err);
}

static void test_every_verdict_and_reason_as_the_manifest_says(void **state)
{
    struct fixture *f = *state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_verify_result res;
    rspg_status rc = rspg_verify_dir(f->dir, NULL, &d, &res);
    for (size_t i = 0; i < d.count; i++)
        print_error("%s\n", d.entries[i].message);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(res.disagreed, 0);
    size_t invalid = 0;
    for (size_t i = 0; i < res.n_items; i++)
        if (!res.items[i].verdict.valid) {
            invalid++;
            assert_non_null(res.items[i].expect_reason);
            assert_string_equal(res.items[i].expect_reason, res.items[i].verdict.reason);
        }
    print_message("%zu certificates and CRLs verified, %zu invalid with the manifest's reason\n",
                  res.certificates, invalid);
    assert_true(invalid >= 136);
    rspg_verify_result_free(&res);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twins_differ_in_exactly_the_fault),
        cmocka_unit_test(test_crls),
        cmocka_unit_test(test_openssl_crl_check),
        cmocka_unit_test(test_every_verdict_and_reason_as_the_manifest_says),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
