/*
 * test_build.c: the builder (src/lib/build.c), in memory.
 *
 * A small profile (CI -> EUM -> eUICC and CI -> DP TLS, on NIST and BRP) built with a
 * fixed clock: artifact paths, kinds, formats, the 0600 `secret` flag of private keys,
 * issuer/key/certificate links, serials and dates, and the manifest's fields; clock
 * sources; subject values checked against their string type after ${CURVE}/${VARIANT}. Then a
 * full profiles/sgp26.yaml build whose every certificate is checked with plain libcrypto,
 * independently of the project's verifier: d2i_X509, the issuer found through the
 * artifact's issuer_path (which the manifest must repeat), X509_verify under the
 * issuer's key, X509_NAME_cmp and X509_check_issued, AKI keyid == issuer SKI, walking up
 * to a self-signed root, then X509_verify_cert over the whole path (told to ignore the
 * EUMs' GSMA-style name constraints, which OpenSSL reports below every EUM); private keys
 * match their certificates. Then the filters
 * (--variant B, --curve nist, --only dp-tls), seeded builds (byte-identical with the
 * same seed, every key different with another), and key: {file: ...} (missing file,
 * key on the wrong curve, --key-dir and profile-folder look-up). Last, rspg_artifact_free
 * releases all an artifact owns and zeroes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "rspg/asn1/der.h"
#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

#define CLOCK_TEXT "2025-01-01T00:00:00Z"

/* %s: the key line of the dp-tls entity (line 51). */
static const char small_fmt[] =
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
    "    name: CI\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}, {O: RSPTEST}, {C: IT}]\n"
    "    serial: \"B874F3ABFA6C44D3\"\n"
    "    validity: {days: 12783}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "    output:\n"
    "      dir: CI\n"
    "      cert: [\"CERT_CI_SIG_${CURVE}.der\", \"CERT_CI_SIG_${CURVE}.pem\"]\n"
    "      key: \"SK_CI_SIG_${CURVE}.pem\"\n"
    "      pubkey: \"PK_CI_SIG_${CURVE}.pem\"\n"
    "  - id: eum\n"
    "    role: eum\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {CN: EUM Test}]\n"
    "    serial: \"0101\"\n"
    "    validity: {days: 12410}\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign]}\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"
    "    output: {dir: EUM, cert: \"CERT_EUM_SIG_${CURVE}.der\", key: "
    "\"SK_EUM_SIG_${CURVE}.pem\"}\n"
    "  - id: euicc\n"
    "    role: euicc\n"
    "    variant: O\n"
    "    issuer: eum\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {serialNumber: "
    "\"89049032123451234512345678901235\"}, "
    "{CN: Test eUICC}]\n"
    "    serial: \"89049032123451234512345678901235\"\n"
    "    validity: {not_after: 9999-12-31T23:59:59Z}\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "    output: {dir: eUICC, cert: \"CERT_EUICC_SIG_${CURVE}.der\", key: "
    "\"SK_EUICC_SIG_${CURVE}.pem\"}\n"
    "  - id: dp-tls\n"
    "%s"
    "    role: dp-tls\n"
    "    variant: O\n"
    "    name: SM-DP+\n"
    "    issuer: ci\n"
    "    subject: [{O: ACME}, {CN: testsmdpplus1.example.com}]\n"
    "    serial: {nist: \"09\", brp: \"0A\"}\n"
    "    validity: {not_before: 2024-01-01T00:00:00Z, days: 200}\n"
    "    extensions:\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - extended_key_usage: {critical: true, usage: [serverAuth, clientAuth]}\n"
    "      - subject_key_identifier: {}\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_alt_name: {names: [{dns: testsmdpplus1.example.com}, {rid: 2.999.10}]}\n"
    "    output: {dir: \"SM-DP+/${VARIANT}\", cert: \"CERT_S_SM_DP_TLS_${CURVE}.der\", "
    "key: \"SK_S_SM_DP_TLS_${CURVE}.pem\", pubkey: \"PK_S_SM_DP_TLS_${CURVE}.pem\"}\n"
    "    note: the TLS server\n";

static const uint8_t SEED_A[] = {0x00, 0x11, 0x22, 0x33};
static const uint8_t SEED_B[] = {0x00, 0x11, 0x22, 0x34};

/* ---- helpers ---- */

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

static rspg_profile *load_text(const char *text)
{
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_string(text, strlen(text), "t.yaml", &d, &p);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    return p;
}

static rspg_profile *load_small(const char *key_line)
{
    char *text = rspg_xasprintf(small_fmt, key_line ? key_line : "");
    rspg_profile *p = load_text(text);
    free(text);
    return p;
}

static rspg_profile *load_sgp26(void)
{
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_file(path, &d, &p);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    free(path);
    return p;
}

static int64_t clock_value(void)
{
    int64_t t = 0;
    assert_int_equal(rspg_parse_rfc3339(CLOCK_TEXT, &t), 0);
    return t;
}

static rspg_build_options base_options(void)
{
    rspg_build_options o;
    memset(&o, 0, sizeof(o));
    o.profile_dir = ".";
    o.has_clock = 1;
    o.clock = clock_value();
    o.nonce = RSPG_NONCE_RFC6979;
    return o;
}

static void build_ok(const rspg_profile *p, const rspg_build_options *o, rspg_build_result *r)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_build(p, o, &d, r);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.errors, 0);
    rspg_diag_fini(&d);
}

static const rspg_artifact *art(const rspg_build_result *r, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].path, path) == 0)
            return &r->items[i];
    return NULL;
}

static const rspg_artifact *art_ok(const rspg_build_result *r, const char *path)
{
    const rspg_artifact *a = art(r, path);
    if (a == NULL)
        fail_msg("no artifact '%s'", path);
    return a;
}

static X509 *parse_cert(const rspg_artifact *a)
{
    X509 *x = NULL;
    if (a->pem) {
        BIO *bio = BIO_new_mem_buf(a->data.data, (int)a->data.len);
        x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        BIO_free(bio);
    } else {
        const unsigned char *p = a->data.data;
        x = d2i_X509(NULL, &p, (long)a->data.len);
        /* the whole file is one certificate */
        if (x && p != a->data.data + a->data.len) {
            X509_free(x);
            x = NULL;
        }
    }
    if (x == NULL)
        fail_msg("%s: libcrypto cannot parse the certificate", a->path);
    return x;
}

