/*
 * build_filters.h: the --variant, --curve and --only filters of a build checked against the
 * profile before anything is issued: a value that names nothing in the profile is an error
 * naming it, the valid values, and the closest one ("did you mean dp-tls?", suggest.h),
 * rather than "the filters select no certificate".
 */
#ifndef RSPG_BUILD_FILTERS_H
#define RSPG_BUILD_FILTERS_H

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

/* RSPG_OK, or RSPG_E_USAGE with one error per filter value of O that matches no variant of
 * P's entities, no curve key, ${CURVE} suffix or OpenSSL name of P's curves, or no role
 * (SGP.22 name, e.g. dp-tls) or entity id of P. */
rspg_status rspg_build_filters_check(const rspg_profile *p, const rspg_build_options *o,
                                     rspg_diag *d);

#endif
