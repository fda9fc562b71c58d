/*
 * validate.c: the static rule check of a profile (see validate.h). Every rule and its
 * source come from the rulebook (rsp/rulebook.h), the same tables verify reads, so a
 * profile that passes here issues certificates that verify accepts on these points.
 */
#include "rspg/profile/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rspg/profile/cvc_spec.h"
#include "rspg/rsp/eid.h"
#include "rspg/rsp/rulebook.h"

/* The rulebook's id of a profile extension kind. */
static rspg_xid xid_of(rspg_ext_kind k)
{
    static const rspg_xid map[RSPG_EXT_COUNT] = {
        [RSPG_EXT_SKI] = RSPG_XID_SKI,
        [RSPG_EXT_AKI] = RSPG_XID_AKI,
        [RSPG_EXT_BASIC_CONSTRAINTS] = RSPG_XID_BC,
        [RSPG_EXT_KEY_USAGE] = RSPG_XID_KU,
        [RSPG_EXT_EXT_KEY_USAGE] = RSPG_XID_EKU,
        [RSPG_EXT_CERT_POLICIES] = RSPG_XID_CP,
        [RSPG_EXT_SAN] = RSPG_XID_SAN,
        [RSPG_EXT_CRL_DP] = RSPG_XID_CRLDP,
        [RSPG_EXT_NAME_CONSTRAINTS] = RSPG_XID_NC,
        [RSPG_EXT_PERMITTED_EINS] = RSPG_XID_EINS,
        [RSPG_EXT_RAW] = RSPG_XID_NONE,
    };
    return (unsigned)k < RSPG_EXT_COUNT ? map[k] : RSPG_XID_NONE;
}

static const rspg_ext *find_ext(const rspg_entity *e, rspg_xid id)
{
    for (size_t i = 0; i < e->n_exts; i++)
        if (xid_of(e->exts[i].kind) == id)
            return &e->exts[i];
    return NULL;
}

/* Reports violation V of entity E at LOC (the entity's when LOC has no line). */
static void report(rspg_diag *d, const rspg_entity *e, rspg_loc loc, rspg_violation v,
                   const char *fmt, ...) RSPG_PRINTF(5, 6);
static void report(rspg_diag *d, const rspg_entity *e, rspg_loc loc, rspg_violation v,
                   const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    const rspg_violation_def *def = rspg_violation_def_of(v);
    unsigned when =
        RSPG_WHEN_LEAF | (e->role == RSPG_ROLE_EUICC ? RSPG_WHEN_EUICC : RSPG_WHEN_OTHER);
    const rspg_reason_row *r = rspg_rule_reason(rspg_rule_validator(1, e->role), v, when);
    rspg_diag_add(d, RSPG_SEV_ERROR, loc.line ? loc : e->loc,
                  "entity '%s': %s (rule %s, %s): the certificate would be rejected as %s", e->id,
                  what, def->rule, def->cite, r ? r->reason : "invalidCertificate");
}

/* The arcs the entity's variants span: bit 0 v2 (Variant O), bit 1 v3; 3 when unknown. */
static unsigned arcs_of(const rspg_entity *e)
{
    unsigned arcs = 0;
    for (size_t i = 0; i < e->n_variants; i++)
        arcs |= strcmp(e->variants[i], "O") == 0 ? 1u : 2u;
    return arcs ? arcs : 3u;
}

/* SGP.22 §2.6.1: the issuer's role may issue the entity's. */
static void check_issuer(const rspg_profile *p, const rspg_entity *e, rspg_diag *d)
{
    const rspg_entity *iss = e->issuer ? rspg_profile_find(p, e->issuer) : NULL;
    if (iss && !rspg_role_may_issue(iss->role, e->role))
        report(d, e, e->issuer_loc, RSPG_V_ISSUER_ROLE,
               "its issuer '%s' is a %s, which may not issue a %s", iss->id,
               rspg_role_name(iss->role), rspg_role_name(e->role));
}

/* The required extensions, the key usage and the CA flag. */
static void check_extensions(const rspg_entity *e, unsigned arcs, rspg_diag *d)
{
    const rspg_role_rule *rule = rspg_rule_for(e->role);
    unsigned need = 0;
    for (int v3 = 0; v3 <= 1; v3++)
        if (arcs & (1u << v3))
            need |= rspg_rule_required_exts(e->role, v3);
    for (int id = RSPG_XID_NONE + 1; id < RSPG_XID_COUNT; id++)
        if ((need & (1u << id)) && find_ext(e, (rspg_xid)id) == NULL)
            report(d, e, e->loc, id == RSPG_XID_EKU ? RSPG_V_EKU : RSPG_V_MISSING_EXTENSION,
                   "a %s certificate needs %s, which the profile does not give it",
                   rspg_role_name(e->role), rspg_ext_def_of((rspg_xid)id)->name);
    const rspg_ext *ku = find_ext(e, RSPG_XID_KU);
    if (ku && ((ku->key_usage & rule->ku_required) != rule->ku_required ||
               (ku->key_usage & ~rule->ku_allowed) != 0))
        report(d, e, ku->loc, RSPG_V_KEY_USAGE, "its keyUsage does not fit a %s certificate (%s)",
               rspg_role_name(e->role),
               rule->is_ca ? "keyCertSign, optionally cRLSign" : "digitalSignature only");
    const rspg_ext *bc = find_ext(e, RSPG_XID_BC);
    if (bc && bc->ca != rule->is_ca)
        report(d, e, bc->loc, RSPG_V_BASIC_CONSTRAINTS, "basicConstraints cA is %s, but %s is %s",
               bc->ca ? "TRUE" : "FALSE", rspg_role_name(e->role),
               rule->is_ca ? "a CA role" : "an end-entity role");
    const rspg_ext *eku = find_ext(e, RSPG_XID_EKU);
    int server = 0;
    for (size_t i = 0; eku && i < eku->n_items; i++)
        server |= strcmp(eku->items[i], RSPG_OID_EKU_SERVER_AUTH) == 0;
    if (rule->tls && eku && !server)
        report(d, e, eku->loc, RSPG_V_EKU, "its extendedKeyUsage lacks serverAuth");
}