static EVP_PKEY *parse_private_key(const rspg_artifact *a)
{
    BIO *bio = BIO_new_mem_buf(a->data.data, (int)a->data.len);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (k == NULL)
        fail_msg("%s: libcrypto cannot read the private key", a->path);
    return k;
}

/* Every certificate's issuer is in the result, and every key's certificate is. */
static void assert_closed(const rspg_build_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const rspg_artifact *a = &r->items[i];
        if (a->kind == RSPG_ART_CERT) {
            assert_non_null(a->issuer_path);
            if (art(r, a->issuer_path) == NULL)
                fail_msg("%s: its issuer %s is not in the build", a->path, a->issuer_path);
        }
        if (a->kind == RSPG_ART_CRL && (a->issuer_path == NULL || art(r, a->issuer_path) == NULL))
            fail_msg("%s: the CRL's issuer is not in the build", a->path);
        if (a->kind == RSPG_ART_PRIVATE_KEY || a->kind == RSPG_ART_PUBLIC_KEY) {
            assert_non_null(a->cert_path);
            assert_non_null(art(r, a->cert_path));
        }
    }
}

/* ---- the small profile ---- */

struct want_art {
    const char *path;
    rspg_artifact_kind kind;
    int pem, secret;
    const char *entity, *curve;
};

