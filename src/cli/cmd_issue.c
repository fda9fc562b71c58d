/*
 * cmd_issue.c: `rsp-pkigen issue ROLE --csr FILE|--public-key FILE --issuer-cert C
 * --issuer-key K -o DIR`: parses the options and runs the issue flow
 * (flow/issue_flow.h), then prints its diagnostics and what it wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/asn1/der.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/flow/issue_flow.h"

static const char issue_usage[] =
    "Usage: rsp-pkigen issue ROLE (--csr FILE | --public-key FILE) --issuer-cert CERT\n"
    "                            --issuer-key KEY -o DIR [OPTIONS]\n"
    "\n"
    "Certifies a key held elsewhere (an SM-DP+ TLS key in a server or HSM, ...) with exactly\n"
    "the SGP.26 certificate profile of ROLE: the first valid certificate of that role and\n"
    "variant in the profile is the template (extensions, order, criticality, policy). A CSR's\n"
    "self-signature is checked and its subject used; the key's curve must be P-256 or\n"
    "brainpoolP256r1 and the issuer's. DIR gets the certificate (GSMA file names) and a\n"
    "manifest.json; no private key is written.\n"
    "\n"
    "Options:\n"
    "      --csr FILE           a PKCS#10 request (PEM or DER)\n"
    "      --public-key FILE    a public key (SubjectPublicKeyInfo, PEM or DER)\n"
    "      --issuer-cert CERT   the issuing CA's certificate (DER or PEM)\n"
    "      --issuer-key KEY     its private key (PEM or DER file, or a pkcs11: URI)\n"
    "  -o, --output DIR         output folder (required)\n"
    "      --variant V          O (default), Ov3, A, B or C\n"
    "      --profile FILE       where the template comes from (default: sgp26.yaml)\n"
    "      --subject /K=V/...   the subject, e.g. /O=ACME/CN=smdp.example.net (default: the\n"
    "                           CSR's, else the template's)\n"
    "      --var NAME=VALUE     a variable of the profile (repeatable)\n"
    "      --set PATH=VALUE     a value of the profile, e.g. o-dp-tls.validity.days=90\n"
    "      --days N             validity in days (default: the template's)\n"
    "      --serial HEX         serial number (default: a fresh 16-byte one)\n"
    "      --clock TIME         notBefore, YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH,\n"
    "                           else now)\n"
    "      --signatures KIND    rfc6979 (deterministic, default) or random ECDSA nonces\n"
    "      --force              replace DIR if it is a previous rsp-pkigen output\n"
    "      --json               print what was written as one JSON object\n"
    "  -q, --quiet              print nothing on success\n"
    "  -v, --verbose            also print the template and serial used\n"
    "  -h, --help               show this help\n"
    "\n"
    "A request whose self-signature does not verify, a key on another curve, or a file that\n"
    "is not a request, key or certificate is exit 4; an issuer that cannot issue ROLE is 2.\n"
    "\n" CLI_EXIT_STATUS_HELP;

struct issue_args {
    rspg_issue_flow_options fo;
    const char **vars, **sets;
    size_t n_vars, n_sets;
    cli_common common;
};

/* --days, --clock, --signatures: CLI_PROCEED or a usage error's exit code. */
static int parse_value(struct issue_args *a, int c, const char *arg)
{
    if (c == 'D')
        return cli_parse_days(arg, &a->fo.days);
    if (c == 't')
        return cli_parse_date("--clock", arg, &a->fo.clock, &a->fo.has_clock);
    if (strcmp(arg, "rfc6979") != 0 && strcmp(arg, "random") != 0)
        return cli_usage_error("--signatures takes rfc6979 or random, not '%s'", arg);
    a->fo.nonce = arg[1] == 'f' ? RSPG_NONCE_RFC6979 : RSPG_NONCE_RANDOM;
    return CLI_PROCEED;
}

