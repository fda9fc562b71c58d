/*
 * test_crl_renew.c: a build folder's CRLs signed again (issue/crl_renew.h). A small profile
 * (a CI on NIST and BRP, a TLS certificate it revokes with keyCompromise, a valid CRL with
 * cRLNumber 5 and a 30-day period in DER and PEM, and an invalid CRL case with a corrupted
 * signature) is built in memory; its CRLs are then renewed 80 days later: thisUpdate the new
 * clock, nextUpdate 30 days later, cRLNumber 6, the same issuer, entries and AKI, a signature
 * that verifies under the CI (OpenSSL), the PEM file the same CRL, the same bytes when done
 * twice. The invalid case is never offered to the choice; the choice sees the old dates and
 * number and may keep a CRL. Kept with a warning that names it: a CRL whose issuer key cannot
 * be had (a random key whose SK_ file is gone), a CRL not as rsp-pkigen writes one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>
#include <cmocka.h>

#include "rspg/asn1/pem.h"
#include "rspg/issue/build.h"
#include "rspg/issue/crl_renew.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

#define T0 1767225600 /* 2026-01-01 */
#define DAY 86400
#define T80 (T0 + 80 * DAY)

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
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "    output: {cert: \"CI_${CURVE}.der\", key: \"SK_CI_${CURVE}.pem\"}\n"
    "  - id: tls\n"
    "    role: dp-tls\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: [{O: ACME}, {CN: smdp.example}]\n"
    "    serial: \"8009\"\n"
    "    validity: {days: 200}\n"
    "    extensions:\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - extended_key_usage: {critical: true, usage: [serverAuth, clientAuth]}\n"
    "      - certificate_policies: {policies: [2.23.146.1.2.1.3]}\n"
    "      - subject_key_identifier: {}\n"
    "      - authority_key_identifier: {}\n"
    "    output: {cert: \"TLS_${CURVE}.der\", key: \"SK_TLS_${CURVE}.pem\"}\n"
    "crls:\n"
    "  - id: crl\n"
    "    issuer: ci\n"
    "    number: 5\n"
    "    next_update_days: 30\n"
    "    revoked:\n"
    "      - {entity: tls, reason: keyCompromise, date: \"2025-12-24T10:00:00Z\"}\n"
    "    output: {crl: [\"CRL_${CURVE}.crl\", \"CRL_${CURVE}.pem\"]}\n"
    "  - id: bad\n"
    "    issuer: ci\n"
    "    number: 1\n"
    "    next_update_days: 30\n"
    "    corrupt: signature\n"
    "    expect: invalid\n"
    "    case: crl/invalid-signature\n"
    "    reason: invalidCrlSignature\n"
    "    output: {crl: \"BAD_${CURVE}.crl\"}\n";

struct fx {
    rspg_profile *p;
    rspg_build_result built;
    rspg_build_options bo;
};

static void setup(struct fx *f, int seeded)
{
    static const uint8_t seed[] = {1, 2, 3};
    rspg_diag d;
    rspg_diag_init(&d);
    memset(f, 0, sizeof(*f));
    assert_int_equal(rspg_profile_load_string(prof, strlen(prof), "t.yaml", &d, &f->p), RSPG_OK);
    f->bo.profile_dir = ".";
    f->bo.has_clock = 1;
    f->bo.clock = T0;
    f->bo.nonce = RSPG_NONCE_RFC6979;
    f->bo.seed = seeded ? seed : NULL;
    f->bo.seed_len = seeded ? sizeof(seed) : 0;
    assert_int_equal(rspg_build(f->p, &f->bo, &d, &f->built), RSPG_OK);
    for (size_t i = 1; i < f->built.n; i++) /* renew_folder.c's order */
        assert_true(strcmp(f->built.items[i - 1].path, f->built.items[i].path) < 0);
    f->bo.clock = T80;
    rspg_diag_fini(&d);
}

static void teardown_fx(struct fx *f)
{
    rspg_build_result_free(&f->built);
    rspg_profile_free(f->p);
}

static rspg_artifact *file(rspg_build_result *r, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].path, path) == 0)
            return &r->items[i];
    fail_msg("no %s", path);
    return NULL;
}

/* The choice of the tests: records what it is offered; keeps every CRL when *CTX is 0. */
struct seen {
    int renew;
    size_t n;
    rspg_crl_renew_candidate c[8];
    char paths[8][32]; /* a candidate's path lives for the call only */
};

