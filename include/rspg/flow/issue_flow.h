/*
 * issue_flow.h: the `issue` command as one library call (issue 17 item 1): a key the tool did
 * not make, from a PKCS#10 request (its self-signature checked) or a public-key file, is
 * certified by a given CA certificate and key with exactly the SGP.26 profile of its role:
 * the first valid entity of that role and variant in the profile (by default sgp26.yaml),
 * issued under a matching issuer role on the key's curve, is the template (reissue.h, the
 * build's issuing code). The request's subject replaces the template's (a TLS template's
 * subjectAltName dNSName that repeats its CN follows the new CN), unless --subject is given.
 *
 * Checks, each a one-line error: the key's curve against SGP.22 §2.6.5 and against the
 * issuer's (one curve per chain, SGP.22 §4.5.2.2); the issuer's role may issue the role
 * (SGP.22 §2.6.1) on the variant's arc; the issuer key is the issuer certificate's. The
 * issued certificate is linted against its role (check/lint.h) before anything is written.
 *
 * Output: a folder as `build` writes it (atomically, manifest.json, GSMA file names), without
 * an SK_ file for the certified key; the manifest's key_source says where it lives.
 */
#ifndef RSPG_ISSUE_FLOW_H
#define RSPG_ISSUE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/crypto/sign.h"
#include "rspg/profile/profile.h"

typedef struct rspg_issue_flow_options {
    const char *role;       /* e.g. "dp-tls" */
    const char *csr;        /* a PKCS#10 request file, or */
    const char *public_key; /* a SubjectPublicKeyInfo file */
    const char *issuer_cert;
    const char *issuer_key;        /* a key file or a pkcs11: URI */
    const char *variant;           /* NULL: "O" */
    const char *profile;           /* NULL: the default profile (as mint finds it) */
    const rspg_load_options *load; /* --var, --set (may be NULL) */
    const char *subject;           /* "/O=.../CN=..." replacing the subject, or NULL */
    const char *serial;            /* hex, or NULL: a fresh one (reissue.h) */
    int has_clock;                 /* notBefore: the clock, else SOURCE_DATE_EPOCH, else now */
    int64_t clock;
    long long days; /* validity; 0: the template's */
    rspg_nonce nonce;
    const char *output; /* the folder to write */
    int force;          /* replace a previous output */
} rspg_issue_flow_options;

typedef struct rspg_issue_flow_summary {
    char *entity;    /* the template entity's id (owned) */
    char *cert_path; /* the certificate's path under the output folder (owned) */
    char *serial;    /* hex (owned) */
} rspg_issue_flow_summary;

/* Runs `issue`. Statuses: RSPG_OK; RSPG_E_INPUT for a file that is not a request, public key
 * or certificate, a bad self-signature, or a key on a curve the role does not allow;
 * RSPG_E_USAGE for a bad role, variant, subject or serial, an issuer that cannot issue the
 * role, an issuer key that is not its certificate's, or a refused destination; RSPG_E_PROFILE
 * for a profile that cannot be read or has no template; RSPG_E_VERIFY when the issued
 * certificate does not lint clean; RSPG_E_IO, RSPG_E_CRYPTO otherwise. Free SUMMARY with
 * rspg_issue_flow_summary_free (filled on success only). */
rspg_status rspg_issue_flow_run(const rspg_issue_flow_options *o, rspg_diag *d,
                                rspg_issue_flow_summary *summary);
void rspg_issue_flow_summary_free(rspg_issue_flow_summary *s);

/* Parses an OpenSSL-style subject "/O=ACME/CN=smdp.example" (a '\' escapes the next
 * character) into DN (attribute names as in profiles: CN, O, OU, C, serialNumber, ...).
 * RSPG_E_USAGE with the reason when it is not one. */
rspg_status rspg_issue_parse_subject(const char *text, rspg_diag *d, rspg_dn *dn);

#endif
