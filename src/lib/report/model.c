/*
 * model.c: reads a build folder's manifest.json (docs/manifest.md) into the report model
 * (model.h): one entry per certificate (its DER and PEM files merged), one per CRL, and the
 * provenance (every top-level field of the manifest but the artifacts).
 */
#include "rspg/report/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report_internal.h"
#include "rspg/base/buf.h"
#include "rspg/base/time.h"
#include "rspg/issue/manifest.h"

static char *dup_or_null(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? rspg_xstrdup(s) : NULL;
}

static int64_t time_of(const char *s)
{
    int64_t t = 0;
    if (s == NULL || rspg_parse_rfc3339(s, &t) != 0)
        return 0;
    return t;
}

/* PATH without its last extension (a new string). */
static char *stem_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t n = dot && (slash == NULL || dot > slash) ? (size_t)(dot - path) : strlen(path);
    return rspg_xstrndup(path, n);
}

static int is_der_path(const char *p)
{
    size_t n = strlen(p);
    return n > 4 && strcmp(p + n - 4, ".der") == 0;
}

static void add_path(rspg_report_cert *c, const char *path)
{
    c->paths = rspg_xrealloc(c->paths, (c->n_paths + 1) * sizeof(char *));
    if (is_der_path(path) && c->n_paths > 0) { /* the DER file represents the certificate */
        memmove(c->paths + 1, c->paths, c->n_paths * sizeof(char *));
        c->paths[0] = rspg_xstrdup(path);
    } else {
        c->paths[c->n_paths] = rspg_xstrdup(path);
    }
    c->n_paths++;
}

static void fill_variants(rspg_report_cert *c, json_t *a)
{
    json_t *vs = json_object_get(a, "variants");
    if (json_is_array(vs) && json_array_size(vs) > 0) {
        c->variants = rspg_xcalloc(json_array_size(vs), sizeof(char *));
        for (size_t i = 0; i < json_array_size(vs); i++) {
            const char *v = json_string_value(json_array_get(vs, i));
            if (v)
                c->variants[c->n_variants++] = rspg_xstrdup(v);
        }
        return;
    }
    const char *v = json_string_value(json_object_get(a, "variant"));
    if (v) {
        c->variants = rspg_xcalloc(1, sizeof(char *));
        c->variants[c->n_variants++] = rspg_xstrdup(v);
    }
}

static void fill_cert(rspg_report_cert *c, json_t *a, const char *kind)
{
    c->kind = rspg_xstrdup(kind);
    c->role = dup_or_null(a, "role");
    c->name = dup_or_null(a, "name");
    c->entity = dup_or_null(a, "entity");
    c->curve = dup_or_null(a, "curve");
    c->issuer_path = dup_or_null(a, "issuer");
    c->key = dup_or_null(a, "key");
    c->serial = dup_or_null(a, "serial");
    c->not_before = dup_or_null(a, "not_before");
    c->not_after = dup_or_null(a, "not_after");
    c->nb = time_of(c->not_before);
    c->na = time_of(c->not_after);
    c->expect = dup_or_null(a, "expect");
    c->reason = dup_or_null(a, "reason");
    c->case_id = dup_or_null(a, "case");
    c->twin_path = dup_or_null(a, "twin");
    c->note = dup_or_null(a, "note");
    c->beyond_sgp26 = json_is_true(json_object_get(a, "beyond_sgp26"));
    c->trust_anchor = json_is_true(json_object_get(a, "trust_anchor"));
    c->issuer = c->twin = -1;
    fill_variants(c, a);
}

/* A certificate artifact: a new certificate, or another file of one already read. */
static void add_cert(rspg_report_model *m, json_t *a, const char *kind, const char *path)
{
    char *stem = stem_of(path);
    for (size_t i = 0; i < m->n_certs; i++) {
        rspg_report_cert *c = &m->certs[i];
        char *cs = stem_of(c->paths[0]);
        int same = strcmp(cs, stem) == 0 && strcmp(c->kind, kind) == 0;
        free(cs);
        if (same) {
            add_path(c, path);
            free(stem);
            return;
        }
    }
    free(stem);
    m->certs = rspg_xrealloc(m->certs, (m->n_certs + 1) * sizeof(*m->certs));
    rspg_report_cert *c = &m->certs[m->n_certs++];
    memset(c, 0, sizeof(*c));
    add_path(c, path);
    fill_cert(c, a, kind);
}

static void add_crl(rspg_report_model *m, json_t *a, const char *path)
{
    m->crls = rspg_xrealloc(m->crls, (m->n_crls + 1) * sizeof(*m->crls));
    rspg_report_crl *r = &m->crls[m->n_crls++];
    memset(r, 0, sizeof(*r));
    r->path = rspg_xstrdup(path);
    r->role = dup_or_null(a, "role");
    r->name = dup_or_null(a, "name");
    r->variant = dup_or_null(a, "variant");
    r->curve = dup_or_null(a, "curve");
    r->issuer_path = dup_or_null(a, "issuer");
    r->this_update = dup_or_null(a, "this_update");
    r->next_update = dup_or_null(a, "next_update");
    r->tu = time_of(r->this_update);
    r->nu = time_of(r->next_update);
    r->expect = dup_or_null(a, "expect");
    r->reason = dup_or_null(a, "reason");
    r->case_id = dup_or_null(a, "case");
}

