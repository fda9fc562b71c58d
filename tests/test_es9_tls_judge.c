/*
 * test_es9_tls_judge.c: the LPA's judgement of an SM-DP+ / SM-DS TLS chain
 * (src/lib/es9/es9_tls_judge.c) with certificates of an SGP.26 build (`--seed 01`): the valid
 * DP TLS certificates pass, every invalid DP TLS and DS TLS case of the manifest (SGP.26
 * "SM-DP+ TLS" / "SM-DS TLS" invalid cases, all variants) gives the manifest's reason, a chain
 * to a CI the LPA does not trust is ciPKUnknown, and the host name is checked against the
 * subjectAltName as RFC 6125 §6.4 says (wildcards, addresses, no CN).
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "rspg/asn1/der.h"
#include "rspg/base/file.h"
#include "rspg/es9/es9_tls_judge.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/cert_info.h"
#include "test_util.h"

static char *pki;    /* the build, made once */
static json_t *arts; /* its manifest's artifacts */

/* The build's valid CA certificates: every CI is an anchor (the cases of every variant are
 * judged), the others are the pool. */
static rspg_tls_ca cas[64];
static rspg_buf cas_der[64];
static size_t n_cas;

static const char *str(json_t *a, const char *k)
{
    return json_string_value(json_object_get(a, k));
}

static int is(json_t *a, const char *k, const char *v)
{
    return str(a, k) && strcmp(str(a, k), v) == 0;
}

static void read_rel(const char *rel, rspg_buf *out)
{
    char *p = rspg_xasprintf("%s/%s", pki, rel);
    rspg_buf_init(out);
    assert_int_equal(tu_read_file(p, out), 0);
    free(p);
}

static int setup(void **state)
{
    if (tu_scratch_setup(state) != 0)
        return -1;
    char *dir = tu_scratch();
    char *profile = tu_src("profiles/sgp26.yaml");
    char *cmd = rspg_xasprintf("'%s' build '%s' -o '%s/pki' --seed 01 -q", tu_cli(), profile, dir);
    int rc = tu_run(cmd, NULL, NULL);
    free(cmd);
    free(profile);
    pki = rspg_xasprintf("%s/pki", dir);
    free(dir);
    char *mpath = rspg_xasprintf("%s/manifest.json", pki);
    json_t *m = rc == 0 ? json_load_file(mpath, 0, NULL) : NULL;
    free(mpath);
    arts = json_incref(json_object_get(m, "artifacts"));
    json_decref(m);
    if (!json_is_array(arts))
        return -1;
    size_t i;
    json_t *a;
    json_array_foreach(arts, i, a)
    {
        const char *role = str(a, "role");
        if (!role || !is(a, "kind", "certificate") || !is(a, "format", "der") ||
            !is(a, "expect", "valid") || str(a, "case") || n_cas == 64 ||
            (strcmp(role, "ci") != 0 && strcmp(role, "ci-subca") != 0 &&
             strcmp(role, "dp-subca") != 0 && strcmp(role, "ds-subca") != 0))
            continue;
        read_rel(str(a, "path"), &cas_der[n_cas]);
        cas[n_cas] = (rspg_tls_ca){str(a, "path"), cas_der[n_cas].data, cas_der[n_cas].len,
                                   strcmp(role, "ci") == 0};
        n_cas++;
    }
    return n_cas > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    for (size_t i = 0; i < n_cas; i++)
        rspg_buf_free(&cas_der[i]);
    json_decref(arts);
    free(pki);
    return tu_scratch_teardown(state);
}

/* A peer that sent the build's certificate REL (and nothing else) for HOST. */
static void peer_of(const char *rel, const char *host, rspg_tls_peer *p)
{
    memset(p, 0, sizeof(*p));
    read_rel(rel, &p->certs[0]);
    p->n = 1;
    snprintf(p->host, sizeof(p->host), "%s", host);
}

