/*
 * test_mint.c: bulk eUICC minting. Every record of a run of a few thousand verifies under
 * the EUM (and up to the CI) with the project's SGP.22 verifier; EIDs are valid,
 * consecutive, unique and inside the EIN prefix; -j 1 and -j 2 give identical bytes with a
 * seed; ranges leaving the prefix or overflowing are refused before anything is minted;
 * an issuer key in a PKCS#11 token gets one thread and random nonces (the HSM rule);
 * and the CLI's --resume continues a torn bundle (cut mid-record, or killed with SIGKILL)
 * to the same bytes as an uninterrupted run. On brainpoolP256r1 the fast engine (bp256)
 * gives the bytes of the libcrypto engine on 10,000 seeded records, every signature
 * verified by libcrypto; shards (START..END) concatenate into the single run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "rspg/check/verify.h"
#include "rspg/issue/build.h"
#include "rspg/issue/mint.h"
#include "rspg/profile/profile.h"
#include "rspg/rsp/eid.h"
#include "test_util.h"

#define FIRST_EID "89049032123451234512345678901235"

struct fixture {
    rspg_profile *p;
    rspg_build_result r;
    const rspg_artifact *ci, *eum, *eum_key;
    rspg_key key;
    const rspg_artifact *eum_brp, *eum_key_brp; /* the brainpoolP256r1 EUM */
    rspg_key key_brp;
};

static int is_brp(const rspg_artifact *a)
{
    return a->curve && strcmp(a->curve, "brainpoolP256r1") == 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    rspg_diag d;
    rspg_diag_init(&d);
    char *path = tu_src("profiles/sgp26.yaml");
    if (rspg_profile_load_file(path, &d, &f->p) != RSPG_OK)
        return -1;
    free(path);
    static const uint8_t seed[] = {0x5e, 0xed};
    char *only[] = {"o-eum"}, *curves[] = {"nist", "brp"};
    rspg_build_options bo = {0};
    bo.profile_dir = RSPG_SOURCE_DIR "/profiles";
    bo.roles = only;
    bo.n_roles = 1;
    bo.curves = curves;
    bo.n_curves = 2;
    bo.has_clock = 1;
    bo.clock = 1790000000;
    bo.nonce = RSPG_NONCE_RFC6979;
    bo.seed = seed;
    bo.seed_len = sizeof(seed);
    if (rspg_build(f->p, &bo, &d, &f->r) != RSPG_OK)
        return -1;
    for (size_t i = 0; i < f->r.n; i++) {
        const rspg_artifact *a = &f->r.items[i];
        int brp = is_brp(a);
        if (a->kind == RSPG_ART_CERT && !a->pem && a->entity->role == RSPG_ROLE_CI && !brp)
            f->ci = a;
        if (a->kind == RSPG_ART_CERT && !a->pem && a->entity->role == RSPG_ROLE_EUM)
            *(brp ? &f->eum_brp : &f->eum) = a;
        if (a->kind == RSPG_ART_PRIVATE_KEY && a->entity->role == RSPG_ROLE_EUM)
            *(brp ? &f->eum_key_brp : &f->eum_key) = a;
    }
    if (!f->ci || !f->eum || !f->eum_key || !f->eum_brp || !f->eum_key_brp ||
        rspg_key_load(f->eum_key->data.data, f->eum_key->data.len, "eum", &d, &f->key) != RSPG_OK ||
        rspg_key_load(f->eum_key_brp->data.data, f->eum_key_brp->data.len, "eum brp", &d,
                      &f->key_brp) != RSPG_OK)
        return -1;
    rspg_diag_fini(&d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    rspg_key_free(&f->key);
    rspg_key_free(&f->key_brp);
    rspg_build_result_free(&f->r);
    rspg_profile_free(f->p);
    free(f);
    return 0;
}

struct collect {
    rspg_buf lines;
    rspg_verifier *v;
    uint64_t n;
    char prev[RSPG_EID_LEN + 1];
    int ok;
};

static int collect_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    struct collect *c = ctx;
    (void)d;
    for (size_t i = 0; i < n; i++) {
        const rspg_mint_record *r = &recs[i];
        rspg_buf_append(&c->lines, r->line, r->line_len);
        if (c->v) {
            rspg_diag dd;
            rspg_diag_init(&dd);
            int idx =
                rspg_verifier_add_cert(c->v, r->eid, r->cert, r->cert_len, 0, RSPG_ROLE_EUICC, &dd);
            rspg_verdict vd;
            rspg_verifier_check(c->v, idx, &vd);
            if (!vd.valid) {
                print_error("record %llu (%s): %s\n", (unsigned long long)r->index, r->eid,
                            vd.message);
                c->ok = 0;
            }
            rspg_diag_fini(&dd);
        }
        if (r->index != c->n || rspg_eid_check(r->eid) != RSPG_EID_OK ||
            !rspg_eid_has_prefix(r->eid, "89049032") || (c->n > 0 && strcmp(r->eid, c->prev) <= 0))
            c->ok = 0;
        memcpy(c->prev, r->eid, sizeof(c->prev));
        c->n++;
    }
    return 0;
}

