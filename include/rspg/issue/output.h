/*
 * output.h: writing a build to disk atomically. Everything goes into a temporary folder
 * next to the destination, which is renamed into place only when all files (and the
 * manifest) are written; a failure leaves nothing behind. Private keys are created 0600.
 */
#ifndef RSPG_OUTPUT_H
#define RSPG_OUTPUT_H

#include "rspg/issue/build.h"
#include "rspg/base/diag.h"

typedef struct rspg_output_options {
    int force;               /* replace an existing destination */
    const char *manifest;    /* manifest JSON text to write as manifest.json, or NULL */
} rspg_output_options;

rspg_status rspg_output_write(const char *dest, const rspg_build_result *r,
                              const rspg_output_options *o, rspg_diag *d);

/* Removes a directory tree (used for the temporary and replaced folders). */
int rspg_remove_tree(const char *path);

#endif
