/*
 * reissue.h: issuing chosen certificates of a profile under issuers that already exist
 * (issue 17): `issue` (a CSR or public key certified by a given CA certificate and key) and
 * `renew` (certificates of a build issued again under the build's own CAs). It is the build's
 * own issuing code (build_internal.h: the profile entity is the template, cert.h encodes it,
 * sign.h signs it), with some instances preset: an existing certificate that stands for an
 * instance (an issuer; it is not issued again) and keys given from outside. Only the targets
 * are issued and only their files come out.
 *
 * Ownership: the result owns its artifacts and borrows the profile's entities (free it with
 * rspg_build_result_free); presets are borrowed for the call. Not thread-safe.
 */
#ifndef RSPG_REISSUE_H
#define RSPG_REISSUE_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

/* One instance (entity ID on curve key CURVE) given from outside. */
typedef struct rspg_reissue_preset {
    const char *entity;
    const char *curve;
    const uint8_t *cert; /* an existing certificate (DER) standing for it, or NULL */
    size_t cert_len;
    const char *cert_path;  /* what the manifest names as that certificate */
    const rspg_key *key;    /* its key, or NULL: the entity's key source (keys.c) */
    int public_only;        /* KEY has no private part here (a CSR's): no SK_ file is written */
    const char *key_origin; /* where KEY came from, for the manifest (or NULL) */
} rspg_reissue_preset;

/* One instance to issue (its serial and validity are its entity's: rspg_reissue_set_*). */
typedef struct rspg_reissue_target {
    const char *entity;
    const char *curve;
    const uint8_t *renews; /* the certificate (DER) it replaces, whose key it must keep; or NULL */
    size_t renews_len;
    const char *renews_path; /* its name in messages */
} rspg_reissue_target;

typedef struct rspg_reissue_options {
    const rspg_build_options *build; /* profile_dir, key_dir, seed, nonce, clock (has_clock) */
    const rspg_reissue_preset *presets;
    size_t n_presets;
    const rspg_reissue_target *targets;
    size_t n_targets;
} rspg_reissue_options;

/* Issues every target of P (its issuer must be preset with a certificate; a preset key with
 * a certificate must be that certificate's key). A preset issuer certificate's 20-byte
 * subjectKeyIdentifier becomes the targets' authorityKeyIdentifier; a target that renews a
 * certificate must have that certificate's key. Statuses: RSPG_OK; RSPG_E_PROFILE for an
 * unknown target or issuer not preset, RSPG_E_USAGE for a key that is not its certificate's,
 * RSPG_E_INPUT for a preset certificate that cannot be read;
 * any status of issuing. R is initialised here. */
rspg_status rspg_reissue(const rspg_profile *p, const rspg_reissue_options *o, rspg_diag *d,
                         rspg_build_result *r);

/* Sets entity E's serial (hex) on curve key CURVE, keeping its other curves' values. */
void rspg_reissue_set_serial(rspg_entity *e, const char *curve, const char *hex);
/* Sets entity E's validity on curve key CURVE to [NB, NA] (Unix seconds). */
void rspg_reissue_set_validity(rspg_entity *e, const char *curve, int64_t nb, int64_t na);

/* A fresh serial for a certificate issued again: 16 octets (positive, top octet 0x40-0x7f,
 * RFC 5280 §4.1.2.2: unique per issuer, at most 20 octets) from the SHA-256 of the issuer's
 * certificate, the subject's public key, the previous serial (may be NULL) and the new
 * validity. Deterministic, so that a renewal is reproducible like a build; a new validity or
 * a new key gives a new serial. Returns the hex (a new string). */
char *rspg_reissue_serial(const uint8_t *issuer_cert, size_t issuer_len, const rspg_key *subject,
                          const char *old_serial_hex, int64_t nb, int64_t na);

#endif
