/*
 * rulebook.h: every SGP.22 / SGP.26 / SGP.32 / SGP.02 rule rsp-pkigen enforces, as data.
 *
 * One place answers "what must a certificate of role R in arc A look like, who may issue
 * it, and what error does a validator report when it is not so": verify, lint, show, the
 * CVC checks and the static profile check (profile/validate.h) read these tables and hold
 * no rule of their own. The tables (rulebook.c) cite their sources.
 *
 *   - role rules: policy OID and criticality per arc (v2 = Variant O, v3 = Ov3/A/B/C),
 *     CA flag, pathLen, key usage, EKU, validity lengths, SAN registeredID, the validator
 *     (interface) that judges a chain ending in the role;
 *   - extension profiles: the ordered extension list with criticality, per role and arc;
 *   - may-issue: which role may sign which (SGP.22 §2.6.1);
 *   - curves: the curves SGP.22 §2.6.5 allows;
 *   - violations: each check, the name of the rule, the verdict's check word and source;
 *   - reasons: per validator and violation, the SGP.22 error name and, where a source gives
 *     them, the ES9+ subjectCode/reasonCode.
 *
 * Adding a role or variant means adding rows (one per table), not code paths;
 * tests/test_rulebook.c checks that every role has its rows.
 */
#ifndef RSPG_RULEBOOK_H
#define RSPG_RULEBOOK_H

#include "rspg/asn1/oid.h"
#include "rspg/rsp/role.h"

/* ---- the arcs ---- */

enum { RSPG_ARC_V2 = 0, RSPG_ARC_V3 = 1, RSPG_ARC_ANY = 2 };

/* ---- the extensions the rules name ---- */

typedef enum rspg_xid {
    RSPG_XID_NONE = 0, /* not one of these (and the end of a profile row) */
    RSPG_XID_SKI,
    RSPG_XID_AKI,
    RSPG_XID_BC,
    RSPG_XID_KU,
    RSPG_XID_EKU,
    RSPG_XID_CP,
    RSPG_XID_SAN,
    RSPG_XID_CRLDP,
    RSPG_XID_NC,
    RSPG_XID_EINS,
    RSPG_XID_COUNT
} rspg_xid;

typedef struct rspg_ext_def {
    const char *oid;  /* dotted (oid.h) */
    const char *name; /* RFC 5280 name, e.g. "keyUsage" */
    const char *abbr; /* short form, e.g. "KU" */
} rspg_ext_def;

/* The definition of extension ID (NULL for RSPG_XID_NONE or out of range). */
const rspg_ext_def *rspg_ext_def_of(rspg_xid id);
/* The id of a dotted extension OID; RSPG_XID_NONE when the rules do not know it. */
rspg_xid rspg_ext_by_oid(const char *dotted);

/* ---- role rules ---- */

/* Which validator judges a chain whose leaf has the role (selects the error names). */
typedef enum rspg_validator {
    RSPG_VALIDATOR_UNKNOWN,    /* the leaf's role is unknown */
    RSPG_VALIDATOR_ES9_CLIENT, /* SM-DP+ in ES9+ AuthenticateClient (eUICC side) */
    RSPG_VALIDATOR_ES10B_AUTH, /* eUICC in ES10b AuthenticateServer (DPauth, DSauth) */
    RSPG_VALIDATOR_ES10B_PB,   /* eUICC in ES10b PrepareDownload (DPpb) */
    RSPG_VALIDATOR_LPA_TLS,    /* the LPA's TLS check, and CA / eIM certificates */
    RSPG_VALIDATOR_CRL,        /* a CRL's own check (ES10b LoadCRL) */
    RSPG_VALIDATOR_CVC,        /* an SGP.02 card certificate (GP Amd E / SGP.02 §2.3) */
    RSPG_VALIDATOR_COUNT
} rspg_validator;

#define RSPG_PATHLEN_ABSENT (-1) /* basicConstraints without pathLenConstraint */
#define RSPG_PATHLEN_NA (-2)     /* no basicConstraints rule (end entity, or no such arc) */

