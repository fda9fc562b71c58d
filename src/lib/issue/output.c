/*
 * output.c: atomic output. Files are created with O_CREAT|O_EXCL in a fresh temporary
 * folder beside the destination (same file system, so that rename(2) is atomic), then the
 * folder is renamed into place. With force, an existing destination is first renamed
 * aside and removed only after the new folder is in place. Between writing and renaming,
 * the caller may check the temporary folder (the stage) and discard it.
 */
#include "rspg/issue/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rspg_output_stage {
    char *target; /* the destination, without trailing '/' */
    char *tmp;    /* the temporary folder beside it */
    int exists;   /* the destination existed (and force was given) */
};

/* Creates the folders of REL (a '/'-separated file path) under ROOT. */
static rspg_status mkdirs(const char *root, const char *rel, const char *shown, rspg_diag *d)
{
    char *path = rspg_xasprintf("%s/%s", root, rel);
    rspg_status rc = RSPG_OK;
    for (char *p = path + strlen(root) + 1; *p && rc == RSPG_OK; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                rc =
                    rspg_fail(d, RSPG_E_IO, "%s/%s: cannot write: %s", shown, rel, strerror(errno));
            *p = '/';
        }
    }
    free(path);
    return rc;
}

static int write_fd(int fd, const uint8_t *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* Writes a new file PATH (SHOWN in messages); SECRET: mode 0600 whatever the umask. */
static rspg_status write_file(const char *path, const char *shown, const uint8_t *data, size_t len,
                              int secret, rspg_diag *d)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, secret ? 0600 : 0644);
    int ok = fd >= 0 && (!secret || fchmod(fd, 0600) == 0) && write_fd(fd, data, len) == 0;
    int err = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot write: %s", shown, strerror(err));
    return RSPG_OK;
}

static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child = rspg_xasprintf("%s/%s", path, de->d_name);
        if (remove_tree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(dir);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

rspg_status rspg_remove_tree(const char *path, rspg_diag *d)
{
    if (remove_tree(path) == 0)
        return RSPG_OK;
    if (d)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot remove: %s", path, strerror(errno));
    return RSPG_E_IO;
}

static void stage_free(rspg_output_stage *s)
{
    free(s->target);
    free(s->tmp);
    free(s);
}

void rspg_output_discard(rspg_output_stage *s)
{
    if (s == NULL)
        return;
    remove_tree(s->tmp);
    stage_free(s);
}

const char *rspg_output_stage_dir(const rspg_output_stage *s)
{
    return s->tmp;
}

/* A new stage for DEST: the destination checked, the temporary folder created. */
static rspg_status stage_open(const char *dest, const rspg_output_options *o, rspg_diag *d,
                              rspg_output_stage **out)
{
    struct stat st;
    size_t n = strlen(dest);
    while (n > 1 && dest[n - 1] == '/')
        n--;
    rspg_output_stage *s = rspg_xcalloc(1, sizeof(*s));
    s->target = rspg_xstrndup(dest, n);
    s->exists = stat(s->target, &st) == 0;
    rspg_status rc = RSPG_OK;
    if (s->exists && !o->force)
        rc =
            rspg_fail(d, RSPG_E_USAGE, "%s: already exists (use --force to replace it)", s->target);
    else if (s->exists && !S_ISDIR(st.st_mode))
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: exists and is not a folder", s->target);
    if (rc == RSPG_OK) {
        s->tmp = rspg_xasprintf("%s.tmp-XXXXXX", s->target);
        if (mkdtemp(s->tmp) == NULL) {
            rc = rspg_fail(d, RSPG_E_IO, "%s: cannot create a folder next to it: %s", s->target,
                           strerror(errno));
            free(s->tmp);
            s->tmp = NULL;
        }
    }
    if (rc != RSPG_OK) {
        stage_free(s);
        return rc;
    }
    chmod(s->tmp, 0755);
    *out = s;
    return RSPG_OK;
}

rspg_status rspg_output_stage_write(const char *dest, const rspg_build_result *r,
                                    const rspg_output_options *o, rspg_diag *d,
                                    rspg_output_stage **out)
{
    rspg_output_stage *s = NULL;
    *out = NULL;
    rspg_status rc = stage_open(dest, o, d, &s);
    for (size_t i = 0; i < r->n && rc == RSPG_OK; i++) {
        const rspg_artifact *a = &r->items[i];
        char *path = rspg_xasprintf("%s/%s", s->tmp, a->path);
        char *shown = rspg_xasprintf("%s/%s", s->target, a->path);
        rc = mkdirs(s->tmp, a->path, s->target, d);
        if (rc == RSPG_OK)
            rc = write_file(path, shown, a->data.data, a->data.len, a->secret, d);
        free(shown);
        free(path);
    }
    if (rc == RSPG_OK && o->manifest) {
        char *path = rspg_xasprintf("%s/manifest.json", s->tmp);
        char *shown = rspg_xasprintf("%s/manifest.json", s->target);
        rc = write_file(path, shown, (const uint8_t *)o->manifest, strlen(o->manifest), 0, d);
        free(shown);
        free(path);
    }
    if (rc != RSPG_OK) {
        if (s)
            rspg_output_discard(s);
        return rc;
    }
    *out = s;
    return RSPG_OK;
}

/* Moves the existing destination aside; *ASIDE is its new name. */
static rspg_status move_aside(const rspg_output_stage *s, rspg_diag *d, char **aside)
{
    *aside = rspg_xasprintf("%s.old-XXXXXX", s->target);
    if (mkdtemp(*aside) == NULL || rmdir(*aside) != 0 || rename(s->target, *aside) != 0) {
        free(*aside);
        *aside = NULL;
        return rspg_fail(d, RSPG_E_IO, "%s: cannot move the old folder aside: %s", s->target,
                         strerror(errno));
    }
    return RSPG_OK;
}

rspg_status rspg_output_commit(rspg_output_stage *s, rspg_diag *d)
{
    char *aside = NULL;
    rspg_status rc = RSPG_OK;
    if (s->exists)
        rc = move_aside(s, d, &aside);
    if (rc == RSPG_OK && rename(s->tmp, s->target) != 0) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot rename the new folder into place: %s", s->target,
                       strerror(errno));
        if (aside)
            rename(aside, s->target);
    }
    if (rc == RSPG_OK) {
        free(s->tmp); /* in place now: nothing to discard */
        s->tmp = NULL;
        if (aside)
            remove_tree(aside);
        stage_free(s);
    } else {
        rspg_output_discard(s);
    }
    free(aside);
    return rc;
}

rspg_status rspg_output_write(const char *dest, const rspg_build_result *r,
                              const rspg_output_options *o, rspg_diag *d)
{
    rspg_output_stage *s;
    rspg_status rc = rspg_output_stage_write(dest, r, o, d, &s);
    if (rc == RSPG_OK)
        rc = rspg_output_commit(s, d);
    return rc;
}
