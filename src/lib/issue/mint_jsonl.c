/*
 * mint_jsonl.c: the JSON Lines bundle of a mint run (mint_jsonl.h): its header line, the
 * resume reader that accepts only this run's bundle, the lock, the free-space check and a
 * writer that never leaves a torn record behind a failed write.
 */
#include "rspg/issue/mint_jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "rspg/base/time.h"

#define TAIL_MAX 65536
#define HEAD_MAX 4096
#define MAGIC "{\"rsp-pkigen-mint\":"
/* a record's length beyond the first one's: index digits and signature DER length */
#define RECORD_SLACK 32
/* lines per writev (IOV_MAX is 1024 on Linux) */
#define LINES_PER_WRITE 256

/* ---- the header ---- */

static void put_sha256(rspg_buf *b, const char *domain, const uint8_t *p, size_t n)
{
    uint8_t md[SHA256_DIGEST_LENGTH];
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(c, domain, strlen(domain)) != 1 || EVP_DigestUpdate(c, p, n) != 1 ||
        EVP_DigestFinal_ex(c, md, NULL) != 1)
        memset(md, 0, sizeof(md)); /* only when out of memory: no bundle will match */
    EVP_MD_CTX_free(c);
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    for (size_t i = 0; i < sizeof(md); i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    rspg_buf_puts(b, hex);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_json_string(rspg_buf *b, const char *s)
{
    rspg_buf_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\' || c < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            rspg_buf_puts(b, esc);
        } else {
            rspg_buf_append(b, s, 1);
        }
    }
    rspg_buf_puts(b, "\"");
}

void rspg_mint_header(const rspg_mint_run *run, rspg_buf *out)
{
    char num[64], when[40];
    rspg_buf_puts(out, MAGIC "1,\"run\":{\"issuer\":\"");
    put_sha256(out, "", run->issuer_cert, run->issuer_cert_len);
    rspg_buf_puts(out, "\",\"template\":");
    put_json_string(out, run->template_id ? run->template_id : "");
    rspg_buf_puts(out, ",\"profile\":\"");
    put_sha256(out, "", run->profile, run->profile_len);
    rspg_buf_puts(out, "\",\"curve\":");
    put_json_string(out, run->curve);
    rspg_buf_puts(out, ",\"first_eid\":");
    put_json_string(out, run->first_eid);
    snprintf(num, sizeof(num), ",\"count\":%" PRIu64 ",\"seed\":\"", run->count);
    rspg_buf_puts(out, num);
    if (run->seed && run->seed_len)
        put_sha256(out, "rsp-pkigen mint seed\n", run->seed, run->seed_len); /* never the seed */
    else
        rspg_buf_puts(out, "none");
    rspg_format_rfc3339(run->clock, when, sizeof(when));
    rspg_buf_puts(out, "\",\"clock\":\"");
    rspg_buf_puts(out, when);
    rspg_buf_puts(out, "\",\"signatures\":\"");
    rspg_buf_puts(out, run->nonce == RSPG_NONCE_RFC6979 ? "rfc6979" : "random");
    rspg_buf_puts(out, "\"}}\n");
}

/* The value of "KEY": in S (LEN bytes): a JSON string with its quotes, or a bare value up
 * to ',' or '}'. The key must follow '{' or ',' (so that a key inside a string value,
 * whose quotes are escaped, is not taken). */
static int field(const char *s, size_t len, const char *key, const char **v, size_t *vlen)
{
    size_t kl = strlen(key);
    for (size_t i = 1; i + kl + 3 <= len; i++) {
        if ((s[i - 1] != '{' && s[i - 1] != ',') || s[i] != '"' ||
            memcmp(s + i + 1, key, kl) != 0 || s[i + 1 + kl] != '"' || s[i + 2 + kl] != ':')
            continue;
        size_t a = i + kl + 3, e = a;
        if (a < len && s[a] == '"') {
            for (e = a + 1; e < len && s[e] != '"'; e++)
                if (s[e] == '\\')
                    e++;
            e = e < len ? e + 1 : len;
        } else {
            while (e < len && s[e] != ',' && s[e] != '}')
                e++;
        }
        *v = s + a;
        *vlen = e - a;
        return 0;
    }
    return -1;
}

