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

int rspg_yaml_validate_entities(rspg_yaml_loader *ld)
{
    rspg_profile *p = ld->p;
    int rc = 0;
    for (size_t i = 0; i < p->n_entities; i++) {
        rspg_entity *e = &p->entities[i];
        if (e->n_curves == 0) {
            if (p->n_default_curves == 0) {
                rc = rspg_fail_at(ld->d, e->loc,
                                  "entity '%s' has no curves and there is no "
                                  "defaults.curves",
                                  e->id);
                continue;
            }
            e->curves = rspg_xcalloc(p->n_default_curves, sizeof(char *));
            for (size_t j = 0; j < p->n_default_curves; j++)
                e->curves[j] = rspg_xstrdup(p->default_curves[j]);
            e->n_curves = p->n_default_curves;
        }
        if (e->n_variants == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'variant'", e->id);
        if (e->subject.count == 0 && !rspg_role_is_cvc(e->role)) /* card certificates have none */
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'subject'", e->id);
        if (rspg_cvc_validate_entity(p, e, ld->d) != 0)
            rc = -1;
        if (e->serial.value == NULL && e->serial.n == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'serial'", e->id);
        if (e->issuer_loc.line == 0)
            rc = rspg_fail_at(ld->d, e->loc,
                              "entity '%s' has no 'issuer' (an entity id, or "
                              "'self')",
                              e->id);
        if (e->validity_days == 0 && e->not_after.value == NULL && e->not_after.n == 0)
            e->validity_days = p->default_validity_days;
        if (e->validity_days == 0 && e->not_after.value == NULL && e->not_after.n == 0)
            rc = rspg_fail_at(ld->d, e->loc,
                              "entity '%s' has no validity (days or not_after) "
                              "and there is no defaults.validity_days",
                              e->id);
        if (e->n_cert_files == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no output.cert file", e->id);
        for (size_t c = 0; c < e->n_curves; c++) {
            if (!e->serial.value && e->serial.n && !rspg_per_curve_get(&e->serial, e->curves[c]))
                rc = rspg_fail_at(ld->d, e->serial.loc, "serial has no value for curve '%s'",
                                  e->curves[c]);
            if (!e->not_before.value && e->not_before.n &&
                !rspg_per_curve_get(&e->not_before, e->curves[c]))
                rc = rspg_fail_at(ld->d, e->not_before.loc,
                                  "not_before has no value for curve '%s'", e->curves[c]);
            if (!e->not_after.value && e->not_after.n &&
                !rspg_per_curve_get(&e->not_after, e->curves[c]))
                rc = rspg_fail_at(ld->d, e->not_after.loc, "not_after has no value for curve '%s'",
                                  e->curves[c]);
        }
        if (e->twin && rspg_profile_find(p, e->twin) == NULL)
            rc = rspg_fail_at(ld->d, e->loc, "twin '%s' of '%s' is not an entity", e->twin, e->id);
        if (e->expect && strcmp(e->expect, "invalid") == 0 && e->reason == NULL)
            rc = rspg_fail_at(ld->d, e->loc,
                              "invalid entity '%s' needs a 'reason' (the SGP.22 "
                              "error a validator must return)",
                              e->id);
        if (e->key.source == RSPG_KEY_FROM) {
            const rspg_entity *src = rspg_profile_find(p, e->key.from);
            if (src == NULL)
                rc = rspg_fail_at(ld->d, e->key.loc, "key source '%s' is not an entity",
                                  e->key.from);
            else if (src == e)
                rc = rspg_fail_at(ld->d, e->key.loc, "an entity cannot take its key from itself");
            else if (src->key.source == RSPG_KEY_FROM)
                rc = rspg_fail_at(ld->d, e->key.loc,
                                  "key source '%s' itself takes its key from "
                                  "another entity; name that one",
                                  e->key.from);
        }
    }
    if (rc != 0)
        return -1;
    /* issuers: exist, are CAs, cover the curves, and form no cycle */
    for (size_t i = 0; i < p->n_entities; i++) {
        rspg_entity *e = &p->entities[i];
        if (e->issuer == NULL)
            continue;
        const rspg_entity *iss = rspg_profile_find(p, e->issuer);
        if (iss == NULL) {
            rc = rspg_fail_at(ld->d, e->issuer_loc, "issuer '%s' of '%s' is not an entity",
                              e->issuer, e->id);
            continue;
        }
        if (!rspg_role_is_ca(iss->role))
            rc = rspg_fail_at(ld->d, e->issuer_loc,
                              "issuer '%s' has role %s, which cannot issue "
                              "certificates",
                              e->issuer, rspg_role_name(iss->role));
        for (size_t c = 0; c < e->n_curves; c++) {
            size_t j;
            for (j = 0; j < iss->n_curves; j++)
                if (strcmp(iss->curves[j], e->curves[c]) == 0)
                    break;
            if (j == iss->n_curves)
                rc = rspg_fail_at(ld->d, e->issuer_loc,
                                  "issuer '%s' is not issued on curve '%s' "
                                  "that '%s' needs",
                                  e->issuer, e->curves[c], e->id);
        }
        size_t steps = 0;
        for (const rspg_entity *x = iss; x && x->issuer; x = rspg_profile_find(p, x->issuer)) {
            if (x == e || ++steps > p->n_entities) {
                rc = rspg_fail_at(ld->d, e->issuer_loc, "issuer cycle: '%s' is its own ancestor",
                                  e->id);
                break;
            }
        }
    }
    return rc;
}
