/*
 * buf.c: growable byte buffers, hex conversion, and allocation helpers that abort on
 * out-of-memory (so no caller has an out-of-memory path).
 */
#include "rspg/base/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
    fputs("rsp-pkigen: fatal: out of memory\n", stderr);
    abort();
}

void *rspg_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *rspg_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *rspg_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        out_of_memory();
    return q;
}

char *rspg_xstrdup(const char *s)
{
    return rspg_xstrndup(s, strlen(s));
}

char *rspg_xstrndup(const char *s, size_t n)
{
    char *p = rspg_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rspg_xasprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *s = rspg_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

void rspg_buf_init(rspg_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void rspg_buf_free(rspg_buf *b)
{
    free(b->data);
    rspg_buf_init(b);
}

void rspg_buf_reset(rspg_buf *b)
{
    b->len = 0;
}

void rspg_buf_reserve(rspg_buf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra)
        cap *= 2;
    b->data = rspg_xrealloc(b->data, cap);
    b->cap = cap;
}

void rspg_buf_append(rspg_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    rspg_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void rspg_buf_push(rspg_buf *b, uint8_t byte)
{
    rspg_buf_reserve(b, 1);
    b->data[b->len++] = byte;
}

void rspg_buf_puts(rspg_buf *b, const char *s)
{
    rspg_buf_append(b, s, strlen(s));
}

void rspg_buf_insert(rspg_buf *b, size_t at, const void *p, size_t n)
{
    if (n == 0)
        return;
    rspg_buf_reserve(b, n);
    memmove(b->data + at + n, b->data + at, b->len - at);
    memcpy(b->data + at, p, n);
    b->len += n;
}

char *rspg_hex(const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    char *s = rspg_xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

int rspg_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int rspg_unhex(const char *s, rspg_buf *out)
{
    size_t n = strlen(s);
    if (n % 2 != 0)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = rspg_hex_digit(s[i]), lo = rspg_hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        rspg_buf_push(out, (uint8_t)(hi << 4 | lo));
    }
    return 0;
}
