/*
 * output.c: atomic, confined output. Files are created in a fresh temporary folder beside
 * the destination (same file system, so that rename(2) is atomic), then the folder is
 * renamed into place. With force, an existing destination is first renamed aside and
 * removed only after the new folder is in place. Between writing and renaming, the caller
 * may check the temporary folder (the stage) and discard it.
 *
 * Confinement (issue 14): every artifact path is checked again here (rspg_output_path_check)
 * and every file is created relative to a directory descriptor, one component at a time,
 * with O_NOFOLLOW and O_CREAT|O_EXCL: no write can leave the temporary folder, through a
 * '..' or through a symbolic link. Removal (a discarded stage, the replaced folder) walks
 * descriptors too and never follows a link. The destination is locked (output_lock.c) and
 * guarded (output_guard.c) before anything is created.
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

#include "issue/output_internal.h"

#define MAX_PATH_LEN 1024 /* an artifact path, in bytes */
#define MAX_NAME_LEN 255  /* one component (NAME_MAX on common file systems) */
#define MAX_DEPTH 64      /* folders removed recursively */

struct rspg_output_stage {
    rspg_output_dest dest;  /* the destination: path, parent descriptor, name */
    char *tmp;              /* the temporary folder, as a path (for the verifier) */
    char *tmp_name;         /* its name in the parent folder */
    int tmp_fd;             /* its descriptor */
    int exists;             /* the destination existed (and force was given) */
    rspg_output_lock *lock; /* taken by the stage (NULL when the caller holds it) */
};

const char *rspg_output_path_check(const char *path)
{
    size_t len = strlen(path);
    if (len == 0)
        return "is empty";
    if (len > MAX_PATH_LEN)
        return "is longer than 1024 bytes";
    if (path[0] == '/')
        return "is absolute";
    if (strcmp(path, "manifest.json") == 0)
        return "is the manifest's own name";
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "contains a control character";
    for (const char *c = path;; c++) {
        const char *end = strchr(c, '/');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (n == 0)
            return "has an empty component ('//' or a trailing '/')";
        if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            return "has a '.' or '..' component";
        if (n > MAX_NAME_LEN)
            return "has a component longer than 255 bytes";
        if (end == NULL)
            return NULL;
        c = end;
    }
}

