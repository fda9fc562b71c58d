/*
 * diag.h: located diagnostics and status codes.
 *
 * The library never prints and never exits: every fallible function returns an
 * rspg_status and appends human-readable messages to an rspg_diag sink. The CLI turns
 * each message into one line, "rsp-pkigen: error: FILE:LINE:COL: message".
 *
 * Ownership: an rspg_diag owns copies of every file name and message it is given
 * (rspg_diag_fini frees them). Thread safety: one rspg_diag per thread.
 */
#ifndef RSPG_DIAG_H
#define RSPG_DIAG_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define RSPG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RSPG_PRINTF(f, a)
#endif

typedef enum rspg_status {
    RSPG_OK = 0,
    RSPG_E_USAGE = -1,       /* bad command-line use */
    RSPG_E_PROFILE = -2,     /* the profile (or another input) is wrong; the user must fix it */
    RSPG_E_IO = -3,          /* reading or writing a file failed */
    RSPG_E_CRYPTO = -4,      /* libcrypto refused; its error queue was drained into the diag */
    RSPG_E_VERIFY = -5,      /* a verification found disagreements */
    RSPG_E_INTERRUPTED = -6, /* stopped on request; what was written is complete */
    RSPG_E_INPUT = -7,       /* an input file is not what it must be: not a certificate, key, CRL
                                or card certificate, or not strict DER (CLI exit code 4) */
} rspg_status;

typedef enum rspg_severity {
    RSPG_SEV_ERROR,
    RSPG_SEV_WARNING,
    RSPG_SEV_NOTE,
} rspg_severity;

/* A position in an input file; line == 0 means "no position". */
typedef struct rspg_loc {
    const char *file; /* borrowed; must outlive the diag entry (the diag copies it) */
    unsigned line;    /* 1-based */
    unsigned col;     /* 1-based */
} rspg_loc;

typedef struct rspg_diag_entry {
    rspg_severity severity;
    char *file; /* NULL when the message has no file */
    unsigned line, col;
    char *message;
} rspg_diag_entry;

typedef struct rspg_diag {
    rspg_diag_entry *entries;
    size_t count, cap;
    size_t errors; /* number of RSPG_SEV_ERROR entries */
} rspg_diag;

void rspg_diag_init(rspg_diag *d);
void rspg_diag_fini(rspg_diag *d);

/* Records a message at LOC (may be {0}). */
void rspg_diag_add(rspg_diag *d, rspg_severity sev, rspg_loc loc, const char *fmt, ...)
    RSPG_PRINTF(4, 5);

/* Records an error at LOC and returns RSPG_E_PROFILE, for `return rspg_fail_at(...)`. */
rspg_status rspg_fail_at(rspg_diag *d, rspg_loc loc, const char *fmt, ...) RSPG_PRINTF(3, 4);

/* Records an error without position and returns STATUS. */
rspg_status rspg_fail(rspg_diag *d, rspg_status status, const char *fmt, ...) RSPG_PRINTF(3, 4);

/* Records an error, appending libcrypto's queued errors (which it clears); returns RSPG_E_CRYPTO.
 */
rspg_status rspg_fail_crypto(rspg_diag *d, const char *fmt, ...) RSPG_PRINTF(2, 3);

/* Moves every message of FROM into D, each prefixed with "PREFIX: " (e.g. the file the
 * messages are about); FROM is emptied. */
void rspg_diag_take_prefixed(rspg_diag *d, rspg_diag *from, const char *prefix);

/* Formats entry E as "FILE:LINE:COL: message" (or just the message) into a new string. */
char *rspg_diag_format(const rspg_diag_entry *e);

#endif
