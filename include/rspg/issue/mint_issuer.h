/*
 * mint_issuer.h: the EUM (or EUM SubCA) that signs minted eUICCs, with its private key:
 * read from a certificate file and a key file (or a pkcs11: URI), or built in memory from
 * an eum / eum-subca entity of a profile, together with the chain above it up to its CI.
 */
#ifndef RSPG_MINT_ISSUER_H
#define RSPG_MINT_ISSUER_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

typedef struct rspg_mint_issuer {
    rspg_buf cert;             /* the issuer's certificate, DER */
    rspg_key key;              /* its private key (key.hsm: in a PKCS#11 token) */
    const rspg_entity *entity; /* from a profile: its entity (borrowed), else NULL */
    rspg_build_result built;   /* from a profile: the in-memory build of it and its chain */
} rspg_mint_issuer;

/* Reads the issuer from CERT_PATH (DER or PEM) and KEY_PATH (PEM/DER file, or a pkcs11:
 * URI). RSPG_E_USAGE when a file cannot be read, RSPG_E_INPUT when the certificate file
 * holds no strict DER certificate. Free OUT with rspg_mint_issuer_free, also on failure. */
rspg_status rspg_mint_issuer_from_files(const char *cert_path, const char *key_path, rspg_diag *d,
                                        rspg_mint_issuer *out);

/* How an issuer entity is built in memory (as `build --only ID` would build it). */
typedef struct rspg_mint_issuer_build {
    const char *profile_dir; /* for the profile's relative key files */
    const char *curve;       /* curve filter (key, suffix or OpenSSL name), or NULL: the
                                entity's first curve */
    int64_t clock;
    rspg_nonce nonce;
    const uint8_t *seed; /* NULL: random keys */
    size_t seed_len;
} rspg_mint_issuer_build;

/* Builds entity ID of P (an eum or eum-subca) and its chain in memory, and takes its DER
 * certificate and its key (from the build, or from its PKCS#11 token on the certificate's
 * curve). P must outlive OUT. Free OUT with rspg_mint_issuer_free, also on failure. */
rspg_status rspg_mint_issuer_from_profile(const rspg_profile *p, const char *id,
                                          const rspg_mint_issuer_build *o, rspg_diag *d,
                                          rspg_mint_issuer *out);

/* Is the issuer key the private key of the issuer certificate? RSPG_E_USAGE when not. */
rspg_status rspg_mint_issuer_check_key(const rspg_mint_issuer *i, rspg_diag *d);

/* The DER certificates of the in-memory build above the issuer, on the issuer's curve (the
 * chain up to the CI), in the build's order (each issuer before what it signs, so the CI
 * first): fills at most MAX views into the build, and NAMES (when not NULL) with their paths
 * in the build; returns how many. */
size_t rspg_mint_issuer_chain(const rspg_mint_issuer *i, const uint8_t **certs, size_t *lens,
                              const char **names, size_t max);

void rspg_mint_issuer_free(rspg_mint_issuer *i);

#endif
