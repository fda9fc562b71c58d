/*
 * clock.h: the time a run issues certificates at, one rule for build and mint: the
 * caller's option (--clock), else the profile's defaults.clock, else SOURCE_DATE_EPOCH
 * (reproducible-builds.org: decimal seconds since the epoch, nothing else), else now.
 *
 * Ownership: the source string is static. Thread safety: reads the environment only.
 */
#ifndef RSPG_CLOCK_H
#define RSPG_CLOCK_H

#include <stdint.h>

#include "rspg/base/diag.h"

typedef struct rspg_clock {
    int64_t time;       /* Unix seconds */
    const char *source; /* "option", "profile", "SOURCE_DATE_EPOCH" or "now" (static) */
} rspg_clock;

/* Resolves the clock: OPTION when HAS_OPTION, else PROFILE_CLOCK (RFC 3339, may be NULL),
 * else the environment's SOURCE_DATE_EPOCH, else the current time. RSPG_E_USAGE (with the
 * value named in D) when SOURCE_DATE_EPOCH is set but is not a plain decimal number of
 * seconds, and RSPG_E_PROFILE when PROFILE_CLOCK is not RFC 3339; OUT is then untouched. */
rspg_status rspg_clock_resolve(int has_option, int64_t option, const char *profile_clock,
                               rspg_diag *d, rspg_clock *out);

#endif
