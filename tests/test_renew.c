/*
 * test_renew.c: `renew` as a library call (flow/renew.h) and its parts (renew_record.c,
 * renew_folder.c). A private root (profiles/private-root.yaml, NIST, Variant O TLS and the CI
 * only) is built in a scratch folder; renewing its dp-tls certificate changes exactly its
 * files and the manifest, records the renewal, and keeps the key; a second renewal gives
 * another serial. Refused: a CA (RSPG_E_USAGE, nothing changed), a folder whose manifest has
 * no build record (RSPG_E_INPUT), a folder holding a symbolic link (RSPG_E_IO).
 *
 * CRLs (issue/crl_renew.h): a private root built at T and renewed at T+80 days (docs/
 * renewal.md section 2) has every valid CRL signed again (thisUpdate T+80d, nextUpdate
 * T+110d, cRLNumber + 1, the same issuer, entries and AKI, a signature that verifies under its
 * CA; checked with OpenSSL) and the folder verifies at T+80d; a second renewal gives cRLNumber
 * + 2; the same renewal of the same folder gives the same bytes. Under sgp26.yaml (Variant O,
 * NIST) the invalid CRL case keeps its bytes and the revoked certificate stays revoked. A CRL
 * whose issuer key cannot be had is kept, with a warning that names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <cmocka.h>

#include "flow/renew_internal.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/time.h"
#include "rspg/check/verify.h"
#include "rspg/flow/build_flow.h"
#include "rspg/flow/renew.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

#define TLS "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der"
#define TLS_FULLCHAIN                                                                              \
    "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.fullchain.pem"

/* PROFILE (under the checkout) built at CLOCK on NIST into a new scratch folder, only ROLE
 * (or everything when NULL), its keys derived from a seed when SEEDED; its path. */
static char *built_ex(const char *profile_rel, const char *role, int seeded, const char *clock)
{
    char *root = tu_scratch(), *out = rspg_xasprintf("%s/lab", root);
    char *profile = tu_src(profile_rel);
    static const uint8_t seed[] = {7, 7};
    char *curves[] = {"nist"}, *only[] = {(char *)role};
    rspg_build_flow_options o;
    memset(&o, 0, sizeof(o));
    o.profile_path = profile;
    o.output = out;
    o.build.nonce = RSPG_NONCE_RFC6979;
    o.build.seed = seeded ? seed : NULL;
    o.build.seed_len = seeded ? sizeof(seed) : 0;
    o.build.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339(clock, &o.build.clock), 0);
    o.build.curves = curves;
    o.build.n_curves = 1;
    o.build.roles = only;
    o.build.n_roles = role ? 1 : 0;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_OK);
    rspg_diag_fini(&d);
    free(profile);
    free(root);
    return out;
}

/* A private root (CI and SM-DP+ TLS, NIST) built into a new scratch folder; its path. */
static char *built(void)
{
    return built_ex("profiles/private-root.yaml", "o-dp-tls", 1, "2026-01-01T00:00:00Z");
}

static rspg_status renew(const char *dir, const char *only, rspg_diag *d, rspg_renew_summary *s)
{
    const char *const list[] = {only};
    rspg_renew_options o = {dir, list, 1, 30, 1, 0, NULL, NULL};
    assert_int_equal(rspg_parse_rfc3339("2026-01-10T00:00:00Z", &o.clock), 0);
    return rspg_renew_run(&o, d, s);
}

