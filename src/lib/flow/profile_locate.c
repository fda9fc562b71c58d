/*
 * profile_locate.c: where a profile given by name lives (profile_locate.h): next to the
 * installation of the running executable, or in the source tree of a build tree's
 * executable; never relative to the working directory. mint's default template
 * (mint_default_profile.c) and `build NAME` share it.
 */
#include "rspg/flow/profile_locate.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rspg/base/buf.h"

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

int rspg_profile_is_name(const char *arg)
{
    return arg[0] != '\0' && strchr(arg, '/') == NULL && strcmp(arg, "-") != 0 && !is_file(arg);
}

char *rspg_profile_locate(const char *name, const char *label, const char *what, rspg_diag *d)
{
    char *no = label ? rspg_xstrdup(label) : rspg_xasprintf("no profile '%s'", name);
    size_t n = strlen(name);
    const char *ext = n > 5 && strcmp(name + n - 5, ".yaml") == 0 ? "" : ".yaml";
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0) {
        rspg_fail(d, RSPG_E_PROFILE,
                  "%s: cannot find the running executable (/proc/self/exe); give %s", no, what);
        free(no);
        return NULL;
    }
    exe[len] = '\0';
    cut_last(exe); /* <prefix>/bin */
    char prefix[PATH_MAX];
    snprintf(prefix, sizeof(prefix), "%s", exe);
    cut_last(prefix);
    char *installed = rspg_xasprintf("%s/share/rsp-pkigen/profiles/%s%s", prefix, name, ext);
    if (is_file(installed)) {
        free(no);
        return installed;
    }
#ifdef RSPG_SOURCE_PROFILES
    char *source = rspg_xasprintf("%s/%s%s", RSPG_SOURCE_PROFILES, name, ext);
    if (in_build_tree(exe, prefix) && is_file(source)) {
        free(installed);
        free(no);
        return source;
    }
    rspg_fail(d, RSPG_E_PROFILE, "%s: neither %s nor (for a build tree) %s is readable; give %s",
              no, installed, source, what);
    free(source);
#else
    (void)in_build_tree;
    rspg_fail(d, RSPG_E_PROFILE, "%s: %s is not readable; give %s", no, installed, what);
#endif
    free(installed);
    free(no);
    return NULL;
}
