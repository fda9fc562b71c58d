/*
 * yaml_crl.c: the CRLs of a profile (RFC 5280 §5): issuer, curves, numbers and dates,
 * revoked entries with their CRLReason (§5.3.1), output files; then the checks against
 * the entities (the issuer is a CA on those curves, each revoked entity is its own).
 */
#include <stdlib.h>
#include <string.h>

#include "profile/profile_internal.h"
#include "profile/yaml_internal.h"
#include "rspg/base/time.h"

static const char *const crl_reasons[] = {
    /* RFC 5280 §5.3.1 CRLReason; 7 is unused */
    "unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
    "superseded",    "cessationOfOperation", "certificateHold", NULL,
    "removeFromCRL", "privilegeWithdrawn",   "aACompromise",
};

static int revoked_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                        void *ctx)
{
    rspg_revocation *r = ctx;
    (void)k;
    if (strcmp(key, "entity") == 0)
        return rspg_yaml_want_string(ld, v, "entity", &r->entity);
    if (strcmp(key, "date") == 0) {
        int64_t t;
        if (rspg_yaml_want_string(ld, v, "date", &r->date) != 0)
            return -1;
        return rspg_parse_rfc3339(r->date, &t) == 0
                   ? 0
                   : rspg_yaml_fail(
                         ld, v, "date '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)", r->date);
    }
    if (rspg_yaml_want_string(ld, v, "reason", &r->reason) != 0)
        return -1;
    for (size_t i = 0; i < sizeof(crl_reasons) / sizeof(crl_reasons[0]); i++)
        if (crl_reasons[i] && strcmp(crl_reasons[i], r->reason) == 0) {
            r->reason_code = (int)i;
            return 0;
        }
    return rspg_yaml_fail(
        ld, v,
        "unknown revocation reason '%s' (expected a CRLReason of RFC 5280 §5.3.1, e.g. "
        "keyCompromise, cACompromise, superseded, cessationOfOperation)",
        r->reason);
}

static int crl_output_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                           void *ctx)
{
    rspg_crl_def *c = ctx;
    (void)k;
    if (strcmp(key, "dir") == 0)
        return rspg_yaml_want_string(ld, v, "dir", &c->dir) ||
               rspg_yaml_check_rel_path(ld, v, c->dir);
    if (rspg_yaml_want_string_or_list(ld, v, "crl", &c->files, &c->n_files) != 0)
        return -1;
    for (size_t i = 0; i < c->n_files; i++)
        if (rspg_yaml_check_rel_path(ld, v, c->files[i]) != 0)
            return -1;
    return 0;
}

static int crl_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                    void *ctx)
{
    static const char *const rev_keys[] = {"entity", "date", "reason", NULL};
    static const char *const out_keys[] = {"dir", "crl", NULL};
    rspg_crl_def *c = ctx;
    (void)k;
    if (strcmp(key, "id") == 0)
        return rspg_yaml_want_string(ld, v, "id", &c->id);
    if (strcmp(key, "issuer") == 0) {
        c->issuer_loc = rspg_yaml_at(ld, v);
        return rspg_yaml_want_string(ld, v, "issuer", &c->issuer);
    }
    if (strcmp(key, "curves") == 0)
        return rspg_yaml_want_string_or_list(ld, v, "curves", &c->curves, &c->n_curves);
    if (strcmp(key, "number") == 0)
        return rspg_yaml_want_int(ld, v, "number", 0, 1LL << 62, &c->number);
    if (strcmp(key, "this_update") == 0) {
        int64_t t;
        if (rspg_yaml_want_string(ld, v, "this_update", &c->this_update) != 0)
            return -1;
        return rspg_parse_rfc3339(c->this_update, &t) == 0
                   ? 0
                   : rspg_yaml_fail(ld, v, "this_update '%s' is not a date", c->this_update);
    }
    if (strcmp(key, "offset_days") == 0) {
        c->has_offset = 1;
        return rspg_yaml_want_int(ld, v, "offset_days", -3000000, 3000000, &c->offset_days);
    }
    if (strcmp(key, "next_update_days") == 0)
        return rspg_yaml_want_int(ld, v, "next_update_days", 1, 3000000, &c->next_update_days);
    if (strcmp(key, "revoked") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return rspg_yaml_fail(ld, v, "revoked must be a list, not %s", rspg_yaml_type_name(v));
        size_t len = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        c->revoked = rspg_xcalloc(len ? len : 1, sizeof(rspg_revocation));
        c->n_revoked = len;
        for (size_t i = 0; i < len; i++) {
            yaml_node_t *item = rspg_yaml_node(ld, v->data.sequence.items.start[i]);
            c->revoked[i].loc = rspg_yaml_at(ld, item);
            if (rspg_yaml_each_pair(ld, item, "revoked entry", rev_keys, revoked_pair,
                                    &c->revoked[i]) != 0)
                return -1;
            if (c->revoked[i].entity == NULL)
                return rspg_yaml_fail(ld, item, "revoked entry needs 'entity'");
        }
        return 0;
    }
    if (strcmp(key, "output") == 0)
        return rspg_yaml_each_pair(ld, v, "output", out_keys, crl_output_pair, c);
    if (strcmp(key, "corrupt") == 0) {
        const char *x = rspg_yaml_scalar(v);
        if (x == NULL || strcmp(x, "signature") != 0)
            return rspg_yaml_fail(ld, v, "corrupt takes 'signature'");
        c->corrupt_signature = 1;
        return 0;
    }
    if (strcmp(key, "expect") == 0) {
        if (rspg_yaml_want_string(ld, v, "expect", &c->expect) != 0)
            return -1;
        if (strcmp(c->expect, "valid") != 0 && strcmp(c->expect, "invalid") != 0)
            return rspg_yaml_fail(ld, v, "expect must be valid or invalid, not '%s'", c->expect);
        return 0;
    }
    if (strcmp(key, "case") == 0)
        return rspg_yaml_want_string(ld, v, "case", &c->case_id);
    if (strcmp(key, "reason") == 0)
        return rspg_yaml_want_string(ld, v, "reason", &c->reason) ||
               rspg_yaml_check_reason(ld, v, c->reason);
    return rspg_yaml_want_string(ld, v, "note", &c->note);
}

