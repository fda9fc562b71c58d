/*
 * der.c: DER encoding and decoding (ITU-T X.690 §10) for the parts of X.509
 * (RFC 5280) that rsp-pkigen writes and reads. Writing by hand rather than through
 * OpenSSL's X509 object keeps every byte under the profile's control: extension order,
 * criticality, string types and time formats are exactly what the profile says.
 */
#include "rspg/asn1/der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rspg_der_put_len(rspg_buf *b, size_t n)
{
    if (n < 0x80) {
        rspg_buf_push(b, (uint8_t)n);
        return;
    }
    uint8_t tmp[sizeof(size_t)];
    size_t k = 0;
    for (size_t v = n; v; v >>= 8)
        tmp[k++] = (uint8_t)(v & 0xFF);
    rspg_buf_push(b, (uint8_t)(0x80 | k));
    while (k)
        rspg_buf_push(b, tmp[--k]);
}

size_t rspg_der_begin(rspg_buf *b, uint8_t tag)
{
    rspg_buf_push(b, tag);
    return b->len;
}

void rspg_der_end(rspg_buf *b, size_t mark)
{
    size_t n = b->len - mark;
    uint8_t hdr[1 + sizeof(size_t)];
    rspg_buf tmp = {hdr, 0, sizeof(hdr)};
    rspg_der_put_len(&tmp, n);
    rspg_buf_insert(b, mark, hdr, tmp.len);
}

void rspg_der_put_tlv(rspg_buf *b, uint8_t tag, const void *p, size_t n)
{
    rspg_buf_push(b, tag);
    rspg_der_put_len(b, n);
    rspg_buf_append(b, p, n);
}

void rspg_der_put_bool(rspg_buf *b, int v)
{
    uint8_t x = v ? 0xFF : 0x00;
    rspg_der_put_tlv(b, RSPG_DER_BOOLEAN, &x, 1);
}

void rspg_der_put_uint_bytes(rspg_buf *b, const uint8_t *p, size_t n)
{
    while (n > 1 && p[0] == 0) {
        p++;
        n--;
    }
    if (n == 0) {
        uint8_t z = 0;
        rspg_der_put_tlv(b, RSPG_DER_INTEGER, &z, 1);
        return;
    }
    int pad = (p[0] & 0x80) != 0;
    rspg_buf_push(b, RSPG_DER_INTEGER);
    rspg_der_put_len(b, n + (size_t)pad);
    if (pad)
        rspg_buf_push(b, 0);
    rspg_buf_append(b, p, n);
}

void rspg_der_put_uint(rspg_buf *b, uint64_t v)
{
    uint8_t tmp[8];
    for (int i = 7; i >= 0; i--) {
        tmp[i] = (uint8_t)(v & 0xFF);
        v >>= 8;
    }
    rspg_der_put_uint_bytes(b, tmp, 8);
}

static void put_base128(rspg_buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t k = 0;
    tmp[k++] = (uint8_t)(v & 0x7F);
    for (v >>= 7; v; v >>= 7)
        tmp[k++] = (uint8_t)(0x80 | (v & 0x7F));
    while (k)
        rspg_buf_push(b, tmp[--k]);
}

int rspg_der_oid_from_text(const char *dotted, rspg_buf *out)
{
    uint64_t arcs[64];
    size_t n = 0;
    const char *p = dotted;
    if (*p == '\0')
        return -1;
    while (*p) {
        if (*p < '0' || *p > '9' || n == 64)
            return -1;
        if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
            return -1; /* no leading zeros */
        uint64_t v = 0;
        while (*p >= '0' && *p <= '9') {
            uint64_t digit = (uint64_t)(*p - '0');
            if (v > (UINT64_MAX - digit) / 10)
                return -1;
            v = v * 10 + digit;
            p++;
        }
        arcs[n++] = v;
        if (*p == '.') {
            p++;
            if (*p == '\0')
                return -1;
        } else if (*p != '\0') {
            return -1;
        }
    }
    /* X.690 §8.19.4: the first two arcs are joined as 40*X+Y, X in 0..2, Y < 40 unless X = 2 */
    if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) || arcs[1] > UINT64_MAX - 80)
        return -1;
    put_base128(out, arcs[0] * 40 + arcs[1]);
    for (size_t i = 2; i < n; i++)
        put_base128(out, arcs[i]);
    return 0;
}

int rspg_der_put_oid_text(rspg_buf *b, const char *dotted)
{
    rspg_buf tmp;
    rspg_buf_init(&tmp);
    if (rspg_der_oid_from_text(dotted, &tmp) != 0) {
        rspg_buf_free(&tmp);
        return -1;
    }
    rspg_der_put_tlv(b, RSPG_DER_OID, tmp.data, tmp.len);
    rspg_buf_free(&tmp);
    return 0;
}

int rspg_der_oid_is(const rspg_der_tlv *oid, const char *dotted)
{
    rspg_buf b;
    rspg_buf_init(&b);
    int eq = oid->tag == RSPG_DER_OID && rspg_der_oid_from_text(dotted, &b) == 0 &&
             b.len == oid->len && memcmp(b.data, oid->value, b.len) == 0;
    rspg_buf_free(&b);
    return eq;
}

