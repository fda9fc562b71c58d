/*
 * profile.c: the profile model's plain-data helpers: role names (the manifest's role
 * vocabulary), look-ups, and freeing. No libyaml and no OpenSSL here.
 */
#include "profile/profile_internal.h"
#include "rspg/profile/cvc_spec.h"

#include <stdlib.h>
#include <string.h>

static const char *const ext_names[RSPG_EXT_COUNT] = {
    "subject_key_identifier",
    "authority_key_identifier",
    "basic_constraints",
    "key_usage",
    "extended_key_usage",
    "certificate_policies",
    "subject_alt_name",
    "crl_distribution_points",
    "name_constraints",
    "permitted_eins",
    "raw",
};

const char *rspg_ext_kind_name(rspg_ext_kind k)
{
    return (unsigned)k < RSPG_EXT_COUNT ? ext_names[k] : "unknown";
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_dn(rspg_dn *dn)
{
    for (size_t i = 0; i < dn->count; i++) {
        free(dn->attrs[i].key);
        free(dn->attrs[i].oid);
        free(dn->attrs[i].value);
    }
    free(dn->attrs);
    memset(dn, 0, sizeof(*dn));
}

void rspg_general_names_free(rspg_general_name *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i].value);
        free_dn(&names[i].dn);
    }
    free(names);
}

void rspg_ext_clear(rspg_ext *e)
{
    free_strv(e->items, e->n_items);
    rspg_general_names_free(e->names, e->n_names);
    free(e->oid);
    rspg_buf_free(&e->value);
    memset(e, 0, sizeof(*e));
}

void rspg_per_curve_clear(rspg_per_curve *v)
{
    free(v->value);
    free_strv(v->keys, v->n);
    free_strv(v->values, v->n);
    memset(v, 0, sizeof(*v));
}

void rspg_dn_clear(rspg_dn *dn)
{
    free_dn(dn);
}

void rspg_entity_clear(rspg_entity *e)
{
    free(e->id);
    free_strv(e->variants, e->n_variants);
    free(e->name);
    free_strv(e->curves, e->n_curves);
    free(e->issuer);
    free_dn(&e->subject);
    rspg_per_curve_clear(&e->serial);
    rspg_per_curve_clear(&e->not_before);
    rspg_per_curve_clear(&e->not_after);
    free(e->key.file);
    free(e->key.from);
    free(e->key.pkcs11);
    if (e->key.curve) {
        rspg_per_curve_clear(e->key.curve);
        free(e->key.curve);
    }
    for (size_t i = 0; i < e->n_exts; i++)
        rspg_ext_clear(&e->exts[i]);
    free(e->exts);
    free(e->dir);
    free_strv(e->cert_files, e->n_cert_files);
    free(e->key_file);
    free(e->pubkey_file);
    free(e->tbs_file);
    free(e->note);
    free(e->expect);
    free(e->case_id);
    free(e->reason);
    free(e->twin);
    rspg_cvc_spec_free(e->cvc);
    memset(e, 0, sizeof(*e));
}

void rspg_crl_def_clear(rspg_crl_def *c)
{
    free(c->id);
    free(c->issuer);
    free_strv(c->curves, c->n_curves);
    free(c->this_update);
    for (size_t i = 0; i < c->n_revoked; i++) {
        free(c->revoked[i].entity);
        free(c->revoked[i].date);
        free(c->revoked[i].reason);
    }
    free(c->revoked);
    free(c->dir);
    free_strv(c->files, c->n_files);
    free(c->expect);
    free(c->case_id);
    free(c->reason);
    free(c->note);
    memset(c, 0, sizeof(*c));
}

void rspg_profile_free(rspg_profile *p)
{
    if (p == NULL)
        return;
    free(p->path);
    free(p->name);
    free(p->description);
    for (size_t i = 0; i < p->n_curves; i++) {
        free(p->curves[i].key);
        free(p->curves[i].suffix);
    }
    free(p->curves);
    free_strv(p->default_curves, p->n_default_curves);
    free(p->clock);
    for (size_t i = 0; i < p->n_entities; i++)
        rspg_entity_clear(&p->entities[i]);
    free(p->entities);
    for (size_t i = 0; i < p->n_crls; i++)
        rspg_crl_def_clear(&p->crls[i]);
    free(p->crls);
    free_strv(p->files, p->n_files);
    free(p);
}

const rspg_entity *rspg_profile_find(const rspg_profile *p, const char *id)
{
    for (size_t i = 0; i < p->n_entities; i++)
        if (strcmp(p->entities[i].id, id) == 0)
            return &p->entities[i];
    return NULL;
}

const rspg_curve_def *rspg_profile_curve(const rspg_profile *p, const char *key)
{
    for (size_t i = 0; i < p->n_curves; i++)
        if (strcmp(p->curves[i].key, key) == 0)
            return &p->curves[i];
    return NULL;
}

const char *rspg_per_curve_get(const rspg_per_curve *v, const char *curve)
{
    if (v->value)
        return v->value;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], curve) == 0)
            return v->values[i];
    return NULL;
}
