/*
 * test_bundle.c: CA bundles and TLS full chains (src/lib/issue/bundle.c, bundle.h).
 *
 * A small build: a trusted CI (Variants O and B, NIST and BRP), an untrusted root, a CI
 * SubCA (B) that issues a TLS certificate with a PEM key, a TLS certificate of the CI with a
 * DER key, and an invalid (corrupt signature) TLS certificate. Checked: one bundle per
 * variant x curve holding exactly the trusted CI (no SubCA, no untrusted root); every TLS
 * certificate has a full chain, leaf first, then the CAs below the root, root left out;
 * the key is the PEM SK_ file, or a PEM copy of a DER one (0600, the same key); an invalid
 * certificate's chain keeps its expectation; the manifest rows; OpenSSL verifies the chain
 * against the bundle; a full chain that would take another file's name is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "rspg/asn1/pem.h"
#include "rspg/base/time.h"
#include "rspg/issue/build.h"
#include "rspg/issue/bundle.h"
#include "rspg/issue/manifest.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

#define CA_EXTS                                                                                    \
    "    extensions:\n"                                                                            \
    "      - subject_key_identifier: {}\n"                                                         \
    "      - basic_constraints: {critical: true, ca: true}\n"                                      \
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
#define TLS_EXTS                                                                                   \
    "    extensions:\n"                                                                            \
    "      - authority_key_identifier: {}\n"                                                       \
    "      - subject_key_identifier: {}\n"                                                         \
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"                             \
    "      - extended_key_usage: {critical: true, usage: [serverAuth, clientAuth]}\n"              \
    "      - subject_alt_name: {names: [{dns: tls.example.com}]}\n"

static const char profile[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: bundles\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "  brp: {curve: brainpoolP256r1, suffix: BRP}\n"
    "defaults: {curves: [nist, brp], validity_days: 365}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: [O, B]\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}]\n"
    "    serial: \"01\"\n" CA_EXTS "    output: {dir: CI, cert: [\"CERT_CI_${CURVE}.der\", "
    "\"CERT_CI_${CURVE}.pem\"], key: \"SK_CI_${CURVE}.pem\"}\n"
    "  - id: unknown-ci\n"
    "    role: ci\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    trusted: false\n"
    "    subject: [{CN: Unknown CI}]\n"
    "    serial: \"02\"\n" CA_EXTS "    output: {dir: Unknown, cert: \"CERT_CI_${CURVE}.der\"}\n"
    "  - id: subca\n"
    "    role: ci-subca\n"
    "    variant: B\n"
    "    issuer: ci\n"
    "    subject: [{CN: Test CI SubCA}]\n"
    "    serial: \"03\"\n" CA_EXTS "    output: {dir: SubCA, cert: \"CERT_SUBCA_${CURVE}.der\"}\n"
    "  - id: tls-b\n"
    "    role: dp-tls\n"
    "    variant: B\n"
    "    issuer: subca\n"
    "    subject: [{CN: tls.example.com}]\n"
    "    serial: \"04\"\n" TLS_EXTS "    output: {dir: B/TLS, cert: \"CERT_TLS_${CURVE}.der\", "
    "key: \"SK_TLS_${CURVE}.pem\"}\n"
    "  - id: tls-o\n"
    "    role: ds-tls\n"
    "    variant: O\n"
    "    curves: [nist]\n"
    "    issuer: ci\n"
    "    subject: [{CN: tls.example.com}]\n"
    "    serial: \"05\"\n" TLS_EXTS "    output: {dir: O/TLS, cert: \"CERT_TLS_${CURVE}.pem\", "
    "key: \"SK_TLS_${CURVE}.der\"}\n"
    "  - id: tls-bad\n"
    "    role: dp-tls\n"
    "    variant: O\n"
    "    curves: [nist]\n"
    "    issuer: ci\n"
    "    subject: [{CN: tls.example.com}]\n"
    "    serial: \"06\"\n"
    "    corrupt: signature\n"
    "    expect: invalid\n"
    "    case: dp-tls/invalid-signature\n"
    "    reason: invalidCertificate\n" TLS_EXTS
    "    output: {dir: O/Bad, cert: \"CERT_TLS_${CURVE}.der\", "
    "key: \"SK_TLS_${CURVE}.pem\"}\n";

struct fixture {
    rspg_profile *p;
    rspg_build_result r;
};

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *msg = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", msg);
        free(msg);
    }
}

/* Builds TEXT (seeded, fixed clock) and adds the bundles; returns rspg_bundle_add's status. */
static rspg_status build(struct fixture *f, const char *text, rspg_diag *d)
{
    memset(f, 0, sizeof(*f));
    rspg_status rc = rspg_profile_load_string(text, strlen(text), "b.yaml", d, &f->p);
    print_diag(d);
    assert_int_equal(rc, RSPG_OK);
    static const uint8_t seed[] = {1, 2, 3};
    rspg_build_options o;
    memset(&o, 0, sizeof(o));
    o.profile_dir = ".";
    o.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339("2025-01-01T00:00:00Z", &o.clock), 0);
    o.nonce = RSPG_NONCE_RFC6979;
    o.seed = seed;
    o.seed_len = sizeof(seed);
    rc = rspg_build(f->p, &o, d, &f->r);
    print_diag(d);
    assert_int_equal(rc, RSPG_OK);
    return rspg_bundle_add(&f->r, f->p, d);
}