static void renew_tls(void **state)
{
    (void)state;
    char *dir = built();
    rspg_diag d;
    rspg_build_result before, after;
    rspg_diag_init(&d);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &before), RSPG_OK);
    rspg_renew_summary s;
    assert_int_equal(renew(dir, "dp-tls", &d, &s), RSPG_OK);
    assert_int_equal(s.certificates, 1);
    assert_int_equal(s.files, 2); /* the certificate and its full chain */
    assert_int_equal(s.kept, before.n - 2);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &after), RSPG_OK);
    assert_int_equal(after.n, before.n);
    for (size_t i = 0; i < after.n; i++) {
        int same = after.items[i].data.len == before.items[i].data.len &&
                   memcmp(after.items[i].data.data, before.items[i].data.data,
                          after.items[i].data.len) == 0;
        assert_int_equal(same, strcmp(after.items[i].path, TLS) != 0 &&
                                   strcmp(after.items[i].path, TLS_FULLCHAIN) != 0);
    }
    rspg_renew_record rec;
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    json_t *r = json_array_get(json_object_get(rec.root, "renewals"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "time")), "2026-01-10T00:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(r, "days")), 30);
    json_t *a = rspg_renew_record_cert(&rec, "o-dp-tls", "prime256v1");
    assert_string_equal(json_string_value(json_object_get(a, "not_after")), "2026-02-09T00:00:00Z");
    char *serial = rspg_xstrdup(json_string_value(json_object_get(a, "serial")));
    rspg_renew_record_free(&rec);
    /* again: another serial */
    assert_int_equal(renew(dir, "o-dp-tls", &d, &s), RSPG_OK);
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    a = rspg_renew_record_cert(&rec, "o-dp-tls", "prime256v1");
    assert_string_not_equal(json_string_value(json_object_get(a, "serial")), serial);
    assert_int_equal(json_array_size(json_object_get(rec.root, "renewals")), 2);
    rspg_renew_record_free(&rec);
    free(serial);
    rspg_build_result_free(&before);
    rspg_build_result_free(&after);
    rspg_diag_fini(&d);
    free(dir);
}

static void refusals(void **state)
{
    (void)state;
    char *dir = built();
    rspg_diag d;
    rspg_renew_summary s;
    rspg_diag_init(&d);
    assert_int_equal(renew(dir, "ci", &d, &s), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "renew refuses CA certificates"));
    /* a symbolic link in the folder */
    char *link = rspg_xasprintf("%s/link", dir);
    assert_int_equal(symlink("/etc/passwd", link), 0);
    assert_int_equal(renew(dir, "dp-tls", &d, &s), RSPG_E_IO);
    assert_non_null(strstr(d.entries[d.count - 1].message, "not a regular file"));
    unlink(link);
    /* a manifest without a build record */
    char *m = rspg_xasprintf("%s/manifest.json", dir);
    const char text[] = "{\"schema\": \"rsp-pkigen/manifest/1\", \"artifacts\": []}\n";
    assert_int_equal(tu_write_file(m, text, sizeof(text) - 1), 0);
    assert_int_equal(renew(dir, "dp-tls", &d, &s), RSPG_E_INPUT);
    assert_non_null(strstr(d.entries[d.count - 1].message, "does not record its build"));
    rspg_diag_fini(&d);
    free(m);
    free(link);
    free(dir);
}

/* ---- CRLs ---- */

#define T0 "2026-01-01T00:00:00Z"
#define T80 "2026-03-22T00:00:00Z" /* T0 + 80 days */
#define DAY 86400

static rspg_status renew_at(const char *dir, const char *const *only, size_t n, const char *clock,
                            rspg_diag *d, rspg_renew_summary *s)
{
    rspg_renew_options o = {dir, only, n, 90, 1, 0, NULL, NULL};
    assert_int_equal(rspg_parse_rfc3339(clock, &o.clock), 0);
    return rspg_renew_run(&o, d, s);
}

static int64_t when(const char *t)
{
    int64_t v = 0;
    assert_int_equal(rspg_parse_rfc3339(t, &v), 0);
    return v;
}

/* The DER of file PATH in folder F (DER or PEM with LABEL). */
static void der_of(rspg_build_result *f, const char *path, const char *label, rspg_buf *out)
{
    rspg_artifact *a = rspg_renew_file(f, path);
    assert_non_null(a);
    rspg_buf_init(out);
    assert_int_equal(rspg_pem_or_der(a->data.data, a->data.len, label, out), 0);
}

static long crl_number(X509_CRL *c)
{
    ASN1_INTEGER *n = X509_CRL_get_ext_d2i(c, NID_crl_number, NULL, NULL);
    assert_non_null(n);
    long v = ASN1_INTEGER_get(n);
    ASN1_INTEGER_free(n);
    return v;
}

static int64_t asn1_seconds(const ASN1_TIME *t)
{
    int64_t v = 0;
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, secs = 0;
    assert_int_equal(ASN1_TIME_diff(&days, &secs, epoch, t), 1);
    ASN1_TIME_free(epoch);
    v = (int64_t)days * DAY + secs;
    return v;
}

