/*
 * renew.c: `renew` (renew.h). The order: lock the folder (as build does), read the build's
 * record from its manifest, load the same profile (its files' digests checked) with the same
 * --var and --set, read the folder as it is, choose the certificates, issue each again with
 * the build's code under its issuer as it is in the folder (issue/reissue.h: same entity,
 * same key, a fresh serial and validity), put the new bytes in place of the old in a copy of
 * the folder, update the manifest, stage it beside the folder, verify it as `build` does
 * (check/verify.h) and rename it into place. The folder's CRLs that are due (or chosen by
 * --only crl or their id) are signed again alongside (issue/crl_renew.h).
 */
#include "rspg/flow/renew.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "flow/renew_internal.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/clock.h"
#include "rspg/base/time.h"
#include "rspg/check/verify.h"
#include "rspg/issue/crl_renew.h"
#include "rspg/issue/output.h"
#include "rspg/issue/reissue.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/x509/x509.h"

typedef struct renew_ctx {
    const rspg_renew_options *o;
    rspg_diag *d;
    rspg_renew_record rec;
    rspg_profile *p;
    const char *profile_path;
    rspg_build_options bo;
    rspg_build_result folder; /* the folder's files, then the new folder's */
    rspg_reissue_target *targets;
    size_t n_targets;
    rspg_reissue_preset *presets;
    size_t n_presets;
    rspg_key **keys; /* keys read from SK_ files (one per preset at most) */
    size_t n_keys;
    rspg_buf *ders; /* DER of certificates kept as PEM only */
    size_t n_ders;
    int *only_used;
    int64_t nb;
    rspg_build_result out;
    rspg_build_result crls; /* the CRLs signed again */
} renew_ctx;

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The DER of the certificate entry A from the folder's bytes, or NULL. */
static const rspg_buf *cert_der(renew_ctx *c, json_t *a)
{
    const char *path = jstr(a, "path");
    const rspg_artifact *f = path ? rspg_renew_file(&c->folder, path) : NULL;
    if (f == NULL)
        return NULL;
    c->ders = rspg_xrealloc(c->ders, (c->n_ders + 1) * sizeof(*c->ders));
    rspg_buf *b = &c->ders[c->n_ders++];
    rspg_buf_init(b);
    if (rspg_pem_or_der(f->data.data, f->data.len, "CERTIFICATE", b) != 0)
        return NULL;
    return b;
}

/* The key of entry A from its SK_ file in the folder, or NULL (then: its source). */
static rspg_status folder_key(renew_ctx *c, json_t *a, const rspg_key **out)
{
    const char *kp = jstr(a, "key");
    const rspg_artifact *f = kp ? rspg_renew_file(&c->folder, kp) : NULL;
    *out = NULL;
    if (f == NULL)
        return RSPG_OK;
    c->keys = rspg_xrealloc(c->keys, (c->n_keys + 1) * sizeof(*c->keys));
    rspg_key *k = c->keys[c->n_keys++] = rspg_xcalloc(1, sizeof(rspg_key));
    char *what = rspg_xasprintf("%s/%s", c->o->dir, kp);
    rspg_status rc = rspg_key_load(f->data.data, f->data.len, what, c->d, k);
    free(what);
    if (rc == RSPG_OK)
        *out = k;
    return rc;
}

/* A preset: entry A of ENTITY on curve key CK, with its certificate (WITH_CERT) and key. */
static rspg_status add_preset(renew_ctx *c, const rspg_entity *e, const char *ck, json_t *a,
                              int with_cert)
{
    rspg_reissue_preset ps = {.entity = e->id, .curve = ck};
    if (with_cert) {
        const rspg_buf *der = cert_der(c, a);
        if (der == NULL)
            return rspg_fail(c->d, RSPG_E_INPUT, "%s/%s: not a certificate, or missing", c->o->dir,
                             jstr(a, "path"));
        ps.cert = der->data;
        ps.cert_len = der->len;
        ps.cert_path = jstr(a, "path");
    }
    rspg_status rc = folder_key(c, a, &ps.key);
    if (rc != RSPG_OK)
        return rc;
    c->presets = rspg_xrealloc(c->presets, (c->n_presets + 1) * sizeof(*c->presets));
    c->presets[c->n_presets++] = ps;
    return RSPG_OK;
}

