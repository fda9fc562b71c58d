/*
 * cmd_lint.c: `rsp-pkigen lint`: check certificates against their role's GSMA SGP.26
 * profile (SGP.22 §4.5.2; RFC 5280 §4.1/§4.2 encoding rules), zlint style.
 *   lint CERT... [--role ROLE] [--variant O|Ov3|A|B|C] [--json]
 * One line per finding, "PATH: SEVERITY CODE: message"; the codes are in docs/lint.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cli_inputs.h"
#include "rspg/check/lint.h"
#include "rspg/profile/profile.h"

static const char lint_usage[] =
    "Usage: rsp-pkigen lint CERT... [--role ROLE] [--variant O|Ov3|A|B|C] [--json] [-q] [-v]\n"
    "\n"
    "Checks each certificate (DER or PEM) against its role's GSMA SGP.26 profile, in the\n"
    "manner of zlint: the extensions GSMA puts in that role's certificates (missing, extra,\n"
    "criticality, order), the policy OID of the role and arc, key usage, basicConstraints\n"
    "and TLS extended key usage, DN string types (C and serialNumber PrintableString, the\n"
    "rest UTF8String), SKI (RFC 5280 method 1) and AKI (keyIdentifier only), the serial\n"
    "(positive, minimal, at most 20 octets), UTCTime/GeneralizedTime (RFC 5280 §4.1.2.5),\n"
    "the signature algorithm (ecdsa-with-SHA256), the curve (P-256, brainpoolP256r1), and\n"
    "as a notice the validity length SGP.26 gives the role.\n"
    "\n"
    "The role comes from the RSP policy OID; eIM certificates carry none and are taken as\n"
    "eim-tls when they have an extendedKeyUsage, as eim-sign when they carry only AKI and\n"
    "keyUsage. The arc (v2 for Variant O, v3 for Ov3/A/B/C) comes from the policy OID.\n"
    "\n"
    "Prints one line per finding: PATH: SEVERITY CODE: message (SEVERITY is error, warning\n"
    "or notice; the codes are listed in docs/lint.md).\n"
    "\n"
    "CERT may be '-' for standard input. A PEM file of several certificates (a CA bundle, a\n"
    "full chain) lints every one of them, named CERT#1, CERT#2, ...\n"
    "\n"
    "Options:\n"
    "      --role ROLE        lint against ROLE (ci, ci-subca, eum, eum-subca, euicc,\n"
    "                         dp-subca, ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, ds-tls,\n"
    "                         eim-sign, eim-tls) instead of the detected one\n"
    "      --variant V        lint against Variant V's profile: O (v2 arc), Ov3, A, B, C (v3)\n"
    "      --json             print the findings as JSON on stdout\n"
    "  -q, --quiet            print errors only (no warnings or notices)\n"
    "  -v, --verbose          also print the role and arc linted against, and a count\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 no errors (warnings and notices allowed), 1 some certificate has an\n"
    "error, 2 bad usage or unreadable input, 4 an input that is not a certificate.\n";

static const char *arc_name(const rspg_lint_result *r)
{
    return r->role < 0 ? NULL : r->v3 ? "v3" : "v2";
}

/* One linted file as JSON. */
static json_t *result_json(const char *path, const rspg_lint_result *res)
{
    const char *role = res->role >= 0 ? rspg_role_name((rspg_role)res->role) : NULL;
    json_t *o = json_object(), *fs = json_array();
    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "role", role ? json_string(role) : json_null());
    json_object_set_new(o, "role_source",
                        res->role_source ? json_string(res->role_source) : json_null());
    json_object_set_new(o, "arc", arc_name(res) ? json_string(arc_name(res)) : json_null());
    json_object_set_new(o, "errors", json_integer((json_int_t)res->errors));
    json_object_set_new(o, "warnings", json_integer((json_int_t)res->warnings));
    json_object_set_new(o, "notices", json_integer((json_int_t)res->notices));
    for (size_t k = 0; k < res->n; k++) {
        json_t *f = json_object();
        json_object_set_new(f, "severity",
                            json_string(rspg_lint_severity_name(res->items[k].severity)));
        json_object_set_new(f, "code", json_string(res->items[k].code));
        json_object_set_new(f, "message", json_string(res->items[k].message));
        json_array_append_new(fs, f);
    }
    json_object_set_new(o, "findings", fs);
    return o;
}