/* The keyIdentifier of CRL C's authorityKeyIdentifier, hex. */
static char *crl_aki(X509_CRL *c)
{
    AUTHORITY_KEYID *k = X509_CRL_get_ext_d2i(c, NID_authority_key_identifier, NULL, NULL);
    assert_non_null(k);
    assert_non_null(k->keyid);
    char *hex = rspg_hex(ASN1_STRING_get0_data(k->keyid), (size_t)ASN1_STRING_length(k->keyid));
    AUTHORITY_KEYID_free(k);
    return hex;
}

/* Checks the renewed CRL of manifest entry A (NEW in AFTER, as it was in BEFORE): dates from
 * TU, number + STEP, same issuer, entries and AKI, signed by its CA. */
static void check_renewed_crl(json_t *a, rspg_build_result *before, rspg_build_result *after,
                              int64_t tu, long step)
{
    const char *path = json_string_value(json_object_get(a, "path"));
    rspg_buf od, nd, cd;
    der_of(before, path, "X509 CRL", &od);
    der_of(after, path, "X509 CRL", &nd);
    der_of(after, json_string_value(json_object_get(a, "issuer")), "CERTIFICATE", &cd);
    const uint8_t *p = od.data, *q = nd.data, *r = cd.data;
    X509_CRL *o = d2i_X509_CRL(NULL, &p, (long)od.len), *n = d2i_X509_CRL(NULL, &q, (long)nd.len);
    X509 *ca = d2i_X509(NULL, &r, (long)cd.len);
    assert_true(o && n && ca);
    assert_int_equal(asn1_seconds(X509_CRL_get0_lastUpdate(n)), tu);
    assert_int_equal(asn1_seconds(X509_CRL_get0_nextUpdate(n)), tu + 30 * DAY);
    assert_int_equal(crl_number(n), crl_number(o) + step);
    char *ok = crl_aki(o), *nk = crl_aki(n);
    assert_string_equal(nk, ok);
    assert_int_equal(X509_CRL_verify(n, X509_get0_pubkey(ca)), 1);
    rspg_x509_crl ox, nx;
    assert_int_equal(rspg_crl_read(od.data, od.len, &ox, NULL), RSPG_OK);
    assert_int_equal(rspg_crl_read(nd.data, nd.len, &nx, NULL), RSPG_OK);
    assert_int_equal(nx.issuer.len, ox.issuer.len);
    assert_memory_equal(nx.issuer.value, ox.issuer.value, ox.issuer.len);
    assert_int_equal(nx.has_revoked, ox.has_revoked);
    assert_int_equal(nx.revoked.len, ox.revoked.len);
    if (ox.revoked.len)
        assert_memory_equal(nx.revoked.value, ox.revoked.value, ox.revoked.len);
    assert_int_equal(json_integer_value(json_object_get(a, "number")), crl_number(n));
    assert_string_not_equal(json_string_value(json_object_get(a, "sha256")), "");
    free(ok);
    free(nk);
    X509_CRL_free(o);
    X509_CRL_free(n);
    X509_free(ca);
    rspg_buf_free(&od);
    rspg_buf_free(&nd);
    rspg_buf_free(&cd);
}

/* Every CRL entry of the manifest of DIR (DER files): valid ones renewed (checked as above),
 * invalid ones byte-identical. Returns how many valid CRLs were checked. */
static size_t check_crls(const char *dir, rspg_build_result *before, int64_t tu, long step)
{
    rspg_diag d;
    rspg_renew_record rec;
    rspg_build_result after;
    rspg_diag_init(&d);
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &after), RSPG_OK);
    json_t *arts = json_object_get(rec.root, "artifacts");
    size_t valid = 0;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const char *kind = json_string_value(json_object_get(a, "kind"));
        const char *path = json_string_value(json_object_get(a, "path"));
        if (strcmp(kind, "crl") != 0)
            continue;
        if (strcmp(json_string_value(json_object_get(a, "expect")), "valid") == 0) {
            if (strcmp(json_string_value(json_object_get(a, "format")), "der") == 0) {
                check_renewed_crl(a, before, &after, tu, step);
                valid++;
            }
            continue;
        }
        rspg_artifact *o = rspg_renew_file(before, path), *n = rspg_renew_file(&after, path);
        assert_true(o && n && o->data.len == n->data.len);
        assert_memory_equal(o->data.data, n->data.data, o->data.len);
    }
    rspg_renew_record_free(&rec);
    rspg_build_result_free(&after);
    rspg_diag_fini(&d);
    return valid;
}