/* The role's policy OID for the arcs of its variants, with the rulebook's criticality. */
static void check_policy(const rspg_entity *e, unsigned arcs, rspg_diag *d)
{
    const rspg_ext *cp = find_ext(e, RSPG_XID_CP);
    if (cp == NULL)
        return; /* reported as a missing extension where the role needs one */
    for (int v3 = 0; v3 <= 1; v3++) {
        const char *want = rspg_rule_policy_oid(e->role, v3);
        if (!(arcs & (1u << v3)) || want == NULL)
            continue;
        int found = 0;
        for (size_t i = 0; i < cp->n_items; i++)
            found |= strcmp(cp->items[i], want) == 0;
        if (!found)
            report(d, e, cp->loc, RSPG_V_POLICY,
                   "its certificatePolicies lacks %s, the %s policy of %s", want,
                   rspg_role_name(e->role), v3 ? "Variants Ov3/A/B/C" : "Variant O");
        else if (cp->critical != rspg_rule_policy_critical(e->role, v3))
            report(d, e, cp->loc, RSPG_V_POLICY,
                   "its certificatePolicies is %scritical; SGP.22 makes "
                   "the %s policy %s",
                   cp->critical ? "" : "not ", rspg_role_name(e->role),
                   cp->critical ? "non-critical" : "critical");
    }
}

/* Is EID within the EIN prefixes of the constraining CAs above entity E? */
static void check_eid_range(const rspg_profile *p, const rspg_entity *e, const rspg_attr *a,
                            rspg_diag *d)
{
    const rspg_entity *ca = e->issuer ? rspg_profile_find(p, e->issuer) : NULL;
    for (int depth = 0; ca && depth < 8; depth++) {
        const char *prefixes[16];
        size_t n = 0;
        const rspg_ext *nc = find_ext(ca, RSPG_XID_NC), *eins = find_ext(ca, RSPG_XID_EINS);
        for (size_t i = 0; nc && i < nc->n_names; i++)
            for (size_t k = 0; nc->names[i].kind == RSPG_GN_DIRNAME && k < nc->names[i].dn.count;
                 k++)
                if (strcmp(nc->names[i].dn.attrs[k].oid, RSPG_OID_AT_SERIAL_NUMBER) == 0 && n < 16)
                    prefixes[n++] = nc->names[i].dn.attrs[k].value;
        for (size_t i = 0; eins && i < eins->n_items && n < 16; i++)
            prefixes[n++] = eins->items[i];
        int ok = n == 0;
        for (size_t i = 0; i < n; i++)
            ok |= rspg_eid_has_prefix(a->value, prefixes[i]);
        if (!ok)
            report(d, e, a->loc, RSPG_V_EUM_CONSTRAINT,
                   "EID %s is outside the EIN prefix %s that '%s' permits", a->value, prefixes[0],
                   ca->id);
        ca =
            ca->issuer && strcmp(ca->issuer, ca->id) != 0 ? rspg_profile_find(p, ca->issuer) : NULL;
    }
}

/* An eUICC's EID: the subject serialNumber, 32 digits with valid check digits (SGP.29 §10). */
static void check_eid(const rspg_profile *p, const rspg_entity *e, rspg_diag *d)
{
    const rspg_attr *a = NULL;
    for (size_t i = 0; i < e->subject.count && a == NULL; i++)
        if (e->subject.attrs[i].oid &&
            strcmp(e->subject.attrs[i].oid, RSPG_OID_AT_SERIAL_NUMBER) == 0)
            a = &e->subject.attrs[i];
    if (a == NULL) {
        report(d, e, e->loc, RSPG_V_EID,
               "an eUICC certificate needs its EID as subject serialNumber");
        return;
    }
    rspg_eid_error err = rspg_eid_check(a->value);
    if (err == RSPG_EID_BAD_CHECK_DIGITS)
        report(d, e, a->loc, RSPG_V_EID, "EID %s has wrong check digits", a->value);
    else if (err != RSPG_EID_OK)
        report(d, e, a->loc, RSPG_V_EID, "EID %s is invalid: %s", a->value,
               rspg_eid_error_text(err));
    else
        check_eid_range(p, e, a, d);
}

rspg_status rspg_profile_check_rules(const rspg_profile *p, rspg_diag *d)
{
    size_t before = d->errors;
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        if ((e->expect && strcmp(e->expect, "valid") != 0) || rspg_role_is_cvc(e->role))
            continue;
        unsigned arcs = arcs_of(e);
        check_issuer(p, e, d);
        check_extensions(e, arcs, d);
        check_policy(e, arcs, d);
        if (e->role == RSPG_ROLE_EUICC)
            check_eid(p, e, d);
    }
    return d->errors > before ? RSPG_E_PROFILE : RSPG_OK;
}
