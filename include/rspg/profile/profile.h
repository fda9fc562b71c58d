/*
 * profile.h: the profile model, what a YAML profile describes: the curves, the clock,
 * and every entity (certificate) with its role, variant, subject, issuer, serial,
 * validity, key source, extensions in order, and output file names.
 *
 * Ownership: the profile owns every string and array in it; free it with
 * rspg_profile_free. Strings may still hold ${CURVE} and ${VARIANT}, which the builder
 * substitutes per curve; profile variables (${name}) are substituted when loading.
 *
 * Thread safety: a loaded profile is read-only and may be shared by threads.
 */
#ifndef RSPG_PROFILE_H
#define RSPG_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/asn1/oid.h"
#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/rsp/role.h"

typedef enum rspg_string_type {
    RSPG_STR_UTF8,
    RSPG_STR_PRINTABLE,
    RSPG_STR_IA5,
} rspg_string_type;

/* One attribute of a distinguished name; rsp-pkigen writes one attribute per RDN, in
 * the order given, as every SGP.26 certificate does. */
typedef struct rspg_attr {
    char *key;   /* as written: CN, O, OU, C, serialNumber, ... or a dotted OID */
    char *oid;   /* dotted OID */
    char *value; /* may hold ${CURVE} etc. */
    rspg_string_type type;
    rspg_loc loc;
} rspg_attr;

typedef struct rspg_dn {
    rspg_attr *attrs;
    size_t count;
} rspg_dn;

typedef enum rspg_gn_kind {
    RSPG_GN_DNS,
    RSPG_GN_URI,
    RSPG_GN_EMAIL,
    RSPG_GN_RID,
    RSPG_GN_DIRNAME,
} rspg_gn_kind;

typedef struct rspg_general_name {
    rspg_gn_kind kind;
    char *value; /* DNS/URI/email text or dotted OID */
    rspg_dn dn;  /* for RSPG_GN_DIRNAME */
    rspg_loc loc;
} rspg_general_name;

typedef enum rspg_ext_kind {
    RSPG_EXT_SKI,
    RSPG_EXT_AKI,
    RSPG_EXT_BASIC_CONSTRAINTS,
    RSPG_EXT_KEY_USAGE,
    RSPG_EXT_EXT_KEY_USAGE,
    RSPG_EXT_CERT_POLICIES,
    RSPG_EXT_SAN,
    RSPG_EXT_CRL_DP,
    RSPG_EXT_NAME_CONSTRAINTS,
    RSPG_EXT_PERMITTED_EINS,
    RSPG_EXT_RAW,
    RSPG_EXT_COUNT
} rspg_ext_kind;

const char *rspg_ext_kind_name(rspg_ext_kind k);

typedef struct rspg_ext {
    rspg_ext_kind kind;
    int critical;
    rspg_loc loc;
    int ca;             /* basic_constraints */
    long path_len;      /* basic_constraints; -1 when absent */
    unsigned key_usage; /* RSPG_KU_* bits */
    char **items;       /* EKU / policy OIDs (dotted), CRL DP URIs, EINs */
    size_t n_items;
    rspg_general_name *names; /* SAN, or name_constraints permitted subtrees */
    size_t n_names;
    char *oid;      /* raw */
    rspg_buf value; /* raw: extnValue contents; SKI/AKI: fixed key identifier if len > 0 */
} rspg_ext;

typedef enum rspg_key_source {
    RSPG_KEY_GENERATE, /* random, or derived from the seed when there is one */
    RSPG_KEY_FILE,     /* PEM or DER file, relative to --key-dir or the profile's folder */
    RSPG_KEY_FROM,     /* the key of another entity (same curve instance) */
    RSPG_KEY_PKCS11,   /* a key in a PKCS#11 token (RFC 7512 URI); never leaves the token */
    RSPG_KEY_CSR,      /* the public key of a PKCS#10 request (file); no private key here */
    RSPG_KEY_PUBLIC,   /* a SubjectPublicKeyInfo file; no private key here */
} rspg_key_source;

typedef struct rspg_key_spec {
    rspg_key_source source;
    char *file;                   /* RSPG_KEY_FILE, _CSR, _PUBLIC; may hold ${CURVE} */
    char *from;                   /* RSPG_KEY_FROM: entity id */
    char *pkcs11;                 /* RSPG_KEY_PKCS11: the pkcs11: URI; may hold ${CURVE} */
    struct rspg_per_curve *curve; /* override: the key's curve whatever the chain's (or NULL) */
    rspg_loc loc;
} rspg_key_spec;

/* A value that may differ per curve: either one value, or one per curve key. */
typedef struct rspg_per_curve rspg_per_curve;
struct rspg_per_curve {
    char *value; /* the single value, or NULL */
    char **keys; /* curve keys */
    char **values;
    size_t n;
    rspg_loc loc;
};

