/*
 * test_es9_tls_peer.c: reading what a TLS server shows in its handshake
 * (src/lib/es9/es9_tls_peer.c) from a local `openssl s_server`: the certificates as sent (leaf
 * first, extra chain certificates after it), the TLS version and the IANA name of the suite,
 * TLS 1.2 with the brainpool options; a closed port and a URL without a host fail; the host
 * of a URL (IPv6 brackets dropped).
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rspg/asn1/pem.h"
#include "rspg/es9/es9_tls_peer.h"
#include "test_util.h"

extern char **environ;

static char *dir; /* the certificates, made once */
static int have_openssl;

/* A self-signed certificate NAME.der / NAME.pem with key NAME.key on CURVE. */
static int make_cert(const char *name, const char *curve)
{
    char *cmd = rspg_xasprintf(
        "cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:%s -nodes "
        "-subj '/CN=%s' -addext 'subjectAltName=IP:127.0.0.1' -days 30 -out %s.pem "
        "-keyout %s.key 2>/dev/null && openssl x509 -in %s.pem -outform DER -out %s.der",
        dir, curve, name, name, name, name, name);
    int rc = tu_run(cmd, NULL, NULL);
    free(cmd);
    return rc;
}

static int setup(void **state)
{
    if (tu_scratch_setup(state) != 0)
        return -1;
    dir = tu_scratch();
    have_openssl = make_cert("nist", "prime256v1") == 0 &&
                   make_cert("brp", "brainpoolP256r1") == 0 &&
                   make_cert("extra", "prime256v1") == 0;
    return 0;
}

static int teardown(void **state)
{
    free(dir);
    return tu_scratch_teardown(state);
}

/* `openssl s_server -www` with NAME's certificate (and CHAIN's as a chain certificate) on a
 * free port; its pid, or -1. *PORT gets the port. */
static pid_t start_server(const char *name, const char *chain, int *port)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        *port = 20000 + (int)((getpid() * 7 + attempt * 131) % 20000);
        char p[16], cert[512], key[512], ch[512];
        snprintf(p, sizeof(p), "%d", *port);
        snprintf(cert, sizeof(cert), "%s/%s.pem", dir, name);
        snprintf(key, sizeof(key), "%s/%s.key", dir, name);
        snprintf(ch, sizeof(ch), "%s/%s.pem", dir, chain ? chain : name);
        char *argv[] = {"openssl",
                        "s_server",
                        "-www",
                        "-quiet",
                        "-accept",
                        p,
                        "-cert",
                        cert,
                        "-key",
                        key,
                        chain ? "-cert_chain" : NULL,
                        ch,
                        NULL};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid;
        int rc = posix_spawnp(&pid, "openssl", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0)
            return -1;
        for (int i = 0; i < 50; i++) { /* up to 5 s for it to listen */
            char *cmd = rspg_xasprintf("exec 3<>/dev/tcp/127.0.0.1/%d", *port);
            char *sh = rspg_xasprintf("bash -c '%s' 2>/dev/null", cmd);
            int up = tu_run(sh, NULL, NULL) == 0;
            free(sh);
            free(cmd);
            if (up)
                return pid;
            if (waitpid(pid, NULL, WNOHANG) == pid)
                break; /* it could not listen there: another port */
            nanosleep(&(struct timespec){0, 100000000}, NULL);
        }
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    return -1;
}

static void stop_server(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

static void assert_file_der(const rspg_buf *got, const char *name)
{
    char *p = rspg_xasprintf("%s/%s.der", dir, name);
    rspg_buf want;
    rspg_buf_init(&want);
    assert_int_equal(tu_read_file(p, &want), 0);
    assert_int_equal(got->len, want.len);
    assert_memory_equal(got->data, want.data, want.len);
    rspg_buf_free(&want);
    free(p);
}

static void test_fetch(void **state)
{
    (void)state;
    if (!have_openssl)
        tu_skip("no openssl to make certificates");
    int port;
    pid_t pid = start_server("nist", "extra", &port);
    if (pid < 0)
        tu_skip("openssl s_server did not start");
    char *url = rspg_xasprintf("https://127.0.0.1:%d", port);
    rspg_es9_options o = {url, NULL, 0, 0, 10};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_tls_peer p;
    rspg_status rc = rspg_tls_peer_fetch(&o, &d, &p);
    stop_server(pid);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(p.n, 2); /* the leaf and the chain certificate, as sent */
    assert_file_der(&p.certs[0], "nist");
    assert_file_der(&p.certs[1], "extra");
    assert_string_equal(p.version, "TLSv1.3");
    assert_int_equal(strncmp(p.cipher, "TLS_AES_", 8), 0);
    assert_string_equal(p.host, "127.0.0.1");
    rspg_tls_peer_free(&p);
    free(url);
    rspg_diag_fini(&d);
}

/* The brainpool options: TLS 1.2, an ECDHE_ECDSA suite, the brainpool certificate. */
static void test_fetch_brainpool(void **state)
{
    (void)state;
    if (!have_openssl)
        tu_skip("no openssl to make certificates");
    int port;
    pid_t pid = start_server("brp", NULL, &port);
    if (pid < 0)
        tu_skip("openssl s_server did not start");
    char *url = rspg_xasprintf("https://127.0.0.1:%d/", port);
    rspg_es9_options o = {url, NULL, 0, 1, 10};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_tls_peer p;
    rspg_status rc = rspg_tls_peer_fetch(&o, &d, &p);
    stop_server(pid);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(p.n, 1);
    assert_file_der(&p.certs[0], "brp");
    assert_string_equal(p.version, "TLSv1.2");
    assert_int_equal(strncmp(p.cipher, "TLS_ECDHE_ECDSA_WITH_", 21), 0);
    rspg_tls_peer_free(&p);
    free(url);
    rspg_diag_fini(&d);
}

static void test_errors(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_tls_peer p;
    rspg_es9_options o = {"https://127.0.0.1:1", NULL, 0, 0, 5};
    assert_int_equal(rspg_tls_peer_fetch(&o, &d, &p), RSPG_E_IO); /* closed port */
    assert_int_equal(p.n, 0);
    rspg_tls_peer_free(&p);
    o.url = "https://";
    assert_int_equal(rspg_tls_peer_fetch(&o, &d, &p), RSPG_E_USAGE);
    rspg_tls_peer_free(&p);
    assert_int_equal((int)d.errors, 2);
    rspg_diag_fini(&d);
}

static void test_url_host(void **state)
{
    (void)state;
    char h[64];
    assert_int_equal(rspg_tls_url_host("https://testsmdpplus1.example.com", h, sizeof(h)), 0);
    assert_string_equal(h, "testsmdpplus1.example.com");
    assert_int_equal(rspg_tls_url_host("https://smdp.example:8443/a?b", h, sizeof(h)), 0);
    assert_string_equal(h, "smdp.example");
    assert_int_equal(rspg_tls_url_host("https://[::1]:443/", h, sizeof(h)), 0);
    assert_string_equal(h, "::1");
    assert_int_equal(rspg_tls_url_host("not a url", h, sizeof(h)), -1);
    assert_int_equal(rspg_tls_url_host("https://a-very-long-host.example.com", h, 8), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fetch),
        cmocka_unit_test(test_fetch_brainpool),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_url_host),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
