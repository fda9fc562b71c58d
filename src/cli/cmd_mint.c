/*
 * cmd_mint.c: `rsp-pkigen mint euicc`: bulk eUICC certificates and keys from an EUM, as a
 * streaming JSON Lines bundle (resumable) or, for small runs, as files with a manifest.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "rspg/issue/build.h"
#include "rspg/asn1/der.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/mint.h"
#include "rspg/issue/output.h"
#include "rspg/asn1/pem.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/profile/profile.h"
#include "rspg/rsp/rules.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/x509.h"

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
    "      --profile FILE     profile with the eUICC template (default: profiles/sgp26.yaml)\n"
    "      --template ID      the eUICC entity to use (default: by the issuer's variant)\n"
    "      --first-eid EID    the first EID (32 digits)\n"
    "      --count N          how many\n"
    "      --curve C          curve of the eUICC keys: nist or brp (default: the issuer's)\n"
    "  -j, --jobs N           worker threads (default: the number of cores)\n"
    "      --seed HEX         derive every key from the seed and the EID (reproducible)\n"
    "      --clock TIME       notBefore (default: SOURCE_DATE_EPOCH, else now)\n"
    "      --signatures KIND  rfc6979 (default with --seed) or random (default without)\n"
    "  -o, --output PATH      the JSON Lines bundle (default: stdout), or the folder with\n"
    "                         --layout files\n"
    "      --layout L         jsonl (default) or files (one folder per eUICC, and a manifest)\n"
    "      --resume           continue an interrupted bundle after its last complete record\n"
    "      --chain FILE       with --layout files: a certificate above the issuer, up to the CI\n"
    "                         (repeatable, in order), copied in so that `verify DIR` has the chain\n"
    "      --force            replace an existing output\n"
    "  -q, --quiet            no progress bar and no summary\n"
    "  -h, --help             show this help\n"
    "\n"
    "Each JSON Lines record: {\"index\", \"eid\", \"serial\", \"certificate\" (PEM),\n"
    "\"private_key\" (PEM, SEC1)}, in EID order whatever -j. Private material is written 0600.\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

struct progress {
    int show;
    struct timespec t0;
    uint64_t start;
};

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    if (p->show) {
        double s = elapsed(&p->t0);
        double rate = s > 0 ? (double)(done - p->start) / s : 0;
        double eta = rate > 0 ? (double)(total - done) / rate : 0;
        int width = 30, fill = (int)((double)width * (double)done / (double)total);
        fprintf(stderr, "\r[%.*s%*s] %3d%% %llu/%llu %.0f/s ETA %.0fs ", fill,
                "##############################", width - fill, "",
                (int)(100.0 * (double)done / (double)total), (unsigned long long)done,
                (unsigned long long)total, rate, eta);
        fflush(stderr);
    }
    return interrupted;
}

/* ---- JSON Lines ---- */

struct jsonl {
    int fd;
    rspg_buf buf;
};

static int jsonl_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    struct jsonl *j = ctx;
    rspg_buf_reset(&j->buf);
    for (size_t i = 0; i < n; i++)
        rspg_buf_append(&j->buf, recs[i].line, recs[i].line_len);
    /* one write per chunk of complete records */
    size_t off = 0;
    while (off < j->buf.len) {
        ssize_t w = write(j->fd, j->buf.data + off, j->buf.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rspg_fail(d, RSPG_E_IO, "cannot write the bundle: %s", strerror(errno));
            return -1;
        }
        off += (size_t)w;
    }
    OPENSSL_cleanse(j->buf.data, j->buf.len);
    return 0;
}

/* Finds the last complete record of an interrupted bundle, cuts a torn tail, and returns
 * the index to continue from (0 for an empty file), or -1 on a mismatch. */
