/*
 * time.h: civil time (UTC) independent of the C library's time_t range, and RFC 3339.
 *
 * Ownership: nothing is allocated. Thread safety: pure functions.
 */
#ifndef RSPG_TIME_H
#define RSPG_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Parses N decimal digits at P into *OUT; -1 when one is not a digit. */
int rspg_parse_digits(const uint8_t *p, size_t n, int *out);
/* Days in month M (1-12) of year Y, proleptic Gregorian. */
int rspg_days_in_month(int y, int m);

/* Unix seconds <-> civil time (UTC), independent of the C library's time_t range. */
int64_t rspg_days_from_civil(int64_t y, unsigned m, unsigned d);
void rspg_civil_from_unix(int64_t t, int *year, int *mon, int *day, int *hh, int *mm, int *ss);
/* Parses "YYYY-MM-DDTHH:MM:SSZ" (or "YYYY-MM-DD"); -1 when malformed. */
int rspg_parse_rfc3339(const char *s, int64_t *out);
/* Writes RFC 3339 ("YYYY-MM-DDTHH:MM:SSZ") into OUT (at least 32 bytes). */
void rspg_format_rfc3339(int64_t t, char *out, size_t n);

#endif