/* The OpenSSL name of the key of E on curve key CK (its key.curve, else the curve's). */
static const char *key_curve_name(const renew_ctx *c, const rspg_entity *e, const char *ck)
{
    const char *kc = e->key.curve ? rspg_per_curve_get(e->key.curve, ck) : NULL;
    const rspg_curve *curve = kc ? rspg_curve_find(kc) : rspg_profile_curve(c->p, ck)->curve;
    return curve ? curve->name : "";
}

/* Does --only select E (and which values did)? With no --only: every end entity. */
static int wanted(renew_ctx *c, const rspg_entity *e)
{
    if (c->o->n_only == 0)
        return !rspg_role_is_ca(e->role);
    int hit = 0;
    for (size_t i = 0; i < c->o->n_only; i++)
        if (strcmp(c->o->only[i], e->id) == 0 ||
            strcmp(c->o->only[i], rspg_role_name(e->role)) == 0) {
            c->only_used[i] = 1;
            hit = 1;
        }
    return hit;
}

/* Entity E on curve key CK, in the folder as entry A, is chosen: a target, with its issuer
 * and its own key preset. CAs are refused (renew.h says why). */
static rspg_status choose(renew_ctx *c, const rspg_entity *e, const char *ck, json_t *a)
{
    if (rspg_role_is_ca(e->role) || e->issuer == NULL)
        return rspg_fail(c->d, RSPG_E_USAGE,
                         "'%s' is a %s, a CA: renew refuses CA certificates (their dates, serial "
                         "and CRLs would change under the whole folder); build again instead",
                         e->id, rspg_role_name(e->role));
    json_t *ia = rspg_renew_record_cert(&c->rec, e->issuer, key_curve_name(c, e, ck));
    if (ia == NULL)
        return rspg_fail(c->d, RSPG_E_INPUT,
                         "%s: the certificate of '%s', issuer of '%s', is "
                         "not in the folder",
                         c->o->dir, e->issuer, e->id);
    rspg_status rc = add_preset(c, rspg_profile_find(c->p, e->issuer), ck, ia, 1);
    if (rc == RSPG_OK)
        rc = add_preset(c, e, ck, a, 0);
    const rspg_buf *old = rc == RSPG_OK ? cert_der(c, a) : NULL;
    if (rc == RSPG_OK && old == NULL)
        rc = rspg_fail(c->d, RSPG_E_INPUT, "%s/%s: not a certificate", c->o->dir, jstr(a, "path"));
    if (rc != RSPG_OK)
        return rc;
    c->targets = rspg_xrealloc(c->targets, (c->n_targets + 1) * sizeof(*c->targets));
    c->targets[c->n_targets++] =
        (rspg_reissue_target){e->id, ck, old->data, old->len, jstr(a, "path")};
    return RSPG_OK;
}

/* Fresh validity and serial for target T (entry A of entity E). */
static void date_target(renew_ctx *c, rspg_entity *e, const rspg_reissue_target *t, json_t *a)
{
    int64_t onb = 0, ona = 0;
    rspg_parse_rfc3339(jstr(a, "not_before") ? jstr(a, "not_before") : "", &onb);
    rspg_parse_rfc3339(jstr(a, "not_after") ? jstr(a, "not_after") : "", &ona);
    int64_t len = c->o->days ? (int64_t)c->o->days * 86400 : (ona > onb ? ona - onb : 86400);
    int64_t na = c->nb + len;
    const rspg_reissue_preset *iss = &c->presets[c->n_presets - 2];
    rspg_key pub;
    memset(&pub, 0, sizeof(pub));
    rspg_x509 x;
    if (rspg_x509_read(t->renews, t->renews_len, &x, NULL) == RSPG_OK &&
        x.pub_len <= sizeof(pub.pub)) {
        memcpy(pub.pub, x.pub, x.pub_len);
        pub.pub_len = x.pub_len;
    }
    char *serial =
        rspg_reissue_serial(iss->cert, iss->cert_len, &pub, jstr(a, "serial"), c->nb, na);
    rspg_reissue_set_serial(e, t->curve, serial);
    rspg_reissue_set_validity(e, t->curve, c->nb, na);
    free(serial);
}

