/*
 * mint_jsonl.c: the JSON Lines bundle of a mint run (mint_jsonl.h).
 */
#include "rspg/issue/mint_jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define TAIL_MAX 65536

int rspg_mint_jsonl_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    rspg_mint_jsonl *j = ctx;
    rspg_buf_reset(&j->buf);
    for (size_t i = 0; i < n; i++)
        rspg_buf_append(&j->buf, recs[i].line, recs[i].line_len);
    /* one write per chunk of complete records */
    size_t off = 0;
    while (off < j->buf.len) {
        ssize_t w = write(j->fd, j->buf.data + off, j->buf.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rspg_fail(d, RSPG_E_IO, "cannot write the bundle: %s", strerror(errno));
            return -1;
        }
        off += (size_t)w;
    }
    OPENSSL_cleanse(j->buf.data, j->buf.len);
    return 0;
}

/* Checks that the complete record LINE is record INDEX of the run from FIRST_EID. */
static int continues_run(const char *line, const char *first_eid, unsigned long long *index,
                         rspg_diag *d)
{
    char eid[RSPG_EID_LEN + 1], want[RSPG_EID_LEN + 1];
    if (sscanf(line, "{\"index\":%llu,\"eid\":\"%32[0-9]\"", index, eid) != 2) {
        rspg_fail(d, RSPG_E_IO, "the bundle's last complete record is not a mint record");
        return -1;
    }
    if (rspg_eid_add(first_eid, *index, want) != 0 || strcmp(want, eid) != 0) {
        rspg_fail(d, RSPG_E_USAGE,
                  "the bundle does not continue this run (record %llu has EID %s, "
                  "this run would have %s)",
                  *index, eid, want);
        return -1;
    }
    return 0;
}

long long rspg_mint_resume_point(int fd, const char *first_eid, rspg_diag *d)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it: %s", strerror(errno));
        return -1;
    }
    off_t size = st.st_size;
    if (size == 0)
        return 0;
    off_t from = size > TAIL_MAX ? size - TAIL_MAX : 0;
    size_t n = (size_t)(size - from), end = n;
    char *tail = rspg_xmalloc(n + 1);
    if (pread(fd, tail, n, from) != (ssize_t)n) {
        free(tail);
        rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it");
        return -1;
    }
    tail[n] = '\0';
    while (end > 0 && tail[end - 1] != '\n')
        end--; /* a torn record at the end */
    if (end == 0) {
        free(tail);
        if (from == 0 && ftruncate(fd, 0) == 0)
            return 0; /* only a torn first record */
        rspg_fail(d, RSPG_E_IO,
                  from == 0 ? "cannot cut the bundle's torn record"
                            : "the bundle's last record is longer than 64 KiB: "
                              "not a mint bundle");
        return -1;
    }
    size_t start = end - 1;
    while (start > 0 && tail[start - 1] != '\n')
        start--;
    tail[end - 1] = '\0';
    unsigned long long index;
    int ok = continues_run(tail + start, first_eid, &index, d) == 0;
    free(tail);
    if (!ok)
        return -1;
    if (ftruncate(fd, from + (off_t)end) != 0 || lseek(fd, 0, SEEK_END) < 0) {
        rspg_fail(d, RSPG_E_IO, "cannot cut the bundle's torn record: %s", strerror(errno));
        return -1;
    }
    return (long long)index + 1;
}

rspg_status rspg_mint_jsonl_open(rspg_mint_jsonl *j, const char *path, int resume, int force,
                                 const char *first_eid, uint64_t *start, rspg_diag *d)
{
    memset(j, 0, sizeof(*j));
    j->fd = -1;
    rspg_buf_init(&j->buf);
    *start = 0;
    if (path == NULL || strcmp(path, "-") == 0) {
        if (resume)
            return rspg_fail(d, RSPG_E_USAGE, "--resume needs -o FILE");
        j->fd = STDOUT_FILENO;
        return RSPG_OK;
    }
    if (resume)
        j->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    else
        j->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0600);
    if (j->fd < 0 && errno == EEXIST)
        return rspg_fail(d, RSPG_E_USAGE,
                         "%s: already exists (use --resume to continue it, "
                         "--force to replace it)",
                         path);
    if (j->fd < 0)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot open: %s", path, strerror(errno));
    j->own = 1;
    struct stat st;
    if (fstat(j->fd, &st) == 0 && S_ISREG(st.st_mode) && fchmod(j->fd, 0600) != 0)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot make it private: %s", path, strerror(errno));
    if (resume) {
        long long s = rspg_mint_resume_point(j->fd, first_eid, d);
        if (s < 0)
            return RSPG_E_USAGE;
        *start = (uint64_t)s;
    }
    return RSPG_OK;
}

void rspg_mint_jsonl_close(rspg_mint_jsonl *j)
{
    if (j->own && j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    j->own = 0;
    rspg_buf_free(&j->buf);
}
