/*
 * test_reissue.c: certificates issued under existing issuers (issue/reissue.h). A small
 * profile (CI -> DP TLS, NIST and BRP) is built; its TLS certificate is then issued again under
 * the built CI (preset with its certificate and key): the result has the CI as issuer name,
 * the CI's SKI as AKI, the entity's extensions, the serial and validity set for it, and the
 * same bytes as the build's TLS certificate when nothing is changed (the build's code, no
 * second encoder). A CI's pinned SKI from its certificate is what the AKI names. Refused: an
 * issuer not preset, a preset issuer key that is not its certificate's, a target whose key is
 * not that of the certificate it renews, a root as target. Also: rspg_reissue_serial is
 * deterministic, 16 octets, positive, and changes with each input; rspg_reissue_set_* keep
 * the other curves' values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rspg/issue/build.h"
#include "rspg/issue/reissue.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

static const char prof[] =
    "schema: rsp-pkigen/profile/1\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "  brp: {curve: brainpoolP256r1, suffix: BRP}\n"
    "defaults: {curves: [nist, brp], validity_days: 365}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}]\n"
    "    serial: \"01\"\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - certificate_policies: {critical: true, policies: "
    "[2.23.146.1.2.1.0]}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "    output: {cert: \"CI_${CURVE}.der\", key: \"SK_CI_${CURVE}.pem\"}\n"
    "  - id: tls\n"
    "    role: dp-tls\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: [{O: ACME}, {CN: smdp.example}]\n"
    "    serial: \"09\"\n"
    "    validity: {days: 200}\n"
    "    extensions:\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - extended_key_usage: {critical: true, usage: [serverAuth, "
    "clientAuth]}\n"
    "      - certificate_policies: {policies: [2.23.146.1.2.1.3]}\n"
    "      - subject_key_identifier: {}\n"
    "      - authority_key_identifier: {}\n"
    "    output: {cert: \"TLS_${CURVE}.der\", key: \"SK_TLS_${CURVE}.pem\"}\n";

struct fx {
    rspg_profile *p;
    rspg_build_result built;
    rspg_build_options bo;
};

static void setup(struct fx *f)
{
    rspg_diag d;
    rspg_diag_init(&d);
    memset(f, 0, sizeof(*f));
    assert_int_equal(rspg_profile_load_string(prof, strlen(prof), "t.yaml", &d, &f->p), RSPG_OK);
    f->bo.profile_dir = ".";
    f->bo.has_clock = 1;
    f->bo.clock = 1767225600; /* 2026-01-01 */
    f->bo.nonce = RSPG_NONCE_RFC6979;
    static const uint8_t seed[] = {1, 2, 3};
    f->bo.seed = seed;
    f->bo.seed_len = sizeof(seed);
    assert_int_equal(rspg_build(f->p, &f->bo, &d, &f->built), RSPG_OK);
    rspg_diag_fini(&d);
}

static void teardown_fx(struct fx *f)
{
    rspg_build_result_free(&f->built);
    rspg_profile_free(f->p);
}

static const rspg_artifact *file(const rspg_build_result *r, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].path, path) == 0)
            return &r->items[i];
    fail_msg("no %s", path);
    return NULL;
}

static void load_key(const rspg_artifact *a, rspg_key *k)
{
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load(a->data.data, a->data.len, a->path, &d, k), RSPG_OK);
    rspg_diag_fini(&d);
}

/* Issues "tls" on CURVE again under the built CI; the keys from the build's files. */
static rspg_status again(struct fx *f, const char *curve, int with_issuer, int wrong_issuer_key,
                         const rspg_buf *renews, rspg_diag *d, rspg_build_result *out)
{
    char ci_path[32], ci_key[32], tls_key[32];
    snprintf(ci_path, sizeof(ci_path), "CI_%s.der", strcmp(curve, "nist") ? "BRP" : "NIST");
    snprintf(ci_key, sizeof(ci_key), "SK_CI_%s.pem", strcmp(curve, "nist") ? "BRP" : "NIST");
    snprintf(tls_key, sizeof(tls_key), "SK_TLS_%s.pem", strcmp(curve, "nist") ? "BRP" : "NIST");
    const rspg_artifact *ci = file(&f->built, ci_path);
    rspg_key ik, tk;
    load_key(file(&f->built, wrong_issuer_key ? tls_key : ci_key), &ik);
    load_key(file(&f->built, tls_key), &tk);
    rspg_reissue_preset ps[2] = {
        {.entity = "ci",
         .curve = curve,
         .cert = ci->data.data,
         .cert_len = ci->data.len,
         .cert_path = ci_path,
         .key = &ik},
        {.entity = "tls", .curve = curve, .key = &tk},
    };
    rspg_reissue_target t = {"tls", curve, renews ? renews->data : NULL, renews ? renews->len : 0,
                             "old.der"};
    rspg_reissue_options o = {&f->bo, with_issuer ? ps : ps + 1, with_issuer ? 2 : 1, &t, 1};
    rspg_status rc = rspg_reissue(f->p, &o, d, out);
    rspg_key_free(&ik);
    rspg_key_free(&tk);
    return rc;
}

