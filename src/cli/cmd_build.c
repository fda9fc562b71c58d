/*
 * cmd_build.c: `rsp-pkigen build PROFILE -o DIR`: parses the options and runs the build
 * flow (flow/build_flow.h: load, build, write, verify, rename into place), then prints
 * its diagnostics and a one-line summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rspg/asn1/der.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/flow/build_flow.h"

static const char build_usage[] =
    "Usage: rsp-pkigen build PROFILE -o DIR [OPTIONS]\n"
    "\n"
    "Builds every certificate, key and chain the profile describes into DIR, with a\n"
    "manifest.json. DIR is written atomically and is not replaced unless --force.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR       output folder (required)\n"
    "      --variant V        only variant V (O, Ov3, A, B, C); repeatable or comma-separated\n"
    "      --curve C          only curve C (a curve key such as nist, its suffix, or an OpenSSL "
    "name)\n"
    "      --only ROLE        only ROLE (e.g. dp-tls) or entity id; repeatable or comma-separated\n"
    "                         (issuers of what is selected always come along)\n"
    "      --var NAME=VALUE   set a variable of the profile's 'vars' (repeatable)\n"
    "      --set PATH=VALUE   set one value of the profile, e.g. o-dp-tls.subject.CN=smdp.lab\n"
    "                         or o-dp-tls.validity.days=90 (repeatable; unknown paths are errors)\n"
    "      --key-dir DIR      folder for the profile's key files (default: the profile's folder)\n"
    "      --seed HEX         derive every generated key from this seed (reproducible output)\n"
    "      --clock TIME       default notBefore, YYYY-MM-DDTHH:MM:SSZ (else the profile's clock,\n"
    "                         else SOURCE_DATE_EPOCH, else now)\n"
    "      --signatures KIND  rfc6979 (deterministic, default) or random ECDSA nonces\n"
    "      --force            replace DIR if it is a previous rsp-pkigen output (it holds a\n"
    "                         manifest.json of ours) or an empty folder\n"
    "      --force-any        replace DIR whatever it holds (never '/', the home folder, the\n"
    "                         current folder or one holding it, or one holding PROFILE)\n"
    "  -q, --quiet            print nothing on success\n"
    "  -h, --help             show this help\n"
    "\n"
    "\n"
    "Before DIR is renamed into place, the build verifies what it made as an SGP.22 validator\n"
    "would; a certificate or CRL whose verdict differs from what manifest.json says of it is\n"
    "an error at the profile line of its entity, and nothing is written. Every output path\n"
    "must stay inside DIR after ${CURVE}, ${VARIANT} and variables are substituted. DIR is\n"
    "locked while the build runs (DIR.lock beside it): a second build to DIR at the same\n"
    "time fails with exit 1 and names the pid holding it.\n"
    "\n" CLI_EXIT_STATUS_HELP;

static void add_list(char ***v, size_t *n, const char *arg)
{
    char *copy = rspg_xstrdup(arg), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        *v = rspg_xrealloc(*v, (*n + 1) * sizeof(char *));
        (*v)[(*n)++] = rspg_xstrdup(tok);
    }
    free(copy);
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* What the command line asks for. */
struct build_args {
    rspg_build_flow_options fo;
    const char **vars, **sets; /* borrowed from argv */
    size_t n_vars, n_sets;
    rspg_buf seed;
    int quiet;
};

#define PROCEED (-1) /* parsing went through: run the build */

static void append_arg(const char ***v, size_t *n, const char *arg)
{
    *v = rspg_xrealloc(*v, (*n + 1) * sizeof(char *));
    (*v)[(*n)++] = arg;
}

/* --seed, --clock, --signatures: PROCEED, or the exit code of a usage error. */
static int parse_value(struct build_args *a, int c, const char *arg)
{
    rspg_build_options *bo = &a->fo.build;
    if (c == 's') {
        rspg_buf_reset(&a->seed);
        if (rspg_unhex(arg, &a->seed) != 0 || a->seed.len == 0 || a->seed.len > 64)
            return cli_usage_error(
                "--seed takes 1 to 64 bytes of hex (even number of digits), not '%s'", arg);
    } else if (c == 't') {
        if (rspg_parse_rfc3339(arg, &bo->clock) != 0)
            return cli_usage_error("--clock '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ)", arg);
        bo->has_clock = 1;
    } else if (strcmp(arg, "rfc6979") == 0) {
        bo->nonce = RSPG_NONCE_RFC6979;
    } else if (strcmp(arg, "random") == 0) {
        bo->nonce = RSPG_NONCE_RANDOM;
    } else {
        return cli_usage_error("--signatures takes rfc6979 or random, not '%s'", arg);
    }
    return PROCEED;
}

