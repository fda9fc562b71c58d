/*
 * escape.c: HTML escaping for the report (escape.h). Entities per the HTML Living Standard
 * §13.1.2 (text) and §13.1.2.3 (attribute values): escaping & < > " ' covers both.
 */
#include "rspg/report/escape.h"

#include <string.h>

/* The length of the valid UTF-8 sequence at P (at most N bytes), or 0 when it is not one
 * (RFC 3629 §4: no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void rspg_html_escape(rspg_buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        const char *ent = NULL;
        switch (c) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        default:
            break;
        }
        if (ent) {
            rspg_buf_puts(out, ent);
            i++;
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\n') {
            rspg_buf_puts(out, "\xEF\xBF\xBD"); /* U+FFFD */
            i++;
            continue;
        }
        size_t len = c == 0x7F ? 0 : utf8_len(p + i, n - i);
        if (len == 0) {
            rspg_buf_puts(out, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        rspg_buf_append(out, p + i, len);
        i += len;
    }
}

void rspg_html_puts(rspg_buf *out, const char *s)
{
    if (s)
        rspg_html_escape(out, s, strlen(s));
}