/* The first dNSName of DER ("" when none). */
static void first_dns(const rspg_buf *der, char *out, size_t cap)
{
    rspg_cert_info ci;
    out[0] = 0;
    assert_int_equal(rspg_cert_info_read(der->data, der->len, RSPG_CI_LENIENT, &ci, NULL), RSPG_OK);
    for (size_t i = 0; i < ci.n_san; i++)
        if (ci.san[i].tag == 0x82) {
            snprintf(out, cap, "%.*s", (int)ci.san[i].len, (const char *)ci.san[i].value);
            return;
        }
}

static void test_valid_dp_tls(void **state)
{
    (void)state;
    static const char *const valid[] = {
        "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der",
        "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der",
    };
    for (size_t k = 0; k < 2; k++) {
        rspg_tls_peer p;
        rspg_verdict v;
        peer_of(valid[k], "testsmdpplus1.example.com", &p);
        rspg_tls_judge(&p, cas, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
        if (!v.valid)
            fail_msg("%s: %s (%s): %s", valid[k], v.reason, v.check, v.message);
        assert_non_null(strstr(v.chain, "CERT_CI_SIG_"));
        /* the host name is case-insensitive and may end with a dot */
        snprintf(p.host, sizeof(p.host), "TestSMDPPlus1.Example.COM.");
        rspg_tls_judge(&p, cas, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
        assert_true(v.valid);
        /* another host: invalidCertificate, the hostname check */
        snprintf(p.host, sizeof(p.host), "testsmdpplus2.example.com");
        rspg_tls_judge(&p, cas, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
        assert_false(v.valid);
        assert_string_equal(v.reason, "invalidCertificate");
        assert_string_equal(v.check, "hostname");
        assert_non_null(strstr(v.message, "DNS testsmdpplus1.example.com"));
        /* judged as an SM-DS TLS certificate, its policy is the wrong role's */
        snprintf(p.host, sizeof(p.host), "testsmdpplus1.example.com");
        rspg_tls_judge(&p, cas, n_cas, RSPG_ROLE_DS_TLS, (int64_t)time(NULL), &v);
        assert_false(v.valid);
        assert_string_equal(v.reason, "invalidCertificate");
        rspg_tls_peer_free(&p);
    }
}

/* Every invalid DP TLS / DS TLS case of the manifest gives the manifest's reason. */
static void test_invalid_cases(void **state)
{
    (void)state;
    size_t i, n = 0;
    json_t *a;
    json_array_foreach(arts, i, a)
    {
        const char *role = str(a, "role"), *c = str(a, "case");
        if (!role || !c || !is(a, "kind", "certificate") || !is(a, "format", "der") ||
            !is(a, "expect", "invalid") ||
            (strcmp(role, "dp-tls") != 0 && strcmp(role, "ds-tls") != 0))
            continue;
        rspg_tls_peer p;
        rspg_verdict v;
        peer_of(str(a, "path"), "", &p);
        first_dns(&p.certs[0], p.host, sizeof(p.host));
        rspg_tls_judge(&p, cas, n_cas,
                       strcmp(role, "dp-tls") == 0 ? RSPG_ROLE_DP_TLS : RSPG_ROLE_DS_TLS,
                       (int64_t)time(NULL), &v);
        if (v.valid || strcmp(v.reason, str(a, "reason")) != 0)
            fail_msg("%s (%s): got %s, the manifest says %s", str(a, "path"), c,
                     v.valid ? "valid" : v.reason, str(a, "reason"));
        assert_string_not_equal(v.check, "hostname");
        rspg_tls_peer_free(&p);
        n++;
    }
    assert_true(n >= 2 * 4 * 6); /* DP and DS, variants O A B C, six cases or more each */
}

/* Trust only the NIST CI of Variant O: the BRP DP TLS chains to a CI the LPA does not know. */
static void test_other_ci(void **state)
{
    (void)state;
    rspg_tls_ca only[64];
    for (size_t i = 0; i < n_cas; i++) {
        only[i] = cas[i];
        only[i].anchor =
            strcmp(cas[i].name, "Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der") == 0;
    }
    rspg_tls_peer p;
    rspg_verdict v;
    peer_of("Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der",
            "testsmdpplus1.example.com", &p);
    rspg_tls_judge(&p, only, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
    assert_false(v.valid);
    assert_string_equal(v.reason, "ciPKUnknown");
    /* the CI, sent by the server after the leaf, is still not trusted */
    read_rel("Valid Test Cases/Variant O/CI/CERT_CI_SIG_BRP.der", &p.certs[1]);
    p.n = 2;
    rspg_tls_judge(&p, only, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
    assert_string_equal(v.reason, "ciPKUnknown");
    rspg_tls_peer_free(&p);
    /* nothing sent, or not a certificate */
    memset(&p, 0, sizeof(p));
    rspg_tls_judge(&p, cas, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
    assert_false(v.valid);
    assert_string_equal(v.reason, "invalidCertificate");
    rspg_buf_append(&p.certs[0], "junk", 4);
    p.n = 1;
    rspg_tls_judge(&p, cas, n_cas, RSPG_ROLE_DP_TLS, (int64_t)time(NULL), &v);
    assert_false(v.valid);
    assert_string_equal(v.check, "format");
    rspg_tls_peer_free(&p);
}

/* A self-signed certificate made by openssl with SUBJ and the extension EXT (DER into OUT);
 * 0, or -1 when openssl is not there. */
static int openssl_cert(const char *subj, const char *ext, rspg_buf *out)
{
    char *dir = tu_scratch();
    char *cmd = rspg_xasprintf(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '%s' "
        "%s%s%s -days 30 -outform DER -out '%s/c.der' -keyout '%s/k.pem' 2>/dev/null",
        subj, ext ? "-addext '" : "", ext ? ext : "", ext ? "'" : "", dir, dir);
    int rc = tu_run(cmd, NULL, NULL);
    char *p = rspg_xasprintf("%s/c.der", dir);
    rspg_buf_init(out);
    if (rc == 0)
        rc = tu_read_file(p, out);
    free(p);
    free(cmd);
    free(dir);
    return rc == 0 ? 0 : -1;
}

/* RFC 6125 §6.4: dNSName (case-insensitive, a wildcard only as the whole leftmost label, one
 * label), iPAddress for an address, never the CN. */
static void test_host_names(void **state)
{
    (void)state;
    rspg_buf c;
    if (openssl_cert("/CN=www.example.net",
                     "subjectAltName=DNS:*.example.com,DNS:f*o.example.org,DNS:*.com,"
                     "DNS:exact.example.net,IP:127.0.0.1,IP:::1",
                     &c) != 0)
        tu_skip("no openssl");
    static const struct {
        const char *host;
        int want;
    } t[] = {
        {"a.example.com", 1},     {"A.EXAMPLE.com", 1},
        {"example.com", 0},       {"a.b.example.com", 0},
        {"foo.example.org", 0},   {"x.com", 0},
        {"exact.example.net", 1}, {"www.example.net", 0},
        {"127.0.0.1", 1},         {"::1", 1},
        {"127.0.0.2", 0},         {"0:0:0:0:0:0:0:1", 1},
    };
    char why[256];
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (rspg_tls_host_matches(c.data, c.len, t[i].host, why, sizeof(why)) != t[i].want)
            fail_msg("%s: expected %d (%s)", t[i].host, t[i].want, why);
    assert_non_null(strstr(why, "DNS *.example.com"));
    rspg_buf_free(&c);
    /* the CN is never used (RFC 6125 §6.4.4 fallback not taken: SGP.22 certificates carry a SAN) */
    assert_int_equal(openssl_cert("/CN=cn.example.com", NULL, &c), 0);
    assert_int_equal(rspg_tls_host_matches(c.data, c.len, "cn.example.com", why, sizeof(why)), 0);
    assert_string_equal(why, "no dNSName or iPAddress");
    rspg_buf_free(&c);
    assert_int_equal(rspg_tls_host_matches((const uint8_t *)"junk", 4, "x", why, sizeof(why)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_dp_tls),
        cmocka_unit_test(test_invalid_cases),
        cmocka_unit_test(test_other_ci),
        cmocka_unit_test(test_host_names),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
