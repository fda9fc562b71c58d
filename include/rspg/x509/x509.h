/*
 * x509.h: a strict reader of the X.509 certificates rsp-pkigen deals with (RFC 5280
 * §4.1): it splits a DER certificate into the views the verifier and the tests need
 * without copying (every pointer points into the caller's buffer).
 */
#ifndef RSPG_X509_H
#define RSPG_X509_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/base/diag.h"

#define RSPG_X509_MAX_EXTS 32

typedef struct rspg_x509_ext {
    rspg_der_tlv oid; /* OID TLV */
    int critical;
    rspg_der_tlv value; /* OCTET STRING TLV (its contents are the extnValue) */
    rspg_der_tlv whole; /* the Extension SEQUENCE */
} rspg_x509_ext;

typedef struct rspg_x509 {
    rspg_der_tlv cert, tbs, sig_alg, sig; /* sig: the BIT STRING */
    int version;                          /* 2 for v3 */
    rspg_der_tlv serial, tbs_sig_alg, issuer, validity, subject, spki;
    int64_t not_before, not_after;
    rspg_der_tlv spki_alg_oid, spki_curve_oid; /* curve OID absent: len 0 */
    const uint8_t *pub; /* the subjectPublicKey bits (after the unused-bits byte) */
    size_t pub_len;
    rspg_x509_ext exts[RSPG_X509_MAX_EXTS];
    size_t n_exts;
} rspg_x509;

/* Parses DER strictly (the rules are listed at the top of x509.c: lengths, OIDs, Names,
 * BIT STRINGs, BOOLEANs, version, trailing data). Returns RSPG_OK, or RSPG_E_INPUT with the
 * reason ("not a DER certificate", "malformed TBSCertificate", ...) in D (which may be NULL). Most
 * callers want the decoded fields: x509/cert_info.h. */
rspg_status rspg_x509_read(const uint8_t *der, size_t len, rspg_x509 *out, rspg_diag *d);
/* rspg_x509_read with each message prefixed "NAME: " (the file or role it is about). */
rspg_status rspg_x509_read_named(const uint8_t *der, size_t len, const char *name, rspg_x509 *out,
                                 rspg_diag *d);
/* Are the content octets P, N a well-formed OID (X.690 §8.19: not empty, every arc minimal
 * and terminated, none longer than 9 octets)? 1 yes, 0 no. */
int rspg_x509_oid_ok(const uint8_t *p, size_t n);
/* Finds the extension with dotted OID; NULL when absent. */
const rspg_x509_ext *rspg_x509_find_ext(const rspg_x509 *c, const char *oid);
/* The key identifier of the SKI extension (*LEN = 0 when absent or malformed). */
const uint8_t *rspg_x509_ski(const rspg_x509 *c, size_t *len);
/* The keyIdentifier of the AKI extension (*LEN = 0 when absent or malformed). */
const uint8_t *rspg_x509_aki(const rspg_x509 *c, size_t *len);
/* The signature value (DER ECDSA-Sig-Value) inside the BIT STRING. */
const uint8_t *rspg_x509_sig_value(const rspg_x509 *c, size_t *len);

/* A CertificateList (RFC 5280 §5.1), as views into the caller's buffer. */
typedef struct rspg_x509_crl {
    rspg_der_tlv crl, tbs, sig_alg, sig, tbs_sig_alg, issuer;
    int version; /* 1 for v2 */
    int64_t this_update, next_update;
    int has_next_update;
    rspg_der_tlv revoked; /* SEQUENCE OF entries; len 0 when absent */
    int has_revoked;
    rspg_der_tlv extensions; /* [0] contents; len 0 when absent */
} rspg_x509_crl;

/* Parses a DER CRL strictly: RSPG_OK, or RSPG_E_INPUT with the reason in D (may be NULL). */
rspg_status rspg_crl_read(const uint8_t *der, size_t len, rspg_x509_crl *out, rspg_diag *d);
/* Is the INTEGER contents SERIAL (SERIAL_LEN bytes) listed? 1 yes, 0 no, -1 malformed. */
int rspg_crl_lists(const rspg_x509_crl *c, const uint8_t *serial, size_t serial_len);

#endif
