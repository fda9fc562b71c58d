/*
 * test_probe_flow.c: the conformance cases of `rsp-pkigen probe` (src/lib/flow/probe_cases.c,
 * probe_flow.c) from a real build of profiles/sgp26.yaml: which cases Variant O has, what
 * SGP.22 §5.6.3 requires of the server for each (the verifier's fault and the rulebook's
 * ES9+ codes), the --case filter, the errors of a run that cannot start (no manifest, a
 * closed port, a plain http:// URL) without a server, and the tls row of a server whose
 * expired DP TLS certificate libcurl refuses (an `openssl s_server`): rsp-pkigen's reason,
 * no case run, RSPG_E_VERIFY (exit 1).
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flow/probe_internal.h"
#include "test_util.h"

static char *pki; /* the build, made once */

static int setup(void **state)
{
    if (tu_scratch_setup(state) != 0)
        return -1;
    pki = tu_scratch();
    char *profile = tu_src("profiles/sgp26.yaml");
    char *cmd = rspg_xasprintf("'%s' build '%s' -o '%s/pki' -q", tu_cli(), profile, pki);
    int rc = tu_run(cmd, NULL, NULL);
    free(cmd);
    free(profile);
    char *dir = rspg_xasprintf("%s/pki", pki);
    free(pki);
    pki = dir;
    return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    free(pki);
    return tu_scratch_teardown(state);
}

static const probe_case *find(const probe_cases *pc, const char *id, const char *curve)
{
    for (size_t i = 0; i < pc->n; i++)
        if (strcmp(pc->v[i].id, id) == 0 && strcmp(pc->v[i].curve, curve) == 0)
            return &pc->v[i];
    return NULL;
}

/* Each Variant O case and the status SGP.22 requires of the SM-DP+. */
static void test_expectations(void **state)
{
    (void)state;
    static const struct {
        const char *id, *reason, *subject, *code;
    } want[] = {
        {"valid", NULL, NULL, NULL},
        {"euicc/unknown-ci", "ciPKUnknown", "8.11.1", "3.9"},
        {"euicc/eum-expired", "eumCertificateExpired", "8.1.2", "6.3"},
        {"euicc/eid-outside-ein", "euiccCertificateInvalid", "8.1.4", "6.1"},
        {"euicc/eid-check-digits", "euiccCertificateInvalid", "8.1.3", "6.1"},
        {"euicc/eum-path-length", "eumCertificateInvalid", "8.1.2", "6.1"},
        {"euicc/expired", "euiccCertificateExpired", "8.1.3", "6.3"},
        {"euicc/certificate-signature", "euiccCertificateInvalid", "8.1.3", "6.1"},
        {"es9/euicc-signature1", "euiccSignatureInvalid", "8.1", "6.1"},
        {"es9/server-challenge", "serverChallengeMismatch", "8.1", "6.1"},
    };
    rspg_probe_options o = {
        .pki_dir = pki, .variant = "O", .curves = RSPG_PROBE_NIST | RSPG_PROBE_BRP};
    rspg_diag d;
    rspg_diag_init(&d);
    probe_cases pc;
    assert_int_equal(probe_cases_load(&o, (int64_t)time(NULL), &d, &pc), RSPG_OK);
    assert_int_equal(pc.n, 2 * (sizeof(want) / sizeof(want[0])));
    assert_non_null(pc.ci_pem[0]);
    assert_non_null(pc.ci_pem[1]);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            const probe_case *c = find(&pc, want[i].id, k ? "BRP" : "NIST");
            assert_non_null(c);
            rspg_probe_expect e;
            char note[512];
            probe_case_expect(c, (int64_t)time(NULL), &e, note, sizeof(note));
            assert_int_equal(e.accept, want[i].reason == NULL);
            if (want[i].reason) {
                assert_string_equal(e.reason, want[i].reason);
                assert_string_equal(e.subject_code, want[i].subject);
                assert_string_equal(e.reason_code, want[i].code);
                /* the verifier agrees with the manifest's reason */
                assert_null(strstr(note, "the manifest says"));
            }
        }
    probe_cases_free(&pc);
    rspg_diag_fini(&d);
}

/* --case keeps the named cases; the valid eUICC is loaded as the template of injected ones. */
static void test_case_filter(void **state)
{
    (void)state;
    const char *ids[] = {"es9/euicc-signature1"};
    rspg_probe_options o = {.pki_dir = pki, .variant = "O", .cases = ids, .n_cases = 1};
    rspg_diag d;
    rspg_diag_init(&d);
    probe_cases pc;
    assert_int_equal(probe_cases_load(&o, (int64_t)time(NULL), &d, &pc), RSPG_OK);
    size_t run = 0;
    for (size_t i = 0; i < pc.n; i++)
        if (!pc.v[i].template_only) {
            run++;
            assert_string_equal(pc.v[i].id, "es9/euicc-signature1");
            assert_int_equal(pc.v[i].corrupt_signature1, 1);
        }
    assert_int_equal(run, 1);
    probe_cases_free(&pc);
    const char *none[] = {"no/such-case"};
    o.cases = none;
    assert_int_equal(probe_cases_load(&o, (int64_t)time(NULL), &d, &pc), RSPG_E_USAGE);
    probe_cases_free(&pc);
    rspg_diag_fini(&d);
}

