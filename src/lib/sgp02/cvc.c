/*
 * cvc.c: the GlobalPlatform '7F21' card-verifiable certificate of SGP.02 (encode, strict
 * decode, verify). Sources, as docs/gsma-cert-rules.md §8 and Addendum A.3 record them:
 *
 * - Field order and mandatory fields: GP Card Specification Amendment A v1.2 Table 3-6
 *   (CASD certificate) and Amendment E, as GlobalPlatformPro's GPCertificate codec reads
 *   them [CONFIRMED-CODE]; SGP.02 v4.x Tables 77/78 (CERT.DP.ECDSA, CERT.SR.ECDSA) as Njiwa
 *   builds them and as the WHTY test vectors encode them [CONFIRMED-CERT: the vectors verify].
 * - Signed data = every byte of the 7F21 value before the 5F37 TLV, as encoded; the 7F21
 *   header is not signed [CONFIRMED-CERT, WHTY vectors]. ECDSA with SHA-256 for 256-bit
 *   curves (GPC v2.3.1 Table B-3); 5F37 holds plain r||s (BSI TR-03111 form), 64 bytes
 *   for P-256 [CONFIRMED-CODE Njiwa encodePlain, GPPro; CONFIRMED-CERT WHTY].
 * - Dates: 4 bytes BCD YYYYMMDD [CONFIRMED-CODE GPPro; Njiwa's builder]. Whether the
 *   expiration date is inclusive is not stated in what was read [INFERRED: inclusive].
 * - Key parameter reference (F0): GP Amendment E Table 4-3 / GPC Table B-2 / SGP.02 v4.1
 *   Table 24: 00 P-256, 01 P-384, 02 P-521, 03..08 brainpool, 40 FRP256V1 [CONFIRMED-CODE
 *   pySim KeyParameterReferenceValue, Njiwa KNOWN_ECC_CURVES].
 * - Key usage (95): GPC v2.3.1 §11.1.9 Tables 11-17/11-18: '82' signature verification,
 *   '00 80' key agreement (ECASD) [CONFIRMED-CODE]; SGP.02 implementations write '88' for
 *   SM-DP/SM-SR [CONFIRMED-CODE Njiwa, WHTY] - the SGP.02 table value itself is
 *   unconfirmed, so the verifier accepts '82' and '88' (A.3 recommendation).
 * - C8 certType 01 SM-DP / 02 SM-SR inside 73 [CONFIRMED-CODE Njiwa, CONFIRMED-CERT WHTY];
 *   C9 = the CI's key identifier [CONFIRMED-CODE Njiwa only; WHTY has no C9].
 */
#include "rspg/sgp02/cvc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>

#include "rspg/asn1/der.h"

/* ---- curves and key parameter references ---- */

static const struct {
    unsigned ref;
    const char *curve; /* OpenSSL name, or NULL when rsp-pkigen has no such curve */
    const char *name;
} params[] = {
    {0x00, "prime256v1", "NIST P-256"}, {0x01, "secp384r1", "NIST P-384"},
    {0x02, NULL, "NIST P-521"},         {0x03, "brainpoolP256r1", "brainpoolP256r1"},
    {0x04, NULL, "brainpoolP256t1"},    {0x05, NULL, "brainpoolP384r1"},
    {0x06, NULL, "brainpoolP384t1"},    {0x07, NULL, "brainpoolP512r1"},
    {0x08, NULL, "brainpoolP512t1"},    {0x40, NULL, "FRP256V1 (ANSSI; SGP.02 v4.1 Table 24 only)"},
};

#define N_PARAMS (sizeof(params) / sizeof(params[0]))

int rspg_cvc_key_param_of(const rspg_curve *curve)
{
    for (size_t i = 0; curve && i < N_PARAMS; i++)
        if (params[i].curve && strcmp(params[i].curve, curve->name) == 0)
            return (int)params[i].ref;
    return -1;
}

const rspg_curve *rspg_cvc_curve_of_param(unsigned ref)
{
    for (size_t i = 0; i < N_PARAMS; i++)
        if (params[i].ref == ref)
            return params[i].curve ? rspg_curve_find(params[i].curve) : NULL;
    return NULL;
}

const char *rspg_cvc_param_name(unsigned ref)
{
    for (size_t i = 0; i < N_PARAMS; i++)
        if (params[i].ref == ref)
            return params[i].name;
    return "unknown (proprietary or reserved)";
}

