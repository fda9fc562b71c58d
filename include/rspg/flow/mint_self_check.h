/*
 * mint_self_check.h: a mint run checks itself before it writes anything. The first
 * certificate of the run is minted alone and validated with the library's verifier
 * (check/verify.h: SGP.22 §4.5.2.2 chain, policy, key usage, the EUM's EID constraint)
 * under the issuer and the chain above it, at the first moment every certificate of the
 * path is valid.
 */
#ifndef RSPG_MINT_SELF_CHECK_H
#define RSPG_MINT_SELF_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/issue/mint.h"
#include "rspg/rsp/verdict.h"

/* Mints record 0 of the run O (sink, progress and start of O are not used) and validates
 * it as an eUICC certificate under O's issuer and the N_CHAIN certificates CHAIN (DER; the
 * self-signed ones are the trust anchors). *CHECKED is 0 when neither the issuer nor the
 * chain is self-signed (no CI known: no verdict), 1 otherwise, with the verdict in *OUT.
 * Returns RSPG_OK when the verdict is valid or there is none, RSPG_E_VERIFY naming the
 * failed check and its reason when it is not, or the error that stopped the minting.
 * *RECORD_LEN gets the length of record 0's JSON Lines record (the size estimate). */
rspg_status rspg_mint_self_check(const rspg_mint_options *o, const uint8_t *const *chain,
                                 const size_t *chain_lens, size_t n_chain, rspg_diag *d,
                                 int *checked, rspg_verdict *out, size_t *record_len);

#endif
