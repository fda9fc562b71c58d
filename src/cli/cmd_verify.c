/*
 * cmd_verify.c: `rsp-pkigen verify`: validate as an eUICC, SM-DP+ or LPA would.
 *   verify DIR                      a build folder, against its manifest's expectations
 *   verify CERT --ci CI [--untrusted X]... [--crl C]... [--at TIME] [--role R] [--json]
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cli_cvc.h"
#include "cli_inputs.h"
#include "rspg/asn1/der.h"
#include "rspg/base/time.h"
#include "rspg/check/verify.h"
#include "rspg/profile/profile.h"

static const char verify_usage[] =
    "Usage: rsp-pkigen verify DIR [--at TIME] [--expiring-within N{h,d,w}] [--json]\n"
    "       rsp-pkigen verify CERT... --ci CI [--untrusted FILE]... [--crl FILE]... [OPTIONS]\n"
    "       rsp-pkigen verify CARD-CERT... --ci ISSUER [--at TIME] [--json]   (SGP.02, see below)\n"
    "\n"
    "Validates certificates as SGP.22 requires of an eUICC, SM-DP+ or LPA: the chain up to a\n"
    "trusted CI (issuer names, AKI/SKI, ecdsa-with-SHA256 signatures), validity, curves\n"
    "(P-256, brainpoolP256r1; one per chain), critical extensions, basicConstraints and\n"
    "pathLen, key usage, the role's policy OID and criticality for the variant, which role\n"
    "may issue which, TLS extended key usage, revocation by the given CRLs, and for eUICCs\n"
    "the EID check digits and the EUM's EIN constraint. Each failure names the certificate,\n"
    "the check and the SGP.22 error it maps to.\n"
    "\n"
    "With a folder written by 'rsp-pkigen build', every certificate and CRL is checked and\n"
    "its verdict and reason compared with the manifest's 'expect' and 'reason'. With\n"
    "--expiring-within, the certificates, card certificates and CRLs the manifest expects\n"
    "valid whose notAfter (CRL: nextUpdate) falls before now (or --at) plus the window are\n"
    "listed, expired ones included, and the exit status is 3 (1 when a verdict disagrees).\n"
    "\n"
    "CERT, --ci and --untrusted may be PEM bundles: every certificate in them counts (a CERT\n"
    "bundle is checked certificate by certificate, as FILE#1, FILE#2, ...). CERT may be '-'\n"
    "for standard input. When no issuer of CERT is given, the certificate files beside CERT\n"
    "(.der, .pem, .crt, .cer in its folder) are tried as intermediates.\n"
    "\n"
    "SGP.02 card certificates (GlobalPlatform '7F21' TLV, binary or hex: SM-DP, SM-SR, ECASD)\n"
    "are checked against the issuer given with --ci (the CI, or the EUM for an ECASD): the\n"
    "r||s signature over 93..7F49, C9 against the issuer's key identifier, the key usage,\n"
    "the curve and the effective/expiration dates (docs/sgp02-cvc.md).\n"
    "\n"
    "Options:\n"
    "      --ci FILE          a trusted CI certificate (repeatable)\n"
    "      --untrusted FILE   an intermediate certificate for path building (repeatable)\n"
    "      --crl FILE         a CRL to check revocation against (repeatable)\n"
    "      --at TIME          validity time, YYYY-MM-DDTHH:MM:SSZ (default: now; for a folder,\n"
    "                         the manifest's clock)\n"
    "      --role ROLE        the expected role of CERT (default: from its policy OID)\n"
    "      --expiring-within W  with DIR: list what expires within W (Nh, Nd or Nw, e.g.\n"
    "                         30d) and exit 3 when something does\n"
    "      --json             print the verdicts as JSON on stdout\n"
    "  -q, --quiet            print nothing on success\n"
    "  -v, --verbose          DIR: also print the verdict of every file\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 all valid (or, for a folder, all as the manifest expects), 1 otherwise,\n"
    "2 bad usage or unreadable input (a missing folder or file included), 3 something\n"
    "expires within --expiring-within (when nothing failed), 4 an input that is not a\n"
    "certificate or CRL.\n";

#define MAX_SIBLINGS 1024 /* certificate files read beside CERT when an issuer is missing */

