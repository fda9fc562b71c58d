/*
 * crl_renew.h: the CRLs of a build folder signed again (for `renew`, flow/renew.h), so that a
 * folder whose CRLs are past their nextUpdate verifies again without a new build. Each CRL
 * is re-signed by its issuer's key (the folder's SK_ file, else the entity's key source:
 * key file, PKCS#11 token, seed) by the build's own code (crl_build.c, x509/crl.h), with
 *   - the same issuer Name, revoked entries (serial, revocationDate, reasonCode) and
 *     authorityKeyIdentifier, byte-identical (RFC 5280 §5.1.2.3, §5.1.2.6, §5.2.1);
 *   - thisUpdate the renewal's clock (plus the definition's offset_days), nextUpdate
 *     thisUpdate plus its next_update_days (§5.1.2.4, §5.1.2.5);
 *   - cRLNumber the previous one plus 1 (§5.2.3: monotonically increasing).
 * Signatures follow the build options' nonce (RFC 6979: the same renewal, the same bytes).
 * A CRL expected invalid (expect: invalid, corrupt: signature) is never offered: it stays as
 * it is.
 *
 * Ownership: the result owns its artifacts and borrows the profile's definitions (free with
 * rspg_build_result_free). Not thread-safe.
 */
#ifndef RSPG_CRL_RENEW_H
#define RSPG_CRL_RENEW_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

/* One valid CRL of the folder, as offered to the caller's choice. */
typedef struct rspg_crl_renew_candidate {
    const rspg_crl_def *crl;          /* its definition in the profile */
    const char *curve;                /* the curve key of its issuer's instance */
    const char *path;                 /* its first file in the folder (valid during the call) */
    int64_t this_update, next_update; /* as the folder's CRL says */
    uint64_t number;                  /* its cRLNumber */
} rspg_crl_renew_candidate;

/* 1: sign CANDIDATE again; 0: keep it as it is. */
typedef int (*rspg_crl_renew_choose_fn)(void *ctx, const rspg_crl_renew_candidate *candidate);

typedef struct rspg_crl_renew_options {
    const rspg_build_options *build; /* profile_dir, key_dir, seed, nonce; clock: thisUpdate */
    const rspg_build_result *folder; /* the folder's files, sorted by path (renew_folder.c) */
    rspg_crl_renew_choose_fn choose; /* NULL: every valid CRL */
    void *ctx;
} rspg_crl_renew_options;

/* Signs the chosen CRLs of the folder again; R gets one artifact per file of each (the
 * definition's DER and PEM files), with the new dates and number. A chosen CRL that cannot
 * be renewed (its issuer's certificate or key cannot be had, or its key is not that
 * certificate's; a file not as rsp-pkigen encodes a CRL) is kept, with a warning in D that
 * says which and why. Statuses: RSPG_OK; RSPG_E_PROFILE, RSPG_E_CRYPTO when signing fails.
 * R is initialised here. */
rspg_status rspg_crl_renew(const rspg_profile *p, const rspg_crl_renew_options *o, rspg_diag *d,
                           rspg_build_result *r);

#endif
