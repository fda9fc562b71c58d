/*
 * cmd_build.c: `rsp-pkigen build PROFILE -o DIR`: parses the options and runs the build
 * flow (flow/build_flow.h: load, build, write, verify, rename into place), then prints
 * its diagnostics and a one-line summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "cli.h"
#include "rspg/asn1/der.h"
#include "rspg/base/file.h"
#include "rspg/base/suggest.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/flow/build_flow.h"
#include "rspg/flow/profile_locate.h"
#include "rspg/issue/output_format.h"

static const char build_usage[] =
    "Usage: rsp-pkigen build PROFILE -o DIR [OPTIONS]\n"
    "\n"
    "Builds every certificate, key and chain the profile describes into DIR, with a\n"
    "manifest.json. DIR is written atomically and is not replaced unless --force.\n"
    "PROFILE is a file, '-' for standard input (key files are then relative to the current\n"
    "folder), or a name such as sgp26: the installed share/rsp-pkigen/profiles/NAME.yaml\n"
    "(or, for a build tree, the source tree's profiles/NAME.yaml).\n"
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
    "      --format F         certificate files as der, pem or both (default: as the profile\n"
    "                         names them; a renamed file keeps its stem: X.der <-> X.pem)\n"
    "      --key-format F     private keys as sec1 (EC PRIVATE KEY, the GSMA default) or pkcs8\n"
    "                         (PRIVATE KEY, RFC 5958; unencrypted, as the SEC1 files)\n"
    "      --pkcs12[=SOURCE]  also write NAME.p12 (certificate, key and issuers below the root)\n"
    "                         for every TLS certificate with its key, encrypted under the\n"
    "                         password read from SOURCE: env:VAR or file:PATH (first line);\n"
    "                         without SOURCE it is asked for on the terminal\n"
    "      --force            replace DIR if it is a previous rsp-pkigen output (it holds a\n"
    "                         manifest.json of ours) or an empty folder\n"
    "      --force-any        replace DIR whatever it holds (never '/', the home folder, the\n"
    "                         current folder or one holding it, or one holding PROFILE)\n"
    "      --json             print what was written as JSON on stdout (the manifest's\n"
    "                         summary: folder, counts and each file's path, kind and format)\n"
    "  -q, --quiet            print nothing on success\n"
    "  -v, --verbose          also list every file written\n"
    "  -h, --help             show this help\n"
    "\n"
    "Before DIR is renamed into place, the build verifies what it made as an SGP.22 validator\n"
    "would; a certificate or CRL whose verdict differs from what manifest.json says of it is\n"
    "an error at the profile line of its entity, and nothing is written. Every output path\n"
    "must stay inside DIR after ${CURVE}, ${VARIANT} and variables are substituted. DIR is\n"
    "locked while the build runs (DIR.lock beside it): a second build to DIR at the same\n"
    "time fails with exit 1 and names the pid holding it.\n"
    "\n" CLI_EXIT_STATUS_HELP;

/* What the command line asks for. */
struct build_args {
    rspg_build_flow_options fo;
    const char **vars, **sets; /* borrowed from argv */
    size_t n_vars, n_sets;
    rspg_buf seed;
    cli_common common;
    rspg_output_format format;
    int has_format;
    const char *pkcs12_source; /* --pkcs12=SOURCE, or NULL to ask */
    char *password;            /* resolved from the source */
    char *profile_found;       /* PROFILE given by name: its path */
    rspg_buf stdin_profile;    /* PROFILE '-': its text */
};

/* --format, --key-format: CLI_PROCEED, or the exit code of a usage error. */
static int parse_format(struct build_args *a, int c, const char *arg)
{
    static const char *const certs[] = {"der", "pem", "both"}, *const keys[] = {"sec1", "pkcs8"};
    int bad = c == 'C' ? rspg_cert_format_parse(arg, &a->format.certs)
                       : rspg_key_format_parse(arg, &a->format.keys);
    a->has_format = 1;
    if (bad == 0)
        return CLI_PROCEED;
    char *hint = c == 'C' ? rspg_suggest_hint(arg, certs, 3) : rspg_suggest_hint(arg, keys, 2);
    cli_usage_error("%s: unknown format '%s'%s", c == 'C' ? "--format" : "--key-format", arg, hint);
    free(hint);
    return EXIT_USAGE;
}

