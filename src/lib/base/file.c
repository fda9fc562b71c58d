/*
 * file.c: reading input files (file.h): regular files only, within a size limit, wiped
 * on failure.
 */
#include "rspg/base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens PATH for reading if it is a regular file. O_NONBLOCK keeps the open of a FIFO
 * from waiting for a writer; fstat then tells what was opened. -1 with errno set. */
static int open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int err = S_ISDIR(st.st_mode) ? EISDIR : RSPG_ENOTREG;
        close(fd);
        errno = err;
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

int rspg_read_file(const char *path, size_t max, rspg_buf *out)
{
    int fd = open_regular(path);
    if (fd < 0)
        return -1;
    size_t start = out->len;
    char tmp[8192];
    int err = 0;
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof(tmp));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err = errno ? errno : EIO;
            break;
        }
        if (n == 0)
            break;
        rspg_buf_append(out, tmp, (size_t)n);
        if (out->len - start > max) {
            err = EFBIG;
            break;
        }
    }
    close(fd);
    memset(tmp, 0, sizeof(tmp)); /* it may have held a private key */
    if (err) {
        if (out->len > start)
            memset(out->data + start, 0, out->len - start);
        out->len = start;
        errno = err;
        return -1;
    }
    return 0;
}

const char *rspg_read_error(int err)
{
    if (err == RSPG_ENOTREG)
        return "not a regular file (a FIFO, device or socket)";
    if (err == EFBIG)
        return "the file is too large";
    return strerror(err);
}

rspg_status rspg_file_read(const char *path, size_t max, const char *what, rspg_diag *d,
                           rspg_buf *out)
{
    if (rspg_read_file(path, max, out) == 0)
        return RSPG_OK;
    int err = errno;
    return rspg_fail(d, RSPG_E_IO, "%s: cannot read the %s: %s", path, what, rspg_read_error(err));
}
