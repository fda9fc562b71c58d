/*
 * plan.c: what a build issues. Each entity is issued once per curve (an "instance"). The
 * --variant, --curve and --only filters select instances; the issuer and key source of a
 * selected instance (on the same curve) are always needed too, recursively, so that every
 * chain in the output closes at its root.
 */
#include "issue/build_internal.h"

#include <stdlib.h>
#include <string.h>

rspg_inst *rspg_plan_find(const rspg_builder *b, const char *id, const char *curve_key)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->insts[i].e->id, id) == 0 && strcmp(b->insts[i].cd->key, curve_key) == 0)
            return &b->insts[i];
    return NULL;
}

rspg_subst rspg_plan_subst(const rspg_inst *in)
{
    return (rspg_subst){in->cd->suffix, in->variant};
}

char *rspg_plan_join(const char *dir, const char *file)
{
    if (dir == NULL || *dir == '\0')
        return rspg_xstrdup(file);
    size_t n = strlen(dir);
    return rspg_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", file);
}

char *rspg_plan_out_path(const rspg_inst *in, const char *file)
{
    rspg_subst s = rspg_plan_subst(in);
    char *dir = in->e->dir ? rspg_subst_apply(&s, in->e->dir) : NULL;
    char *f = rspg_subst_apply(&s, file);
    char *p = rspg_plan_join(dir, f);
    free(dir);
    free(f);
    return p;
}

int rspg_plan_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* 1 when no filter is given or one of A, B, C (each may be NULL) is in LIST. */
static int matches_any(char **list, size_t n, const char *a, const char *b, const char *c)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if ((a && strcmp(list[i], a) == 0) || (b && strcmp(list[i], b) == 0) ||
            (c && strcmp(list[i], c) == 0))
            return 1;
    return 0;
}

static int selected(const rspg_build_options *o, const rspg_entity *e, const rspg_curve_def *cd)
{
    int v = o->n_variants == 0;
    for (size_t i = 0; i < e->n_variants && !v; i++)
        v = matches_any(o->variants, o->n_variants, e->variants[i], NULL, NULL);
    return v && matches_any(o->curves, o->n_curves, cd->key, cd->suffix, cd->curve->name) &&
           matches_any(o->roles, o->n_roles, rspg_role_name(e->role), e->id, NULL);
}

static void mark_needed(rspg_builder *b, rspg_inst *in)
{
    if (in->needed)
        return;
    in->needed = 1;
    if (in->e->issuer) {
        rspg_inst *iss = rspg_plan_find(b, in->e->issuer, in->cd->key);
        if (iss)
            mark_needed(b, iss);
    }
    if (in->e->key.source == RSPG_KEY_FROM) {
        rspg_inst *src = rspg_plan_find(b, in->e->key.from, in->cd->key);
        if (src)
            mark_needed(b, src);
    }
}

/* The instance of E on curve CD, with its output paths (the DER certificate file is the
 * one issuers and keys refer to). */
static void init_inst(const rspg_profile *p, const rspg_entity *e, size_t c, rspg_inst *in)
{
    in->e = e;
    in->cd = rspg_profile_curve(p, e->curves[c]);
    in->variant = rspg_xstrdup(e->variants[0]);
    rspg_buf_init(&in->cert);
    rspg_buf_init(&in->subject_name);
    for (size_t f = 0; f < e->n_cert_files; f++) {
        char *path = rspg_plan_out_path(in, e->cert_files[f]);
        if (in->cert_path == NULL ||
            (rspg_plan_ends_with(path, ".der") && !rspg_plan_ends_with(in->cert_path, ".der"))) {
            free(in->cert_path);
            in->cert_path = path;
        } else {
            free(path);
        }
    }
    in->key_path = e->key_file ? rspg_plan_out_path(in, e->key_file) : NULL;
}

rspg_status rspg_plan(rspg_builder *b)
{
    const rspg_profile *p = b->p;
    size_t total = 0;
    for (size_t i = 0; i < p->n_entities; i++)
        total += p->entities[i].n_curves;
    b->insts = rspg_xcalloc(total ? total : 1, sizeof(rspg_inst));
    b->n = 0;
    for (size_t i = 0; i < p->n_entities; i++)
        for (size_t c = 0; c < p->entities[i].n_curves; c++)
            init_inst(p, &p->entities[i], c, &b->insts[b->n++]);
    size_t n_selected = 0;
    for (size_t i = 0; i < b->n; i++)
        if (selected(b->o, b->insts[i].e, b->insts[i].cd)) {
            mark_needed(b, &b->insts[i]);
            n_selected++;
        }
    if (n_selected == 0)
        return rspg_fail(b->d, RSPG_E_USAGE, "the filters select no certificate of the profile");
    return RSPG_OK;
}

void rspg_plan_free(rspg_builder *b)
{
    for (size_t i = 0; i < b->n; i++) {
        rspg_key_free(&b->insts[i].key);
        rspg_buf_free(&b->insts[i].cert);
        rspg_buf_free(&b->insts[i].subject_name);
        free(b->insts[i].variant);
        free(b->insts[i].cert_path);
        free(b->insts[i].key_path);
        free(b->insts[i].key_origin);
    }
    free(b->insts);
    b->insts = NULL;
    b->n = 0;
}