static int issue_option(void *ctx, int c, const char *arg)
{
    struct issue_args *a = ctx;
    rspg_issue_flow_options *o = &a->fo;
    switch (c) {
    case 'C':
        o->csr = arg;
        return CLI_PROCEED;
    case 'P':
        o->public_key = arg;
        return CLI_PROCEED;
    case 'I':
        o->issuer_cert = arg;
        return CLI_PROCEED;
    case 'K':
        o->issuer_key = arg;
        return CLI_PROCEED;
    case 'o':
        o->output = arg;
        return CLI_PROCEED;
    case 'V':
        o->variant = arg;
        return CLI_PROCEED;
    case 'p':
        o->profile = arg;
        return CLI_PROCEED;
    case 's':
        o->subject = arg;
        return CLI_PROCEED;
    case 'n':
        o->serial = arg;
        return CLI_PROCEED;
    case 'f':
        o->force = 1;
        return CLI_PROCEED;
    case 'a':
        cli_push(&a->vars, &a->n_vars, arg);
        return CLI_PROCEED;
    case 'S':
        cli_push(&a->sets, &a->n_sets, arg);
        return CLI_PROCEED;
    case 'D':
    case 't':
    case 'g':
        return parse_value(a, c, arg);
    }
    return CLI_PROCEED;
}

static int parse_args(int argc, char **argv, struct issue_args *a)
{
    static const struct option opts[] = {
        {"csr", required_argument, NULL, 'C'},
        {"public-key", required_argument, NULL, 'P'},
        {"issuer-cert", required_argument, NULL, 'I'},
        {"issuer-key", required_argument, NULL, 'K'},
        {"output", required_argument, NULL, 'o'},
        {"variant", required_argument, NULL, 'V'},
        {"profile", required_argument, NULL, 'p'},
        {"subject", required_argument, NULL, 's'},
        {"serial", required_argument, NULL, 'n'},
        {"days", required_argument, NULL, 'D'},
        {"clock", required_argument, NULL, 't'},
        {"signatures", required_argument, NULL, 'g'},
        {"var", required_argument, NULL, 'a'},
        {"set", required_argument, NULL, 'S'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"issue", issue_usage, "o:", opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, issue_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind != argc - 1)
        return cli_usage_error(
            optind >= argc ? "issue needs a ROLE, e.g. dp-tls (see 'rsp-pkigen issue --help')"
                           : "issue takes one ROLE (see 'rsp-pkigen issue --help')");
    a->fo.role = argv[optind];
    if (!a->fo.csr == !a->fo.public_key)
        return cli_usage_error("issue needs one of --csr FILE or --public-key FILE");
    if (a->fo.issuer_cert == NULL || a->fo.issuer_key == NULL)
        return cli_usage_error("issue needs --issuer-cert CERT and --issuer-key KEY");
    if (a->fo.output == NULL)
        return cli_usage_error("issue needs an output folder: -o DIR");
    if (strcmp(a->fo.output, "-") == 0)
        return cli_usage_error("-o takes a folder; '-' (standard output) cannot hold one");
    return CLI_PROCEED;
}

static int run(struct issue_args *a)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_load_options lo = {a->vars, a->n_vars, a->sets, a->n_sets};
    a->fo.load = &lo;
    rspg_issue_flow_summary sum = {0};
    rspg_pkcs11_set_pin_callback(cli_pin_prompt, NULL);
    rspg_status rc = rspg_issue_flow_run(&a->fo, &d, &sum);
    cli_print_diag(&d);
    if (rc == RSPG_OK && a->common.json) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "output", a->fo.output, "certificate",
                              sum.cert_path, "template", sum.entity, "serial", sum.serial);
        cli_print_json(j ? j : json_object(), JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    } else if (rc == RSPG_OK && a->common.verbose) {
        printf("rsp-pkigen: template '%s', serial %s\n", sum.entity, sum.serial);
    }
    if (rc == RSPG_OK && !a->common.quiet && !a->common.json)
        printf("rsp-pkigen: wrote %s/%s and manifest.json\n", a->fo.output, sum.cert_path);
    rspg_issue_flow_summary_free(&sum);
    rspg_diag_fini(&d);
    return cli_exit_code(rc);
}

int cmd_issue(int argc, char **argv)
{
    struct issue_args a;
    memset(&a, 0, sizeof(a));
    a.fo.nonce = RSPG_NONCE_RFC6979;
    int code = parse_args(argc, argv, &a);
    if (code == CLI_PROCEED)
        code = run(&a);
    free(a.vars);
    free(a.sets);
    return code;
}
