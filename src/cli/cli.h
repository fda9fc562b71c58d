/*
 * cli.h: what the subcommands share: exit codes, diagnostics printing, and the command
 * signature. The CLI is thin: it parses options, calls the library, prints its
 * diagnostics as "rsp-pkigen: error: FILE:LINE:COL: message", and picks the exit code.
 */
#ifndef RSPG_CLI_H
#define RSPG_CLI_H

#include <getopt.h>

#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"

struct json_t; /* jansson's */

enum {
    EXIT_OK = 0,
    EXIT_FAILURE_RUN = 1, /* issuing, writing or verification failed */
    EXIT_USAGE = 2,       /* bad usage or a bad profile */
    EXIT_EXPIRING = 3,    /* verify DIR --expiring-within found certificates expiring soon */
    EXIT_INPUT = 4,       /* an input file is not a certificate, key, CRL or card certificate */
};

/* The exit codes in words, for every --help (README.md "Exit status" says the same). */
#define CLI_EXIT_STATUS_HELP                                                                       \
    "Exit status:\n"                                                                               \
    "  0  success\n"                                                                               \
    "  1  failed: issuing, writing, or a verification found a verdict other than expected\n"       \
    "  2  bad usage or a bad profile (a profile file that cannot be read included)\n"              \
    "  3  verify --expiring-within: a certificate or CRL expires within the window\n"              \
    "  4  an input file is not a certificate, key, CRL or card certificate\n"

/* Prints every diagnostic of D to stderr, one line each. */
void cli_print_diag(const rspg_diag *d);
/* Maps a library status to an exit code: the only place that does (cli_util.c). */
int cli_exit_code(rspg_status rc);
/* Prints "rsp-pkigen: error: ..." to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) RSPG_PRINTF(1, 2);

/* ---- the options every subcommand shares (cli_options.c) ---- */

/* -q/--quiet, -v/--verbose and --json as the command line gave them. */
typedef struct cli_common {
    int quiet, verbose, json;
} cli_common;

/* A subcommand's command line: NAME (in messages), USAGE (its --help text, on stdout), its
 * own short options in getopt syntax (e.g. "o:"; NULL for none) and long options (ended by
 * a zero entry; NULL for none), and whether it takes --json (1) or not (0). -q, -v, -h and
 * their long forms are every command's. */
typedef struct cli_command {
    const char *name;
    const char *usage;
    const char *short_opts;
    const struct option *long_opts;
    int json;
} cli_command;

#define CLI_PROCEED (-1) /* parsing went through: go on */

/* One of a command's own options: C as getopt_long returned it, ARG its value (optarg, or
 * NULL). Returns CLI_PROCEED, or the exit code to end with (its error printed). */
typedef int (*cli_option_fn)(void *ctx, int c, const char *arg);

/* Runs getopt_long over ARGV (ARGV[0] the command's name) with CMD's options and the
 * common ones: -q, -v and --json set COMMON, -h prints CMD's usage, every other option
 * goes to OWN (may be NULL when CMD has none). Returns CLI_PROCEED when all options were
 * read (optind: the first operand), EXIT_OK after --help, or the exit code of a usage
 * error: "option '-o' needs a value", "unknown option '--x' (see 'rsp-pkigen NAME
 * --help')", or what OWN returned. */
int cli_parse_options(int argc, char **argv, const cli_command *cmd, cli_option_fn own, void *ctx,
                      cli_common *common);
/* The error of getopt_long's ':' (the option before optind needs a value) or of any other
 * result C it does not know (an unknown option of COMMAND); returns EXIT_USAGE. */
int cli_option_error(int c, const char *command, char **argv);

/* "unknown role 'X' (expected ci, ...; did you mean Y?)" and "unknown variant 'X' (...)"
 * as usage errors; return EXIT_USAGE. */
int cli_bad_role(const char *bad);
int cli_bad_variant(const char *bad);

/* Reads the input PATH into OUT: standard input when PATH is "-" (read to its end), else
 * the regular file PATH. At most MAX bytes. Prints "rsp-pkigen: error: ..." naming WHAT
 * and returns -1 when it cannot be read. */
int cli_read_input(const char *path, size_t max, const char *what, rspg_buf *out);
/* The name of input PATH in messages: "<stdin>" for "-". */
const char *cli_input_name(const char *path);

/* Writes DATA to the file PATH, or to stdout when PATH is NULL or "-". Returns 0, or -1
 * with errno set (the caller names what it wrote). */
int cli_write_output(const char *path, const rspg_buf *data);

/* Prints ROOT as JSON text (json_dumps FLAGS) and a newline on stdout, then releases ROOT
 * (nothing is printed when it cannot be encoded). */
void cli_print_json(struct json_t *root, size_t flags);

/* Prints the diagnostics of SUB, each prefixed with PREFIX (an input's name), and empties
 * SUB. */
void cli_print_diag_prefixed(rspg_diag *sub, const char *prefix);

/* ---- option values several subcommands share (cli_values.c) ---- */

/* OPTION's date ARG (YYYY-MM-DDTHH:MM:SSZ) into T, and GIVEN set to 1: CLI_PROCEED, or
 * EXIT_USAGE after "OPTION 'ARG' is not a date (YYYY-MM-DDTHH:MM:SSZ)". */
int cli_parse_date(const char *option, const char *arg, int64_t *t, int *given);
/* --days ARG, 1 to 36500, into DAYS: CLI_PROCEED, or EXIT_USAGE after the error. */
int cli_parse_days(const char *arg, long long *days);
/* Appends ARG (borrowed from argv) to the list V of N: a repeatable option. */
void cli_push(const char ***v, size_t *n, const char *arg);
/* Appends each comma-separated item of ARG (copied) to V of N: "--only a,b --only c". */
void cli_push_list(char ***v, size_t *n, const char *arg);
/* Frees a list cli_push_list made. */
void cli_free_list(char **v, size_t n);

/* Resolves a password source (--pkcs12=SOURCE): "env:VAR" (the variable's value),
 * "file:PATH" (its first line), or NULL (asked twice on the terminal, without echo). A
 * password on the command line ("pass:...", or a bare word) is refused: other users see
 * the command lines of running processes. Returns a new string, or NULL after printing the
 * error. */
char *cli_password(const char *source, const char *option);

/* Asks for a PKCS#11 PIN on the terminal, without echo (an rspg_pin_callback). */
int cli_pin_prompt(void *ctx, const char *uri, char *buf, size_t cap);

int cmd_build(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_mint(int argc, char **argv);
int cmd_eid(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_renew(int argc, char **argv);
int cmd_probe(int argc, char **argv);

#endif
