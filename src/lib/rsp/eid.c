/*
 * eid.c: EID format and check digits. SGP.29 §10 (and SGP.02): 32 decimal digits, the
 * last two being ISO/IEC 7064 MOD 97-10 check digits, so that the whole number mod 97
 * is 1. The 32 digits do not fit in 64 bits; the remainder is computed digit by digit.
 */
#include "rspg/rsp/eid.h"

#include <string.h>

static int mod97(const char *s, size_t n, unsigned *out)
{
    unsigned r = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        r = (r * 10 + (unsigned)(s[i] - '0')) % 97;
    }
    *out = r;
    return 0;
}

rspg_eid_error rspg_eid_check(const char *eid)
{
    size_t n = strlen(eid);
    unsigned r;
    if (n != RSPG_EID_LEN)
        return RSPG_EID_BAD_LENGTH;
    if (mod97(eid, n, &r) != 0)
        return RSPG_EID_NOT_DIGITS;
    return r == 1 ? RSPG_EID_OK : RSPG_EID_BAD_CHECK_DIGITS;
}

const char *rspg_eid_error_text(rspg_eid_error e)
{
    switch (e) {
    case RSPG_EID_OK:
        return "valid";
    case RSPG_EID_BAD_LENGTH:
        return "an EID has exactly 32 digits";
    case RSPG_EID_NOT_DIGITS:
        return "an EID has only decimal digits";
    case RSPG_EID_BAD_CHECK_DIGITS:
        return "wrong check digits (ISO/IEC 7064 MOD 97-10)";
    }
    return "unknown";
}

int rspg_eid_check_digits(const char *eid30, char out[2])
{
    char tmp[RSPG_EID_LEN];
    unsigned r;
    if (strlen(eid30) < RSPG_EID_LEN - 2)
        return -1;
    memcpy(tmp, eid30, RSPG_EID_LEN - 2);
    tmp[30] = tmp[31] = '0';
    if (mod97(tmp, RSPG_EID_LEN, &r) != 0)
        return -1;
    unsigned c = 98 - r;
    out[0] = (char)('0' + c / 10);
    out[1] = (char)('0' + c % 10);
    return 0;
}

int rspg_eid_complete(const char *eid30, char out[RSPG_EID_LEN + 1])
{
    if (rspg_eid_check_digits(eid30, out + 30) != 0)
        return -1;
    memcpy(out, eid30, 30);
    out[RSPG_EID_LEN] = '\0';
    return 0;
}

int rspg_eid_has_prefix(const char *eid, const char *prefix)
{
    return strncmp(eid, prefix, strlen(prefix)) == 0;
}