/* In the order a mismatch is named: what the user gives first (a different --seed or
 * --clock also makes a different --issuer built from the profile). */
static const char *const header_keys[] = {"first_eid", "count",    "seed",    "clock", "signatures",
                                          "curve",     "template", "profile", "issuer"};

int rspg_mint_header_compare(const char *line, size_t len, const char *want, rspg_diag *d)
{
    size_t wl = strlen(want) - 1; /* without its '\n' */
    if (len == wl && memcmp(line, want, wl) == 0)
        return 0;
    const char *v, *w;
    size_t vl, wvl;
    if (len < strlen(MAGIC) || memcmp(line, MAGIC, strlen(MAGIC)) != 0) {
        rspg_fail(d, RSPG_E_USAGE,
                  "the file is not a mint bundle (its first line is no rsp-pkigen-mint header); "
                  "it was not changed");
        return -1;
    }
    if (field(line, len, "rsp-pkigen-mint", &v, &vl) != 0 || vl != 1 || v[0] != '1') {
        rspg_fail(d, RSPG_E_USAGE,
                  "the bundle's format is not version 1 of rsp-pkigen-mint; it was not changed");
        return -1;
    }
    for (size_t i = 0; i < sizeof(header_keys) / sizeof(header_keys[0]); i++) {
        const char *k = header_keys[i];
        if (field(want, wl, k, &w, &wvl) != 0)
            continue;
        if (field(line, len, k, &v, &vl) != 0) {
            rspg_fail(d, RSPG_E_USAGE, "the bundle's header has no %s; it was not changed", k);
            return -1;
        }
        if (vl != wvl || memcmp(v, w, vl) != 0) {
            rspg_fail(d, RSPG_E_USAGE,
                      "the bundle was made by another run: its %s is %.*s, this run's is %.*s; "
                      "it was not changed",
                      k, (int)(vl > 80 ? 80 : vl), v, (int)wvl, w);
            return -1;
        }
    }
    rspg_fail(d, RSPG_E_USAGE,
              "the bundle's header is not this run's (extra or reordered fields); it was not "
              "changed");
    return -1;
}

/* ---- the resume reader ---- */

/* Reads LEN bytes at OFF of FD into a new NUL-terminated string, or NULL. */
static char *read_at(int fd, off_t off, size_t len)
{
    char *p = rspg_xmalloc(len + 1);
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, p + got, len - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(p);
            return NULL;
        }
        got += (size_t)r;
    }
    p[len] = '\0';
    return p;
}

/* Checks that the complete record LINE is record INDEX of the run from FIRST_EID. */
static int continues_run(const char *line, const char *first_eid, unsigned long long *index,
                         rspg_diag *d)
{
    char eid[RSPG_EID_LEN + 1], want[RSPG_EID_LEN + 1];
    size_t n = strlen(line);
    if (sscanf(line, "{\"index\":%llu,\"eid\":\"%32[0-9]\"", index, eid) != 2 || n < 2 ||
        strcmp(line + n - 2, "\"}") != 0) {
        rspg_fail(d, RSPG_E_USAGE,
                  "the bundle's last complete line is not a mint record; it was not changed");
        return -1;
    }
    if (rspg_eid_add(first_eid, *index, want) != 0 || strcmp(want, eid) != 0) {
        rspg_fail(d, RSPG_E_USAGE,
                  "the bundle does not continue this run (record %llu has EID %s, "
                  "this run would have %s); it was not changed",
                  *index, eid, want);
        return -1;
    }
    return 0;
}

/* 1 when FRAG (LEN bytes, no '\n') is the start of record NEXT of the run from FIRST_EID:
 * its index and EID, then printable ASCII. */
