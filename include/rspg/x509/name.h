/*
 * name.h: a profile string after its built-in substitutions, and the DER of a distinguished
 * Name (RFC 5280 §4.1.2.4) written from a profile DN. Used by the TBSCertificate, extension
 * (directoryName, URIs) and CRL encoders.
 *
 * Ownership: rspg_subst_apply returns a new string (free with free()); encoders append to
 * caller-owned buffers and borrow the profile DN. Thread safety: no shared state.
 */
#ifndef RSPG_NAME_H
#define RSPG_NAME_H

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"

/* Values substituted for ${CURVE} and ${VARIANT}. */
typedef struct rspg_subst {
    const char *curve;
    const char *variant;
} rspg_subst;

/* Returns a new string with the built-in variables of S replaced. */
char *rspg_subst_apply(const rspg_subst *sub, const char *s);

/* DER of a Name: one attribute per RDN, in order, with each attribute's string type. */
rspg_status rspg_encode_name(const rspg_dn *dn, const rspg_subst *sub, rspg_diag *d, rspg_buf *out);

#endif