static void done(struct fixture *f)
{
    rspg_build_result_free(&f->r);
    rspg_profile_free(f->p);
}

static const rspg_artifact *find(const struct fixture *f, const char *path)
{
    for (size_t i = 0; i < f->r.n; i++)
        if (strcmp(f->r.items[i].path, path) == 0)
            return &f->r.items[i];
    return NULL;
}

static size_t count_kind(const struct fixture *f, rspg_artifact_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < f->r.n; i++)
        n += f->r.items[i].kind == k;
    return n;
}

/* The DER of certificate block I of the PEM artifact A (0 when there is none). */
static int pem_block(const rspg_artifact *a, size_t i, rspg_buf *der)
{
    char *text = rspg_xstrndup((const char *)a->data.data, a->data.len); /* NUL-terminated */
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    const char *t = text;
    int found = 0;
    for (size_t k = 0;; k++) {
        const char *b = strstr(t, begin);
        if (b == NULL)
            break;
        if (k == i) {
            rspg_buf_init(der);
            found = rspg_pem_decode((const uint8_t *)b, strlen(b), "CERTIFICATE", der) == 0;
            break;
        }
        t = b + sizeof(begin) - 1;
    }
    free(text);
    return found;
}

/* The certificate DER of the certificate artifact at PATH. */
static void cert_der(const struct fixture *f, const char *path, rspg_buf *der)
{
    const rspg_artifact *a = find(f, path);
    assert_non_null(a);
    assert_int_equal(a->kind, RSPG_ART_CERT);
    rspg_buf_init(der);
    assert_int_equal(rspg_pem_or_der(a->data.data, a->data.len, "CERTIFICATE", der), 0);
}

/* Artifact A holds exactly the certificates at PATHS (NULL-terminated), in order. */
static void holds_exactly(const struct fixture *f, const rspg_artifact *a, const char *const *paths)
{
    size_t n = 0;
    for (; paths[n]; n++) {
        rspg_buf got, want;
        if (!pem_block(a, n, &got))
            fail_msg("%s: no certificate block %zu (%s)", a->path, n, paths[n]);
        cert_der(f, paths[n], &want);
        assert_memory_equal(got.data, want.data, want.len);
        assert_int_equal(got.len, want.len);
        assert_string_equal(a->members[n], paths[n]);
        rspg_buf_free(&got);
        rspg_buf_free(&want);
    }
    rspg_buf extra;
    assert_false(pem_block(a, n, &extra));
    assert_int_equal(a->n_members, n);
}

static void test_ca_bundles(void **state)
{
    (void)state;
    struct fixture f;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(build(&f, profile, &d), RSPG_OK);
    /* variants O and B on two curves; the untrusted root makes none */
    assert_int_equal(count_kind(&f, RSPG_ART_CA_BUNDLE), 4);
    static const char *const o_nist[] = {"CI/CERT_CI_NIST.der", NULL};
    static const char *const b_brp[] = {"CI/CERT_CI_BRP.der", NULL};
    const rspg_artifact *b = find(&f, "Bundles/CA_BUNDLE_O_NIST.pem");
    assert_non_null(b);
    assert_int_equal(b->kind, RSPG_ART_CA_BUNDLE);
    assert_string_equal(b->variant, "O");
    assert_string_equal(b->curve, "prime256v1");
    assert_false(b->secret);
    holds_exactly(&f, b, o_nist);
    b = find(&f, "Bundles/CA_BUNDLE_B_BRP.pem");
    assert_non_null(b);
    holds_exactly(&f, b, b_brp); /* the SubCA of Variant B is not in it */
    assert_non_null(find(&f, "Bundles/CA_BUNDLE_O_BRP.pem"));
    assert_non_null(find(&f, "Bundles/CA_BUNDLE_B_NIST.pem"));
    done(&f);
    rspg_diag_fini(&d);
}

