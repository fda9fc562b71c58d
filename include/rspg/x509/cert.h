/*
 * cert.h: X.509 v3 certificate encoding (RFC 5280 §4.1). The TBSCertificate is written
 * field by field from a profile entity: exactly the extensions it lists, in its order,
 * critical only where asked; nothing is added implicitly.
 *
 * Ownership: encoders append to caller-owned buffers and borrow the profile entity.
 * Thread safety: no shared state.
 */
#ifndef RSPG_CERT_H
#define RSPG_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/extension.h"
#include "rspg/x509/name.h"

/* DER of the TBSCertificate. */
rspg_status rspg_encode_tbs(const rspg_tbs_input *in, rspg_diag *d, rspg_buf *out);
/* Signs TBS with KEY (ecdsa-with-SHA256) and writes the Certificate DER to OUT. */
rspg_status rspg_cert_sign(const uint8_t *tbs, size_t tbs_len, const rspg_key *key,
                           rspg_nonce nonce, rspg_diag *d, rspg_buf *out);
/* Wraps TBS and a DER signature value into a Certificate. */
void rspg_cert_assemble(const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len,
                        rspg_buf *out);

#define RSPG_OID_ECDSA_SHA256 "1.2.840.10045.4.3.2"

#endif
