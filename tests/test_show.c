/*
 * test_show.c: the certificate summary (src/lib/show.c, `rsp-pkigen show`).
 *
 * Real GSMA files (when ../shared is there): the v3.0.2 EUM shows its role and its EUM
 * constraint (O and EIN prefix 89049032 from nameConstraints), the eUICC its EID with
 * valid check digits, a DP TLS certificate its DNS name and serverAuth; the JSON says the
 * same. Built certificates (always): a v3 EUM with permittedEins, an eUICC with wrong EID
 * check digits, RFC 4514 escaping. Then the CLI (exit codes, --json, --help).
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

#include "rspg/check/show.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

/* The summary of the file REL under ../shared/reference/sgp26 (a new string). */
static char *show_shared(const char *rel, int json)
{
    char *r = rspg_xasprintf("reference/sgp26/%s", rel);
    char *path = tu_shared(r);
    rspg_buf out;
    rspg_diag d;
    rspg_show_options o = {json};
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    rspg_status rc = rspg_show_file(path, &o, &out, &d);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    free(path);
    free(r);
    print_message("%s\n", (char *)out.data);
    return (char *)out.data;
}

static void expect_in(const char *text, const char *want)
{
    if (strstr(text, want) == NULL)
        fail_msg("'%s' not in:\n%s", want, text);
}

static void test_real_eum(void **state)
{
    (void)state;
    tu_require_shared();
    char *t = show_shared("openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der", 0);
    expect_in(t, "eum (from its policy; v2 arc: Variant O)");
    expect_in(t, "EIN prefix 89049032");
    expect_in(t, "O=RSP Test EUM, EIN prefix 89049032 (nameConstraints serialNumber)");
    expect_in(t, "subject:           C=ES, O=RSP Test EUM, CN=EUM Test\n");
    expect_in(t, "issuer:            CN=Test CI, OU=TESTCERT, O=RSPTEST, C=IT\n");
    expect_in(t, "serial:            0101 (2 octets)");
    expect_in(t, "2024-07-16T09:54:05Z to 2058-07-08T09:54:05Z (12410 days)");
    expect_in(t, "prime256v1 (NIST P-256)");
    expect_in(t, "DD3DA24D350C1CC5D0AF0965F40EC34C5EE409F1 (SHA-1 of the public key");
    expect_in(t, "AKI:               F54172BDF98A95D65CBEB88A38A1C11D800A85C3");
    expect_in(t, "2.23.146.1.2.1.2 (eum, v2 arc)");
    expect_in(t, "RID:2.999.5");
    expect_in(t, "http://ci.test.example.com/CRL-2.crl");
    expect_in(t, "CA, pathLen 0");
    expect_in(t, "keyUsage:          keyCertSign\n");
    expect_in(t, "permitted dirName:O=RSP Test EUM, serialNumber=89049032");
    free(t);

    t = show_shared("openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der", 1);
    json_error_t e;
    json_t *j = json_loads(t, 0, &e);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "role")), "eum");
    assert_string_equal(json_string_value(json_object_get(j, "arc")), "v2");
    json_t *k = json_object_get(j, "eum_constraint");
    assert_string_equal(json_string_value(json_array_get(json_object_get(k, "ein_prefixes"), 0)),
                        "89049032");
    assert_string_equal(json_string_value(json_array_get(json_object_get(k, "organizations"), 0)),
                        "RSP Test EUM");
    assert_int_equal(json_integer_value(json_object_get(j, "validity_days")), 12410);
    json_decref(j);
    free(t);
}

static void test_real_euicc(void **state)
{
    (void)state;
    tu_require_shared();
    char *t = show_shared("openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der", 0);
    expect_in(t, "euicc");
    expect_in(t, "EID:               89049032123451234512345678901235 (check digits valid)");
    expect_in(t, "the serial is the EID read as hex");
    expect_in(t, "serialNumber=89049032123451234512345678901235");
    expect_in(t, "(2000000 days)");
    expect_in(t, "7500-05-10T09:54:58Z");
    free(t);
    t = show_shared("openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der", 1);
    json_error_t e;
    json_t *j = json_loads(t, 0, &e);
    assert_non_null(j);
    json_t *eid = json_object_get(j, "eid");
    assert_string_equal(json_string_value(json_object_get(eid, "value")),
                        "89049032123451234512345678901235");
    assert_true(json_is_true(json_object_get(eid, "check_digits_valid")));
    json_decref(j);
    free(t);
}

