/*
 * mint_default_profile.c: where `mint` finds its default template profile (mint_flow.h):
 * the profile named sgp26, found as every profile given by name is (profile_locate.h):
 * next to the installation of the running executable, or in the source tree of a build
 * tree's executable; never relative to the working directory.
 */
#include "rspg/flow/mint_flow.h"
#include "rspg/flow/profile_locate.h"

char *rspg_mint_default_profile(rspg_diag *d)
{
    return rspg_profile_locate("sgp26", "no default profile", "--profile FILE", d);
}
