/*
 * cvc_build.h: the builder's hook for SGP.02 card-verifiable certificates (cvc_build.c).
 * An entity with an SGP.02 role is issued as a GP '7F21' certificate instead of X.509;
 * build.c hands over one instance (entity x curve) and gets its artifacts appended.
 * Internal to the library.
 */
#ifndef RSPG_CVC_BUILD_H
#define RSPG_CVC_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/crypto/key.h"
#include "rspg/issue/build.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/cert.h"

typedef struct rspg_cvc_job {
    const rspg_profile *profile;
    const rspg_entity *entity;
    const rspg_entity *issuer; /* the issuing entity (a CI, or an EUM for ECASD) */
    const rspg_key *subject_key;
    const rspg_key *issuer_key;
    rspg_subst subst; /* ${CURVE} and ${VARIANT} of this instance */
    const char *variant;
    const char *issuer_path; /* the issuer's certificate file (its DER) */
    const char *cert_path;   /* this instance's first certificate file */
    const char *key_path;    /* its private key file, or NULL */
    const uint8_t *serial;   /* the entity's serial (the bytes of its hex) */
    size_t serial_len;
    int64_t not_before, not_after; /* the entity's validity */
    rspg_nonce nonce;
    int emit; /* 1: add the artifacts (the instance is selected or needed) */
} rspg_cvc_job;

/* Encodes and signs the instance's certificate and appends its artifacts (the .cvc/.hex
 * files, kind RSPG_ART_CVC; key, public key and signed-data files when the entity asks). */
rspg_status rspg_cvc_issue(const rspg_cvc_job *job, rspg_diag *d, rspg_build_result *r);

#endif