static int is_record_start(const char *frag, size_t len, const char *first_eid, uint64_t next)
{
    char eid[RSPG_EID_LEN + 1], head[96];
    int hl = rspg_eid_add(first_eid, next, eid) == 0
                 ? snprintf(head, sizeof(head), "{\"index\":%" PRIu64 ",\"eid\":\"%s\"", next, eid)
                 : 0;
    int ok = hl > 0 && memcmp(frag, head, len < (size_t)hl ? len : (size_t)hl) == 0;
    for (size_t i = (size_t)hl; ok && i < len; i++)
        ok = frag[i] >= 0x20 && frag[i] < 0x7f;
    return ok;
}

/* A torn tail FRAG (LEN bytes, no '\n') must be the start of record NEXT. */
static int torn_ok(const char *frag, size_t len, const char *first_eid, uint64_t next, rspg_diag *d)
{
    if (len == 0 || is_record_start(frag, len, first_eid, next))
        return 0;
    rspg_fail(d, RSPG_E_USAGE,
              "the bundle ends with %zu bytes that are not the start of record %" PRIu64
              " of this run; it was not changed",
              len, next);
    return -1;
}

/* A headerless shard's first line (or its torn start) must be record BEGIN of this run. */
static int check_first_record(int fd, off_t size, const char *first_eid, uint64_t begin,
                              rspg_diag *d)
{
    size_t n = size > 96 ? 96 : (size_t)size;
    char *head = read_at(fd, 0, n);
    if (head == NULL) {
        rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it: %s", strerror(errno));
        return -1;
    }
    char *nl = memchr(head, '\n', n);
    int ok = is_record_start(head, nl ? (size_t)(nl - head) : n, first_eid, begin);
    free(head);
    if (!ok)
        rspg_fail(d, RSPG_E_USAGE,
                  "the file does not start with record %" PRIu64
                  " of this run (the first of this shard): not this shard's bundle; it was not "
                  "changed",
                  begin);
    return ok ? 0 : -1;
}

/* The header of the bundle on FD (SIZE bytes): 0 and *HL its length with '\n' when it is
 * HEADER; 1 when the file is a torn start of HEADER (a run killed while writing it). */
static int check_header(int fd, off_t size, const char *header, size_t *hl, rspg_diag *d)
{
    size_t n = size > HEAD_MAX ? HEAD_MAX : (size_t)size, want = strlen(header);
    char *head = read_at(fd, 0, n);
    if (head == NULL) {
        rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it: %s", strerror(errno));
        return -1;
    }
    char *nl = memchr(head, '\n', n);
    int rc;
    if (nl == NULL && n < want && memcmp(head, header, n) == 0)
        rc = 1;
    else
        rc = rspg_mint_header_compare(head, nl ? (size_t)(nl - head) : n, header, d);
    *hl = want;
    free(head);
    return rc;
}

/* The resume point from the records after the first HL bytes of the bundle on FD (SIZE
 * bytes): after its last complete record, which must be in BEGIN..END-1, or BEGIN when
 * there is none; a torn tail must be the start of the next record, and is cut. */
static long long resume_tail(int fd, off_t size, size_t hl, const char *first_eid, uint64_t begin,
                             uint64_t end, rspg_diag *d)
{
    off_t from = size - TAIL_MAX > (off_t)hl ? size - TAIL_MAX : (off_t)hl;
    size_t n = (size_t)(size - from), stop = n;
    char *tail = read_at(fd, from, n);
    if (tail == NULL)
        return rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it"), -1;
    while (stop > 0 && tail[stop - 1] != '\n')
        stop--; /* a torn record at the end */
    unsigned long long index = begin;
    int ok = 1;
    if (stop == 0 && from != (off_t)hl)
        ok = rspg_fail(d, RSPG_E_USAGE,
                       "the bundle's last record is longer than 64 KiB: "
                       "not a mint bundle; it was not changed") == RSPG_OK;
    if (ok && stop > 0) {
        size_t start = stop - 1;
        while (start > 0 && tail[start - 1] != '\n')
            start--;
        tail[stop - 1] = '\0';
        ok = continues_run(tail + start, first_eid, &index, d) == 0;
        if (ok && (index < begin || index >= end))
            ok = rspg_fail(d, RSPG_E_USAGE,
                           "the bundle's last record is record %llu, outside this shard's records "
                           "%" PRIu64 " to %" PRIu64 "; it was not changed",
                           index, begin, end - 1) == RSPG_OK;
        index++;
    }
    ok = ok && torn_ok(tail + stop, n - stop, first_eid, index, d) == 0;
    free(tail);
    if (!ok)
        return -1;
    if (ftruncate(fd, from + (off_t)stop) != 0 || lseek(fd, 0, SEEK_END) < 0)
        return rspg_fail(d, RSPG_E_IO, "cannot cut the bundle's torn record: %s", strerror(errno)),
               -1;
    return (long long)index;
}