/* --seed, --clock, --signatures: CLI_PROCEED, or the exit code of a usage error. */
static int parse_value(struct build_args *a, int c, const char *arg)
{
    rspg_build_options *bo = &a->fo.build;
    if (c == 'C' || c == 'K')
        return parse_format(a, c, arg);
    if (c == 's') {
        rspg_buf_reset(&a->seed);
        if (rspg_unhex(arg, &a->seed) != 0 || a->seed.len == 0 || a->seed.len > 64)
            return cli_usage_error(
                "--seed takes 1 to 64 bytes of hex (even number of digits), not '%s'", arg);
    } else if (c == 't') {
        return cli_parse_date("--clock", arg, &bo->clock, &bo->has_clock);
    } else if (strcmp(arg, "rfc6979") == 0) {
        bo->nonce = RSPG_NONCE_RFC6979;
    } else if (strcmp(arg, "random") == 0) {
        bo->nonce = RSPG_NONCE_RANDOM;
    } else {
        static const char *const kinds[] = {"rfc6979", "random"};
        char *hint = rspg_suggest_hint(arg, kinds, 2);
        cli_usage_error("--signatures: unknown kind '%s'%s", arg, hint);
        free(hint);
        return EXIT_USAGE;
    }
    return CLI_PROCEED;
}

/* One option: CLI_PROCEED, or the exit code of a usage error. */
static int build_option(void *ctx, int c, const char *arg)
{
    struct build_args *a = ctx;
    rspg_build_options *bo = &a->fo.build;
    switch (c) {
    case 'o':
        a->fo.output = arg;
        return CLI_PROCEED;
    case 'V':
        cli_push_list(&bo->variants, &bo->n_variants, arg);
        return CLI_PROCEED;
    case 'c':
        cli_push_list(&bo->curves, &bo->n_curves, arg);
        return CLI_PROCEED;
    case 'r':
        cli_push_list(&bo->roles, &bo->n_roles, arg);
        return CLI_PROCEED;
    case 'k':
        bo->key_dir = arg;
        return CLI_PROCEED;
    case 's':
    case 't':
    case 'g':
    case 'C':
    case 'K':
        return parse_value(a, c, arg);
    case 'P':
        a->format.pkcs12 = a->has_format = 1;
        a->pkcs12_source = arg;
        return CLI_PROCEED;
    case 'a':
        cli_push(&a->vars, &a->n_vars, arg);
        return CLI_PROCEED;
    case 'S':
        cli_push(&a->sets, &a->n_sets, arg);
        return CLI_PROCEED;
    case 'f':
        a->fo.force = 1;
        return CLI_PROCEED;
    case 'F':
        a->fo.force = a->fo.force_any = 1;
        return CLI_PROCEED;
    }
    return CLI_PROCEED;
}

/* PROFILE: '-' (read here from standard input), a file, or a name (profile_locate.h). */
static int pick_profile(struct build_args *a, const char *arg)
{
    a->fo.profile_path = arg;
    if (strcmp(arg, "-") == 0) {
        if (cli_read_input(arg, RSPG_MAX_PROFILE_BYTES, "profile", &a->stdin_profile) != 0)
            return EXIT_USAGE;
        a->fo.profile_path = cli_input_name(arg);
        a->fo.profile_text = a->stdin_profile.data ? (const char *)a->stdin_profile.data : "";
        a->fo.profile_len = a->stdin_profile.len;
        a->fo.build.profile_dir = ".";
    } else if (rspg_profile_is_name(arg)) {
        rspg_diag d;
        rspg_diag_init(&d);
        char *label = rspg_xasprintf("no profile '%s' (no such file here)", arg);
        a->profile_found = rspg_profile_locate(arg, label, "a profile file", &d);
        free(label);
        cli_print_diag(&d);
        rspg_diag_fini(&d);
        if (a->profile_found == NULL)
            return EXIT_USAGE;
        a->fo.profile_path = a->profile_found;
    }
    return CLI_PROCEED;
}