/* One entity: every curve of it in the folder that --only selects. */
static rspg_status pick_entity(renew_ctx *c, rspg_entity *e)
{
    int valid = e->expect == NULL || strcmp(e->expect, "valid") == 0;
    if (rspg_role_is_cvc(e->role) || !valid || !wanted(c, e))
        return RSPG_OK;
    rspg_status rc = RSPG_OK;
    for (size_t k = 0; k < e->n_curves && rc == RSPG_OK; k++) {
        json_t *a = rspg_renew_record_cert(&c->rec, e->id, key_curve_name(c, e, e->curves[k]));
        if (a == NULL)
            continue; /* not built (filters) */
        if ((rc = choose(c, e, e->curves[k], a)) == RSPG_OK)
            date_target(c, e, &c->targets[c->n_targets - 1], a);
    }
    return rc;
}

/* Does --only value V choose CRL DEF ("crl": every CRL; else its id)? */
static int names_crl(const char *v, const rspg_crl_def *def)
{
    return strcmp(v, "crl") == 0 || strcmp(v, def->id) == 0;
}

/* Which --only values choose CRLs: "crl", or the id of a valid CRL (invalid CRL cases are
 * never signed again). */
static void mark_crls(renew_ctx *c)
{
    for (size_t i = 0; i < c->p->n_crls; i++) {
        const rspg_crl_def *def = &c->p->crls[i];
        if ((def->expect && strcmp(def->expect, "valid") != 0) || def->corrupt_signature)
            continue;
        for (size_t k = 0; k < c->o->n_only; k++)
            c->only_used[k] |= names_crl(c->o->only[k], def);
    }
}

static rspg_status pick(renew_ctx *c)
{
    rspg_status rc = RSPG_OK;
    c->only_used = rspg_xcalloc(c->o->n_only + 1, sizeof(int));
    for (size_t i = 0; i < c->p->n_entities && rc == RSPG_OK; i++)
        rc = pick_entity(c, &c->p->entities[i]);
    mark_crls(c);
    for (size_t i = 0; i < c->o->n_only && rc == RSPG_OK; i++)
        if (!c->only_used[i])
            rc = rspg_fail(c->d, RSPG_E_USAGE,
                           "--only '%s' names no role or entity of a certificate of %s, nor a "
                           "valid CRL (e.g. dp-tls, o-dp-tls, crl; see its manifest.json)",
                           c->o->only[i], c->o->dir);
    return rc;
}

/* The CRL of the folder described by K is signed again when --only names it ("crl" or its
 * id), or when it is due: at the renewal's time, past the middle of its period (RFC 5280
 * §5.1.2.5: a CRL past its nextUpdate is stale; a fresh one is issued before that). */
static int choose_crl(void *ctx, const rspg_crl_renew_candidate *k)
{
    renew_ctx *c = ctx;
    for (size_t i = 0; i < c->o->n_only; i++)
        if (names_crl(c->o->only[i], k->crl))
            return 1;
    int64_t period = k->next_update - k->this_update;
    return k->next_update - c->nb <= period / 2;
}

