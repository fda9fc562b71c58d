/*
 * time.c: civil time without the C library's time_t limits: days from a proleptic
 * Gregorian date and back, RFC 3339 text (the profile's and the manifest's time format),
 * and the digit and month-length checks that the DER time parser (asn1/der.c) shares.
 */
#include "rspg/base/time.h"

#include <stdio.h>
#include <string.h>

int rspg_parse_digits(const uint8_t *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

int rspg_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, valid far beyond time_t. */
int64_t rspg_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void rspg_civil_from_unix(int64_t t, int *year, int *mon, int *day, int *hh, int *mm, int *ss)
{
    int64_t z = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - z * 86400;
    *hh = (int)(secs / 3600);
    *mm = (int)(secs % 3600 / 60);
    *ss = (int)(secs % 60);
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (m <= 2));
    *mon = (int)m;
    *day = (int)d;
}

int rspg_parse_rfc3339(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    size_t n = strlen(s);
    const uint8_t *p = (const uint8_t *)s;
    if (n != 10 && n != 20)
        return -1;
    if (rspg_parse_digits(p, 4, &y) || p[4] != '-' || rspg_parse_digits(p + 5, 2, &mo) ||
        p[7] != '-' || rspg_parse_digits(p + 8, 2, &d))
        return -1;
    if (n == 20) {
        if ((p[10] != 'T' && p[10] != 't' && p[10] != ' ') || rspg_parse_digits(p + 11, 2, &h) ||
            p[13] != ':' || rspg_parse_digits(p + 14, 2, &mi) || p[16] != ':' ||
            rspg_parse_digits(p + 17, 2, &sec) || (p[19] != 'Z' && p[19] != 'z'))
            return -1;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > rspg_days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59)
        return -1;
    *out = rspg_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

void rspg_format_rfc3339(int64_t t, char *out, size_t n)
{
    int y, mo, d, h, mi, s;
    rspg_civil_from_unix(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
}
