/*
 * cmd_probe.c: `rsp-pkigen probe URL --pki BUILD_DIR`: an ES9+ conformance client (SGP.22
 * §5.6, §6.5) acting as LPA + software eUICC with the build's eUICC certificates and keys;
 * prints the table case | curve | expected | got | verdict (or --json), the first row the
 * server's TLS certificate chain as rsp-pkigen's verifier judges it (tls/server-certificate).
 * Exit 0 when the server did what SGP.22 requires of every case and its TLS certificate is
 * valid, 1 when it accepted what it must reject or rejected what it must accept (or a case
 * could not run), or its TLS certificate is invalid (libcurl refusing it too stops the run
 * there), 2 for bad usage and for a server that is unreachable, times out or does not speak
 * ES9+, 4 for a build whose files cannot be used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/flow/probe_flow.h"

static const char probe_usage[] =
    "Usage: rsp-pkigen probe URL --pki BUILD_DIR [options]\n"
    "\n"
    "Runs the eUICC cases of a build against an SM-DP+ over ES9+ (SGP.22 section 5.6) as an\n"
    "LPA with a software eUICC, and compares each answer with what SGP.22 requires. The first\n"
    "row, tls/server-certificate, judges the TLS chain the server sends (rsp-pkigen's\n"
    "verifier: DP TLS under the build's CI, the URL's host in its subjectAltName).\n"
    "\n"
    "Options:\n"
    "      --pki DIR          the build folder (its manifest.json, eUICC certificates and keys)\n"
    "      --variant V        the variant whose cases run (default O)\n"
    "      --curve C          nist, brp or both (default nist); brp runs TLS 1.2 with the\n"
    "                         brainpoolP256r1 group\n"
    "      --case ID          run only this case (repeatable): valid, euicc/unknown-ci, ...\n"
    "      --matching-id ID   the matchingId sent in AuthenticateClient (to download a profile)\n"
    "      --insecure-http    allow an http:// URL (a server run without TLS)\n"
    "      --ca FILE          libcurl's TLS trust anchors (PEM); default: the build's CI\n"
    "                         certificate(s); the tls row always judges by the build's CIs\n"
    "      --timeout S        seconds per request (default 30)\n"
    "      --json             one JSON document instead of the table\n"
    "  -q, --quiet            print nothing; the exit status tells\n"
    "  -v, --verbose          print why, under each row\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 the server did what SGP.22 requires of every case; 1 it accepted what it\n"
    "must reject or rejected what it must accept, or its TLS certificate is invalid; 2 bad\n"
    "usage, or the server is unreachable, timed out or is not an ES9+ server; 4 the build\n"
    "cannot be used.\n";

struct probe_cli {
    rspg_probe_options o;
    const char **cases;
    cli_common common;
};

static void expected_text(const rspg_probe_expect *e, char *buf, size_t cap)
{
    if (e->accept)
        snprintf(buf, cap, "success");
    else
        snprintf(buf, cap, "%s/%s %s", e->subject_code ? e->subject_code : "-",
                 e->reason_code ? e->reason_code : "-", e->reason);
}

/* The row tls/server-certificate: the server's TLS chain judged by rsp-pkigen's verifier. */
static void print_tls_row(const struct probe_cli *p, const rspg_probe_tls *t)
{
    if (!t->checked)
        return;
    printf("%-28s %-5s %-38s %-18s %s\n", "tls/server-certificate", t->curve, "valid DP TLS",
           t->verdict.valid ? "valid" : t->verdict.reason, rspg_probe_verdict_name(t->result));
    if (p->common.verbose && t->note[0])
        printf("    %s\n", t->note);
}