int rspg_yaml_load_crls(rspg_yaml_loader *ld, yaml_node_t *n)
{
    static const char *const crl_keys[] = {
        "id",      "issuer", "curves",  "number", "this_update", "offset_days", "next_update_days",
        "revoked", "output", "corrupt", "expect", "case",        "reason",      "note",
        NULL,
    };
    if (n->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(ld, n, "'crls' must be a list, not %s", rspg_yaml_type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (len > RSPG_MAX_ENTITIES)
        return rspg_yaml_fail(ld, n, "more than %d CRLs", RSPG_MAX_ENTITIES);
    rspg_profile *p = ld->p;
    p->crls = rspg_xcalloc(len ? len : 1, sizeof(rspg_crl_def));
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = rspg_yaml_node(ld, n->data.sequence.items.start[i]);
        rspg_crl_def *c = &p->crls[p->n_crls++];
        c->loc = rspg_yaml_at(ld, item);
        c->next_update_days = 0;
        if (rspg_yaml_each_pair(ld, item, "CRL", crl_keys, crl_pair, c) != 0)
            return -1;
        if (c->id == NULL)
            return rspg_yaml_fail(ld, item, "CRL has no 'id'");
        if (c->issuer == NULL)
            return rspg_yaml_fail(ld, item, "CRL '%s' has no 'issuer'", c->id);
        if (c->n_files == 0)
            return rspg_yaml_fail(ld, item, "CRL '%s' has no output.crl file", c->id);
        if (c->next_update_days == 0)
            return rspg_yaml_fail(ld, item, "CRL '%s' has no 'next_update_days'", c->id);
        for (size_t j = 0; j + 1 < p->n_crls; j++)
            if (strcmp(p->crls[j].id, c->id) == 0)
                return rspg_yaml_fail(ld, item, "duplicate CRL id '%s'", c->id);
    }
    return 0;
}

int rspg_yaml_validate_crls(rspg_yaml_loader *ld)
{
    rspg_profile *p = ld->p;
    int rc = 0;
    for (size_t i = 0; i < p->n_crls; i++) {
        rspg_crl_def *c = &p->crls[i];
        const rspg_entity *iss = rspg_profile_find(p, c->issuer);
        if (iss == NULL) {
            rc = rspg_fail_at(ld->d, c->issuer_loc, "issuer '%s' of CRL '%s' is not an entity",
                              c->issuer, c->id);
            continue;
        }
        if (!rspg_role_is_ca(iss->role))
            rc = rspg_fail_at(ld->d, c->issuer_loc, "issuer '%s' has role %s, which issues no CRL",
                              c->issuer, rspg_role_name(iss->role));
        if (c->n_curves == 0) {
            c->curves = rspg_xcalloc(iss->n_curves ? iss->n_curves : 1, sizeof(char *));
            for (size_t j = 0; j < iss->n_curves; j++)
                c->curves[j] = rspg_xstrdup(iss->curves[j]);
            c->n_curves = iss->n_curves;
        }
        for (size_t j = 0; j < c->n_curves; j++) {
            size_t k;
            for (k = 0; k < iss->n_curves; k++)
                if (strcmp(iss->curves[k], c->curves[j]) == 0)
                    break;
            if (k == iss->n_curves)
                rc = rspg_fail_at(ld->d, c->issuer_loc, "issuer '%s' is not issued on curve '%s'",
                                  c->issuer, c->curves[j]);
        }
        for (size_t j = 0; j < c->n_revoked; j++) {
            const rspg_entity *r = rspg_profile_find(p, c->revoked[j].entity);
            if (r == NULL)
                rc = rspg_fail_at(ld->d, c->revoked[j].loc, "revoked entity '%s' is not an entity",
                                  c->revoked[j].entity);
            else if (r->issuer == NULL || strcmp(r->issuer, c->issuer) != 0)
                rc = rspg_fail_at(ld->d, c->revoked[j].loc,
                                  "revoked entity '%s' is not issued by '%s', the CRL's issuer",
                                  c->revoked[j].entity, c->issuer);
        }
    }
    return rc;
}
