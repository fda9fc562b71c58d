/*
 * crl_internal.h: what crl_build.c (the CRLs of a build) shares with crl_renew.c (a build
 * folder's CRLs signed again): the file paths of a CRL definition and the signing of a
 * TBSCertList into those files (internal to the library).
 */
#ifndef RSPG_CRL_INTERNAL_H
#define RSPG_CRL_INTERNAL_H

#include "issue/build_internal.h"
#include "rspg/x509/crl.h"

/* The path of file F of CRL C signed by CA (its dir and file, ${CURVE} and ${VARIANT}
 * substituted); a new string. */
char *rspg_crl_path(const rspg_crl_def *c, const rspg_inst *ca, size_t f);
/* Encodes CI (RFC 5280 §5.1), signs it with CA's key and adds one artifact per file of C,
 * with what the manifest says of a CRL (dates, number, revoked serials). */
rspg_status rspg_crl_sign(rspg_builder *b, const rspg_crl_def *c, rspg_inst *ca,
                          const rspg_crl_input *ci);

#endif
