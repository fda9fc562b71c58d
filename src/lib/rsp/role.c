/*
 * role.c: role names (the profile's and the manifest's vocabulary) and look-ups.
 */
#include "rspg/rsp/role.h"

#include <string.h>

static const char *const role_names[RSPG_ROLE_COUNT] = {
    "ci",       "ci-subca", "eum",      "eum-subca", "euicc",       "dp-subca",
    "ds-subca", "dp-auth",  "dp-pb",    "dp-tls",    "ds-auth",     "ds-tls",
    "eim-sign", "eim-tls",  "sgp02-dp", "sgp02-sr",  "sgp02-ecasd",
};

const char *rspg_role_name(rspg_role r)
{
    return (unsigned)r < RSPG_ROLE_COUNT ? role_names[r] : "unknown";
}

int rspg_role_parse(const char *s, rspg_role *out)
{
    for (int i = 0; i < RSPG_ROLE_COUNT; i++) {
        if (strcmp(s, role_names[i]) == 0) {
            *out = (rspg_role)i;
            return 0;
        }
    }
    return -1;
}

/* rspg_role_is_ca reads the rulebook (rulebook.c). */