/* ---- dates ---- */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int rspg_cvc_date_valid(rspg_cvc_date d)
{
    return d.year >= 0 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

rspg_cvc_date rspg_cvc_date_of(int64_t t)
{
    int y, m, d, hh, mm, ss;
    rspg_civil_from_unix(t, &y, &m, &d, &hh, &mm, &ss);
    return (rspg_cvc_date){y, m, d};
}

int64_t rspg_cvc_date_start(rspg_cvc_date d)
{
    return rspg_days_from_civil(d.year, (unsigned)d.month, (unsigned)d.day) * 86400;
}

static long date_key(rspg_cvc_date d)
{
    return (long)d.year * 10000 + d.month * 100 + d.day;
}

static void put_bcd_date(rspg_buf *b, rspg_cvc_date d)
{
    int digits[8] = {d.year / 1000 % 10, d.year / 100 % 10, d.year / 10 % 10, d.year % 10,
                     d.month / 10,       d.month % 10,      d.day / 10,       d.day % 10};
    for (int i = 0; i < 8; i += 2)
        rspg_buf_push(b, (uint8_t)(digits[i] << 4 | digits[i + 1]));
}

static int read_bcd_date(const uint8_t *p, rspg_cvc_date *out)
{
    int v[8];
    for (int i = 0; i < 4; i++) {
        v[2 * i] = p[i] >> 4;
        v[2 * i + 1] = p[i] & 0x0F;
        if (v[2 * i] > 9 || v[2 * i + 1] > 9)
            return -1;
    }
    out->year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    out->month = v[4] * 10 + v[5];
    out->day = v[6] * 10 + v[7];
    return rspg_cvc_date_valid(*out) ? 0 : -1;
}

/* ---- BER-TLV writing ---- */

static int tag_ok(unsigned tag)
{
    if (tag <= 0xFF)
        return tag != 0x00 && tag != 0xFF && (tag & 0x1F) != 0x1F;
    if (tag <= 0xFFFF) {
        unsigned hi = tag >> 8, lo = tag & 0xFF;
        return (hi & 0x1F) == 0x1F && hi != 0xFF && lo >= 0x1F && lo < 0x80;
    }
    return 0;
}

static void put_tag(rspg_buf *b, unsigned tag)
{
    if (tag > 0xFF)
        rspg_buf_push(b, (uint8_t)(tag >> 8));
    rspg_buf_push(b, (uint8_t)(tag & 0xFF));
}

/* Minimal BER length: 1 byte below 128, else 81 xx, else 82 xx xx (values are far below
 * 64 KiB; the encoder checks). */
static void put_len(rspg_buf *b, size_t n)
{
    if (n < 0x80) {
        rspg_buf_push(b, (uint8_t)n);
    } else if (n <= 0xFF) {
        rspg_buf_push(b, 0x81);
        rspg_buf_push(b, (uint8_t)n);
    } else {
        rspg_buf_push(b, 0x82);
        rspg_buf_push(b, (uint8_t)(n >> 8));
        rspg_buf_push(b, (uint8_t)(n & 0xFF));
    }
}

static void put_tlv(rspg_buf *b, unsigned tag, const void *p, size_t n)
{
    put_tag(b, tag);
    put_len(b, n);
    rspg_buf_append(b, p, n);
}

#define MAX_VALUE 0x7FFF /* no field of a card certificate comes near this */

/* The fields' sizes and dates as GP and SGP.02 allow them. */
static rspg_status check_fields(const rspg_cvc_fields *f, const rspg_key *subject, rspg_diag *d)
{
    if (f->serial_len == 0 || f->ca_id_len == 0 || f->subject_id_len == 0)
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: the serial (93), CA identifier (42) "
                         "and subject identifier (5F20) must not be empty");
    if (f->serial_len > 127 || f->ca_id_len > 127 || f->subject_id_len > 127 ||
        (f->sd_image && f->sd_image_len > 127))
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: 93, 42, 5F20 and 45 hold at most "
                         "127 bytes here");
    if (f->key_usage_len < 1 || f->key_usage_len > 2)
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: key usage (95) is 1 or 2 bytes "
                         "(GPC §11.1.9), not %zu",
                         f->key_usage_len);
    if ((f->has_effective && !rspg_cvc_date_valid(f->effective)) ||
        !rspg_cvc_date_valid(f->expiration))
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: a date is outside the years "
                         "0000-9999 (4-byte BCD YYYYMMDD)");
    if (f->has_effective && date_key(f->effective) > date_key(f->expiration))
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: the effective date (5F25) is "
                         "after the expiration date (5F24)");
    if (subject->pub_len < 3 || subject->pub[0] != 0x04)
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: the subject key has no "
                         "uncompressed point");
    return RSPG_OK;
}