static void test_small_build(void **state)
{
    (void)state;
    rspg_profile *p = load_small(NULL);
    rspg_build_options o = base_options();
    o.seed = SEED_A;
    o.seed_len = sizeof(SEED_A);
    rspg_build_result r;
    build_ok(p, &o, &r);

    static const struct want_art want[] = {
        {"CI/CERT_CI_SIG_BRP.der", RSPG_ART_CERT, 0, 0, "ci", "brainpoolP256r1"},
        {"CI/CERT_CI_SIG_BRP.pem", RSPG_ART_CERT, 1, 0, "ci", "brainpoolP256r1"},
        {"CI/CERT_CI_SIG_NIST.der", RSPG_ART_CERT, 0, 0, "ci", "prime256v1"},
        {"CI/CERT_CI_SIG_NIST.pem", RSPG_ART_CERT, 1, 0, "ci", "prime256v1"},
        {"CI/PK_CI_SIG_BRP.pem", RSPG_ART_PUBLIC_KEY, 1, 0, "ci", "brainpoolP256r1"},
        {"CI/PK_CI_SIG_NIST.pem", RSPG_ART_PUBLIC_KEY, 1, 0, "ci", "prime256v1"},
        {"CI/SK_CI_SIG_BRP.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "ci", "brainpoolP256r1"},
        {"CI/SK_CI_SIG_NIST.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "ci", "prime256v1"},
        {"EUM/CERT_EUM_SIG_BRP.der", RSPG_ART_CERT, 0, 0, "eum", "brainpoolP256r1"},
        {"EUM/CERT_EUM_SIG_NIST.der", RSPG_ART_CERT, 0, 0, "eum", "prime256v1"},
        {"EUM/SK_EUM_SIG_BRP.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "eum", "brainpoolP256r1"},
        {"EUM/SK_EUM_SIG_NIST.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "eum", "prime256v1"},
        {"SM-DP+/O/CERT_S_SM_DP_TLS_BRP.der", RSPG_ART_CERT, 0, 0, "dp-tls", "brainpoolP256r1"},
        {"SM-DP+/O/CERT_S_SM_DP_TLS_NIST.der", RSPG_ART_CERT, 0, 0, "dp-tls", "prime256v1"},
        {"SM-DP+/O/PK_S_SM_DP_TLS_BRP.pem", RSPG_ART_PUBLIC_KEY, 1, 0, "dp-tls", "brainpoolP256r1"},
        {"SM-DP+/O/PK_S_SM_DP_TLS_NIST.pem", RSPG_ART_PUBLIC_KEY, 1, 0, "dp-tls", "prime256v1"},
        {"SM-DP+/O/SK_S_SM_DP_TLS_BRP.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "dp-tls",
         "brainpoolP256r1"},
        {"SM-DP+/O/SK_S_SM_DP_TLS_NIST.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "dp-tls", "prime256v1"},
        {"eUICC/CERT_EUICC_SIG_BRP.der", RSPG_ART_CERT, 0, 0, "euicc", "brainpoolP256r1"},
        {"eUICC/CERT_EUICC_SIG_NIST.der", RSPG_ART_CERT, 0, 0, "euicc", "prime256v1"},
        {"eUICC/SK_EUICC_SIG_BRP.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "euicc", "brainpoolP256r1"},
        {"eUICC/SK_EUICC_SIG_NIST.pem", RSPG_ART_PRIVATE_KEY, 1, 1, "euicc", "prime256v1"},
    };
    /* sorted by path, nothing else */
    assert_int_equal(r.n, sizeof(want) / sizeof(want[0]));
    assert_int_equal(r.n_certs, 10);
    for (size_t i = 0; i < r.n; i++) {
        const rspg_artifact *a = &r.items[i];
        assert_string_equal(a->path, want[i].path);
        assert_int_equal(a->kind, want[i].kind);
        assert_int_equal(a->pem, want[i].pem);
        assert_int_equal(a->secret, want[i].secret);
        assert_string_equal(a->entity->id, want[i].entity);
        assert_string_equal(a->curve, want[i].curve);
        assert_string_equal(a->variant, "O");
        assert_true(a->data.len > 0);
        if (a->kind == RSPG_ART_PRIVATE_KEY)
            assert_non_null(strstr((const char *)a->data.data, "-----BEGIN EC PARAMETERS-----\n"));
        if (a->kind == RSPG_ART_PUBLIC_KEY)
            assert_memory_equal(a->data.data, "-----BEGIN PUBLIC KEY-----\n", 27);
    }
    assert_int_equal(r.clock, clock_value());
    assert_string_equal(r.clock_source, "option");
    assert_true(r.seeded);
    assert_closed(&r);

    /* links, serials and dates */
    const rspg_artifact *ci = art_ok(&r, "CI/CERT_CI_SIG_NIST.pem");
    assert_string_equal(ci->issuer_path, "CI/CERT_CI_SIG_NIST.der"); /* a root names its DER self */
    assert_string_equal(ci->key_path, "CI/SK_CI_SIG_NIST.pem");
    assert_string_equal(ci->serial_hex, "00B874F3ABFA6C44D3"); /* DER pad for the top bit */
    assert_int_equal(ci->not_before, clock_value());
    assert_int_equal(ci->not_after, clock_value() + 12783LL * 86400);
    assert_string_equal(ci->expect, "valid");
    const rspg_artifact *eum = art_ok(&r, "EUM/CERT_EUM_SIG_BRP.der");
    assert_string_equal(eum->issuer_path, "CI/CERT_CI_SIG_BRP.der");
    assert_string_equal(eum->serial_hex, "0101");
    const rspg_artifact *euicc = art_ok(&r, "eUICC/CERT_EUICC_SIG_NIST.der");
    assert_string_equal(euicc->issuer_path, "EUM/CERT_EUM_SIG_NIST.der");
    assert_string_equal(euicc->serial_hex, "0089049032123451234512345678901235");
    int64_t end = 0;
    assert_int_equal(rspg_parse_rfc3339("9999-12-31T23:59:59Z", &end), 0);
    assert_int_equal(euicc->not_after, end);
    const rspg_artifact *tls = art_ok(&r, "SM-DP+/O/CERT_S_SM_DP_TLS_BRP.der");
    assert_string_equal(tls->issuer_path, "CI/CERT_CI_SIG_BRP.der");
    assert_string_equal(tls->key_path, "SM-DP+/O/SK_S_SM_DP_TLS_BRP.pem");
    assert_string_equal(tls->serial_hex, "0A");
    int64_t nb = 0;
    assert_int_equal(rspg_parse_rfc3339("2024-01-01T00:00:00Z", &nb), 0);
    assert_int_equal(tls->not_before, nb);
    assert_int_equal(tls->not_after, nb + 200LL * 86400);
    assert_string_equal(art_ok(&r, "SM-DP+/O/CERT_S_SM_DP_TLS_NIST.der")->serial_hex, "09");
    const rspg_artifact *sk = art_ok(&r, "SM-DP+/O/SK_S_SM_DP_TLS_NIST.pem");
    assert_string_equal(sk->cert_path, "SM-DP+/O/CERT_S_SM_DP_TLS_NIST.der");

    /* the PEM and DER certificates are the same; the private key fits the certificate */
    X509 *der = parse_cert(art_ok(&r, "CI/CERT_CI_SIG_NIST.der"));
    X509 *pem = parse_cert(ci);
    assert_int_equal(X509_cmp(der, pem), 0);
    EVP_PKEY *k = parse_private_key(art_ok(&r, "CI/SK_CI_SIG_NIST.pem"));
    assert_int_equal(X509_check_private_key(der, k), 1);
    EVP_PKEY_free(k);
    X509_free(der);
    X509_free(pem);
    /* the euicc's notAfter is GeneralizedTime 99991231235959Z (RFC 5280 §4.1.2.5) */
    X509 *e = parse_cert(euicc);
    const ASN1_TIME *na = X509_get0_notAfter(e);
    assert_int_equal(ASN1_STRING_type(na), V_ASN1_GENERALIZEDTIME);
    assert_memory_equal(ASN1_STRING_get0_data(na), "99991231235959Z", 15);
    assert_int_equal(ASN1_STRING_type(X509_get0_notBefore(e)), V_ASN1_UTCTIME);
    X509_free(e);

    /* the manifest repeats it all */
    char *text = rspg_manifest_json(&r, p);
    json_error_t jerr;
    json_t *m = json_loads(text, 0, &jerr);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "schema")), "rsp-pkigen/manifest/1");
    assert_string_equal(json_string_value(json_object_get(json_object_get(m, "profile"), "name")),
                        "small");
    json_t *clk = json_object_get(m, "clock");
    assert_string_equal(json_string_value(json_object_get(clk, "time")), CLOCK_TEXT);
    assert_string_equal(json_string_value(json_object_get(clk, "source")), "option");
    assert_string_equal(json_string_value(json_object_get(m, "keys")), "seeded");
    assert_string_equal(json_string_value(json_object_get(m, "signatures")), "rfc6979");
    json_t *arts = json_object_get(m, "artifacts");
    assert_int_equal(json_array_size(arts), r.n);
    json_t *t = json_array_get(arts, 13); /* SM-DP+/O/CERT_S_SM_DP_TLS_NIST.der */
    assert_string_equal(json_string_value(json_object_get(t, "path")), want[13].path);
    assert_string_equal(json_string_value(json_object_get(t, "kind")), "certificate");
    assert_string_equal(json_string_value(json_object_get(t, "format")), "der");
    assert_string_equal(json_string_value(json_object_get(t, "role")), "dp-tls");
    assert_string_equal(json_string_value(json_object_get(t, "name")), "SM-DP+");
    assert_string_equal(json_string_value(json_object_get(t, "entity")), "dp-tls");
    assert_string_equal(json_string_value(json_object_get(t, "variant")), "O");
    assert_string_equal(json_string_value(json_object_get(t, "curve")), "prime256v1");
    assert_string_equal(json_string_value(json_object_get(t, "issuer")), "CI/CERT_CI_SIG_NIST.der");
    assert_string_equal(json_string_value(json_object_get(t, "key")),
                        "SM-DP+/O/SK_S_SM_DP_TLS_NIST.pem");
    assert_string_equal(json_string_value(json_object_get(t, "serial")), "09");
    assert_string_equal(json_string_value(json_object_get(t, "not_before")),
                        "2024-01-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(t, "not_after")), "2024-07-19T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(t, "expect")), "valid");
    assert_string_equal(json_string_value(json_object_get(t, "note")), "the TLS server");
    json_t *ck = json_array_get(arts, 7); /* CI/SK_CI_SIG_NIST.pem */
    assert_string_equal(json_string_value(json_object_get(ck, "kind")), "private_key");
    assert_string_equal(json_string_value(json_object_get(ck, "name")), "CI");
    assert_string_equal(json_string_value(json_object_get(ck, "certificate")),
                        "CI/CERT_CI_SIG_NIST.der");
    assert_null(json_object_get(ck, "expect"));
    assert_null(json_object_get(ck, "issuer"));
    json_decref(m);
    free(text);

    rspg_build_result_free(&r);
    assert_int_equal(r.n, 0);
    rspg_profile_free(p);
}

static void test_clock_sources(void **state)
{
    (void)state;
    /* the profile's defaults.clock wins over SOURCE_DATE_EPOCH, an option over both */
    const char *text = "schema: rsp-pkigen/profile/1\n"
                       "curves: {nist: {curve: prime256v1}}\n"
                       "defaults: {curves: [nist], clock: 2024-07-16T09:52:05Z, validity_days: 1}\n"
                       "entities:\n"
                       "  - {id: ci, role: ci, variant: O, issuer: self, subject: [{CN: c}], "
                       "serial: \"01\", output: {cert: c.der}}\n";
    rspg_profile *p = load_text(text);
    rspg_build_options o = base_options();
    o.has_clock = 0;
    rspg_build_result r;
    build_ok(p, &o, &r);
    assert_string_equal(r.clock_source, "profile");
    int64_t t;
    assert_int_equal(rspg_parse_rfc3339("2024-07-16T09:52:05Z", &t), 0);
    assert_int_equal(r.clock, t);
    assert_int_equal(r.items[0].not_before, t);
    assert_int_equal(r.items[0].not_after, t + 86400);
    assert_false(r.seeded);
    rspg_build_result_free(&r);
    o.has_clock = 1;
    build_ok(p, &o, &r);
    assert_string_equal(r.clock_source, "option");
    assert_int_equal(r.items[0].not_before, clock_value());
    rspg_build_result_free(&r);
    rspg_profile_free(p);
}

/* Subject values with ${CURVE}/${VARIANT} are checked once substituted. */
static void build_fails_with(const char *text, const char *want)
{
    rspg_profile *p = load_text(text);
    rspg_build_options o = base_options();
    rspg_build_result r;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build(p, &o, &d, &r), RSPG_E_PROFILE);
    assert_int_equal(r.n, 0);
    char *m = rspg_diag_format(&d.entries[0]);
    assert_string_equal(m, want);
    free(m);
    rspg_diag_fini(&d);
    rspg_profile_free(p);
}

static void test_subject_checked_after_substitution(void **state)
{
    (void)state;
#define ONE_CI(curves, subject)                                                                    \
    "schema: rsp-pkigen/profile/1\n"                                                               \
    "curves: " curves "\n"                                                                         \
    "defaults: {validity_days: 1}\n"                                                               \
    "entities:\n"                                                                                  \
    "  - id: ci\n"                                                                                 \
    "    role: ci\n"                                                                               \
    "    variant: Ov3\n"                                                                           \
    "    curves: [nist]\n"                                                                         \
    "    issuer: self\n"                                                                           \
    "    serial: \"01\"\n"                                                                         \
    "    output: {cert: c.der}\n"                                                                  \
    "    subject: " subject "\n"
    build_fails_with(
        ONE_CI("{nist: {curve: prime256v1, suffix: NI_ST}}", "[{serialNumber: \"${CURVE}\"}]"),
        "t.yaml:12:30: character '_' is not allowed in a PrintableString (serialNumber)");
    build_fails_with(ONE_CI("{nist: {curve: prime256v1}}", "[{CN: x}, {C: \"${VARIANT}\"}]"),
                     "t.yaml:12:28: country (C) must be two letters, not 'Ov3'");
    build_fails_with(ONE_CI("{nist: {curve: prime256v1}}", "[{C: \"I$${T}\"}]"),
                     "t.yaml:12:19: character '$' is not allowed in a PrintableString (C)");
    /* a suffix that makes a good country is fine */
    rspg_profile *p =
        load_text(ONE_CI("{nist: {curve: prime256v1, suffix: IT}}", "[{C: \"${CURVE}\"}]"));
    rspg_build_options o = base_options();
    rspg_build_result r;
    build_ok(p, &o, &r);
    X509 *x = parse_cert(&r.items[0]);
    char buf[64];
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_countryName, buf, sizeof(buf));
    assert_string_equal(buf, "IT");
    X509_free(x);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
#undef ONE_CI
}

