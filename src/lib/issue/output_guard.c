/*
 * output_guard.c: which destinations a build may replace (issue 14, "build --force").
 * Never, whatever the flags: a symbolic link (the folder it points to must be named), '/',
 * the home folder, the current folder or one that contains it, a folder that contains the
 * profile (options.keep). An existing folder needs force; with force it must be empty or a
 * previous rsp-pkigen output (a regular manifest.json whose "schema" is
 * RSPG_MANIFEST_SCHEMA), unless force_any: a typo in -o cannot wipe a user's data.
 */
#define _DEFAULT_SOURCE /* realpath, flock (glibc hides them under plain POSIX) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "issue/output_internal.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"

#define MAX_MANIFEST (64u << 20) /* bytes read of a manifest.json to recognise it */

/* 1 when the folder OUTER is INNER or one of its ancestors (both canonical paths). */
static int contains(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    if (strcmp(outer, "/") == 0)
        return 1;
    return strncmp(outer, inner, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

/* 1 when PATH (canonicalised) is inside or equal to the folder REAL. */
static int holds(const char *real, const char *path)
{
    char *p = path ? realpath(path, NULL) : NULL;
    int r = p && contains(real, p);
    free(p);
    return r;
}

/* Why the folder REAL must never be replaced, or NULL. */
static const char *protected_reason(const char *real, const char *keep)
{
    if (strcmp(real, "/") == 0)
        return "is the root folder";
    char *home = getenv("HOME") ? realpath(getenv("HOME"), NULL) : NULL;
    int is_home = home && strcmp(home, real) == 0;
    free(home);
    if (is_home)
        return "is the home folder";
    char *cwd = getcwd(NULL, 0);
    int in_cwd = holds(real, cwd);
    free(cwd);
    if (in_cwd)
        return "is the current folder or contains it";
    if (holds(real, keep))
        return "contains the profile";
    return NULL;
}

/* Why the folder DIRFD is not a previous output (NULL when it is, or is empty). */
static const char *foreign_reason(int dirfd)
{
    int fd = openat(dirfd, "manifest.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 && errno == ELOOP)
        return "its manifest.json is a symbolic link";
    if (fd < 0) {
        int dup_fd = dup(dirfd);
        DIR *dir = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
        int empty = dir != NULL;
        for (struct dirent *de; dir && (de = readdir(dir)) != NULL;)
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                empty = 0;
        if (dir)
            closedir(dir);
        else if (dup_fd >= 0)
            close(dup_fd);
        return empty ? NULL : "it has no manifest.json";
    }
    const char *why = NULL;
    char *text = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_MANIFEST)
        why = "its manifest.json is not a manifest";
    else {
        text = rspg_xmalloc((size_t)st.st_size + 1);
        ssize_t n = read(fd, text, (size_t)st.st_size);
        json_t *root = n == st.st_size ? json_loadb(text, (size_t)n, 0, NULL) : NULL;
        const char *schema = json_string_value(json_object_get(root, "schema"));
        if (root == NULL)
            why = "its manifest.json is not JSON";
        else if (schema == NULL || strcmp(schema, RSPG_MANIFEST_SCHEMA) != 0)
            why = "the schema of its manifest.json is not " RSPG_MANIFEST_SCHEMA;
        json_decref(root);
    }
    free(text);
    close(fd);
    return why;
}

/* The checks of an existing folder T (not a link) to be replaced with force. */
static rspg_status check_folder(const rspg_output_dest *t, const rspg_output_options *o,
                                rspg_diag *d)
{
    if (o->force_any)
        return RSPG_OK;
    int fd = openat(t->parent, t->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot read: %s", t->path, strerror(errno));
    const char *why = foreign_reason(fd);
    close(fd);
    if (why)
        return rspg_fail(d, RSPG_E_USAGE,
                         "%s: not a previous rsp-pkigen output (%s); --force replaces only "
                         "those, --force-any replaces any folder",
                         t->path, why);
    return RSPG_OK;
}

rspg_status rspg_output_check_dest(const char *dest, const rspg_output_options *o, rspg_diag *d,
                                   int *exists)
{
    struct stat st;
    rspg_output_dest t;
    *exists = 0;
    char *real = realpath(dest, NULL); /* first: '-o .' or '-o ~' are named as such */
    const char *why = real ? protected_reason(real, o->keep) : NULL;
    free(real);
    if (why)
        return rspg_fail(d, RSPG_E_USAGE, "%s: %s; never replaced", dest, why);
    rspg_status rc = rspg_output_dest_open(dest, d, &t);
    if (rc != RSPG_OK)
        return rc;
    if (fstatat(t.parent, t.name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT)
            rc = rspg_fail(d, RSPG_E_IO, "%s: %s", t.path, strerror(errno));
    } else if (S_ISLNK(st.st_mode)) {
        rc = rspg_fail(d, RSPG_E_USAGE,
                       "%s: is a symbolic link; never replaced (name the folder itself)", t.path);
    } else if (!o->force) {
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: already exists (use --force to replace it)", t.path);
    } else if (!S_ISDIR(st.st_mode)) {
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: exists and is not a folder", t.path);
    } else {
        rc = check_folder(&t, o, d);
        *exists = rc == RSPG_OK;
    }
    rspg_output_dest_close(&t);
    return rc;
}
