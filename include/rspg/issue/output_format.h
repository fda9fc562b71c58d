/*
 * output_format.h: the file formats of a build, chosen at build time rather than in the
 * profile: certificates as DER, PEM or both (`build --format`), private keys as SEC1 (the
 * GSMA default, SGP.26 ships "EC PRIVATE KEY" files) or PKCS#8 (RFC 5208/5958,
 * `--key-format pkcs8`), and a PKCS#12 file (RFC 7292) for every TLS certificate whose
 * private key the build writes (`--pkcs12`).
 *
 * The transformation works on the build result in memory, after rspg_build and before the
 * manifest and the output (build_flow.c), so the manifest lists every file as written and
 * the self-check verifies them. With the default options (RSPG_CERT_FORMAT_PROFILE, SEC1, no
 * PKCS#12) nothing changes: the output stays byte-identical.
 *
 * - Certificates: with DER (or PEM) every certificate file of the other encoding becomes
 *   FILE.der (FILE.pem); a file whose twin in the chosen encoding exists already is dropped.
 *   With BOTH each certificate gets its missing twin. Every reference to a renamed file (the
 *   issuer, key and twin fields of the manifest) follows it.
 * - Keys: PKCS#8 PrivateKeyInfo, unencrypted, "PRIVATE KEY" PEM or DER after the file name
 *   as the profile gives it; the manifest says "encoding": "pkcs8".
 * - PKCS#12 (PKCS12_create, OpenSSL 3 defaults: AES-256-CBC with PBKDF2 for the key and the
 *   certificates, HMAC-SHA256 MAC): for dp-tls, ds-tls and eim-tls certificates with a key
 *   file in the build: the certificate, its key, and its issuers up to but not including
 *   the self-signed root (what a TLS server sends), under the password given; beside the
 *   certificate as NAME.p12 (mode 0600; "kind": "pkcs12" in the manifest). PKCS#12 salts
 *   and IVs are random: .p12 files are not reproducible, even with --seed.
 *
 * Ownership: options are borrowed. Not thread-safe (OpenSSL error queue).
 */
#ifndef RSPG_OUTPUT_FORMAT_H
#define RSPG_OUTPUT_FORMAT_H

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"

typedef enum rspg_cert_format {
    RSPG_CERT_FORMAT_PROFILE, /* as the profile names the files (default) */
    RSPG_CERT_FORMAT_DER,
    RSPG_CERT_FORMAT_PEM,
    RSPG_CERT_FORMAT_BOTH,
} rspg_cert_format;

typedef enum rspg_key_format {
    RSPG_KEY_FORMAT_SEC1, /* RFC 5915 ECPrivateKey, as GSMA ships keys (default) */
    RSPG_KEY_FORMAT_PKCS8,
} rspg_key_format;

typedef struct rspg_output_format {
    rspg_cert_format certs;
    rspg_key_format keys;
    int pkcs12;                  /* write NAME.p12 for each TLS certificate with its key */
    const char *pkcs12_password; /* with pkcs12: the password (may be empty, never NULL) */
} rspg_output_format;

/* Parses "der", "pem", "both" (certs) or "sec1", "pkcs8" (keys); -1 for anything else. */
int rspg_cert_format_parse(const char *s, rspg_cert_format *out);
int rspg_key_format_parse(const char *s, rspg_key_format *out);

/* Applies F to R (sorted by path before and after). RSPG_E_PROFILE when two files would get
 * the same name (at the entity's line), RSPG_E_CRYPTO when a key or PKCS#12 cannot be
 * encoded, RSPG_E_USAGE when PKCS#12 is asked for and no TLS certificate of the build has
 * its key written. F may be NULL (nothing to do). */
rspg_status rspg_output_format_apply(const rspg_output_format *f, rspg_build_result *r,
                                     rspg_diag *d);

#endif