static int choose(void *ctx, const rspg_crl_renew_candidate *c)
{
    struct seen *s = ctx;
    assert_true(s->n < 8);
    snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", c->path);
    s->c[s->n++] = *c;
    return s->renew;
}

static rspg_status renew(struct fx *f, struct seen *s, rspg_diag *d, rspg_build_result *r)
{
    rspg_crl_renew_options o = {&f->bo, &f->built, choose, s};
    return rspg_crl_renew(f->p, &o, d, r);
}

static X509_CRL *crl_of(const rspg_artifact *a)
{
    rspg_buf der;
    rspg_buf_init(&der);
    assert_int_equal(rspg_pem_or_der(a->data.data, a->data.len, "X509 CRL", &der), 0);
    const uint8_t *p = der.data;
    X509_CRL *c = d2i_X509_CRL(NULL, &p, (long)der.len);
    assert_non_null(c);
    rspg_buf_free(&der);
    return c;
}

/* The renewed CRL at PATH against the built one: only its dates, number and signature. */
static void check_one(struct fx *f, rspg_build_result *r, const char *path, const char *ci)
{
    rspg_artifact *o = file(&f->built, path), *n = file(r, path);
    assert_int_equal(n->kind, RSPG_ART_CRL);
    assert_int_equal(n->crl_number, 6);
    assert_int_equal(n->not_before, T80);
    assert_int_equal(n->not_after, T80 + 30 * DAY);
    assert_int_equal(n->n_revoked, 1);
    assert_string_equal(n->revoked[0], o->revoked[0]); /* "008009" */
    rspg_x509_crl ox, nx;
    rspg_buf od, nd;
    rspg_buf_init(&od);
    rspg_buf_init(&nd);
    assert_int_equal(rspg_pem_or_der(o->data.data, o->data.len, "X509 CRL", &od), 0);
    assert_int_equal(rspg_pem_or_der(n->data.data, n->data.len, "X509 CRL", &nd), 0);
    assert_int_equal(rspg_crl_read(od.data, od.len, &ox, NULL), RSPG_OK);
    assert_int_equal(rspg_crl_read(nd.data, nd.len, &nx, NULL), RSPG_OK);
    assert_int_equal(nx.this_update, T80);
    assert_int_equal(nx.next_update, T80 + 30 * DAY);
    assert_int_equal(nx.issuer.len, ox.issuer.len);
    assert_memory_equal(nx.issuer.value, ox.issuer.value, ox.issuer.len);
    assert_int_equal(nx.revoked.len, ox.revoked.len);
    assert_memory_equal(nx.revoked.value, ox.revoked.value, ox.revoked.len);
    /* extensions: the AKI alike, the cRLNumber INTEGER 5 -> 6 (its last octet) */
    assert_int_equal(nx.extensions.len, ox.extensions.len);
    assert_memory_equal(nx.extensions.value, ox.extensions.value, ox.extensions.len - 1);
    assert_int_equal(ox.extensions.value[ox.extensions.len - 1], 5);
    assert_int_equal(nx.extensions.value[nx.extensions.len - 1], 6);
    const rspg_artifact *ca = file(&f->built, ci);
    const uint8_t *p = ca->data.data;
    X509 *x = d2i_X509(NULL, &p, (long)ca->data.len);
    X509_CRL *c = crl_of(n);
    assert_int_equal(X509_CRL_verify(c, X509_get0_pubkey(x)), 1);
    X509_CRL_free(c);
    X509_free(x);
    rspg_buf_free(&od);
    rspg_buf_free(&nd);
}

static void renews_valid_crls(void **state)
{
    (void)state;
    struct fx f;
    struct seen s = {.renew = 1};
    rspg_build_result r;
    rspg_diag d;
    setup(&f, 1);
    rspg_diag_init(&d);
    assert_int_equal(renew(&f, &s, &d, &r), RSPG_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(r.n, 4); /* CRL_{NIST,BRP}.{crl,pem}; never BAD_* */
    assert_int_equal(s.n, 2);
    for (size_t i = 0; i < s.n; i++) {
        assert_string_equal(s.c[i].crl->id, "crl");
        assert_int_equal(s.c[i].this_update, T0);
        assert_int_equal(s.c[i].next_update, T0 + 30 * DAY);
        assert_int_equal(s.c[i].number, 5);
    }
    check_one(&f, &r, "CRL_NIST.crl", "CI_NIST.der");
    check_one(&f, &r, "CRL_BRP.crl", "CI_BRP.der");
    check_one(&f, &r, "CRL_NIST.pem", "CI_NIST.der");
    assert_true(file(&r, "CRL_NIST.pem")->pem);
    /* the same renewal again: the same bytes */
    rspg_build_result r2;
    s.n = 0;
    assert_int_equal(renew(&f, &s, &d, &r2), RSPG_OK);
    assert_int_equal(r2.n, r.n);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(r2.items[i].data.len, r.items[i].data.len);
        assert_memory_equal(r2.items[i].data.data, r.items[i].data.data, r.items[i].data.len);
    }
    rspg_build_result_free(&r2);
    rspg_build_result_free(&r);
    rspg_diag_fini(&d);
    teardown_fx(&f);
}