static int least(int a, int b)
{
    return a < b ? a : b;
}

static json_t *verdict_json(const char *path, const rspg_verdict *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "verdict", json_string(v->valid ? "valid" : "invalid"));
    if (!v->valid) {
        json_object_set_new(o, "reason", json_string(v->reason));
        json_object_set_new(o, "check", json_string(v->check));
        json_object_set_new(o, "certificate", json_string(v->cert));
        json_object_set_new(o, "message", json_string(v->message));
    }
    if (v->chain[0])
        json_object_set_new(o, "chain", json_string(v->chain));
    return o;
}

static void print_json(json_t *root)
{
    cli_print_json(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The command line of `verify`. */
struct vargs {
    rspg_verify_options vo;
    const char **cis, **untrusted, **crls;
    size_t n_ci, n_untrusted, n_crl;
    int role;
    cli_common common;
    const char *window; /* --expiring-within as given */
};

/* "30d", "12h", "2w" in seconds; -1 when malformed. */
static int64_t parse_window(const char *s)
{
    char *end = NULL;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (errno || end == s || n <= 0 || n > 100000 || end[0] == '\0' || end[1] != '\0')
        return -1;
    switch (end[0]) {
    case 'h':
        return (int64_t)n * 3600;
    case 'd':
        return (int64_t)n * 86400;
    case 'w':
        return (int64_t)n * 7 * 86400;
    }
    return -1;
}

/* One option of verify's own: CLI_PROCEED, or the exit status of a usage error. */
static int verify_option(void *ctx, int c, const char *arg)
{
    struct vargs *a = ctx;
    rspg_role r;
    switch (c) {
    case 'a':
        return cli_parse_date("--at", arg, &a->vo.time, &a->vo.has_time);
    case 'c':
        cli_push(&a->cis, &a->n_ci, arg);
        break;
    case 'u':
        cli_push(&a->untrusted, &a->n_untrusted, arg);
        break;
    case 'l':
        cli_push(&a->crls, &a->n_crl, arg);
        break;
    case 'r':
        if (rspg_role_parse(arg, &r) != 0)
            return cli_bad_role(arg);
        a->role = (int)r;
        break;
    case 'e':
        if ((a->vo.expiring_within = parse_window(arg)) < 0)
            return cli_usage_error("--expiring-within '%s' is not a duration: a number of hours, "
                                   "days or weeks such as 12h, 30d or 2w",
                                   arg);
        a->window = arg;
        break;
    }
    return CLI_PROCEED;
}

/* Parses the options into A; returns CLI_PROCEED to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct vargs *a)
{
    static const struct option opts[] = {
        {"at", required_argument, NULL, 'a'},
        {"ci", required_argument, NULL, 'c'},
        {"untrusted", required_argument, NULL, 'u'},
        {"crl", required_argument, NULL, 'l'},
        {"role", required_argument, NULL, 'r'},
        {"expiring-within", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    static const cli_command cmd = {"verify", verify_usage, NULL, opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, verify_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind >= argc)
        return cli_usage_error(
            "verify needs a folder or certificates (see 'rsp-pkigen verify --help')");
    return CLI_PROCEED;
}

static json_t *time_json(int64_t t)
{
    char buf[32];
    rspg_format_rfc3339(t, buf, sizeof(buf));
    return json_string(buf);
}

/* The expiry watch's findings as a JSON array. */
static json_t *expiring_json(const struct vargs *a, const rspg_verify_result *res)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < res->n_expiring; i++) {
        const rspg_expiring *e = &res->expiring[i];
        json_t *o = json_object();
        json_object_set_new(o, "path", json_string(e->path));
        json_object_set_new(o, "kind", json_string(e->kind));
        json_object_set_new(o, strcmp(e->kind, "crl") == 0 ? "next_update" : "not_after",
                            time_json(e->until));
        json_object_set_new(o, "expired", json_boolean(e->until < a->vo.now));
        json_object_set_new(o, "seconds_left", json_integer((json_int_t)(e->until - a->vo.now)));
        json_array_append_new(arr, o);
    }
    return arr;
}

