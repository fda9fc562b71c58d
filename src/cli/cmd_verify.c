/*
 * cmd_verify.c: `rsp-pkigen verify`: validate as an eUICC, SM-DP+ or LPA would.
 *   verify DIR                      a build folder, against its manifest's expectations
 *   verify CERT --ci CI [--untrusted X]... [--crl C]... [--at TIME] [--role R] [--json]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cli_cvc.h"
#include "rspg/asn1/der.h"
#include "rspg/check/verify.h"
#include "rspg/profile/profile.h"

static const char verify_usage[] =
    "Usage: rsp-pkigen verify DIR [--at TIME] [--json]\n"
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
    "its verdict and reason compared with the manifest's 'expect' and 'reason'.\n"
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
    "      --json             print the verdicts as JSON on stdout\n"
    "  -q, --quiet            print nothing on success\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 all valid (or, for a folder, all as the manifest expects), 1 otherwise,\n"
    "2 bad usage or unreadable input, 4 an input that is not a certificate or CRL.\n";

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
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text)
        puts(text);
    free(text);
    json_decref(root);
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
    int quiet, json, role;
};

static void push(const char ***list, size_t *n, const char *v)
{
    *list = rspg_xrealloc(*list, (*n + 1) * sizeof(char *));
    (*list)[(*n)++] = v;
}

/* Parses the options into A; returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct vargs *a)
{
    static const struct option opts[] = {
        {"at", required_argument, NULL, 'a'},
        {"ci", required_argument, NULL, 'c'},
        {"untrusted", required_argument, NULL, 'u'},
        {"crl", required_argument, NULL, 'l'},
        {"role", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    rspg_role r;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
        if (c == 'a' && rspg_parse_rfc3339(optarg, &a->vo.time) != 0)
            return cli_usage_error("--at '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ)", optarg);
        if (c == 'r' && rspg_role_parse(optarg, &r) != 0)
            return cli_usage_error("unknown role '%s' (expected ci, ci-subca, eum, eum-subca, "
                                   "euicc, dp-subca, ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, "
                                   "ds-tls, eim-sign or eim-tls)",
                                   optarg);
        switch (c) {
        case 'a':
            a->vo.has_time = 1;
            break;
        case 'c':
            push(&a->cis, &a->n_ci, optarg);
            break;
        case 'u':
            push(&a->untrusted, &a->n_untrusted, optarg);
            break;
        case 'l':
            push(&a->crls, &a->n_crl, optarg);
            break;
        case 'r':
            a->role = (int)r;
            break;
        case 'j':
            a->json = 1;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'h':
            fputs(verify_usage, stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s' (see 'rsp-pkigen verify --help')",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(
            "verify needs a folder or certificates (see 'rsp-pkigen verify --help')");
    return -1;
}

static void print_dir_json(const rspg_verify_result *res)
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
    print_json(root);
}

/* `verify DIR`: the folder against its manifest. */
static int run_dir(const struct vargs *a, const char *dir)
{
    if (a->n_ci || a->n_untrusted || a->n_crl || a->role >= 0)
        return cli_usage_error("--ci, --untrusted, --crl and --role apply to certificates, not "
                               "to a folder");
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_verify_result res;
    int code;
    rspg_status rc = rspg_verify_dir(dir, &a->vo, &d, &res);
    if (!a->json || rc != RSPG_E_VERIFY)
        cli_print_diag(&d);
    if (rc == RSPG_OK || rc == RSPG_E_VERIFY) {
        if (a->json)
            print_dir_json(&res);
        else if (!a->quiet || rc != RSPG_OK)
            printf("rsp-pkigen: verified %zu certificates and CRLs in %s: %zu as the manifest "
                   "expects, %zu not\n",
                   res.certificates, dir, res.agreed, res.disagreed);
        code = rc == RSPG_OK ? EXIT_OK : EXIT_FAILURE_RUN;
    } else {
        /* an unreadable manifest or certificate is unreadable input: 2, as --help says */
        code = rc == RSPG_E_IO ? EXIT_USAGE : cli_exit_code(rc);
    }
    rspg_verify_result_free(&res);
    rspg_diag_fini(&d);
    return code;
}

