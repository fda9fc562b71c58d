/*
 * mint_flow.c: one `mint euicc` run (mint_flow.h): load -> issuer -> plan -> self-check
 * -> mint -> write. Nothing is written before the self-check has passed.
 *
 * A shard (--shard I/N) is the same run restricted to its records (rspg_mint_shard_range):
 * every record depends on the run's options and its index alone, so N shards on N hosts
 * write the records one run would; shard 0 alone writes the header line, so that the
 * shards' bundles concatenated in order are the one run's bundle (mint_jsonl.h).
 */
#include "rspg/flow/mint_flow.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "rspg/asn1/pem.h"
#include "rspg/base/file.h"
#include "rspg/flow/mint_self_check.h"
#include "rspg/issue/mint_cert.h"
#include "rspg/issue/mint_files.h"
#include "rspg/issue/mint_issuer.h"
#include "rspg/issue/mint_jsonl.h"
#include "rspg/issue/mint_plan.h"
#include "rspg/profile/profile.h"

/* Everything a run holds; freed by run_free. */
struct run {
    const rspg_mint_flow_options *o;
    rspg_mint_flow_result *res;
    rspg_profile *p;
    rspg_mint_issuer issuer;
    rspg_mint_cert_info info;
    rspg_mint_plan plan;
    rspg_buf *chain;           /* the --chain certificates, DER */
    const uint8_t **chain_der; /* views for the self-check: --chain, or the built chain */
    size_t *chain_len, n_chain_der;
    size_t record_len; /* of the self-check's record: the size estimate */
    rspg_mint_options mo;
};

/* Option combinations the run cannot honour. */
static rspg_status check_options(const rspg_mint_flow_options *o, rspg_diag *d)
{
    int files = o->layout == RSPG_MINT_FILES;
    if (o->first_eid == NULL || strlen(o->first_eid) != RSPG_EID_LEN)
        return rspg_fail(d, RSPG_E_USAGE, "--first-eid '%s' is not 32 digits",
                         o->first_eid ? o->first_eid : "");
    if ((o->issuer_cert == NULL) != (o->issuer_key == NULL) || (o->issuer_cert && o->issuer_id) ||
        (!o->issuer_cert && !o->issuer_id))
        return rspg_fail(d, RSPG_E_USAGE,
                         "give the issuer as --issuer-cert FILE --issuer-key FILE, "
                         "or as --issuer ID of --profile");
    if (files && o->output == NULL)
        return rspg_fail(d, RSPG_E_USAGE, "--layout files needs -o DIR");
    if (o->resume && (o->output == NULL || strcmp(o->output, "-") == 0))
        return rspg_fail(d, RSPG_E_USAGE, "--resume needs -o FILE");
    if (files && o->resume)
        return rspg_fail(d, RSPG_E_USAGE, "--resume works with JSON Lines bundles only");
    if (o->shards && (o->shard >= o->shards || o->shards > o->count))
        return rspg_fail(d, RSPG_E_USAGE,
                         "--shard I/N needs I < N and N at most --count (%llu), not %llu/%llu",
                         (unsigned long long)o->count, (unsigned long long)o->shard,
                         (unsigned long long)o->shards);
    if (files && o->shards)
        return rspg_fail(d, RSPG_E_USAGE,
                         "--shard works with JSON Lines bundles only (they concatenate)");
    if (files && o->count > RSPG_MINT_FILES_MAX)
        return rspg_fail(d, RSPG_E_USAGE,
                         "--layout files is for up to %d eUICCs; use the JSON "
                         "Lines bundle",
                         RSPG_MINT_FILES_MAX);
    return RSPG_OK;
}