static void print_dir_json(const struct vargs *a, const rspg_verify_result *res)
{
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < res->n_items; i++) {
        json_t *o = verdict_json(res->items[i].path, &res->items[i].verdict);
        json_object_set_new(o, "expect", json_string(res->items[i].expect));
        if (res->items[i].expect_reason)
            json_object_set_new(o, "expect_reason", json_string(res->items[i].expect_reason));
        json_object_set_new(o, "agrees", json_boolean(res->items[i].agrees));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "agreed", json_integer((json_int_t)res->agreed));
    json_object_set_new(root, "disagreed", json_integer((json_int_t)res->disagreed));
    json_object_set_new(root, "results", arr);
    if (a->window) {
        json_object_set_new(root, "expiring_within", json_string(a->window));
        json_object_set_new(root, "now", time_json(a->vo.now));
        json_object_set_new(root, "expiring", expiring_json(a, res));
    }
    print_json(root);
}

/* The text report of a folder: the summary, every verdict with -v, the expiry watch. */
static void print_dir_text(const struct vargs *a, const char *dir, const rspg_verify_result *res,
                           rspg_status rc)
{
    if (a->common.verbose)
        for (size_t i = 0; i < res->n_items; i++)
            printf("%s: %s%s%s (%s)\n", res->items[i].path,
                   res->items[i].verdict.valid ? "valid" : "invalid",
                   res->items[i].verdict.valid ? "" : ", ",
                   res->items[i].verdict.valid ? "" : res->items[i].verdict.reason,
                   res->items[i].agrees ? "as the manifest expects"
                                        : "NOT as the manifest expects");
    if (!a->common.quiet || rc != RSPG_OK)
        printf("rsp-pkigen: verified %zu certificates and CRLs in %s: %zu as the manifest "
               "expects, %zu not\n",
               res->certificates, dir, res->agreed, res->disagreed);
    for (size_t i = 0; i < res->n_expiring; i++) {
        const rspg_expiring *e = &res->expiring[i];
        char when[32];
        rspg_format_rfc3339(e->until, when, sizeof(when));
        long long left = (long long)(e->until - a->vo.now);
        if (left < 0)
            printf("%s: expired %s (%lld days ago)\n", e->path, when, -left / 86400);
        else
            printf("%s: expires %s (in %lld days %lld hours)\n", e->path, when, left / 86400,
                   (left % 86400) / 3600);
    }
    if (a->window && (!a->common.quiet || res->n_expiring))
        printf("rsp-pkigen: %zu files expire within %s\n", res->n_expiring, a->window);
}

/* `verify DIR`: the folder against its manifest (and the expiry watch). */
static int run_dir(struct vargs *a, const char *dir)
{
    if (a->n_ci || a->n_untrusted || a->n_crl || a->role >= 0)
        return cli_usage_error("--ci, --untrusted, --crl and --role apply to certificates, not "
                               "to a folder");
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_verify_result res;
    int code;
    a->vo.now = a->vo.has_time ? a->vo.time : (int64_t)time(NULL);
    rspg_status rc = rspg_verify_dir(dir, &a->vo, &d, &res);
    if (!a->common.json || rc != RSPG_E_VERIFY)
        cli_print_diag(&d);
    if (rc == RSPG_OK || rc == RSPG_E_VERIFY) {
        if (a->common.json)
            print_dir_json(a, &res);
        else
            print_dir_text(a, dir, &res, rc);
        /* a failure wins over the expiry watch: 1, else 3 when something expires */
        code = rc != RSPG_OK ? EXIT_FAILURE_RUN : res.n_expiring ? EXIT_EXPIRING : EXIT_OK;
    } else {
        /* an unreadable manifest or certificate is unreadable input: 2, as --help says */
        code = rc == RSPG_E_IO ? EXIT_USAGE : cli_exit_code(rc);
    }
    rspg_verify_result_free(&res);
    rspg_diag_fini(&d);
    return code;
}

/* The certificates to check: their names (FILE, or FILE#K in a bundle) and pool indices. */
struct targets {
    char **names;
    int *ix;
    size_t n;
};

static void targets_free(struct targets *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->ix);
}

/* Adds every certificate of the argument PATH (a file, '-', a PEM bundle) to V, and to T
 * when not NULL. Returns the least add result: 0, -1 unreadable, -2 not a certificate. */