static void choice_keeps(void **state)
{
    (void)state;
    struct fx f;
    struct seen s = {.renew = 0};
    rspg_build_result r;
    rspg_diag d;
    setup(&f, 1);
    rspg_diag_init(&d);
    assert_int_equal(renew(&f, &s, &d, &r), RSPG_OK);
    assert_int_equal(r.n, 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.paths[0], "CRL_NIST.crl");
    assert_string_equal(s.c[0].curve, "nist");
    assert_string_equal(s.paths[1], "CRL_BRP.crl");
    rspg_build_result_free(&r);
    rspg_diag_fini(&d);
    teardown_fx(&f);
}

static int has_warning(const rspg_diag *d, const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->entries[i].severity == RSPG_SEV_WARNING && strstr(d->entries[i].message, text))
            return 1;
    return 0;
}

/* A random CI key whose SK_ file is gone cannot be had: that CRL is kept, with a warning. */
static void key_missing(void **state)
{
    (void)state;
    struct fx f;
    struct seen s = {.renew = 1};
    rspg_build_result r;
    rspg_diag d;
    setup(&f, 0);
    rspg_diag_init(&d);
    rspg_artifact *k = file(&f.built, "SK_CI_NIST.pem");
    size_t at = (size_t)(k - f.built.items);
    rspg_artifact gone = *k;
    memmove(k, k + 1, (f.built.n - at - 1) * sizeof(*k));
    f.built.n--;
    assert_int_equal(renew(&f, &s, &d, &r), RSPG_OK);
    assert_int_equal(d.errors, 0);
    assert_true(has_warning(&d, "CRL_NIST.crl: CRL 'crl' not renewed: its issuer's key cannot "
                                "be had: the key of 'ci' is not the key of CI_NIST.der"));
    assert_int_equal(r.n, 2);
    assert_string_equal(r.items[0].path, "CRL_BRP.crl");
    f.built.items[f.built.n++] = gone; /* freed with the build */
    rspg_build_result_free(&r);
    rspg_diag_fini(&d);
    teardown_fx(&f);
}

/* A CRL that is not exactly what rsp-pkigen writes (its AKI as [2], not [0]) is kept. */
static void not_ours(void **state)
{
    (void)state;
    struct fx f;
    struct seen s = {.renew = 1};
    rspg_build_result r;
    rspg_diag d;
    setup(&f, 1);
    rspg_diag_init(&d);
    rspg_artifact *a = file(&f.built, "CRL_NIST.crl");
    static const uint8_t aki[] = {0x30, 0x16, 0x80, 0x14};
    uint8_t *hit = NULL;
    for (size_t i = 0; i + sizeof(aki) <= a->data.len && !hit; i++)
        if (memcmp(a->data.data + i, aki, sizeof(aki)) == 0)
            hit = a->data.data + i;
    assert_non_null(hit);
    hit[2] = 0x82;
    assert_int_equal(renew(&f, &s, &d, &r), RSPG_OK);
    assert_true(has_warning(&d, "CRL_NIST.crl: CRL 'crl' not renewed: not a CRL as rsp-pkigen "
                                "writes one"));
    assert_int_equal(s.n, 1); /* not offered */
    assert_int_equal(r.n, 2);
    assert_string_equal(r.items[0].path, "CRL_BRP.crl");
    rspg_build_result_free(&r);
    rspg_diag_fini(&d);
    teardown_fx(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renews_valid_crls),
        cmocka_unit_test(choice_keeps),
        cmocka_unit_test(key_missing),
        cmocka_unit_test(not_ours),
    };
    return tu_exit(cmocka_run_group_tests_name("crl_renew", tests, NULL, NULL));
}
