/*
 * cmd_export.c: `rsp-pkigen export osmo-smdpp BUILD_DIR -o DATA_DIR`: parses the options and
 * runs the export (flow/export.h: the SM-DP+ side of a build as osmo-smdpp's smdpp-data
 * tree), then prints its diagnostics and a summary (text or --json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/flow/export.h"

static const char export_usage[] =
    "Usage: rsp-pkigen export osmo-smdpp BUILD_DIR -o DATA_DIR [OPTIONS]\n"
    "\n"
    "Writes the SM-DP+ certificates and keys of a build, and its CI, as osmo-smdpp's data\n"
    "folder (pySim's smdpp-data): DATA_DIR/certs/{CertificateIssuer,DPauth,DPpb,DPtls} with\n"
    "pySim's file names (CERT_CI_ECDSA_NIST.der, DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der +\n"
    "SK_S_SM_DPauth_ECDSA_NIST.pem, DPtls/CERT_S_SM_DP_TLS_BRP.der + SK_S_SM_DP_TLS_BRP.pem,\n"
    "...), on each curve (NIST, BRP) the build has. CertificateIssuer/ holds the CI\n"
    "certificates only. Files are found through BUILD_DIR/manifest.json and checked against\n"
    "its sha256. Only DATA_DIR/certs is written (atomically, keys 0600); DATA_DIR/upp and\n"
    "anything else in DATA_DIR are left alone.\n"
    "\n"
    "Options:\n"
    "  -o, --output DATA_DIR  osmo-smdpp's data folder (required; created when missing)\n"
    "      --variant V        the variant to export: O (default) or Ov3 (its SM-DP+\n"
    "                         certificates must be issued by the CI itself)\n"
    "      --dp NAME          the SM-DP+ by its manifest name (default: the first with DPauth,\n"
    "                         DPpb and DP TLS certificates, e.g. 'SM-DP+' before 'SM-DP+2')\n"
    "      --force            replace DATA_DIR/certs if it is an osmo-smdpp certs folder\n"
    "      --json             print the summary as JSON\n"
    "  -q, --quiet            print nothing on success\n"
    "  -v, --verbose          list the files written\n"
    "  -h, --help             show this help\n"
    "\n"
    "osmo-smdpp serves TLS as testsmdpplus1.example.com: build the DP TLS certificate for that\n"
    "name (profiles/private-root.yaml: --var dp_host=testsmdpplus1.example.com).\n"
    "\n" CLI_EXIT_STATUS_HELP;

struct export_args {
    rspg_export_options o;
    cli_common common;
};

static int export_option(void *ctx, int c, const char *arg)
{
    struct export_args *a = ctx;
    switch (c) {
    case 'o':
        a->o.output = arg;
        break;
    case 'V':
        if (strcmp(arg, "O") && strcmp(arg, "Ov3") && strcmp(arg, "A") && strcmp(arg, "B") &&
            strcmp(arg, "C"))
            return cli_usage_error("unknown variant '%s' (expected O, Ov3, A, B or C)", arg);
        a->o.variant = arg;
        break;
    case 'd':
        a->o.dp_name = arg;
        break;
    case 'f':
        a->o.force = 1;
        break;
    }
    return CLI_PROCEED;
}

static int parse_args(int argc, char **argv, struct export_args *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"variant", required_argument, NULL, 'V'},
        {"dp", required_argument, NULL, 'd'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"export", export_usage, "o:", opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, export_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind >= argc)
        return cli_usage_error(
            "export needs a layout: osmo-smdpp (see 'rsp-pkigen export --help')");
    if (strcmp(argv[optind], "osmo-smdpp") != 0)
        return cli_usage_error("unknown export layout '%s' (expected osmo-smdpp)", argv[optind]);
    if (optind + 2 != argc)
        return cli_usage_error(optind + 1 >= argc ? "export osmo-smdpp needs a BUILD_DIR"
                                                  : "export osmo-smdpp takes one BUILD_DIR");
    if (a->o.output == NULL)
        return cli_usage_error("export needs an output folder: -o DATA_DIR");
    a->o.build_dir = argv[optind + 1];
    return CLI_PROCEED;
}

static void print_summary(const struct export_args *a, const rspg_export_summary *s)
{
    const char *variant = a->o.variant ? a->o.variant : "O";
    if (a->common.json) {
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s, s:s}", "layout", "osmo-smdpp", "build", a->o.build_dir,
                      "output", a->o.output, "variant", variant, "sm_dp", s->dp_name);
        json_t *cs = json_array();
        char curves[sizeof(s->curves)], *save = NULL;
        snprintf(curves, sizeof(curves), "%s", s->curves);
        for (char *t = strtok_r(curves, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            json_array_append_new(cs, json_string(t));
        json_object_set_new(o, "curves", cs);
        json_t *fs = json_array();
        for (size_t i = 0; i < s->files && i < RSPG_EXPORT_MAX_FILES; i++)
            json_array_append_new(fs, json_sprintf("certs/%s", s->paths[i]));
        json_object_set_new(o, "files", fs);
        cli_print_json(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        return;
    }
    printf("rsp-pkigen: wrote %zu files of Variant %s (%s, %s) to %s/certs for osmo-smdpp\n",
           s->files, variant, s->dp_name, s->curves, a->o.output);
    for (size_t i = 0; a->common.verbose && i < s->files && i < RSPG_EXPORT_MAX_FILES; i++)
        printf("  %s/certs/%s\n", a->o.output, s->paths[i]);
}

int cmd_export(int argc, char **argv)
{
    struct export_args a;
    memset(&a, 0, sizeof(a));
    int code = parse_args(argc, argv, &a);
    if (code != CLI_PROCEED)
        return code;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_export_summary sum;
    rspg_status rc = rspg_export_osmo_smdpp(&a.o, &d, &sum);
    cli_print_diag(&d);
    if (rc == RSPG_OK && !a.common.quiet)
        print_summary(&a, &sum);
    rspg_diag_fini(&d);
    return cli_exit_code(rc);
}