long long rspg_mint_resume_point_shard(int fd, const char *header, const char *first_eid,
                                       uint64_t begin, uint64_t end, rspg_diag *d)
{
    struct stat st;
    size_t hl = 0;
    if (fstat(fd, &st) != 0)
        return rspg_fail(d, RSPG_E_IO, "cannot read the bundle to resume it: %s", strerror(errno)),
               -1;
    if (st.st_size == 0)
        return (long long)begin;
    if (header[0] == '\0')
        return check_first_record(fd, st.st_size, first_eid, begin, d) == 0
                   ? resume_tail(fd, st.st_size, 0, first_eid, begin, end, d)
                   : -1;
    int h = check_header(fd, st.st_size, header, &hl, d);
    if (h < 0)
        return -1;
    if (h == 1 || st.st_size == (off_t)hl) {
        if (ftruncate(fd, h == 1 ? 0 : st.st_size) != 0 || lseek(fd, 0, SEEK_END) < 0)
            return rspg_fail(d, RSPG_E_IO, "cannot cut the bundle's torn header: %s",
                             strerror(errno)),
                   -1;
        return (long long)begin;
    }
    return resume_tail(fd, st.st_size, hl, first_eid, begin, end, d);
}

long long rspg_mint_resume_point(int fd, const char *header, const char *first_eid, rspg_diag *d)
{
    return rspg_mint_resume_point_shard(fd, header, first_eid, 0, UINT64_MAX, d);
}

/* ---- the lock, the space, the writer ---- */

void rspg_mint_lock_holder(int fd, char *out, size_t cap)
{
    struct stat st;
    snprintf(out, cap, "another process");
    FILE *f = fstat(fd, &st) == 0 ? fopen("/proc/locks", "re") : NULL;
    if (f == NULL)
        return;
    char line[256];
    while (fgets(line, sizeof(line), f)) {
        int pid;
        unsigned maj, min;
        unsigned long ino;
        if (sscanf(line, "%*d: FLOCK %*s %*s %d %x:%x:%lu", &pid, &maj, &min, &ino) == 4 &&
            maj == major(st.st_dev) && min == minor(st.st_dev) && ino == (unsigned long)st.st_ino) {
            snprintf(out, cap, "pid %d", pid);
            break;
        }
    }
    fclose(f);
}