static void test_fullchains(void **state)
{
    (void)state;
    struct fixture f;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(build(&f, profile, &d), RSPG_OK);
    /* tls-b on two curves, tls-o and tls-bad on NIST */
    assert_int_equal(count_kind(&f, RSPG_ART_FULLCHAIN), 4);
    const rspg_artifact *c = find(&f, "B/TLS/CERT_TLS_BRP.fullchain.pem");
    assert_non_null(c);
    static const char *const b_chain[] = {"B/TLS/CERT_TLS_BRP.der", "SubCA/CERT_SUBCA_BRP.der",
                                          NULL};
    holds_exactly(&f, c, b_chain);                            /* leaf, SubCA; the root left out */
    assert_string_equal(c->key_path, "B/TLS/SK_TLS_BRP.pem"); /* the PEM SK_ file itself */
    assert_string_equal(c->expect, "valid");
    assert_null(find(&f, "B/TLS/SK_TLS_BRP.pem.pem"));
    /* a leaf issued by the root: the chain is the leaf alone */
    c = find(&f, "O/TLS/CERT_TLS_NIST.fullchain.pem");
    assert_non_null(c);
    static const char *const o_chain[] = {"O/TLS/CERT_TLS_NIST.pem", NULL};
    holds_exactly(&f, c, o_chain);
    /* its key is DER: a PEM copy beside it, secret, the same SEC 1 key */
    assert_string_equal(c->key_path, "O/TLS/SK_TLS_NIST.pem");
    const rspg_artifact *k = find(&f, "O/TLS/SK_TLS_NIST.pem"),
                        *kd = find(&f, "O/TLS/SK_TLS_NIST.der");
    assert_non_null(k);
    assert_non_null(kd);
    assert_int_equal(k->kind, RSPG_ART_PRIVATE_KEY);
    assert_true(k->secret);
    assert_true(k->pem);
    rspg_buf sec1;
    rspg_buf_init(&sec1);
    assert_int_equal(rspg_pem_decode(k->data.data, k->data.len, "EC PRIVATE KEY", &sec1), 0);
    assert_int_equal(sec1.len, kd->data.len);
    assert_memory_equal(sec1.data, kd->data.data, sec1.len);
    rspg_buf_free(&sec1);
    assert_string_equal(k->cert_path, "O/TLS/CERT_TLS_NIST.pem");
    /* an invalid TLS certificate: a chain all the same, with its expectation */
    c = find(&f, "O/Bad/CERT_TLS_NIST.fullchain.pem");
    assert_non_null(c);
    assert_string_equal(c->expect, "invalid");
    assert_string_equal(c->case_id, "dp-tls/invalid-signature");
    assert_string_equal(c->reason, "invalidCertificate");
    /* sorted and unique */
    for (size_t i = 1; i < f.r.n; i++)
        assert_true(strcmp(f.r.items[i - 1].path, f.r.items[i].path) < 0);
    done(&f);
    rspg_diag_fini(&d);
}