/* The key parameter reference (F0): the fields' explicit one, else the curve's (GP
 * Amendment E Table 4-3), into REF (2 bytes); *KP and *KP_LEN point at it. */
static rspg_status key_param(const rspg_cvc_fields *f, const rspg_key *subject, uint8_t ref[2],
                             const uint8_t **kp_out, size_t *kp_len_out, rspg_diag *d)
{
    const uint8_t *kp = f->key_param;
    size_t kp_len = f->key_param_len;
    if (kp == NULL) {
        int r = rspg_cvc_key_param_of(subject->curve);
        if (r < 0)
            return rspg_fail(d, RSPG_E_PROFILE,
                             "card certificate: curve %s has no GP key parameter reference "
                             "(GP Amendment E Table 4-3 knows P-256, P-384, P-521 and brainpool); "
                             "give it with cvc.key_parameter",
                             subject->curve->name);
        ref[0] = (uint8_t)r;
        kp = ref;
        kp_len = 1;
    }
    if (kp_len < 1 || kp_len > 2)
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: the key parameter reference (F0) "
                         "is 1 or 2 bytes");

    *kp_out = kp;
    *kp_len_out = kp_len;
    return RSPG_OK;
}

/* The discretionary data '73' of the fields, appended to OUT. */
static rspg_status put_discretionary(const rspg_cvc_fields *f, rspg_diag *d, rspg_buf *out)
{
    rspg_buf dd;
    rspg_buf_init(&dd);
    for (size_t i = 0; i < f->n_discretionary; i++) {
        const rspg_cvc_item *it = &f->discretionary[i];
        if (!tag_ok(it->tag) || it->len > MAX_VALUE) {
            rspg_buf_free(&dd);
            return rspg_fail(d, RSPG_E_PROFILE,
                             "card certificate: discretionary data item "
                             "%zu has a bad tag %X or is too long",
                             i + 1, it->tag);
        }
        put_tlv(&dd, it->tag, it->value, it->len);
    }
    if (dd.len > MAX_VALUE) {
        rspg_buf_free(&dd);
        return rspg_fail(d, RSPG_E_PROFILE, "card certificate: discretionary data too long");
    }
    put_tlv(out, RSPG_CVC_TAG_DISCRETIONARY, dd.data, dd.len);
    rspg_buf_free(&dd);
    return RSPG_OK;
}

rspg_status rspg_cvc_encode_body(const rspg_cvc_fields *f, const rspg_key *subject, rspg_diag *d,
                                 rspg_buf *out)
{
    uint8_t ref[2];
    const uint8_t *kp = NULL;
    size_t kp_len = 0;
    rspg_status rc = check_fields(f, subject, d);
    if (rc == RSPG_OK)
        rc = key_param(f, subject, ref, &kp, &kp_len, d);
    if (rc != RSPG_OK)
        return rc;
    /* Amendment A Table 3-6 / SGP.02 Table 77 order: 93 42 5F20 95 [5F25] 5F24 [45] [73] 7F49 */
    put_tlv(out, RSPG_CVC_TAG_SERIAL, f->serial, f->serial_len);
    put_tlv(out, RSPG_CVC_TAG_CA_ID, f->ca_id, f->ca_id_len);
    put_tlv(out, RSPG_CVC_TAG_SUBJECT_ID, f->subject_id, f->subject_id_len);
    put_tlv(out, RSPG_CVC_TAG_KEY_USAGE, f->key_usage, f->key_usage_len);
    rspg_buf date;
    rspg_buf_init(&date);
    if (f->has_effective) {
        put_bcd_date(&date, f->effective);
        put_tlv(out, RSPG_CVC_TAG_EFFECTIVE, date.data, date.len);
        rspg_buf_reset(&date);
    }
    put_bcd_date(&date, f->expiration);
    put_tlv(out, RSPG_CVC_TAG_EXPIRATION, date.data, date.len);
    rspg_buf_free(&date);
    if (f->sd_image)
        put_tlv(out, RSPG_CVC_TAG_SD_IMAGE, f->sd_image, f->sd_image_len);
    if (f->has_discretionary && (rc = put_discretionary(f, d, out)) != RSPG_OK)
        return rc;
    rspg_buf pk;
    rspg_buf_init(&pk);
    put_tlv(&pk, RSPG_CVC_TAG_POINT, subject->pub, subject->pub_len);
    put_tlv(&pk, RSPG_CVC_TAG_KEY_PARAM, kp, kp_len);
    put_tlv(out, RSPG_CVC_TAG_PUBLIC_KEY, pk.data, pk.len);
    rspg_buf_free(&pk);
    return RSPG_OK;
}