/* Output paths are checked once substituted (issue 14): a suffix or a file name that
 * leaves the output folder only after ${CURVE} is a located error. */
static void test_paths_checked_after_substitution(void **state)
{
    (void)state;
#define PATH_CI(suffix, output)                                                                    \
    "schema: rsp-pkigen/profile/1\n"                                                               \
    "curves: {nist: {curve: prime256v1, suffix: \"" suffix "\"}}\n"                                \
    "defaults: {validity_days: 1}\n"                                                               \
    "entities:\n"                                                                                  \
    "  - id: ci\n"                                                                                 \
    "    role: ci\n"                                                                               \
    "    variant: Ov3\n"                                                                           \
    "    curves: [nist]\n"                                                                         \
    "    issuer: self\n"                                                                           \
    "    serial: \"01\"\n"                                                                         \
    "    subject: [{CN: x}]\n"                                                                     \
    "    output: " output "\n"
    build_fails_with(PATH_CI(".", "{cert: \".${CURVE}/c.der\"}"),
                     "t.yaml:5:5: entity 'ci': output path '../c.der' has a '.' or '..' "
                     "component (it must stay inside the output folder)");
    build_fails_with(PATH_CI(".", "{dir: \"a/.${CURVE}\", cert: c.der}"),
                     "t.yaml:5:5: entity 'ci': output path 'a/../c.der' has a '.' or '..' "
                     "component (it must stay inside the output folder)");
    build_fails_with(PATH_CI("/x", "{cert: \"${CURVE}/c.der\"}"),
                     "t.yaml:5:5: entity 'ci': output path '/x/c.der' is absolute (it must "
                     "stay inside the output folder)");
    build_fails_with(PATH_CI("/", "{cert: \"a/${CURVE}c.der\"}"),
                     "t.yaml:5:5: entity 'ci': output path 'a//c.der' has an empty component "
                     "('//' or a trailing '/') (it must stay inside the output folder)");
#undef PATH_CI
}