/* The profile and the issuer. */
static rspg_status load(struct run *r, rspg_diag *d)
{
    const rspg_mint_flow_options *o = r->o;
    r->res->profile = o->profile ? rspg_xstrdup(o->profile) : rspg_mint_default_profile(d);
    if (r->res->profile == NULL)
        return RSPG_E_USAGE;
    rspg_status rc = rspg_profile_load_file(r->res->profile, d, &r->p);
    if (rc != RSPG_OK)
        return rc;
    if (o->issuer_cert)
        return rspg_mint_issuer_from_files(o->issuer_cert, o->issuer_key, d, &r->issuer);
    /* the profile's folder, for its relative key files */
    char *dir = rspg_xstrdup(r->res->profile), *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    rspg_mint_issuer_build ib = {slash ? dir : ".", o->curve, r->res->clock.time,
                                 r->mo.nonce,       o->seed,  o->seed_len};
    rc = rspg_mint_issuer_from_profile(r->p, o->issuer_id, &ib, d, &r->issuer);
    free(dir);
    return rc;
}

/* The --chain certificates, or the chain the profile built above the issuer. */
static rspg_status load_chain(struct run *r, rspg_diag *d)
{
    const rspg_mint_flow_options *o = r->o;
    size_t max = o->n_chain ? o->n_chain : r->issuer.built.n;
    r->chain = rspg_xcalloc(o->n_chain + 1, sizeof(rspg_buf));
    r->chain_der = rspg_xcalloc(max + 1, sizeof(*r->chain_der));
    r->chain_len = rspg_xcalloc(max + 1, sizeof(size_t));
    if (o->n_chain == 0) {
        r->n_chain_der = rspg_mint_issuer_chain(&r->issuer, r->chain_der, r->chain_len, NULL, max);
        return RSPG_OK;
    }
    for (size_t i = 0; i < o->n_chain; i++) {
        rspg_buf_init(&r->chain[i]);
        if (rspg_read_der_file(o->chain[i], "CERTIFICATE", &r->chain[i]) != 0)
            return rspg_fail(d, RSPG_E_USAGE, "%s: cannot read the certificate", o->chain[i]);
        r->chain_der[i] = r->chain[i].data;
        r->chain_len[i] = r->chain[i].len;
        r->n_chain_der = i + 1;
    }
    return RSPG_OK;
}

/* The issuer's checks, the plan and the mint options (with the HSM rule applied). */
static rspg_status plan(struct run *r, rspg_diag *d)
{
    const rspg_mint_flow_options *o = r->o;
    rspg_status rc = rspg_mint_read_cert(r->issuer.cert.data, r->issuer.cert.len,
                                         "the issuer certificate", d, &r->info);
    if (rc == RSPG_OK)
        rc = rspg_mint_plan_make(r->p, &r->info, r->issuer.cert.data, r->issuer.cert.len,
                                 &r->issuer.key, o->template_id, o->curve, o->first_eid, o->count,
                                 d, &r->plan);
    /* rspg_mint refuses a key of another certificate too, but only once called: check it
     * first, so that a refused run leaves no empty bundle behind */
    if (rc == RSPG_OK)
        rc = rspg_mint_issuer_check_key(&r->issuer, d);
    if (rc != RSPG_OK)
        return rc;
    rspg_mint_options *mo = &r->mo;
    mo->issuer_cert = r->issuer.cert.data;
    mo->issuer_cert_len = r->issuer.cert.len;
    mo->issuer_key = &r->issuer.key;
    mo->tmpl = r->plan.tmpl;
    mo->curve = r->plan.curve;
    snprintf(mo->first_eid, sizeof(mo->first_eid), "%s", o->first_eid);
    mo->count = o->count;
    mo->end = r->res->end;
    mo->engine = o->engine;
    mo->threads = o->threads;
    mo->seed = o->seed_len ? o->seed : NULL;
    mo->seed_len = o->seed_len;
    mo->not_before = r->res->clock.time;
    mo->progress = o->progress;
    mo->progress_ctx = o->progress_ctx;
    r->res->hsm = rspg_mint_hsm_rule(mo);
    r->res->threads = mo->threads;
    r->res->nonce = mo->nonce;
    return RSPG_OK;
}

static rspg_status mint_files(struct run *r, rspg_diag *d);

