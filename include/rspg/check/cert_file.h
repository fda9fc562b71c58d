/*
 * cert_file.h: a check of one certificate file (lint, show): the file is read whole, the
 * check runs on its bytes, and its messages name the file.
 */
#ifndef RSPG_CERT_FILE_H
#define RSPG_CERT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"

/* The largest certificate file a check reads. */
#define RSPG_CERT_FILE_MAX (16u << 20)

/* A check of the bytes DATA, LEN of one file, under the check's options OPTS, with what
 * it finds in OUT (e.g. rspg_lint_options and rspg_lint_result). */
typedef rspg_status (*rspg_cert_check_fn)(const void *opts, void *out, const uint8_t *data,
                                          size_t len, rspg_diag *d);

/* Reads the file PATH (at most RSPG_CERT_FILE_MAX bytes) and runs CHECK on its bytes with
 * OPTS and OUT; the messages of CHECK go to D, each prefixed with "PATH: ". Returns what
 * CHECK returns, or RSPG_E_IO ("PATH: cannot be read (or larger than 16 MiB)") without
 * running it. */
rspg_status rspg_cert_file_check(const char *path, rspg_cert_check_fn check, const void *opts,
                                 void *out, rspg_diag *d);

#endif
