/*
 * profile_locate.h: finding a profile by name ("sgp26" for sgp26.yaml), as `build NAME`
 * and mint's default template do: <prefix>/share/rsp-pkigen/profiles/NAME.yaml, the prefix
 * being the folder above the one of the running executable (/proc/self/exe), else, for an
 * executable in a CMake build tree, the source tree's profiles/NAME.yaml. Never relative to
 * the working directory.
 */
#ifndef RSPG_PROFILE_LOCATE_H
#define RSPG_PROFILE_LOCATE_H

#include "rspg/base/diag.h"

/* Whether ARG looks like a profile name rather than a file: no '/', not "-", and no
 * readable file of that name in the working directory. */
int rspg_profile_is_name(const char *arg);

/* The path of the profile NAME (".yaml" appended when missing), as a new string; or NULL
 * with an error in D naming every place looked at: "LABEL: ..." (LABEL NULL: "no profile
 * 'NAME'"), ending with "give WHAT" (e.g. "--profile FILE"). */
char *rspg_profile_locate(const char *name, const char *label, const char *what, rspg_diag *d);

#endif