static long long resume_point(int fd, const char *first_eid, rspg_diag *d)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -1;
    off_t size = st.st_size;
    if (size == 0)
        return 0;
    off_t from = size > 65536 ? size - 65536 : 0;
    size_t n = (size_t)(size - from);
    char *tail = rspg_xmalloc(n + 1);
    if (pread(fd, tail, n, from) != (ssize_t)n) {
        free(tail);
        rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it");
        return -1;
    }
    tail[n] = '\0';
    size_t end = n;
    while (end > 0 && tail[end - 1] != '\n')
        end--; /* a torn record at the end */
    if (end == 0) {
        free(tail);
        if (from == 0) { /* only a torn first record */
            if (ftruncate(fd, 0) != 0)
                return -1;
            return 0;
        }
        rspg_fail(d, RSPG_E_IO, "the bundle's last record is longer than 64 KiB: not a mint bundle");
        return -1;
    }
    size_t start = end - 1;
    while (start > 0 && tail[start - 1] != '\n')
        start--;
    tail[end - 1] = '\0';
    const char *line = tail + start;
    unsigned long long index;
    char eid[RSPG_EID_LEN + 1], want[RSPG_EID_LEN + 1];
    if (sscanf(line, "{\"index\":%llu,\"eid\":\"%32[0-9]\"", &index, eid) != 2) {
        free(tail);
        rspg_fail(d, RSPG_E_IO, "the bundle's last complete record is not a mint record");
        return -1;
    }
    free(tail);
    if (rspg_eid_add(first_eid, index, want) != 0 || strcmp(want, eid) != 0) {
        rspg_fail(d, RSPG_E_USAGE, "the bundle does not continue this run (record %llu has EID %s, "
                                   "this run would have %s)",
                  index, eid, want);
        return -1;
    }
    if (ftruncate(fd, from + (off_t)end) != 0 || lseek(fd, 0, SEEK_END) < 0) {
        rspg_fail(d, RSPG_E_IO, "cannot cut the bundle's torn record: %s", strerror(errno));
        return -1;
    }
    return (long long)index + 1;
}

/* ---- files and a manifest ---- */

struct files {
    rspg_build_result r;
    const rspg_entity *tmpl;
    const char *curve_suffix, *curve_name, *variant, *issuer_path;
    int64_t nb, na;
};

static void add_artifact(struct files *f, rspg_artifact_kind kind, char *path, int pem, int secret,
                         const void *data, size_t len)
{
    rspg_build_result *r = &f->r;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->items = rspg_xrealloc(r->items, r->cap * sizeof(*r->items));
    }
    rspg_artifact *a = &r->items[r->n++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->path = path;
    a->pem = pem;
    a->secret = secret;
    a->entity = f->tmpl;
    a->curve = f->curve_name;
    a->variant = rspg_xstrdup(f->variant);
    a->expect = rspg_xstrdup("valid");
    a->trust_anchor = 0;
    rspg_buf_append(&a->data, data, len);
}

static int files_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    struct files *f = ctx;
    (void)d;
    for (size_t i = 0; i < n; i++) {
        const rspg_mint_record *rec = &recs[i];
        rspg_buf pem;
        rspg_buf_init(&pem);
        char *cert = rspg_xasprintf("eUICC/%s/CERT_EUICC_SIG_%s.der", rec->eid, f->curve_suffix);
        char *key = rspg_xasprintf("eUICC/%s/SK_EUICC_SIG_%s.pem", rec->eid, f->curve_suffix);
        add_artifact(f, RSPG_ART_CERT, cert, 0, 0, rec->cert, rec->cert_len);
        rspg_artifact *a = &f->r.items[f->r.n - 1];
        a->issuer_path = rspg_xstrdup(f->issuer_path);
        a->key_path = rspg_xstrdup(key);
        a->serial_hex = rspg_xasprintf("%s%s", rec->eid[0] >= '8' ? "00" : "", rec->eid);
        a->not_before = f->nb;
        a->not_after = f->na;
        f->r.n_certs++;
        rspg_pem_encode("EC PRIVATE KEY", rec->key, rec->key_len, &pem);
        add_artifact(f, RSPG_ART_PRIVATE_KEY, key, 1, 1, pem.data, pem.len);
        f->r.items[f->r.n - 1].cert_path = rspg_xstrdup(cert);
        OPENSSL_cleanse(pem.data, pem.len);
        rspg_buf_free(&pem);
    }
    return 0;
}

