/*
 * cmd_mint.c: `rsp-pkigen mint euicc`: option parsing, the progress bar and the messages;
 * the run itself is the library's (flow/mint_flow.h).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/base/time.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/flow/mint_flow.h"
#include "rspg/issue/mint_jsonl.h"

static const char mint_usage[] =
    "Usage: rsp-pkigen mint euicc --first-eid EID --count N [OPTIONS]\n"
    "\n"
    "Mints N eUICC key pairs and certificates with consecutive EIDs (valid check digits,\n"
    "inside the issuer's EIN prefix), signed by an EUM or EUM SubCA. The certificate template\n"
    "(subject, extensions, validity) is the profile's eUICC entry for the issuer's variant;\n"
    "the serial is the EID read as hex, as in GSMA's v3 eUICC certificate.\n"
    "\n"
    "The issuer:\n"
    "      --issuer-cert FILE --issuer-key FILE   the EUM's certificate and private key\n"
    "  or  --issuer ID                            an EUM entity of --profile, built in memory\n"
    "                                             (use --seed to get the same EUM every time)\n"
    "Options:\n"
    "      --profile FILE     profile with the eUICC template (default: sgp26.yaml installed in\n"
    "                         PREFIX/share/rsp-pkigen/profiles, or the source tree's for a\n"
    "                         build-tree binary; never the working directory's)\n"
    "      --template ID      the eUICC entity to use (default: by the issuer's variant)\n"
    "      --first-eid EID    the first EID (32 digits)\n"
    "      --count N          how many (digits; at most the EIDs left in the issuer's EIN\n"
    "                         range after --first-eid)\n"
    "      --shard I/N        only shard I (0 to N-1) of the N equal parts of the run: run the\n"
    "                         N shards anywhere with the same options, `cat` their bundles in\n"
    "                         order of I, and get the bundle of one run (shard 0 carries the\n"
    "                         header line; the others hold records only)\n"
    "      --curve C          curve of the eUICC keys: nist (P-256) or brp (brainpoolP256r1), or\n"
    "                         any OpenSSL name of them (default: the issuer's)\n"
    "  -j, --jobs N           worker threads (default: the number of cores)\n"
    "      --seed HEX         derive every key from the seed and the EID (reproducible)\n"
    "      --clock TIME       notBefore (default: SOURCE_DATE_EPOCH, digits only, else now)\n"
    "      --signatures KIND  rfc6979 (default with --seed) or random (default without)\n"
    "  -o, --output PATH      the JSON Lines bundle (default: stdout), or the folder with\n"
    "                         --layout files\n"
    "      --layout L         jsonl (default) or files (one folder per eUICC, and a manifest)\n"
    "      --resume           continue an interrupted bundle after its last complete record;\n"
    "                         only a bundle of the same run (its header line: issuer, profile,\n"
    "                         template, curve, EIDs, count, seed, clock, signatures)\n"
    "      --chain FILE       a certificate above the issuer, up to the CI (repeatable, in "
    "order):\n"
    "                         the first certificate is verified up to it before anything is\n"
    "                         written, and --layout files copies it in for `verify DIR`\n"
    "      --force            replace an existing output\n"
    "      --no-space-check   write the bundle even when it looks larger than the free space\n"
    "  -q, --quiet            no progress bar and no summary\n"
    "  -v, --verbose          also print the profile, the clock and the self-check's chain\n"
    "      --json             print the summary as JSON on stdout (minted, threads, seconds,\n"
    "                         output, profile, clock, self_checked, chain)\n"
    "  -h, --help             show this help\n"
    "\n"
    "Each JSON Lines record: {\"index\", \"eid\", \"serial\", \"certificate\" (PEM),\n"
    "\"private_key\" (PEM, SEC1)}, in EID order whatever -j. Private material is written 0600.\n"
    "An issuer key in a PKCS#11 token signs with one thread and the token's random nonces.\n"
    "Before writing, the first certificate is validated (SGP.22) up to the CI (--issuer: the\n"
    "profile's chain; --issuer-cert: --chain); an invalid one stops the run (exit 1).\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

struct progress {
    int show, started, quiet;
    struct timespec t0;
    const rspg_mint_flow_result *res; /* its start (a resumed run's first index) is set
                                         before the first record */
};

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* DONE counts records from the run's first (a shard's: the bar shows the shard's part). */
static int on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    (void)total;
    p->started = 1;
    if (p->show) {
        double s = elapsed(&p->t0);
        double rate = s > 0 ? (double)(done - p->res->start) / s : 0;
        double eta = rate > 0 ? (double)(p->res->end - done) / rate : 0;
        uint64_t n = done - p->res->first, all = p->res->end - p->res->first;
        int width = 30, fill = (int)((double)width * (double)n / (double)all);
        fprintf(stderr, "\r[%.*s%*s] %3d%% %llu/%llu %.0f/s ETA %.0fs ", fill,
                "##############################", width - fill, "",
                (int)(100.0 * (double)n / (double)all), (unsigned long long)n,
                (unsigned long long)all, rate, eta);
        fflush(stderr);
    }
    return interrupted;
}

