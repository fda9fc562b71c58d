/*
 * build.h: from a loaded profile to the set of artifacts (certificates, keys) of a
 * build, in memory. Writing them to disk is output.h's job; the manifest is manifest.h's.
 *
 * Ownership: the result owns its artifacts and borrows the profile's entities, so the
 * profile must outlive the result. Free with rspg_build_result_free.
 */
#ifndef RSPG_BUILD_H
#define RSPG_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/sign.h"
#include "rspg/profile/profile.h"

typedef enum rspg_artifact_kind {
    RSPG_ART_CERT,
    RSPG_ART_PRIVATE_KEY,
    RSPG_ART_PUBLIC_KEY,
    RSPG_ART_CRL,
    RSPG_ART_TBS, /* the TBSCertificate alone (DER), for comparison with another issuer's */
    RSPG_ART_CVC, /* an SGP.02 card-verifiable certificate (GP '7F21'; binary or hex), cvc.h */
    RSPG_ART_CA_BUNDLE, /* PEM: the trusted CIs of one variant and curve (bundle.h) */
    RSPG_ART_FULLCHAIN, /* PEM: a TLS certificate, then the CAs below its root (bundle.h) */
    /* a TLS certificate, its key and chain in PKCS#12 (output_format.h) */
    RSPG_ART_PKCS12,
} rspg_artifact_kind;

const char *rspg_artifact_kind_name(rspg_artifact_kind k);

typedef struct rspg_artifact {
    rspg_artifact_kind kind;
    int pem;                   /* 1: PEM text, 0: DER */
    int secret;                /* private material: written 0600 */
    char *path;                /* relative to the output root, '/'-separated */
    rspg_buf data;             /* the file's bytes */
    const rspg_entity *entity; /* borrowed from the profile */
    const char *curve;         /* OpenSSL name of the key's curve */
    char *variant;
    char *issuer_path; /* the issuing certificate's file (DER preferred) */
    char *key_path;    /* the private key file, if written */
    char *cert_path;   /* for keys: the certificate they belong to */
    char *serial_hex;
    int64_t not_before, not_after;
    char *expect;        /* "valid" or "invalid" */
    const char *case_id; /* borrowed from the profile (invalid cases) */
    const char *reason;  /* borrowed: the SGP.22 error a validator must return */
    char *twin_path;     /* the valid twin's certificate */
    int beyond_sgp26;
    int trust_anchor;        /* a self-signed root a validator may trust (not "trusted: false") */
    const rspg_crl_def *crl; /* CRLs: the profile's definition (borrowed) */
    char **revoked;          /* CRLs: revoked serials (hex) */
    size_t n_revoked;
    uint64_t crl_number;
    int hsm_signed; /* signed by a key in a PKCS#11 token */
    char **members; /* bundles, full chains: the certificate files they hold, in order */
    size_t n_members;
    char *key_origin; /* the key, request or public-key file the entity's key was read from;
                         NULL for a generated key or one in a token */
    /* the manifest's "encoding" when not the default: "pkcs8", "pkcs12" (static) */
    const char *encoding;
} rspg_artifact;

typedef struct rspg_build_options {
    const char *profile_dir; /* folder of the profile, for relative key files */
    const char *key_dir;     /* --key-dir, or NULL */
    char **variants;         /* --variant filters (any match), or none */
    size_t n_variants;
    char **curves; /* --curve filters: curve key, suffix or OpenSSL name */
    size_t n_curves;
    char **roles; /* --only filters */
    size_t n_roles;
    int has_clock; /* clock set by the caller (e.g. --clock) */
    int64_t clock;
    rspg_nonce nonce;    /* random or RFC 6979 */
    const uint8_t *seed; /* --seed: derive generated keys; NULL for random keys */
    size_t seed_len;
} rspg_build_options;

typedef struct rspg_build_result {
    rspg_artifact *items;
    size_t n, cap;
    int64_t clock;
    const char *clock_source; /* "option", "profile", "SOURCE_DATE_EPOCH" or "now" */
    int seeded;
    rspg_nonce nonce;
    size_t n_certs;
} rspg_build_result;

/* Builds every selected entity on every selected curve, with the issuer chains they need.
 * Filters select entities; their issuers (and key sources) always come along, so that
 * every chain in the output verifies. */
rspg_status rspg_build(const rspg_profile *p, const rspg_build_options *o, rspg_diag *d,
                       rspg_build_result *r);
void rspg_build_result_free(rspg_build_result *r);
/* Frees what artifact A owns (its data cleansed first when secret) and zeroes A. */
void rspg_artifact_free(rspg_artifact *a);

/* Appends a zeroed artifact of KIND at PATH (taken over: freed with the result) to R; PEM
 * when PATH ends in ".pem". */
rspg_artifact *rspg_build_result_add(rspg_build_result *r, rspg_artifact_kind kind, char *path);
/* rspg_build_result_add for a file of entity E issued on CURVE in VARIANT: what the manifest
 * says of every file of an entity (its expectation, case and reason, its certificate and key
 * files; CERT_PATH and KEY_PATH may be NULL). */
rspg_artifact *rspg_build_result_add_entity(rspg_build_result *r, rspg_artifact_kind kind,
                                            char *path, const rspg_entity *e, const char *curve,
                                            const char *variant, const char *cert_path,
                                            const char *key_path);

#endif
