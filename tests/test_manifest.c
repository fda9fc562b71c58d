/*
 * test_manifest.c: manifest.json (src/lib/manifest.c, docs/manifest.md).
 *
 * A small build (CI -> EUM -> eUICC, CI -> DP TLS, NIST and BRP) is written to disk with
 * its manifest; the manifest is valid JSON with schema rsp-pkigen/manifest/1, the
 * generator, profile, clock, keys and signatures; artifacts are sorted by path; every
 * certificate has path, kind, format, role, name, entity, variant, curve, issuer, key,
 * serial, not_before and not_after (RFC 3339), sha256 (which matches the file on disk)
 * and expect, in the documented order; keys name their certificate; links point at
 * artifacts of the right kind. Also: equal builds give equal bytes; a shared CI lists its
 * variants; text is escaped (and ASCII only); random keys and nonces are recorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

static const char small[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: small\n"
    "description: \"CI, EUM, eUICC and \\\"DP TLS\\\"\\n\\u00e9t\\u00e9\"\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "  brp: {curve: brainpoolP256r1, suffix: BRP}\n"
    "defaults: {curves: [nist, brp], validity_days: 365}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: [A, B, C]\n"
    "    name: CI\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}, {C: IT}]\n"
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
    "    variant: A\n"
    "    issuer: ci\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {CN: EUM Test}]\n"
    "    serial: \"0101\"\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign]}\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"
    "    output: {dir: \"Variant ${VARIANT}/EUM\", cert: \"CERT_EUM_SIG_${CURVE}.der\"}\n"
    "  - id: euicc\n"
    "    role: euicc\n"
    "    variant: A\n"
    "    name: eUICC\n"
    "    issuer: eum\n"
    "    subject: [{O: RSP Test EUM}, {CN: Test eUICC}]\n"
    "    serial: \"89049032123451234512345678901235\"\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "    output: {dir: \"Variant ${VARIANT}/eUICC\", cert: \"CERT_EUICC_SIG_${CURVE}.der\", "
    "key: \"SK_EUICC_SIG_${CURVE}.pem\"}\n"
    "  - id: dp-tls\n"
    "    role: dp-tls\n"
    "    variant: A\n"
    "    name: SM-DP+\n"
    "    curves: [nist]\n"
    "    issuer: ci\n"
    "    subject: [{CN: testsmdpplus1.example.com}]\n"
    "    serial: \"09\"\n"
    "    validity: {not_before: 2024-01-01T00:00:00Z, not_after: 2060-01-01T00:00:00Z}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - authority_key_identifier: {}\n"
    "    output: {dir: \"Variant ${VARIANT}/SM-DP+\", cert: \"CERT_S_SM_DP_TLS_${CURVE}.pem\", "
    "key: \"SK_S_SM_DP_TLS_${CURVE}.der\", pubkey: \"PK_S_SM_DP_TLS_${CURVE}.der\"}\n"
    "    note: \"tab\\there, quote \\\" and backslash \\\\\"\n";

#define CLOCK_TEXT "2025-01-01T00:00:00Z"
static const uint8_t SEED[] = {0x00, 0x11, 0x22, 0x33};

struct fixture {
    rspg_profile *p;
    rspg_build_result r;
    char *text; /* the manifest */
    json_t *m;
};

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *msg = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", msg);
        free(msg);
    }
}

static void build(struct fixture *f, int seeded, rspg_nonce nonce)
{
    rspg_diag d;
    rspg_diag_init(&d);
    memset(f, 0, sizeof(*f));
    rspg_status rc = rspg_profile_load_string(small, strlen(small), "t.yaml", &d, &f->p);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_build_options o;
    memset(&o, 0, sizeof(o));
    o.profile_dir = ".";
    o.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339(CLOCK_TEXT, &o.clock), 0);
    o.nonce = nonce;
    if (seeded) {
        o.seed = SEED;
        o.seed_len = sizeof(SEED);
    }
    rc = rspg_build(f->p, &o, &d, &f->r);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    f->text = rspg_manifest_json(&f->r, f->p);
    assert_non_null(f->text);
    json_error_t err;
    f->m = json_loads(f->text, JSON_REJECT_DUPLICATES, &err);
    if (f->m == NULL)
        fail_msg("the manifest is not JSON: %d:%d: %s", err.line, err.column, err.text);
}