static void print_table(const struct probe_cli *p, const rspg_probe_result *res)
{
    char ex[128], got[64];
    printf("%-28s %-5s %-38s %-18s %s\n", "case", "curve", "expected", "got", "verdict");
    print_tls_row(p, &res->tls);
    for (size_t i = 0; i < res->n; i++) {
        const rspg_probe_row *r = &res->rows[i];
        expected_text(&r->expect, ex, sizeof(ex));
        if (r->got.answered)
            rspg_probe_status_text(&r->got.auth, got, sizeof(got));
        else
            snprintf(got, sizeof(got), "-");
        printf("%-28s %-5s %-38s %-18s %s\n", r->case_id, r->curve, ex, got,
               rspg_probe_verdict_name(r->verdict));
        if (p->common.verbose && r->note[0])
            printf("    %s\n", r->note);
    }
    printf("probe: %zu cases: %zu pass, %zu other code, %zu server faults, %zu errors\n", res->n,
           res->pass, res->other_code, res->server_faults, res->errors);
    const rspg_probe_tls *t = &res->tls;
    if (t->checked)
        printf("probe: TLS %s, %s; %zu certificate%s sent; certificate %s%s\n",
               t->version[0] ? t->version : "(version unknown)",
               t->cipher[0] ? t->cipher : "(suite unknown)", t->sent, t->sent == 1 ? "" : "s",
               rspg_probe_verdict_name(t->result),
               t->libcurl_refused ? " (libcurl refused it: no case run)" : "");
}

static json_t *tls_json(const rspg_probe_tls *t)
{
    if (!t->checked)
        return json_null();
    const rspg_verdict *v = &t->verdict;
    json_t *got = json_pack("{s:b, s:s?, s:s?, s:s, s:s, s:s}", "valid", v->valid, "reason",
                            v->reason, "check", v->check, "message", v->message, "certificate",
                            v->cert, "chain", v->chain);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:I, s:{s:s, s:s, s:s}, s:o, s:b, s:s, s:s}", "case",
        "tls/server-certificate", "curve", t->curve, "version", t->version, "cipher", t->cipher,
        "host", t->host, "sent", (json_int_t)t->sent, "expected", "role", "dp-tls", "host", t->host,
        "source", "SGP.22 §2.6.6, §4.5.2.2; RFC 6125 §6.4", "got", got, "libcurl_refused",
        t->libcurl_refused, "verdict", rspg_probe_verdict_name(t->result), "note", t->note);
}

static json_t *row_json(const rspg_probe_row *r)
{
    char got[64];
    const rspg_probe_expect *e = &r->expect;
    json_t *ex = json_pack("{s:b}", "accept", e->accept);
    if (!e->accept) {
        json_object_set_new(ex, "reason", json_string(e->reason));
        json_object_set_new(ex, "subjectCode",
                            e->subject_code ? json_string(e->subject_code) : json_null());
        json_object_set_new(ex, "reasonCode",
                            e->reason_code ? json_string(e->reason_code) : json_null());
    }
    json_object_set_new(ex, "source", json_string(e->cite ? e->cite : ""));
    json_t *g = json_pack("{s:b, s:s, s:s, s:s, s:s, s:b}", "answered", r->got.answered, "status",
                          rspg_probe_status_text(&r->got.auth, got, sizeof(got)), "subjectCode",
                          r->got.auth.subject_code, "reasonCode", r->got.auth.reason_code,
                          "message", r->got.auth.message, "downloaded", r->got.downloaded);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "case", r->case_id, "curve", r->curve,
                     "euicc", r->euicc ? r->euicc : "", "expected", ex, "got", g, "verdict",
                     rspg_probe_verdict_name(r->verdict), "note", r->note);
}

static void print_json(const struct probe_cli *p, const rspg_probe_result *res)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < res->n; i++)
        json_array_append_new(rows, row_json(&res->rows[i]));
    json_t *j =
        json_pack("{s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:s?}}", "url", p->o.url, "pki",
                  p->o.pki_dir, "tls", tls_json(&res->tls), "cases", rows, "summary", "pass",
                  (json_int_t)res->pass, "other_code", (json_int_t)res->other_code, "server_faults",
                  (json_int_t)res->server_faults, "errors", (json_int_t)res->errors, "tls",
                  res->tls.checked ? rspg_probe_verdict_name(res->tls.result) : NULL);
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", s);
    free(s);
    json_decref(j);
}

