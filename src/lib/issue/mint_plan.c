/*
 * mint_plan.c: template, curve and range of a mint run (mint_plan.h).
 */
#include "rspg/issue/mint_plan.h"

#include <string.h>

#include "rspg/issue/mint.h"

rspg_status rspg_mint_pick_template(const rspg_profile *p, const char *template_id, int issuer_role,
                                    int v3, rspg_diag *d, const rspg_entity **out)
{
    *out = NULL;
    if (template_id) {
        const rspg_entity *e = rspg_profile_find(p, template_id);
        if (e == NULL || e->role != RSPG_ROLE_EUICC)
            return rspg_fail(d, RSPG_E_USAGE,
                             "--template '%s' is not an euicc entity of the profile", template_id);
        *out = e;
        return RSPG_OK;
    }
    /* the eUICC of the issuer's variant: Variant O for a v2 EUM; for v3, one issued by an
     * entity of the issuer's role (EUM: Ov3/B, EUM SubCA: A/C) */
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        if (e->role != RSPG_ROLE_EUICC || e->expect || e->issuer == NULL)
            continue;
        const rspg_entity *iss = rspg_profile_find(p, e->issuer);
        int e_v3 = strcmp(e->variants[0], "O") != 0;
        if (iss && e_v3 == v3 && (issuer_role < 0 || (int)iss->role == issuer_role)) {
            *out = e;
            return RSPG_OK;
        }
    }
    return rspg_fail(d, RSPG_E_USAGE,
                     "the profile has no eUICC entity for this issuer (give --template)");
}

const char *rspg_mint_curve_suffix(const rspg_profile *p, const rspg_curve *c)
{
    for (size_t k = 0; p && k < p->n_curves; k++)
        if (p->curves[k].curve == c && p->curves[k].suffix)
            return p->curves[k].suffix;
    return c->name;
}

rspg_status rspg_mint_plan_make(const rspg_profile *p, const rspg_mint_cert_info *issuer,
                                const uint8_t *issuer_der, size_t issuer_len,
                                const rspg_key *issuer_key, const char *template_id,
                                const char *curve_name, const char *first_eid, uint64_t count,
                                rspg_diag *d, rspg_mint_plan *out)
{
    memset(out, 0, sizeof(*out));
    out->issuer_role = issuer->role;
    out->v3 = issuer->v3;
    if (issuer->role != RSPG_ROLE_EUM && issuer->role != RSPG_ROLE_EUM_SUBCA)
        return rspg_fail(d, RSPG_E_USAGE,
                         "the issuer certificate is not an EUM or EUM SubCA "
                         "(its policy names no such role)");
    rspg_status rc =
        rspg_mint_pick_template(p, template_id, issuer->role, issuer->v3, d, &out->tmpl);
    if (rc != RSPG_OK)
        return rc;
    out->curve = curve_name ? rspg_curve_find(curve_name) : issuer_key->curve;
    if (out->curve == NULL)
        return rspg_fail(d, RSPG_E_USAGE, "unknown curve '%s' (known: %s)", curve_name,
                         rspg_curve_names());
    out->curve_suffix = rspg_mint_curve_suffix(p, out->curve);
    return rspg_mint_check_range(issuer_der, issuer_len, first_eid, count, NULL, 0, d);
}