static rspg_mint_options options(struct fixture *f, int threads, uint64_t count)
{
    rspg_mint_options o;
    memset(&o, 0, sizeof(o));
    o.issuer_cert = f->eum->data.data;
    o.issuer_cert_len = f->eum->data.len;
    o.issuer_key = &f->key;
    o.tmpl = rspg_profile_find(f->p, "o-euicc");
    o.curve = f->key.curve;
    strcpy(o.first_eid, FIRST_EID);
    o.count = count;
    o.threads = threads;
    o.seed = (const uint8_t *)"\x01\x02";
    o.seed_len = 2;
    o.nonce = RSPG_NONCE_RFC6979;
    o.not_before = 1790000000;
    return o;
}

static void test_every_record_verifies(void **state)
{
    struct fixture *f = *state;
    assert_non_null(rspg_profile_find(f->p, "o-euicc"));
    struct collect c = {{0}, rspg_verifier_new(1790000000 + 86400), 0, "", 1};
    rspg_diag d;
    rspg_diag_init(&d);
    assert_true(rspg_verifier_add_cert(c.v, "ci", f->ci->data.data, f->ci->data.len, 1,
                                       RSPG_ROLE_CI, &d) >= 0);
    assert_true(rspg_verifier_add_cert(c.v, "eum", f->eum->data.data, f->eum->data.len, 0,
                                       RSPG_ROLE_EUM, &d) >= 0);
    rspg_mint_options o = options(f, 2, 3000);
    o.sink = collect_sink;
    o.sink_ctx = &c;
    assert_int_equal(rspg_mint(&o, &d), RSPG_OK);
    assert_int_equal(c.n, 3000);
    assert_true(c.ok);
    /* the last EID is the first plus 2999, with its own check digits */
    char last[RSPG_EID_LEN + 1];
    assert_int_equal(rspg_eid_add(FIRST_EID, 2999, last), 0);
    assert_string_equal(c.prev, last);
    rspg_verifier_free(c.v);
    rspg_buf_free(&c.lines);
    rspg_diag_fini(&d);
}

static void test_threads_give_identical_bytes(void **state)
{
    struct fixture *f = *state;
    struct collect a = {{0}, NULL, 0, "", 1}, b = {{0}, NULL, 0, "", 1};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_options o1 = options(f, 1, 1500), o2 = options(f, 2, 1500);
    o1.sink = collect_sink;
    o1.sink_ctx = &a;
    o2.sink = collect_sink;
    o2.sink_ctx = &b;
    assert_int_equal(rspg_mint(&o1, &d), RSPG_OK);
    assert_int_equal(rspg_mint(&o2, &d), RSPG_OK);
    assert_int_equal(a.lines.len, b.lines.len);
    assert_memory_equal(a.lines.data, b.lines.data, a.lines.len);
    /* another seed changes every key */
    struct collect c = {{0}, NULL, 0, "", 1};
    rspg_mint_options o3 = options(f, 2, 1500);
    o3.seed = (const uint8_t *)"\x09";
    o3.seed_len = 1;
    o3.sink = collect_sink;
    o3.sink_ctx = &c;
    assert_int_equal(rspg_mint(&o3, &d), RSPG_OK);
    assert_true(c.lines.len != a.lines.len || memcmp(c.lines.data, a.lines.data, a.lines.len) != 0);
    rspg_buf_free(&a.lines);
    rspg_buf_free(&b.lines);
    rspg_buf_free(&c.lines);
    rspg_diag_fini(&d);
}

