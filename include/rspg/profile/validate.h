/*
 * validate.h: the static rule check of a profile: before anything is issued, every entity
 * that the profile says is valid (expect: valid, the default) is checked against the
 * rulebook (rsp/rulebook.h), with the rules verify enforces on the certificate it would
 * become: the issuer's role may issue the entity's (SGP.22 §2.6.1); the required
 * extensions are there (keyUsage; basicConstraints cA for a CA; the role's policy for its
 * arc, with the rulebook's criticality; EKU serverAuth for TLS; nameConstraints for an
 * EUM, SGP.22 §4.5.2.1.0.2); the key usage bits and the CA flag fit the role; and an
 * eUICC's EID (subject serialNumber) has valid check digits (SGP.29 §10) and lies within
 * the EIN prefixes of the EUM (and EUM SubCA) above it. Entities with expect: invalid and
 * SGP.02 card certificates (cvc_spec.h checks those) are not checked.
 */
#ifndef RSPG_VALIDATE_H
#define RSPG_VALIDATE_H

#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"

/* Checks profile P; every violation is an error in D at the entity's, extension's or
 * attribute's location, naming the rule and the SGP.22 error the certificate would get.
 * Returns RSPG_OK or RSPG_E_PROFILE. */
rspg_status rspg_profile_check_rules(const rspg_profile *p, rspg_diag *d);

#endif
