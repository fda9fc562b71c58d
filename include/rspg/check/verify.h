/*
 * verify.h: validation as an eUICC, an SM-DP+ or an LPA performs it (SGP.22 §4.5.2.2 and
 * §5; RFC 5280 §6 where SGP.22 defers to it), with the SGP.22 error each failure maps to.
 *
 * A verifier holds a pool of certificates (some marked as trust anchors, i.e. the CIs the
 * validator knows) and CRLs, and a time. rspg_verifier_check builds the paths of one
 * certificate by issuer name and AKI/SKI up to a root and checks each, from the root down:
 * signatures, validity, supported and consistent curves (P-256, brainpoolP256r1), unknown
 * critical extensions, basicConstraints and pathLen, key usage, the role's policy OID and
 * its criticality for the variant's arc (v2 for Variant O, the nested v3 arc for
 * Ov3/A/B/C), that each issuer's role may issue its subject's role, extended key usage of
 * TLS certificates, revocation by the CRLs of each issuer, and for eUICC certificates the
 * EID (32 digits, ISO/IEC 7064 MOD 97-10 check digits) and the EUM's constraint (GSMA
 * semantics: O equal and EID prefix from nameConstraints (Variant O) or permittedEins (v3)).
 */
#ifndef RSPG_VERIFY_H
#define RSPG_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"
#include "rspg/rsp/verdict.h"

typedef struct rspg_verifier rspg_verifier;

/* The most candidate paths rspg_verifier_check judges for one certificate. */
#define RSPG_VERIFY_MAX_PATHS 32

/* A new verifier checking validity at TIME (Unix seconds). Free with rspg_verifier_free. */
rspg_verifier *rspg_verifier_new(int64_t time);
void rspg_verifier_free(rspg_verifier *v);

/* Adds a certificate (DER, or PEM "CERTIFICATE") named NAME. TRUST_ANCHOR: a root the
 * validator trusts. ROLE: its expected role, or -1 to take it from its policy OID.
 * Returns its index, or -2 (RSPG_E_INPUT in D) when it is not a certificate (not PEM, not
 * strict DER, or refused by cert_info.h: duplicated extension, bad serial). */
int rspg_verifier_add_cert(rspg_verifier *v, const char *name, const uint8_t *data, size_t len,
                           int trust_anchor, int role, rspg_diag *d);
/* Adds a CRL (DER, or PEM "X509 CRL"); returns its index, or -2 when it is not a CRL. */
int rspg_verifier_add_crl(rspg_verifier *v, const char *name, const uint8_t *data, size_t len,
                          rspg_diag *d);
/* Reads a file and adds it as a certificate (or a CRL); returns the index, -1 when the file
 * cannot be read (RSPG_E_IO), -2 when it is not a certificate (CRL). */
int rspg_verifier_add_cert_file(rspg_verifier *v, const char *path, int trust_anchor, int role,
                                rspg_diag *d);
int rspg_verifier_add_crl_file(rspg_verifier *v, const char *path, rspg_diag *d);

/* Validates certificate INDEX. Its candidate paths (every issuer that matches by name and
 * AKI/SKI at each step, most preferred first: signature verifies, trust anchor, pool order)
 * are judged depth first until one validates (RFC 5280 §6, RFC 4158): OUT is that path's
 * verdict, else the first path's; OUT->chain names the path judged. At most
 * RSPG_VERIFY_MAX_PATHS paths are judged (then the first path's verdict stands). */
void rspg_verifier_check(rspg_verifier *v, int index, rspg_verdict *out);
/* The number of candidate paths the last rspg_verifier_check judged (0 for a bad index). */
size_t rspg_verifier_paths_tried(const rspg_verifier *v);
/* Validates CRL INDEX: parsed, signed by a certificate of the pool whose subject is its
 * issuer, current at the verifier's time. */
void rspg_verifier_check_crl(rspg_verifier *v, int index, rspg_verdict *out);

typedef struct rspg_verify_options {
    int has_time; /* check validity at TIME; default: the manifest's clock */
    int64_t time;
    int64_t expiring_within; /* > 0: the expiry watch of verify_dir: every certificate, card
                                certificate and CRL the manifest expects valid whose notAfter
                                (CRL: nextUpdate) is before NOW + this many seconds */
    int64_t now;             /* the watch's reference time (Unix seconds), e.g. time(NULL) */
} rspg_verify_options;

/* One file the expiry watch lists: already expired when until < the watch's NOW. */
typedef struct rspg_expiring {
    char *path;
    const char *kind; /* "certificate", "cvc" or "crl" (static) */
    int64_t until;    /* notAfter, or the CRL's nextUpdate */
} rspg_expiring;

typedef struct rspg_verify_item {
    char *path;
    char *expect, *expect_reason;
    rspg_verdict verdict;
    int agrees;
} rspg_verify_item;

typedef struct rspg_verify_result {
    size_t certificates; /* certificates and CRLs checked */
    size_t agreed;       /* verdicts (and reasons) equal to the manifest's expectation */
    size_t disagreed;
    rspg_verify_item *items;
    size_t n_items;
    rspg_expiring *expiring; /* the expiry watch's findings (options.expiring_within) */
    size_t n_expiring;
} rspg_verify_result;

/* Verifies every certificate and CRL of the build folder DIR against its manifest.json:
 * trust anchors are the manifest's roots with trust_anchor true, roles come from the
 * manifest, each certificate's issuer is the certificate its manifest entry names (the
 * chain the case means, not any path through the folder), and every CRL of the folder is
 * used. Each verdict and reason is compared with
 * the manifest's expect and reason; disagreements are added to D as errors. Returns
 * RSPG_OK when all agree, RSPG_E_VERIFY when some disagree, another status when the folder
 * or its manifest cannot be read. With O->expiring_within, RES->expiring lists the files that
 * expire within the window (in manifest order; the verdicts are not affected: a caller
 * maps a non-empty list to its own status, `verify` to exit 3). Free RES with
 * rspg_verify_result_free. */
rspg_status rspg_verify_dir(const char *dir, const rspg_verify_options *o, rspg_diag *d,
                            rspg_verify_result *res);
void rspg_verify_result_free(rspg_verify_result *res);

#endif