static void test_real_dp_tls_and_eim(void **state)
{
    (void)state;
    tu_require_shared();
    char *t = show_shared("osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_NIST.der", 0);
    expect_in(t, "dp-tls");
    expect_in(t, "DNS:testsmdpplus1.example.com");
    expect_in(t, "RID:2.999.10");
    expect_in(t, "serverAuth");
    expect_in(t, "extKeyUsage:       serverAuth, clientAuth");
    expect_in(t, "(398 days)");
    expect_in(t, "keyUsage (critical), extendedKeyUsage (critical), certificatePolicies,");
    free(t);
    t = show_shared("osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_BRP.der", 0);
    expect_in(t, "brainpoolP256r1");
    free(t);
    t = show_shared("openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der", 0);
    expect_in(t, "eim-sign (no RSP policy");
    free(t);
    t = show_shared("openiotrsp/sgp26_variant_o/CERT_CI_SIG_NIST.der", 0);
    expect_in(t, "the CI policy is the same in both arcs");
    expect_in(t, "00B874F3ABFA6C44D3 (9 octets)");
    expect_in(t, "2024-07-16T09:52:05Z to 2059-07-16T09:52:05Z (12783 days)");
    free(t);
}

/* ---- built certificates ---- */

static const char profile_text[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: show\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "defaults: {curves: [nist], validity_days: 365}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: A\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}, {O: \"A, B+C\"}, {C: IT}]\n"
    "    serial: \"01\"\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "    output: {dir: CI, cert: CI.der}\n"
    "  - id: eum\n"
    "    role: eum\n"
    "    variant: A\n"
    "    issuer: ci\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {CN: EUM Test}]\n"
    "    serial: \"0A0500\"\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0.0.0]}\n"
    "      - subject_alt_name: {names: [{rid: 2.999.101}]}\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 1}\n"
    "      - crl_distribution_points: {uris: [\"http://ci.test.example.com/CRL-2.crl\"]}\n"
    "      - name_constraints: {critical: true, permitted: [{dir: [{O: RSP Test EUM}]}]}\n"
    "      - permitted_eins: {eins: [\"89049032\", \"89049033\"]}\n"
    "    output: {dir: EUM, cert: EUM.der}\n"
    "  - id: euicc\n"
    "    role: euicc\n"
    "    variant: A\n"
    "    issuer: eum\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {serialNumber: "
    "\"89049032123451234512345678901234\"}, "
    "{CN: Test eUICC}]\n"
    "    serial: \"020000000000000001\"\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0.0.0.0.0]}\n"
    "    output: {dir: EUICC, cert: EUICC.pem}\n"
    "  - id: tls\n"
    "    role: dp-tls\n"
    "    variant: A\n"
    "    issuer: ci\n"
    "    subject: [{O: ACME}, {CN: testsmdpplus1.example.com}]\n"
    "    serial: \"09\"\n"
    "    extensions:\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - extended_key_usage: {critical: true, usage: [serverAuth, clientAuth]}\n"
    "      - certificate_policies: {policies: [2.23.146.1.2.1.0.0.1.0]}\n"
    "      - subject_alt_name: {names: [{dns: testsmdpplus1.example.com}, {rid: 2.999.251}, "
    "{uri: \"https://x.example.com/a\"}]}\n"
    "    output: {dir: TLS, cert: TLS.der}\n";

struct built {
    rspg_profile *p;
    rspg_build_result r;
};

static int setup(void **state)
{
    struct built *b = rspg_xcalloc(1, sizeof(*b));
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc =
        rspg_profile_load_string(profile_text, strlen(profile_text), "show.yaml", &d, &b->p);
    print_diag(&d);
    if (rc != RSPG_OK)
        return -1;
    rspg_build_options bo;
    memset(&bo, 0, sizeof(bo));
    bo.profile_dir = ".";
    bo.has_clock = 1;
    bo.clock = 1780000000;
    bo.nonce = RSPG_NONCE_RFC6979;
    rc = rspg_build(b->p, &bo, &d, &b->r);
    print_diag(&d);
    rspg_diag_fini(&d);
    *state = b;
    return rc == RSPG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    struct built *b = *state;
    rspg_build_result_free(&b->r);
    rspg_profile_free(b->p);
    free(b);
    return 0;
}

static char *show_built(void **state, const char *path, int json)
{
    struct built *b = *state;
    for (size_t i = 0; i < b->r.n; i++) {
        if (strcmp(b->r.items[i].path, path) != 0)
            continue;
        rspg_buf out;
        rspg_diag d;
        rspg_show_options o = {json};
        rspg_buf_init(&out);
        rspg_diag_init(&d);
        rspg_status rc =
            rspg_show_cert(b->r.items[i].data.data, b->r.items[i].data.len, &o, &out, &d);
        print_diag(&d);
        assert_int_equal(rc, RSPG_OK);
        rspg_diag_fini(&d);
        print_message("%s\n", (char *)out.data);
        return (char *)out.data;
    }
    fail_msg("no artifact %s", path);
    return NULL;
}

static void test_v3_eum_permitted_eins(void **state)
{
    char *t = show_built(state, "EUM/EUM.der", 0);
    expect_in(t, "eum (from its policy; v3 arc: Variants Ov3/A/B/C)");
    expect_in(t, "O=RSP Test EUM, EIN prefix 89049032 (permittedEins), EIN prefix 89049033 "
                 "(permittedEins)");
    expect_in(t, "CA, pathLen 1");
    expect_in(t, "keyCertSign, cRLSign");
    expect_in(t, "2.23.146.1.2.1.0.0.0 (eum, v3 arc)");
    expect_in(t, "issuer:            CN=Test CI, O=A\\, B\\+C, C=IT\n");
    free(t);
    t = show_built(state, "EUM/EUM.der", 1);
    json_error_t e;
    json_t *j = json_loads(t, 0, &e);
    assert_non_null(j);
    json_t *eins = json_object_get(json_object_get(j, "eum_constraint"), "permitted_eins");
    assert_int_equal(json_array_size(eins), 2);
    assert_string_equal(json_string_value(json_array_get(eins, 1)), "89049033");
    assert_string_equal(json_string_value(json_object_get(j, "arc")), "v3");
    json_decref(j);
    free(t);
}

static void test_euicc_bad_check_digits(void **state)
{
    char *t = show_built(state, "EUICC/EUICC.pem", 0); /* PEM input */
    expect_in(t,
              "EID:               89049032123451234512345678901234: invalid, wrong check digits");
    expect_in(t, "euicc (from its policy; v3 arc");
    free(t);
}

static void test_tls_names(void **state)
{
    char *t = show_built(state, "TLS/TLS.der", 0);
    expect_in(t, "subjectAltName:    DNS:testsmdpplus1.example.com, RID:2.999.251, "
                 "URI:https://x.example.com/a\n");
    expect_in(t, "serverAuth, clientAuth");
    expect_in(t, "(365 days)");
    expect_in(t, "serial:            09 (1 octet)\n");
    free(t);
}

static void test_not_a_certificate(void **state)
{
    (void)state;
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_show_cert((const uint8_t *)"junk", 4, NULL, &out, &d), RSPG_E_INPUT);
    assert_true(d.errors > 0);
    assert_int_equal(rspg_show_file("/nonexistent/x.der", NULL, &out, &d), RSPG_E_IO);
    rspg_diag_fini(&d);
    rspg_buf_free(&out);
}