static int parse_curve(const char *s, unsigned *out)
{
    if (strcmp(s, "nist") == 0)
        *out = RSPG_PROBE_NIST;
    else if (strcmp(s, "brp") == 0)
        *out = RSPG_PROBE_BRP;
    else if (strcmp(s, "both") == 0)
        *out = RSPG_PROBE_NIST | RSPG_PROBE_BRP;
    else
        return -1;
    return 0;
}

/* probe's long options (-q, -v, --json and -h are every command's: cli_parse_options). */
enum { O_PKI = 256, O_VARIANT, O_CURVE, O_CASE, O_MATCHING, O_INSECURE, O_CA, O_TIMEOUT };

/* One option of probe's own, ARG its value: CLI_PROCEED, or bad usage's exit code. */
static int probe_option(void *ctx, int c, const char *arg)
{
    struct probe_cli *p = ctx;
    char *end;
    switch (c) {
    case O_PKI:
        p->o.pki_dir = arg;
        break;
    case O_VARIANT:
        p->o.variant = arg;
        break;
    case O_CURVE:
        if (parse_curve(arg, &p->o.curves) != 0)
            return cli_usage_error("--curve: expected nist, brp or both, not '%s'", arg);
        break;
    case O_CASE:
        cli_push(&p->cases, &p->o.n_cases, arg);
        break;
    case O_MATCHING:
        p->o.matching_id = arg;
        break;
    case O_INSECURE:
        p->o.insecure_http = 1;
        break;
    case O_CA:
        p->o.ca_file = arg;
        break;
    case O_TIMEOUT:
        p->o.timeout_s = strtol(arg, &end, 10);
        if (*arg == 0 || *end || p->o.timeout_s <= 0 || p->o.timeout_s > 3600)
            return cli_usage_error("--timeout: expected seconds (1..3600), not '%s'", arg);
        break;
    }
    return CLI_PROCEED;
}

/* Parses the options into P; returns CLI_PROCEED, EXIT_OK after --help, or the exit code
 * of bad usage. */
static int parse(int argc, char **argv, struct probe_cli *p)
{
    static const struct option lo[] = {{"pki", required_argument, 0, O_PKI},
                                       {"variant", required_argument, 0, O_VARIANT},
                                       {"curve", required_argument, 0, O_CURVE},
                                       {"case", required_argument, 0, O_CASE},
                                       {"matching-id", required_argument, 0, O_MATCHING},
                                       {"insecure-http", no_argument, 0, O_INSECURE},
                                       {"ca", required_argument, 0, O_CA},
                                       {"timeout", required_argument, 0, O_TIMEOUT},
                                       {0, 0, 0, 0}};

    static const cli_command cmd = {"probe", probe_usage, NULL, lo, 1};
    int code = cli_parse_options(argc, argv, &cmd, probe_option, p, &p->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind + 1 != argc)
        return cli_usage_error("probe: expected one URL (rsp-pkigen probe URL --pki BUILD_DIR)");
    if (!p->o.pki_dir)
        return cli_usage_error("probe: --pki BUILD_DIR is required");
    p->o.url = argv[optind];
    p->o.cases = p->cases;
    return CLI_PROCEED;
}

int cmd_probe(int argc, char **argv)
{
    struct probe_cli p;
    memset(&p, 0, sizeof(p));
    int rc = parse(argc, argv, &p);
    if (rc != CLI_PROCEED) {
        free(p.cases);
        return rc;
    }
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_probe_result res;
    rspg_status st = rspg_probe_run(&p.o, &d, &res);
    cli_print_diag(&d);
    if (st == RSPG_OK || st == RSPG_E_VERIFY) {
        if (p.common.json)
            print_json(&p, &res);
        else if (!p.common.quiet)
            print_table(&p, &res);
    }
    /* an unreachable or non-ES9+ server, and bad usage: 2 */
    rc = st == RSPG_E_IO ? EXIT_USAGE : cli_exit_code(st);
    rspg_probe_result_free(&res);
    rspg_diag_fini(&d);
    free(p.cases);
    return rc;
}
