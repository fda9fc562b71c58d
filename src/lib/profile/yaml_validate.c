/*
 * yaml_validate.c: the cross-entity checks of the profile loader, run once every entity is
 * read: defaults applied (curves, validity), required keys present, per-curve values
 * complete, twins and key sources exist, and issuers exist, are CAs, cover the curves and
 * form no cycle.
 */
#include <stdlib.h>
#include <string.h>

#include "profile/profile_internal.h"
#include "profile/yaml_internal.h"
#include "rspg/profile/cvc_spec.h"

/* An entity without curves takes defaults.curves; -1 (reported) when there is none. */
static int default_curves(rspg_yaml_loader *ld, rspg_entity *e)
{
    const rspg_profile *p = ld->p;
    if (e->n_curves != 0)
        return 0;
    if (p->n_default_curves == 0) {
        rspg_fail_at(ld->d, e->loc, "entity '%s' has no curves and there is no defaults.curves",
                     e->id);
        return -1;
    }
    e->curves = rspg_xcalloc(p->n_default_curves, sizeof(char *));
    for (size_t j = 0; j < p->n_default_curves; j++)
        e->curves[j] = rspg_xstrdup(p->default_curves[j]);
    e->n_curves = p->n_default_curves;
    return 0;
}

/* The keys every entity needs (validity may come from defaults.validity_days). */
static int required_keys(rspg_yaml_loader *ld, rspg_entity *e)
{
    int rc = 0;
    if (e->n_variants == 0)
        rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'variant'", e->id);
    if (e->subject.count == 0 && !rspg_role_is_cvc(e->role)) /* card certificates have none */
        rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'subject'", e->id);
    if (rspg_cvc_validate_entity(ld->p, e, ld->d) != 0)
        rc = -1;
    if (e->serial.value == NULL && e->serial.n == 0)
        rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'serial'", e->id);
    if (e->issuer_loc.line == 0)
        rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'issuer' (an entity id, or 'self')",
                          e->id);
    if (e->validity_days == 0 && e->not_after.value == NULL && e->not_after.n == 0)
        e->validity_days = ld->p->default_validity_days;
    if (e->validity_days == 0 && e->not_after.value == NULL && e->not_after.n == 0)
        rc = rspg_fail_at(ld->d, e->loc,
                          "entity '%s' has no validity (days or not_after) "
                          "and there is no defaults.validity_days",
                          e->id);
    if (e->n_cert_files == 0)
        rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no output.cert file", e->id);
    return rc;
}

/* A per-curve serial or date has a value for each of the entity's curves. */
static int per_curve_complete(rspg_yaml_loader *ld, const rspg_entity *e)
{
    int rc = 0;
    for (size_t c = 0; c < e->n_curves; c++) {
        if (!e->serial.value && e->serial.n && !rspg_per_curve_get(&e->serial, e->curves[c]))
            rc = rspg_fail_at(ld->d, e->serial.loc, "serial has no value for curve '%s'",
                              e->curves[c]);
        if (!e->not_before.value && e->not_before.n &&
            !rspg_per_curve_get(&e->not_before, e->curves[c]))
            rc = rspg_fail_at(ld->d, e->not_before.loc, "not_before has no value for curve '%s'",
                              e->curves[c]);
        if (!e->not_after.value && e->not_after.n &&
            !rspg_per_curve_get(&e->not_after, e->curves[c]))
            rc = rspg_fail_at(ld->d, e->not_after.loc, "not_after has no value for curve '%s'",
                              e->curves[c]);
    }
    return rc;
}

/* twin and key.from name entities; an invalid case says which SGP.22 error it expects. */
static int links(rspg_yaml_loader *ld, const rspg_entity *e)
{
    const rspg_profile *p = ld->p;
    int rc = 0;
    if (e->twin && rspg_profile_find(p, e->twin) == NULL)
        rc = rspg_fail_at(ld->d, e->loc, "twin '%s' of '%s' is not an entity", e->twin, e->id);
    if (e->expect && strcmp(e->expect, "invalid") == 0 && e->reason == NULL)
        rc = rspg_fail_at(ld->d, e->loc,
                          "invalid entity '%s' needs a 'reason' (the SGP.22 "
                          "error a validator must return)",
                          e->id);
    if (e->key.source != RSPG_KEY_FROM)
        return rc;
    const rspg_entity *src = rspg_profile_find(p, e->key.from);
    if (src == NULL)
        rc = rspg_fail_at(ld->d, e->key.loc, "key source '%s' is not an entity", e->key.from);
    else if (src == e)
        rc = rspg_fail_at(ld->d, e->key.loc, "an entity cannot take its key from itself");
    else if (src->key.source == RSPG_KEY_FROM)
        rc = rspg_fail_at(ld->d, e->key.loc,
                          "key source '%s' itself takes its key from another entity; name that one",
                          e->key.from);
    return rc;
}

/* E's issuer exists, is a CA, is issued on E's curves, and is not E's descendant. */
static int issuer_ok(rspg_yaml_loader *ld, const rspg_entity *e)
{
    const rspg_profile *p = ld->p;
    const rspg_entity *iss = rspg_profile_find(p, e->issuer);
    int rc = 0;
    if (iss == NULL)
        return rspg_fail_at(ld->d, e->issuer_loc, "issuer '%s' of '%s' is not an entity", e->issuer,
                            e->id);
    if (!rspg_role_is_ca(iss->role))
        rc = rspg_fail_at(ld->d, e->issuer_loc,
                          "issuer '%s' has role %s, which cannot issue certificates", e->issuer,
                          rspg_role_name(iss->role));
    for (size_t c = 0; c < e->n_curves; c++) {
        size_t j;
        for (j = 0; j < iss->n_curves; j++)
            if (strcmp(iss->curves[j], e->curves[c]) == 0)
                break;
        if (j == iss->n_curves)
            rc = rspg_fail_at(ld->d, e->issuer_loc,
                              "issuer '%s' is not issued on curve '%s' that '%s' needs", e->issuer,
                              e->curves[c], e->id);
    }
    size_t steps = 0;
    for (const rspg_entity *x = iss; x && x->issuer; x = rspg_profile_find(p, x->issuer)) {
        if (x == e || ++steps > p->n_entities) {
            rc =
                rspg_fail_at(ld->d, e->issuer_loc, "issuer cycle: '%s' is its own ancestor", e->id);
            break;
        }
    }
    return rc;
}

int rspg_yaml_validate_entities(rspg_yaml_loader *ld)
{
    rspg_profile *p = ld->p;
    int rc = 0;
    for (size_t i = 0; i < p->n_entities; i++) {
        rspg_entity *e = &p->entities[i];
        if (default_curves(ld, e) != 0) {
            rc = -1;
            continue;
        }
        if (required_keys(ld, e) != 0)
            rc = -1;
        if (per_curve_complete(ld, e) != 0)
            rc = -1;
        if (links(ld, e) != 0)
            rc = -1;
    }
    if (rc != 0)
        return -1;
    /* issuers, once every entity has its curves */
    for (size_t i = 0; i < p->n_entities; i++)
        if (p->entities[i].issuer != NULL && issuer_ok(ld, &p->entities[i]) != 0)
            rc = -1;
    return rc;
}
