/*
 * build_flow.c: a build that checks itself (build_flow.h). The order is the point: the
 * profile is loaded and its rules checked before anything is issued; the output folder
 * appears only after the verifier (SGP.22 validation, verify.h) has agreed with every
 * verdict the manifest states, so a build never ships a certificate whose manifest line
 * is wrong (issue 12, "a build that checks itself"). Once the profile is loaded, the
 * destination is checked and locked (output.h: DEST.lock) until the build ends, so two
 * builds never write one folder (issue 14).
 */
#include "rspg/flow/build_flow.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/time.h"
#include "rspg/check/verify.h"
#include "rspg/flow/build_filters.h"
#include "rspg/issue/bundle.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"
#include "rspg/profile/validate.h"

/* What the self-check needs to name a disagreement. */
typedef struct check_ctx {
    const rspg_profile *p;
    const rspg_build_result *r;
    const char *stage_dir; /* the temporary folder, as the verifier names files */
    const char *target;    /* the destination, as the user named it */
    rspg_diag *d;
} check_ctx;

static int cmp_path(const void *key, const void *item)
{
    return strcmp((const char *)key, ((const rspg_artifact *)item)->path);
}

/* The artifact at PATH (the build result is sorted by path), or NULL. */
static const rspg_artifact *artifact_at(const rspg_build_result *r, const char *path)
{
    return bsearch(path, r->items, r->n, sizeof(*r->items), cmp_path);
}

/* TEXT with every occurrence of the temporary folder replaced by the destination. */
static char *unstage(const check_ctx *c, const char *text)
{
    rspg_buf out;
    rspg_buf_init(&out);
    size_t n = strlen(c->stage_dir);
    if (n == 0)
        return rspg_xstrdup(text);
    for (const char *s = text, *hit; *s; s = hit + n) {
        hit = strstr(s, c->stage_dir);
        if (hit == NULL) {
            rspg_buf_append(&out, s, strlen(s));
            break;
        }
        rspg_buf_append(&out, s, (size_t)(hit - s));
        rspg_buf_append(&out, c->target, strlen(c->target));
    }
    rspg_buf_push(&out, 0);
    return (char *)out.data;
}

/* One located error: the entity (or CRL) of the file, what the manifest says, what the
 * verifier says and by which rule. */
static void report(const check_ctx *c, const rspg_verify_item *it)
{
    const rspg_artifact *a = artifact_at(c->r, it->path);
    rspg_loc loc = {0};
    const char *what = "file", *id = "?";
    if (a && a->crl) {
        loc = a->crl->loc;
        what = "CRL";
        id = a->crl->id;
    } else if (a) {
        loc = a->entity->loc;
        what = "entity";
        id = a->entity->id;
    }
    const rspg_verdict *v = &it->verdict;
    const char *er = it->expect_reason;
    if (v->valid) {
        rspg_diag_add(c->d, RSPG_SEV_ERROR, loc,
                      "%s '%s' (%s): manifest says %s%s%s%s, the verifier says valid", what, id,
                      it->path, it->expect, er ? " (" : "", er ? er : "", er ? ")" : "");
        return;
    }
    char *msg = unstage(c, v->message);
    rspg_diag_add(c->d, RSPG_SEV_ERROR, loc,
                  "%s '%s' (%s): manifest says %s%s%s%s, the verifier says invalid: %s (%s: %s)",
                  what, id, it->path, it->expect, er ? " (" : "", er ? er : "", er ? ")" : "",
                  v->reason ? v->reason : "?", v->check ? v->check : "?", msg);
    free(msg);
}

/* Runs the verifier over the stage at the build clock (HAS_TIME 0) or at TIME. */
static rspg_status judge(const check_ctx *c, int has_time, int64_t time, rspg_diag *vd,
                         rspg_verify_result *res)
{
    rspg_verify_options vo = {has_time, time};
    return rspg_verify_dir(c->stage_dir, &vo, vd, res);
}

/* The verifier could not read what the build wrote: the build is refused, with the
 * verifier's messages (a build that cannot be checked is not written). */
static void unjudged(const check_ctx *c, const rspg_diag *vd)
{
    rspg_diag_add(c->d, RSPG_SEV_ERROR, (rspg_loc){0},
                  "%s: the self-check could not read what the build wrote; nothing is written",
                  c->target);
    for (size_t i = 0; i < vd->count; i++) {
        char *m = rspg_diag_format(&vd->entries[i]);
        char *u = unstage(c, m);
        rspg_diag_add(c->d, RSPG_SEV_NOTE, (rspg_loc){0}, "%s", u);
        free(u);
        free(m);
    }
}

/* Verifies the stage at the build's clock (the manifest's): every certificate and CRL must
 * be judged as its manifest entry says. A profile that pins its dates and is built with
 * another --clock can therefore be refused: its manifest would say "valid" of certificates
 * that are not valid at the manifest's clock. */