static void test_ranges_are_checked_first(void **state)
{
    struct fixture *f = *state;
    rspg_diag d;
    rspg_diag_init(&d);
    /* 89049032 99999999999999999999 9x: one more leaves the prefix */
    char near_end[RSPG_EID_LEN + 1];
    assert_int_equal(rspg_eid_complete("890490329999999999999999999999", near_end), 0);
    assert_int_equal(
        rspg_mint_check_range(f->eum->data.data, f->eum->data.len, near_end, 1, NULL, 0, &d),
        RSPG_OK);
    assert_int_equal(
        rspg_mint_check_range(f->eum->data.data, f->eum->data.len, near_end, 2, NULL, 0, &d),
        RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message,
                           "--count 2 is more than the 1 EIDs left in the issuer's EIN prefix "
                           "89049032"));
    /* the limit of --count: the EIDs left after the first under its EIN */
    assert_int_equal(rspg_eids_left(near_end, 8), 1);
    assert_int_equal(rspg_eids_left("89049032123451234512345678901235", 22), 43210988);
    assert_int_equal(rspg_eids_left("89049032123451234512345678901235", 8), UINT64_MAX);
    assert_int_equal(rspg_eids_left("89049032999999999999999999999990", 29), 1);
    assert_int_equal(rspg_eids_left("89049032999999999999999999999990", 30), 1);
    assert_int_equal(rspg_eids_left("89049032998155325592629044838600", 8),
                     18446744073709551614ULL);
    assert_int_equal(rspg_eids_left("89049032998155325592629044838500", 8), UINT64_MAX);
    /* outside the prefix from the start */
    char other[RSPG_EID_LEN + 1];
    assert_int_equal(rspg_eid_complete("890490331234512345123456789012", other), 0);
    assert_int_equal(
        rspg_mint_check_range(f->eum->data.data, f->eum->data.len, other, 1, NULL, 0, &d),
        RSPG_E_USAGE);
    /* bad check digits */
    assert_int_equal(rspg_mint_check_range(f->eum->data.data, f->eum->data.len,
                                           "89049032123451234512345678901234", 1, NULL, 0, &d),
                     RSPG_E_USAGE);
    /* overflow of the 30-digit body */
    char top[RSPG_EID_LEN + 1];
    assert_int_equal(rspg_eid_add("999999999999999999999999999999", 0, top), 0);
    assert_int_equal(rspg_eid_add("999999999999999999999999999999", 1, top), -1);
    rspg_diag_fini(&d);
}

/* ---- the HSM rule ---- */

static void test_token_key_gets_one_thread(void **state)
{
    struct fixture *f = *state;
    rspg_key token = f->key; /* the same key, flagged as living in a PKCS#11 token */
    token.hsm = 1;
    rspg_mint_options o = options(f, 4, 600);
    o.issuer_key = &token;
    assert_int_equal(rspg_mint_hsm_rule(&o), 1);
    assert_int_equal(o.threads, 1);
    assert_int_equal(o.nonce, RSPG_NONCE_RANDOM);
    /* a key file: the options stay as given */
    rspg_mint_options p = options(f, 4, 600);
    assert_int_equal(rspg_mint_hsm_rule(&p), 0);
    assert_int_equal(p.threads, 4);
    assert_int_equal(p.nonce, RSPG_NONCE_RFC6979);
    /* rspg_mint applies the rule itself: asked for RFC 6979 with a token key, it signs with
     * random nonces, so two seeded runs differ (the same runs with the key file do not) */
    struct collect a = {{0}, NULL, 0, "", 1}, b = {{0}, NULL, 0, "", 1};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_options t1 = options(f, 4, 600), t2 = options(f, 4, 600);
    t1.issuer_key = t2.issuer_key = &token;
    t1.sink = t2.sink = collect_sink;
    t1.sink_ctx = &a;
    t2.sink_ctx = &b;
    assert_int_equal(rspg_mint(&t1, &d), RSPG_OK);
    assert_int_equal(rspg_mint(&t2, &d), RSPG_OK);
    assert_true(a.ok && b.ok && a.n == 600 && b.n == 600);
    assert_true(a.lines.len != b.lines.len || memcmp(a.lines.data, b.lines.data, a.lines.len) != 0);
    rspg_buf_free(&a.lines);
    rspg_buf_free(&b.lines);
    rspg_diag_fini(&d);
}

