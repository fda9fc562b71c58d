/*
 * verify_eum.c: the eUICC's own checks: its EID (the subject serialNumber: 32 digits with
 * ISO/IEC 7064 MOD 97-10 check digits, SGP.29 §10) and the constraint of the EUM (and EUM
 * SubCA) above it. GSMA semantics (SGP.22 §4.5.2.1.0.2), not RFC 5280 matching: the
 * eUICC's O equals the constraint's O; the EID starts with the constraint's serialNumber
 * (Variant O) or with one of the v3 permittedEins.
 */
#include <string.h>

#include "rspg/rsp/eid.h"
#include "verify_internal.h"

/* The EUM constraint of CA certificate C: the permitted directoryNames' O and the EIN
 * prefixes (nameConstraints serialNumber first, then permittedEins), as text. */
struct constraint {
    char orgs[RSPG_CI_MAX][128];
    size_t n_orgs;
    char prefixes[2 * RSPG_CI_MAX][40];
    size_t n_prefixes;
};

static void read_constraint(const rspg_cert_info *ci, struct constraint *k)
{
    memset(k, 0, sizeof(*k));
    for (size_t i = 0; i < ci->n_nc_orgs; i++)
        if (rspg_cert_info_text(&ci->nc_orgs[i], k->orgs[k->n_orgs], sizeof(k->orgs[0])) == 0)
            k->n_orgs++;
    for (size_t i = 0; i < ci->n_nc_prefixes; i++)
        if (rspg_cert_info_text(&ci->nc_prefixes[i], k->prefixes[k->n_prefixes],
                                sizeof(k->prefixes[0])) == 0)
            k->n_prefixes++;
    for (size_t i = 0; i < ci->n_eins; i++)
        if (rspg_cert_info_text(&ci->eins[i], k->prefixes[k->n_prefixes], sizeof(k->prefixes[0])) ==
            0)
            k->n_prefixes++;
}

/* Does CA certificate CA's constraint admit the eUICC (EID, ORG)? -1 after a failure. */
static int within(struct vctx *x, const struct vcert *ca, const char *eid, const char *org)
{
    struct vcert *c = x->chain[0];
    struct constraint k;
    read_constraint(&ca->ci, &k);
    int org_ok = k.n_orgs == 0;
    for (size_t j = 0; j < k.n_orgs; j++)
        org_ok |= strcmp(k.orgs[j], org) == 0;
    if (!org_ok)
        return rspg_vx_fail(x, RSPG_V_EUM_CONSTRAINT, c,
                            "the O '%s' of '%s' is not the one '%s' permits ('%s')", org, c->name,
                            ca->name, k.orgs[0]);
    if (k.n_prefixes == 0)
        return 0;
    for (size_t j = 0; j < k.n_prefixes; j++)
        if (rspg_eid_has_prefix(eid, k.prefixes[j]))
            return 0;
    return rspg_vx_fail(x, RSPG_V_EUM_CONSTRAINT, c,
                        "EID %s of '%s' is outside the EIN prefix %s that '%s' permits", eid,
                        c->name, k.prefixes[0], ca->name);
}

int rspg_vx_check_euicc(struct vctx *x)
{
    struct vcert *c = x->chain[0];
    char eid[64], org[128];
    if (rspg_cert_info_text(&c->ci.subject_serial, eid, sizeof(eid)) != 0)
        return rspg_vx_fail(x, RSPG_V_EID, c,
                            "the eUICC certificate '%s' has no EID (subject serialNumber)",
                            c->name);
    rspg_eid_error ee = rspg_eid_check(eid);
    if (ee != RSPG_EID_OK)
        return rspg_vx_fail(x, RSPG_V_EID, c, "EID %s of '%s' is invalid: %s", eid, c->name,
                            rspg_eid_error_text(ee));
    if (rspg_cert_info_text(&c->ci.subject_o, org, sizeof(org)) != 0)
        org[0] = '\0';
    for (size_t i = 1; i < x->len; i++)
        if (rspg_cert_info_constrains(&x->chain[i]->ci) && within(x, x->chain[i], eid, org) != 0)
            return -1;
    return 0;
}
