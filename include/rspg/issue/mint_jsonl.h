/*
 * mint_jsonl.h: the JSON Lines bundle of a mint run: one record per eUICC
 * ({"index", "eid", "serial", "certificate", "private_key"}), written 0600 one chunk of
 * complete records at a time, so that an interrupted bundle ends with a complete record
 * (or a torn one, which --resume cuts) and can be continued.
 */
#ifndef RSPG_MINT_JSONL_H
#define RSPG_MINT_JSONL_H

#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/issue/mint.h"

typedef struct rspg_mint_jsonl {
    int fd;  /* -1 when closed */
    int own; /* opened here (closed by rspg_mint_jsonl_close) */
    rspg_buf buf;
} rspg_mint_jsonl;

/* Opens the bundle PATH (NULL or "-": standard output, which cannot be resumed): a new
 * file (FORCE: replacing an existing one), or with RESUME an existing bundle of this run,
 * whose torn tail is cut; *START gets the index to continue from (0 for a new bundle).
 * RSPG_E_USAGE for an existing bundle without RESUME or FORCE, or a bundle of another
 * run; RSPG_E_IO when it cannot be opened. Close J with rspg_mint_jsonl_close, also on failure. */
rspg_status rspg_mint_jsonl_open(rspg_mint_jsonl *j, const char *path, int resume, int force,
                                 const char *first_eid, uint64_t *start, rspg_diag *d);
/* An rspg_mint_sink writing to J (the context). */
int rspg_mint_jsonl_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d);
void rspg_mint_jsonl_close(rspg_mint_jsonl *j);

/* The resume point of the bundle open on FD: finds its last complete record, checks that
 * it continues FIRST_EID, cuts a torn tail and returns the index to continue from (0 for
 * an empty file), or -1 with the reason in D. */
long long rspg_mint_resume_point(int fd, const char *first_eid, rspg_diag *d);

#endif