static int same_name(const rspg_der_tlv *a, const rspg_der_tlv *b)
{
    return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

/* ---- the template ---- */

static const rspg_entity *pick_template(const rspg_profile *p, const char *id, int issuer_role,
                                        int v3, rspg_diag *d)
{
    if (id) {
        const rspg_entity *e = rspg_profile_find(p, id);
        if (e == NULL || e->role != RSPG_ROLE_EUICC) {
            rspg_fail(d, RSPG_E_USAGE, "--template '%s' is not an euicc entity of the profile", id);
            return NULL;
        }
        return e;
    }
    /* the eUICC of the issuer's variant: Variant O for a v2 EUM; for v3, one issued by an
     * entity of the issuer's role (EUM: Ov3/B, EUM SubCA: A/C) */
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        if (e->role != RSPG_ROLE_EUICC || e->expect || e->issuer == NULL)
            continue;
        const rspg_entity *iss = rspg_profile_find(p, e->issuer);
        int e_v3 = strcmp(e->variants[0], "O") != 0;
        if (iss && e_v3 == v3 && (issuer_role < 0 || (int)iss->role == issuer_role))
            return e;
    }
    rspg_fail(d, RSPG_E_USAGE, "the profile has no eUICC entity for this issuer (give --template)");
    return NULL;
}

static int read_all(const char *path, rspg_buf *out, rspg_diag *d)
{
    if (rspg_read_file(path, 16u << 20, out) == 0)
        return 0;
    rspg_fail(d, RSPG_E_USAGE, "%s: cannot read: %s", path, strerror(errno));
    return -1;
}