/* ---- signatures: DER ECDSA-Sig-Value <-> r||s ---- */

int rspg_cvc_sig_to_plain(const uint8_t *der, size_t der_len, size_t field_bytes, uint8_t *plain)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    int rc = -1;
    if (sig && p == der + der_len) {
        const BIGNUM *r, *s;
        ECDSA_SIG_get0(sig, &r, &s);
        if (BN_num_bytes(r) <= (int)field_bytes && BN_num_bytes(s) <= (int)field_bytes &&
            BN_bn2binpad(r, plain, (int)field_bytes) == (int)field_bytes &&
            BN_bn2binpad(s, plain + field_bytes, (int)field_bytes) == (int)field_bytes)
            rc = 0;
    }
    ECDSA_SIG_free(sig);
    return rc;
}

int rspg_cvc_sig_to_der(const uint8_t *plain, size_t plain_len, rspg_buf *out)
{
    if (plain_len == 0 || plain_len % 2 != 0 || plain_len > 1024)
        return -1;
    size_t half = plain_len / 2;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(plain, (int)half, NULL), *s = BN_bin2bn(plain + half, (int)half, NULL);
    unsigned char *der = NULL;
    int n = -1;
    if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
        r = s = NULL; /* owned by sig now */
        n = i2d_ECDSA_SIG(sig, &der);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    if (n <= 0)
        return -1;
    rspg_buf_append(out, der, (size_t)n);
    OPENSSL_free(der);
    return 0;
}

rspg_status rspg_cvc_encode(const rspg_cvc_fields *f, const rspg_key *subject,
                            const rspg_key *issuer, rspg_nonce nonce, rspg_diag *d, rspg_buf *out)
{
    /* GPC Table B-3 pairs SHA-256 with the 256-bit curves; rsp-pkigen signs with SHA-256 */
    if (issuer->curve->field_bytes != 32)
        return rspg_fail(d, RSPG_E_PROFILE,
                         "card certificate: the issuer's key is on %s; ECDSA-SHA256 card "
                         "certificates need a 256-bit curve (GPC Table B-3)",
                         issuer->curve->name);
    rspg_buf body, sig;
    rspg_buf_init(&body);
    rspg_buf_init(&sig);
    uint8_t plain[64];
    rspg_status rc = rspg_cvc_encode_body(f, subject, d, &body);
    if (rc == RSPG_OK)
        rc = rspg_sign(issuer, nonce, body.data, body.len, d, &sig);
    if (rc == RSPG_OK && rspg_cvc_sig_to_plain(sig.data, sig.len, 32, plain) != 0)
        rc = rspg_fail(d, RSPG_E_CRYPTO, "card certificate: the signature is not a 256-bit r, s");
    if (rc == RSPG_OK) {
        put_tlv(&body, RSPG_CVC_TAG_SIGNATURE, plain, sizeof(plain));
        put_tlv(out, RSPG_CVC_TAG_CERT, body.data, body.len);
    }
    rspg_buf_free(&body);
    rspg_buf_free(&sig);
    return rc;
}

/* ---- strict decoding ---- */

struct reader {
    const uint8_t *base; /* start of the whole input, for offsets */
    char *why;
    size_t why_len;
};

static int bad(struct reader *rd, const char *fmt, ...) RSPG_PRINTF(2, 3);
static int bad(struct reader *rd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (rd->why && rd->why_len)
        vsnprintf(rd->why, rd->why_len, fmt, ap);
    va_end(ap);
    return -1;
}

/* One BER-TLV at *PP (before END): a 1- or 2-byte tag, a minimal length in the 1-byte, 81
 * or 82 form (ISO/IEC 7816-4 §5.2 as GP uses it). */