static void done(struct fixture *f)
{
    json_decref(f->m);
    free(f->text);
    rspg_build_result_free(&f->r);
    rspg_profile_free(f->p);
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL || !json_is_string(v))
        fail_msg("no string '%s' in %s", key, json_dumps(o, JSON_COMPACT));
    return json_string_value(v);
}

static json_t *by_path(json_t *arts, const char *path)
{
    for (size_t i = 0; i < json_array_size(arts); i++)
        if (strcmp(str(json_array_get(arts, i), "path"), path) == 0)
            return json_array_get(arts, i);
    return NULL;
}

static int is_rfc3339(const char *s)
{
    /* YYYY-MM-DDTHH:MM:SSZ */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != strlen(shape))
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return 0;
    int64_t t;
    return rspg_parse_rfc3339(s, &t) == 0;
}

static int is_hex(const char *s, int lower)
{
    if (*s == '\0' || strlen(s) % 2)
        return 0;
    for (; *s; s++)
        if (!isxdigit((unsigned char)*s) ||
            (lower ? isupper((unsigned char)*s) : islower((unsigned char)*s)))
            return 0;
    return 1;
}

static void test_top_level(void **state)
{
    (void)state;
    struct fixture f;
    build(&f, 1, RSPG_NONCE_RFC6979);
    json_t *m = f.m;
    assert_true(json_is_object(m));
    assert_string_equal(str(m, "schema"), "rsp-pkigen/manifest/1");
    assert_string_equal(str(m, "schema"), RSPG_MANIFEST_SCHEMA);
    json_t *gen = json_object_get(m, "generator");
    assert_string_equal(str(gen, "name"), "rsp-pkigen");
    assert_string_equal(str(gen, "version"), RSPG_VERSION);
    json_t *prof = json_object_get(m, "profile");
    assert_string_equal(str(prof, "name"), "small");
    assert_string_equal(str(prof, "description"),
                        "CI, EUM, eUICC and \"DP TLS\"\n\xc3\xa9t\xc3\xa9");
    json_t *clk = json_object_get(m, "clock");
    assert_string_equal(str(clk, "time"), CLOCK_TEXT);
    assert_string_equal(str(clk, "source"), "option");
    assert_string_equal(str(m, "keys"), "seeded");
    assert_string_equal(str(m, "signatures"), "rfc6979");
    assert_true(json_is_array(json_object_get(m, "artifacts")));
    /* keys in the documented order */
    static const char *const order[] = {"schema", "generator",  "profile",  "clock",
                                        "keys",   "signatures", "artifacts"};
    size_t i = 0;
    for (void *it = json_object_iter(m); it; it = json_object_iter_next(m, it), i++)
        assert_string_equal(json_object_iter_key(it), order[i]);
    assert_int_equal(i, 7);
    /* escaped, ASCII only, ends with a newline */
    for (const unsigned char *p = (const unsigned char *)f.text; *p; p++)
        assert_true(*p < 0x80);
    assert_non_null(strstr(f.text, "\\u00E9t\\u00E9"));
    assert_int_equal(f.text[strlen(f.text) - 1], '\n');
    done(&f);

    build(&f, 0, RSPG_NONCE_RANDOM);
    assert_string_equal(str(f.m, "keys"), "random");
    assert_string_equal(str(f.m, "signatures"), "random");
    done(&f);
}