static int parse_args(int argc, char **argv, struct build_args *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"variant", required_argument, NULL, 'V'},
        {"curve", required_argument, NULL, 'c'},   {"only", required_argument, NULL, 'r'},
        {"key-dir", required_argument, NULL, 'k'}, {"seed", required_argument, NULL, 's'},
        {"clock", required_argument, NULL, 't'},   {"signatures", required_argument, NULL, 'g'},
        {"var", required_argument, NULL, 'a'},     {"force", no_argument, NULL, 'f'},
        {"set", required_argument, NULL, 'S'},     {"force-any", no_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'C'},  {"key-format", required_argument, NULL, 'K'},
        {"pkcs12", optional_argument, NULL, 'P'},  {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"build", build_usage, "o:", opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, build_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind != argc - 1)
        return cli_usage_error(optind >= argc
                                   ? "build needs a PROFILE (see 'rsp-pkigen build --help')"
                                   : "build takes one PROFILE (see 'rsp-pkigen build --help')");
    if (a->fo.output == NULL)
        return cli_usage_error("build needs an output folder: -o DIR");
    if (strcmp(a->fo.output, "-") == 0)
        return cli_usage_error("build writes a folder of files, not a stream: '-o -' cannot "
                               "work; give a folder name (./- for a folder named '-')");
    code = pick_profile(a, argv[optind]);
    if (code != CLI_PROCEED)
        return code;
    if (a->format.pkcs12 && (a->password = cli_password(a->pkcs12_source, "--pkcs12")) == NULL)
        return EXIT_USAGE;
    a->format.pkcs12_password = a->password;
    if (a->has_format)
        a->fo.format = &a->format;
    if (a->seed.len) {
        a->fo.build.seed = a->seed.data;
        a->fo.build.seed_len = a->seed.len;
    }
    return CLI_PROCEED;
}

/* The manifest the build wrote, or NULL. */
static json_t *written_manifest(const struct build_args *a)
{
    char *path = rspg_xasprintf("%s/manifest.json", a->fo.output);
    json_t *m = json_load_file(path, 0, NULL);
    free(path);
    return m;
}

/* -v: one line per file written: path, kind, format. */
static void print_written_list(const struct build_args *a)
{
    json_t *m = written_manifest(a), *art;
    size_t i;
    json_array_foreach(json_object_get(m, "artifacts"), i, art)
    {
        printf("  %s (%s, %s)\n", json_string_value(json_object_get(art, "path")),
               json_string_value(json_object_get(art, "kind")),
               json_string_value(json_object_get(art, "format")));
    }
    json_decref(m);
}

/* --json: the folder, the counts and what the manifest says of each file (path, kind,
 * format, encoding, role, entity, curve, expect). */
static void print_written_json(const struct build_args *a, const rspg_build_flow_summary *sum)
{
    static const char *const keep[] = {"path", "kind",   "format", "encoding",
                                       "role", "entity", "curve",  "expect"};
    json_t *m = written_manifest(a), *root = json_object(), *files = json_array(), *art;
    json_object_set_new(root, "output", json_string(a->fo.output));
    json_object_set_new(root, "manifest", json_string("manifest.json"));
    json_object_set_new(root, "profile", json_string(a->fo.profile_path));
    json_object_set_new(root, "files", json_integer((json_int_t)sum->files));
    json_object_set_new(root, "certificates", json_integer((json_int_t)sum->certificates));
    json_object_set_new(root, "checked", json_integer((json_int_t)sum->checked));
    json_object_set(root, "clock", json_object_get(m, "clock"));
    size_t i;
    json_array_foreach(json_object_get(m, "artifacts"), i, art)
    {
        json_t *o = json_object();
        for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
            if (json_object_get(art, keep[k]))
                json_object_set(o, keep[k], json_object_get(art, keep[k]));
        json_array_append_new(files, o);
    }
    json_object_set_new(root, "written", files);
    cli_print_json(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(m);
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
    if (rc == RSPG_OK && a->common.json) {
        print_written_json(a, &sum);
    } else if (rc == RSPG_OK && !a->common.quiet) {
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        printf(
            "rsp-pkigen: wrote %zu files (%zu certificates) and manifest.json to %s in %.0f ms\n",
            sum.files, sum.certificates, a->fo.output, ms);
        if (a->common.verbose)
            print_written_list(a);
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
    if (code == CLI_PROCEED)
        code = run(&a);
    cli_free_list(a.fo.build.variants, a.fo.build.n_variants);
    cli_free_list(a.fo.build.curves, a.fo.build.n_curves);
    cli_free_list(a.fo.build.roles, a.fo.build.n_roles);
    free(a.vars);
    free(a.sets);
    rspg_buf_free(&a.seed);
    rspg_buf_free(&a.stdin_profile);
    free(a.profile_found);
    if (a.password) {
        OPENSSL_cleanse(a.password, strlen(a.password));
        free(a.password);
    }
    return code;
}
