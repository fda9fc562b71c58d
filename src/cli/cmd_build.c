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
    "      --curve C          only curve C (a curve key such as nist, its suffix, or an OpenSSL name)\n"
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
    "      --force            replace DIR if it exists\n"
    "  -q, --quiet            print nothing on success\n"
    "  -h, --help             show this help\n"
    "\n"
    "\n"
    "Before DIR is renamed into place, the build verifies what it made as an SGP.22 validator\n"
    "would; a certificate or CRL whose verdict differs from what manifest.json says of it is\n"
    "an error at the profile line of its entity, and nothing is written.\n"
    "\n"
    CLI_EXIT_STATUS_HELP;

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

int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"variant", required_argument, NULL, 'V'},
        {"curve", required_argument, NULL, 'c'},   {"only", required_argument, NULL, 'r'},
        {"key-dir", required_argument, NULL, 'k'}, {"seed", required_argument, NULL, 's'},
        {"clock", required_argument, NULL, 't'},   {"signatures", required_argument, NULL, 'g'},
        {"var", required_argument, NULL, 'v'},     {"force", no_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},         {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    rspg_build_options bo;
    int force = 0;
    const char *out = NULL;
    int quiet = 0, c, code = EXIT_OK;
    rspg_buf seed;
    const char **vars = NULL, **sets = NULL;
    size_t n_vars = 0, n_sets = 0;
    memset(&bo, 0, sizeof(bo));
    bo.nonce = RSPG_NONCE_RFC6979;
    rspg_buf_init(&seed);

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'V':
            add_list(&bo.variants, &bo.n_variants, optarg);
            break;
        case 'c':
            add_list(&bo.curves, &bo.n_curves, optarg);
            break;
        case 'r':
            add_list(&bo.roles, &bo.n_roles, optarg);
            break;
        case 'k':
            bo.key_dir = optarg;
            break;
        case 's':
            rspg_buf_reset(&seed);
            if (rspg_unhex(optarg, &seed) != 0 || seed.len == 0 || seed.len > 64) {
                code = cli_usage_error("--seed takes 1 to 64 bytes of hex (even number of digits), "
                                       "not '%s'", optarg);
                goto done;
            }
            break;
        case 't':
            if (rspg_parse_rfc3339(optarg, &bo.clock) != 0) {
                code = cli_usage_error("--clock '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ)", optarg);
                goto done;
            }
            bo.has_clock = 1;
            break;
        case 'g':
            if (strcmp(optarg, "rfc6979") == 0)
                bo.nonce = RSPG_NONCE_RFC6979;
            else if (strcmp(optarg, "random") == 0)
                bo.nonce = RSPG_NONCE_RANDOM;
            else {
                code = cli_usage_error("--signatures takes rfc6979 or random, not '%s'", optarg);
                goto done;
            }
            break;
        case 'v':
            vars = rspg_xrealloc(vars, (n_vars + 1) * sizeof(char *));
            vars[n_vars++] = optarg;
            break;
        case 'S':
            sets = rspg_xrealloc(sets, (n_sets + 1) * sizeof(char *));
            sets[n_sets++] = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(build_usage, stdout);
            goto done;
        case ':':
            code = cli_usage_error("option '%s' needs a value", argv[optind - 1]);
            goto done;
        default:
            code = cli_usage_error("unknown option '%s' (see 'rsp-pkigen build --help')",
                                   argv[optind - 1]);
            goto done;
        }
    }
    if (optind != argc - 1) {
        code = cli_usage_error(optind >= argc ? "build needs a PROFILE (see 'rsp-pkigen build --help')"
                                              : "build takes one PROFILE (see 'rsp-pkigen build --help')");
        goto done;
    }
    if (out == NULL) {
        code = cli_usage_error("build needs an output folder: -o DIR");
        goto done;
    }
    if (seed.len) {
        bo.seed = seed.data;
        bo.seed_len = seed.len;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_load_options lo = {vars, n_vars, sets, n_sets};
    rspg_build_flow_options fo = {argv[optind], &lo, bo, out, force};
    rspg_build_flow_summary sum = {0};
    rspg_pkcs11_set_pin_callback(cli_pin_prompt, NULL);
    rspg_status rc = rspg_build_flow_run(&fo, &d, &sum);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_print_diag(&d);
    code = cli_exit_code(rc);
    if (rc == RSPG_OK && !quiet) {
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        printf("rsp-pkigen: wrote %zu files (%zu certificates) and manifest.json to %s in %.0f ms\n",
               sum.files, sum.certificates, out, ms);
    }
    rspg_diag_fini(&d);
done:
    free_list(bo.variants, bo.n_variants);
    free_list(bo.curves, bo.n_curves);
    free_list(bo.roles, bo.n_roles);
    free(vars);
    free(sets);
    rspg_buf_free(&seed);
    return code;
}