static int read_tlv(struct reader *rd, const uint8_t **pp, const uint8_t *end, rspg_cvc_tlv *t)
{
    const uint8_t *p = *pp;
    size_t off = (size_t)(p - rd->base);
    if (p >= end)
        return bad(rd, "offset %zu: a TLV expected, found the end", off);
    unsigned tag = *p++;
    if (tag == 0x00 || tag == 0xFF)
        return bad(rd, "offset %zu: %02X is padding, not a tag", off, tag);
    if ((tag & 0x1F) == 0x1F) {
        if (p >= end)
            return bad(rd, "offset %zu: the tag is cut short", off);
        unsigned b2 = *p++;
        if (b2 & 0x80)
            return bad(rd, "offset %zu: tags longer than 2 bytes are not part of this format", off);
        if (b2 < 0x1F)
            return bad(rd, "offset %zu: tag %02X%02X must be written in 1 byte", off, tag, b2);
        tag = tag << 8 | b2;
    }
    if (p >= end)
        return bad(rd, "offset %zu: tag %X has no length", off, tag);
    size_t len = *p++;
    if (len == 0x81) {
        if (end - p < 1)
            return bad(rd, "offset %zu: the length of tag %X is cut short", off, tag);
        len = *p++;
        if (len < 0x80)
            return bad(rd, "offset %zu: length 81 %02zX of tag %X is not minimal", off, len, tag);
    } else if (len == 0x82) {
        if (end - p < 2)
            return bad(rd, "offset %zu: the length of tag %X is cut short", off, tag);
        len = (size_t)p[0] << 8 | p[1];
        p += 2;
        if (len < 0x100)
            return bad(rd, "offset %zu: length 82 %04zX of tag %X is not minimal", off, len, tag);
    } else if (len & 0x80) {
        return bad(rd, "offset %zu: length form %02zX of tag %X is not 1 byte, 81 or 82", off, len,
                   tag);
    }
    if ((size_t)(end - p) < len)
        return bad(rd, "offset %zu: tag %X says %zu bytes, only %zu follow", off, tag, len,
                   (size_t)(end - p));
    t->tag = tag;
    t->hdr = *pp;
    t->hdr_len = (size_t)(p - *pp);
    t->value = p;
    t->len = len;
    *pp = p + len;
    return 0;
}

/* The GP order of the fields of 7F21; 53 and 73 share a slot (never both). */
static const struct {
    unsigned tag, alt;
    int mandatory;
    const char *name;
} slots[] = {
    {RSPG_CVC_TAG_SERIAL, 0, 1, "93 (serial number)"},
    {RSPG_CVC_TAG_CA_ID, 0, 1, "42 (CA identifier)"},
    {RSPG_CVC_TAG_SUBJECT_ID, 0, 1, "5F20 (subject identifier)"},
    {RSPG_CVC_TAG_KEY_USAGE, 0, 1, "95 (key usage)"},
    {RSPG_CVC_TAG_EFFECTIVE, 0, 0, "5F25 (effective date)"},
    {RSPG_CVC_TAG_EXPIRATION, 0, 1, "5F24 (expiration date)"},
    {RSPG_CVC_TAG_SD_IMAGE, 0, 0, "45 (SD image number)"},
    {RSPG_CVC_TAG_DISCRETIONARY, RSPG_CVC_TAG_DISCRETIONARY_53, 0, "73/53 (discretionary data)"},
    {RSPG_CVC_TAG_PUBLIC_KEY, 0, 1, "7F49 (public key)"},
    {RSPG_CVC_TAG_SIGNATURE, 0, 1, "5F37 (signature)"},
};

#define N_SLOTS (sizeof(slots) / sizeof(slots[0]))

static int slot_of(unsigned tag)
{
    for (size_t i = 0; i < N_SLOTS; i++)
        if (slots[i].tag == tag || (slots[i].alt && slots[i].alt == tag))
            return (int)i;
    return -1;
}

static int decode_public_key(struct reader *rd, rspg_cvc *c)
{
    const uint8_t *p = c->public_key.value, *end = p + c->public_key.len;
    if (read_tlv(rd, &p, end, &c->point) != 0)
        return -1;
    if (c->point.tag != RSPG_CVC_TAG_POINT)
        return bad(rd, "offset %zu: 7F49 must start with B0 (the public point), not %X",
                   (size_t)(c->point.hdr - rd->base), c->point.tag);
    if (read_tlv(rd, &p, end, &c->key_param) != 0)
        return -1;
    if (c->key_param.tag != RSPG_CVC_TAG_KEY_PARAM)
        return bad(rd, "offset %zu: B0 must be followed by F0 (key parameter reference), not %X",
                   (size_t)(c->key_param.hdr - rd->base), c->key_param.tag);
    if (p != end)
        return bad(rd, "offset %zu: 7F49 holds more than B0 and F0", (size_t)(p - rd->base));
    if (c->point.len < 3 || c->point.value[0] != 0x04 || c->point.len % 2 == 0)
        return bad(rd, "B0 is not an uncompressed point (04 || X || Y)");
    if (c->key_param.len < 1 || c->key_param.len > 2)
        return bad(rd, "F0 is %zu bytes; a key parameter reference is 1 or 2", c->key_param.len);
    unsigned ref = c->key_param.value[0];
    if (c->key_param.len == 2)
        ref = ref << 8 | c->key_param.value[1];
    c->curve = rspg_cvc_curve_of_param(ref);
    if (c->curve && c->point.len != 1 + 2 * c->curve->field_bytes)
        return bad(rd, "B0 is %zu bytes, but a point of %s is %zu", c->point.len, c->curve->name,
                   1 + 2 * c->curve->field_bytes);
    return 0;
}

