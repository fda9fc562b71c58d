/*
 * fuzz_mint_resume.c: libFuzzer target for the mint resume reader
 * (rspg_mint_resume_point, issue/mint_jsonl.c), which reads a bundle a run may have left
 * torn, or a file that is no bundle at all, and cuts it back to its last complete record.
 *
 * Input: one mode byte, then the file. Mode bit 0 set: the file is this run's header line
 * followed by the rest of the input (so records and torn tails are reached); clear: the
 * input is the whole file (foreign data, torn headers). The file lives in memory
 * (memfd_create). Checked besides memory safety: a refusal comes with a reason and leaves
 * every byte as it was; a resume point only ever cuts the file (what is left is a prefix of
 * what was there) and its index is that of the last complete record plus one.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rspg/base/buf.h"
#include "rspg/issue/mint_jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIRST_EID "89049032123451234512345678901235"

static const char *header(void)
{
    static rspg_buf h;
    static const uint8_t issuer[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    static const uint8_t profile[] = "entities: []\n";
    static const uint8_t seed[] = {0x01};
    if (h.len == 0) {
        rspg_mint_run run = {
            issuer,       sizeof(issuer),    "o-euicc", profile, sizeof(profile) - 1,
            "prime256v1", FIRST_EID,         100,       seed,    sizeof(seed),
            1735689600,   RSPG_NONCE_RFC6979};
        rspg_buf_init(&h);
        rspg_mint_header(&run, &h);
        rspg_buf_append(&h, "", 1);
    }
    return (const char *)h.data;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The contents of FD (SIZE bytes) into a new buffer. */
static uint8_t *contents(int fd, size_t *size)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        abort();
    *size = (size_t)st.st_size;
    uint8_t *b = malloc(*size + 1);
    if (b == NULL || pread(fd, b, *size, 0) != (ssize_t)*size)
        abort();
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *h = header();
    int fd = memfd_create("bundle", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (((data[0] & 1) && write_all(fd, h, strlen(h)) != 0) ||
        write_all(fd, data + 1, size - 1) != 0) {
        close(fd);
        return 0;
    }
    size_t before_len, after_len;
    uint8_t *before = contents(fd, &before_len);
    rspg_diag d;
    rspg_diag_init(&d);
    long long at = rspg_mint_resume_point(fd, h, FIRST_EID, &d);
    uint8_t *after = contents(fd, &after_len);
    if (at < 0 &&
        (d.count == 0 || after_len != before_len || memcmp(before, after, before_len) != 0))
        abort(); /* refused: a reason, and not a byte changed */
    if (at >= 0 && (after_len > before_len || memcmp(before, after, after_len) != 0))
        abort(); /* resumed: only cut */
    if (at > 0 && (after_len == 0 || after[after_len - 1] != '\n'))
        abort(); /* a resume point follows a complete record */
    free(before);
    free(after);
    rspg_diag_fini(&d);
    close(fd);
    return 0;
}