static void test_artifacts(void **state)
{
    (void)state;
    struct fixture f;
    build(&f, 1, RSPG_NONCE_RFC6979);
    json_t *arts = json_object_get(f.m, "artifacts");
    assert_int_equal(json_array_size(arts), f.r.n);
    /* CI: 2 curves x (der, pem, sk, pk); EUM: 2; eUICC: 2 x 2; TLS: pem, sk, pk */
    assert_int_equal(f.r.n, 8 + 2 + 4 + 3);
    static const char *const cert_keys[] = {
        "path",       "kind",      "format", "role",   "name",       "entity",
        "variant",    "curve",     "issuer", "key",    "key_source", "serial",
        "not_before", "not_after", "sha256", "expect", NULL};
    static const char *const key_keys[] = {"path",        "kind",   "format",  "role",
                                           "name",        "entity", "variant", "curve",
                                           "certificate", "sha256", NULL};
    const char *prev = "";
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const rspg_artifact *ra = &f.r.items[i];
        const char *path = str(a, "path");
        assert_string_equal(path, ra->path);
        assert_true(strcmp(prev, path) < 0); /* sorted, unique */
        prev = path;
        const char *kind = str(a, "kind");
        assert_string_equal(kind, rspg_artifact_kind_name(ra->kind));
        int cert = strcmp(kind, "certificate") == 0;
        assert_true(cert || strcmp(kind, "private_key") == 0 || strcmp(kind, "public_key") == 0);
        /* every required field, in order; optional ones may come in between */
        static const char *const optional[] = {"variants", "trust_anchor", "case", "reason",
                                               "twin",     "beyond_sgp26", "note", NULL};
        const char *const *want = cert ? cert_keys : key_keys;
        size_t k = 0;
        for (void *it = json_object_iter(a); it; it = json_object_iter_next(a, it)) {
            const char *key = json_object_iter_key(it);
            int opt = 0;
            for (size_t j = 0; optional[j]; j++)
                opt |= strcmp(key, optional[j]) == 0;
            if (opt)
                continue;
            if (cert && strcmp(key, "key") == 0 && ra->key_path == NULL)
                fail_msg("%s: a key field without a key", path);
            if (cert && want[k] && strcmp(want[k], "key") == 0 && ra->key_path == NULL)
                k++; /* no key written for this certificate */
            if (want[k] == NULL || strcmp(key, want[k]) != 0)
                fail_msg("%s: field '%s' where '%s' was expected", path, key,
                         want[k] ? want[k] : "(end)");
            k++;
        }
        assert_null(want[k]);
        /* values */
        const char *fmt = str(a, "format");
        size_t n = strlen(path);
        assert_string_equal(fmt, strcmp(path + n - 4, ".pem") == 0 ? "pem" : "der");
        assert_string_equal(str(a, "role"), rspg_role_name(ra->entity->role));
        assert_string_equal(str(a, "name"), ra->entity->name ? ra->entity->name : ra->entity->id);
        assert_string_equal(str(a, "entity"), ra->entity->id);
        assert_string_equal(str(a, "curve"), ra->curve);
        assert_true(is_hex(str(a, "sha256"), 1));
        assert_int_equal(strlen(str(a, "sha256")), 64);
        if (cert) {
            json_t *iss = by_path(arts, str(a, "issuer"));
            assert_non_null(iss);
            assert_string_equal(str(iss, "kind"), "certificate");
            if (ra->key_path) {
                json_t *key = by_path(arts, str(a, "key"));
                assert_non_null(key);
                assert_string_equal(str(key, "kind"), "private_key");
            }
            assert_true(is_hex(str(a, "serial"), 0));
            assert_string_equal(str(a, "serial"), ra->serial_hex);
            assert_true(is_rfc3339(str(a, "not_before")));
            assert_true(is_rfc3339(str(a, "not_after")));
            int64_t nb, na;
            assert_int_equal(rspg_parse_rfc3339(str(a, "not_before"), &nb), 0);
            assert_int_equal(rspg_parse_rfc3339(str(a, "not_after"), &na), 0);
            assert_int_equal(nb, ra->not_before);
            assert_int_equal(na, ra->not_after);
            assert_true(nb < na);
            assert_string_equal(str(a, "expect"), "valid");
        } else {
            json_t *c = by_path(arts, str(a, "certificate"));
            assert_non_null(c);
            assert_string_equal(str(c, "kind"), "certificate");
            assert_string_equal(str(c, "entity"), ra->entity->id);
            assert_string_equal(str(c, "curve"), ra->curve);
        }
    }

    /* spot checks */
    json_t *ci = by_path(arts, "CI/CERT_CI_SIG_BRP.pem");
    assert_string_equal(str(ci, "issuer"), "CI/CERT_CI_SIG_BRP.der");
    assert_string_equal(str(ci, "serial"), "00B874F3ABFA6C44D3");
    assert_string_equal(str(ci, "not_before"), CLOCK_TEXT);
    assert_string_equal(str(ci, "not_after"), "2060-01-01T00:00:00Z");
    assert_string_equal(str(ci, "variant"), "A");
    assert_true(json_is_true(json_object_get(ci, "trust_anchor"))); /* a self-signed root */
    json_t *vs = json_object_get(ci, "variants");
    assert_int_equal(json_array_size(vs), 3);
    assert_string_equal(json_string_value(json_array_get(vs, 2)), "C");
    json_t *eum = by_path(arts, "Variant A/EUM/CERT_EUM_SIG_NIST.der");
    assert_non_null(eum);
    assert_null(json_object_get(eum, "key")); /* the profile writes no EUM key */
    assert_null(json_object_get(eum, "variants"));
    assert_null(json_object_get(eum, "trust_anchor"));
    assert_string_equal(str(eum, "name"), "eum"); /* the id when there is no name */
    assert_string_equal(str(eum, "not_after"), "2026-01-01T00:00:00Z");
    json_t *euicc = by_path(arts, "Variant A/eUICC/CERT_EUICC_SIG_NIST.der");
    assert_string_equal(str(euicc, "serial"), "0089049032123451234512345678901235");
    assert_string_equal(str(euicc, "issuer"), "Variant A/EUM/CERT_EUM_SIG_NIST.der");
    json_t *tls = by_path(arts, "Variant A/SM-DP+/CERT_S_SM_DP_TLS_NIST.pem");
    assert_string_equal(str(tls, "format"), "pem");
    assert_string_equal(str(tls, "note"), "tab\there, quote \" and backslash \\");
    assert_string_equal(str(tls, "not_before"), "2024-01-01T00:00:00Z");
    assert_string_equal(str(tls, "not_after"), "2060-01-01T00:00:00Z");
    json_t *sk = by_path(arts, "Variant A/SM-DP+/SK_S_SM_DP_TLS_NIST.der");
    assert_string_equal(str(sk, "format"), "der");
    assert_string_equal(str(sk, "certificate"), "Variant A/SM-DP+/CERT_S_SM_DP_TLS_NIST.pem");
    assert_string_equal(str(sk, "note"), "tab\there, quote \" and backslash \\");
    done(&f);
}

