/*
 * renew.h: the `renew` command as one library call (issue 17 item 2): chosen certificates
 * of a build folder are issued again with the same keys, names and extensions and a fresh
 * serial and validity; every other file of the folder stays byte-identical.
 *
 * What it is redone from: the folder's manifest.json records the build ("build": the profile
 * and the SHA-256 of its files, --var, --set, --key-dir, filters, seed, clock). The profile
 * is loaded again as it was (a profile whose files changed is refused) and each chosen
 * certificate is issued from its entity by the build's code (issue/reissue.h) under its
 * issuer's certificate as it is in the folder. Keys come from the folder's SK_ files, else
 * from the recorded source (a key file, a PKCS#11 token, a CSR or public-key file, the seed);
 * a random key that was not written cannot be had again, and that is an error. Each key must
 * be the one in the certificate it renews.
 *
 * Choice: CA certificates (ci, ci-subca, eum, eum-subca, dp-subca, ds-subca) are refused. With
 * the same key their subordinates would stay valid (their AKI names the unchanged SKI), but a
 * CA's own dates, serial and CRLs would then change under every certificate of the folder;
 * rebuild instead. Deliberately invalid certificates (expect: invalid) are not renewed either.
 *
 * CRLs (issue/crl_renew.h): every valid CRL past the middle of its period at the renewal's
 * time (so every stale one) is signed again by its issuer's key, with the same entries and a
 * cRLNumber one higher; "crl" in ONLY chooses every valid CRL, a CRL's id that one. A CRL
 * whose issuer key cannot be had is kept (a warning says which); invalid CRL cases always are.
 *
 * The new folder replaces the old one atomically (staged beside it, verified as `build`
 * verifies, renamed into place) and the folder is locked (DIR.lock) meanwhile. The manifest
 * gets the new serials, dates and digests, its top-level clock becomes the renewal's time
 * (so that `verify DIR` judges at it; the build's stays in build.clock), and a "renewals"
 * entry is appended.
 */
#ifndef RSPG_RENEW_H
#define RSPG_RENEW_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"

typedef struct rspg_renew_options {
    const char *dir;         /* the build folder */
    const char *const *only; /* roles (dp-tls), entity ids, "crl" or CRL ids; none: */
    size_t n_only;           /*   every valid end-entity certificate of the folder */
    long long days;          /* validity; 0: each certificate's present length */
    int has_clock;           /* notBefore: the clock, else SOURCE_DATE_EPOCH, else now */
    int64_t clock;
    const char *profile; /* instead of the recorded profile path (same digests), or NULL */
    const char *key_dir; /* instead of the recorded --key-dir, or NULL */
} rspg_renew_options;

typedef struct rspg_renew_summary {
    size_t certificates; /* certificates issued again (each curve counts) */
    size_t files;        /* files rewritten (certificates in each format, TBS files) */
    size_t kept;         /* files left byte-identical (manifest.json not counted) */
    size_t crls;         /* CRLs signed again (each curve counts; renew.c says which) */
} rspg_renew_summary;

/* Runs `renew`. Statuses: RSPG_OK; RSPG_E_USAGE for --only values that name nothing in the
 * folder or a CA, a key that cannot be had again or is not its certificate's; RSPG_E_INPUT
 * for a folder without a manifest that records its build; RSPG_E_PROFILE for a profile that
 * is missing or changed since the build; RSPG_E_IO when the folder is locked by another run or
 * cannot be read or written; RSPG_E_VERIFY when the renewed folder does not verify as its
 * manifest says (nothing is changed then); RSPG_E_CRYPTO. */
rspg_status rspg_renew_run(const rspg_renew_options *o, rspg_diag *d, rspg_renew_summary *summary);

#endif
