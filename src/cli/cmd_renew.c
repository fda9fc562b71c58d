/*
 * cmd_renew.c: `rsp-pkigen renew DIR [--only ROLE|ID|crl ...] [--days N] [--clock T]`: parses
 * the options and runs the renew flow (flow/renew.h), then prints its diagnostics and a
 * one-line summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/asn1/der.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/flow/renew.h"

static const char renew_usage[] =
    "Usage: rsp-pkigen renew DIR [--only ROLE|ID|crl ...] [--days N] [--clock TIME]\n"
    "\n"
    "Issues chosen certificates of the build folder DIR again, with the same keys, names and\n"
    "extensions and a fresh serial and validity; every other file of DIR stays byte-identical.\n"
    "The build is redone from what DIR/manifest.json records (profile and its SHA-256, --var,\n"
    "--set, --key-dir, seed). Keys come from DIR's SK_ files, else from the recorded source.\n"
    "CA certificates are not renewed (build again for those). CRLs past the middle of their\n"
    "period are signed again by their CA (same entries, cRLNumber + 1). DIR is replaced\n"
    "atomically, after the renewed folder verifies as its manifest says.\n"
    "\n"
    "Options:\n"
    "      --only ROLE|ID     only these roles (dp-tls, ds-tls, ...) or entity ids; repeatable\n"
    "                         or comma-separated (default: every valid end-entity certificate);\n"
    "                         'crl': every valid CRL, a CRL's id: that one (due CRLs are\n"
    "                         renewed whatever --only says)\n"
    "      --days N           validity in days (default: each certificate's present length)\n"
    "      --clock TIME       notBefore, YYYY-MM-DDTHH:MM:SSZ (default: SOURCE_DATE_EPOCH, else\n"
    "                         now)\n"
    "      --profile FILE     the build's profile, when its recorded path does not lead to it\n"
    "                         (it must be the same file: its SHA-256 is checked)\n"
    "      --key-dir DIR      the build's --key-dir, when the recorded one does not lead to it\n"
    "      --json             print the counts as one JSON object\n"
    "  -q, --quiet            print nothing on success\n"
    "  -v, --verbose          also print how many files were kept\n"
    "  -h, --help             show this help\n"
    "\n" CLI_EXIT_STATUS_HELP;

struct renew_args {
    rspg_renew_options ro;
    char **only;
    size_t n_only;
    cli_common common;
};

static int renew_option(void *ctx, int c, const char *arg)
{
    struct renew_args *a = ctx;
    switch (c) {
    case 'r':
        cli_push_list(&a->only, &a->n_only, arg);
        break;
    case 'D':
        return cli_parse_days(arg, &a->ro.days);
    case 't':
        return cli_parse_date("--clock", arg, &a->ro.clock, &a->ro.has_clock);
    case 'p':
        a->ro.profile = arg;
        break;
    case 'k':
        a->ro.key_dir = arg;
        break;
    }
    return CLI_PROCEED;
}

static int parse_args(int argc, char **argv, struct renew_args *a)
{
    static const struct option opts[] = {
        {"only", required_argument, NULL, 'r'},    {"days", required_argument, NULL, 'D'},
        {"clock", required_argument, NULL, 't'},   {"profile", required_argument, NULL, 'p'},
        {"key-dir", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"renew", renew_usage, NULL, opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, renew_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind != argc - 1)
        return cli_usage_error(
            optind >= argc ? "renew needs a build folder DIR (see 'rsp-pkigen renew --help')"
                           : "renew takes one DIR (see 'rsp-pkigen renew --help')");
    if (strcmp(argv[optind], "-") == 0)
        return cli_usage_error("renew takes a folder; '-' (standard input) cannot be one");
    a->ro.dir = argv[optind];
    a->ro.only = (const char *const *)a->only;
    a->ro.n_only = a->n_only;
    return CLI_PROCEED;
}

static int run(struct renew_args *a)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_renew_summary sum = {0, 0, 0, 0};
    rspg_pkcs11_set_pin_callback(cli_pin_prompt, NULL);
    rspg_status rc = rspg_renew_run(&a->ro, &d, &sum);
    cli_print_diag(&d);
    if (rc == RSPG_OK && a->common.json) {
        json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I}", "folder", a->ro.dir, "certificates",
                              (json_int_t)sum.certificates, "crls", (json_int_t)sum.crls, "files",
                              (json_int_t)sum.files, "kept", (json_int_t)sum.kept);
        cli_print_json(j ? j : json_object(), JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        a->common.quiet = 1;
        a->common.verbose = 0;
    }
    if (rc == RSPG_OK && !a->common.quiet && sum.crls)
        printf("rsp-pkigen: renewed %zu certificates and %zu CRLs (%zu files) in %s\n",
               sum.certificates, sum.crls, sum.files, a->ro.dir);
    else if (rc == RSPG_OK && !a->common.quiet)
        printf("rsp-pkigen: renewed %zu certificates (%zu files) in %s\n", sum.certificates,
               sum.files, a->ro.dir);
    if (rc == RSPG_OK && a->common.verbose)
        printf("rsp-pkigen: %zu other files left byte-identical; manifest.json updated\n",
               sum.kept);
    rspg_diag_fini(&d);
    return cli_exit_code(rc);
}

int cmd_renew(int argc, char **argv)
{
    struct renew_args a;
    memset(&a, 0, sizeof(a));
    int code = parse_args(argc, argv, &a);
    if (code == CLI_PROCEED)
        code = run(&a);
    cli_free_list(a.only, a.n_only);
    return code;
}