/* The certificates, then the CRLs, issued again; nothing chosen is an error. */
static rspg_status reissue_all(renew_ctx *c)
{
    rspg_reissue_options ro = {&c->bo, c->presets, c->n_presets, c->targets, c->n_targets};
    rspg_status rc = c->n_targets ? rspg_reissue(c->p, &ro, c->d, &c->out) : RSPG_OK;
    rspg_crl_renew_options co = {&c->bo, &c->folder, choose_crl, c};
    if (rc == RSPG_OK)
        rc = rspg_crl_renew(c->p, &co, c->d, &c->crls);
    if (rc == RSPG_OK && c->n_targets == 0 && c->crls.n == 0)
        rc = rspg_fail(c->d, RSPG_E_USAGE,
                       "%s: nothing to renew (no valid end-entity certificate or CRL%s)", c->o->dir,
                       c->o->n_only ? " is selected" : "");
    return rc;
}

/* The profile of the build: its files as they were, --var and --set as given. */
static rspg_status load(renew_ctx *c)
{
    c->profile_path = c->o->profile ? c->o->profile : c->rec.profile;
    rspg_status rc = rspg_renew_record_check_files(&c->rec, c->o->profile, c->d);
    rspg_load_options lo = {c->rec.vars, c->rec.n_vars, c->rec.sets, c->rec.n_sets};
    if (rc == RSPG_OK)
        rc = rspg_profile_load_file_ex(c->profile_path, &lo, c->d, &c->p);
    return rc == RSPG_E_IO ? RSPG_E_PROFILE : rc;
}

/* Is PATH one of the renewed certificates' or CRLs' files? */
static int renewed(const renew_ctx *c, const char *path)
{
    for (size_t i = 0; i < c->out.n; i++)
        if (c->out.items[i].kind == RSPG_ART_CERT && strcmp(c->out.items[i].path, path) == 0)
            return 1;
    for (size_t i = 0; i < c->crls.n; i++)
        if (strcmp(c->crls.items[i].path, path) == 0)
            return 1;
    return 0;
}

/* Does the manifest entry O (a bundle or full chain) hold a renewed certificate? */
static int holds_renewed(const renew_ctx *c, json_t *o)
{
    json_t *members = json_object_get(o, "certificates");
    for (size_t m = 0; m < json_array_size(members); m++) {
        const char *mp = json_string_value(json_array_get(members, m));
        if (mp && renewed(c, mp))
            return 1;
    }
    return 0;
}

/* The full chains (bundle.h) that hold a renewed certificate are composed again from the
 * folder's new bytes, in their recorded order, and their manifest entries updated: a full
 * chain never carries a certificate the folder no longer has. */
static void refresh_chains(renew_ctx *c, rspg_renew_summary *s)
{
    json_t *arts = json_object_get(c->rec.root, "artifacts");
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *o = json_array_get(arts, i), *members = json_object_get(o, "certificates");
        const char *path = json_string_value(json_object_get(o, "path"));
        rspg_artifact *f = path ? rspg_renew_file(&c->folder, path) : NULL;
        if (f == NULL || !json_is_array(members) || !holds_renewed(c, o))
            continue;
        rspg_buf_reset(&f->data);
        for (size_t m = 0; m < json_array_size(members); m++) {
            const char *mp = json_string_value(json_array_get(members, m));
            const rspg_artifact *a = mp ? rspg_renew_file(&c->folder, mp) : NULL;
            size_t n = mp ? strlen(mp) : 0;
            if (a == NULL)
                continue;
            if (n > 4 && strcmp(mp + n - 4, ".pem") == 0)
                rspg_buf_append(&f->data, a->data.data, a->data.len);
            else
                rspg_pem_encode("CERTIFICATE", a->data.data, a->data.len, &f->data);
        }
        rspg_renew_record_update(&c->rec, f);
        s->files++;
    }
}

/* The new bytes of A in place of the folder's, and its manifest entry updated. */
static rspg_status place(renew_ctx *c, const rspg_artifact *a, rspg_renew_summary *s)
{
    rspg_artifact *f = rspg_renew_file(&c->folder, a->path);
    if (f == NULL)
        return rspg_fail(c->d, RSPG_E_PROFILE,
                         "%s: the profile writes '%s', which is not in the folder", c->o->dir,
                         a->path);
    rspg_buf_reset(&f->data);
    rspg_buf_append(&f->data, a->data.data, a->data.len);
    rspg_renew_record_update(&c->rec, a);
    s->files++;
    return RSPG_OK;
}

