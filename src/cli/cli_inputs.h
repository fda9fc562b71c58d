/*
 * cli_inputs.h: the certificate arguments of show, lint and verify: a file, '-' for
 * standard input, and a PEM bundle read whole (a file of three CERTIFICATE blocks is three
 * certificates, named FILE#1, FILE#2, FILE#3), never cut to its first block.
 */
#ifndef RSPG_CLI_INPUTS_H
#define RSPG_CLI_INPUTS_H

#include <stddef.h>

#include "rspg/base/buf.h"

typedef struct cli_object {
    char *name;    /* the argument ("<stdin>" for '-'), with "#K" for the K-th of a bundle */
    rspg_buf data; /* the whole file, or the DER of one block of a bundle */
} cli_object;

typedef struct cli_objects {
    cli_object *v;
    size_t n;
} cli_objects;

/* Appends the objects of the argument PATH to OUT. Returns 0, or -1 after printing the
 * error when the file cannot be read (a bundle block that does not decode is left whole to
 * the caller, whose reader names the problem). */
int cli_read_objects(const char *path, cli_objects *out);
void cli_objects_free(cli_objects *o);

#endif
