/*
 * mint_files.h: the files layout of a mint run, for small runs: one folder per eUICC
 * (eUICC/EID/CERT_EUICC_SIG_<suffix>.der and SK_EUICC_SIG_<suffix>.pem, private keys
 * 0600), a copy of the issuer's certificate (issuer/CERT_ISSUER.der) and of the chain
 * above it (chain/NAME), and a manifest.json (manifest.h) that `verify DIR` checks. The
 * folder is written atomically (output.h) after the last record.
 */
#ifndef RSPG_MINT_FILES_H
#define RSPG_MINT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/clock.h"
#include "rspg/base/diag.h"
#include "rspg/issue/build.h"
#include "rspg/issue/mint.h"
#include "rspg/issue/mint_plan.h"

#define RSPG_MINT_FILES_MAX 100000 /* eUICCs: beyond, use the JSON Lines bundle */
#define RSPG_MINT_ISSUER_PATH "issuer/CERT_ISSUER.der"

/* A certificate copied into the folder: its DER and the file name it came from. */
typedef struct rspg_mint_chain_cert {
    const uint8_t *der;
    size_t len;
    const char *name; /* written as chain/<basename of NAME> */
} rspg_mint_chain_cert;

typedef struct rspg_mint_files {
    rspg_build_result r; /* the folder's files, as a build */
    const rspg_mint_plan *plan;
    int64_t not_before, not_after;
    rspg_entity *ents; /* stand-in entities of the issuer and chain copies */
    char *variant_of[1];
} rspg_mint_files;

/* Starts an empty folder for the run PLAN at CLOCK. */
void rspg_mint_files_init(rspg_mint_files *f, const rspg_mint_plan *plan, int64_t clock);
/* An rspg_mint_sink collecting records into F (the context). */
int rspg_mint_files_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d);
/* Adds the issuer's certificate (on curve ISSUER_CURVE) and the chain above it, in order up
 * to the CI; each copy's role comes from its policy and a self-signed one is a trust
 * anchor. RSPG_E_USAGE when one is not a certificate. */
rspg_status rspg_mint_files_add_chain(rspg_mint_files *f, const uint8_t *issuer, size_t issuer_len,
                                      const char *issuer_curve, const rspg_mint_chain_cert *chain,
                                      size_t n_chain, rspg_diag *d);
/* Writes the folder DEST (FORCE: replacing it) with its manifest (profile P; the clock
 * CLOCK, SEEDED and NONCE recorded as a build records them). */
rspg_status rspg_mint_files_write(rspg_mint_files *f, const rspg_profile *p,
                                  const rspg_clock *clock, int seeded, rspg_nonce nonce,
                                  const char *dest, int force, rspg_diag *d);
void rspg_mint_files_free(rspg_mint_files *f);

#endif
