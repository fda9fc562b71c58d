/*
 * main.c: the rsp-pkigen command table (wireguard-tools style): one line per
 * subcommand, each parsing its own options.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"build", cmd_build, "build the certificates and keys of a profile into a folder"},
    {"verify", cmd_verify,
     "validate certificates as an eUICC, SM-DP+ or LPA would, with SGP.22 reasons"},
    {"mint", cmd_mint, "mint eUICC certificates in bulk (mint euicc ...)"},
    {"lint", cmd_lint, "check certificates against their role's GSMA SGP.26 profile"},
    {"show", cmd_show, "print a readable summary of certificates"},
    {"eid", cmd_eid, "check EIDs, or complete 30 digits with their check digits"},
    {"report", cmd_report, "write one self-contained HTML page of a build folder"},
    {"graph", cmd_graph, "print the hierarchy of a build folder in Graphviz DOT"},
    {"export", cmd_export, "write a build's SM-DP+ side as osmo-smdpp's data folder"},
    {"issue", cmd_issue,
     "certify a key held elsewhere (CSR or public key) with its role's profile"},
    {"renew", cmd_renew, "issue certificates of a build again: same keys, fresh serial and dates"},
    {"probe", cmd_probe, "run the build's eUICC cases against an SM-DP+ over ES9+ (SGP.22)"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: rsp-pkigen COMMAND [OPTIONS] [ARGS]\n\n"
            "Generates GSMA SGP.26 eSIM Remote SIM Provisioning test PKIs from YAML profiles.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'rsp-pkigen COMMAND --help' for a command's options.\n"
               "Options: --help, --version\n\n" CLI_EXIT_STATUS_HELP);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("rsp-pkigen %s\n", RSPG_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    return cli_usage_error("unknown command '%s' (run 'rsp-pkigen --help')", argv[1]);
}