/* ---- profiles/sgp26.yaml, checked with libcrypto alone ---- */

struct parsed {
    const rspg_artifact *a;
    X509 *x;
};

static struct parsed *find_parsed(struct parsed *v, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].a->path, path) == 0)
            return &v[i];
    return NULL;
}

static void check_link(const struct parsed *c, const struct parsed *i)
{
    const char *path = c->a->path;
    EVP_PKEY *ik = X509_get0_pubkey(i->x);
    if (ik == NULL)
        fail_msg("%s: the issuer %s has no usable public key", path, i->a->path);
    if (X509_verify(c->x, ik) != 1)
        fail_msg("%s: X509_verify under %s fails", path, i->a->path);
    if (X509_NAME_cmp(X509_get_issuer_name(c->x), X509_get_subject_name(i->x)) != 0)
        fail_msg("%s: issuer name is not the subject of %s", path, i->a->path);
    int why = X509_check_issued(i->x, c->x);
    if (why != X509_V_OK)
        fail_msg("%s: X509_check_issued(%s): %s", path, i->a->path,
                 X509_verify_cert_error_string(why));
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(i->x);
    if (ski == NULL)
        fail_msg("%s: the issuer %s has no subject key identifier", path, i->a->path);
    if (X509_cmp(c->x, i->x) != 0) { /* not a root (whose PEM names its DER self) */
        const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(c->x);
        if (aki == NULL)
            fail_msg("%s: no authority key identifier", path);
        if (ASN1_OCTET_STRING_cmp(aki, ski) != 0)
            fail_msg("%s: AKI keyid is not the SKI of %s", path, i->a->path);
    }
    /* SKI is SHA-1 of the public key (RFC 5280 method 1), as libcrypto computes it */
    const ASN1_OCTET_STRING *own = X509_get0_subject_key_id(c->x);
    if (own) {
        unsigned char md[20];
        unsigned int mdlen = 0;
        assert_int_equal(X509_pubkey_digest(c->x, EVP_sha1(), md, &mdlen), 1);
        if (ASN1_STRING_length(own) != 20 || memcmp(ASN1_STRING_get0_data(own), md, 20) != 0)
            fail_msg("%s: SKI is not SHA-1 of the public key", path);
    }
}

/* X509_verify_cert, told to ignore the GSMA name constraints: the EUM's nameConstraints
 * follow GSMA, not RFC 5280, semantics (docs/gsma-cert-rules.md §4), so OpenSSL reports
 * X509_V_ERR_PERMITTED_VIOLATION below every EUM; anything else is an error. */
static size_t nc_ignored;

static int ignore_gsma_name_constraints(int ok, X509_STORE_CTX *ctx)
{
    if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_PERMITTED_VIOLATION) {
        nc_ignored++;
        return 1;
    }
    return ok;
}

static void check_path(struct parsed *v, size_t n, struct parsed *c, int64_t at)
{
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    struct parsed *cur = c;
    for (int steps = 0; steps < 16; steps++) {
        struct parsed *iss = find_parsed(v, n, cur->a->issuer_path);
        if (X509_cmp(iss->x, cur->x) == 0) {
            assert_int_equal(X509_STORE_add_cert(store, iss->x), 1);
            break;
        }
        if (iss != c)
            sk_X509_push(untrusted, iss->x);
        cur = iss;
    }
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    assert_int_equal(X509_STORE_CTX_init(ctx, store, c->x, untrusted), 1);
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
    X509_STORE_CTX_set_verify_cb(ctx, ignore_gsma_name_constraints);
    size_t before = nc_ignored;
    if (X509_verify_cert(ctx) != 1)
        fail_msg("%s: X509_verify_cert: %s", c->a->path,
                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    /* only what an EUM issues (eUICCs, EUM SubCAs) is below its name constraints */
    rspg_role role = c->a->entity->role;
    if (nc_ignored != before && role != RSPG_ROLE_EUICC && role != RSPG_ROLE_EUM_SUBCA)
        fail_msg("%s: a name-constraint violation outside the EUM's subtree", c->a->path);
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    X509_STORE_free(store);
}

/* Checks every certificate of R that the build expects to be valid with libcrypto (the
 * deliberately invalid cases of a profile are only parsed); returns how many were checked. */
static size_t check_all_with_libcrypto(const rspg_build_result *r, json_t *manifest, int64_t at)
{
    struct parsed *v = calloc(r->n ? r->n : 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].kind == RSPG_ART_CERT) {
            v[n].a = &r->items[i];
            v[n].x = parse_cert(&r->items[i]);
            n++;
        }
    json_t *arts = json_object_get(manifest, "artifacts");
    assert_int_equal(json_array_size(arts), r->n);
    size_t mi = 0, checked = 0;
    for (size_t i = 0; i < n; i++) {
        struct parsed *c = &v[i];
        /* the manifest names the same issuer */
        json_t *ma = NULL;
        for (; mi < json_array_size(arts); mi++) {
            ma = json_array_get(arts, mi);
            if (strcmp(json_string_value(json_object_get(ma, "path")), c->a->path) == 0)
                break;
        }
        assert_true(mi < json_array_size(arts));
        const char *issuer = json_string_value(json_object_get(ma, "issuer"));
        assert_non_null(issuer);
        assert_string_equal(issuer, c->a->issuer_path);
        assert_string_equal(json_string_value(json_object_get(ma, "expect")), c->a->expect);
        if (strcmp(c->a->expect, "valid") != 0)
            continue;
        checked++;
        /* walk up to a self-signed root */
        struct parsed *cur = c;
        int steps;
        for (steps = 0; steps < 16; steps++) {
            struct parsed *iss = find_parsed(v, n, cur->a->issuer_path);
            if (iss == NULL)
                fail_msg("%s: issuer %s not built", cur->a->path, cur->a->issuer_path);
            assert_false(iss->a->pem); /* issuers are named by their DER file */
            check_link(cur, iss);
            if (strcmp(iss->a->path, cur->a->path) == 0 || X509_cmp(iss->x, cur->x) == 0)
                break;
            cur = iss;
        }
        if (steps == 16)
            fail_msg("%s: no self-signed root within 16 links", c->a->path);
        assert_true(X509_get_extension_flags(cur->x) & EXFLAG_SS);
        assert_int_equal(X509_check_issued(cur->x, cur->x), X509_V_OK);
        /* and the whole path, as a relying party would validate it */
        check_path(v, n, c, at);
        /* a PEM certificate is its DER twin */
        if (c->a->pem) {
            int found = 0;
            for (size_t j = 0; j < n && !found; j++)
                found = !v[j].a->pem && v[j].a->entity == c->a->entity &&
                        strcmp(v[j].a->curve, c->a->curve) == 0 && X509_cmp(v[j].x, c->x) == 0;
            if (!found)
                fail_msg("%s: no DER file holds the same certificate", c->a->path);
        }
    }
    /* private keys fit their certificates */
    for (size_t i = 0; i < r->n; i++) {
        const rspg_artifact *a = &r->items[i];
        if (a->kind != RSPG_ART_PRIVATE_KEY)
            continue;
        struct parsed *c = find_parsed(v, n, a->cert_path);
        assert_non_null(c);
        if (strcmp(c->a->expect, "valid") != 0)
            continue;
        EVP_PKEY *k = parse_private_key(a);
        if (X509_check_private_key(c->x, k) != 1)
            fail_msg("%s does not fit %s", a->path, a->cert_path);
        EVP_PKEY_free(k);
    }
    for (size_t i = 0; i < n; i++)
        X509_free(v[i].x);
    free(v);
    return checked;
}

