/*
 * diag.c: the diagnostics sink. Messages are collected, never printed here; the CLI
 * formats them as "FILE:LINE:COL: message".
 */
#include "rspg/base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "rspg/base/buf.h"

void rspg_diag_init(rspg_diag *d)
{
    memset(d, 0, sizeof(*d));
}

void rspg_diag_fini(rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->entries[i].file);
        free(d->entries[i].message);
    }
    free(d->entries);
    memset(d, 0, sizeof(*d));
}

static void add_v(rspg_diag *d, rspg_severity sev, rspg_loc loc, const char *fmt, va_list ap)
    RSPG_PRINTF(4, 0);
static void add_v(rspg_diag *d, rspg_severity sev, rspg_loc loc, const char *fmt, va_list ap)
{
    char tmp[1024];
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    /* the same message at the same place once (an entity reused through base: would
     * repeat its base's errors) */
    for (size_t i = 0; i < d->count; i++) {
        const rspg_diag_entry *e = &d->entries[i];
        if (e->severity == sev && e->line == loc.line && e->col == loc.col &&
            strcmp(e->message, tmp) == 0 &&
            ((e->file == NULL && loc.file == NULL) ||
             (e->file && loc.file && strcmp(e->file, loc.file) == 0)))
            return;
    }
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->entries = rspg_xrealloc(d->entries, d->cap * sizeof(*d->entries));
    }
    rspg_diag_entry *e = &d->entries[d->count++];
    e->severity = sev;
    e->file = loc.file ? rspg_xstrdup(loc.file) : NULL;
    e->line = loc.line;
    e->col = loc.col;
    e->message = rspg_xstrdup(tmp);
    if (sev == RSPG_SEV_ERROR)
        d->errors++;
}

void rspg_diag_add(rspg_diag *d, rspg_severity sev, rspg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(d, sev, loc, fmt, ap);
    va_end(ap);
}

rspg_status rspg_fail_at(rspg_diag *d, rspg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(d, RSPG_SEV_ERROR, loc, fmt, ap);
    va_end(ap);
    return RSPG_E_PROFILE;
}

rspg_status rspg_fail(rspg_diag *d, rspg_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(d, RSPG_SEV_ERROR, (rspg_loc){0}, fmt, ap);
    va_end(ap);
    return status;
}

rspg_status rspg_fail_crypto(rspg_diag *d, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    unsigned long e = ERR_get_error();
    if (e != 0) {
        char reason[256];
        ERR_error_string_n(e, reason, sizeof(reason));
        ERR_clear_error();
        rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s (libcrypto: %s)", msg, reason);
    } else {
        rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s", msg);
    }
    return RSPG_E_CRYPTO;
}

void rspg_diag_take_prefixed(rspg_diag *d, rspg_diag *from, const char *prefix)
{
    for (size_t i = 0; i < from->count; i++)
        rspg_diag_add(d, from->entries[i].severity, (rspg_loc){0}, "%s: %s", prefix,
                      from->entries[i].message);
    rspg_diag_fini(from);
}

char *rspg_diag_format(const rspg_diag_entry *e)
{
    if (e->file && e->line)
        return rspg_xasprintf("%s:%u:%u: %s", e->file, e->line, e->col, e->message);
    if (e->file)
        return rspg_xasprintf("%s: %s", e->file, e->message);
    return rspg_xstrdup(e->message);
}