rspg_status rspg_output_dest_open(const char *dest, rspg_diag *d, rspg_output_dest *out)
{
    size_t n = strlen(dest);
    while (n > 1 && dest[n - 1] == '/')
        n--;
    memset(out, 0, sizeof(*out));
    out->parent = -1;
    out->path = rspg_xstrndup(dest, n);
    char *slash = strrchr(out->path, '/');
    out->name = rspg_xstrdup(slash ? slash + 1 : out->path);
    char *dir = slash == out->path ? rspg_xstrdup("/")
                : slash            ? rspg_xstrndup(out->path, (size_t)(slash - out->path))
                                   : rspg_xstrdup(".");
    rspg_status rc = RSPG_OK;
    if (n == 0 || out->name[0] == '\0' || strcmp(out->name, ".") == 0 ||
        strcmp(out->name, "..") == 0)
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: not a name for a new folder", dest);
    else if ((out->parent = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot create a folder next to it: %s", out->path,
                       strerror(errno));
    free(dir);
    if (rc != RSPG_OK)
        rspg_output_dest_close(out);
    return rc;
}

void rspg_output_dest_close(rspg_output_dest *t)
{
    if (t->parent >= 0)
        close(t->parent);
    free(t->path);
    free(t->name);
    memset(t, 0, sizeof(*t));
    t->parent = -1;
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

/* Opens (creating it when missing) the folder NAME under DIRFD, never through a link. */
static int open_subdir(int dirfd, const char *name)
{
    if (mkdirat(dirfd, name, 0755) != 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Creates the new file REL (a checked relative path) under ROOT, its folders first; SECRET:
 * mode 0600 whatever the umask. Returns 0, or -1 with errno set. */
static int create_at(int root, const char *rel, const uint8_t *data, size_t len, int secret)
{
    char *copy = rspg_xstrdup(rel), *save = NULL;
    char *comp = strtok_r(copy, "/", &save), *next;
    int dirfd = root, rc = 0;
    for (; comp && (next = strtok_r(NULL, "/", &save)) != NULL && rc == 0; comp = next) {
        int fd = open_subdir(dirfd, comp);
        if (dirfd != root)
            close(dirfd);
        dirfd = fd;
        rc = fd < 0 ? -1 : 0;
    }
    if (rc == 0) {
        int fd = openat(dirfd, comp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        secret ? 0600 : 0644);
        rc = fd >= 0 && (!secret || fchmod(fd, 0600) == 0) && write_fd(fd, data, len) == 0 ? 0 : -1;
        int err = errno;
        if (fd >= 0 && close(fd) != 0 && rc == 0)
            err = errno, rc = -1;
        errno = err;
    }
    int err = errno;
    if (dirfd != root && dirfd >= 0)
        close(dirfd);
    free(copy);
    errno = err;
    return rc;
}

/* Writes one file of the stage; SHOWN names it under the destination. */
static rspg_status stage_file(const rspg_output_stage *s, const char *rel, const uint8_t *data,
                              size_t len, int secret, rspg_diag *d)
{
    const char *why = strcmp(rel, "manifest.json") == 0 ? NULL : rspg_output_path_check(rel);
    if (why)
        return rspg_fail(d, RSPG_E_USAGE, "%s: output path '%s' %s; nothing is written",
                         s->dest.path, rel, why);
    if (create_at(s->tmp_fd, rel, data, len, secret) == 0)
        return RSPG_OK;
    return rspg_fail(d, RSPG_E_IO, "%s/%s: cannot write: %s", s->dest.path, rel, strerror(errno));
}

/* Removes NAME under DIRFD: a file or link is unlinked, a folder emptied first; links are
 * never followed. Returns 0, or -1 with errno set. */
static int remove_at(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return 0;
    if ((errno != EISDIR && errno != EPERM) || depth > MAX_DEPTH)
        return -1;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (dir == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct dirent *de;
    int rc = 0, err = 0;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (remove_at(fd, de->d_name, depth + 1) != 0)
            rc = -1, err = errno;
    }
    closedir(dir);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0)
        return -1;
    errno = err;
    return rc;
}

int rspg_output_remove_at(int dirfd, const char *name)
{
    return remove_at(dirfd, name, 0);
}

rspg_status rspg_remove_tree(const char *path, rspg_diag *d)
{
    rspg_output_dest t;
    rspg_diag quiet;
    rspg_diag_init(&quiet);
    int rc =
        rspg_output_dest_open(path, &quiet, &t) == RSPG_OK ? remove_at(t.parent, t.name, 0) : -1;
    int err = errno;
    rspg_output_dest_close(&t);
    rspg_diag_fini(&quiet);
    if (rc == 0)
        return RSPG_OK;
    if (d)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot remove: %s", path, strerror(err));
    return RSPG_E_IO;
}

static void stage_free(rspg_output_stage *s)
{
    if (s->tmp_fd >= 0)
        close(s->tmp_fd);
    rspg_output_lock_release(s->lock);
    rspg_output_dest_close(&s->dest);
    free(s->tmp);
    free(s->tmp_name);
    free(s);
}

void rspg_output_discard(rspg_output_stage *s)
{
    if (s == NULL)
        return;
    if (s->tmp_name)
        remove_at(s->dest.parent, s->tmp_name, 0);
    stage_free(s);
}

const char *rspg_output_stage_dir(const rspg_output_stage *s)
{
    return s->tmp;
}

/* Creates the temporary folder DEST.tmp-XXXXXX beside the destination. */
static rspg_status make_tmp(rspg_output_stage *s, rspg_diag *d)
{
    s->tmp = rspg_xasprintf("%s.tmp-XXXXXX", s->dest.path);
    if (mkdtemp(s->tmp) == NULL) {
        rspg_status rc = rspg_fail(d, RSPG_E_IO, "%s: cannot create a folder next to it: %s",
                                   s->dest.path, strerror(errno));
        free(s->tmp);
        s->tmp = NULL;
        return rc;
    }
    const char *slash = strrchr(s->tmp, '/');
    s->tmp_name = rspg_xstrdup(slash ? slash + 1 : s->tmp);
    s->tmp_fd =
        openat(s->dest.parent, s->tmp_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (s->tmp_fd < 0 || fchmod(s->tmp_fd, 0755) != 0)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot create a folder next to it: %s", s->dest.path,
                         strerror(errno));
    return RSPG_OK;
}

/* A new stage for DEST: the destination locked and checked, the temporary folder created. */
static rspg_status stage_open(const char *dest, const rspg_output_options *o, rspg_diag *d,
                              rspg_output_stage **out)
{
    rspg_output_stage *s = rspg_xcalloc(1, sizeof(*s));
    s->tmp_fd = -1;
    rspg_status rc = rspg_output_dest_open(dest, d, &s->dest);
    if (rc == RSPG_OK && !o->locked)
        rc = rspg_output_lock_take(dest, d, &s->lock);
    if (rc == RSPG_OK)
        rc = rspg_output_check_dest(dest, o, d, &s->exists);
    if (rc == RSPG_OK)
        rc = make_tmp(s, d);
    if (rc != RSPG_OK) {
        rspg_output_discard(s);
        return rc;
    }
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
        rc = stage_file(s, a->path, a->data.data, a->data.len, a->secret, d);
    }
    if (rc == RSPG_OK && o->manifest)
        rc =
            stage_file(s, "manifest.json", (const uint8_t *)o->manifest, strlen(o->manifest), 0, d);
    if (rc != RSPG_OK) {
        if (s)
            rspg_output_discard(s);
        return rc;
    }
    *out = s;
    return RSPG_OK;
}

/* Moves the existing destination aside; *ASIDE is its new name in the parent folder. */
static rspg_status move_aside(const rspg_output_stage *s, rspg_diag *d, char **aside)
{
    char *path = rspg_xasprintf("%s.old-XXXXXX", s->dest.path);
    int ok = mkdtemp(path) != NULL && rmdir(path) == 0;
    const char *slash = strrchr(path, '/');
    *aside = rspg_xstrdup(slash ? slash + 1 : path);
    free(path);
    if (!ok || renameat(s->dest.parent, s->dest.name, s->dest.parent, *aside) != 0) {
        free(*aside);
        *aside = NULL;
        return rspg_fail(d, RSPG_E_IO, "%s: cannot move the old folder aside: %s", s->dest.path,
                         strerror(errno));
    }
    return RSPG_OK;
}

rspg_status rspg_output_commit(rspg_output_stage *s, rspg_diag *d)
{
    char *aside = NULL;
    rspg_status rc = RSPG_OK;
    int parent = s->dest.parent;
    if (s->exists)
        rc = move_aside(s, d, &aside);
    if (rc == RSPG_OK && renameat(parent, s->tmp_name, parent, s->dest.name) != 0) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot rename the new folder into place: %s",
                       s->dest.path, strerror(errno));
        if (aside)
            renameat(parent, aside, parent, s->dest.name);
    }
    if (rc == RSPG_OK) {
        free(s->tmp_name); /* in place now: nothing to discard */
        s->tmp_name = NULL;
        if (aside)
            remove_at(parent, aside, 0);
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