static void test_sgp26_verifies_with_libcrypto(void **state)
{
    (void)state;
    rspg_profile *p = load_sgp26();
    rspg_build_options o = base_options();
    rspg_build_result r;
    build_ok(p, &o, &r);
    assert_true(r.n_certs > 100);
    assert_closed(&r);
    char *text = rspg_manifest_json(&r, p);
    json_error_t jerr;
    json_t *m = json_loads(text, 0, &jerr);
    assert_non_null(m);
    nc_ignored = 0;
    size_t n = check_all_with_libcrypto(&r, m, r.clock + 60);
    size_t valid = 0, invalid = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.items[i].kind == RSPG_ART_CERT) {
            if (strcmp(r.items[i].expect, "valid") == 0)
                valid++;
            else
                invalid++;
        }
    assert_int_equal(valid + invalid, r.n_certs);
    assert_int_equal(n, valid);
    assert_true(n > 100);
    print_message("sgp26: %zu valid certificates verified with libcrypto (%zu GSMA name-constraint "
                  "results ignored); %zu invalid cases parsed\n",
                  n, nc_ignored, invalid);
    assert_true(nc_ignored > 0);
    /* every role of the profile is built, on both curves */
    int roles[RSPG_ROLE_COUNT] = {0};
    size_t brp = 0;
    for (size_t i = 0; i < r.n; i++) {
        roles[r.items[i].entity->role] = 1;
        brp += strcmp(r.items[i].curve, "brainpoolP256r1") == 0;
    }
    for (int i = 0; i < RSPG_ROLE_COUNT; i++)
        if (!roles[i] && !rspg_role_is_cvc((rspg_role)i)) /* SGP.02: profiles/sgp02.yaml */
            fail_msg("no certificate of role %s", rspg_role_name((rspg_role)i));
    assert_true(brp > 0 && brp < r.n);
    json_decref(m);
    free(text);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
}

/* ---- filters ---- */

static int has_variant(const rspg_entity *e, const char *v)
{
    for (size_t i = 0; i < e->n_variants; i++)
        if (strcmp(e->variants[i], v) == 0)
            return 1;
    return 0;
}

static int has_entity(const rspg_build_result *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].entity->id, id) == 0)
            return 1;
    return 0;
}

static void test_filters(void **state)
{
    (void)state;
    rspg_profile *p = load_sgp26();
    rspg_build_result r;

    /* --variant B: B only, with the shared CI and CI SubCA that issue it */
    char *variant_b[] = {"B"};
    rspg_build_options o = base_options();
    o.variants = variant_b;
    o.n_variants = 1;
    build_ok(p, &o, &r);
    assert_closed(&r);
    assert_true(has_entity(&r, "abc-ci"));
    assert_true(has_entity(&r, "abc-ci-subca"));
    assert_true(has_entity(&r, "b-eum"));
    assert_true(has_entity(&r, "b-euicc"));
    assert_true(has_entity(&r, "b-dp-tls"));
    for (size_t i = 0; i < r.n; i++)
        if (!has_variant(r.items[i].entity, "B"))
            fail_msg("--variant B built %s (%s)", r.items[i].path, r.items[i].entity->id);
    assert_non_null(art(&r, "Valid Test Cases/Variants A_B_C/CI/CERT_CI_SIG_NIST.der"));
    assert_non_null(art(&r, "Valid Test Cases/Variants A_B_C/CI_subCA/CERT_CISubCA_SIG_BRP.der"));
    size_t n_b = r.n;
    rspg_build_result_free(&r);

    /* --curve nist (by key, suffix or OpenSSL name) */
    const char *names[] = {"nist", "NIST", "prime256v1"};
    size_t n_nist = 0;
    for (size_t k = 0; k < 3; k++) {
        char *curve[] = {(char *)names[k]};
        o = base_options();
        o.curves = curve;
        o.n_curves = 1;
        build_ok(p, &o, &r);
        assert_closed(&r);
        /* only NIST instances (an invalid case's key may be on another, non-BRP curve) */
        for (size_t i = 0; i < r.n; i++) {
            assert_null(strstr(r.items[i].path, "BRP"));
            assert_null(strstr(r.items[i].curve, "brainpool"));
        }
        if (k == 0)
            n_nist = r.n;
        else
            assert_int_equal(r.n, n_nist);
        rspg_build_result_free(&r);
    }
    assert_true(n_nist > 0);

    /* --only dp-tls: the TLS certificates and their issuers, nothing else */
    char *only[] = {"dp-tls"};
    o = base_options();
    o.roles = only;
    o.n_roles = 1;
    build_ok(p, &o, &r);
    assert_closed(&r);
    size_t tls = 0;
    for (size_t i = 0; i < r.n; i++) {
        rspg_role role = r.items[i].entity->role;
        if (role == RSPG_ROLE_DP_TLS)
            tls++;
        else if (role != RSPG_ROLE_CI && role != RSPG_ROLE_CI_SUBCA)
            fail_msg("--only dp-tls built %s (%s)", r.items[i].path, rspg_role_name(role));
    }
    assert_true(tls > 0);
    assert_true(r.n < n_b + n_nist);
    assert_non_null(
        art(&r, "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der"));
    assert_null(art(&r, "Valid Test Cases/Variant O/EUM/CERT_EUM_SIG_NIST.der"));
    rspg_build_result_free(&r);

    /* --only by entity id, combined with --variant and --curve */
    char *only_id[] = {"o-euicc"};
    char *brp[] = {"brp"};
    char *vo[] = {"O"};
    o = base_options();
    o.roles = only_id;
    o.n_roles = 1;
    o.curves = brp;
    o.n_curves = 1;
    o.variants = vo;
    o.n_variants = 1;
    build_ok(p, &o, &r);
    assert_closed(&r);
    assert_true(has_entity(&r, "o-euicc") && has_entity(&r, "o-eum") && has_entity(&r, "o-ci"));
    for (size_t i = 0; i < r.n; i++) {
        const char *id = r.items[i].entity->id;
        assert_true(strcmp(id, "o-euicc") == 0 || strcmp(id, "o-eum") == 0 ||
                    strcmp(id, "o-ci") == 0);
        assert_string_equal(r.items[i].curve, "brainpoolP256r1");
    }
    rspg_build_result_free(&r);

    /* filters that select nothing are a usage error */
    char *none[] = {"D"};
    o = base_options();
    o.variants = none;
    o.n_variants = 1;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build(p, &o, &d, &r), RSPG_E_USAGE);
    char *msg = rspg_diag_format(&d.entries[0]);
    assert_string_equal(msg, "the filters select no certificate of the profile");
    free(msg);
    assert_int_equal(r.n, 0);
    rspg_diag_fini(&d);
    rspg_profile_free(p);
}

