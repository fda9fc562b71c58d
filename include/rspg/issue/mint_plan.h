/*
 * mint_plan.h: what a mint run issues, decided from the profile and the issuer before
 * anything is minted: the eUICC template (the profile's eUICC entity for the issuer's
 * role and variant arc, SGP.22 §4.5.2.1), the curve of the eUICC keys (crypto/curve.h),
 * the name the profile gives that curve in file names (its ${CURVE} suffix), and the EID
 * range (inside the issuer's EIN prefix, mint.h).
 */
#ifndef RSPG_MINT_PLAN_H
#define RSPG_MINT_PLAN_H

#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/issue/mint_cert.h"
#include "rspg/profile/profile.h"

typedef struct rspg_mint_plan {
    const rspg_entity *tmpl;  /* the eUICC template (borrowed from the profile) */
    const rspg_curve *curve;  /* the eUICC keys' curve */
    const char *curve_suffix; /* the profile's ${CURVE} for it (e.g. "NIST"), else its name */
    int issuer_role;          /* rspg_role of the issuer, from its policy */
    int v3;                   /* the issuer's policy is on the v3 arc */
} rspg_mint_plan;

/* The template: entity TEMPLATE_ID when given (it must be an euicc entity), else the first
 * valid eUICC of P whose issuer has ISSUER_ROLE (-1: any) and whose variant arc is V3
 * (Variant O: v2; Ov3, A, B, C: v3). RSPG_E_USAGE when there is none. */
rspg_status rspg_mint_pick_template(const rspg_profile *p, const char *template_id, int issuer_role,
                                    int v3, rspg_diag *d, const rspg_entity **out);

/* The profile's ${CURVE} value for curve C (its `suffix`), or C's OpenSSL name when the
 * profile does not list C. */
const char *rspg_mint_curve_suffix(const rspg_profile *p, const rspg_curve *c);

/* Plans a run: the issuer (ISSUER, read with rspg_mint_read_cert) must be an EUM or EUM
 * SubCA by its policy; the template as rspg_mint_pick_template; the curve CURVE_NAME (any
 * alias of curve.h) or else the issuer key's; and the range FIRST_EID + COUNT inside the
 * issuer's EIN prefix. RSPG_E_USAGE with the reason in D otherwise. */
rspg_status rspg_mint_plan_make(const rspg_profile *p, const rspg_mint_cert_info *issuer,
                                const uint8_t *issuer_der, size_t issuer_len,
                                const rspg_key *issuer_key, const char *template_id,
                                const char *curve_name, const char *first_eid, uint64_t count,
                                rspg_diag *d, rspg_mint_plan *out);

#endif