typedef struct rspg_entity {
    char *id;
    rspg_loc loc;
    rspg_role role;
    char **variants; /* O, Ov3, A, B, C: usually one; a shared CI may serve several */
    size_t n_variants;
    char *name;    /* display name for the manifest, e.g. "SM-DP+2" */
    char **curves; /* curve keys this entity is issued on */
    size_t n_curves;
    char *issuer; /* entity id; NULL for self-signed */
    rspg_loc issuer_loc;
    rspg_dn subject;
    rspg_per_curve serial;     /* hex */
    rspg_per_curve not_before; /* RFC 3339, or NULL for the profile clock */
    long long validity_days;   /* > 0, or 0 when not_after is given */
    int has_offset;            /* not_before = clock + offset_days (e.g. negative: expired) */
    long long offset_days;
    rspg_per_curve not_after;
    rspg_key_spec key;
    rspg_ext *exts;
    size_t n_exts;
    char *dir;         /* output folder, relative to the output root */
    char **cert_files; /* file names; .der or .pem */
    size_t n_cert_files;
    char *key_file;    /* private key file name or NULL */
    char *pubkey_file; /* public key file name or NULL */
    char *tbs_file;    /* TBSCertificate (DER) file name or NULL */
    char *note;        /* free text for the manifest */
    /* Deliberately invalid certificates (SGP.26 section 4 and beyond) */
    char *expect;          /* "valid" (default) or "invalid": how a validator must judge it */
    char *case_id;         /* stable id, e.g. "dp-tls/invalid-eku" */
    char *reason;          /* the SGP.22 error a validator must return, e.g. "invalidSignature" */
    char *twin;            /* entity id of the valid certificate it derives from (default: base) */
    int corrupt_signature; /* flip a bit of the signature after signing (still valid DER) */
    int beyond_sgp26;      /* a case SGP.26 does not define */
    int untrusted;         /* a root that is not a trust anchor (e.g. an unknown CI) */
    struct rspg_cvc_spec *cvc; /* SGP.02 roles: the `cvc:` fields (cvc_spec.h), or NULL */
} rspg_entity;

typedef struct rspg_revocation {
    char *entity; /* the revoked certificate's entity (same curve instance) */
    char *date;   /* RFC 3339, or NULL for the CRL's thisUpdate */
    char *reason; /* CRLReason name (RFC 5280 §5.3.1) or NULL */
    int reason_code;
    rspg_loc loc;
} rspg_revocation;

/* A CRL (X.509 v2, RFC 5280 §5) signed by a CA entity. */
typedef struct rspg_crl_def {
    char *id;
    rspg_loc loc;
    char *issuer; /* entity id of the CA */
    rspg_loc issuer_loc;
    char **curves; /* default: the issuer's */
    size_t n_curves;
    long long number;  /* cRLNumber */
    char *this_update; /* RFC 3339, or NULL for the clock */
    int has_offset;    /* thisUpdate = clock + offset_days */
    long long offset_days;
    long long next_update_days;
    rspg_revocation *revoked;
    size_t n_revoked;
    char *dir;
    char **files; /* .crl / .der (DER) or .pem */
    size_t n_files;
    int corrupt_signature;
    char *expect, *case_id, *reason, *note;
} rspg_crl_def;

typedef struct rspg_curve_def {
    char *key; /* e.g. nist */
    const rspg_curve *curve;
    char *suffix; /* ${CURVE} value, e.g. NIST */
    rspg_loc loc;
} rspg_curve_def;

typedef struct rspg_profile {
    char *path; /* as given; used in messages */
    char *name;
    char *description;
    rspg_curve_def *curves;
    size_t n_curves;
    char **default_curves;
    size_t n_default_curves;
    char *clock; /* RFC 3339 default notBefore, or NULL */
    long long default_validity_days;
    rspg_entity *entities;
    size_t n_entities;
    rspg_crl_def *crls;
    size_t n_crls;
    char **files; /* the names of the files composed into it (locations point here) */
    size_t n_files;
} rspg_profile;

/* Limits against hostile profiles. */
#define RSPG_MAX_PROFILE_BYTES (4u << 20)
#define RSPG_MAX_ENTITIES 4096
#define RSPG_MAX_STRING 4096
#define RSPG_MAX_DEPTH 16

/* Options of the loader: variable overrides "NAME=VALUE" (as --var gives them), each of
 * which must name a variable the profile defines under 'vars'. */
typedef struct rspg_load_options {
    const char *const *vars;
    size_t n_vars;
    const char *const *sets; /* "PATH=VALUE" (as --set gives them), applied after extends: */
    size_t n_sets;
} rspg_load_options;

/* Loads a profile from BUF (LEN bytes); NAME is used in messages. On success *OUT is a
 * new profile (free with rspg_profile_free). All errors found are added to D. */
rspg_status rspg_profile_load_string(const char *buf, size_t len, const char *name, rspg_diag *d,
                                     rspg_profile **out);
rspg_status rspg_profile_load_file(const char *path, rspg_diag *d, rspg_profile **out);
/* The same with options (O may be NULL). */
rspg_status rspg_profile_load_string_ex(const char *buf, size_t len, const char *name,
                                        const rspg_load_options *o, rspg_diag *d,
                                        rspg_profile **out);
rspg_status rspg_profile_load_file_ex(const char *path, const rspg_load_options *o, rspg_diag *d,
                                      rspg_profile **out);
void rspg_profile_free(rspg_profile *p);

const rspg_entity *rspg_profile_find(const rspg_profile *p, const char *id);
const rspg_curve_def *rspg_profile_curve(const rspg_profile *p, const char *key);
/* The value of V for curve key CURVE (NULL when V has none for it). */
const char *rspg_per_curve_get(const rspg_per_curve *v, const char *curve);

#endif