/* Is CRL file I of R the one that names its CRL in the renewal record (its DER file, else
 * its first)? */
static int crl_main(const rspg_build_result *r, size_t i)
{
    const rspg_artifact *a = &r->items[i];
    for (size_t j = 0; j < r->n; j++) {
        const rspg_artifact *b = &r->items[j];
        if (j == i || b->crl != a->crl || strcmp(b->issuer_path, a->issuer_path) != 0)
            continue;
        if ((a->pem && !b->pem) || (a->pem == b->pem && j < i))
            return 0;
    }
    return 1;
}

/* The renewed certificates, TBS files and CRLs in place of the old bytes; the manifest
 * updated and the renewal recorded (the DER file of each certificate and CRL). */
static rspg_status put_in_place(renew_ctx *c, rspg_renew_summary *s)
{
    const char **paths = rspg_xcalloc(c->out.n + 1, sizeof(char *));
    const char **crls = rspg_xcalloc(c->crls.n + 1, sizeof(char *));
    size_t n_paths = 0, n_crls = 0;
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < c->out.n && rc == RSPG_OK; i++) {
        const rspg_artifact *a = &c->out.items[i];
        if (a->kind != RSPG_ART_CERT && a->kind != RSPG_ART_TBS)
            continue; /* keys: the same key, the old bytes stay */
        rc = place(c, a, s);
        if (a->kind == RSPG_ART_CERT && !a->pem)
            paths[n_paths++] = a->path;
    }
    for (size_t i = 0; i < c->crls.n && rc == RSPG_OK; i++) {
        rc = place(c, &c->crls.items[i], s);
        if (crl_main(&c->crls, i)) {
            crls[n_crls++] = c->crls.items[i].path;
            s->crls++;
        }
    }
    if (rc == RSPG_OK) {
        rspg_renew_record_note(&c->rec, c->nb, c->o->days, paths, n_paths, crls, n_crls);
        refresh_chains(c, s);
        s->certificates = c->n_targets;
        s->kept = c->folder.n - s->files;
    }
    free(paths);
    free(crls);
    return rc;
}

/* Judges the staged folder at the renewal's time: every renewed certificate and CRL must
 * verify as the manifest says (an error each otherwise). The files renew did not touch are
 * the build's bytes; that some of them no longer verify at this time (a certificate expired,
 * a CA's certificate; a CRL whose issuer key could not be had) is said in one warning, not
 * refused: renew does not change them. */
static rspg_status self_check(renew_ctx *c, const char *stage)
{
    rspg_diag vd;
    rspg_verify_result res;
    rspg_verify_options vo = {1, c->nb};
    rspg_diag_init(&vd);
    rspg_status rc = rspg_verify_dir(stage, &vo, &vd, &res);
    size_t others = 0;
    const char *first = NULL;
    if (rc == RSPG_E_VERIFY)
        rc = RSPG_OK;
    for (size_t i = 0; rc == RSPG_OK && i < res.n_items; i++) {
        const rspg_verify_item *it = &res.items[i];
        if (it->agrees)
            continue;
        if (!renewed(c, it->path)) {
            first = first ? first : it->path;
            others++;
            continue;
        }
        rspg_diag_add(c->d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s/%s: renewed, but %s: %s (%s)",
                      c->o->dir, it->path, it->verdict.valid ? "valid" : "invalid",
                      it->verdict.message, it->verdict.check ? it->verdict.check : "?");
        rc = RSPG_E_VERIFY;
    }
    if (rc == RSPG_OK && others)
        rspg_diag_add(c->d, RSPG_SEV_WARNING, (rspg_loc){0},
                      "%s: %zu files renew did not change are not as the manifest says at the "
                      "renewal's time (first: %s); build again to refresh them",
                      c->o->dir, others, first);
    if (rc != RSPG_OK && rc != RSPG_E_VERIFY)
        rspg_diag_take_prefixed(c->d, &vd, "self-check");
    rspg_verify_result_free(&res);
    rspg_diag_fini(&vd);
    return rc;
}

