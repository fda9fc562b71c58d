/*
 * eid.h: eUICC identifiers (EID). 32 decimal digits whose last two are check digits
 * computed as in ISO/IEC 7064 MOD 97-10 (SGP.29 §10; SGP.02 EID definition): with the
 * check digits set to "00", check = 98 - (N mod 97); a valid EID has N mod 97 == 1.
 */
#ifndef RSPG_EID_H
#define RSPG_EID_H

#include <stddef.h>

#define RSPG_EID_LEN 32

typedef enum rspg_eid_error {
    RSPG_EID_OK = 0,
    RSPG_EID_BAD_LENGTH,
    RSPG_EID_NOT_DIGITS,
    RSPG_EID_BAD_CHECK_DIGITS,
} rspg_eid_error;

/* Checks format and check digits. */
rspg_eid_error rspg_eid_check(const char *eid);
/* Human text for an error code. */
const char *rspg_eid_error_text(rspg_eid_error e);
/* Computes the two check digits for the first 30 digits of EID30 into OUT[0..1]. Returns -1 on
 * non-digits. */
int rspg_eid_check_digits(const char *eid30, char out[2]);
/* Writes a valid EID (32 digits + NUL) into OUT, from 30 leading digits; -1 on bad input. */
int rspg_eid_complete(const char *eid30, char out[RSPG_EID_LEN + 1]);
/* Does EID start with PREFIX (a string of digits)? */
int rspg_eid_has_prefix(const char *eid, const char *prefix);

#endif