static void test_sha256_matches_files(void **state)
{
    (void)state;
    struct fixture f;
    build(&f, 1, RSPG_NONCE_RFC6979);
    char *tmp = tu_scratch();
    char *dest = rspg_xasprintf("%s/out", tmp);
    rspg_output_options o = {0, f.text};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_write(dest, &f.r, &o, &d), RSPG_OK);
    rspg_diag_fini(&d);
    /* read the manifest back from disk */
    char *mpath = rspg_xasprintf("%s/manifest.json", dest);
    json_error_t err;
    json_t *m = json_load_file(mpath, 0, &err);
    assert_non_null(m);
    json_t *arts = json_object_get(m, "artifacts");
    assert_int_equal(json_array_size(arts), f.r.n);
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        char *p = rspg_xasprintf("%s/%s", dest, str(a, "path"));
        rspg_buf b;
        rspg_buf_init(&b);
        assert_int_equal(tu_read_file(p, &b), 0);
        uint8_t h[SHA256_DIGEST_LENGTH];
        SHA256(b.data, b.len, h);
        char hex[2 * SHA256_DIGEST_LENGTH + 1];
        for (size_t j = 0; j < sizeof(h); j++)
            snprintf(hex + 2 * j, 3, "%02x", h[j]);
        if (strcmp(hex, str(a, "sha256")) != 0)
            fail_msg("%s: sha256 %s in the manifest, %s on disk", str(a, "path"), str(a, "sha256"),
                     hex);
        rspg_buf_free(&b);
        free(p);
    }
    json_decref(m);
    free(mpath);
    tu_rmtree(tmp);
    free(dest);
    free(tmp);
    done(&f);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct fixture a, b;
    build(&a, 1, RSPG_NONCE_RFC6979);
    build(&b, 1, RSPG_NONCE_RFC6979);
    assert_string_equal(a.text, b.text);
    done(&a);
    done(&b);
    /* random keys: the same shape, other hashes */
    build(&a, 0, RSPG_NONCE_RFC6979);
    build(&b, 0, RSPG_NONCE_RFC6979);
    assert_string_not_equal(a.text, b.text);
    assert_int_equal(json_array_size(json_object_get(a.m, "artifacts")),
                     json_array_size(json_object_get(b.m, "artifacts")));
    done(&a);
    done(&b);
}