/* ---- seeds ---- */

static void build_seeded(const rspg_profile *p, const uint8_t *seed, size_t len,
                         rspg_build_result *r)
{
    rspg_build_options o = base_options();
    o.seed = seed;
    o.seed_len = len;
    build_ok(p, &o, r);
}

static void test_seed(void **state)
{
    (void)state;
    rspg_profile *p = load_small(NULL);
    rspg_build_result a, b, c;
    build_seeded(p, SEED_A, sizeof(SEED_A), &a);
    build_seeded(p, SEED_A, sizeof(SEED_A), &b);
    build_seeded(p, SEED_B, sizeof(SEED_B), &c);
    assert_int_equal(a.n, b.n);
    assert_int_equal(a.n, c.n);
    for (size_t i = 0; i < a.n; i++) {
        /* same seed: byte-identical */
        assert_string_equal(a.items[i].path, b.items[i].path);
        assert_int_equal(a.items[i].data.len, b.items[i].data.len);
        assert_memory_equal(a.items[i].data.data, b.items[i].data.data, a.items[i].data.len);
        /* another seed: every key (and so every certificate) differs */
        assert_string_equal(a.items[i].path, c.items[i].path);
        if (a.items[i].data.len == c.items[i].data.len &&
            memcmp(a.items[i].data.data, c.items[i].data.data, a.items[i].data.len) == 0)
            fail_msg("%s is the same under another seed", a.items[i].path);
    }
    char *ma = rspg_manifest_json(&a, p), *mb = rspg_manifest_json(&b, p);
    assert_string_equal(ma, mb);
    free(ma);
    free(mb);
    /* a seeded key is still a valid key for its certificate */
    X509 *x = parse_cert(art_ok(&c, "eUICC/CERT_EUICC_SIG_BRP.der"));
    EVP_PKEY *k = parse_private_key(art_ok(&c, "eUICC/SK_EUICC_SIG_BRP.pem"));
    assert_int_equal(X509_check_private_key(x, k), 1);
    EVP_PKEY_free(k);
    X509_free(x);
    rspg_build_result_free(&a);
    rspg_build_result_free(&b);
    rspg_build_result_free(&c);
    rspg_profile_free(p);
}

/* ---- key: {file: ...} ---- */

/* Writes the seeded dp-tls keys of the small profile into DIR as K_NIST.pem and K_BRP.pem;
 * returns the SPKI-carrying public key PEMs in PUB (2 strings). */
static void write_keys(const char *dir, rspg_buf pub[2])
{
    rspg_profile *p = load_small(NULL);
    rspg_build_result r;
    build_seeded(p, SEED_B, sizeof(SEED_B), &r);
    static const char *const sfx[2] = {"NIST", "BRP"};
    for (int i = 0; i < 2; i++) {
        char *sk = rspg_xasprintf("SM-DP+/O/SK_S_SM_DP_TLS_%s.pem", sfx[i]);
        char *pk = rspg_xasprintf("SM-DP+/O/PK_S_SM_DP_TLS_%s.pem", sfx[i]);
        char *file = rspg_xasprintf("%s/K_%s.pem", dir, sfx[i]);
        const rspg_artifact *a = art_ok(&r, sk);
        assert_int_equal(tu_write_file(file, a->data.data, a->data.len), 0);
        rspg_buf_init(&pub[i]);
        rspg_buf_append(&pub[i], art_ok(&r, pk)->data.data, art_ok(&r, pk)->data.len);
        free(sk);
        free(pk);
        free(file);
    }
    rspg_build_result_free(&r);
    rspg_profile_free(p);
}