static void test_cli(void **state)
{
    struct built *b = *state;
    char *dir = tu_mkdtemp();
    assert_non_null(dir);
    char *path = NULL;
    for (size_t i = 0; i < b->r.n; i++)
        if (strcmp(b->r.items[i].path, "EUM/EUM.der") == 0) {
            path = rspg_xasprintf("%s/eum.der", dir);
            assert_int_equal(tu_write_file(path, b->r.items[i].data.data, b->r.items[i].data.len),
                             0);
        }
    assert_non_null(path);
    char *out = NULL, *err = NULL, *cmd;

    cmd = rspg_xasprintf("'%s' show '%s' '%s'", tu_cli(), path, path);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    char *head = rspg_xasprintf("%s\n  role:", path);
    assert_non_null(strstr(out, head));
    assert_non_null(strstr(out, "EIN prefix 89049032"));
    free(head);
    free(cmd);
    free(out);
    free(err);

    cmd = rspg_xasprintf("'%s' show --json '%s'", tu_cli(), path);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    assert_non_null(root);
    json_t *c0 = json_array_get(json_object_get(root, "certificates"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "path")), path);
    assert_string_equal(json_string_value(json_object_get(c0, "role")), "eum");
    json_decref(root);
    free(cmd);
    free(out);
    free(err);

    cmd = rspg_xasprintf("'%s' show --help", tu_cli());
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    assert_non_null(strstr(out, "Usage: rsp-pkigen show"));
    free(cmd);
    free(out);
    free(err);

    static const char *const usage_errors[] = {"show", "show --bogus x.der",
                                               "show /nonexistent/x.der"};
    for (size_t i = 0; i < sizeof(usage_errors) / sizeof(usage_errors[0]); i++) {
        cmd = rspg_xasprintf("'%s' %s", tu_cli(), usage_errors[i]);
        assert_int_equal(tu_run(cmd, &out, &err), 2);
        assert_non_null(strstr(err, "rsp-pkigen: error: "));
        free(cmd);
        free(out);
        free(err);
    }
    tu_rmtree(dir);
    free(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_eum),
        cmocka_unit_test(test_real_euicc),
        cmocka_unit_test(test_real_dp_tls_and_eim),
        cmocka_unit_test(test_v3_eum_permitted_eins),
        cmocka_unit_test(test_euicc_bad_check_digits),
        cmocka_unit_test(test_tls_names),
        cmocka_unit_test(test_not_a_certificate),
        cmocka_unit_test(test_cli),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
