/*
 * mint_default_profile.c: where `mint` finds its default template profile (mint_flow.h):
 * next to the installation of the running executable, or in the source tree of a build
 * tree's executable; never relative to the working directory.
 */
#include "rspg/flow/mint_flow.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PROFILE "sgp26.yaml"

/* The folder of PATH, in place ("/" for a top-level file, "." when PATH has no '/'). */
static void cut_last(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash == NULL)
        strcpy(path, ".");
    else if (slash == path)
        path[1] = '\0';
    else
        *slash = '\0';
}

static int is_file(const char *path)
{
    return access(path, R_OK) == 0;
}

/* A CMake build tree: CMakeCache.txt in the executable's folder or the one above it. */
static int in_build_tree(const char *exe_dir, const char *prefix)
{
    char *a = rspg_xasprintf("%s/CMakeCache.txt", exe_dir);
    char *b = rspg_xasprintf("%s/CMakeCache.txt", prefix);
    int yes = is_file(a) || is_file(b);
    free(a);
    free(b);
    return yes;
}

char *rspg_mint_default_profile(rspg_diag *d)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        rspg_fail(d, RSPG_E_USAGE,
                  "no default profile: cannot find the running executable "
                  "(/proc/self/exe); give --profile FILE");
        return NULL;
    }
    exe[n] = '\0';
    cut_last(exe); /* <prefix>/bin */
    char prefix[PATH_MAX];
    snprintf(prefix, sizeof(prefix), "%s", exe);
    cut_last(prefix);
    char *installed = rspg_xasprintf("%s/share/rsp-pkigen/profiles/" DEFAULT_PROFILE, prefix);
    if (is_file(installed))
        return installed;
#ifdef RSPG_SOURCE_PROFILES
    char *source = rspg_xasprintf("%s/" DEFAULT_PROFILE, RSPG_SOURCE_PROFILES);
    if (in_build_tree(exe, prefix) && is_file(source)) {
        free(installed);
        return source;
    }
    rspg_fail(d, RSPG_E_USAGE,
              "no default profile: neither %s nor (for a build tree) %s is "
              "readable; give --profile FILE",
              installed, source);
    free(source);
#else
    (void)in_build_tree;
    rspg_fail(d, RSPG_E_USAGE, "no default profile: %s is not readable; give --profile FILE",
              installed);
#endif
    free(installed);
    return NULL;
}