typedef struct rspg_role_rule {
    rspg_role role;
    const char *oid_v2; /* Variant O policy, or NULL where the role does not exist in v2 */
    const char *oid_v3; /* Variants Ov3/A/B/C policy, or NULL */
    int is_ca;
    unsigned ku_required;   /* RSPG_KU_* bits that must be set */
    unsigned ku_allowed;    /* bits that may be set */
    int policy_critical_v2; /* 1 critical, 0 non-critical */
    int policy_critical_v3;
    int tls;         /* needs EKU serverAuth (and carries clientAuth) */
    int path_len_v2; /* pathLenConstraint SGP.26 writes (RSPG_PATHLEN_*) */
    int path_len_v3;
    const char *san_rid_v2; /* SGP.26's SAN registeredID of the first instance; NULL none */
    const char *san_rid_v3;
    const long *validity_days; /* SGP.26 lengths, 0-terminated; NULL: no rule */
    rspg_validator validator;  /* who judges a chain ending in this role */
    const char *cvc_key_usage; /* SGP.02 CVC default key usage (tag 95) in hex; NULL for X.509 */
    const char *source;
} rspg_role_rule;

/* The rule of ROLE; NULL when out of range. */
const rspg_role_rule *rspg_rule_for(rspg_role role);
/* The policy OID of ROLE in arc V3 (0/1); NULL when the role has none there. */
const char *rspg_rule_policy_oid(rspg_role role, int v3);
/* Must the certificatePolicies extension of ROLE in arc V3 be critical? */
int rspg_rule_policy_critical(rspg_role role, int v3);
/* The role (and arc: *V3 = 1 for the nested v3 arc) of a policy OID; -1 when none. */
int rspg_role_from_policy(const char *oid, rspg_role *role, int *v3);
/* May a certificate of role ISSUER sign one of role SUBJECT? (SGP.22 §2.6.1, SGP.02 §2.3) */
int rspg_role_may_issue(rspg_role issuer, rspg_role subject);
/* Does the role belong to the eUICC side (EUM, EUM SubCA, eUICC)? */
int rspg_role_is_euicc_side(rspg_role role);
/* Is the role a CA (basicConstraints cA TRUE)? (also declared in role.h) */
int rspg_role_is_ca(rspg_role r);

/* ---- extension profiles (the GSMA order and criticality) ---- */

#define RSPG_PROFILE_MAX_EXTS 12

typedef struct rspg_ext_slot {
    unsigned char ext; /* rspg_xid; RSPG_XID_NONE ends the row */
    unsigned char critical;
} rspg_ext_slot;

typedef struct rspg_ext_profile {
    rspg_role role;
    int arc; /* RSPG_ARC_* */
    const char *source;
    rspg_ext_slot exts[RSPG_PROFILE_MAX_EXTS];
} rspg_ext_profile;

/* The profile row of ROLE in arc V3; a v3-only role asked for in v2 gets its v3 row; NULL
 * when the role has none (SGP.02 card certificates). */
const rspg_ext_profile *rspg_ext_profile_for(rspg_role role, int v3);
/* The slot of extension ID in row P (its criticality), or NULL when P does not list it. */
const rspg_ext_slot *rspg_ext_profile_slot(const rspg_ext_profile *p, rspg_xid id);
/* Row number I (for tests and docs); NULL past the end. */
const rspg_ext_profile *rspg_ext_profile_at(unsigned i);

/* ---- extensions a certificate of a role must carry (what verify requires) ---- */

/* The rspg_xid bits (1u << id) of the extensions a valid certificate of ROLE in arc V3
 * must carry: keyUsage always, basicConstraints for a CA, certificatePolicies when the role
 * has a policy in the arc, extendedKeyUsage for TLS, and the extra rows of `required`
 * (nameConstraints for the EUM, SGP.22 §4.5.2.1.0.2). 0 for card certificates. */
unsigned rspg_rule_required_exts(rspg_role role, int v3);

/* ---- curves ---- */

/* Does SGP.22 §2.6.5 allow the named curve (dotted OID)? */
int rspg_rule_curve_allowed(const char *curve_oid);
/* The allowed curves' OIDs, NULL-terminated. */
const char *const *rspg_rule_curves(void);

/* ---- violations and the errors they cause ---- */

