/*
 * clock.c: one rule for the issuing time of build and mint (clock.h).
 */
#include "rspg/base/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "rspg/base/time.h"

/* SOURCE_DATE_EPOCH: digits only (no sign, no blanks), within int64. */
static int parse_epoch(const char *s, int64_t *out)
{
    if (*s == '\0')
        return -1;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (int64_t)v;
    return 0;
}

rspg_status rspg_clock_resolve(int has_option, int64_t option, const char *profile_clock,
                               rspg_diag *d, rspg_clock *out)
{
    int64_t t;
    if (has_option) {
        out->time = option;
        out->source = "option";
        return RSPG_OK;
    }
    if (profile_clock) {
        if (rspg_parse_rfc3339(profile_clock, &t) != 0)
            return rspg_fail(d, RSPG_E_PROFILE, "defaults.clock '%s' is not an RFC 3339 time",
                             profile_clock);
        out->time = t;
        out->source = "profile";
        return RSPG_OK;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) { /* set but empty counts as unset, as in most tools */
        if (parse_epoch(sde, &t) != 0)
            return rspg_fail(d, RSPG_E_USAGE,
                             "SOURCE_DATE_EPOCH '%s' is not a number of seconds since 1970", sde);
        out->time = t;
        out->source = "SOURCE_DATE_EPOCH";
        return RSPG_OK;
    }
    out->time = (int64_t)time(NULL);
    out->source = "now";
    return RSPG_OK;
}