static int decode_discretionary(struct reader *rd, rspg_cvc *c)
{
    if (c->discretionary.tag != RSPG_CVC_TAG_DISCRETIONARY)
        return 0; /* 53 is primitive: opaque bytes */
    const uint8_t *p = c->discretionary.value, *end = p + c->discretionary.len;
    while (p < end) {
        if (c->n_items == RSPG_CVC_MAX_ITEMS)
            return bad(rd, "73 holds more than %d data objects", RSPG_CVC_MAX_ITEMS);
        if (read_tlv(rd, &p, end, &c->items[c->n_items]) != 0)
            return -1;
        c->n_items++;
    }
    return 0;
}

/* Records field T in OUT by its tag. */
static void keep_field(rspg_cvc *out, const rspg_cvc_tlv *t)
{
    if (out->n_fields < RSPG_CVC_MAX_FIELDS)
        out->fields[out->n_fields++] = *t;
    switch (t->tag) {
    case RSPG_CVC_TAG_SERIAL:
        out->serial = *t;
        break;
    case RSPG_CVC_TAG_CA_ID:
        out->ca_id = *t;
        break;
    case RSPG_CVC_TAG_SUBJECT_ID:
        out->subject_id = *t;
        break;
    case RSPG_CVC_TAG_KEY_USAGE:
        out->key_usage = *t;
        break;
    case RSPG_CVC_TAG_EFFECTIVE:
        out->has_effective = 1;
        out->effective = *t;
        break;
    case RSPG_CVC_TAG_EXPIRATION:
        out->expiration = *t;
        break;
    case RSPG_CVC_TAG_SD_IMAGE:
        out->has_sd_image = 1;
        out->sd_image = *t;
        break;
    case RSPG_CVC_TAG_DISCRETIONARY:
    case RSPG_CVC_TAG_DISCRETIONARY_53:
        out->has_discretionary = 1;
        out->discretionary = *t;
        break;
    case RSPG_CVC_TAG_PUBLIC_KEY:
        out->public_key = *t;
        break;
    default:
        out->signature = *t;
        out->signed_data = out->cert.value;
        out->signed_len = (size_t)(t->hdr - out->cert.value);
        break;
    }
}

/* The fields inside 7F21, in GP order, each once, none mandatory missing, none of the
 * identifying ones empty. */
static int decode_fields(struct reader *rd, const uint8_t *data, rspg_cvc *out)
{
    const uint8_t *p = out->cert.value, *end = p + out->cert.len;
    int last = -1;
    while (p < end) {
        rspg_cvc_tlv t;
        if (read_tlv(rd, &p, end, &t) != 0)
            return -1;
        size_t off = (size_t)(t.hdr - data);
        int s = slot_of(t.tag);
        if (s < 0)
            return bad(rd,
                       "offset %zu: tag %X does not belong in 7F21 (GP order: 93 42 5F20 95 "
                       "[5F25] 5F24 [45] [73|53] 7F49 5F37)",
                       off, t.tag);
        if (s <= last)
            return bad(rd, "offset %zu: %s is repeated or out of order", off, slots[s].name);
        for (int m = last + 1; m < s; m++)
            if (slots[m].mandatory)
                return bad(rd, "offset %zu: %s is missing before %s", off, slots[m].name,
                           slots[s].name);
        last = s;
        keep_field(out, &t);
        if ((t.tag == RSPG_CVC_TAG_SERIAL || t.tag == RSPG_CVC_TAG_CA_ID ||
             t.tag == RSPG_CVC_TAG_SUBJECT_ID || t.tag == RSPG_CVC_TAG_SIGNATURE) &&
            t.len == 0)
            return bad(rd, "offset %zu: %s is empty", off, slots[s].name);
    }
    for (size_t m = (size_t)(last + 1); m < N_SLOTS; m++)
        if (slots[m].mandatory)
            return bad(rd, "%s is missing", slots[m].name);
    return 0;
}

