/*
 * cmd_eid.c: `rsp-pkigen eid check EID...` validates EIDs (32 digits, ISO/IEC 7064 MOD 97-10
 * check digits, SGP.29 §10) and `rsp-pkigen eid complete DIGITS...` appends the two check
 * digits to 30 digits. `-` reads the EIDs from standard input, one per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/base/suggest.h"
#include "rspg/rsp/eid.h"

static const char eid_usage[] =
    "Usage: rsp-pkigen eid check EID... [--json] [-q]\n"
    "       rsp-pkigen eid complete DIGITS... [--json]\n"
    "\n"
    "check      validates each EID: 32 decimal digits whose last two are the ISO/IEC 7064\n"
    "           MOD 97-10 check digits (SGP.29 section 10); exit 1 when any is invalid\n"
    "complete   appends the check digits to 30 digits and prints the 32-digit EID\n"
    "\n"
    "An argument '-' reads one EID (or 30 digits) per line from standard input.\n"
    "\n"
    "Options:\n"
    "      --json    one JSON object per line: {\"eid\": ..., \"valid\": ..., \"reason\": ...}\n"
    "  -q, --quiet   check: print nothing, only the exit status tells\n"
    "  -v, --verbose check: print valid EIDs too (default: only the invalid ones)\n"
    "  -h, --help    show this help\n";

struct eid_opts {
    cli_common common;
    int complete;
    int invalid; /* how many inputs were refused */
};

static void report(struct eid_opts *o, const char *in, const char *eid, const char *reason)
{
    if (reason)
        o->invalid++;
    if (o->common.json) {
        json_t *j = json_pack("{s:s, s:b}", "input", in, "valid", reason == NULL);
        if (eid)
            json_object_set_new(j, "eid", json_string(eid));
        if (reason)
            json_object_set_new(j, "reason", json_string(reason));
        cli_print_json(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        return;
    }
    if (o->common.quiet)
        return;
    if (reason)
        fprintf(stderr, "rsp-pkigen: error: EID '%s': %s\n", in, reason);
    else if (o->complete)
        printf("%s\n", eid);
    else if (o->common.verbose)
        printf("%s: valid\n", eid);
}

static void one(struct eid_opts *o, const char *in)
{
    if (!o->complete) {
        rspg_eid_error e = rspg_eid_check(in);
        report(o, in, e == RSPG_EID_OK ? in : NULL,
               e == RSPG_EID_OK ? NULL : rspg_eid_error_text(e));
        return;
    }
    char out[RSPG_EID_LEN + 1];
    if (strlen(in) != RSPG_EID_LEN - 2 || rspg_eid_complete(in, out) != 0)
        report(o, in, NULL, "expected 30 decimal digits to complete with check digits");
    else
        report(o, in, out, NULL);
}

static void from_stdin(struct eid_opts *o)
{
    char line[256];
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] != '\0')
            one(o, line);
    }
}

int cmd_eid(int argc, char **argv)
{
    static const cli_command cmd = {"eid", eid_usage, NULL, NULL, 1};
    struct eid_opts o = {0};
    int code = cli_parse_options(argc, argv, &cmd, NULL, NULL, &o.common);
    if (code != CLI_PROCEED)
        return code;
    if (optind >= argc)
        return cli_usage_error("eid: expected 'check' or 'complete' (run 'rsp-pkigen eid --help')");
    const char *verb = argv[optind++];
    if (strcmp(verb, "complete") == 0)
        o.complete = 1;
    else if (strcmp(verb, "check") != 0) {
        static const char *const verbs[] = {"check", "complete"};
        char *hint = rspg_suggest_hint(verb, verbs, 2);
        cli_usage_error("eid: unknown action '%s'%s", verb, hint);
        free(hint);
        return EXIT_USAGE;
    }
    if (optind >= argc)
        return cli_usage_error("eid %s: expected at least one EID (or '-' for standard input)",
                               verb);
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0)
            from_stdin(&o);
        else
            one(&o, argv[i]);
    }
    return o.invalid ? EXIT_FAILURE_RUN : EXIT_OK;
}