/* The note before the first record: how large the bundle will be. */
static void on_size(void *ctx, uint64_t start, uint64_t end, uint64_t bytes, uint64_t avail)
{
    struct progress *p = ctx;
    if (p->quiet)
        return;
    char size[32], free_text[32];
    rspg_mint_size_text(bytes, size, sizeof(size));
    rspg_mint_size_text(avail, free_text, sizeof(free_text));
    fprintf(stderr, "rsp-pkigen: note: %llu records%s, about %s%s%s%s\n",
            (unsigned long long)(end - start), start > p->res->first ? " (resumed)" : "", size,
            avail != UINT64_MAX ? " (" : "", avail != UINT64_MAX ? free_text : "",
            avail != UINT64_MAX ? " free)" : "");
}

/* The options of `mint euicc` and what they set. */
static const struct option opts[] = {
    {"issuer-cert", required_argument, NULL, 'C'},
    {"issuer-key", required_argument, NULL, 'K'},
    {"issuer", required_argument, NULL, 'I'},
    {"profile", required_argument, NULL, 'p'},
    {"template", required_argument, NULL, 'T'},
    {"first-eid", required_argument, NULL, 'e'},
    {"count", required_argument, NULL, 'n'},
    {"shard", required_argument, NULL, 'P'},
    {"curve", required_argument, NULL, 'c'},
    {"jobs", required_argument, NULL, 'j'},
    {"seed", required_argument, NULL, 's'},
    {"clock", required_argument, NULL, 't'},
    {"signatures", required_argument, NULL, 'g'},
    {"output", required_argument, NULL, 'o'},
    {"layout", required_argument, NULL, 'L'},
    {"resume", no_argument, NULL, 'R'},
    {"force", no_argument, NULL, 'f'},
    {"no-space-check", no_argument, NULL, 'S'},
    {"chain", required_argument, NULL, 'H'},
    {NULL, 0, NULL, 0},
};

struct args {
    rspg_mint_flow_options o;
    const char **chain;
    rspg_buf seed;
    cli_common common;
};

/* --count: decimal digits only (no sign, no spaces), 1 or more; the upper limit, the EIDs
 * left in the issuer's EIN range after --first-eid, is the library's check. */
static int parse_count(const char *arg, uint64_t *count)
{
    size_t n = strspn(arg, "0123456789");
    if (n == 0 || arg[n] != '\0')
        return cli_usage_error("--count takes decimal digits only (1 up to the EIDs left in the "
                               "issuer's EIN range), not '%s'",
                               arg);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno == ERANGE)
        return cli_usage_error("--count %s is more than %llu, and more than the EIDs any EIN "
                               "range holds",
                               arg, ULLONG_MAX);
    if (v == 0)
        return cli_usage_error("--count must be 1 or more, not '%s'", arg);
    *count = v;
    return EXIT_OK;
}

/* --shard I/N: decimal digits, 0 <= I < N (N at most --count: the library's check). */
static int parse_shard(const char *arg, rspg_mint_flow_options *o)
{
    unsigned long long i, n;
    int used = 0;
    if (strspn(arg, "0123456789/") != strlen(arg) ||
        sscanf(arg, "%llu/%llu%n", &i, &n, &used) != 2 || arg[used] != '\0' || n == 0 || i >= n ||
        n > 1000000000ULL)
        return cli_usage_error("--shard takes I/N with 0 <= I < N (e.g. 0/4 .. 3/4), not '%s'",
                               arg);
    o->shard = i;
    o->shards = n;
    return EXIT_OK;
}

/* RSPG_EC_ENGINE=libcrypto: libcrypto for brainpoolP256r1 too (tests and bench/bulk.sh
 * compare it with the default, bp256). */
