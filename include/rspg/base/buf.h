/*
 * buf.h: growable byte buffer and allocation helpers. Out of memory aborts (the
 * cmark policy): there is no out-of-memory path to test.
 *
 * Ownership: an rspg_buf owns its bytes (rspg_buf_free); the rspg_x* functions return new
 * memory the caller frees with free(). Thread safety: none needed (no shared state).
 */
#ifndef RSPG_BUF_H
#define RSPG_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct rspg_buf {
    uint8_t *data;
    size_t len, cap;
} rspg_buf;

void *rspg_xmalloc(size_t n);
void *rspg_xcalloc(size_t n, size_t size);
void *rspg_xrealloc(void *p, size_t n);
char *rspg_xstrdup(const char *s);
char *rspg_xstrndup(const char *s, size_t n);
char *rspg_xasprintf(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

void rspg_buf_init(rspg_buf *b);
void rspg_buf_free(rspg_buf *b);
void rspg_buf_reset(rspg_buf *b);
void rspg_buf_reserve(rspg_buf *b, size_t extra);
void rspg_buf_append(rspg_buf *b, const void *p, size_t n);
void rspg_buf_push(rspg_buf *b, uint8_t byte);
void rspg_buf_puts(rspg_buf *b, const char *s);
/* Inserts N bytes at offset AT, moving the tail. */
void rspg_buf_insert(rspg_buf *b, size_t at, const void *p, size_t n);

/* Hex helpers: upper-case hex of N bytes into a new string. */
char *rspg_hex(const uint8_t *p, size_t n);
/* The value of one hex digit (0-9, a-f, A-F), or -1. */
int rspg_hex_digit(int c);
/* Parses hex (even length, no separators) into OUT; returns -1 on a bad string. */
int rspg_unhex(const char *s, rspg_buf *out);

#endif