static int add_certs(rspg_verifier *v, const char *path, int anchor, int role, rspg_diag *d,
                     struct targets *t)
{
    cli_objects objs = {0};
    if (cli_read_objects(path, &objs) != 0)
        return -1;
    int worst = 0;
    for (size_t k = 0; k < objs.n; k++) {
        cli_object *o = &objs.v[k];
        int ix = rspg_verifier_add_cert(v, o->name, o->data.data ? o->data.data : (uint8_t *)"",
                                        o->data.len, anchor, role, d);
        worst = least(worst, ix < 0 ? ix : 0);
        if (t && ix >= 0) {
            t->names = rspg_xrealloc(t->names, (t->n + 1) * sizeof(char *));
            t->ix = rspg_xrealloc(t->ix, (t->n + 1) * sizeof(int));
            t->names[t->n] = rspg_xstrdup(o->name);
            t->ix[t->n++] = ix;
        }
    }
    cli_objects_free(&objs);
    return worst;
}

/* Adds the CIs, intermediates, CRLs and the N certificates CERTS to V (the certificates to
 * check listed in CHECK); returns -1 to go on, else the exit status (4 for a file that is
 * not a certificate or CRL, 2 unreadable). */
static int load_pool(rspg_verifier *v, const struct vargs *a, int n, char **certs,
                     struct targets *check)
{
    rspg_diag d;
    rspg_diag_init(&d);
    int worst = 0; /* the least add result: -1 unreadable, -2 not a certificate or CRL */
    for (size_t i = 0; i < a->n_ci; i++)
        worst = least(worst, add_certs(v, a->cis[i], 1, RSPG_ROLE_CI, &d, NULL));
    for (size_t i = 0; i < a->n_untrusted; i++)
        worst = least(worst, add_certs(v, a->untrusted[i], 0, -1, &d, NULL));
    for (size_t i = 0; i < a->n_crl; i++)
        worst = least(worst, rspg_verifier_add_crl_file(v, a->crls[i], &d));
    for (int i = 0; i < n; i++)
        worst = least(worst, add_certs(v, certs[i], 0, a->role, &d, check));
    cli_print_diag(&d);
    rspg_diag_fini(&d);
    if (worst == 0)
        return -1;
    return worst == -2 ? cli_exit_code(RSPG_E_INPUT) : EXIT_USAGE;
}

static int has_cert_ext(const char *name)
{
    static const char *const exts[] = {".der", ".pem", ".crt", ".cer"};
    size_t n = strlen(name);
    for (size_t i = 0; i < 4; i++)
        if (n > 4 && strcmp(name + n - 4, exts[i]) == 0)
            return 1;
    return 0;
}

/* The certificate files (.der, .pem, .crt, .cer) of the folders of CERTS, in name order,
 * added to V as intermediates: the EUM beside an eUICC certificate, the CI subCA beside an
 * SM-DP+ certificate. Files that are not certificates are skipped silently. */
static void add_siblings(rspg_verifier *v, int n, char **certs)
{
    rspg_diag quiet;
    rspg_diag_init(&quiet);
    for (int i = 0; i < n; i++) {
        if (strcmp(certs[i], "-") == 0)
            continue;
        char *copy = rspg_xstrdup(certs[i]);
        const char *dir = dirname(copy);
        struct dirent **list = NULL;
        int m = scandir(dir, &list, NULL, alphasort);
        for (int k = 0; k < m; k++) {
            char *path = rspg_xasprintf("%s/%s", dir, list[k]->d_name);
            if (k < MAX_SIBLINGS && has_cert_ext(list[k]->d_name) && !is_dir(path))
                rspg_verifier_add_cert_file(v, path, 0, -1, &quiet);
            free(path);
            free(list[k]);
        }
        free(list);
        free(copy);
    }
    rspg_diag_fini(&quiet);
}

static int no_issuer(const rspg_verdict *vd)
{
    return !vd->valid && vd->check && strcmp(vd->check, "trust-anchor") == 0;
}