void rspg_mint_size_text(uint64_t n, char *out, size_t cap)
{
    static const char *const unit[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1000 && u < 6) {
        v /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(out, cap, "%" PRIu64 " bytes", n);
    else
        snprintf(out, cap, "%.1f %s", v, unit[u]);
}

/* Writes LEN bytes of P to FD whole; -1 with errno on failure. */
static int write_all(int fd, const void *p, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, (const char *)p + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

/* The estimate and the free space; refuses a run the target cannot hold. */
static rspg_status check_space(rspg_mint_jsonl *j, const rspg_mint_jsonl_params *p,
                               const struct stat *st, int header, rspg_diag *d)
{
    uint64_t end = p->end ? p->end : p->count;
    uint64_t per = (uint64_t)p->record_len + RECORD_SLACK, left = end - j->start;
    j->bytes = left > (UINT64_MAX - HEAD_MAX) / per ? UINT64_MAX : left * per;
    if (header && j->bytes != UINT64_MAX)
        j->bytes += strlen(p->header); /* at most HEAD_MAX: no overflow */
    struct statvfs vfs;
    if (j->fd == STDOUT_FILENO || !S_ISREG(st->st_mode) || fstatvfs(j->fd, &vfs) != 0)
        return RSPG_OK;
    j->avail = (uint64_t)vfs.f_bavail * (uint64_t)vfs.f_frsize;
    if (p->force && !p->resume)
        j->avail += (uint64_t)st->st_blocks * 512; /* the file replaced */
    if (!p->space_check || j->bytes <= j->avail)
        return RSPG_OK;
    char need[48], have[32];
    rspg_mint_size_text(j->bytes, need, sizeof(need));
    if (j->bytes == UINT64_MAX)
        snprintf(need, sizeof(need), "more than 18 EB");
    rspg_mint_size_text(j->avail, have, sizeof(have));
    return rspg_fail(d, RSPG_E_USAGE,
                     "%s: %" PRIu64 " records need about %s, but its filesystem has %s free "
                     "(--no-space-check writes anyway); nothing was written",
                     p->path, left, need, have);
}

/* Opens P->path: the existing file with RESUME (a missing one is created), else a new one
 * (FORCE: an existing one, truncated later). *CREATED: this call made it. */
static rspg_status open_file(rspg_mint_jsonl *j, const rspg_mint_jsonl_params *p, int *created,
                             rspg_diag *d)
{
    int base = O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    j->fd = open(p->path, base | O_RDWR | O_CREAT | O_EXCL, 0600);
    *created = j->fd >= 0;
    if (j->fd < 0 && errno == EEXIST && (p->resume || p->force))
        j->fd = open(p->path, base | (p->resume ? O_RDWR : O_WRONLY));
    else if (j->fd < 0 && errno == EEXIST)
        return rspg_fail(d, RSPG_E_USAGE,
                         "%s: already exists (use --resume to continue it, "
                         "--force to replace it)",
                         p->path);
    if (j->fd < 0)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot open: %s", p->path, strerror(errno));
    j->own = 1;
    int fl = fcntl(j->fd, F_GETFL);
    if (fl >= 0)
        fcntl(j->fd, F_SETFL, fl & ~O_NONBLOCK);
    struct stat st; /* a device such as /dev/null is shared, not locked */
    if (fstat(j->fd, &st) == 0 && S_ISREG(st.st_mode) && flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        char who[64];
        rspg_mint_lock_holder(j->fd, who, sizeof(who));
        return rspg_fail(d, RSPG_E_USAGE,
                         "%s: another mint (%s) is writing it; wait for it to end, or stop it "
                         "and rerun with --resume",
                         p->path, who);
    }
    return RSPG_OK;
}

/* Resumes, checks the space, replaces (FORCE) and writes the header: see the header file. */
static rspg_status prepare(rspg_mint_jsonl *j, const rspg_mint_jsonl_params *p, rspg_diag *d)
{
    struct stat st;
    if (fstat(j->fd, &st) != 0)
        return rspg_fail(d, RSPG_E_IO, "%s: %s", p->path, strerror(errno));
    int reg = S_ISREG(st.st_mode);
    if (p->resume && !reg)
        return rspg_fail(d, RSPG_E_USAGE, "%s: not a regular file: not a mint bundle", p->path);
    if (p->resume) {
        rspg_diag why; /* its messages get the bundle's path */
        rspg_diag_init(&why);
        long long s = rspg_mint_resume_point_shard(j->fd, p->header, p->first_eid, p->begin,
                                                   p->end ? p->end : p->count, &why);
        rspg_diag_take_prefixed(d, &why, p->path);
        rspg_diag_fini(&why);
        if (s < 0)
            return RSPG_E_USAGE;
        j->start = (uint64_t)s;
        if (fstat(j->fd, &st) != 0)
            return rspg_fail(d, RSPG_E_IO, "%s: %s", p->path, strerror(errno));
    }
    int header = (!p->resume || st.st_size == 0) && p->header[0];
    rspg_status rc = check_space(j, p, &st, header, d);
    if (rc != RSPG_OK)
        return rc;
    if (reg && ((p->force && !p->resume && ftruncate(j->fd, 0) != 0) || fchmod(j->fd, 0600) != 0))
        return rspg_fail(d, RSPG_E_IO, "%s: cannot replace it or make it private: %s", p->path,
                         strerror(errno));
    if (header && write_all(j->fd, p->header, strlen(p->header)) != 0) {
        int e = errno;
        if (reg && ftruncate(j->fd, 0) != 0)
            e = errno;
        return rspg_fail(d, RSPG_E_IO, "%s: cannot write the header: %s", p->path, strerror(e));
    }
    j->good = reg ? lseek(j->fd, 0, SEEK_END) : 0;
    return RSPG_OK;
}

rspg_status rspg_mint_jsonl_open(rspg_mint_jsonl *j, const rspg_mint_jsonl_params *p, rspg_diag *d)
{
    memset(j, 0, sizeof(*j));
    j->fd = -1;
    j->avail = UINT64_MAX;
    j->start = p->begin;
    if (p->path == NULL || strcmp(p->path, "-") == 0) {
        if (p->resume)
            return rspg_fail(d, RSPG_E_USAGE, "--resume needs -o FILE");
        j->fd = STDOUT_FILENO;
        struct stat st = {0};
        check_space(j, p, &st, 1, d);
        if (write_all(j->fd, p->header, strlen(p->header)) != 0)
            return rspg_fail(d, RSPG_E_IO, "cannot write the bundle: %s", strerror(errno));
        return RSPG_OK;
    }
    int created = 0;
    rspg_status rc = open_file(j, p, &created, d);
    if (rc == RSPG_OK)
        rc = prepare(j, p, d);
    if (rc != RSPG_OK && created)
        unlink(p->path); /* nothing left behind */
    j->path = p->path;
    return rc;
}

/* Writes the lines of RECS[0..N) to FD whole, a writev of up to LINES_PER_WRITE lines at a
 * time straight from the records (no copy); -1 with errno on failure. */
static int write_lines(int fd, const rspg_mint_record *recs, size_t n)
{
    struct iovec iov[LINES_PER_WRITE];
    size_t i = 0, done = 0; /* record i, bytes of its line already written */
    for (;;) {
        while (i < n && recs[i].line_len == done) { /* written (or empty) */
            i++;
            done = 0;
        }
        if (i == n)
            return 0;
        int k = 0;
        for (size_t r = i; r < n && k < LINES_PER_WRITE; r++, k++) {
            size_t skip = r == i ? done : 0;
            iov[k].iov_base = (char *)recs[r].line + skip;
            iov[k].iov_len = recs[r].line_len - skip;
        }
        ssize_t w = writev(fd, iov, k);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        for (size_t left = (size_t)w; left > 0; i++, done = 0) {
            size_t rest = recs[i].line_len - done;
            if (left < rest) {
                done += left;
                break;
            }
            left -= rest;
        }
    }
}

int rspg_mint_jsonl_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    rspg_mint_jsonl *j = ctx;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += recs[i].line_len;
    int rc = write_lines(j->fd, recs, n);
    int e = errno;
    if (rc == 0) {
        j->good += (off_t)len;
        return 0;
    }
    /* cut back to the last complete record (a full disk tears the chunk) */
    int cut = j->own && ftruncate(j->fd, j->good) == 0;
    rspg_fail(d, RSPG_E_IO, "cannot write the bundle%s%s: %s; %s", j->path ? " " : "",
              j->path ? j->path : "", strerror(e),
              cut ? "it ends with the last complete record: free some space and rerun with "
                    "--resume"
                  : "its last record may be torn");
    return -1;
}

void rspg_mint_jsonl_close(rspg_mint_jsonl *j)
{
    if (j->own && j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    j->own = 0;
}
