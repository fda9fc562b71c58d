/*
 * dn_attr.h: the distinguished-name attribute types rsp-pkigen names (RFC 5280 §4.1.2.4 and
 * Appendix A; RFC 4519): their short names, OIDs and the DER string type SGP.26 and RFC 5280
 * use for them (C and serialNumber PrintableString, emailAddress and DC IA5String, the rest
 * UTF8String). One table for the profile reader (name -> OID and type), show and lint
 * (OID -> name).
 *
 * Ownership: the table is static. Thread safety: read-only.
 */
#ifndef RSPG_DN_ATTR_H
#define RSPG_DN_ATTR_H

#include "rspg/asn1/der.h"

typedef struct rspg_dn_attr {
    const char *name; /* e.g. "CN", "serialNumber" */
    const char *oid;  /* dotted (oid.h) */
    int der_tag; /* the string type written: RSPG_DER_UTF8STRING, _PRINTABLESTRING, _IA5STRING */
    int profile_key; /* a profile may name it (subject: [{NAME: value}]) */
} rspg_dn_attr;

/* The attribute called NAME (case-sensitive), or NULL. */
const rspg_dn_attr *rspg_dn_attr_by_name(const char *name);
/* The attribute whose OID is the OID TLV's contents, or NULL. */
const rspg_dn_attr *rspg_dn_attr_by_oid(const rspg_der_tlv *oid);

#endif
