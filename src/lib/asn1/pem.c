/*
 * pem.c: PEM text encoding (RFC 7468 §2: 64-character base64 lines, LF line ends) and
 * decoding, with libcrypto's base64 codec.
 */
#include "rspg/asn1/pem.h"
#include "rspg/base/file.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

void rspg_pem_encode(const char *label, const uint8_t *der, size_t len, rspg_buf *out)
{
    char line[80];
    snprintf(line, sizeof(line), "-----BEGIN %s-----\n", label);
    rspg_buf_puts(out, line);
    for (size_t off = 0; off < len; off += 48) {
        size_t n = len - off < 48 ? len - off : 48;
        unsigned char enc[65];
        int m = EVP_EncodeBlock(enc, der + off, (int)n);
        rspg_buf_append(out, enc, (size_t)m);
        rspg_buf_push(out, '\n');
    }
    snprintf(line, sizeof(line), "-----END %s-----\n", label);
    rspg_buf_puts(out, line);
}

static const uint8_t *find(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return p + i;
    return NULL;
}

int rspg_pem_decode(const uint8_t *text, size_t len, const char *label, rspg_buf *out)
{
    char begin[80], end[80];
    snprintf(begin, sizeof(begin), "-----BEGIN %s-----", label);
    snprintf(end, sizeof(end), "-----END %s-----", label);
    const uint8_t *b = find(text, len, begin);
    if (b == NULL)
        return -1;
    b += strlen(begin);
    const uint8_t *e = find(b, len - (size_t)(b - text), end);
    if (e == NULL)
        return -1;
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    if (ctx == NULL)
        return -1;
    size_t n = (size_t)(e - b);
    rspg_buf_reserve(out, n + 1); /* never a NULL buffer, even for an empty body */
    int outl = 0, fin = 0, rc = 0;
    EVP_DecodeInit(ctx);
    if (EVP_DecodeUpdate(ctx, out->data + out->len, &outl, b, (int)n) < 0)
        rc = -1;
    else if (EVP_DecodeFinal(ctx, out->data + out->len + outl, &fin) < 0)
        rc = -1;
    else
        out->len += (size_t)(outl + fin);
    EVP_ENCODE_CTX_free(ctx);
    return rc;
}

int rspg_read_der_file(const char *path, const char *label, rspg_buf *out)
{
    rspg_buf raw;
    rspg_buf_init(&raw);
    if (rspg_read_file(path, 16u << 20, &raw) != 0) {
        rspg_buf_free(&raw);
        return -1;
    }
    int rc = 0;
    if (raw.len > 10 && find(raw.data, raw.len, "-----BEGIN") != NULL)
        rc = rspg_pem_decode(raw.data, raw.len, label, out);
    else
        rspg_buf_append(out, raw.data, raw.len);
    rspg_buf_free(&raw);
    return rc;
}

int rspg_pem_present(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i + 10 <= len; i++)
        if (memcmp(data + i, "-----BEGIN", 10) == 0)
            return 1;
    return 0;
}

int rspg_pem_or_der(const uint8_t *data, size_t len, const char *label, rspg_buf *out)
{
    if (rspg_pem_present(data, len))
        return rspg_pem_decode(data, len, label, out);
    rspg_buf_append(out, data, len);
    return 0;
}