typedef enum rspg_violation {
    RSPG_V_UNKNOWN_CI,
    RSPG_V_SIGNATURE,
    RSPG_V_EXPIRED,
    RSPG_V_NOT_YET_VALID,
    RSPG_V_CURVE,
    RSPG_V_CURVE_MISMATCH,
    RSPG_V_CRITICAL,
    RSPG_V_BASIC_CONSTRAINTS,
    RSPG_V_PATH_LEN,
    RSPG_V_KEY_USAGE,
    RSPG_V_POLICY,
    RSPG_V_ISSUER_ROLE,
    RSPG_V_EKU,
    RSPG_V_REVOKED,
    RSPG_V_EID,
    RSPG_V_EUM_CONSTRAINT,
    RSPG_V_FORMAT,
    RSPG_V_MISSING_EXTENSION,
    RSPG_V_CRL_SIGNATURE,
    RSPG_V_CRL_TIME,
    RSPG_V_CRL_UNKNOWN_ISSUER,
    RSPG_V_CRL_FORMAT,
    RSPG_V_ISSUER_KEY_ID,
    RSPG_V_COUNT
} rspg_violation;

typedef struct rspg_violation_def {
    rspg_violation v;
    const char *rule;  /* the rule's name, e.g. "eid-check-digits" */
    const char *check; /* the verdict's check word, e.g. "eid" */
    const char *cite;  /* the spec section it comes from */
} rspg_violation_def;

const rspg_violation_def *rspg_violation_def_of(rspg_violation v);
/* The violation whose verdict check word is CHECK (the first); -1 when none. */
int rspg_violation_by_check(const char *check, rspg_violation *out);

/* Flags of a reason row: it applies only when ... */
enum {
    RSPG_WHEN_LEAF = 1,  /* the failing certificate is the leaf */
    RSPG_WHEN_V3 = 2,    /* the chain uses the v3 arc */
    RSPG_WHEN_EUICC = 4, /* the failing certificate is the eUICC's */
    RSPG_WHEN_OTHER = 8, /* the failing certificate is not the eUICC's */
};

typedef struct rspg_reason_row {
    rspg_validator validator;
    int violation;            /* rspg_violation, or -1: any (the validator's default) */
    unsigned when;            /* RSPG_WHEN_* conditions */
    const char *reason;       /* the SGP.22 error name, e.g. "euiccCertificateInvalid" */
    const char *subject_code; /* ES9+ subjectCode (SGP.22 §5.6.2); NULL where no source gives it */
    const char *reason_code;  /* ES9+ reasonCode; NULL likewise */
    const char *cite;
} rspg_reason_row;

/* The row that decides the error of violation V found by validator W; WHEN holds the
 * RSPG_WHEN_* facts that are true. Never NULL for a valid validator. */
const rspg_reason_row *rspg_rule_reason(rspg_validator w, rspg_violation v, unsigned when);
/* The validator of a chain whose leaf has role LEAF (or RSPG_VALIDATOR_UNKNOWN when
 * LEAF_KNOWN is 0). */
rspg_validator rspg_rule_validator(int leaf_known, rspg_role leaf);
/* Row number I of the reason table; NULL past the end. */
const rspg_reason_row *rspg_reason_row_at(unsigned i);

/* ---- ES9+ AuthenticateClient faults of the eUICC's own proof (not of a certificate) ---- */
/* A certificate fault's ES9+ status is rspg_rule_reason(RSPG_VALIDATOR_ES9_CLIENT, ...); these
 * are the faults a probe injects into the session itself (SGP.22 §5.6.3). */
typedef enum rspg_es9_fault {
    RSPG_ES9_FAULT_EUICC_SIGNATURE1, /* euiccSignature1 does not verify */
    RSPG_ES9_FAULT_SERVER_CHALLENGE, /* euiccSigned1 carries another serverChallenge */
    RSPG_ES9_FAULT_COUNT
} rspg_es9_fault;
/* The SGP.22 error and ES9+ subjectCode/reasonCode of fault F; NULL when out of range. */
const rspg_reason_row *rspg_rule_es9_fault(rspg_es9_fault f);

#endif
