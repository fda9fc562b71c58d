/*
 * pem.h: PEM armour (RFC 7468): base64 in 64-character lines between BEGIN/END labels.
 *
 * Ownership: output goes to caller-owned buffers. Thread safety: no shared state.
 */
#ifndef RSPG_PEM_H
#define RSPG_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"

/* Appends the PEM form of DER under LABEL (e.g. "CERTIFICATE") to OUT. */
void rspg_pem_encode(const char *label, const uint8_t *der, size_t len, rspg_buf *out);
/* Finds the first block labelled LABEL in TEXT and appends its DER to OUT; -1 if none or
 * malformed. */
int rspg_pem_decode(const uint8_t *text, size_t len, const char *label, rspg_buf *out);
/* Does DATA hold PEM armour ("-----BEGIN" anywhere)? */
int rspg_pem_present(const uint8_t *data, size_t len);
/* DATA as DER appended to OUT: the first PEM block labelled LABEL when DATA is PEM, else DATA
 * itself. -1 when DATA is PEM without a decodable LABEL block. */
int rspg_pem_or_der(const uint8_t *data, size_t len, const char *label, rspg_buf *out);
/* Reads a certificate (or other object) file as DER: PEM with LABEL is decoded, anything
 * else is taken as DER. Returns -1 when the file cannot be read. */
int rspg_read_der_file(const char *path, const char *label, rspg_buf *out);

#endif