static int parse_engine(rspg_mint_flow_options *o)
{
    const char *e = getenv("RSPG_EC_ENGINE");
    if (e == NULL || *e == '\0' || strcmp(e, "auto") == 0)
        o->engine = RSPG_EC_AUTO;
    else if (strcmp(e, "libcrypto") == 0)
        o->engine = RSPG_EC_LIBCRYPTO;
    else
        return cli_usage_error("RSPG_EC_ENGINE takes auto or libcrypto, not '%s'", e);
    return EXIT_OK;
}

/* Options with a number, a seed, a date or a keyword as their value; returns EXIT_OK or
 * the usage error's exit code. */
static int parse_value(int c, const char *arg, struct args *a)
{
    char *end = NULL;
    long jobs;
    rspg_mint_flow_options *o = &a->o;
    switch (c) {
    case 'n':
        return parse_count(arg, &o->count);
    case 'P':
        return parse_shard(arg, o);
    case 'j':
        jobs = strtol(arg, &end, 10);
        if (*end || jobs < 1 || jobs > 256)
            return cli_usage_error("-j takes 1 to 256, not '%s'", arg);
        o->threads = (int)jobs;
        return EXIT_OK;
    case 's':
        rspg_buf_reset(&a->seed);
        if (rspg_unhex(arg, &a->seed) != 0 || a->seed.len == 0 || a->seed.len > 64)
            return cli_usage_error("--seed takes 1 to 64 bytes of hex, not '%s'", arg);
        return EXIT_OK;
    case 't':
        return cli_parse_date("--clock", arg, &o->clock, &o->has_clock) == CLI_PROCEED ? EXIT_OK
                                                                                       : EXIT_USAGE;
    case 'g':
        o->nonce_given = 1;
        if (strcmp(arg, "rfc6979") == 0)
            o->nonce = RSPG_NONCE_RFC6979;
        else if (strcmp(arg, "random") == 0)
            o->nonce = RSPG_NONCE_RANDOM;
        else
            return cli_usage_error("--signatures takes rfc6979 or random, not '%s'", arg);
        return EXIT_OK;
    case 'L':
        if (strcmp(arg, "files") == 0)
            o->layout = RSPG_MINT_FILES;
        else if (strcmp(arg, "jsonl") == 0)
            o->layout = RSPG_MINT_JSONL;
        else
            return cli_usage_error("--layout takes jsonl or files, not '%s'", arg);
        return EXIT_OK;
    default:
        return cli_usage_error("unknown option '%s' (see 'rsp-pkigen mint --help')", arg);
    }
}

/* After the options: what a run needs, the engine, the shard against the count. */
static int settle(struct args *a)
{
    rspg_mint_flow_options *o = &a->o;
    int code;
    if (o->first_eid == NULL || o->count == 0)
        return cli_usage_error("mint euicc needs --first-eid EID and --count N");
    if ((code = parse_engine(o)) != EXIT_OK)
        return code;
    if (o->shards && o->shards > o->count)
        return cli_usage_error("--shard %llu/%llu: more shards than --count %llu",
                               (unsigned long long)o->shard, (unsigned long long)o->shards,
                               (unsigned long long)o->count);
    o->chain = a->chain;
    o->seed = a->seed.len ? a->seed.data : NULL;
    o->seed_len = a->seed.len;
    return EXIT_OK;
}

/* One option of `mint euicc`: CLI_PROCEED, or the exit code of a usage error. */
static int mint_option(void *ctx, int c, const char *arg)
{
    struct args *a = ctx;
    rspg_mint_flow_options *o = &a->o;
    switch (c) {
    case 'C':
        o->issuer_cert = arg;
        break;
    case 'K':
        o->issuer_key = arg;
        break;
    case 'I':
        o->issuer_id = arg;
        break;
    case 'p':
        o->profile = arg;
        break;
    case 'T':
        o->template_id = arg;
        break;
    case 'e':
        o->first_eid = arg;
        break;
    case 'c':
        o->curve = arg;
        break;
    case 'o':
        o->output = arg;
        break;
    case 'R':
        o->resume = 1;
        break;
    case 'f':
        o->force = 1;
        break;
    case 'S':
        o->no_space_check = 1;
        break;
    case 'H':
        cli_push(&a->chain, &o->n_chain, arg);
        break;
    default: {
        int code = parse_value(c, arg, a);
        return code == EXIT_OK ? CLI_PROCEED : code;
    }
    }
    return CLI_PROCEED;
}

