/*
 * output_internal.h: what output.c, output_lock.c and output_guard.c share (internal to the
 * library): a destination split into its parent folder (an open descriptor, so that every
 * later step is relative to it) and its last component.
 */
#ifndef RSPG_OUTPUT_INTERNAL_H
#define RSPG_OUTPUT_INTERNAL_H

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"

typedef struct rspg_output_dest {
    char *path; /* the destination as given, without trailing '/' */
    char *name; /* its last component */
    int parent; /* descriptor of the folder that holds it, or -1 */
} rspg_output_dest;

/* Splits DEST and opens its parent folder (symbolic links in the parent's path are the
 * user's choice and are followed; the last component never is). RSPG_E_USAGE when DEST
 * does not end in a name ('/', '.', '..'); RSPG_E_IO when the parent cannot be opened.
 * On failure OUT is closed already. */
rspg_status rspg_output_dest_open(const char *dest, rspg_diag *d, rspg_output_dest *out);
void rspg_output_dest_close(rspg_output_dest *t);

/* Removes NAME under DIRFD (a file, a link, or a folder and what it holds), never following
 * a symbolic link. Returns 0, or -1 with errno set. */
int rspg_output_remove_at(int dirfd, const char *name);

/* ---- formats (output_format.c, output_pkcs.c) ---- */

/* PATH with its .der/.pem/.crt/.cer extension replaced by EXT (appended when it has none). */
char *rspg_output_swap_ext(const char *path, const char *ext);
/* Re-encodes every private key file of R as PKCS#8 (PEM "PRIVATE KEY" or DER). */
rspg_status rspg_output_keys_pkcs8(rspg_build_result *r, rspg_diag *d);
/* Adds NAME.p12 beside every TLS certificate of R whose key file R holds (output_format.h). */
rspg_status rspg_output_pkcs12(rspg_build_result *r, const char *password, rspg_diag *d);

#endif