/* `verify DIR` at TIME: every file as the manifest says; the verify item of PATH into *IT's
 * check (NULL when PATH is NULL or absent). */
static void verify_clean(const char *dir, int64_t time, const char *path, char **check)
{
    rspg_diag d;
    rspg_verify_result res;
    rspg_verify_options vo = {1, time, 0, 0};
    rspg_diag_init(&d);
    rspg_status rc = rspg_verify_dir(dir, &vo, &d, &res);
    for (size_t i = 0; i < res.n_items; i++) {
        if (!res.items[i].agrees)
            print_error("disagrees: %s: %s\n", res.items[i].path, res.items[i].verdict.message);
        if (path && strcmp(res.items[i].path, path) == 0 && check)
            *check = rspg_xstrdup(res.items[i].verdict.check ? res.items[i].verdict.check : "");
    }
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(res.disagreed, 0);
    rspg_verify_result_free(&res);
    rspg_diag_fini(&d);
}

/* docs/renewal.md section 2: renew the TLS certificates 80 days after the build. */
static void crl_lab_routine(void **state)
{
    (void)state;
    char *dir = built_ex("profiles/private-root.yaml", NULL, 1, T0);
    rspg_diag d;
    rspg_build_result before, mid;
    rspg_renew_summary s;
    rspg_diag_init(&d);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &before), RSPG_OK);
    const char *const tls[] = {"dp-tls", "ds-tls", "eim-tls"};
    assert_int_equal(renew_at(dir, tls, 3, T80, &d, &s), RSPG_OK);
    assert_int_equal(d.errors, 0);
    for (size_t i = 0; i < d.count; i++) /* no "not as the manifest says": CRLs are fresh */
        assert_null(strstr(d.entries[i].message, "not as the manifest says"));
    size_t n = check_crls(dir, &before, when(T80), 1);
    assert_int_equal(n, 9); /* private-root's CRLs on NIST */
    assert_int_equal(s.crls, n);
    verify_clean(dir, when(T80), NULL, NULL);
    /* the renewal record lists the CRLs */
    rspg_renew_record rec;
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    json_t *r = json_array_get(json_object_get(rec.root, "renewals"), 0);
    assert_int_equal(json_array_size(json_object_get(r, "crls")), n);
    rspg_renew_record_free(&rec);
    /* --only crl a day later: the CRLs alone, cRLNumber + 2 since the build */
    assert_int_equal(rspg_renew_read_folder(dir, &d, &mid), RSPG_OK);
    const char *const crl[] = {"crl"};
    assert_int_equal(renew_at(dir, crl, 1, "2026-03-23T00:00:00Z", &d, &s), RSPG_OK);
    assert_int_equal(s.certificates, 0);
    assert_int_equal(s.crls, n);
    assert_int_equal(s.files, 2 * n); /* each CRL's .crl and .pem */
    assert_int_equal(check_crls(dir, &before, when(T80) + DAY, 2), n);
    verify_clean(dir, when(T80) + DAY, NULL, NULL);
    rspg_build_result_free(&before);
    rspg_build_result_free(&mid);
    rspg_diag_fini(&d);
    free(dir);
}

/* The same renewal of the same folder gives the same bytes (RFC 6979 signatures). */
static void crl_reproducible(void **state)
{
    (void)state;
    char *dirs[2];
    rspg_build_result f[2];
    rspg_diag d;
    rspg_renew_summary s;
    rspg_diag_init(&d);
    const char *const crl[] = {"crl"};
    for (int k = 0; k < 2; k++) {
        dirs[k] = built_ex("profiles/private-root.yaml", "o-dp-tls", 1, T0);
        assert_int_equal(renew_at(dirs[k], crl, 1, T80, &d, &s), RSPG_OK);
        assert_int_equal(s.crls, 2);
        assert_int_equal(rspg_renew_read_folder(dirs[k], &d, &f[k]), RSPG_OK);
    }
    assert_int_equal(f[0].n, f[1].n);
    for (size_t i = 0; i < f[0].n; i++) {
        assert_string_equal(f[0].items[i].path, f[1].items[i].path);
        assert_int_equal(f[0].items[i].data.len, f[1].items[i].data.len);
        assert_memory_equal(f[0].items[i].data.data, f[1].items[i].data.data,
                            f[0].items[i].data.len);
    }
    for (int k = 0; k < 2; k++) {
        rspg_build_result_free(&f[k]);
        free(dirs[k]);
    }
    rspg_diag_fini(&d);
}

