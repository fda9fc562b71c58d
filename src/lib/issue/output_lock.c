/*
 * output_lock.c: one writer per destination (issue 14, "concurrency"). The lock is an
 * advisory flock(LOCK_EX|LOCK_NB) on DEST.lock beside the destination; the holder writes
 * its pid into the file, so that a refused run can say who holds it, and removes the file
 * when it is done. A file removed between another run's open and flock is detected (the
 * name no longer leads to the locked file) and the open is retried.
 */
#define _DEFAULT_SOURCE /* realpath, flock (glibc hides them under plain POSIX) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "issue/output_internal.h"
#include "rspg/issue/output.h"

struct rspg_output_lock {
    rspg_output_dest dest;
    char *name; /* NAME.lock in the parent folder */
    int fd;
};

/* The pid recorded in the lock file FD, or 0. */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *end;
    long pid = strtol(buf, &end, 10);
    return pid > 0 && (*end == '\n' || *end == '\0') ? pid : 0;
}

static rspg_status held(const rspg_output_lock *l, rspg_diag *d)
{
    long pid = holder_pid(l->fd);
    if (pid)
        return rspg_fail(d, RSPG_E_IO,
                         "%s: another rsp-pkigen run (pid %ld) is writing it (%s.lock); nothing "
                         "was done",
                         l->dest.path, pid, l->dest.path);
    return rspg_fail(d, RSPG_E_IO,
                     "%s: another rsp-pkigen run is writing it (%s.lock); nothing "
                     "was done",
                     l->dest.path, l->dest.path);
}

/* One attempt: 1 locked, 0 the file went away meanwhile (try again), -1 failed. */
static int try_lock(rspg_output_lock *l, rspg_diag *d, rspg_status *rc)
{
    l->fd = openat(l->dest.parent, l->name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (l->fd < 0) {
        *rc = errno == ELOOP
                  ? rspg_fail(d, RSPG_E_IO, "%s.lock: is a symbolic link; refused", l->dest.path)
                  : rspg_fail(d, RSPG_E_IO, "%s: cannot create a folder next to it: %s",
                              l->dest.path, strerror(errno));
        return -1;
    }
    struct stat a, b;
    if (fstat(l->fd, &a) != 0 || !S_ISREG(a.st_mode)) {
        *rc = rspg_fail(d, RSPG_E_IO, "%s.lock: not a regular file; refused", l->dest.path);
        return -1;
    }
    if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
        *rc = errno == EWOULDBLOCK ? held(l, d)
                                   : rspg_fail(d, RSPG_E_IO, "%s.lock: cannot lock: %s",
                                               l->dest.path, strerror(errno));
        return -1;
    }
    if (fstatat(l->dest.parent, l->name, &b, AT_SYMLINK_NOFOLLOW) != 0 || a.st_ino != b.st_ino ||
        a.st_dev != b.st_dev) {
        close(l->fd);
        l->fd = -1;
        return 0;
    }
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, pid, (size_t)n, 0) != n) {
        *rc = rspg_fail(d, RSPG_E_IO, "%s.lock: cannot write: %s", l->dest.path, strerror(errno));
        unlinkat(l->dest.parent, l->name, 0);
        return -1;
    }
    return 1;
}

rspg_status rspg_output_lock_take(const char *dest, rspg_diag *d, rspg_output_lock **out)
{
    *out = NULL;
    rspg_output_lock *l = rspg_xcalloc(1, sizeof(*l));
    l->fd = -1;
    rspg_status rc = rspg_output_dest_open(dest, d, &l->dest);
    if (rc != RSPG_OK) {
        free(l);
        return rc;
    }
    l->name = rspg_xasprintf("%s.lock", l->dest.name);
    int got = 0;
    for (int tries = 0; tries < 8 && got == 0; tries++)
        got = try_lock(l, d, &rc);
    if (got == 0)
        rc = rspg_fail(d, RSPG_E_IO, "%s.lock: keeps changing; cannot lock", l->dest.path);
    if (got != 1) {
        if (l->fd >= 0)
            close(l->fd);
        rspg_output_dest_close(&l->dest);
        free(l->name);
        free(l);
        return rc;
    }
    *out = l;
    return RSPG_OK;
}

void rspg_output_lock_release(rspg_output_lock *l)
{
    if (l == NULL)
        return;
    unlinkat(l->dest.parent, l->name, 0); /* while still holding it: see try_lock */
    close(l->fd);
    rspg_output_dest_close(&l->dest);
    free(l->name);
    free(l);
}
