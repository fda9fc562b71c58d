/*
 * mint_jsonl.h: the JSON Lines bundle of a mint run. The first line is a header naming the
 * run ({"rsp-pkigen-mint":1,"run":{...}}, see rspg_mint_header); one record per eUICC
 * follows ({"index", "eid", "serial", "certificate", "private_key"}), written 0600 one
 * chunk of complete records at a time. A write that fails (a full disk) is cut back to the
 * last complete record; a killed run leaves at most one torn record, which --resume cuts.
 * --resume continues only a bundle whose header is this run's, byte for byte, and refuses
 * anything else without changing a byte. The bundle is locked (flock) while it is written.
 *
 * Shards (mint --shard I/N): shard I of N writes the records BEGIN..END-1 of the run, and
 * only shard 0 writes the header, so that `cat` of the N shard files in order is the
 * bundle one run writes, byte for byte. A headerless shard resumes when its first record
 * is record BEGIN of this run and its last is before END.
 */
#ifndef RSPG_MINT_JSONL_H
#define RSPG_MINT_JSONL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/sign.h"
#include "rspg/issue/mint.h"

/* What makes a run: a bundle continues only the run it was made with. */
typedef struct rspg_mint_run {
    const uint8_t *issuer_cert; /* DER: its SHA-256 */
    size_t issuer_cert_len;
    const char *template_id; /* the eUICC entity of the profile */
    const uint8_t *profile;  /* the profile file's bytes: their SHA-256 */
    size_t profile_len;
    const char *curve; /* OpenSSL name of the eUICC keys' curve */
    const char *first_eid;
    uint64_t count;
    const uint8_t *seed; /* NULL: random keys ("none"); else a SHA-256 of it, never the seed */
    size_t seed_len;
    int64_t clock; /* notBefore */
    rspg_nonce nonce;
} rspg_mint_run;

/* Appends the header line of RUN (with its '\n') to OUT:
 * {"rsp-pkigen-mint":1,"run":{"issuer":SHA256,"template":ID,"profile":SHA256,"curve":NAME,
 * "first_eid":EID,"count":N,"seed":SHA256|"none","clock":RFC3339,"signatures":KIND}} */
void rspg_mint_header(const rspg_mint_run *run, rspg_buf *out);

/* Compares the bundle's first line LINE (LEN bytes, without '\n') with this run's header
 * WANT (with '\n'). 0 when equal; else -1 with RSPG_E_USAGE in D naming the first
 * parameter that differs (or saying that LINE is no mint header). */
int rspg_mint_header_compare(const char *line, size_t len, const char *want, rspg_diag *d);

typedef struct rspg_mint_jsonl_params {
    const char *path; /* NULL or "-": standard output, which cannot be resumed */
    int resume, force;
    int space_check;    /* refuse a run the target's free space cannot hold */
    const char *header; /* the run's header line (rspg_mint_header); "": none (a shard > 0) */
    const char *first_eid;
    uint64_t count;
    size_t record_len; /* the first record's length: the size estimate */
    uint64_t begin;    /* a shard's first record (0 for a whole run) */
    uint64_t end;      /* one past a shard's last record; 0: COUNT */
} rspg_mint_jsonl_params;

typedef struct rspg_mint_jsonl {
    int fd;           /* -1 when closed */
    int own;          /* opened here (closed by rspg_mint_jsonl_close) */
    off_t good;       /* the end of the last complete record written */
    uint64_t start;   /* the index to continue from (BEGIN for a new bundle) */
    uint64_t bytes;   /* the estimated size of what this run writes */
    uint64_t avail;   /* free bytes of the target; UINT64_MAX: unknown */
    const char *path; /* for messages (borrowed) */
} rspg_mint_jsonl;

/* Opens the bundle of P (see rspg_mint_jsonl_params): a new file (FORCE: replacing an
 * existing one), or with RESUME the existing bundle of this run (its torn tail cut), or a
 * missing or empty one; takes the lock, checks the free space and writes the header of a
 * new bundle. RSPG_E_USAGE for an existing bundle without RESUME or FORCE, a file that is
 * not this run's bundle (nothing changed), a bundle locked by another process (named), a
 * run larger than the free space; RSPG_E_IO when it cannot be opened or written. Nothing
 * is left behind on failure. Close J with rspg_mint_jsonl_close, also on failure. */
rspg_status rspg_mint_jsonl_open(rspg_mint_jsonl *j, const rspg_mint_jsonl_params *p, rspg_diag *d);
/* An rspg_mint_sink writing to J (the context); a failed write is cut back to the last
 * complete record. */
int rspg_mint_jsonl_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d);
void rspg_mint_jsonl_close(rspg_mint_jsonl *j);

/* The resume point of the bundle open on FD, which must start with HEADER (this run's):
 * finds its last complete record, checks that it continues FIRST_EID, and that a torn tail
 * is the start of the next record; only then cuts that tail. Returns the index to continue
 * from (0 for an empty file or a header alone, which an empty file gets), or -1 with the
 * reason in D and the file unchanged. */
long long rspg_mint_resume_point(int fd, const char *header, const char *first_eid, rspg_diag *d);
/* The same for the shard of records BEGIN..END-1: HEADER "" for a headerless shard, whose
 * first line must then be (the start of) record BEGIN; the last complete record must be
 * before END. Returns BEGIN for an empty file. */
long long rspg_mint_resume_point_shard(int fd, const char *header, const char *first_eid,
                                       uint64_t begin, uint64_t end, rspg_diag *d);

/* N bytes in words ("1.2 MB", decimal units) into OUT. */
void rspg_mint_size_text(uint64_t n, char *out, size_t cap);

/* "pid N" of the process holding an flock on the file open on FD (from /proc/locks), or
 * "another process" when it cannot be told, into OUT. */
void rspg_mint_lock_holder(int fd, char *out, size_t cap);

#endif