/* The bundle's header line: what makes this run (mint_jsonl.h). */
static rspg_status header(struct run *r, rspg_diag *d, rspg_buf *out)
{
    const rspg_mint_flow_options *o = r->o;
    rspg_buf prof;
    rspg_buf_init(&prof);
    rspg_status rc = rspg_file_read(r->res->profile, 64u << 20, "profile", d, &prof);
    if (rc == RSPG_OK) {
        rspg_mint_run run = {r->issuer.cert.data, r->issuer.cert.len, r->plan.tmpl->id,
                             prof.data,           prof.len,           r->plan.curve->name,
                             o->first_eid,        o->count,           r->mo.seed,
                             r->mo.seed_len,      r->mo.not_before,   r->mo.nonce};
        rspg_mint_header(&run, out);
    }
    rspg_buf_free(&prof);
    return rc;
}

/* Mints into the JSON Lines bundle (or standard output). */
static rspg_status mint_jsonl(struct run *r, rspg_diag *d)
{
    const rspg_mint_flow_options *o = r->o;
    rspg_buf head;
    rspg_buf_init(&head);
    rspg_status rc = header(r, d, &head);
    rspg_buf_append(&head, "", 1); /* NUL-terminated */
    /* shard 0 carries the header: the shards concatenate into the whole run's bundle */
    const char *h = r->res->first == 0 ? (const char *)head.data : "";
    rspg_mint_jsonl_params jp = {
        o->output,    o->resume, o->force,      !o->no_space_check, h,
        o->first_eid, o->count,  r->record_len, r->res->first,      r->res->end};
    rspg_mint_jsonl j;
    memset(&j, 0, sizeof(j));
    j.fd = -1;
    if (rc == RSPG_OK)
        rc = rspg_mint_jsonl_open(&j, &jp, d);
    r->mo.start = j.start;
    r->mo.sink = rspg_mint_jsonl_sink;
    r->mo.sink_ctx = &j;
    r->res->start = j.start;
    r->res->bytes = j.bytes;
    r->res->avail = j.avail;
    if (rc == RSPG_OK && o->size_note)
        o->size_note(o->progress_ctx, j.start, r->res->end, j.bytes, j.avail);
    if (rc == RSPG_OK)
        rc = rspg_mint(&r->mo, d);
    rspg_mint_jsonl_close(&j);
    rspg_buf_free(&head);
    return rc;
}

/* Locks an existing files-layout folder DIR (flock on the folder, as on a bundle) into
 * *FD, so that two runs never replace it at once; a new folder needs none (the second
 * run's rename into place fails). */
static rspg_status lock_folder(const char *dir, int *fd, rspg_diag *d)
{
    *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0 || flock(*fd, LOCK_EX | LOCK_NB) == 0)
        return RSPG_OK;
    char who[64];
    rspg_mint_lock_holder(*fd, who, sizeof(who));
    return rspg_fail(d, RSPG_E_USAGE, "%s: another mint (%s) is writing it; wait for it to end",
                     dir, who);
}

/* Mints into the bundle or the folder. */
static rspg_status mint_out(struct run *r, rspg_diag *d)
{
    const rspg_mint_flow_options *o = r->o;
    if (o->layout == RSPG_MINT_JSONL)
        return mint_jsonl(r, d);
    int lock;
    rspg_status rc = lock_folder(o->output, &lock, d);
    if (rc == RSPG_OK)
        rc = mint_files(r, d);
    if (lock >= 0)
        close(lock);
    return rc;
}

/* The certificates the folder gets above the issuer, from the issuer up (mint_files.h): the
 * --chain files, else the profile's chain (--issuer ID), so that `verify DIR` can reach the CI. */
static rspg_mint_chain_cert *chain_copies(struct run *r, size_t *n)
{
    const rspg_mint_flow_options *o = r->o;
    size_t max = o->n_chain ? o->n_chain : r->issuer.built.n;
    rspg_mint_chain_cert *cc = rspg_xcalloc(max + 1, sizeof(*cc));
    if (o->n_chain) {
        for (size_t i = 0; i < o->n_chain; i++)
            cc[i] = (rspg_mint_chain_cert){r->chain[i].data, r->chain[i].len, o->chain[i]};
        *n = o->n_chain;
        return cc;
    }
    const uint8_t **der = rspg_xcalloc(max + 1, sizeof(*der));
    size_t *len = rspg_xcalloc(max + 1, sizeof(*len));
    const char **names = rspg_xcalloc(max + 1, sizeof(*names));
    *n = rspg_mint_issuer_chain(&r->issuer, der, len, names, max);
    for (size_t i = 0; i < *n; i++) /* the build's order is the CI first */
        cc[i] = (rspg_mint_chain_cert){der[*n - 1 - i], len[*n - 1 - i], names[*n - 1 - i]};
    free(der);
    free(len);
    free(names);
    return cc;
}