int cmd_mint(int argc, char **argv)
{
    static const struct option opts[] = {
        {"issuer-cert", required_argument, NULL, 'C'}, {"issuer-key", required_argument, NULL, 'K'},
        {"issuer", required_argument, NULL, 'I'},      {"profile", required_argument, NULL, 'p'},
        {"template", required_argument, NULL, 'T'},    {"first-eid", required_argument, NULL, 'e'},
        {"count", required_argument, NULL, 'n'},       {"curve", required_argument, NULL, 'c'},
        {"jobs", required_argument, NULL, 'j'},        {"seed", required_argument, NULL, 's'},
        {"clock", required_argument, NULL, 't'},       {"signatures", required_argument, NULL, 'g'},
        {"output", required_argument, NULL, 'o'},      {"layout", required_argument, NULL, 'L'},
        {"resume", no_argument, NULL, 'R'},            {"force", no_argument, NULL, 'f'},
        {"chain", required_argument, NULL, 'H'},
        {"quiet", no_argument, NULL, 'q'},             {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *issuer_cert = NULL, *issuer_key = NULL, *issuer_id = NULL, *template_id = NULL;
    const char *profile_path = "profiles/sgp26.yaml", *first_eid = NULL, *curve_name = NULL;
    const char *out = NULL, *layout = "jsonl";
    const char **chain = NULL;
    size_t n_chain = 0;
    unsigned long long count = 0;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int resume = 0, force = 0, quiet = 0, c, code = EXIT_OK, has_clock = 0;
    int64_t clock_value = 0;
    rspg_nonce nonce = RSPG_NONCE_RFC6979;
    int nonce_given = 0;
    rspg_buf seed;
    rspg_buf_init(&seed);

    if (argc < 2 || strcmp(argv[1], "euicc") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(mint_usage, stdout);
            return EXIT_OK;
        }
        return cli_usage_error("mint takes 'euicc' (see 'rsp-pkigen mint --help')");
    }
    argc--;
    argv++;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":j:o:qh", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'C': issuer_cert = optarg; break;
        case 'K': issuer_key = optarg; break;
        case 'I': issuer_id = optarg; break;
        case 'p': profile_path = optarg; break;
        case 'T': template_id = optarg; break;
        case 'e': first_eid = optarg; break;
        case 'c': curve_name = optarg; break;
        case 'o': out = optarg; break;
        case 'L': layout = optarg; break;
        case 'R': resume = 1; break;
        case 'H':
            chain = rspg_xrealloc(chain, (n_chain + 1) * sizeof(char *));
            chain[n_chain++] = optarg;
            break;
        case 'f': force = 1; break;
        case 'q': quiet = 1; break;
        case 'n':
            errno = 0;
            count = strtoull(optarg, &end, 10);
            if (*optarg == '-' || *end || errno || count == 0) {
                code = cli_usage_error("--count takes a positive number, not '%s'", optarg);
                goto done;
            }
            break;
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 256) {
                code = cli_usage_error("-j takes 1 to 256, not '%s'", optarg);
                goto done;
            }
            break;
        case 's':
            rspg_buf_reset(&seed);
            if (rspg_unhex(optarg, &seed) != 0 || seed.len == 0 || seed.len > 64) {
                code = cli_usage_error("--seed takes 1 to 64 bytes of hex, not '%s'", optarg);
                goto done;
            }
            break;
        case 't':
            if (rspg_parse_rfc3339(optarg, &clock_value) != 0) {
                code = cli_usage_error("--clock '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ)", optarg);
                goto done;
            }
            has_clock = 1;
            break;
        case 'g':
            nonce_given = 1;
            if (strcmp(optarg, "rfc6979") == 0)
                nonce = RSPG_NONCE_RFC6979;
            else if (strcmp(optarg, "random") == 0)
                nonce = RSPG_NONCE_RANDOM;
            else {
                code = cli_usage_error("--signatures takes rfc6979 or random, not '%s'", optarg);
                goto done;
            }
            break;
        case 'h':
            fputs(mint_usage, stdout);
            goto done;
        case ':':
            code = cli_usage_error("option '%s' needs a value", argv[optind - 1]);
            goto done;
        default:
            code = cli_usage_error("unknown option '%s' (see 'rsp-pkigen mint --help')",
                                   argv[optind - 1]);
            goto done;
        }
    }
    if (optind != argc) {
        code = cli_usage_error("unexpected argument '%s'", argv[optind]);
        goto done;
    }
    if (first_eid == NULL || count == 0) {
        code = cli_usage_error("mint euicc needs --first-eid EID and --count N");
        goto done;
    }
    if (strlen(first_eid) != RSPG_EID_LEN) {
        code = cli_usage_error("--first-eid '%s' is not 32 digits", first_eid);
        goto done;
    }
    if ((issuer_cert == NULL) != (issuer_key == NULL) || (issuer_cert && issuer_id) ||
        (!issuer_cert && !issuer_id)) {
        code = cli_usage_error("give the issuer as --issuer-cert FILE --issuer-key FILE, or as "
                               "--issuer ID of --profile");
        goto done;
    }
    int files = strcmp(layout, "files") == 0;
    if (!files && strcmp(layout, "jsonl") != 0) {
        code = cli_usage_error("--layout takes jsonl or files, not '%s'", layout);
        goto done;
    }
    if (files && (out == NULL || resume)) {
        code = cli_usage_error(out == NULL ? "--layout files needs -o DIR"
                                           : "--resume works with JSON Lines bundles only");
        goto done;
    }
    if (files && count > 100000) {
        code = cli_usage_error("--layout files is for up to 100000 eUICCs; use the JSON Lines bundle");
        goto done;
    }
    if (!nonce_given && seed.len == 0)
        nonce = RSPG_NONCE_RANDOM; /* random keys make the output unique anyway */
    if (!has_clock) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        clock_value = sde && *sde ? (int64_t)strtoll(sde, NULL, 10) : (int64_t)time(NULL);
    }

    rspg_diag d;
    rspg_diag_init(&d);
    rspg_profile *p = NULL;
    rspg_build_result built;
    memset(&built, 0, sizeof(built));
    rspg_key ikey;
    memset(&ikey, 0, sizeof(ikey));
    rspg_buf icert;
    rspg_buf_init(&icert);
    rspg_pkcs11_set_pin_callback(cli_pin_prompt, NULL);
    rspg_status rc = rspg_profile_load_file(profile_path, &d, &p);
    const rspg_artifact *issuer_art = NULL;
    if (rc == RSPG_OK && issuer_cert) {
        rspg_buf raw;
        rspg_buf_init(&raw);
        if (read_all(issuer_cert, &raw, &d) != 0 || rspg_read_der_file(issuer_cert, "CERTIFICATE", &icert) != 0)
            rc = RSPG_E_USAGE;
        rspg_buf_free(&raw);
        if (rc == RSPG_OK)
            rc = strncmp(issuer_key, "pkcs11:", 7) == 0 ? rspg_pkcs11_load_key(issuer_key, &d, &ikey)
                                                        : rspg_key_load_file(issuer_key, &d, &ikey);
    } else if (rc == RSPG_OK) {
        const rspg_entity *ie = rspg_profile_find(p, issuer_id);
        if (ie == NULL || (ie->role != RSPG_ROLE_EUM && ie->role != RSPG_ROLE_EUM_SUBCA)) {
            rc = rspg_fail(&d, RSPG_E_USAGE, "--issuer '%s' is not an eum or eum-subca entity of %s",
                           issuer_id, profile_path);
        } else {
            char *dir = rspg_xstrdup(profile_path);
            rspg_build_options bo = {0};
            bo.profile_dir = dirname(dir);
            char *only = (char *)issuer_id;
            char *cv = (char *)curve_name;
            bo.roles = &only;
            bo.n_roles = 1;
            if (curve_name) {
                bo.curves = &cv;
                bo.n_curves = 1;
            }
            bo.has_clock = 1;
            bo.clock = clock_value;
            bo.nonce = nonce;
            bo.seed = seed.len ? seed.data : NULL;
            bo.seed_len = seed.len;
            rc = rspg_build(p, &bo, &d, &built);
            free(dir);
            /* the issuer's certificate, and its key re-read from the build */
            for (size_t i = 0; rc == RSPG_OK && i < built.n; i++) {
                const rspg_artifact *a = &built.items[i];
                if (a->entity == ie && a->kind == RSPG_ART_CERT && !a->pem && issuer_art == NULL)
                    issuer_art = a;
            }
            for (size_t i = 0; rc == RSPG_OK && issuer_art && i < built.n; i++) {
                const rspg_artifact *a = &built.items[i];
                if (a->entity == ie && a->kind == RSPG_ART_PRIVATE_KEY &&
                    strcmp(a->curve, issuer_art->curve) == 0)
                    rc = rspg_key_load(a->data.data, a->data.len, a->path, &d, &ikey);
            }
            if (rc == RSPG_OK && issuer_art && ikey.pkey == NULL &&
                ie->key.source == RSPG_KEY_PKCS11) {
                /* the EUM key is in a token: load it from there, on the certificate's curve */
                const rspg_curve *ic = rspg_curve_find(issuer_art->curve);
                rspg_subst sub = {ic == rspg_curve_find("brp") ? "BRP" : "NIST", ie->variants[0]};
                for (size_t k = 0; k < p->n_curves; k++)
                    if (p->curves[k].curve == ic)
                        sub.curve = p->curves[k].suffix;
                char *uri = rspg_subst_apply(&sub, ie->key.pkcs11);
                rc = rspg_pkcs11_load_key(uri, &d, &ikey);
                free(uri);
            }
            if (rc == RSPG_OK && (issuer_art == NULL || ikey.pkey == NULL))
                rc = rspg_fail(&d, RSPG_E_USAGE, "the profile writes no DER certificate and key for "
                                                 "'%s'", issuer_id);
            if (rc == RSPG_OK)
                rspg_buf_append(&icert, issuer_art->data.data, issuer_art->data.len);
        }
    }
    const rspg_entity *tmpl = NULL;
    const rspg_curve *curve = NULL;
    if (rc == RSPG_OK) {
        rspg_x509 x;
        const char *why;
        int role = -1, v3 = 0;
        if (rspg_x509_parse(icert.data, icert.len, &x, &why) != 0) {
            rc = rspg_fail(&d, RSPG_E_USAGE, "the issuer certificate: %s", why);
        } else {
            /* the issuer's role and arc from its policy */
            const rspg_x509_ext *cp = rspg_x509_find_ext(&x, "2.5.29.32");
            for (size_t i = 0; cp && i + 2 < cp->value.len; i++) {
                if (cp->value.value[i] != RSPG_DER_OID)
                    continue;
                size_t l = cp->value.value[i + 1];
                char *oid = i + 2 + l <= cp->value.len ? rspg_der_oid_to_text(cp->value.value + i + 2, l) : NULL;
                rspg_role r;
                if (oid && rspg_role_from_policy(oid, &r, &v3) == 0)
                    role = (int)r;
                free(oid);
                if (role >= 0)
                    break;
            }
            if (role != RSPG_ROLE_EUM && role != RSPG_ROLE_EUM_SUBCA)
                rc = rspg_fail(&d, RSPG_E_USAGE, "the issuer certificate is not an EUM or EUM SubCA "
                                                 "(its policy names no such role)");
            else if ((tmpl = pick_template(p, template_id, role, v3, &d)) == NULL)
                rc = RSPG_E_USAGE;
        }
        curve = curve_name ? rspg_curve_find(curve_name) : ikey.curve;
        if (rc == RSPG_OK && curve == NULL)
            rc = rspg_fail(&d, RSPG_E_USAGE, "unknown curve '%s'", curve_name);
    }
    int fd = -1;
    struct jsonl jl = {-1, {0}};
    struct files fs;
    memset(&fs, 0, sizeof(fs));
    rspg_mint_options mo;
    memset(&mo, 0, sizeof(mo));
    if (rc == RSPG_OK) {
        rc = rspg_mint_check_range(icert.data, icert.len, first_eid, count, NULL, 0, &d);
    }
    if (rc == RSPG_OK) {
        /* rspg_mint refuses a key of another certificate too, but only after the bundle
         * is opened: check it first, so that a refused run leaves no empty bundle behind */
        rspg_x509 ix;
        const char *why;
        if (rspg_x509_parse(icert.data, icert.len, &ix, &why) == 0 &&
            (ix.pub_len != ikey.pub_len || memcmp(ix.pub, ikey.pub, ix.pub_len) != 0))
            rc = rspg_fail(&d, RSPG_E_USAGE,
                           "the issuer key does not belong to the issuer certificate");
    }
    if (rc == RSPG_OK && !files) {
        if (out == NULL || strcmp(out, "-") == 0) {
            fd = STDOUT_FILENO;
            if (resume)
                rc = rspg_fail(&d, RSPG_E_USAGE, "--resume needs -o FILE");
        } else if (resume) {
            fd = open(out, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        } else {
            fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0600);
            if (fd < 0 && errno == EEXIST)
                rc = rspg_fail(&d, RSPG_E_USAGE, "%s: already exists (use --resume to continue it, "
                                                 "--force to replace it)", out);
        }
        if (rc == RSPG_OK && fd < 0)
            rc = rspg_fail(&d, RSPG_E_IO, "%s: cannot open: %s", out, strerror(errno));
        if (rc == RSPG_OK && fd != STDOUT_FILENO)
            fchmod(fd, 0600);
        if (rc == RSPG_OK && resume) {
            long long start = resume_point(fd, first_eid, &d);
            if (start < 0)
                rc = RSPG_E_USAGE;
            else
                mo.start = (uint64_t)start;
        }
        jl.fd = fd;
        rspg_buf_init(&jl.buf);
    }
    if (rc == RSPG_OK) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        struct progress pr = {!quiet && isatty(STDERR_FILENO), {0, 0}, mo.start};
        clock_gettime(CLOCK_MONOTONIC, &pr.t0);
        mo.issuer_cert = icert.data;
        mo.issuer_cert_len = icert.len;
        mo.issuer_key = &ikey;
        mo.tmpl = tmpl;
        mo.curve = curve;
        snprintf(mo.first_eid, sizeof(mo.first_eid), "%s", first_eid);
        mo.count = count;
        mo.threads = (int)jobs;
        if (ikey.hsm) {
            /* the token signs (with its own nonces), one request at a time */
            mo.threads = 1;
            nonce = RSPG_NONCE_RANDOM;
            if (seed.len && !quiet)
                fprintf(stderr, "rsp-pkigen: note: the issuer key is in a PKCS#11 token: keys follow "
                                "the seed, signatures use the token's random nonces\n");
        }
        mo.seed = seed.len ? seed.data : NULL;
        mo.seed_len = seed.len;
        mo.nonce = nonce;
        mo.not_before = clock_value;
        mo.progress = on_progress;
        mo.progress_ctx = &pr;
        if (files) {
            fs.tmpl = tmpl;
            fs.curve_name = curve->name;
            fs.curve_suffix = curve == rspg_curve_find("brp") ? "BRP" : "NIST";
            fs.variant = tmpl->variants[0];
            fs.issuer_path = "issuer/CERT_ISSUER.der";
            fs.nb = clock_value;
            fs.na = clock_value + (int64_t)tmpl->validity_days * 86400;
            mo.sink = files_sink;
            mo.sink_ctx = &fs;
        } else {
            mo.sink = jsonl_sink;
            mo.sink_ctx = &jl;
        }
        rc = rspg_mint(&mo, &d);
        if (pr.show)
            fputc('\n', stderr);
        if (rc == RSPG_OK && files) {
            /* copies of the issuer's certificate and of the --chain certificates above it,
             * so that the folder holds every chain up to its CI */
            char *variant_of[1] = {tmpl->variants[0]};
            rspg_entity *ents = rspg_xcalloc(n_chain + 1, sizeof(rspg_entity));
            for (size_t i = 0; rc == RSPG_OK && i <= n_chain; i++) {
                rspg_buf der;
                rspg_buf_init(&der);
                char *path;
                if (i == 0) {
                    rspg_buf_append(&der, icert.data, icert.len);
                    path = rspg_xstrdup(fs.issuer_path);
                } else {
                    char *base = rspg_xstrdup(chain[i - 1]);
                    path = rspg_xasprintf("chain/%s", basename(base));
                    free(base);
                    if (rspg_read_der_file(chain[i - 1], "CERTIFICATE", &der) != 0)
                        rc = rspg_fail(&d, RSPG_E_USAGE, "%s: cannot read the certificate", chain[i - 1]);
                }
                rspg_x509 cx;
                const char *why;
                int crole = RSPG_ROLE_CI, cv3 = 0;
                if (rc == RSPG_OK && rspg_x509_parse(der.data, der.len, &cx, &why) != 0)
                    rc = rspg_fail(&d, RSPG_E_USAGE, "%s: %s", i ? chain[i - 1] : "the issuer", why);
                if (rc == RSPG_OK) {
                    const rspg_x509_ext *cp = rspg_x509_find_ext(&cx, "2.5.29.32");
                    for (size_t k = 0; cp && k + 2 < cp->value.len; k++) {
                        size_t l = cp->value.value[k + 1];
                        if (cp->value.value[k] != RSPG_DER_OID || k + 2 + l > cp->value.len)
                            continue;
                        char *oid = rspg_der_oid_to_text(cp->value.value + k + 2, l);
                        rspg_role r;
                        if (oid && rspg_role_from_policy(oid, &r, &cv3) == 0)
                            crole = (int)r;
                        free(oid);
                    }
                    rspg_entity *ce = &ents[i];
                    ce->id = (char *)(i == 0 ? "issuer" : "chain");
                    ce->name = (char *)(i == 0 ? "issuer" : "chain");
                    ce->role = (rspg_role)crole;
                    ce->variants = variant_of;
                    ce->n_variants = 1;
                    add_artifact(&fs, RSPG_ART_CERT, path, 0, 0, der.data, der.len);
                    rspg_artifact *ca = &fs.r.items[fs.r.n - 1];
                    ca->entity = ce;
                    ca->curve = ikey.curve->name;
                    int root = same_name(&cx.subject, &cx.issuer);
                    ca->trust_anchor = root;
                    if (root)
                        ce->issuer = NULL;
                    else
                        ce->issuer = (char *)"chain";
                    char *next = NULL;
                    if (!root && i < n_chain) {
                        char *base = rspg_xstrdup(chain[i]);
                        next = rspg_xasprintf("chain/%s", basename(base));
                        free(base);
                    }
                    ca->issuer_path = root ? rspg_xstrdup(path) : next ? next : rspg_xstrdup("(not included)");
                } else {
                    free(path);
                }
                rspg_buf_free(&der);
            }
            qsort(fs.r.items, fs.r.n, sizeof(*fs.r.items), cmp_artifact);
            fs.r.clock = clock_value;
            fs.r.clock_source = has_clock ? "option" : "now";
            fs.r.seeded = seed.len > 0;
            fs.r.nonce = nonce;
            char *manifest = rspg_manifest_json(&fs.r, p);
            rspg_output_options oo = {force, manifest};
            if (rc == RSPG_OK)
                rc = rspg_output_write(out, &fs.r, &oo, &d);
            free(manifest);
            rspg_build_result_free(&fs.r); /* before the entities go */
            free(ents);
        }
        double s = elapsed(&pr.t0);
        uint64_t made = count - mo.start;
        if (rc == RSPG_OK && !quiet)
            fprintf(stderr, "rsp-pkigen: minted %llu eUICC certificates in %.2f s (%.0f/s, %ld "
                            "threads)%s%s\n",
                    (unsigned long long)made, s, s > 0 ? (double)made / s : 0.0, (long)mo.threads,
                    out ? " to " : "", out ? out : "");
        if (rc == RSPG_E_INTERRUPTED)
            rspg_fail(&d, RSPG_E_INTERRUPTED, "interrupted: the bundle ends with a complete record; "
                                              "rerun with --resume to continue");
    }
    if (fd >= 0 && fd != STDOUT_FILENO)
        close(fd);
    rspg_buf_free(&jl.buf);
    rspg_build_result_free(&fs.r);
    cli_print_diag(&d);
    code = cli_exit_code(rc);
    rspg_diag_fini(&d);
    rspg_key_free(&ikey);
    rspg_buf_free(&icert);
    rspg_build_result_free(&built);
    rspg_profile_free(p);
done:
    free(chain);
    rspg_buf_free(&seed);
    return code;
}