/* ---- brainpoolP256r1: bp256 against libcrypto; shards ---- */

/* Keeps every line, and verifies every certificate's signature with libcrypto under KEY. */
struct libcrypto_check {
    rspg_buf lines;
    EVP_PKEY *key;
    uint64_t n, verified;
};

static int libcrypto_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    struct libcrypto_check *c = ctx;
    (void)d;
    for (size_t i = 0; i < n; i++) {
        rspg_buf_append(&c->lines, recs[i].line, recs[i].line_len);
        c->n++;
        if (c->key == NULL)
            continue;
        const unsigned char *p = recs[i].cert;
        X509 *x = d2i_X509(NULL, &p, (long)recs[i].cert_len);
        if (x && X509_verify(x, c->key) == 1)
            c->verified++;
        X509_free(x);
    }
    return 0;
}

/* A seeded run of COUNT records on the brainpool EUM with eUICC keys on CURVE, with ENGINE;
 * VERIFY: check every signature with libcrypto. */
static void run_brp(struct fixture *f, const rspg_curve *curve, rspg_ec_engine engine,
                    uint64_t count, int verify, struct libcrypto_check *c)
{
    memset(c, 0, sizeof(*c));
    c->key = verify ? f->key_brp.pkey : NULL;
    rspg_mint_options o = options(f, 2, count);
    o.issuer_cert = f->eum_brp->data.data;
    o.issuer_cert_len = f->eum_brp->data.len;
    o.issuer_key = &f->key_brp;
    o.curve = curve;
    o.engine = engine;
    o.sink = libcrypto_sink;
    o.sink_ctx = c;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint(&o, &d), RSPG_OK);
    assert_int_equal(c->n, count);
    rspg_diag_fini(&d);
}

static void test_bp256_records_are_libcrypto_records(void **state)
{
    struct fixture *f = *state;
    struct libcrypto_check fast, ref;
    const rspg_curve *brp = rspg_curve_find("brp"), *nist = rspg_curve_find("nist");
    run_brp(f, brp, RSPG_EC_AUTO, 10000, 1, &fast);
    run_brp(f, brp, RSPG_EC_LIBCRYPTO, 10000, 0, &ref);
    assert_int_equal(fast.verified, 10000);
    assert_int_equal(fast.lines.len, ref.lines.len);
    assert_memory_equal(fast.lines.data, ref.lines.data, ref.lines.len);
    rspg_buf_free(&fast.lines);
    rspg_buf_free(&ref.lines);
    /* NIST eUICC keys under the brainpool EUM: libcrypto keys, bp256 signatures */
    run_brp(f, nist, RSPG_EC_AUTO, 500, 1, &fast);
    run_brp(f, nist, RSPG_EC_LIBCRYPTO, 500, 0, &ref);
    assert_int_equal(fast.verified, 500);
    assert_int_equal(fast.lines.len, ref.lines.len);
    assert_memory_equal(fast.lines.data, ref.lines.data, ref.lines.len);
    rspg_buf_free(&fast.lines);
    rspg_buf_free(&ref.lines);
}