/* Prints the verdict of one certificate (or adds it to ARR). */
static void print_verdict(const struct vargs *a, const char *name, const rspg_verdict *vd,
                          json_t *arr)
{
    if (a->common.json) {
        json_array_append_new(arr, verdict_json(name, vd));
    } else if (vd->valid) {
        if (!a->common.quiet)
            printf("%s: valid (chain: %s)\n", name, vd->chain);
    } else {
        printf("%s: invalid: %s [%s, SGP.22 %s]\n", name, vd->message, vd->check, vd->reason);
        if (vd->chain[0])
            printf("  chain: %s\n", vd->chain);
        if (no_issuer(vd))
            printf("  (give the missing issuer with --untrusted FILE, a PEM bundle of "
                   "intermediates works, or put it beside the certificate)\n");
    }
}

/* `verify CERT... --ci CI`: each certificate (each of a bundle) against the pool; when an
 * issuer is missing, the certificates beside CERT are tried as intermediates. */
static int run_certs(const struct vargs *a, int n, char **certs)
{
    if (a->n_ci == 0)
        return cli_usage_error("verify CERT needs at least one trusted CI: --ci FILE");
    rspg_verifier *v = rspg_verifier_new(a->vo.has_time ? a->vo.time : (int64_t)time(NULL));
    struct targets check = {0};
    int code = load_pool(v, a, n, certs, &check);
    if (code >= 0) {
        targets_free(&check);
        rspg_verifier_free(v);
        return code;
    }
    rspg_verdict *vds = rspg_xcalloc(check.n + 1, sizeof(*vds));
    int missing = 0, all_valid = 1;
    for (size_t i = 0; i < check.n; i++) {
        rspg_verifier_check(v, check.ix[i], &vds[i]);
        missing |= no_issuer(&vds[i]);
    }
    if (missing) {
        add_siblings(v, n, certs);
        for (size_t i = 0; i < check.n; i++)
            if (no_issuer(&vds[i]))
                rspg_verifier_check(v, check.ix[i], &vds[i]);
    }
    json_t *arr = a->common.json ? json_array() : NULL;
    for (size_t i = 0; i < check.n; i++) {
        all_valid &= vds[i].valid;
        print_verdict(a, check.names[i], &vds[i], arr);
    }
    if (a->common.json) {
        json_t *root = json_object();
        json_object_set_new(root, "results", arr);
        print_json(root);
    }
    free(vds);
    targets_free(&check);
    rspg_verifier_free(v);
    return all_valid ? EXIT_OK : EXIT_FAILURE_RUN;
}

/* A CERT or DIR argument that does not exist: named as what it looks like (a path ending
 * in '/' or without an extension is taken for a folder). Returns the exit code, or -1. */
static int missing_input(int n, char **args)
{
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(args[i], "-") == 0 || stat(args[i], &st) == 0)
            continue;
        int err = errno;
        size_t len = strlen(args[i]);
        const char *base = strrchr(args[i], '/');
        base = base ? base + 1 : args[i];
        int folder = (len && args[i][len - 1] == '/') || strchr(base, '.') == NULL;
        return cli_usage_error("%s: %s %s", args[i],
                               n == 1 && folder ? "cannot read the folder:"
                                                : "cannot read the certificate:",
                               strerror(err));
    }
    return -1;
}

int cmd_verify(int argc, char **argv)
{
    struct vargs a = {.role = -1};
    int code = parse_args(argc, argv, &a), n = argc - optind;
    if (code < 0)
        code = missing_input(n, argv + optind);
    if (code < 0 && a.window && !(n == 1 && is_dir(argv[optind])))
        code = cli_usage_error("--expiring-within applies to a folder written by 'rsp-pkigen "
                               "build' (verify DIR --expiring-within 30d)");
    if (code < 0 && n == 1 && is_dir(argv[optind]))
        code = run_dir(&a, argv[optind]);
    else if (code < 0 && cli_cvc_any(n, argv + optind)) /* SGP.02 GP card certificates */
        code =
            cli_verify_cvc(n, argv + optind, a.cis, a.n_ci, a.n_untrusted + a.n_crl + (a.role >= 0),
                           &a.vo, a.common.json, a.common.quiet);
    else if (code < 0)
        code = run_certs(&a, n, argv + optind);
    free(a.cis);
    free(a.untrusted);
    free(a.crls);
    return code;
}