/* issue 17: the build's provenance ("build") and where each certificate's key lives. */
static void test_provenance(void **state)
{
    (void)state;
    struct fixture f;
    build(&f, 1, RSPG_NONCE_RFC6979);
    const char *vars[] = {"a=1", "b=two"};
    const char *sets[] = {"ci.key={pkcs11: \"pkcs11:object=ci?pin-value=1234&module-path=/m.so\"}"};
    char *only[] = {"dp-tls"};
    rspg_build_options bo;
    memset(&bo, 0, sizeof(bo));
    bo.key_dir = "keys";
    bo.roles = only;
    bo.n_roles = 1;
    bo.seed = SEED;
    bo.seed_len = sizeof(SEED);
    rspg_manifest_provenance prov = {"profiles/small.yaml", vars, 2, sets, 1, &bo};
    char *text = rspg_manifest_json_ex(&f.r, f.p, &prov);
    json_t *m = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    assert_non_null(m);
    json_t *b = json_object_get(m, "build");
    assert_string_equal(str(b, "profile"), "profiles/small.yaml");
    assert_string_equal(str(b, "clock"), CLOCK_TEXT);
    assert_string_equal(str(b, "clock_source"), "option");
    assert_string_equal(json_string_value(json_array_get(json_object_get(b, "vars"), 1)), "b=two");
    /* a PIN given in a --set is not recorded */
    assert_string_equal(json_string_value(json_array_get(json_object_get(b, "sets"), 0)),
                        "ci.key={pkcs11: \"pkcs11:object=ci?module-path=/m.so\"}");
    assert_string_equal(str(b, "key_dir"), "keys");
    assert_string_equal(json_string_value(json_array_get(json_object_get(b, "only"), 0)), "dp-tls");
    assert_int_equal(json_array_size(json_object_get(b, "curve")), 0);
    assert_int_equal(json_array_size(json_object_get(b, "variant")), 0);
    char *hex = rspg_hex(SEED, sizeof(SEED));
    assert_string_equal(str(b, "seed"), hex);
    free(hex);
    /* a profile loaded from a string names a file that cannot be digested */
    json_t *files = json_object_get(b, "files");
    assert_int_equal(json_array_size(files), 1);
    assert_string_equal(str(json_array_get(files, 0), "path"), "t.yaml");
    assert_null(json_object_get(json_array_get(files, 0), "sha256"));
    /* "build" comes after the header, before the artifacts */
    void *it = json_object_iter_at(m, "build");
    assert_string_equal(json_object_iter_key(json_object_iter_next(m, it)), "artifacts");
    /* every certificate of the small build has a generated key */
    json_t *arts = json_object_get(m, "artifacts");
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        json_t *ks = json_object_get(a, "key_source");
        if (strcmp(str(a, "kind"), "certificate") == 0)
            assert_string_equal(str(ks, "source"), "generated");
        else
            assert_null(ks);
    }
    json_decref(m);
    free(text);
    /* without provenance: no "build" */
    assert_null(json_object_get(f.m, "build"));
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_artifacts),
        cmocka_unit_test(test_sha256_matches_files),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_provenance),
    };
    return cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown);
}
