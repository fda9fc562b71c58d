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
 * Ownership: a stage is owned by the caller until commit or discard. Not thread-safe.
 */
#ifndef RSPG_OUTPUT_H
#define RSPG_OUTPUT_H

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"

typedef struct rspg_output_options {
    int force;            /* replace an existing destination */
    const char *manifest; /* manifest JSON text to write as manifest.json, or NULL */
} rspg_output_options;

typedef struct rspg_output_stage rspg_output_stage;

/* Writes R (and the manifest) into a new temporary folder beside DEST. Refuses
 * (RSPG_E_USAGE) an existing DEST without force, or one that is not a folder; RSPG_E_IO
 * when a file cannot be written (nothing is left then). On success *OUT is the stage. */
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