static void same_bytes_as_the_build(void **state)
{
    (void)state;
    struct fx f;
    setup(&f);
    for (int c = 0; c < 2; c++) {
        const char *curve = c ? "brp" : "nist";
        rspg_diag d;
        rspg_build_result r;
        rspg_diag_init(&d);
        assert_int_equal(again(&f, curve, 1, 0, NULL, &d, &r), RSPG_OK);
        /* only the target's files: its certificate and key */
        assert_int_equal(r.n, 2);
        const char *path = c ? "TLS_BRP.der" : "TLS_NIST.der";
        const rspg_artifact *a = file(&r, path), *b = file(&f.built, path);
        assert_int_equal(a->data.len, b->data.len);
        assert_memory_equal(a->data.data, b->data.data, a->data.len);
        rspg_build_result_free(&r);
        rspg_diag_fini(&d);
    }
    teardown_fx(&f);
}

static void new_serial_and_validity(void **state)
{
    (void)state;
    struct fx f;
    setup(&f);
    rspg_entity *e = (rspg_entity *)rspg_profile_find(f.p, "tls");
    rspg_reissue_set_serial(e, "nist", "4A0102");
    rspg_reissue_set_validity(e, "nist", 1780000000, 1780000000 + 90 * 86400);
    /* the other curve keeps the entity's values */
    assert_string_equal(rspg_per_curve_get(&e->serial, "brp"), "09");
    assert_string_equal(rspg_per_curve_get(&e->serial, "nist"), "4A0102");
    rspg_diag d;
    rspg_build_result r;
    rspg_diag_init(&d);
    assert_int_equal(again(&f, "nist", 1, 0, NULL, &d, &r), RSPG_OK);
    const rspg_artifact *a = file(&r, "TLS_NIST.der");
    assert_string_equal(a->serial_hex, "4A0102");
    assert_int_equal(a->not_before, 1780000000);
    assert_int_equal(a->not_after, 1780000000 + 90 * 86400);
    rspg_x509 x, ci;
    assert_int_equal(rspg_x509_read(a->data.data, a->data.len, &x, NULL), RSPG_OK);
    const rspg_artifact *cia = file(&f.built, "CI_NIST.der");
    assert_int_equal(rspg_x509_read(cia->data.data, cia->data.len, &ci, NULL), RSPG_OK);
    assert_int_equal(x.issuer.len, ci.subject.len);
    assert_memory_equal(x.issuer.value, ci.subject.value, ci.subject.len);
    size_t n1, n2;
    const uint8_t *aki = rspg_x509_aki(&x, &n1), *ski = rspg_x509_ski(&ci, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(aki, ski, n1);
    rspg_build_result_free(&r);
    rspg_diag_fini(&d);
    teardown_fx(&f);
}

static void refusals(void **state)
{
    (void)state;
    struct fx f;
    setup(&f);
    rspg_diag d;
    rspg_build_result r;
    rspg_diag_init(&d);
    assert_int_equal(again(&f, "nist", 0, 0, NULL, &d, &r), RSPG_E_PROFILE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "issuer of 'tls', is not given"));
    assert_int_equal(again(&f, "nist", 1, 1, NULL, &d, &r), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "not this certificate's key"));
    /* renewing the BRP certificate with the NIST key */
    const rspg_artifact *brp = file(&f.built, "TLS_BRP.der");
    assert_int_equal(again(&f, "nist", 1, 0, &brp->data, &d, &r), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "old.der: the key of 'tls'"));
    /* a root */
    rspg_reissue_target t = {"ci", "nist", NULL, 0, NULL};
    rspg_reissue_options o = {&f.bo, NULL, 0, &t, 1};
    assert_int_equal(rspg_reissue(f.p, &o, &d, &r), RSPG_E_PROFILE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "is a root"));
    rspg_diag_fini(&d);
    teardown_fx(&f);
}

static void serials(void **state)
{
    (void)state;
    rspg_key k;
    memset(&k, 0, sizeof(k));
    k.pub_len = 65;
    memset(k.pub, 4, 65);
    static const uint8_t cert[] = {1, 2, 3};
    char *a = rspg_reissue_serial(cert, 3, &k, "09", 100, 200);
    char *b = rspg_reissue_serial(cert, 3, &k, "09", 100, 200);
    assert_string_equal(a, b); /* deterministic */
    assert_int_equal(strlen(a), 32);
    assert_true(strchr("4567", a[0]) != NULL); /* 0x40..0x7f: positive, no leading zero */
    char *c[4] = {rspg_reissue_serial(cert, 2, &k, "09", 100, 200),
                  rspg_reissue_serial(cert, 3, &k, "0A", 100, 200),
                  rspg_reissue_serial(cert, 3, &k, NULL, 101, 200),
                  rspg_reissue_serial(cert, 3, &k, "09", 100, 201)};
    for (int i = 0; i < 4; i++) {
        assert_string_not_equal(a, c[i]);
        free(c[i]);
    }
    k.pub[64] = 5;
    char *e = rspg_reissue_serial(cert, 3, &k, "09", 100, 200);
    assert_string_not_equal(a, e);
    free(a);
    free(b);
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_bytes_as_the_build),
        cmocka_unit_test(new_serial_and_validity),
        cmocka_unit_test(refusals),
        cmocka_unit_test(serials),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