static int cvc_decode(const uint8_t *data, size_t len, rspg_cvc *out, char *why, size_t why_len)
{
    struct reader rd = {data, why, why_len};
    const uint8_t *p = data, *end = data ? data + len : data; /* NULL + 0 is undefined */
    memset(out, 0, sizeof(*out));
    if (why && why_len)
        why[0] = '\0';
    if (read_tlv(&rd, &p, end, &out->cert) != 0)
        return -1;
    if (out->cert.tag != RSPG_CVC_TAG_CERT)
        return bad(&rd, "offset 0: tag %X is not 7F21 (certificate)", out->cert.tag);
    if (p != end)
        return bad(&rd, "offset %zu: %zu bytes after the certificate", (size_t)(p - data),
                   (size_t)(end - p));
    if (decode_fields(&rd, data, out) != 0)
        return -1;
    if (out->key_usage.len < 1 || out->key_usage.len > 2)
        return bad(&rd, "95 (key usage) is %zu bytes; GPC §11.1.9 codes it in 1 or 2",
                   out->key_usage.len);
    if (out->has_effective &&
        (out->effective.len != 4 || read_bcd_date(out->effective.value, &out->effective_date) != 0))
        return bad(&rd, "5F25 (effective date) is not a 4-byte BCD date YYYYMMDD");
    if (out->expiration.len != 4 ||
        read_bcd_date(out->expiration.value, &out->expiration_date) != 0)
        return bad(&rd, "5F24 (expiration date) is not a 4-byte BCD date YYYYMMDD");
    if (out->has_effective && date_key(out->effective_date) > date_key(out->expiration_date))
        return bad(&rd, "5F25 (effective date) is after 5F24 (expiration date)");
    if (decode_discretionary(&rd, out) != 0 || decode_public_key(&rd, out) != 0)
        return -1;
    return 0;
}

rspg_status rspg_cvc_decode(const uint8_t *data, size_t len, rspg_cvc *out, rspg_diag *d)
{
    char why[256];
    if (cvc_decode(data, len, out, why, sizeof(why)) == 0)
        return RSPG_OK;
    return d ? rspg_fail(d, RSPG_E_INPUT, "%s", why) : RSPG_E_INPUT;
}

/* ---- verification ---- */

int rspg_cvc_verify_signature(const rspg_cvc *c, const rspg_key *issuer)
{
    size_t fb = issuer->curve ? issuer->curve->field_bytes : 0;
    if (fb != 32 || c->signature.len != 2 * fb || c->signed_data == NULL)
        return 0;
    rspg_buf der;
    rspg_buf_init(&der);
    int ok = rspg_cvc_sig_to_der(c->signature.value, c->signature.len, &der) == 0 &&
             rspg_verify_sig(issuer, c->signed_data, c->signed_len, der.data, der.len);
    rspg_buf_free(&der);
    return ok;
}

int rspg_cvc_check_dates(const rspg_cvc *c, int64_t t)
{
    long today = date_key(rspg_cvc_date_of(t));
    if (c->has_effective && today < date_key(c->effective_date))
        return -1;
    if (today > date_key(c->expiration_date))
        return 1;
    return 0;
}

static const rspg_cvc_tlv *find_item(const rspg_cvc *c, unsigned tag)
{
    for (size_t i = 0; i < c->n_items; i++)
        if (c->items[i].tag == tag)
            return &c->items[i];
    return NULL;
}

const char *rspg_cvc_kind(const rspg_cvc *c)
{
    const rspg_cvc_tlv *t = find_item(c, RSPG_CVC_TAG_CERT_TYPE);
    if (t && t->len == 1 && t->value[0] == RSPG_CVC_TYPE_SM_DP)
        return "sm-dp";
    if (t && t->len == 1 && t->value[0] == RSPG_CVC_TYPE_SM_SR)
        return "sm-sr";
    if (t == NULL && c->key_usage.len == 2 && c->key_usage.value[0] == 0x00 &&
        c->key_usage.value[1] == 0x80)
        return "ecasd";
    return NULL;
}

static void verdict(rspg_cvc_verdict *v, const char *check, const char *fmt, ...) RSPG_PRINTF(3, 4);
static void verdict(rspg_cvc_verdict *v, const char *check, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->message, sizeof(v->message), fmt, ap);
    va_end(ap);
    v->valid = 0;
    v->check = check;
}

/* Key usage as GPC §11.1.9 reads it: a missing second byte is '00'. */
static unsigned key_usage_value(const rspg_cvc_tlv *ku)
{
    return ku->len == 2 ? (unsigned)ku->value[0] << 8 | ku->value[1] : (unsigned)ku->value[0] << 8;
}