static void test_key_files(void **state)
{
    (void)state;
    char *dir = tu_scratch();
    assert_non_null(dir);
    rspg_buf pub[2];
    write_keys(dir, pub);

    /* --key-dir: relative names are looked up there, not next to the profile */
    rspg_profile *p = load_small("    key: {file: \"K_${CURVE}.pem\"}\n");
    rspg_build_options o = base_options();
    o.profile_dir = "/nonexistent";
    o.key_dir = dir;
    rspg_build_result r;
    build_ok(p, &o, &r);
    assert_int_equal(art_ok(&r, "SM-DP+/O/PK_S_SM_DP_TLS_NIST.pem")->data.len, pub[0].len);
    assert_memory_equal(art_ok(&r, "SM-DP+/O/PK_S_SM_DP_TLS_NIST.pem")->data.data, pub[0].data,
                        pub[0].len);
    assert_memory_equal(art_ok(&r, "SM-DP+/O/PK_S_SM_DP_TLS_BRP.pem")->data.data, pub[1].data,
                        pub[1].len);
    rspg_build_result_free(&r);

    /* without --key-dir: next to the profile */
    o.key_dir = NULL;
    o.profile_dir = dir;
    build_ok(p, &o, &r);
    assert_memory_equal(art_ok(&r, "SM-DP+/O/PK_S_SM_DP_TLS_BRP.pem")->data.data, pub[1].data,
                        pub[1].len);
    rspg_build_result_free(&r);

    /* a missing file: the reason, then where the profile asked for it */
    o.key_dir = "/nonexistent/keys";
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build(p, &o, &d, &r), RSPG_E_PROFILE);
    assert_int_equal(r.n, 0);
    assert_int_equal(d.count, 2);
    char *m0 = rspg_diag_format(&d.entries[0]), *m1 = rspg_diag_format(&d.entries[1]);
    assert_string_equal(m0, "/nonexistent/keys/K_NIST.pem: cannot read the key file: "
                            "No such file or directory");
    assert_int_equal(d.entries[1].severity, RSPG_SEV_NOTE);
    assert_string_equal(m1, "t.yaml:51:10: the key of entity 'dp-tls' is read from "
                            "'/nonexistent/keys/K_NIST.pem'");
    free(m0);
    free(m1);
    rspg_diag_fini(&d);
    rspg_profile_free(p);

    /* a key on the wrong curve */
    p = load_small("    key: {file: K_BRP.pem}\n");
    o.key_dir = dir;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build(p, &o, &d, &r), RSPG_E_PROFILE);
    m0 = rspg_diag_format(&d.entries[0]);
    char *want = rspg_xasprintf("t.yaml:51:10: %s/K_BRP.pem: the key is on brainpoolP256r1, but "
                                "'dp-tls' on 'nist' needs prime256v1",
                                dir);
    assert_string_equal(m0, want);
    free(want);
    free(m0);
    rspg_diag_fini(&d);
    rspg_profile_free(p);

    /* a file that holds no key */
    char *junk = rspg_xasprintf("%s/K_NIST.pem", dir);
    assert_int_equal(tu_write_file(junk, "not a key\n", 10), 0);
    free(junk);
    p = load_small("    key: {file: \"K_${CURVE}.pem\"}\n");
    rspg_diag_init(&d);
    assert_int_equal(rspg_build(p, &o, &d, &r), RSPG_E_PROFILE);
    assert_true(d.errors >= 1);
    rspg_diag_fini(&d);
    rspg_profile_free(p);

    rspg_buf_free(&pub[0]);
    rspg_buf_free(&pub[1]);
    tu_rmtree(dir);
    free(dir);
}

static void test_key_from(void **state)
{
    (void)state;
    /* key: {from: eum}: the TLS certificate carries the EUM's key on each curve */
    rspg_profile *p = load_small("    key: {from: eum}\n");
    rspg_build_options o = base_options();
    rspg_build_result r;
    build_ok(p, &o, &r);
    for (int i = 0; i < 2; i++) {
        const char *eum = i ? "EUM/CERT_EUM_SIG_BRP.der" : "EUM/CERT_EUM_SIG_NIST.der";
        const char *tls =
            i ? "SM-DP+/O/CERT_S_SM_DP_TLS_BRP.der" : "SM-DP+/O/CERT_S_SM_DP_TLS_NIST.der";
        X509 *a = parse_cert(art_ok(&r, eum)), *b = parse_cert(art_ok(&r, tls));
        assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(a), X509_get0_pubkey(b)), 1);
        X509_free(a);
        X509_free(b);
    }
    rspg_build_result_free(&r);
    rspg_profile_free(p);
}

/* rspg_artifact_free: every string and list the artifact owns is released (ASan and the
 * leak checker see it) and the artifact is left zeroed; a second free is harmless. */
static void test_artifact_free(void **state)
{
    (void)state;
    rspg_build_result r = {0};
    rspg_artifact *a = rspg_build_result_add(&r, RSPG_ART_PRIVATE_KEY, rspg_xstrdup("k/SK_X.pem"));
    a->secret = 1;
    rspg_buf_puts(&a->data, "-----BEGIN EC PRIVATE KEY-----");
    a->variant = rspg_xstrdup("O");
    a->issuer_path = rspg_xstrdup("ci.der");
    a->key_path = rspg_xstrdup("k/SK_X.pem");
    a->cert_path = rspg_xstrdup("x.der");
    a->serial_hex = rspg_xstrdup("01");
    a->expect = rspg_xstrdup("valid");
    a->twin_path = rspg_xstrdup("y.der");
    a->key_origin = rspg_xstrdup("keys/x.pem");
    a->revoked = rspg_xcalloc(2, sizeof(char *));
    a->revoked[a->n_revoked++] = rspg_xstrdup("02");
    a->revoked[a->n_revoked++] = rspg_xstrdup("03");
    a->members = rspg_xcalloc(1, sizeof(char *));
    a->members[a->n_members++] = rspg_xstrdup("x.der");
    rspg_artifact_free(a);
    rspg_artifact zero;
    memset(&zero, 0, sizeof(zero));
    assert_memory_equal(a, &zero, sizeof(zero));
    rspg_artifact_free(a);
    rspg_build_result_free(&r);
    assert_null(r.items);
    assert_int_equal(r.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_build),
        cmocka_unit_test(test_clock_sources),
        cmocka_unit_test(test_subject_checked_after_substitution),
        cmocka_unit_test(test_paths_checked_after_substitution),
        cmocka_unit_test(test_sgp26_verifies_with_libcrypto),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_key_from),
        cmocka_unit_test(test_artifact_free),
    };
    return cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown);
}
