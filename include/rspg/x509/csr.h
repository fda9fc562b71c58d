/*
 * csr.h: public keys the tool did not make (issue 17 item 1): a PKCS#10 certification
 * request (RFC 2986), whose self-signature is checked, or a bare SubjectPublicKeyInfo
 * (RFC 5280 §4.1.2.7, RFC 5480), in PEM or DER. The key must be on a curve rsp-pkigen knows
 * (curve.h); whether its role accepts that curve is the caller's rule (rulebook.h).
 *
 * The subject of a request can become a profile entity's subject (rspg_csr_subject_dn): one
 * attribute per RDN, UTF8String, PrintableString or IA5String values, as SGP.26 writes them.
 *
 * Ownership: an rspg_csr owns its key and subject (rspg_csr_free). Thread safety: no shared
 * state.
 */
#ifndef RSPG_CSR_H
#define RSPG_CSR_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"
#include "rspg/profile/profile.h"

typedef enum rspg_csr_kind {
    RSPG_CSR_REQUEST, /* a PKCS#10 request ("CERTIFICATE REQUEST") */
    RSPG_CSR_PUBLIC,  /* a SubjectPublicKeyInfo ("PUBLIC KEY") */
    RSPG_CSR_ANY,     /* either, told apart by its content */
} rspg_csr_kind;

typedef struct rspg_csr {
    rspg_csr_kind kind; /* what was read: RSPG_CSR_REQUEST or RSPG_CSR_PUBLIC */
    rspg_key key;       /* the public key (no private part) */
    rspg_buf subject;   /* a request's subject Name (DER); empty for a public key */
} rspg_csr;

/* Reads DATA (LEN bytes, PEM or DER) as KIND. A request's signature must verify under its own
 * key (ECDSA with SHA-256, -384 or -512). Statuses: RSPG_OK; RSPG_E_INPUT with "WHAT: reason"
 * in D when DATA is not such an object, its signature does not verify, or its key is not an EC
 * key on a known named curve. Free OUT with rspg_csr_free, also on failure. */
rspg_status rspg_csr_read(const uint8_t *data, size_t len, rspg_csr_kind kind, const char *what,
                          rspg_diag *d, rspg_csr *out);
/* rspg_csr_read of the file PATH; RSPG_E_IO when it cannot be read. */
rspg_status rspg_csr_read_file(const char *path, rspg_csr_kind kind, rspg_diag *d, rspg_csr *out);
void rspg_csr_free(rspg_csr *c);

/* The subject Name DER (LEN bytes) as a profile DN (attributes in order, with their string
 * types; "${" escaped so that no substitution applies). RSPG_E_INPUT when a RDN has several
 * attributes, an attribute type is unknown and not an OID, or a value is not UTF8String,
 * PrintableString or IA5String. OUT is replaced (free it with rspg_dn_free). */
rspg_status rspg_csr_subject_dn(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                                rspg_dn *out);
void rspg_dn_free(rspg_dn *dn);

#endif
