/*
 * cli_options.c: the options every subcommand shares (cli.h): -q/--quiet, -v/--verbose,
 * --json where the command reports, -h/--help, and the errors of getopt_long (an option
 * without its value, an unknown option). Each cmd_*.c gives its own options and a function
 * for them; this file runs getopt_long over both.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* getopt_long's value for --json: above every character a short option can be. */
enum { OPT_JSON = 0x7f00 };

static const struct option common_opts[] = {
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"json", no_argument, NULL, OPT_JSON},
};

int cli_option_error(int c, const char *command, char **argv)
{
    if (c == ':')
        return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
    return cli_usage_error("unknown option '%s' (see 'rsp-pkigen %s --help')", argv[optind - 1],
                           command);
}

/* CMD's long options followed by the common ones (--json only when CMD takes it). */
static struct option *merged_long_options(const cli_command *cmd)
{
    size_t n = 0, k = 0;
    while (cmd->long_opts && cmd->long_opts[n].name)
        n++;
    size_t n_common = sizeof(common_opts) / sizeof(common_opts[0]) - (cmd->json ? 0 : 1);
    struct option *all = rspg_xcalloc(n + n_common + 1, sizeof(*all));
    for (size_t i = 0; i < n; i++)
        all[k++] = cmd->long_opts[i];
    for (size_t i = 0; i < n_common; i++)
        all[k++] = common_opts[i];
    return all; /* the last entry stays zero */
}

/* A common option C: CLI_PROCEED, EXIT_OK after --help, or a usage error's exit code;
 * OWN when C is not one of them. */
enum { OWN = -2 };
static int common_option(int c, const cli_command *cmd, char **argv, cli_common *common)
{
    switch (c) {
    case 'q':
        common->quiet = 1;
        return CLI_PROCEED;
    case 'v':
        common->verbose = 1;
        return CLI_PROCEED;
    case OPT_JSON:
        common->json = 1;
        return CLI_PROCEED;
    case 'h':
        fputs(cmd->usage, stdout);
        return EXIT_OK;
    case ':':
    case '?':
        return cli_option_error(c, cmd->name, argv);
    }
    return OWN;
}

int cli_parse_options(int argc, char **argv, const cli_command *cmd, cli_option_fn own, void *ctx,
                      cli_common *common)
{
    char *short_opts = rspg_xasprintf(":%sqvh", cmd->short_opts ? cmd->short_opts : "");
    struct option *long_opts = merged_long_options(cmd);
    int c, code = CLI_PROCEED;
    optind = 1;
    opterr = 0;
    while (code == CLI_PROCEED && (c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1)
        if ((code = common_option(c, cmd, argv, common)) == OWN)
            code = own ? own(ctx, c, optarg) : CLI_PROCEED;
    free(long_opts);
    free(short_opts);
    return code;
}
