/*
 * crl.h: X.509 v2 CRL encoding (RFC 5280 §5): version v2, ecdsa-with-SHA256, the
 * issuer's Name, thisUpdate/nextUpdate, the revoked serials with their dates and
 * optional reasonCode, and the CRL extensions authorityKeyIdentifier (keyIdentifier
 * only) and cRLNumber.
 *
 * Ownership: encoders append to caller-owned buffers. Thread safety: no shared state.
 */
#ifndef RSPG_CRL_H
#define RSPG_CRL_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"

typedef struct rspg_crl_entry {
    const uint8_t *serial; /* big-endian magnitude */
    size_t serial_len;
    int64_t date;
    int reason_code; /* RFC 5280 §5.3.1 CRLReason, or -1 for none */
} rspg_crl_entry;

typedef struct rspg_crl_input {
    const uint8_t *issuer_name; /* DER Name */
    size_t issuer_name_len;
    const uint8_t *issuer_key_id;
    size_t issuer_key_id_len;
    int64_t this_update, next_update;
    uint64_t number;
    const rspg_crl_entry *entries;
    size_t n_entries;
} rspg_crl_input;

/* DER of the TBSCertList; -1 when a time is out of range. */
int rspg_encode_crl_tbs(const rspg_crl_input *in, rspg_buf *out);

#endif