static void test_run_errors(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_probe_result res;
    const char *ids[] = {"valid"};
    rspg_probe_options o = {
        .url = "https://127.0.0.1:1", .pki_dir = pki, .cases = ids, .n_cases = 1, .timeout_s = 5};
    assert_int_equal(rspg_probe_run(&o, &d, &res), RSPG_E_IO); /* closed port */
    rspg_probe_result_free(&res);
    o.url = "http://127.0.0.1:1";
    assert_int_equal(rspg_probe_run(&o, &d, &res), RSPG_E_USAGE); /* no --insecure-http */
    rspg_probe_result_free(&res);
    o.pki_dir = "/nonexistent";
    assert_int_equal(rspg_probe_run(&o, &d, &res), RSPG_E_INPUT);
    rspg_probe_result_free(&res);
    rspg_diag_fini(&d);
}

/* `openssl s_server -www` on a free port with the build's certificate CERT and key KEY; its
 * pid (0 when it did not start) and *PORT. */
static long start_server(const char *cert, const char *key, int *port)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        *port = 20000 + (int)((getpid() * 13 + attempt * 197) % 20000);
        char *cmd = rspg_xasprintf(
            "(timeout 120 openssl s_server -www -quiet -accept %d -cert '%s/%s' -certform DER -key "
            "'%s/%s' "
            "</dev/null >/dev/null 2>&1 & pid=$!; for i in $(seq 1 50); do "
            "bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d' 2>/dev/null && { echo $pid; exit 0; }; "
            "kill -0 $pid 2>/dev/null || exit 1; sleep 0.1; done; kill $pid; exit 1)",
            *port, pki, cert, pki, key, *port);
        char *out = NULL;
        int rc = tu_run(cmd, &out, NULL);
        long pid = rc == 0 && out ? strtol(out, NULL, 10) : 0;
        free(out);
        free(cmd);
        if (pid > 0)
            return pid;
    }
    return 0;
}

/* An expired DP TLS certificate: the tls row names certificateExpired, libcurl refuses the
 * handshake too, no eUICC case runs, and the run is a verification failure (exit 1). */
static void test_tls_refused(void **state)
{
    (void)state;
    const char *dir = "Invalid Test Cases/Variant O/SM-DP+/SM_DPtls/Expired Certificate";
    char *cert = rspg_xasprintf("%s/CERT_S_SM_DP_TLS_EXPIRED_VARO.der", dir);
    char *key = rspg_xasprintf("%s/SK_S_SM_DP_TLS_NIST.pem", dir);
    int port;
    long pid = start_server(cert, key, &port);
    free(cert);
    free(key);
    if (pid <= 0)
        tu_skip("openssl s_server did not start");
    char *url = rspg_xasprintf("https://127.0.0.1:%d", port);
    const char *ids[] = {"valid"};
    rspg_probe_options o = {
        .url = url, .pki_dir = pki, .cases = ids, .n_cases = 1, .timeout_s = 10};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_probe_result res;
    rspg_status rc = rspg_probe_run(&o, &d, &res);
    kill((pid_t)pid, SIGTERM);
    assert_int_equal(rc, RSPG_E_VERIFY);
    assert_int_equal((int)d.errors, 0);
    assert_int_equal(res.n, 0);
    assert_true(res.tls.checked);
    assert_true(res.tls.libcurl_refused);
    assert_int_equal(res.tls.result, RSPG_PROBE_SERVER_FAULT);
    assert_string_equal(res.tls.verdict.reason, "certificateExpired");
    assert_string_equal(res.tls.curve, "NIST");
    assert_int_equal(res.tls.sent, 1);
    assert_non_null(strstr(res.tls.note, "libcurl refused"));
    assert_string_equal(res.tls.host, "127.0.0.1");
    rspg_probe_result_free(&res);
    /* http:// with --insecure-http: no TLS row (and nothing listens there) */
    o.url = "http://127.0.0.1:1";
    o.insecure_http = 1;
    assert_int_equal(rspg_probe_run(&o, &d, &res), RSPG_E_IO);
    assert_false(res.tls.checked);
    rspg_probe_result_free(&res);
    free(url);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expectations),
        cmocka_unit_test(test_case_filter),
        cmocka_unit_test(test_run_errors),
        cmocka_unit_test(test_tls_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