/* Adds the CIs, intermediates, CRLs and the N certificates CERTS to V; returns -1 to go
 * on, else the exit status (4 for a file that is not a certificate or CRL, 2 unreadable). */
static int load_pool(rspg_verifier *v, const struct vargs *a, int n, char **certs)
{
    rspg_diag d;
    rspg_diag_init(&d);
    int worst = 0; /* the least add result: -1 unreadable, -2 not a certificate or CRL */
    for (size_t i = 0; i < a->n_ci; i++)
        worst = least(worst, rspg_verifier_add_cert_file(v, a->cis[i], 1, RSPG_ROLE_CI, &d));
    for (size_t i = 0; i < a->n_untrusted; i++)
        worst = least(worst, rspg_verifier_add_cert_file(v, a->untrusted[i], 0, -1, &d));
    for (size_t i = 0; i < a->n_crl; i++)
        worst = least(worst, rspg_verifier_add_crl_file(v, a->crls[i], &d));
    for (int i = 0; i < n; i++)
        worst = least(worst, rspg_verifier_add_cert_file(v, certs[i], 0, a->role, &d));
    cli_print_diag(&d);
    rspg_diag_fini(&d);
    if (worst == 0)
        return -1;
    return worst == -2 ? cli_exit_code(RSPG_E_INPUT) : EXIT_USAGE;
}

/* `verify CERT... --ci CI`: each certificate against the pool. */
static int run_certs(const struct vargs *a, int n, char **certs)
{
    if (a->n_ci == 0)
        return cli_usage_error("verify CERT needs at least one trusted CI: --ci FILE");
    rspg_verifier *v = rspg_verifier_new(a->vo.has_time ? a->vo.time : (int64_t)time(NULL));
    int code = load_pool(v, a, n, certs);
    if (code >= 0) {
        rspg_verifier_free(v);
        return code;
    }
    int first = (int)(a->n_ci + a->n_untrusted), all_valid = 1;
    json_t *arr = a->json ? json_array() : NULL;
    for (int i = 0; i < n; i++) {
        rspg_verdict vd;
        rspg_verifier_check(v, first + i, &vd);
        all_valid &= vd.valid;
        if (a->json) {
            json_array_append_new(arr, verdict_json(certs[i], &vd));
        } else if (vd.valid) {
            if (!a->quiet)
                printf("%s: valid (chain: %s)\n", certs[i], vd.chain);
        } else {
            printf("%s: invalid: %s [%s, SGP.22 %s]\n", certs[i], vd.message, vd.check, vd.reason);
            if (vd.chain[0])
                printf("  chain: %s\n", vd.chain);
        }
    }
    if (a->json) {
        json_t *root = json_object();
        json_object_set_new(root, "results", arr);
        print_json(root);
    }
    rspg_verifier_free(v);
    return all_valid ? EXIT_OK : EXIT_FAILURE_RUN;
}

int cmd_verify(int argc, char **argv)
{
    struct vargs a = {.role = -1};
    int code = parse_args(argc, argv, &a), n = argc - optind;
    if (code < 0 && n == 1 && is_dir(argv[optind]))
        code = run_dir(&a, argv[optind]);
    else if (code < 0 && cli_cvc_any(n, argv + optind)) /* SGP.02 GP card certificates */
        code = cli_verify_cvc(n, argv + optind, a.cis, a.n_ci,
                              a.n_untrusted + a.n_crl + (a.role >= 0), &a.vo, a.json, a.quiet);
    else if (code < 0)
        code = run_certs(&a, n, argv + optind);
    free(a.cis);
    free(a.untrusted);
    free(a.crls);
    return code;
}
