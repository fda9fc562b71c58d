/*
 * mint_flow.h: one `mint euicc` run, from options to output: the clock (base/clock.h), the
 * profile (by default sgp26.yaml of the installation or of the source tree), the issuer
 * (mint_issuer.h), the plan (mint_plan.h), a self-check of the first certificate with the
 * library's SGP.22 verifier (check/verify.h) before anything is written, then the records
 * to a JSON Lines bundle (mint_jsonl.h) or a folder with a manifest (mint_files.h).
 */
#ifndef RSPG_MINT_FLOW_H
#define RSPG_MINT_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/clock.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/sign.h"
#include "rspg/issue/mint.h"
#include "rspg/rsp/verdict.h"

typedef enum rspg_mint_layout {
    RSPG_MINT_JSONL, /* one JSON Lines bundle (resumable) */
    RSPG_MINT_FILES, /* one folder per eUICC and a manifest */
} rspg_mint_layout;

/* Told, before the first record is written, which records this run writes (START to
 * END-1: END is COUNT, or a shard's end), about how many BYTES, and the free bytes of the
 * target (AVAIL; UINT64_MAX: unknown, e.g. standard output). */
typedef void (*rspg_mint_size_note)(void *ctx, uint64_t start, uint64_t end, uint64_t bytes,
                                    uint64_t avail);

typedef struct rspg_mint_flow_options {
    const char *profile;     /* the profile with the eUICC template; NULL: the default */
    const char *issuer_cert; /* the issuer from files (certificate and key, or a */
    const char *issuer_key;  /*   pkcs11: URI), or */
    const char *issuer_id;   /* an eum / eum-subca entity of the profile, built in memory */
    const char *template_id; /* NULL: the eUICC of the issuer's variant */
    const char *curve;       /* the eUICC keys' curve; NULL: the issuer's */
    const char *first_eid;
    uint64_t count;
    uint64_t shard, shards; /* shard SHARD (0-based) of SHARDS of the run; SHARDS 0: whole */
    int threads;            /* before the HSM rule (mint.h) */
    const uint8_t *seed;    /* NULL: random keys */
    size_t seed_len;
    int nonce_given; /* else RFC 6979 with a seed, random without */
    rspg_nonce nonce;
    rspg_ec_engine engine; /* RSPG_EC_AUTO, or RSPG_EC_LIBCRYPTO (crypto/bulk_ec.h) */
    int has_clock;         /* else SOURCE_DATE_EPOCH, else now (clock.h) */
    int64_t clock;
    rspg_mint_layout layout;
    const char *output; /* bundle (NULL or "-": standard output), or the folder */
    int resume, force;
    int no_space_check;       /* write a bundle even when the free space looks too small */
    const char *const *chain; /* certificate files above the issuer, up to the CI */
    size_t n_chain;
    rspg_mint_progress progress;
    void *progress_ctx;
    rspg_mint_size_note size_note; /* may be NULL; called with progress_ctx */
} rspg_mint_flow_options;

typedef struct rspg_mint_flow_result {
    char *profile;        /* the profile used (a new string) */
    rspg_clock clock;     /* notBefore and where it came from */
    int hsm;              /* the issuer key is in a PKCS#11 token: the HSM rule applied */
    int threads;          /* signing threads used */
    rspg_nonce nonce;     /* signature nonces used */
    int self_checked;     /* 1: the first certificate was verified up to a trusted CI; 0: no
                             chain up to a CI was known (give --chain), not checked */
    rspg_verdict verdict; /* that verdict */
    uint64_t first, end;  /* this run's records: FIRST..END-1 (a shard's, or 0..COUNT-1) */
    uint64_t start;       /* first index minted (FIRST, or later on a resume) */
    uint64_t made;        /* records minted by this run */
    uint64_t bytes;       /* the bundle: about how many bytes this run writes */
    uint64_t avail;       /* the free bytes of its target; UINT64_MAX: unknown */
} rspg_mint_flow_result;

/* The records of shard I of N of a run of COUNT: FIRST..END-1, consecutive shards
 * covering 0..COUNT-1 in order (the first COUNT mod N shards one record larger). */
void rspg_mint_shard_range(uint64_t count, uint64_t i, uint64_t n, uint64_t *first, uint64_t *end);

/* Runs O. RSPG_E_USAGE for wrong options, an issuer that is not an EUM, a key of another
 * certificate, an invalid SOURCE_DATE_EPOCH or a range outside the EIN prefix;
 * a --resume onto a file that is not this run's bundle (unchanged), a bundle another
 * process is writing, a bundle larger than the free space (mint_jsonl.h);
 * RSPG_E_VERIFY when the self-check's verdict is not valid (nothing is written);
 * RSPG_E_INTERRUPTED when the progress callback stopped it (the bundle ends with a
 * complete record). Free RES with rspg_mint_flow_result_free. */
rspg_status rspg_mint_flow(const rspg_mint_flow_options *o, rspg_diag *d,
                           rspg_mint_flow_result *res);
void rspg_mint_flow_result_free(rspg_mint_flow_result *res);

/* The default profile: <prefix>/share/rsp-pkigen/profiles/sgp26.yaml, the prefix being the
 * folder above the one of the running executable (/proc/self/exe), else, for an executable
 * in a CMake build tree, the source tree's profiles/sgp26.yaml. Returns a new string, or
 * NULL with RSPG_E_USAGE in D naming every place looked at. */
char *rspg_mint_default_profile(rspg_diag *d);

#endif
