/*
 * renew_folder.c: a build folder as it is, for `renew` (renew_internal.h): every regular
 * file is read (the new folder is staged from these bytes, so that every file not renewed is
 * written back byte-identical), walking descriptors and never following a link (issue 14,
 * docs/hardening.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flow/renew_internal.h"

#define MAX_DEPTH 64
#define MAX_FILE_BYTES (64u << 20)

/* Reads the open file FD (SIZE bytes) into OUT; -1 on error (errno set). */
static int read_fd(int fd, size_t size, rspg_buf *out)
{
    rspg_buf_reserve(out, size ? size : 1);
    while (1) {
        uint8_t chunk[65536];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        if (out->len + (size_t)n > MAX_FILE_BYTES) {
            errno = EFBIG;
            return -1;
        }
        rspg_buf_append(out, chunk, (size_t)n);
    }
}

static rspg_status walk(int dirfd, const char *rel, const char *dir, int depth, rspg_diag *d,
                        rspg_build_result *r);

/* One entry NAME of the folder DIRFD (REL: its path under the root, "" at the root). */
static rspg_status entry(int dirfd, const char *rel, const char *name, const char *dir, int depth,
                         rspg_diag *d, rspg_build_result *r)
{
    struct stat st;
    char *path = rel[0] ? rspg_xasprintf("%s/%s", rel, name) : rspg_xstrdup(name);
    rspg_status rc = RSPG_OK;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        rc = rspg_fail(d, RSPG_E_IO, "%s/%s: %s", dir, path, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        rc = fd < 0 ? rspg_fail(d, RSPG_E_IO, "%s/%s: %s", dir, path, strerror(errno))
                    : walk(fd, path, dir, depth + 1, d, r);
    } else if (!S_ISREG(st.st_mode)) {
        rc = rspg_fail(d, RSPG_E_IO,
                       "%s/%s: not a regular file (a link or special file): renew keeps a "
                       "folder as rsp-pkigen wrote it",
                       dir, path);
    } else if (rel[0] || strcmp(name, "manifest.json") != 0) {
        int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        rspg_artifact *a = rspg_build_result_add(r, RSPG_ART_CERT, path);
        path = NULL;
        a->secret = (st.st_mode & 077) == 0;
        if (fd < 0 || read_fd(fd, (size_t)st.st_size, &a->data) != 0)
            rc = rspg_fail(d, RSPG_E_IO, "%s/%s: cannot read: %s", dir, a->path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    free(path);
    return rc;
}

/* Every entry of the open folder DIRFD (taken over: closed here). */
static rspg_status walk(int dirfd, const char *rel, const char *dir, int depth, rspg_diag *d,
                        rspg_build_result *r)
{
    if (depth > MAX_DEPTH) {
        close(dirfd);
        return rspg_fail(d, RSPG_E_IO, "%s/%s: folders nested too deep", dir, rel);
    }
    DIR *dp = fdopendir(dirfd);
    if (dp == NULL) {
        close(dirfd);
        return rspg_fail(d, RSPG_E_IO, "%s/%s: %s", dir, rel, strerror(errno));
    }
    rspg_status rc = RSPG_OK;
    struct dirent *de;
    while (rc == RSPG_OK && (de = readdir(dp)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            rc = entry(dirfd, rel, de->d_name, dir, depth, d, r);
    closedir(dp);
    return rc;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

rspg_status rspg_renew_read_folder(const char *dir, rspg_diag *d, rspg_build_result *r)
{
    memset(r, 0, sizeof(*r));
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot open the folder: %s", dir, strerror(errno));
    rspg_status rc = walk(fd, "", dir, 0, d, r);
    if (rc == RSPG_OK)
        qsort(r->items, r->n, sizeof(*r->items), cmp_path);
    return rc;
}

rspg_artifact *rspg_renew_file(rspg_build_result *r, const char *path)
{
    rspg_artifact key = {.path = (char *)path};
    return bsearch(&key, r->items, r->n, sizeof(*r->items), cmp_path);
}
