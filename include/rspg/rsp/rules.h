/*
 * rules.h: what SGP.22 requires of each certificate role (§4.5.2, as SGP.26 instantiates
 * it): the role's policy OID in Variant O (v2 arc) and in Variants Ov3/A/B/C (v3 nested
 * arc), whether the policy is critical, the key usage, the extended key usage of TLS
 * certificates, and which role may issue which.
 */
#ifndef RSPG_RULES_H
#define RSPG_RULES_H

#include "rspg/asn1/oid.h"
#include "rspg/rsp/role.h"

typedef struct rspg_role_rule {
    rspg_role role;
    const char *oid_v2;     /* Variant O policy, or NULL where the role does not exist in v2 */
    const char *oid_v3;     /* Variants Ov3/A/B/C policy, or NULL */
    int is_ca;
    unsigned ku_required;   /* RSPG_KU_* bits that must be set */
    unsigned ku_allowed;    /* bits that may be set */
    int policy_critical_v2; /* 1 critical, 0 non-critical */
    int policy_critical_v3;
    int tls;                /* needs EKU serverAuth (and carries clientAuth) */
} rspg_role_rule;

const rspg_role_rule *rspg_rule_for(rspg_role role);
/* The role (and arc: *V3 = 1 for the nested v3 arc) of a policy OID; -1 when none. */
int rspg_role_from_policy(const char *oid, rspg_role *role, int *v3);
/* May a certificate of role ISSUER sign one of role SUBJECT? (SGP.22 §2.6.1, v3 variants) */
int rspg_role_may_issue(rspg_role issuer, rspg_role subject);
/* Does the role belong to the eUICC side (EUM, EUM SubCA, eUICC)? */
int rspg_role_is_euicc_side(rspg_role role);

#endif
