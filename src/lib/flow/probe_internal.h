/*
 * probe_internal.h: what probe_flow.c and probe_cases.c share: one case of the conformance
 * run with its inputs read from the build.
 */
#ifndef RSPG_PROBE_INTERNAL_H
#define RSPG_PROBE_INTERNAL_H

#include <jansson.h>

#include "rspg/base/buf.h"
#include "rspg/crypto/key.h"
#include "rspg/flow/probe_flow.h"

typedef struct probe_case {
    char *id;
    const char *curve; /* "NIST" / "BRP" */
    char *euicc_path, *key_path;
    char *eum_key_path;      /* the issuer's key (the valid case: to re-sign the expired one) */
    rspg_buf euicc, eum, ci; /* DER */
    rspg_buf chain[4];       /* the issuers above the EUM (EUM SubCA cases), DER */
    char *chain_path[4];     /* their paths in the build (the verifier's names) */
    char *eum_path;          /* the eUICC's issuer's path */
    size_t n_chain;
    int corrupt_signature1, wrong_challenge;
    int v3;                /* the variant uses the v3 arc (not Variant O) */
    int template_only;     /* the valid eUICC, loaded for the injected cases only */
    char *manifest_reason; /* the manifest's reason (NULL for the valid case) */
} probe_case;

typedef struct probe_cases {
    probe_case *v;
    size_t n;
    char *ci_pem[2]; /* the CI certificates (PEM paths) of NIST, BRP: the TLS trust anchors */
} probe_cases;

/* Reads the eUICC cases of the build O->pki_dir for O->variant and O->curves (plus the
 * injected ones, the expired eUICC made for the time NOW), filtered by O->cases. */
rspg_status probe_cases_load(const rspg_probe_options *o, int64_t now, rspg_diag *d,
                             probe_cases *out);
void probe_cases_free(probe_cases *pc);
/* The eUICC certificate EUICC with notAfter a day before NOW, re-signed with the key at
 * EUM_KEY_PATH, into OUT (probe_expired.c). */
rspg_status probe_expired_euicc(const rspg_buf *euicc, const char *eum_key_path, int64_t now,
                                rspg_diag *d, rspg_buf *out);
/* What SGP.22 requires of the server for case C at TIME: accept, or the rulebook's ES9+ status
 * of the fault rsp-pkigen's verifier finds; NOTE gets a remark when the verifier's reason is
 * not the manifest's. */
void probe_case_expect(const probe_case *c, int64_t time, rspg_probe_expect *e, char *note,
                       size_t cap);

/* The row tls/server-certificate (probe_tls.c): with an https:// URL, the server's TLS chain
 * read with the transport options EO and judged at NOW into OUT (OUT->checked 0 for http://).
 * RSPG_E_IO (one message in D) when no handshake can be made; RSPG_E_INPUT for a build whose
 * manifest cannot be read. */
rspg_status probe_tls_run(const rspg_probe_options *o, const rspg_es9_options *eo, int64_t now,
                          rspg_diag *d, rspg_probe_tls *out);

#endif
