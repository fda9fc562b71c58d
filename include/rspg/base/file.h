/*
 * file.h: reading input files. Only regular files are read: a FIFO, a device, a socket or
 * a folder is refused before it is opened for reading (opening a FIFO would block for
 * ever), and a file larger than the caller's limit is refused, not truncated.
 *
 * Ownership: bytes are appended to a caller-owned rspg_buf. Thread safety: no shared state.
 */
#ifndef RSPG_FILE_H
#define RSPG_FILE_H

#include <stddef.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"

/* errno value rspg_read_file sets for a path that exists but is not a regular file. */
#define RSPG_ENOTREG 0x52535047

/* Appends the contents of the regular file PATH to OUT; -1 with errno set when it cannot
 * be read (EFBIG when it is larger than MAX bytes, RSPG_ENOTREG when it is not a regular
 * file). What was appended is wiped and removed on failure (it may have been a key). */
int rspg_read_file(const char *path, size_t max, rspg_buf *out);

/* The reason of a failed rspg_read_file in words (strerror, plus RSPG_ENOTREG). */
const char *rspg_read_error(int err);

/* rspg_read_file with a message: RSPG_E_IO and "PATH: cannot read the WHAT: REASON" in D. */
rspg_status rspg_file_read(const char *path, size_t max, const char *what, rspg_diag *d,
                           rspg_buf *out);

#endif
