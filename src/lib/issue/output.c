/*
 * output.c: atomic output. Files are created with O_CREAT|O_EXCL in a fresh temporary
 * folder beside the destination (same file system), then the folder is renamed into
 * place. With force, an existing destination is first renamed aside and removed only
 * after the new folder is in place.
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

static int mkdirs(const char *root, const char *rel)
{
    char *path = rspg_xasprintf("%s/%s", root, rel);
    int rc = 0;
    for (char *p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                rc = -1;
            *p = '/';
        }
    }
    free(path);
    return rc;
}

static int write_file(const char *path, const uint8_t *data, size_t len, int secret)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, secret ? 0600 : 0644);
    if (fd < 0)
        return -1;
    if (secret && fchmod(fd, 0600) != 0) { /* whatever the umask */
        close(fd);
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    return close(fd);
}

int rspg_remove_tree(const char *path)
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
        if (rspg_remove_tree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(dir);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

rspg_status rspg_output_write(const char *dest, const rspg_build_result *r,
                              const rspg_output_options *o, rspg_diag *d)
{
    struct stat st;
    char *tmp = NULL, *aside = NULL;
    rspg_status rc = RSPG_OK;
    size_t n = strlen(dest);
    while (n > 1 && dest[n - 1] == '/')
        n--;
    char *target = rspg_xstrndup(dest, n);
    int exists = stat(target, &st) == 0;

    if (exists && !o->force) {
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: already exists (use --force to replace it)", target);
        goto out;
    }
    if (exists && !S_ISDIR(st.st_mode)) {
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: exists and is not a folder", target);
        goto out;
    }
    tmp = rspg_xasprintf("%s.tmp-XXXXXX", target);
    if (mkdtemp(tmp) == NULL) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot create a folder next to it: %s", target,
                       strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    chmod(tmp, 0755);
    for (size_t i = 0; i < r->n && rc == RSPG_OK; i++) {
        const rspg_artifact *a = &r->items[i];
        char *path = rspg_xasprintf("%s/%s", tmp, a->path);
        if (mkdirs(tmp, a->path) != 0 || write_file(path, a->data.data, a->data.len, a->secret) != 0)
            rc = rspg_fail(d, RSPG_E_IO, "%s/%s: cannot write: %s", target, a->path,
                           strerror(errno));
        free(path);
    }
    if (rc == RSPG_OK && o->manifest) {
        char *path = rspg_xasprintf("%s/manifest.json", tmp);
        if (write_file(path, (const uint8_t *)o->manifest, strlen(o->manifest), 0) != 0)
            rc = rspg_fail(d, RSPG_E_IO, "%s/manifest.json: cannot write: %s", target,
                           strerror(errno));
        free(path);
    }
    if (rc != RSPG_OK)
        goto out;
    if (exists) {
        aside = rspg_xasprintf("%s.old-XXXXXX", target);
        if (mkdtemp(aside) == NULL || rmdir(aside) != 0 || rename(target, aside) != 0) {
            rc = rspg_fail(d, RSPG_E_IO, "%s: cannot move the old folder aside: %s", target,
                           strerror(errno));
            free(aside);
            aside = NULL;
            goto out;
        }
    }
    if (rename(tmp, target) != 0) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot rename the new folder into place: %s", target,
                       strerror(errno));
        if (aside)
            rename(aside, target);
        goto out;
    }
    free(tmp);
    tmp = NULL;
    if (aside)
        rspg_remove_tree(aside);
out:
    if (tmp)
        rspg_remove_tree(tmp);
    free(tmp);
    free(aside);
    free(target);
    return rc;
}