/* Every top-level field but the artifacts, in the manifest's order. */
static void read_provenance(rspg_report_model *m, json_t *root)
{
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        if (strcmp(k, "artifacts") == 0)
            continue;
        char *text = json_is_string(v)
                         ? rspg_xstrdup(json_string_value(v))
                         : json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        m->prov_keys = rspg_xrealloc(m->prov_keys, (m->n_prov + 1) * sizeof(char *));
        m->prov_values = rspg_xrealloc(m->prov_values, (m->n_prov + 1) * sizeof(char *));
        m->prov_keys[m->n_prov] = rspg_xstrdup(k);
        m->prov_values[m->n_prov] = text ? text : rspg_xstrdup("");
        m->n_prov++;
    }
    json_t *g = json_object_get(root, "generator"), *p = json_object_get(root, "profile");
    json_t *c = json_object_get(root, "clock");
    m->version = dup_or_null(g, "version");
    m->profile_name = dup_or_null(p, "name");
    m->clock = dup_or_null(c, "time");
}

static rspg_status read_manifest(rspg_report_model *m, const char *dir, rspg_diag *d)
{
    char *mpath = rspg_xasprintf("%s/manifest.json", dir);
    json_error_t jerr;
    json_t *root = json_load_file(mpath, JSON_DECODE_ANY, &jerr);
    json_t *arts = root ? json_object_get(root, "artifacts") : NULL;
    const char *schema = root ? json_string_value(json_object_get(root, "schema")) : NULL;
    rspg_status rc = RSPG_OK;
    if (root == NULL)
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot read the manifest: %s", mpath, jerr.text);
    else if (!json_is_object(root) || schema == NULL || strcmp(schema, RSPG_MANIFEST_SCHEMA) ||
             !json_is_array(arts))
        rc = rspg_fail(d, RSPG_E_IO, "%s: not an rsp-pkigen manifest (schema %s)", mpath,
                       RSPG_MANIFEST_SCHEMA);
    free(mpath);
    if (rc != RSPG_OK) {
        json_decref(root);
        return rc;
    }
    read_provenance(m, root);
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const char *kind = json_string_value(json_object_get(a, "kind"));
        const char *path = json_string_value(json_object_get(a, "path"));
        if (kind == NULL || path == NULL)
            continue;
        if (strcmp(kind, "certificate") == 0 || strcmp(kind, "cvc") == 0)
            add_cert(m, a, kind, path);
        else if (strcmp(kind, "crl") == 0)
            add_crl(m, a, path);
    }
    json_decref(root);
    return RSPG_OK;
}

rspg_status rspg_report_model_load(const char *dir, unsigned flags, int has_at, int64_t at,
                                   rspg_report_model *m, rspg_diag *d)
{
    memset(m, 0, sizeof(*m));
    m->dir = rspg_xstrdup(dir);
    rspg_status rc = read_manifest(m, dir, d);
    if (rc != RSPG_OK)
        return rc;
    for (size_t i = 0; i < m->n_certs; i++)
        snprintf(m->certs[i].id, sizeof(m->certs[i].id), "c%zu", i);
    rspg_report_link(m);
    rspg_report_read_certs(m);
    m->verify_time = has_at ? at : time_of(m->clock);
    if (flags & RSPG_REPORT_DETAILS)
        rspg_report_details(m, has_at, at);
    return RSPG_OK;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_cert(rspg_report_cert *c)
{
    free_strv(c->paths, c->n_paths);
    free_strv(c->variants, c->n_variants);
    char *fields[] = {c->kind,        c->role,   c->name,      c->entity,     c->curve,
                      c->issuer_path, c->key,    c->serial,    c->not_before, c->not_after,
                      c->expect,      c->reason, c->case_id,   c->twin_path,  c->note,
                      c->cn,          c->show,   c->show_error};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        free(fields[i]);
    free(c->sig);
    if (c->linted)
        rspg_lint_result_free(&c->lint);
}

static void free_crl(rspg_report_crl *r)
{
    char *fields[] = {r->path,   r->role,        r->name,        r->variant,
                      r->curve,  r->issuer_path, r->this_update, r->next_update,
                      r->expect, r->reason,      r->case_id};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        free(fields[i]);
}

void rspg_report_model_free(rspg_report_model *m)
{
    for (size_t i = 0; i < m->n_certs; i++)
        free_cert(&m->certs[i]);
    for (size_t i = 0; i < m->n_crls; i++)
        free_crl(&m->crls[i]);
    for (size_t i = 0; i < m->n_groups; i++)
        free(m->groups[i].variant);
    free_strv(m->prov_keys, m->n_prov);
    free_strv(m->prov_values, m->n_prov);
    free(m->certs);
    free(m->crls);
    free(m->groups);
    free(m->dir);
    free(m->profile_name);
    free(m->version);
    free(m->clock);
    memset(m, 0, sizeof(*m));
}
