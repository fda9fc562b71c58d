/*
 * cmd_report.c: `rsp-pkigen report DIR -o FILE`: one self-contained HTML page of a build
 * folder (hierarchy, invalid cases and verdicts, validity timeline, details, provenance);
 * the page comes from the library (report/html.h). `-o -` writes it to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rspg/report/html.h"

static const char report_usage[] =
    "Usage: rsp-pkigen report DIR -o FILE [OPTIONS]\n"
    "\n"
    "Writes one self-contained HTML page (inline CSS and SVG, no script, no external\n"
    "resource) of a folder written by 'rsp-pkigen build': the provenance from manifest.json,\n"
    "the hierarchy of each variant and curve as a tree, every invalid case beside its valid\n"
    "twin with the field that differs, the verdict and SGP.22 reason a validator must reach\n"
    "and the one rsp-pkigen's verifier reaches (green: as the manifest says; red: not), the\n"
    "CRLs, a validity timeline with today marked and what expires within 30 days\n"
    "highlighted, and per certificate what 'show' prints, its lint findings and its files.\n"
    "The page depends only on DIR, the options and the tool's version.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE          the HTML file to write ('-': stdout) (required)\n"
    "      --clock TIME           today's date for the timeline, YYYY-MM-DDTHH:MM:SSZ\n"
    "                             (default: now)\n"
    "      --at TIME              judge the verdicts at TIME (default: the manifest's clock,\n"
    "                             as 'rsp-pkigen verify DIR' does)\n"
    "      --expiring-within DAYS the window highlighted in the timeline (default: 30; 30d)\n"
    "      --json                 print a summary (counts) as JSON on stdout\n"
    "  -q, --quiet                print nothing on success\n"
    "  -v, --verbose              also print the time taken and the page's size\n"
    "  -h, --help                 show this help\n"
    "\n"
    "A verdict that differs from the manifest is shown in red; it does not change the exit\n"
    "status ('rsp-pkigen verify DIR' exits 1 for it).\n"
    "\n" CLI_EXIT_STATUS_HELP;

typedef struct report_args {
    const char *dir, *out;
    rspg_report_options ro;
    int has_clock;
    cli_common common;
} report_args;

static int parse_days(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || (*end && strcmp(end, "d") != 0) || errno || v < 1 || v > 36500)
        return -1;
    *out = (int)v;
    return 0;
}

static int report_option(void *ctx, int c, const char *arg)
{
    report_args *a = ctx;
    switch (c) {
    case 'o':
        a->out = arg;
        break;
    case 'c':
        return cli_parse_date("--clock", arg, &a->ro.now, &a->has_clock);
    case 'a':
        return cli_parse_date("--at", arg, &a->ro.at, &a->ro.has_at);
    case 'e':
        if (parse_days(arg, &a->ro.expiring_days) != 0)
            return cli_usage_error("--expiring-within takes a number of days (1 to 36500, "
                                   "e.g. 30 or 30d), not '%s'",
                                   arg);
        break;
    }
    return CLI_PROCEED;
}

static int parse_args(int argc, char **argv, report_args *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"clock", required_argument, NULL, 'c'},
        {"at", required_argument, NULL, 'a'},
        {"expiring-within", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"report", report_usage, "o:", opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, report_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind != argc - 1)
        return cli_usage_error("report needs one build folder (see 'rsp-pkigen report --help')");
    a->dir = argv[optind];
    if (a->out == NULL)
        return cli_usage_error("report needs -o FILE (or -o - for stdout)");
    if (a->common.json && strcmp(a->out, "-") == 0)
        return cli_usage_error("--json prints on stdout: it cannot go with -o -");
    return CLI_PROCEED;
}

static int write_page(const char *path, const rspg_buf *page)
{
    if (cli_write_output(path, page) != 0) {
        fprintf(stderr, "rsp-pkigen: error: %s: cannot write the report: %s\n", path,
                strerror(errno));
        return EXIT_FAILURE_RUN;
    }
    return EXIT_OK;
}

static void print_json(const rspg_report_summary *s)
{
    printf("{\"certificates\": %zu, \"crls\": %zu, \"invalid_cases\": %zu, \"verified\": %zu, "
           "\"agreed\": %zu, \"disagreed\": %zu, \"expired\": %zu, \"expiring\": %zu}\n",
           s->certificates, s->crls, s->invalid_cases, s->verified, s->agreed, s->disagreed,
           s->expired, s->expiring);
}

int cmd_report(int argc, char **argv)
{
    report_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_PROCEED)
        return rc;
    if (!a.has_clock)
        a.ro.now = (int64_t)time(NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rspg_diag d;
    rspg_buf page;
    rspg_diag_init(&d);
    rspg_buf_init(&page);
    rspg_report_summary s;
    rspg_status st = rspg_report_html(a.dir, &a.ro, &page, &s, &d);
    cli_print_diag(&d);
    rspg_diag_fini(&d);
    int ex = st == RSPG_OK ? write_page(a.out, &page) : cli_exit_code(st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (ex == EXIT_OK && a.common.json)
        print_json(&s);
    if (ex == EXIT_OK && !a.common.quiet && !a.common.json && strcmp(a.out, "-") != 0)
        printf("rsp-pkigen: wrote %s: %zu certificates, %zu CRLs, verifier %s on %zu of %zu\n",
               a.out, s.certificates, s.crls, s.disagreed ? "disagrees" : "agrees",
               s.disagreed ? s.disagreed : s.agreed, s.verified);
    if (ex == EXIT_OK && a.common.verbose)
        fprintf(stderr, "rsp-pkigen: report of %s: %zu bytes in %.0f ms\n", a.dir, page.len,
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    rspg_buf_free(&page);
    return ex;
}