#define REVOKED                                                                                    \
    "Invalid Test Cases (beyond SGP.26)/Variant O/SM-DP+/Revoked/"                                 \
    "CERT_S_SM_DPauth_REVOKED_VARO_SIG_NIST.der"

/* sgp26.yaml: the invalid CRL case keeps its bytes; the revoked certificate stays revoked. */
static void crl_invalid_and_revoked(void **state)
{
    (void)state;
    char *dir = built_ex("profiles/sgp26.yaml", NULL, 1, T0);
    rspg_diag d;
    rspg_build_result before;
    rspg_renew_summary s;
    rspg_diag_init(&d);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &before), RSPG_OK);
    const char *const bad[] = {"o-ci-crl-1-inv-sign"};
    assert_int_equal(renew_at(dir, bad, 1, T80, &d, &s), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "nor a valid CRL"));
    const char *const crl[] = {"crl"};
    assert_int_equal(renew_at(dir, crl, 1, T80, &d, &s), RSPG_OK);
    assert_true(check_crls(dir, &before, when(T80), 1) > 2);
    char *check = NULL;
    verify_clean(dir, when(T80), REVOKED, &check);
    assert_non_null(check);
    assert_string_equal(check, "revocation");
    free(check);
    /* a CRL named by its id is renewed although it is not due; no other is */
    const char *const one[] = {"o-ci-crl-1"};
    assert_int_equal(renew_at(dir, one, 1, "2026-03-23T00:00:00Z", &d, &s), RSPG_OK);
    assert_int_equal(s.crls, 1);
    assert_int_equal(s.certificates, 0);
    rspg_build_result_free(&before);
    rspg_diag_fini(&d);
    free(dir);
}

/* A CRL whose issuer key cannot be had (a random CI key whose SK_ file is gone) is kept, and
 * a warning names it; with nothing else to renew, that is "nothing to renew". */
static void crl_key_missing(void **state)
{
    (void)state;
    char *dir = built_ex("profiles/private-root.yaml", "o-dp-tls", 0, T0);
    rspg_diag d;
    rspg_build_result before, after;
    rspg_renew_summary s;
    rspg_renew_record rec;
    rspg_diag_init(&d);
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    json_t *ci = rspg_renew_record_cert(&rec, "o-ci", "prime256v1");
    char *key = rspg_xasprintf("%s/%s", dir, json_string_value(json_object_get(ci, "key")));
    rspg_renew_record_free(&rec);
    assert_int_equal(unlink(key), 0);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &before), RSPG_OK);
    const char *const crl[] = {"crl"};
    assert_int_equal(renew_at(dir, crl, 1, T80, &d, &s), RSPG_E_USAGE);
    int warned = 0;
    for (size_t i = 0; i < d.count; i++)
        warned |= d.entries[i].severity == RSPG_SEV_WARNING &&
                  strstr(d.entries[i].message, "CRL 'o-ci-crl-1' not renewed: its issuer's key "
                                               "cannot be had") != NULL;
    assert_true(warned);
    assert_non_null(strstr(d.entries[d.count - 1].message, "nothing to renew"));
    assert_int_equal(rspg_renew_read_folder(dir, &d, &after), RSPG_OK);
    assert_int_equal(after.n, before.n);
    for (size_t i = 0; i < after.n; i++)
        assert_memory_equal(after.items[i].data.data, before.items[i].data.data,
                            before.items[i].data.len);
    rspg_build_result_free(&before);
    rspg_build_result_free(&after);
    rspg_diag_fini(&d);
    free(key);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renew_tls),
        cmocka_unit_test(refusals),
        cmocka_unit_test(crl_lab_routine),
        cmocka_unit_test(crl_reproducible),
        cmocka_unit_test(crl_invalid_and_revoked),
        cmocka_unit_test(crl_key_missing),
    };
    return tu_exit(
        cmocka_run_group_tests_name("renew", tests, tu_scratch_setup, tu_scratch_teardown));
}