/* Stage the new folder, check it, rename it into place. */
static rspg_status swap(renew_ctx *c)
{
    char *manifest = rspg_renew_record_text(&c->rec);
    rspg_output_options oo = {1, manifest, 0, NULL, 1};
    rspg_output_stage *st = NULL;
    rspg_status rc = rspg_output_stage_write(c->o->dir, &c->folder, &oo, c->d, &st);
    free(manifest);
    if (rc != RSPG_OK)
        return rc;
    rc = self_check(c, rspg_output_stage_dir(st));
    if (rc == RSPG_OK)
        return rspg_output_commit(st, c->d);
    rspg_diag_add(c->d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s: not renewed; nothing is changed",
                  c->o->dir);
    rspg_output_discard(st);
    return rc == RSPG_E_VERIFY ? rc : RSPG_E_VERIFY;
}

/* The options of the builder: the recorded key folder, seed and signatures, the new clock. */
static rspg_status settle_options(renew_ctx *c, char *dir_copy)
{
    rspg_clock clk;
    rspg_status rc = rspg_clock_resolve(c->o->has_clock, c->o->clock, NULL, c->d, &clk);
    c->nb = clk.time;
    c->bo.profile_dir = dirname(dir_copy);
    c->bo.key_dir = c->o->key_dir ? c->o->key_dir : c->rec.key_dir;
    c->bo.seed = c->rec.seed.len ? c->rec.seed.data : NULL;
    c->bo.seed_len = c->rec.seed.len;
    c->bo.nonce = c->rec.rfc6979 ? RSPG_NONCE_RFC6979 : RSPG_NONCE_RANDOM;
    c->bo.has_clock = 1;
    c->bo.clock = c->nb;
    return rc;
}

static void ctx_free(renew_ctx *c)
{
    for (size_t i = 0; i < c->n_keys; i++) {
        rspg_key_free(c->keys[i]);
        free(c->keys[i]);
    }
    for (size_t i = 0; i < c->n_ders; i++)
        rspg_buf_free(&c->ders[i]);
    free(c->keys);
    free(c->ders);
    free(c->presets);
    free(c->targets);
    free(c->only_used);
    rspg_build_result_free(&c->out);
    rspg_build_result_free(&c->crls);
    rspg_build_result_free(&c->folder);
    rspg_profile_free(c->p);
    rspg_renew_record_free(&c->rec);
}

rspg_status rspg_renew_run(const rspg_renew_options *o, rspg_diag *d, rspg_renew_summary *summary)
{
    renew_ctx c;
    rspg_renew_summary s = {0, 0, 0, 0};
    memset(&c, 0, sizeof(c));
    c.o = o;
    c.d = d;
    rspg_output_lock *lock = NULL;
    rspg_status rc = rspg_output_lock_take(o->dir, d, &lock);
    if (rc == RSPG_OK)
        rc = rspg_renew_record_read(o->dir, d, &c.rec);
    if (rc == RSPG_OK)
        rc = load(&c);
    char *dir_copy = rspg_xstrdup(c.profile_path ? c.profile_path : ".");
    if (rc == RSPG_OK)
        rc = settle_options(&c, dir_copy);
    if (rc == RSPG_OK)
        rc = rspg_renew_read_folder(o->dir, d, &c.folder);
    if (rc == RSPG_OK)
        rc = pick(&c);
    if (rc == RSPG_OK)
        rc = reissue_all(&c);
    if (rc == RSPG_OK)
        rc = put_in_place(&c, &s);
    if (rc == RSPG_OK)
        rc = swap(&c);
    if (rc == RSPG_OK && summary)
        *summary = s;
    rspg_output_lock_release(lock);
    free(dir_copy);
    ctx_free(&c);
    return rc;
}
