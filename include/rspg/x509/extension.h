/*
 * extension.h: what a certificate is issued from (rspg_tbs_input: the entity, its
 * substitutions, the subject key, the issuer's name and key identifier, serial and validity)
 * and the DER of one of its extensions, written exactly as the profile gives it (RFC 5280
 * §4.2; SGP.22 v3 permittedEins).
 *
 * Ownership: the input borrows everything it points to; encoders append to caller-owned
 * buffers. Thread safety: no shared state.
 */
#ifndef RSPG_EXTENSION_H
#define RSPG_EXTENSION_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/name.h"

typedef struct rspg_tbs_input {
    const rspg_entity *entity;
    rspg_subst subst;
    const rspg_key *subject_key;
    const uint8_t *issuer_name; /* DER of the issuer's Name; NULL: the subject (self-signed) */
    size_t issuer_name_len;
    const uint8_t *issuer_key_id; /* for authorityKeyIdentifier */
    size_t issuer_key_id_len;
    const uint8_t *serial; /* big-endian magnitude */
    size_t serial_len;
    int64_t not_before, not_after;
} rspg_tbs_input;

/* DER of one Extension (SEQUENCE { extnID, critical if TRUE, extnValue }). */
rspg_status rspg_encode_extension(const rspg_ext *e, const rspg_tbs_input *in, rspg_diag *d,
                                  rspg_buf *out);

#endif