static void test_manifest_rows(void **state)
{
    (void)state;
    struct fixture f;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(build(&f, profile, &d), RSPG_OK);
    char *text = rspg_manifest_json(&f.r, f.p);
    json_t *m = json_loads(text, 0, NULL);
    assert_non_null(m);
    json_t *arts = json_object_get(m, "artifacts");
    int seen_bundle = 0, seen_chain = 0;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const char *path = json_string_value(json_object_get(a, "path"));
        const char *kind = json_string_value(json_object_get(a, "kind"));
        json_t *certs = json_object_get(a, "certificates");
        if (strcmp(path, "Bundles/CA_BUNDLE_B_NIST.pem") == 0) {
            seen_bundle = 1;
            assert_string_equal(kind, "ca-bundle");
            assert_string_equal(json_string_value(json_object_get(a, "format")), "pem");
            assert_string_equal(json_string_value(json_object_get(a, "role")), "ci");
            assert_string_equal(json_string_value(json_object_get(a, "variant")), "B");
            assert_int_equal(json_array_size(certs), 1);
            assert_null(json_object_get(a, "expect"));
        } else if (strcmp(path, "B/TLS/CERT_TLS_NIST.fullchain.pem") == 0) {
            seen_chain = 1;
            assert_string_equal(kind, "fullchain");
            assert_string_equal(json_string_value(json_object_get(a, "role")), "dp-tls");
            assert_string_equal(json_string_value(json_object_get(a, "key")),
                                "B/TLS/SK_TLS_NIST.pem");
            assert_int_equal(json_array_size(certs), 2);
            assert_string_equal(json_string_value(json_array_get(certs, 0)),
                                "B/TLS/CERT_TLS_NIST.der");
            assert_string_equal(json_string_value(json_object_get(a, "expect")), "valid");
        }
    }
    assert_true(seen_bundle && seen_chain);
    json_decref(m);
    free(text);
    done(&f);
    rspg_diag_fini(&d);
}

static X509 *x509_of(const rspg_buf *der)
{
    const unsigned char *p = der->data;
    X509 *x = d2i_X509(NULL, &p, (long)der->len);
    assert_non_null(x);
    return x;
}

/* OpenSSL builds leaf -> SubCA -> CI from the full chain and the bundle alone. */
static void test_openssl_verifies(void **state)
{
    (void)state;
    struct fixture f;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(build(&f, profile, &d), RSPG_OK);
    const rspg_artifact *chain = find(&f, "B/TLS/CERT_TLS_NIST.fullchain.pem");
    const rspg_artifact *bundle = find(&f, "Bundles/CA_BUNDLE_B_NIST.pem");
    assert_non_null(chain);
    assert_non_null(bundle);
    rspg_buf der;
    X509_STORE *store = X509_STORE_new();
    assert_true(pem_block(bundle, 0, &der));
    X509 *ci = x509_of(&der);
    rspg_buf_free(&der);
    X509_STORE_add_cert(store, ci);
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    assert_true(pem_block(chain, 0, &der));
    X509 *leaf = x509_of(&der);
    rspg_buf_free(&der);
    assert_true(pem_block(chain, 1, &der));
    sk_X509_push(untrusted, x509_of(&der));
    rspg_buf_free(&der);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, untrusted), 1);
    X509_STORE_CTX_set_time(ctx, 0, 1735776000); /* the clock + 1 day */
    int ok = X509_verify_cert(ctx);
    if (ok != 1)
        fail_msg("openssl: %s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    assert_int_equal(sk_X509_num(X509_STORE_CTX_get0_chain(ctx)), 3);
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(untrusted, X509_free);
    X509_free(leaf);
    X509_free(ci);
    X509_STORE_free(store);
    done(&f);
    rspg_diag_fini(&d);
}

/* A certificate file named like another TLS certificate's full chain: refused, located. */
static void test_name_clash(void **state)
{
    (void)state;
    char *text = rspg_xasprintf("%s  - id: clash\n"
                                "    role: ds-tls\n"
                                "    variant: O\n"
                                "    curves: [nist]\n"
                                "    issuer: ci\n"
                                "    subject: [{CN: tls.example.com}]\n"
                                "    serial: \"07\"\n" TLS_EXTS
                                "    output: {dir: O/Bad, cert: \"CERT_TLS_NIST.fullchain.pem\"}\n",
                                profile);
    struct fixture f;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(build(&f, text, &d), RSPG_E_PROFILE);
    assert_true(d.count >= 1);
    char *msg = rspg_diag_format(&d.entries[d.count - 1]);
    assert_non_null(strstr(msg, "both write 'O/Bad/CERT_TLS_NIST.fullchain.pem'"));
    assert_non_null(strstr(msg, "b.yaml:"));
    free(msg);
    done(&f);
    rspg_diag_fini(&d);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca_bundles),    cmocka_unit_test(test_fullchains),
        cmocka_unit_test(test_manifest_rows), cmocka_unit_test(test_openssl_verifies),
        cmocka_unit_test(test_name_clash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