/* One option: PROCEED, or the exit code to end with (0 after --help). */
static int parse_option(struct build_args *a, int c, char **argv)
{
    rspg_build_options *bo = &a->fo.build;
    switch (c) {
    case 'o':
        a->fo.output = optarg;
        return PROCEED;
    case 'V':
        add_list(&bo->variants, &bo->n_variants, optarg);
        return PROCEED;
    case 'c':
        add_list(&bo->curves, &bo->n_curves, optarg);
        return PROCEED;
    case 'r':
        add_list(&bo->roles, &bo->n_roles, optarg);
        return PROCEED;
    case 'k':
        bo->key_dir = optarg;
        return PROCEED;
    case 's':
    case 't':
    case 'g':
        return parse_value(a, c, optarg);
    case 'v':
        append_arg(&a->vars, &a->n_vars, optarg);
        return PROCEED;
    case 'S':
        append_arg(&a->sets, &a->n_sets, optarg);
        return PROCEED;
    case 'f':
        a->fo.force = 1;
        return PROCEED;
    case 'F':
        a->fo.force = a->fo.force_any = 1;
        return PROCEED;
    case 'q':
        a->quiet = 1;
        return PROCEED;
    case 'h':
        fputs(build_usage, stdout);
        return EXIT_OK;
    case ':':
        return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_usage_error("unknown option '%s' (see 'rsp-pkigen build --help')",
                               argv[optind - 1]);
    }
}

static int parse_args(int argc, char **argv, struct build_args *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"variant", required_argument, NULL, 'V'},
        {"curve", required_argument, NULL, 'c'},
        {"only", required_argument, NULL, 'r'},
        {"key-dir", required_argument, NULL, 'k'},
        {"seed", required_argument, NULL, 's'},
        {"clock", required_argument, NULL, 't'},
        {"signatures", required_argument, NULL, 'g'},
        {"var", required_argument, NULL, 'v'},
        {"force", no_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"force-any", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    int c, code;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1)
        if ((code = parse_option(a, c, argv)) != PROCEED)
            return code;
    if (optind != argc - 1)
        return cli_usage_error(optind >= argc
                                   ? "build needs a PROFILE (see 'rsp-pkigen build --help')"
                                   : "build takes one PROFILE (see 'rsp-pkigen build --help')");
    if (a->fo.output == NULL)
        return cli_usage_error("build needs an output folder: -o DIR");
    a->fo.profile_path = argv[optind];
    if (a->seed.len) {
        a->fo.build.seed = a->seed.data;
        a->fo.build.seed_len = a->seed.len;
    }
    return PROCEED;
}

/* Runs the build flow, prints its messages and the summary; returns the exit code. */
static int run(struct build_args *a)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_load_options lo = {a->vars, a->n_vars, a->sets, a->n_sets};
    a->fo.load = &lo;
    rspg_build_flow_summary sum = {0};
    rspg_pkcs11_set_pin_callback(cli_pin_prompt, NULL);
    rspg_status rc = rspg_build_flow_run(&a->fo, &d, &sum);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_print_diag(&d);
    if (rc == RSPG_OK && !a->quiet) {
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        printf(
            "rsp-pkigen: wrote %zu files (%zu certificates) and manifest.json to %s in %.0f ms\n",
            sum.files, sum.certificates, a->fo.output, ms);
    }
    rspg_diag_fini(&d);
    a->fo.load = NULL;
    return cli_exit_code(rc);
}

int cmd_build(int argc, char **argv)
{
    struct build_args a;
    memset(&a, 0, sizeof(a));
    a.fo.build.nonce = RSPG_NONCE_RFC6979;
    rspg_buf_init(&a.seed);
    int code = parse_args(argc, argv, &a);
    if (code == PROCEED)
        code = run(&a);
    free_list(a.fo.build.variants, a.fo.build.n_variants);
    free_list(a.fo.build.curves, a.fo.build.n_curves);
    free_list(a.fo.build.roles, a.fo.build.n_roles);
    free(a.vars);
    free(a.sets);
    rspg_buf_free(&a.seed);
    return code;
}
