/*
 * output.h: writing a build to disk atomically. Everything goes into a temporary folder
 * next to the destination, which is renamed into place only when all files (and the
 * manifest) are written; a failure leaves nothing behind. Private keys are created 0600.
 *
 * Two ways to use it: rspg_output_write does it all; or rspg_output_stage writes the
 * temporary folder, the caller checks it (e.g. rspg_verify_dir on rspg_output_stage_dir),
 * then rspg_output_commit renames it into place or rspg_output_discard removes it. Either
 * of the two ends the stage (frees it). The force semantics are the same both ways.
 *
 * Safety (issue 14, docs/hardening.md): every artifact path is checked (no absolute path,
 * no '.', '..' or empty component, no control character, at most 1024 bytes) and every file
 * is created relative to the temporary folder's descriptor with O_NOFOLLOW|O_CREAT|O_EXCL,
 * so nothing is written outside it. The destination is locked (DEST.lock beside it, an
 * flock recording the holder's pid) for the life of the stage, unless the caller holds the
 * lock already (options.locked). An existing destination is replaced only with force, and
 * with force only when it is empty or holds a manifest.json of ours (schema
 * RSPG_MANIFEST_SCHEMA), unless force_any; '/', the home folder, the current folder (or one
 * that contains it) and a folder that contains options.keep are never replaced.
 *
 * Ownership: a stage is owned by the caller until commit or discard. Not thread-safe.
 */
#ifndef RSPG_OUTPUT_H
#define RSPG_OUTPUT_H

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"

typedef struct rspg_output_options {
    int force;            /* replace an existing destination (a previous output, or empty) */
    const char *manifest; /* manifest JSON text to write as manifest.json, or NULL */
    int force_any;        /* with force: replace any folder (not '/', home, current, keep) */
    const char *keep;     /* a file (the profile) whose folders must not be replaced, or NULL */
    int locked;           /* the caller holds the destination's lock (rspg_output_lock_take) */
} rspg_output_options;

/* Why the relative artifact path PATH cannot be written (a static phrase such as "is
 * absolute" or "has a '.' or '..' component"), or NULL when it is fine. */
const char *rspg_output_path_check(const char *path);

/* The lock of a destination: DEST.lock beside it, flock(LOCK_EX|LOCK_NB), the holder's pid
 * written into it. Held: RSPG_E_IO naming the pid ("another rsp-pkigen run ... holds it"),
 * nothing changed. A symbolic link at DEST.lock is refused. Release removes the file (NULL
 * is allowed). */
typedef struct rspg_output_lock rspg_output_lock;
rspg_status rspg_output_lock_take(const char *dest, rspg_diag *d, rspg_output_lock **out);
void rspg_output_lock_release(rspg_output_lock *l);

/* Whether DEST may be written with O: RSPG_OK (*EXISTS set when it exists and will be
 * replaced), or RSPG_E_USAGE with the reason (a link, '/', home, current folder, holds
 * O->keep, not a folder, exists without force, not a previous output without force_any). */
rspg_status rspg_output_check_dest(const char *dest, const rspg_output_options *o, rspg_diag *d,
                                   int *exists);

typedef struct rspg_output_stage rspg_output_stage;

/* Writes R (and the manifest) into a new temporary folder beside DEST. Refuses
 * (RSPG_E_USAGE) a destination rspg_output_check_dest refuses or a bad artifact path;
 * RSPG_E_IO when DEST is locked by another run or a file cannot be written (nothing is
 * left then, the lock included). On success *OUT is the stage. */
rspg_status rspg_output_stage_write(const char *dest, const rspg_build_result *r,
                                    const rspg_output_options *o, rspg_diag *d,
                                    rspg_output_stage **out);
/* The temporary folder of the stage (borrowed, valid until commit or discard). */
const char *rspg_output_stage_dir(const rspg_output_stage *s);
/* Renames the temporary folder into place (with force, the old folder is moved aside and
 * removed after); frees S. On failure nothing new is left and the old folder is kept. */
rspg_status rspg_output_commit(rspg_output_stage *s, rspg_diag *d);
/* Removes the temporary folder; frees S (NULL is allowed). */
void rspg_output_discard(rspg_output_stage *s);

/* Stage, then commit. */
rspg_status rspg_output_write(const char *dest, const rspg_build_result *r,
                              const rspg_output_options *o, rspg_diag *d);

/* Removes a directory tree (or a file; a missing path is fine). RSPG_E_IO when something
 * could not be removed, with a message in D when D is not NULL. */
rspg_status rspg_remove_tree(const char *path, rspg_diag *d);

#endif