static void test_bp256_random_records_verify(void **state)
{
    struct fixture *f = *state;
    struct libcrypto_check c;
    memset(&c, 0, sizeof(c));
    c.key = f->key_brp.pkey;
    rspg_mint_options o = options(f, 2, 1000);
    o.issuer_cert = f->eum_brp->data.data;
    o.issuer_cert_len = f->eum_brp->data.len;
    o.issuer_key = &f->key_brp;
    o.curve = rspg_curve_find("brp");
    o.seed = NULL;
    o.seed_len = 0;
    o.nonce = RSPG_NONCE_RANDOM;
    o.sink = libcrypto_sink;
    o.sink_ctx = &c;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint(&o, &d), RSPG_OK);
    assert_int_equal(c.verified, 1000);
    rspg_buf_free(&c.lines);
    rspg_diag_fini(&d);
}

static void test_shards_concatenate(void **state)
{
    struct fixture *f = *state;
    struct libcrypto_check one, part;
    memset(&one, 0, sizeof(one));
    memset(&part, 0, sizeof(part));
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_options o = options(f, 2, 1000);
    o.sink = libcrypto_sink;
    o.sink_ctx = &one;
    assert_int_equal(rspg_mint(&o, &d), RSPG_OK);
    /* three uneven shards, each its own run, into one buffer in order */
    static const uint64_t cut[] = {0, 1, 700, 1000};
    for (int i = 0; i < 3; i++) {
        rspg_mint_options s = options(f, 1 + i % 2, 1000);
        s.start = cut[i];
        s.end = cut[i + 1];
        s.sink = libcrypto_sink;
        s.sink_ctx = &part;
        assert_int_equal(rspg_mint(&s, &d), RSPG_OK);
    }
    assert_int_equal(part.n, 1000);
    assert_int_equal(part.lines.len, one.lines.len);
    assert_memory_equal(part.lines.data, one.lines.data, one.lines.len);
    /* a shard that ends after the run is refused */
    rspg_mint_options bad = options(f, 1, 1000);
    bad.end = 1001;
    assert_int_equal(rspg_mint(&bad, &d), RSPG_E_USAGE);
    rspg_buf_free(&one.lines);
    rspg_buf_free(&part.lines);
    rspg_diag_fini(&d);
}

/* ---- the CLI: resume ---- */

static char *write_issuer(struct fixture *f, const char *dir)
{
    char *cert = rspg_xasprintf("%s/eum.der", dir), *key = rspg_xasprintf("%s/eum.pem", dir);
    assert_int_equal(tu_write_file(cert, f->eum->data.data, f->eum->data.len), 0);
    assert_int_equal(tu_write_file(key, f->eum_key->data.data, f->eum_key->data.len), 0);
    char *args =
        rspg_xasprintf("'%s' mint euicc --profile '%s/profiles/sgp26.yaml' --issuer-cert '%s' "
                       "--issuer-key '%s' --first-eid " FIRST_EID " --seed 77 --clock "
                       "2026-01-01T00:00:00Z -q",
                       tu_cli(), RSPG_SOURCE_DIR, cert, key);
    free(cert);
    free(key);
    return args;
}

