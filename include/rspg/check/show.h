/*
 * show.h: a readable summary of one RSP certificate (RFC 5280 §4.1 fields and the
 * extensions SGP.22 §4.5.2 uses): the role from its policy OID (SGP.22 §4.5.2.1) and the
 * variant arc, subject and issuer (RFC 4514-like, in DER attribute order), serial,
 * validity (RFC 3339) and its length in days, curve, SKI/AKI, policies with role names,
 * subjectAltName, CRL distribution points, basicConstraints, key usage and EKU names, the
 * EUM constraint (nameConstraints directoryName O + serialNumber EIN prefix in Variant
 * O; permittedEins in v3) and, for eUICCs, the EID with its check digits (SGP.29 §10).
 *
 * The library returns the text (or JSON) in a buffer; it never prints.
 */
#ifndef RSPG_SHOW_H
#define RSPG_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"

typedef struct rspg_show_options {
    int json; /* 1: a JSON object (the same facts as the text) */
} rspg_show_options;

/* Appends the summary of the certificate DATA (DER, or PEM "CERTIFICATE") to OUT, which
 * stays NUL-terminated (the NUL is not counted in OUT->len). Returns RSPG_OK, or
 * RSPG_E_PROFILE with a message in D when DATA is not a strict DER certificate. */
rspg_status rspg_show_cert(const uint8_t *data, size_t len, const rspg_show_options *o,
                           rspg_buf *out, rspg_diag *d);
/* The same for a file; RSPG_E_IO when it cannot be read. */
rspg_status rspg_show_file(const char *path, const rspg_show_options *o, rspg_buf *out,
                           rspg_diag *d);

#endif
