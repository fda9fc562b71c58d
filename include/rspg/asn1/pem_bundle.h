/*
 * pem_bundle.h: a PEM file of several objects (RFC 7468 §2 allows any number of blocks,
 * with text between them): a CA bundle, a full chain. Every block with the wanted label is
 * decoded, in order; blocks with other labels (a key, EC PARAMETERS) are skipped.
 *
 * Ownership: the list owns its buffers (rspg_der_list_free). No shared state.
 */
#ifndef RSPG_PEM_BUNDLE_H
#define RSPG_PEM_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"

typedef struct rspg_der_list {
    rspg_buf *items; /* the DER of each block, in file order */
    size_t n;
} rspg_der_list;

/* Appends to OUT the DER of every block labelled LABEL in TEXT. Returns the number found
 * (0: none), or -1 when a block with that label cannot be decoded (nothing appended then). */
int rspg_pem_split(const uint8_t *text, size_t len, const char *label, rspg_der_list *out);
void rspg_der_list_free(rspg_der_list *l);

#endif