void rspg_cvc_verify(const uint8_t *data, size_t len, const rspg_cvc_issuer *issuers,
                     size_t n_issuers, int64_t at, rspg_cvc_verdict *out)
{
    rspg_cvc c;
    char why[256];
    memset(out, 0, sizeof(*out));
    out->valid = 1;
    out->issuer = -1;
    if (cvc_decode(data, len, &c, why, sizeof(why)) != 0) {
        verdict(out, "format", "not a GP card certificate: %s", why);
        return;
    }
    out->kind = rspg_cvc_kind(&c);
    for (size_t i = 0; i < n_issuers && out->issuer < 0; i++)
        if (rspg_cvc_verify_signature(&c, issuers[i].key))
            out->issuer = (int)i;
    if (out->issuer < 0) {
        if (c.signature.len != 64)
            verdict(out, "signature",
                    "the signature (5F37) is %zu bytes; r||s on a 256-bit curve "
                    "is 64",
                    c.signature.len);
        else
            verdict(out, "signature", "the signature (5F37) does not verify under %s%s",
                    n_issuers == 1 ? "the key of " : "any of the given issuers' keys",
                    n_issuers == 1 && issuers[0].name ? issuers[0].name : "");
        return;
    }
    const rspg_cvc_issuer *iss = &issuers[out->issuer];
    const rspg_cvc_tlv *c9 = find_item(&c, RSPG_CVC_TAG_CI_KEY_ID);
    if (c9 && iss->ski && (c9->len != iss->ski_len || memcmp(c9->value, iss->ski, c9->len) != 0)) {
        verdict(out, "issuer-key-id",
                "C9 in 73 does not equal the key identifier of %s, whose "
                "key signed it",
                iss->name ? iss->name : "the issuer");
        return;
    }
    unsigned ku = key_usage_value(&c.key_usage);
    const rspg_cvc_tlv *c8 = find_item(&c, RSPG_CVC_TAG_CERT_TYPE);
    if (c8 && out->kind == NULL) {
        verdict(out, "key-usage", "C8 (certificate type) is not 01 (SM-DP) or 02 (SM-SR)");
        return;
    }
    if (c8 && ku != 0x8200 && ku != 0x8800) {
        verdict(out, "key-usage",
                "an %s certificate has key usage %04X; '82' (GP signature "
                "verification) or '88' (what SGP.02 implementations write) "
                "expected",
                out->kind, ku);
        return;
    }
    if (c.curve == NULL) {
        unsigned ref = c.key_param.value[0];
        if (c.key_param.len == 2)
            ref = ref << 8 | c.key_param.value[1];
        verdict(out, "curve", "key parameter reference %X (%s) is not a curve rsp-pkigen checks",
                ref, rspg_cvc_param_name(ref));
        return;
    }
    rspg_diag d;
    rspg_key k;
    rspg_diag_init(&d);
    memset(&k, 0, sizeof(k));
    int on_curve = rspg_key_from_public(c.curve, c.point.value, c.point.len, &d, &k) == RSPG_OK;
    rspg_key_free(&k);
    rspg_diag_fini(&d);
    if (!on_curve) {
        verdict(out, "curve", "B0 is not a point of %s", c.curve->name);
        return;
    }
    int dates = rspg_cvc_check_dates(&c, at);
    if (dates != 0) {
        rspg_cvc_date dd = dates < 0 ? c.effective_date : c.expiration_date;
        char when[32];
        rspg_format_rfc3339(at, when, sizeof(when));
        verdict(out, "validity", "%s (%s = %04d-%02d-%02d) at %s",
                dates < 0 ? "not yet effective" : "expired", dates < 0 ? "5F25" : "5F24", dd.year,
                dd.month, dd.day, when);
        return;
    }
}

/* ---- files ---- */

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int rspg_cvc_sniff(const uint8_t *data, size_t len)
{
    if (len >= 2 && data[0] == 0x7F && data[1] == 0x21)
        return 1;
    size_t i = 0;
    while (i < len && is_space(data[i]))
        i++;
    return len - i >= 4 && data[i] == '7' && (data[i + 1] == 'F' || data[i + 1] == 'f') &&
           data[i + 2] == '2' && data[i + 3] == '1';
}

int rspg_cvc_load(const uint8_t *data, size_t len, rspg_buf *out)
{
    if (len >= 1 && data[0] == 0x7F) {
        rspg_buf_append(out, data, len);
        return 0;
    }
    int hi = -1;
    for (size_t i = 0; i < len; i++) {
        if (is_space(data[i]))
            continue;
        int v = rspg_hex_digit(data[i]);
        if (v < 0)
            return -1;
        if (hi < 0) {
            hi = v;
        } else {
            rspg_buf_push(out, (uint8_t)(hi << 4 | v));
            hi = -1;
        }
    }
    return hi < 0 ? 0 : -1;
}

const char *rspg_cvc_file_format(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && strcmp(path + n - 4, ".hex") == 0 ? "hex" : "tlv";
}
