/*
 * mint.h: bulk eUICC certificates. One key pair and one certificate per EID, signed by
 * an EUM (or EUM SubCA), with consecutive valid EIDs inside the EUM's EIN prefix, from
 * the eUICC template of a profile. Worker threads each own their libcrypto contexts and
 * take chunks of EIDs; records come out in EID order whatever the thread count, and
 * memory stays flat however many certificates are minted.
 */
#ifndef RSPG_MINT_H
#define RSPG_MINT_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/bulk_ec.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "rspg/profile/profile.h"
#include "rspg/rsp/eid.h"

typedef struct rspg_mint_record {
    uint64_t index; /* 0-based position in the run */
    char eid[RSPG_EID_LEN + 1];
    const uint8_t *cert; /* Certificate DER */
    size_t cert_len;
    const uint8_t *key; /* SEC1 ECPrivateKey DER */
    size_t key_len;
    const char *line; /* the JSON Lines record, with its final '\n' */
    size_t line_len;
} rspg_mint_record;

/* Receives records in EID order; returns 0 to go on, -1 to stop (with a message in D). */
typedef int (*rspg_mint_sink)(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d);
/* Called after each written chunk with the number of records written so far; returns
 * nonzero to stop (e.g. on SIGINT) at the next chunk boundary. */
typedef int (*rspg_mint_progress)(void *ctx, uint64_t done, uint64_t total);

typedef struct rspg_mint_options {
    const uint8_t *issuer_cert; /* the EUM's certificate, DER */
    size_t issuer_cert_len;
    const rspg_key *issuer_key; /* its private key */
    const rspg_entity *tmpl;    /* the eUICC template: subject (serialNumber = EID), validity,
                                   extensions; the serial is the EID digits read as hex */
    const rspg_curve *curve;    /* the eUICC keys' curve */
    char first_eid[RSPG_EID_LEN + 1];
    uint64_t count;      /* certificates in the whole run */
    uint64_t start;      /* first index to mint (resume, or a shard's first); records before
                            it exist */
    uint64_t end;        /* one past the last index to mint (a shard's end); 0: COUNT */
    int threads;         /* >= 1 */
    const uint8_t *seed; /* derive keys from seed and EID; NULL: random keys */
    size_t seed_len;
    rspg_nonce nonce;
    rspg_ec_engine engine; /* RSPG_EC_AUTO; RSPG_EC_LIBCRYPTO: libcrypto on every curve */
    int64_t not_before;    /* the clock */
    rspg_mint_sink sink;
    void *sink_ctx;
    rspg_mint_progress progress;
    void *progress_ctx;
} rspg_mint_options;

/* Checks the EID range against the issuer's EIN constraint (nameConstraints serialNumber
 * or permittedEins) and for overflow; fills *PREFIX (may be NULL) with the EIN found. */
rspg_status rspg_mint_check_range(const uint8_t *issuer_cert, size_t issuer_len,
                                  const char *first_eid, uint64_t count, char *prefix,
                                  size_t prefix_cap, rspg_diag *d);
/* How many EIDs there are from FIRST_EID to the end of the range its first PREFIX_LEN
 * digits (an EIN) fix: 10^(30 - PREFIX_LEN) minus the rest of its 30-digit body, capped at
 * UINT64_MAX. The limit of --count. */
uint64_t rspg_eids_left(const char *first_eid, size_t prefix_len);
/* The EID at INDEX after FIRST (30-digit body + INDEX, with new check digits); -1 on overflow. */
int rspg_eid_add(const char *first, uint64_t index, char out[RSPG_EID_LEN + 1]);

/* The HSM rule: an issuer key in a PKCS#11 token signs one request at a time with the
 * token's own nonces, so O gets one thread and random nonces (RFC 6979 needs the private
 * scalar, which never leaves the token). Returns 1 when the rule applies (O changed), 0
 * when the key is not in a token. rspg_mint applies it to its own copy of the options. */
int rspg_mint_hsm_rule(rspg_mint_options *o);

/* Mints records START..END-1 (END 0: COUNT-1) and passes them to the sink in order. Returns
 * RSPG_OK, RSPG_E_INTERRUPTED when the progress callback asked to stop (everything passed to the
 * sink is complete), or an error. */
rspg_status rspg_mint(const rspg_mint_options *o, rspg_diag *d);

#endif
