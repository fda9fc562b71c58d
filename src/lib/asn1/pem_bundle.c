/*
 * pem_bundle.c: every block of a PEM bundle (pem_bundle.h), so that a CA bundle given to
 * `verify --ci`, `show` or `lint` is read whole, never cut to its first certificate.
 */
#include "rspg/asn1/pem_bundle.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/pem.h"

/* The first occurrence of NEEDLE in [P, P+N), or NULL (TEXT need not be NUL-terminated). */
static const uint8_t *find(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (p[i] == (uint8_t)needle[0] && memcmp(p + i, needle, k) == 0)
            return p + i;
    return NULL;
}

void rspg_der_list_free(rspg_der_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        rspg_buf_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int rspg_pem_split(const uint8_t *text, size_t len, const char *label, rspg_der_list *out)
{
    char *begin = rspg_xasprintf("-----BEGIN %s-----", label);
    char *end = rspg_xasprintf("-----END %s-----", label);
    size_t first = out->n, off = 0;
    int rc = 0;
    const uint8_t *b;
    while (rc == 0 && (b = find(text + off, len - off, begin)) != NULL) {
        size_t at = (size_t)(b - text);
        const uint8_t *e = find(b, len - at, end);
        if (e == NULL) {
            rc = -1;
            break;
        }
        size_t stop = (size_t)(e - text) + strlen(end);
        rspg_buf der;
        rspg_buf_init(&der);
        if (rspg_pem_decode(b, stop - at, label, &der) != 0 || der.len == 0) {
            rspg_buf_free(&der);
            rc = -1;
            break;
        }
        out->items = rspg_xrealloc(out->items, (out->n + 1) * sizeof(rspg_buf));
        out->items[out->n++] = der;
        off = stop;
    }
    free(begin);
    free(end);
    if (rc != 0) {
        for (size_t i = first; i < out->n; i++)
            rspg_buf_free(&out->items[i]);
        out->n = first;
        return -1;
    }
    return (int)(out->n - first);
}