static void test_resume_after_a_torn_record(void **state)
{
    struct fixture *f = *state;
    char *dir = tu_mkdtemp();
    char *base = write_issuer(f, dir);
    char *cmd = rspg_xasprintf("%s --count 2000 -j 2 -o '%s/full.jsonl'", base, dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    char *full = rspg_xasprintf("%s/full.jsonl", dir), *part = rspg_xasprintf("%s/part.jsonl", dir);
    rspg_buf all;
    rspg_buf_init(&all);
    assert_int_equal(tu_read_file(full, &all), 0);
    struct stat st;
    assert_int_equal(stat(full, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* cut in the middle of record 1234 */
    size_t cut = all.len * 1234 / 2000 + 100;
    assert_int_equal(tu_write_file(part, all.data, cut), 0);
    cmd = rspg_xasprintf("%s --count 2000 -j 1 -o '%s' --resume", base, part);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    rspg_buf resumed;
    rspg_buf_init(&resumed);
    assert_int_equal(tu_read_file(part, &resumed), 0);
    assert_int_equal(resumed.len, all.len);
    assert_memory_equal(resumed.data, all.data, all.len);
    /* a bundle of another run is refused */
    cmd = rspg_xasprintf(
        "%s --count 2000 -o '%s' --resume --first-eid 89049032123451234512345678901332 2>&1", base,
        part);
    char *out = NULL;
    assert_int_not_equal(tu_run(cmd, &out, NULL), 0);
    free(out);
    free(cmd);
    rspg_buf_free(&all);
    rspg_buf_free(&resumed);
    free(full);
    free(part);
    free(base);
    tu_rmtree(dir);
    free(dir);
}

static void test_resume_after_sigkill(void **state)
{
    struct fixture *f = *state;
    char *dir = tu_mkdtemp();
    char *base = write_issuer(f, dir);
    /* an uninterrupted run, and one killed with SIGKILL part-way, then resumed */
    char *cmd = rspg_xasprintf("%s --count 30000 -j 2 -o '%s/full.jsonl'", base, dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    /* killed once it has written something (however slow the build, e.g. under ASan) */
    cmd = rspg_xasprintf("%s --count 30000 -j 2 -o '%s/killed.jsonl' & pid=$!; i=0; "
                         "while [ ! -s '%s/killed.jsonl' ] && [ $i -lt 600 ]; do sleep 0.05; "
                         "i=$((i+1)); done; sleep 0.1; kill -KILL $pid; wait $pid; exit 0",
                         base, dir, dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    char *killed = rspg_xasprintf("%s/killed.jsonl", dir),
         *full = rspg_xasprintf("%s/full.jsonl", dir);
    struct stat st;
    assert_int_equal(stat(killed, &st), 0);
    print_message("killed after %lld bytes\n", (long long)st.st_size);
    cmd = rspg_xasprintf("%s --count 30000 -j 2 -o '%s' --resume", base, killed);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    rspg_buf a, b;
    rspg_buf_init(&a);
    rspg_buf_init(&b);
    assert_int_equal(tu_read_file(full, &a), 0);
    assert_int_equal(tu_read_file(killed, &b), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    rspg_buf_free(&a);
    rspg_buf_free(&b);
    free(killed);
    free(full);
    free(base);
    tu_rmtree(dir);
    free(dir);
}

static void test_files_layout_verifies(void **state)
{
    struct fixture *f = *state;
    char *dir = tu_mkdtemp();
    char *base = write_issuer(f, dir);
    char *ci = rspg_xasprintf("%s/ci.der", dir);
    assert_int_equal(tu_write_file(ci, f->ci->data.data, f->ci->data.len), 0);
    char *cmd =
        rspg_xasprintf("%s --count 20 --layout files -o '%s/files' --chain '%s' && '%s' verify "
                       "'%s/files' --at 2027-01-01T00:00:00Z",
                       base, dir, ci, tu_cli(), dir);
    char *out = NULL, *err = NULL;
    int st = tu_run(cmd, &out, &err);
    if (st != 0)
        fail_msg("files layout: %s%s", out, err);
    assert_non_null(strstr(out, "22 as the manifest expects, 0 not"));
    char *key = rspg_xasprintf("%s/files/eUICC/" FIRST_EID "/SK_EUICC_SIG_NIST.pem", dir);
    struct stat st_key;
    assert_int_equal(stat(key, &st_key), 0);
    assert_int_equal(st_key.st_mode & 0777, 0600);
    free(key);
    free(out);
    free(err);
    free(cmd);
    free(ci);
    free(base);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_record_verifies),
        cmocka_unit_test(test_threads_give_identical_bytes),
        cmocka_unit_test(test_ranges_are_checked_first),
        cmocka_unit_test(test_token_key_gets_one_thread),
        cmocka_unit_test(test_bp256_records_are_libcrypto_records),
        cmocka_unit_test(test_bp256_random_records_verify),
        cmocka_unit_test(test_shards_concatenate),
        cmocka_unit_test(test_resume_after_a_torn_record),
        cmocka_unit_test(test_resume_after_sigkill),
        cmocka_unit_test(test_files_layout_verifies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
