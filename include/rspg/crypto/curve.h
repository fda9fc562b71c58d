/*
 * curve.h: the elliptic curves rsp-pkigen knows. SGP.22 supports NIST P-256 and
 * brainpoolP256r1 (§2.6.5); the others exist for SGP.26 section 4 invalid cases.
 *
 * Ownership: curve descriptors are static and live forever. Thread safety: read-only.
 */
#ifndef RSPG_CURVE_H
#define RSPG_CURVE_H

#include <stddef.h>
#include <stdint.h>

typedef struct rspg_curve {
    const char *name;   /* OpenSSL short name, e.g. "prime256v1" */
    const char *oid;    /* dotted OID */
    int nid;            /* OpenSSL NID */
    size_t field_bytes; /* size of a coordinate and of the private scalar */
    int rsp_supported;  /* accepted by SGP.22 eUICCs and LPAs */
} rspg_curve;

/* Looks up by OpenSSL short name or by alias (nist, p256, P-256, brp, brainpool, ...);
 * NULL when unknown. */
const rspg_curve *rspg_curve_find(const char *name);
const rspg_curve *rspg_curve_by_nid(int nid);
/* Looks up by the content octets of the namedCurve OID. */
const rspg_curve *rspg_curve_by_oid_der(const uint8_t *p, size_t n);
/* A comma-separated list of the known names, for messages. */
const char *rspg_curve_names(void);

#endif