char *rspg_der_oid_to_text(const uint8_t *p, size_t n)
{
    if (n == 0 || (p[n - 1] & 0x80))
        return NULL;
    rspg_buf s;
    rspg_buf_init(&s);
    int first = 1;
    size_t i = 0;
    while (i < n) {
        uint64_t v = 0;
        if (p[i] == 0x80) { /* non-minimal encoding */
            rspg_buf_free(&s);
            return NULL;
        }
        do {
            if (v > (UINT64_MAX >> 7)) {
                rspg_buf_free(&s);
                return NULL;
            }
            v = (v << 7) | (p[i] & 0x7F);
        } while (p[i++] & 0x80 && i < n);
        char tmp[48];
        if (first) {
            uint64_t x = v < 40 ? 0 : v < 80 ? 1 : 2;
            snprintf(tmp, sizeof(tmp), "%llu.%llu", (unsigned long long)x,
                     (unsigned long long)(v - 40 * x));
            first = 0;
        } else {
            snprintf(tmp, sizeof(tmp), ".%llu", (unsigned long long)v);
        }
        rspg_buf_puts(&s, tmp);
    }
    rspg_buf_push(&s, 0);
    return (char *)s.data;
}

int rspg_der_put_time(rspg_buf *b, int64_t t)
{
    int y, mo, d, h, mi, s;
    rspg_civil_from_unix(t, &y, &mo, &d, &h, &mi, &s);
    char tmp[32];
    if (y < 0 || y > 9999)
        return -1;
    if (y >= 1950 && y <= 2049) {
        snprintf(tmp, sizeof(tmp), "%02d%02d%02d%02d%02d%02dZ", y % 100, mo, d, h, mi, s);
        rspg_der_put_tlv(b, RSPG_DER_UTCTIME, tmp, 13);
    } else {
        snprintf(tmp, sizeof(tmp), "%04d%02d%02d%02d%02d%02dZ", y, mo, d, h, mi, s);
        rspg_der_put_tlv(b, RSPG_DER_GENERALIZEDTIME, tmp, 15);
    }
    return 0;
}

void rspg_der_put_bit_string(rspg_buf *b, uint8_t unused_bits, const uint8_t *p, size_t n)
{
    rspg_buf_push(b, RSPG_DER_BIT_STRING);
    rspg_der_put_len(b, n + 1);
    rspg_buf_push(b, unused_bits);
    rspg_buf_append(b, p, n);
}

void rspg_der_cursor_init(rspg_der_cursor *c, const uint8_t *p, size_t n)
{
    c->p = p;
    c->end = p ? p + n : p; /* an empty buffer may have no storage: NULL + 0 is undefined */
}

int rspg_der_cursor_done(const rspg_der_cursor *c)
{
    return c->p >= c->end;
}

int rspg_der_peek_tag(const rspg_der_cursor *c)
{
    return c->p < c->end ? c->p[0] : -1;
}

int rspg_der_read(rspg_der_cursor *c, rspg_der_tlv *out)
{
    const uint8_t *p = c->p;
    size_t avail = (size_t)(c->end - p);
    if (avail < 2 || (p[0] & 0x1F) == 0x1F)
        return -1;
    size_t len, hl = 2;
    if (p[1] < 0x80) {
        len = p[1];
    } else {
        size_t k = p[1] & 0x7F;
        if (k == 0 || k > 4 || avail < 2 + k || p[2] == 0)
            return -1; /* indefinite, too long, or non-minimal */
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = (len << 8) | p[2 + i];
        if (len < 0x80)
            return -1;
        hl += k;
    }
    if (len > avail - hl)
        return -1;
    out->tag = p[0];
    out->hdr = p;
    out->hdr_len = hl;
    out->value = p + hl;
    out->len = len;
    c->p = p + hl + len;
    return 0;
}

int rspg_der_expect(rspg_der_cursor *c, uint8_t tag, rspg_der_tlv *out)
{
    rspg_der_cursor save = *c;
    if (rspg_der_read(c, out) != 0 || out->tag != tag) {
        *c = save;
        return -1;
    }
    return 0;
}

int rspg_der_parse_time(const rspg_der_tlv *t, int64_t *out)
{
    int y, mo, d, h, mi, s;
    const uint8_t *p = t->value;
    if (t->tag == RSPG_DER_UTCTIME && t->len == 13 && p[12] == 'Z') {
        if (rspg_parse_digits(p, 2, &y))
            return -1;
        y += y < 50 ? 2000 : 1900;
        p += 2;
    } else if (t->tag == RSPG_DER_GENERALIZEDTIME && t->len == 15 && p[14] == 'Z') {
        if (rspg_parse_digits(p, 4, &y))
            return -1;
        p += 4;
    } else {
        return -1;
    }
    if (rspg_parse_digits(p, 2, &mo) || rspg_parse_digits(p + 2, 2, &d) ||
        rspg_parse_digits(p + 4, 2, &h) || rspg_parse_digits(p + 6, 2, &mi) ||
        rspg_parse_digits(p + 8, 2, &s))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > rspg_days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
        return -1;
    *out = rspg_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}
