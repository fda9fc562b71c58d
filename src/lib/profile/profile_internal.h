/*
 * profile_internal.h: model helpers shared by the loader and the builder.
 */
#ifndef RSPG_PROFILE_INTERNAL_H
#define RSPG_PROFILE_INTERNAL_H

#include "rspg/profile/profile.h"

void rspg_general_names_free(rspg_general_name *names, size_t n);
void rspg_ext_clear(rspg_ext *e);
void rspg_per_curve_clear(rspg_per_curve *v);
void rspg_dn_clear(rspg_dn *dn);
void rspg_entity_clear(rspg_entity *e);
void rspg_crl_def_clear(rspg_crl_def *c);

#endif
