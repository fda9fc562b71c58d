/*
 * cmd_graph.c: `rsp-pkigen graph DIR [--variant V] [--curve C]`: the hierarchy of a build
 * folder in Graphviz DOT on stdout (report/graph.h), e.g. `| dot -Tsvg > pki.svg`.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rspg/report/graph.h"

static const char graph_usage[] =
    "Usage: rsp-pkigen graph DIR [--variant V] [--curve C] [-o FILE]\n"
    "\n"
    "Prints the certificate hierarchy of a folder written by 'rsp-pkigen build' in Graphviz\n"
    "DOT: one cluster per variant and curve, an edge from each issuer to what it signed, each\n"
    "node with role, subject CN, serial and validity; invalid cases dashed red with the\n"
    "SGP.22 reason a validator must reach. Render it with 'dot -Tsvg'.\n"
    "\n"
    "Options:\n"
    "      --variant V        only variant V (O, Ov3, A, B, C: those of the build)\n"
    "      --curve C          only curve C (prime256v1, brainpoolP256r1, or nist, brp, P-256)\n"
    "  -o, --output FILE      write the DOT text to FILE (default, or '-': stdout)\n"
    "  -q, --quiet            print nothing but the graph\n"
    "  -v, --verbose          also print the number of bytes written (stderr)\n"
    "  -h, --help             show this help\n"
    "\n" CLI_EXIT_STATUS_HELP;

typedef struct graph_args {
    const char *dir, *variant, *curve, *out;
    cli_common common;
} graph_args;

static int graph_option(void *ctx, int c, const char *arg)
{
    graph_args *a = ctx;
    if (c == 'V')
        a->variant = arg;
    else if (c == 'C')
        a->curve = arg;
    else if (c == 'o')
        a->out = arg;
    return CLI_PROCEED;
}

static int parse_args(int argc, char **argv, graph_args *a)
{
    static const struct option opts[] = {
        {"variant", required_argument, NULL, 'V'},
        {"curve", required_argument, NULL, 'C'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"graph", graph_usage, "o:", opts, 0};
    int code = cli_parse_options(argc, argv, &cmd, graph_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind != argc - 1)
        return cli_usage_error("graph needs one build folder (see 'rsp-pkigen graph --help')");
    a->dir = argv[optind];
    return CLI_PROCEED;
}

int cmd_graph(int argc, char **argv)
{
    graph_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_PROCEED)
        return rc;
    rspg_diag d;
    rspg_buf dot;
    rspg_diag_init(&d);
    rspg_buf_init(&dot);
    rspg_status st = rspg_report_dot(a.dir, a.variant, a.curve, &dot, &d);
    cli_print_diag(&d);
    rspg_diag_fini(&d);
    int ex = cli_exit_code(st);
    if (st == RSPG_OK) {
        if (cli_write_output(a.out, &dot) != 0) {
            int to_stdout = a.out == NULL || strcmp(a.out, "-") == 0;
            fprintf(stderr, "rsp-pkigen: error: %s: cannot write the graph\n",
                    to_stdout ? "stdout" : a.out);
            ex = EXIT_FAILURE_RUN;
        } else if (a.common.verbose && !a.common.quiet) {
            fprintf(stderr, "rsp-pkigen: graph of %s: %zu bytes of DOT\n", a.dir, dot.len);
        }
    }
    rspg_buf_free(&dot);
    return ex;
}