/* Mints into a folder with a manifest (mint_files.h). */
static rspg_status mint_files(struct run *r, rspg_diag *d)
{
    const rspg_mint_flow_options *o = r->o;
    rspg_status rc;
    rspg_mint_files f;
    rspg_mint_files_init(&f, &r->plan, r->res->clock.time);
    size_t n_cc = 0;
    rspg_mint_chain_cert *cc = chain_copies(r, &n_cc);
    r->mo.sink = rspg_mint_files_sink;
    r->mo.sink_ctx = &f;
    rc = rspg_mint(&r->mo, d);
    if (rc == RSPG_OK)
        rc = rspg_mint_files_add_chain(&f, r->issuer.cert.data, r->issuer.cert.len,
                                       r->issuer.key.curve->name, cc, n_cc, d);
    if (rc == RSPG_OK)
        rc = rspg_mint_files_write(&f, r->p, &r->res->clock, o->seed_len > 0, r->mo.nonce,
                                   o->output, o->force, d);
    free(cc);
    rspg_mint_files_free(&f);
    return rc;
}

static void run_free(struct run *r)
{
    for (size_t i = 0; r->chain && i < r->o->n_chain; i++)
        rspg_buf_free(&r->chain[i]);
    free(r->chain);
    free(r->chain_der);
    free(r->chain_len);
    rspg_mint_issuer_free(&r->issuer);
    rspg_profile_free(r->p);
}

rspg_status rspg_mint_flow(const rspg_mint_flow_options *o, rspg_diag *d,
                           rspg_mint_flow_result *res)
{
    struct run r;
    memset(&r, 0, sizeof(r));
    memset(res, 0, sizeof(*res));
    r.o = o;
    r.res = res;
    rspg_status rc = check_options(o, d);
    res->end = o->count;
    if (rc == RSPG_OK && o->shards)
        rspg_mint_shard_range(o->count, o->shard, o->shards, &res->first, &res->end);
    res->start = res->first;
    if (rc == RSPG_OK)
        rc = rspg_clock_resolve(o->has_clock, o->clock, NULL, d, &res->clock);
    /* RFC 6979 with a seed (reproducible); random keys make the output unique anyway */
    r.mo.nonce = o->nonce_given ? o->nonce : o->seed_len ? RSPG_NONCE_RFC6979 : RSPG_NONCE_RANDOM;
    if (rc == RSPG_OK)
        rc = load(&r, d);
    if (rc == RSPG_OK)
        rc = plan(&r, d);
    if (rc == RSPG_OK)
        rc = load_chain(&r, d);
    if (rc == RSPG_OK)
        rc = rspg_mint_self_check(&r.mo, r.chain_der, r.chain_len, r.n_chain_der, d,
                                  &res->self_checked, &res->verdict, &r.record_len);
    if (rc == RSPG_OK)
        rc = mint_out(&r, d);
    if (rc == RSPG_OK)
        res->made = res->end - res->start;
    if (rc == RSPG_E_INTERRUPTED)
        rspg_fail(d, RSPG_E_INTERRUPTED,
                  "interrupted: the bundle ends with a complete record; "
                  "rerun with --resume to continue");
    run_free(&r);
    return rc;
}

void rspg_mint_shard_range(uint64_t count, uint64_t i, uint64_t n, uint64_t *first, uint64_t *end)
{
    uint64_t q = count / n, rest = count % n;
    *first = i * q + (i < rest ? i : rest);
    *end = *first + q + (i < rest ? 1 : 0);
}

void rspg_mint_flow_result_free(rspg_mint_flow_result *res)
{
    free(res->profile);
    res->profile = NULL;
}