static rspg_status self_check(const check_ctx *c, size_t *checked)
{
    rspg_diag vd;
    rspg_verify_result res;
    rspg_diag_init(&vd);
    rspg_status rc = judge(c, 0, 0, &vd, &res);
    if (rc != RSPG_OK && rc != RSPG_E_VERIFY) {
        unjudged(c, &vd);
        rc = RSPG_E_VERIFY;
    } else if (rc == RSPG_E_VERIFY) {
        for (size_t i = 0; i < res.n_items; i++)
            if (!res.items[i].agrees)
                report(c, &res.items[i]);
    }
    *checked = res.certificates;
    rspg_verify_result_free(&res);
    rspg_diag_fini(&vd);
    return rc;
}

/* Writes the stage, checks it, and commits it or discards it. */
/* The output options of the flow: the caller's force flags, the profile kept, the lock
 * held by the flow. */
static rspg_output_options output_options(const rspg_build_flow_options *o)
{
    rspg_output_options oo = {o->force, NULL, o->force_any, o->profile_path, 1};
    return oo;
}

/* Locks the destination and checks that it may be written, before anything is issued:
 * a refused destination or a concurrent run ends the build with nothing done. */
static rspg_status claim(const rspg_build_flow_options *o, rspg_diag *d, rspg_output_lock **lock)
{
    rspg_output_options oo = output_options(o);
    int exists;
    rspg_status rc = rspg_output_check_dest(o->output, &oo, d, &exists);
    if (rc == RSPG_OK)
        rc = rspg_output_lock_take(o->output, d, lock);
    return rc;
}

static rspg_status write_checked(const rspg_build_flow_options *o, const rspg_profile *p,
                                 const rspg_build_result *r, rspg_diag *d, size_t *checked)
{
    const rspg_load_options *lo = o->load;
    rspg_manifest_provenance prov = {o->profile_path,     lo ? lo->vars : NULL,
                                     lo ? lo->n_vars : 0, lo ? lo->sets : NULL,
                                     lo ? lo->n_sets : 0, &o->build};
    char *manifest = rspg_manifest_json_ex(r, p, &prov);
    rspg_output_options oo = output_options(o);
    oo.manifest = manifest;
    rspg_output_stage *s = NULL;
    rspg_status rc = rspg_output_stage_write(o->output, r, &oo, d, &s);
    free(manifest);
    if (rc != RSPG_OK)
        return rc;
    check_ctx c = {p, r, rspg_output_stage_dir(s), o->output, d};
    rc = self_check(&c, checked);
    if (rc == RSPG_OK)
        return rspg_output_commit(s, d);
    rspg_output_discard(s);
    return rc;
}

/* Loads the profile; a profile file that cannot be read is a bad profile (exit 2). */
static rspg_status load(const rspg_build_flow_options *o, rspg_diag *d, rspg_profile **p)
{
    rspg_status rc = o->profile_text ? rspg_profile_load_string_ex(o->profile_text, o->profile_len,
                                                                   o->profile_path, o->load, d, p)
                                     : rspg_profile_load_file_ex(o->profile_path, o->load, d, p);
    if (rc == RSPG_E_IO)
        rc = RSPG_E_PROFILE;
    /* The rulebook's static checks (profile/validate.h), before anything is issued. */
    if (rc == RSPG_OK)
        rc = rspg_profile_check_rules(*p, d);
    return rc;
}

rspg_status rspg_build_flow_run(const rspg_build_flow_options *o, rspg_diag *d,
                                rspg_build_flow_summary *summary)
{
    rspg_profile *p = NULL;
    rspg_build_result r;
    rspg_build_options bo = o->build;
    char *dir_copy = rspg_xstrdup(o->profile_path);
    size_t checked = 0;
    memset(&r, 0, sizeof(r));
    if (bo.profile_dir == NULL)
        bo.profile_dir = dirname(dir_copy);
    rspg_output_lock *lock = NULL;
    rspg_status rc = load(o, d, &p);
    if (rc == RSPG_OK)
        rc = rspg_build_filters_check(p, &bo, d);
    if (rc == RSPG_OK)
        rc = claim(o, d, &lock);
    if (rc == RSPG_OK)
        rc = rspg_build(p, &bo, d, &r);
    if (rc == RSPG_OK) /* trust bundles and TLS full chains (issue 13) */
        rc = rspg_bundle_add(&r, p, d);
    if (rc == RSPG_OK)
        rc = rspg_output_format_apply(o->format, &r, d);
    if (rc == RSPG_OK)
        rc = write_checked(o, p, &r, d, &checked);
    if (rc == RSPG_OK && summary) {
        summary->files = r.n;
        summary->certificates = r.n_certs;
        summary->checked = checked;
    }
    rspg_output_lock_release(lock);
    rspg_build_result_free(&r);
    rspg_profile_free(p);
    free(dir_copy);
    return rc;
}
