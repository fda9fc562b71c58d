/*
 * build.c: the driver of rspg_build, from a profile to the artifacts of a build, in
 * memory. It settles the clock (clock.h), plans the instances (plan.c), issues every
 * needed one issuer first (issue.c, keys.c), signs the CRLs of the issued CAs
 * (crl_build.c), checks every output path after substitution (output.h) and sorts the
 * artifacts by path, refusing two that write the same file. Nothing is written to disk
 * here (output.h does).
 */
#include "rspg/issue/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "issue/build_internal.h"
#include "rspg/base/clock.h"
#include "rspg/issue/output.h"

const char *rspg_artifact_kind_name(rspg_artifact_kind k)
{
    switch (k) {
    case RSPG_ART_CERT:
        return "certificate";
    case RSPG_ART_PRIVATE_KEY:
        return "private_key";
    case RSPG_ART_PUBLIC_KEY:
        return "public_key";
    case RSPG_ART_CRL:
        return "crl";
    case RSPG_ART_TBS:
        return "tbs";
    case RSPG_ART_CVC:
        return "cvc";
    case RSPG_ART_CA_BUNDLE:
        return "ca-bundle";
    case RSPG_ART_FULLCHAIN:
        return "fullchain";
    case RSPG_ART_PKCS12:
        return "pkcs12";
    }
    return "unknown";
}

static rspg_status pick_clock(const rspg_profile *p, const rspg_build_options *o, rspg_diag *d,
                              rspg_build_result *r)
{
    rspg_clock c;
    rspg_status rc = rspg_clock_resolve(o->has_clock, o->clock, p->clock, d, &c);
    if (rc == RSPG_OK) {
        r->clock = c.time;
        r->clock_source = c.source;
    }
    return rc;
}

static rspg_status issue_all(rspg_builder *b)
{
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < b->n && rc == RSPG_OK; i++)
        if (b->insts[i].needed)
            rc = rspg_inst_issue(b, &b->insts[i]);
    for (size_t i = 0; i < b->p->n_crls && rc == RSPG_OK; i++) {
        const rspg_crl_def *c = &b->p->crls[i];
        for (size_t j = 0; j < c->n_curves && rc == RSPG_OK; j++) {
            rspg_inst *ca = rspg_plan_find(b, c->issuer, c->curves[j]);
            if (ca && ca->state == 2 && ca->needed)
                rc = rspg_crl_issue(b, c, ca);
        }
    }
    return rc;
}

/* PATH for a message: control characters as \xNN (a path may carry any byte). */
static char *shown_path(const char *path)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        char esc[5];
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof(esc), "\\x%02x", *p);
            rspg_buf_append(&b, esc, 4);
        } else {
            rspg_buf_push(&b, *p);
        }
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

/* Every output path, after ${CURVE}, ${VARIANT} and the profile's variables, must stay
 * inside the output folder (issue 14): a path that does not is an error at the line of its
 * entity or CRL, naming the path as substituted, before anything is written. */
static rspg_status check_paths(const rspg_build_result *r, rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < r->n; i++) {
        const rspg_artifact *a = &r->items[i];
        const char *why = rspg_output_path_check(a->path);
        if (why == NULL)
            continue;
        char *shown = shown_path(a->path);
        if (a->crl)
            rc = rspg_fail_at(d, a->crl->loc,
                              "CRL '%s': output path '%s' %s (it must stay inside the output "
                              "folder)",
                              a->crl->id, shown, why);
        else
            rc = rspg_fail_at(d, a->entity->loc,
                              "entity '%s': output path '%s' %s (it must stay inside the output "
                              "folder)",
                              a->entity->id, shown, why);
        free(shown);
    }
    return rc;
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

/* Sorts the artifacts by path; two with the same path are an error of the profile. */
static rspg_status sort_artifacts(rspg_build_result *r, rspg_diag *d)
{
    qsort(r->items, r->n, sizeof(*r->items), cmp_artifact);
    for (size_t i = 1; i < r->n; i++)
        if (strcmp(r->items[i - 1].path, r->items[i].path) == 0)
            return rspg_fail_at(d, r->items[i].entity->loc, "'%s' and '%s' both write '%s'",
                                r->items[i - 1].entity->id, r->items[i].entity->id,
                                r->items[i].path);
    return RSPG_OK;
}

rspg_status rspg_build(const rspg_profile *p, const rspg_build_options *o, rspg_diag *d,
                       rspg_build_result *r)
{
    rspg_builder b = {p, o, d, r, NULL, 0};
    rspg_status rc;
    memset(r, 0, sizeof(*r));
    r->nonce = o->nonce;
    r->seeded = o->seed != NULL;
    if ((rc = pick_clock(p, o, d, r)) != RSPG_OK)
        return rc;
    rc = rspg_plan(&b);
    if (rc == RSPG_OK)
        rc = issue_all(&b);
    if (rc == RSPG_OK)
        rc = check_paths(r, d);
    if (rc == RSPG_OK)
        rc = sort_artifacts(r, d);
    rspg_plan_free(&b);
    if (rc != RSPG_OK)
        rspg_build_result_free(r);
    return rc;
}

void rspg_artifact_free(rspg_artifact *a)
{
    if (a->secret && a->data.data)
        OPENSSL_cleanse(a->data.data, a->data.len);
    rspg_buf_free(&a->data);
    free(a->path);
    free(a->variant);
    free(a->issuer_path);
    free(a->key_path);
    free(a->cert_path);
    free(a->serial_hex);
    free(a->expect);
    free(a->twin_path);
    free(a->key_origin);
    for (size_t j = 0; j < a->n_revoked; j++)
        free(a->revoked[j]);
    free(a->revoked);
    for (size_t j = 0; j < a->n_members; j++)
        free(a->members[j]);
    free(a->members);
    memset(a, 0, sizeof(*a));
}

void rspg_build_result_free(rspg_build_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        rspg_artifact_free(&r->items[i]);
    free(r->items);
    r->items = NULL;
    r->n = r->cap = 0;
}

rspg_artifact *rspg_build_result_add(rspg_build_result *r, rspg_artifact_kind kind, char *path)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->items = rspg_xrealloc(r->items, r->cap * sizeof(*r->items));
    }
    rspg_artifact *a = &r->items[r->n++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->path = path;
    size_t n = strlen(path);
    a->pem = n >= 4 && strcmp(path + n - 4, ".pem") == 0;
    return a;
}

rspg_artifact *rspg_build_result_add_entity(rspg_build_result *r, rspg_artifact_kind kind,
                                            char *path, const rspg_entity *e, const char *curve,
                                            const char *variant, const char *cert_path,
                                            const char *key_path)
{
    rspg_artifact *a = rspg_build_result_add(r, kind, path);
    a->entity = e;
    a->curve = curve;
    a->variant = rspg_xstrdup(variant);
    a->expect = rspg_xstrdup(e->expect ? e->expect : "valid");
    a->case_id = e->case_id;
    a->reason = e->reason;
    a->beyond_sgp26 = e->beyond_sgp26;
    if (cert_path)
        a->cert_path = rspg_xstrdup(cert_path);
    if (key_path)
        a->key_path = rspg_xstrdup(key_path);
    return a;
}