/* The options of `mint euicc`: CLI_PROCEED to run, EXIT_OK after --help, or the exit code
 * of a usage error. */
static int parse(int argc, char **argv, struct args *a)
{
    static const cli_command cmd = {"mint", mint_usage, "j:o:", opts, 1};
    int code = cli_parse_options(argc, argv, &cmd, mint_option, a, &a->common);
    if (code != CLI_PROCEED)
        return code;
    if (optind != argc)
        return cli_usage_error("unexpected argument '%s'", argv[optind]);
    code = settle(a);
    return code == EXIT_OK ? CLI_PROCEED : code;
}

/* --json: the summary on stdout. */
static void report_json(const struct args *a, const rspg_mint_flow_result *res, double seconds)
{
    char when[32];
    rspg_format_rfc3339(res->clock.time, when, sizeof(when));
    json_t *o = json_pack(
        "{s:I, s:I, s:i, s:f, s:s?, s:s?, s:{s:s, s:s}, s:b, s:s?}", "minted",
        (json_int_t)res->made, "start", (json_int_t)res->start, "threads", res->threads, "seconds",
        seconds, "output", a->o.output, "profile", res->profile, "clock", "time", when, "source",
        res->clock.source ? res->clock.source : "", "self_checked", res->self_checked, "chain",
        res->self_checked ? res->verdict.chain : NULL);
    cli_print_json(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

static void report(const struct args *a, const rspg_mint_flow_result *res, rspg_status rc,
                   double seconds)
{
    if (a->common.json && rc == RSPG_OK)
        report_json(a, res, seconds);
    if (a->common.quiet || a->common.json)
        return;
    if (a->common.verbose && rc == RSPG_OK) {
        char when[32];
        rspg_format_rfc3339(res->clock.time, when, sizeof(when));
        fprintf(stderr, "rsp-pkigen: profile %s, clock %s (%s)%s%s\n",
                res->profile ? res->profile : "-", when, res->clock.source,
                res->self_checked ? ", first certificate verified: " : "",
                res->self_checked ? res->verdict.chain : "");
    }
    if (res->hsm && a->o.seed_len)
        fprintf(stderr, "rsp-pkigen: note: the issuer key is in a PKCS#11 token: keys follow "
                        "the seed, signatures use the token's random nonces\n");
    if (rc == RSPG_OK && !res->self_checked)
        fprintf(stderr, "rsp-pkigen: note: no chain up to a CI (--chain): the first certificate "
                        "was not verified before minting\n");
    if (rc != RSPG_OK)
        return;
    const char *out = a->o.output;
    fprintf(stderr,
            "rsp-pkigen: minted %llu eUICC certificates in %.2f s (%.0f/s, %d threads)%s%s\n",
            (unsigned long long)res->made, seconds, seconds > 0 ? (double)res->made / seconds : 0.0,
            res->threads, out ? " to " : "", out ? out : "");
}

int cmd_mint(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "euicc") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(mint_usage, stdout);
            return EXIT_OK;
        }
        return cli_usage_error("mint takes 'euicc' (see 'rsp-pkigen mint --help')");
    }
    struct args a;
    memset(&a, 0, sizeof(a));
    rspg_buf_init(&a.seed);
    a.o.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    a.o.threads = a.o.threads < 1 ? 1 : a.o.threads > 256 ? 256 : a.o.threads;
    int code = parse(argc - 1, argv + 1, &a);
    if (code == CLI_PROCEED) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        rspg_mint_flow_result res;
        struct progress pr = {
            !a.common.quiet && isatty(STDERR_FILENO), 0, a.common.quiet, {0, 0}, &res};
        clock_gettime(CLOCK_MONOTONIC, &pr.t0);
        a.o.progress = on_progress;
        a.o.progress_ctx = &pr;
        a.o.size_note = on_size;
        rspg_pkcs11_set_pin_callback(cli_pin_prompt, NULL);
        rspg_diag d;
        rspg_diag_init(&d);
        rspg_status rc = rspg_mint_flow(&a.o, &d, &res);
        if (pr.show && pr.started)
            fputc('\n', stderr);
        report(&a, &res, rc, elapsed(&pr.t0));
        cli_print_diag(&d);
        code = cli_exit_code(rc);
        rspg_diag_fini(&d);
        rspg_mint_flow_result_free(&res);
    }
    free(a.chain);
    rspg_buf_free(&a.seed);
    return code;
}
