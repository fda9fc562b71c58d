/*
 * cvc_spec.h: the `cvc:` key of a profile entity with an SGP.02 role (sgp02-dp, sgp02-sr,
 * sgp02-ecasd): the fields of its GP '7F21' card-verifiable certificate, as written in
 * the profile (plain strings; checked by the loader, resolved by the builder). Every
 * field is optional; the defaults and their sources are in docs/sgp02-cvc.md.
 */
#ifndef RSPG_CVC_SPEC_H
#define RSPG_CVC_SPEC_H

#include <stddef.h>

#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"

/* One data object of the discretionary data (73): a tag in hex ("C8", "DF20") and its
 * value in hex, or "auto". */
typedef struct rspg_cvc_spec_item {
    char *tag;
    char *value;
    rspg_loc loc;
} rspg_cvc_spec_item;

typedef struct rspg_cvc_spec {
    rspg_loc loc;
    char *serial;                      /* 93: hex; NULL: the entity's serial */
    char *ca_id;                       /* 42: hex; NULL or "auto": the issuer's SKI */
    char *subject_id;                  /* 5F20: hex; NULL or "auto": the subject key's SKI */
    char *key_usage;                   /* 95: hex, 1 or 2 bytes; NULL: 88 (DP/SR), 0080 (ECASD) */
    int effective;                     /* 5F25: 1 write (default), 0 omit */
    char *effective_date;              /* YYYY-MM-DD; NULL: the date of notBefore */
    char *expiration_date;             /* 5F24: YYYY-MM-DD; NULL: the date of notAfter */
    char *sd_image;                    /* 45: hex; NULL: absent */
    int has_discretionary;             /* 0: the default list for the role */
    rspg_cvc_spec_item *discretionary; /* 73, in order (empty and given: no 73 at all) */
    size_t n_discretionary;
    char *key_parameter; /* F0: hex; NULL: the reference of the key's curve */
} rspg_cvc_spec;

void rspg_cvc_spec_free(rspg_cvc_spec *s);

/* Is ROLE one of the SGP.02 card-verifiable certificate roles? */
int rspg_role_is_cvc(rspg_role role);

/* Checks the text VALUE of cvc key KEY (for a discretionary item, KEY is "item" and TAG
 * its tag). Returns 0, or -1 with a message in MSG. */
int rspg_cvc_spec_check(const char *key, const char *tag, const char *value, char *msg,
                        size_t msg_len);

/* The profile-level rules for entity E (called by the loader for every entity): SGP.02
 * roles are issued by a CI (sgp02-dp, sgp02-sr) or an EUM (sgp02-ecasd) of the profile,
 * write .cvc/.hex files, have no X.509 extensions; other roles have no `cvc:` and write
 * .der/.pem. Returns 0, or nonzero with the errors in D. */
int rspg_cvc_validate_entity(const rspg_profile *p, const rspg_entity *e, rspg_diag *d);

#endif
