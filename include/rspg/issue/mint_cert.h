/*
 * mint_cert.h: what minting needs to know about a CA certificate (the issuer, or one of the
 * --chain certificates above it), read through the single certificate reader
 * (x509/cert_info.h): its RSP role and arc from certificatePolicies (SGP.22 §4.5.2.1), the EIN
 * prefixes an EUM permits (nameConstraints directoryName serialNumber for Variant O,
 * SGP.22 §4.5.2.1.0.2; permittedEins for v3, SGP.22 v3 §4.5.2.1.0.3), and whether it is
 * self-signed (a root).
 */
#ifndef RSPG_MINT_CERT_H
#define RSPG_MINT_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/x509/x509.h"

#define RSPG_MINT_MAX_EINS 8
#define RSPG_MINT_EIN_CAP 40

typedef struct rspg_mint_cert_info {
    rspg_x509 x; /* the strict reader's view (points into the caller's buffer) */
    int role;    /* rspg_role of the first RSP policy OID, or -1 when none */
    int v3;      /* that policy is on the v3 arc */
    char eins[RSPG_MINT_MAX_EINS][RSPG_MINT_EIN_CAP]; /* permitted EIN prefixes */
    size_t n_eins;                                    /* 0: the certificate constrains no EID */
    int self_signed;                                  /* subject == issuer */
} rspg_mint_cert_info;

/* Reads the certificate DER (LEN bytes) into *OUT. Returns RSPG_OK, or RSPG_E_INPUT with
 * "WHAT: reason" in D when it is not a strict DER certificate (rspg_cert_info_read, strict). */
rspg_status rspg_mint_read_cert(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                                rspg_mint_cert_info *out);

#endif