/* One linted file as text: a line per finding (and a summary with VERBOSE; with QUIET
 * errors only). */
static void print_result(const char *path, const rspg_lint_result *res, int verbose, int quiet)
{
    const char *role = res->role >= 0 ? rspg_role_name((rspg_role)res->role) : NULL;
    if (verbose)
        printf("%s: linted as %s (%s arc, role from %s): %zu errors, %zu warnings, "
               "%zu notices\n",
               path, role ? role : "no role", arc_name(res) ? arc_name(res) : "no",
               res->role_source ? res->role_source : "nowhere", res->errors, res->warnings,
               res->notices);
    for (size_t k = 0; k < res->n; k++)
        if (!quiet || res->items[k].severity == RSPG_LINT_ERROR)
            printf("%s: %s %s: %s\n", path, rspg_lint_severity_name(res->items[k].severity),
                   res->items[k].code, res->items[k].message);
}

/* Prints {"results": ARR} (and frees ARR). */
static void print_json(json_t *arr)
{
    json_t *root = json_object();
    json_object_set_new(root, "results", arr);
    cli_print_json(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* Lints object O (its messages printed, prefixed with its name). */
static rspg_status lint_one(const cli_object *o, const rspg_lint_options *lo, rspg_lint_result *res)
{
    rspg_diag sub;
    rspg_diag_init(&sub);
    rspg_status rc = rspg_lint_cert(o->data.data, o->data.len, lo, res, &sub);
    cli_print_diag_prefixed(&sub, o->name);
    rspg_diag_fini(&sub);
    return rc;
}

/* Lints every certificate of the N arguments ARGS; returns the exit code. */
static int lint_all(int n, char **args, const rspg_lint_options *lo, const cli_common *co)
{
    json_t *arr = co->json ? json_array() : NULL;
    int any_error = 0, unreadable = 0;
    for (int i = 0; i < n; i++) {
        cli_objects objs = {0};
        if (cli_read_objects(args[i], &objs) != 0 && !unreadable)
            unreadable = EXIT_USAGE;
        for (size_t k = 0; k < objs.n; k++) {
            rspg_lint_result res;
            rspg_status rc = lint_one(&objs.v[k], lo, &res);
            if (rc != RSPG_OK) {
                /* not a certificate: 4 (RSPG_E_INPUT); unreadable or bad usage: 2 */
                if (!unreadable)
                    unreadable = rc == RSPG_E_INPUT ? cli_exit_code(rc) : EXIT_USAGE;
            } else {
                any_error |= res.errors > 0;
                if (co->json)
                    json_array_append_new(arr, result_json(objs.v[k].name, &res));
                else
                    print_result(objs.v[k].name, &res, co->verbose, co->quiet);
            }
            rspg_lint_result_free(&res);
        }
        cli_objects_free(&objs);
    }
    if (co->json)
        print_json(arr);
    if (unreadable)
        return unreadable;
    return any_error ? EXIT_FAILURE_RUN : EXIT_OK;
}

static int lint_option(void *ctx, int c, const char *arg)
{
    rspg_lint_options *lo = ctx;
    rspg_role r;
    if (c == 'r') {
        if (rspg_role_parse(arg, &r) != 0)
            return cli_bad_role(arg);
        lo->role = (int)r;
    } else if (c == 'V') {
        if (strcmp(arg, "O") != 0 && strcmp(arg, "Ov3") != 0 && strcmp(arg, "A") != 0 &&
            strcmp(arg, "B") != 0 && strcmp(arg, "C") != 0)
            return cli_bad_variant(arg);
        lo->variant = arg;
    }
    return CLI_PROCEED;
}

int cmd_lint(int argc, char **argv)
{
    static const struct option opts[] = {
        {"role", required_argument, NULL, 'r'},
        {"variant", required_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"lint", lint_usage, NULL, opts, 1};
    rspg_lint_options lo = {.role = -1, .variant = NULL};
    cli_common co = {0};
    int code = cli_parse_options(argc, argv, &cmd, lint_option, &lo, &co);
    if (code != CLI_PROCEED)
        return code;
    if (optind >= argc)
        return cli_usage_error(
            "lint needs at least one certificate (see 'rsp-pkigen lint --help')");

    return lint_all(argc - optind, argv + optind, &lo, &co);
}
