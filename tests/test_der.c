/*
 * test_der.c: the DER writer and reader (src/lib/der.c) against X.690 and RFC 5280, with
 * every expected encoding pinned as exact bytes: definite lengths at the short/long form
 * boundaries (0x7F, 0x80, 0xFF, 0x100, ...), nested constructions, minimal INTEGERs
 * (leading zeros trimmed, 00 added when the top bit is set, zero), BOOLEAN and BIT STRING,
 * OIDs from dotted text (the GSMA arcs, 2.999.x, the curve OIDs, big arcs) and the rejection
 * of every malformed dotted form, rspg_der_oid_to_text round trips and malformed content octets,
 * times (UTCTime through 2049-12-31T23:59:59Z, GeneralizedTime from 2050 and before 1950,
 * RFC 5280 §4.1.2.5, e.g. the SGP.26 eUICC notAfter 75000510095458Z) and their parsing back,
 * RFC 3339 parsing (leap days, month/hour ranges, lengths) and the civil-time helpers, and
 * the reader's refusal of truncated input, indefinite and non-minimal lengths, lengths
 * beyond the buffer and high tag numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"

/* ---- helpers ------------------------------------------------------------------ */

/* Asserts that B holds exactly the bytes of HEX (upper- or lower-case). */
static void assert_buf_hex(const rspg_buf *b, const char *hex)
{
    rspg_buf want;
    rspg_buf_init(&want);
    assert_int_equal(rspg_unhex(hex, &want), 0);
    char *got = rspg_hex(b->data, b->len);
    char *exp = rspg_hex(want.data, want.len);
    assert_string_equal(got, exp);
    free(got);
    free(exp);
    rspg_buf_free(&want);
}

/* The DER of TAG, a short length and the ASCII text S. */
static void assert_buf_ascii_tlv(const rspg_buf *b, uint8_t tag, const char *s)
{
    size_t n = strlen(s);
    assert_true(n < 0x80);
    assert_int_equal(b->len, n + 2);
    assert_int_equal(b->data[0], tag);
    assert_int_equal(b->data[1], n);
    assert_memory_equal(b->data + 2, s, n);
}

static int64_t rfc3339(const char *s)
{
    int64_t t = 0;
    assert_int_equal(rspg_parse_rfc3339(s, &t), 0);
    return t;
}

/* ---- lengths and constructions ------------------------------------------------ */

static void test_lengths(void **state)
{
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        {0, "00"},
        {1, "01"},
        {0x7F, "7F"},
        {0x80, "8180"},
        {0x81, "8181"},
        {0xFF, "81FF"},
        {0x100, "820100"},
        {0x1234, "821234"},
        {0xFFFF, "82FFFF"},
        {0x10000, "83010000"},
        {0xFFFFFF, "83FFFFFF"},
        {0x1000000, "8401000000"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        rspg_der_put_len(&b, cases[i].n);
        assert_buf_hex(&b, cases[i].hex);
        rspg_buf_free(&b);
    }
}

/* rspg_der_begin/rspg_der_end insert the right header for contents of each boundary size. */
static void test_begin_end_boundaries(void **state)
{
    static const struct {
        size_t n;
        const char *hdr;
    } cases[] = {
        {0, "3000"},      {0x7F, "307F"},      {0x80, "308180"},
        {0xFF, "3081FF"}, {0x100, "30820100"}, {0x10000, "3083010000"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rspg_buf b, want;
        rspg_buf_init(&b);
        rspg_buf_init(&want);
        rspg_buf_push(&b, 0xEE); /* something before: rspg_der_begin must not disturb it */
        size_t m = rspg_der_begin(&b, RSPG_DER_SEQUENCE);
        for (size_t k = 0; k < cases[i].n; k++)
            rspg_buf_push(&b, (uint8_t)k);
        rspg_der_end(&b, m);
        rspg_buf_push(&b, 0xDD); /* and something after */

        assert_int_equal(rspg_unhex(cases[i].hdr, &want), 0);
        assert_int_equal(b.len, 1 + want.len + cases[i].n + 1);
        assert_int_equal(b.data[0], 0xEE);
        assert_memory_equal(b.data + 1, want.data, want.len);
        for (size_t k = 0; k < cases[i].n; k++)
            assert_int_equal(b.data[1 + want.len + k], (uint8_t)k);
        assert_int_equal(b.data[b.len - 1], 0xDD);
        rspg_buf_free(&b);
        rspg_buf_free(&want);
    }
}

static void test_nested(void **state)
{
    rspg_buf b;
    (void)state;
    rspg_buf_init(&b);
    /* SEQUENCE { SEQUENCE { INTEGER 1 }, SET { }, OCTET STRING 'AB' } */
    size_t outer = rspg_der_begin(&b, RSPG_DER_SEQUENCE);
    size_t inner = rspg_der_begin(&b, RSPG_DER_SEQUENCE);
    rspg_der_put_uint(&b, 1);
    rspg_der_end(&b, inner);
    size_t set = rspg_der_begin(&b, RSPG_DER_SET);
    rspg_der_end(&b, set);
    rspg_der_put_tlv(&b, RSPG_DER_OCTET_STRING, "AB", 2);
    rspg_der_end(&b, outer);
    assert_buf_hex(&b, "300B3003020101310004024142");
    rspg_buf_free(&b);

    /* an inner element that itself needs a long-form length, inside an outer one */
    rspg_buf_init(&b);
    outer = rspg_der_begin(&b, RSPG_DER_SEQUENCE);
    inner = rspg_der_begin(&b, RSPG_DER_OCTET_STRING);
    for (int i = 0; i < 0x80; i++)
        rspg_buf_push(&b, 0x5A);
    rspg_der_end(&b, inner);
    rspg_der_end(&b, outer);
    assert_int_equal(b.len, 3 + 3 + 0x80);
    assert_int_equal(b.data[0], 0x30);
    assert_int_equal(b.data[1], 0x81);
    assert_int_equal(b.data[2], 0x83);
    assert_int_equal(b.data[3], 0x04);
    assert_int_equal(b.data[4], 0x81);
    assert_int_equal(b.data[5], 0x80);
    rspg_buf_free(&b);
}

/* ---- primitive values ----------------------------------------------------------- */

static void check_uint_bytes(const char *in_hex, const char *want_hex)
{
    rspg_buf in, b;
    rspg_buf_init(&in);
    rspg_buf_init(&b);
    assert_int_equal(rspg_unhex(in_hex, &in), 0);
    rspg_der_put_uint_bytes(&b, in.data ? in.data : (const uint8_t *)"", in.len);
    assert_buf_hex(&b, want_hex);
    rspg_buf_free(&in);
    rspg_buf_free(&b);
}

static void test_integer_bytes(void **state)
{
    (void)state;
    check_uint_bytes("", "020100");     /* no bytes: zero */
    check_uint_bytes("00", "020100");   /* zero */
    check_uint_bytes("0000", "020100"); /* zero with leading zeros */
    check_uint_bytes("000000", "020100");
    check_uint_bytes("01", "020101");
    check_uint_bytes("000001", "020101"); /* leading zeros trimmed */
    check_uint_bytes("7F", "02017F");     /* top bit clear: no pad */
    check_uint_bytes("80", "02020080");   /* top bit set: 00 added */
    check_uint_bytes("0080", "02020080"); /* an existing pad is kept exactly once */
    check_uint_bytes("000080", "02020080");
    check_uint_bytes("FF", "020200FF");
    check_uint_bytes("0100", "02020100");
    check_uint_bytes("0101", "02020101"); /* the SGP.26 EUM serial */
    check_uint_bytes("09", "020109");     /* the SGP.26 DP TLS serial */
    /* the SGP.26 CI serial, given with and without its pad */
    check_uint_bytes("B874F3ABFA6C44D3", "020900B874F3ABFA6C44D3");
    check_uint_bytes("00B874F3ABFA6C44D3", "020900B874F3ABFA6C44D3");
    /* the SGP.26 eUICC serial: the EID digits read as hex; 0x89 has the top bit set, so a
     * 00 is added (17 content bytes, as in the real certificate) */
    check_uint_bytes("89049032123451234512345678901235", "0211"
                                                         "0089049032123451234512345678901235");
    check_uint_bytes("03FF0AFF0009990101FF01", "020B03FF0AFF0009990101FF01");
}

static void test_integer_u64(void **state)
{
    static const struct {
        uint64_t v;
        const char *hex;
    } cases[] = {
        {0, "020100"},
        {1, "020101"},
        {2, "020102"},
        {127, "02017F"},
        {128, "02020080"},
        {255, "020200FF"},
        {256, "02020100"},
        {0x7FFF, "02027FFF"},
        {0x8000, "0203008000"},
        {0x7FFFFFFFFFFFFFFFull, "02087FFFFFFFFFFFFFFF"},
        {0x8000000000000000ull, "0209008000000000000000"},
        {UINT64_MAX, "020900FFFFFFFFFFFFFFFF"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        rspg_der_put_uint(&b, cases[i].v);
        assert_buf_hex(&b, cases[i].hex);
        rspg_buf_free(&b);
    }
}

static void test_bool_bits_tlv(void **state)
{
    rspg_buf b;
    (void)state;
    rspg_buf_init(&b);
    rspg_der_put_bool(&b, 1);
    rspg_der_put_bool(&b, 0);
    rspg_der_put_bool(&b, 42); /* any non-zero is TRUE, and DER TRUE is FF */
    assert_buf_hex(&b, "0101FF0101000101FF");
    rspg_buf_reset(&b);

    rspg_der_put_bit_string(&b, 7, (const uint8_t *)"\x80", 1);
    rspg_der_put_bit_string(&b, 0, NULL, 0);
    assert_buf_hex(&b, "030207800301"
                       "00");
    rspg_buf_reset(&b);

    rspg_der_put_tlv(&b, RSPG_DER_NULL, NULL, 0);
    rspg_der_put_tlv(&b, RSPG_DER_UTF8STRING, "Test CI", 7);
    rspg_der_put_tlv(&b, RSPG_DER_PRINTABLESTRING, "IT", 2);
    assert_buf_hex(&b, "05000C07546573742043491302"
                       "4954");
    rspg_buf_free(&b);
}

/* ---- OIDs ----------------------------------------------------------------------- */

static const struct {
    const char *text;
    const char *tlv;
} oid_cases[] = {
    {"2.23.146.1.2.1.0", "0607678112010201"
                         "00"}, /* id-rspRole-ci */
    {"2.23.146.1.2.2.0", "0607678112010202"
                         "00"}, /* permittedEins */
    {"2.23.146.1.2.1.0.0.0.0.0", "060B6781120102010000000000"},
    {"2.999.1", "0603883701"}, /* the CI SAN registeredID */
    {"2.999.101", "0603883765"},
    {"2.999.15.2", "060488370F02"},
    {"1.2.840.10045.3.1.7", "06082A8648CE3D030107"},    /* prime256v1 */
    {"1.3.36.3.3.2.8.1.1.7", "06092B2403030208010107"}, /* brainpoolP256r1 */
    {"1.3.132.0.34", "06052B81040022"},                 /* secp384r1 */
    {"1.2.840.10045.2.1", "06072A8648CE3D0201"},        /* id-ecPublicKey */
    {"1.2.840.10045.4.3.2", "06082A8648CE3D040302"},    /* ecdsa-with-SHA256 */
    {"2.5.29.14", "0603551D0E"},
    {"2.5.4.3", "0603550403"},
    {"1.3.6.1.5.5.7.3.1", "06082B06010505070301"}, /* serverAuth */
    {"0.0", "060100"},
    {"0.39", "060127"},
    {"1.0", "060128"},
    {"1.39", "06014F"},
    {"2.0", "060150"},
    {"2.47", "06017F"},   /* 127: the last one-byte first arc */
    {"2.48", "06028100"}, /* 128: two bytes */
    {"1.2.127", "06022A7F"},
    {"1.2.128", "06032A8100"},
    {"1.2.16383", "06032AFF7F"},
    {"1.2.16384", "06042A818000"},
    {"1.2.4294967296", "06062A9080808000"},
    {"1.2.18446744073709551609", "060B2A81FFFFFFFFFFFFFFFF79"},
    {"1.2.18446744073709551610", "060B2A81FFFFFFFFFFFFFFFF7A"},
    {"1.2.18446744073709551615", "060B2A81FFFFFFFFFFFFFFFF7F"}, /* UINT64_MAX */
};

static void test_oid_encode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(oid_cases) / sizeof(oid_cases[0]); i++) {
        rspg_buf b, content;
        rspg_buf_init(&b);
        rspg_buf_init(&content);
        if (rspg_der_put_oid_text(&b, oid_cases[i].text) != 0)
            print_error("rspg_der_put_oid_text rejected '%s'\n", oid_cases[i].text);
        assert_int_equal(rspg_der_put_oid_text(&b, oid_cases[i].text), 0);
        rspg_buf_reset(&b);
        assert_int_equal(rspg_der_put_oid_text(&b, oid_cases[i].text), 0);
        assert_buf_hex(&b, oid_cases[i].tlv);
        /* rspg_der_oid_from_text appends the content octets only */
        rspg_buf_push(&content, 0xAA);
        assert_int_equal(rspg_der_oid_from_text(oid_cases[i].text, &content), 0);
        assert_int_equal(content.len, b.len - 1);
        assert_int_equal(content.data[0], 0xAA);
        assert_memory_equal(content.data + 1, b.data + 2, b.len - 2);
        rspg_buf_free(&b);
        rspg_buf_free(&content);
    }
}

static void test_oid_invalid(void **state)
{
    static const char *const bad[] = {
        "",  /* empty */
        "1", /* one arc */
        "2",
        "3.1", /* first arc > 2 */
        "9.0",
        "1.40", /* second arc >= 40 under 0 and 1 */
        "0.40",
        "1..2", /* empty arc */
        "01.2", /* leading zeros */
        "1.02",
        "1.2.03",
        "1.2.",  /* trailing dot */
        ".1.2",  /* leading dot */
        "1.2.a", /* letters */
        "a.b",
        "abc",
        "1.2.3x",
        "1.2 ", /* spaces */
        " 1.2",
        "1. 2",
        "1,2",
        "-1.2",
        "1.-2",
        "+1.2",
        "1.2.18446744073709551616", /* one past UINT64_MAX */
        "1.2.99999999999999999999999",
        "2.18446744073709551615", /* 80 + arc overflows the first subidentifier */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        rspg_buf_push(&b, 0x55);
        if (rspg_der_put_oid_text(&b, bad[i]) != -1)
            print_error("rspg_der_put_oid_text accepted '%s'\n", bad[i]);
        assert_int_equal(rspg_der_put_oid_text(&b, bad[i]), -1);
        assert_int_equal(rspg_der_oid_from_text(bad[i], &b), -1);
        assert_int_equal(b.len, 1); /* nothing written */
        assert_int_equal(b.data[0], 0x55);
        rspg_buf_free(&b);
    }
}

static void test_oid_to_text(void **state)
{
    (void)state;
    /* every encodable case round-trips */
    for (size_t i = 0; i < sizeof(oid_cases) / sizeof(oid_cases[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        assert_int_equal(rspg_der_oid_from_text(oid_cases[i].text, &b), 0);
        char *t = rspg_der_oid_to_text(b.data, b.len);
        assert_non_null(t);
        assert_string_equal(t, oid_cases[i].text);
        free(t);
        rspg_buf_free(&b);
    }
    /* decoding fixed content octets */
    static const struct {
        const char *hex;
        const char *text;
    } dec[] = {
        {"883701", "2.999.1"},
        {"2A8648CE3D030107", "1.2.840.10045.3.1.7"},
        {"678112010202"
         "00",
         "2.23.146.1.2.2.0"},
        {"4F", "1.39"},
        {"50", "2.0"},
        {"8837", "2.999"},
    };
    for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        assert_int_equal(rspg_unhex(dec[i].hex, &b), 0);
        char *t = rspg_der_oid_to_text(b.data, b.len);
        assert_non_null(t);
        assert_string_equal(t, dec[i].text);
        free(t);
        rspg_buf_free(&b);
    }
    /* malformed content octets */
    static const char *const bad[] = {
        "2A86",                             /* ends inside a subidentifier */
        "86",   "2A8001",                   /* non-minimal: leading 0x80 */
        "8001", "2A81FFFFFFFFFFFFFFFFFF7F", /* more than 64 bits */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        assert_int_equal(rspg_unhex(bad[i], &b), 0);
        char *t = rspg_der_oid_to_text(b.data, b.len);
        if (t != NULL)
            print_error("rspg_der_oid_to_text(%s) gave '%s'\n", bad[i], t);
        assert_null(t);
        rspg_buf_free(&b);
    }
    assert_null(rspg_der_oid_to_text((const uint8_t *)"", 0));
}

/* ---- times ---------------------------------------------------------------------- */

static void check_time(int64_t t, uint8_t tag, const char *text)
{
    rspg_buf b;
    rspg_der_cursor c;
    rspg_der_tlv tlv;
    int64_t back = -1;
    rspg_buf_init(&b);
    assert_int_equal(rspg_der_put_time(&b, t), 0);
    assert_buf_ascii_tlv(&b, tag, text);
    /* and back */
    rspg_der_cursor_init(&c, b.data, b.len);
    assert_int_equal(rspg_der_read(&c, &tlv), 0);
    assert_int_equal(rspg_der_parse_time(&tlv, &back), 0);
    assert_true(back == t);
    rspg_buf_free(&b);
}

static void test_time_encode(void **state)
{
    (void)state;
    check_time(0, RSPG_DER_UTCTIME, "700101000000Z");
    check_time(rfc3339("1950-01-01T00:00:00Z"), RSPG_DER_UTCTIME, "500101000000Z");
    check_time(rfc3339("1949-12-31T23:59:59Z"), RSPG_DER_GENERALIZEDTIME, "19491231235959Z");
    check_time(rfc3339("1999-12-31T23:59:59Z"), RSPG_DER_UTCTIME, "991231235959Z");
    check_time(rfc3339("2000-01-01T00:00:00Z"), RSPG_DER_UTCTIME, "000101000000Z");
    /* the last UTCTime second and the first GeneralizedTime second */
    check_time(rfc3339("2049-12-31T23:59:59Z"), RSPG_DER_UTCTIME, "491231235959Z");
    assert_true(rfc3339("2049-12-31T23:59:59Z") == 2524607999);
    check_time(rfc3339("2050-01-01T00:00:00Z"), RSPG_DER_GENERALIZEDTIME, "20500101000000Z");
    assert_true(rfc3339("2050-01-01T00:00:00Z") == 2524608000);
    check_time(2524607999, RSPG_DER_UTCTIME, "491231235959Z");
    check_time(2524608000, RSPG_DER_GENERALIZEDTIME, "20500101000000Z");
    /* the SGP.26 v3 CI: notBefore 240716095205Z, 12783 days later 20590716095205Z */
    check_time(1721123525, RSPG_DER_UTCTIME, "240716095205Z");
    check_time(1721123525 + 12783LL * 86400, RSPG_DER_GENERALIZEDTIME, "20590716095205Z");
    /* the SGP.26 v3 eUICC: notBefore 240716095458Z, 2000000 days later 75000510095458Z */
    check_time(rfc3339("2024-07-16T09:54:58Z"), RSPG_DER_UTCTIME, "240716095458Z");
    check_time(rfc3339("2024-07-16T09:54:58Z") + 2000000LL * 86400, RSPG_DER_GENERALIZEDTIME,
               "75000510095458Z");
    assert_true(rfc3339("7500-05-10T09:54:58Z") == 174521123698LL);
    /* leap days, both forms */
    check_time(rfc3339("2024-02-29T12:00:00Z"), RSPG_DER_UTCTIME, "240229120000Z");
    check_time(rfc3339("2400-02-29T23:59:59Z"), RSPG_DER_GENERALIZEDTIME, "24000229235959Z");
    /* the extremes of GeneralizedTime's four-digit year */
    check_time(rfc3339("9999-12-31T23:59:59Z"), RSPG_DER_GENERALIZEDTIME, "99991231235959Z");
    check_time(rfc3339("0001-01-01T00:00:00Z"), RSPG_DER_GENERALIZEDTIME, "00010101000000Z");
}

static void test_time_out_of_range(void **state)
{
    rspg_buf b;
    (void)state;
    rspg_buf_init(&b);
    rspg_buf_push(&b, 0x77);
    assert_int_equal(rspg_der_put_time(&b, rfc3339("9999-12-31T23:59:59Z") + 1), -1);
    assert_int_equal(rspg_der_put_time(&b, INT64_C(-62167219200) - 1), -1); /* before 0000-01-01 */
    assert_int_equal(b.len, 1);                                             /* nothing written */
    rspg_buf_free(&b);
}

/* rspg_der_parse_time on hand-made TLVs */
static int parse_time_tlv(uint8_t tag, const char *text, int64_t *out)
{
    rspg_der_tlv t;
    memset(&t, 0, sizeof(t));
    t.tag = tag;
    t.value = (const uint8_t *)text;
    t.len = strlen(text);
    return rspg_der_parse_time(&t, out);
}

static void test_time_parse(void **state)
{
    int64_t t = 0;
    (void)state;
    /* the UTCTime pivot: YY < 50 is 20YY, YY >= 50 is 19YY */
    assert_int_equal(parse_time_tlv(RSPG_DER_UTCTIME, "491231235959Z", &t), 0);
    assert_true(t == 2524607999);
    assert_int_equal(parse_time_tlv(RSPG_DER_UTCTIME, "500101000000Z", &t), 0);
    assert_true(t == -631152000);
    assert_int_equal(parse_time_tlv(RSPG_DER_GENERALIZEDTIME, "75000510095458Z", &t), 0);
    assert_true(t == 174521123698LL);

    static const struct {
        uint8_t tag;
        const char *text;
    } bad[] = {
        {RSPG_DER_UTCTIME, "4912312359Z"},               /* no seconds */
        {RSPG_DER_UTCTIME, "491231235959"},              /* no Z */
        {RSPG_DER_UTCTIME, "491231235959+0000"},         /* offset */
        {RSPG_DER_UTCTIME, "4912312359590"},             /* 13 chars, no Z */
        {RSPG_DER_UTCTIME, "20491231235959Z"},           /* GeneralizedTime text in UTCTime */
        {RSPG_DER_UTCTIME, "49123123595AZ"},             /* non-digit */
        {RSPG_DER_UTCTIME, "491331235959Z"},             /* month 13 */
        {RSPG_DER_UTCTIME, "491200235959Z"},             /* day 0 */
        {RSPG_DER_UTCTIME, "491232235959Z"},             /* day 32 */
        {RSPG_DER_UTCTIME, "491231245959Z"},             /* hour 24 */
        {RSPG_DER_UTCTIME, "491231236059Z"},             /* minute 60 */
        {RSPG_DER_UTCTIME, "491231235960Z"},             /* second 60 */
        {RSPG_DER_GENERALIZEDTIME, "20500101000000.5Z"}, /* fractional seconds: not DER in X.509 */
        {RSPG_DER_GENERALIZEDTIME, "500101000000Z"},     /* UTCTime text in GeneralizedTime */
        {RSPG_DER_GENERALIZEDTIME, "2050010100000Z0"},
        {RSPG_DER_GENERALIZEDTIME, "20500001000000Z"},
        {RSPG_DER_OCTET_STRING, "491231235959Z"}, /* not a time type */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (parse_time_tlv(bad[i].tag, bad[i].text, &t) != -1)
            print_error("rspg_der_parse_time accepted '%s'\n", bad[i].text);
        assert_int_equal(parse_time_tlv(bad[i].tag, bad[i].text, &t), -1);
    }
}

/* ---- RFC 3339 and civil time ---------------------------------------------------- */

static void test_rfc3339_accepts(void **state)
{
    static const struct {
        const char *s;
        int64_t t;
    } ok[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"1970-01-01", 0},
        {"2024-07-16T09:52:05Z", 1721123525},
        {"2024-07-16t09:52:05z", 1721123525}, /* RFC 3339 §5.6 allows lower case */
        {"2024-07-16 09:52:05Z", 1721123525}, /* and a space */
        {"2024-02-29T00:00:00Z", 1709164800}, /* leap year */
        {"2024-02-29", 1709164800},
        {"2000-02-29T00:00:00Z", 951782400}, /* divisible by 400: leap */
        {"2049-12-31T23:59:59Z", 2524607999},
        {"1950-01-01T00:00:00Z", -631152000},
        {"1969-12-31T23:59:59Z", -1},
        {"9999-12-31T23:59:59Z", 253402300799LL},
        {"0001-01-01T00:00:00Z", -62135596800LL},
        {"2023-04-30T00:00:00Z", 1682812800},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int64_t t = 0;
        if (rspg_parse_rfc3339(ok[i].s, &t) != 0)
            print_error("rejected '%s'\n", ok[i].s);
        assert_int_equal(rspg_parse_rfc3339(ok[i].s, &t), 0);
        assert_true(t == ok[i].t);
    }
}

static void test_rfc3339_rejects(void **state)
{
    static const char *const bad[] = {
        "2023-02-29T00:00:00Z", /* not a leap year */
        "2023-02-29",
        "1900-02-29T00:00:00Z", /* divisible by 100, not by 400 */
        "2024-02-30T00:00:00Z",
        "2024-04-31T00:00:00Z", /* April has 30 days */
        "2024-13-01T00:00:00Z", /* month 13 */
        "2024-00-10T00:00:00Z", /* month 0 */
        "2024-01-00T00:00:00Z", /* day 0 */
        "2024-01-32T00:00:00Z",
        "2024-01-01T24:00:00Z", /* hour 24 */
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z", /* leap seconds are not accepted */
        "0000-01-01T00:00:00Z", /* year 0 */
        "2024-01-01T00:00:00",  /* wrong lengths */
        "2024-01-01T00:00:00.0Z",
        "2024-01-01T00:00:00+00:00",
        "2024-01-01T00:00Z",
        "2024-1-01",
        "24-01-01",
        "2024-01-0",
        "2024-01-011",
        "",
        "2024/01/01", /* wrong separators */
        "2024-01-01X00:00:00Z",
        "2024-01-01T00-00-00Z",
        "2024-01-01T00:00:00Y",
        "2O24-01-01", /* a letter O */
        "2024-0a-01",
        "-024-01-01",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t t = 12345;
        if (rspg_parse_rfc3339(bad[i], &t) != -1)
            print_error("accepted '%s'\n", bad[i]);
        assert_int_equal(rspg_parse_rfc3339(bad[i], &t), -1);
    }
}

static void test_civil(void **state)
{
    int y, mo, d, h, mi, s;
    char buf[32];
    (void)state;
    assert_true(rspg_days_from_civil(1970, 1, 1) == 0);
    assert_true(rspg_days_from_civil(2000, 3, 1) == 11017);
    assert_true(rspg_days_from_civil(1969, 12, 31) == -1);
    assert_true(rspg_days_from_civil(7500, 5, 10) - rspg_days_from_civil(2024, 7, 16) == 2000000);

    rspg_civil_from_unix(-1, &y, &mo, &d, &h, &mi, &s);
    assert_int_equal(y, 1969);
    assert_int_equal(mo, 12);
    assert_int_equal(d, 31);
    assert_int_equal(h, 23);
    assert_int_equal(mi, 59);
    assert_int_equal(s, 59);
    rspg_civil_from_unix(174521123698LL, &y, &mo, &d, &h, &mi, &s);
    assert_int_equal(y, 7500);
    assert_int_equal(mo, 5);
    assert_int_equal(d, 10);
    assert_int_equal(h, 9);
    assert_int_equal(mi, 54);
    assert_int_equal(s, 58);

    rspg_format_rfc3339(1721123525, buf, sizeof(buf));
    assert_string_equal(buf, "2024-07-16T09:52:05Z");
    rspg_format_rfc3339(-62135596800LL, buf, sizeof(buf));
    assert_string_equal(buf, "0001-01-01T00:00:00Z");
    /* every day of a leap year and a common year round-trips through format and parse */
    for (int64_t t = rfc3339("2023-01-01T12:34:56Z"); t < rfc3339("2025-01-01T00:00:00Z");
         t += 86400) {
        int64_t back = 0;
        rspg_format_rfc3339(t, buf, sizeof(buf));
        assert_int_equal(rspg_parse_rfc3339(buf, &back), 0);
        assert_true(back == t);
    }
}

/* ---- reader --------------------------------------------------------------------- */

static int read_hex(const char *hex, rspg_der_tlv *t, rspg_buf *keep)
{
    static const uint8_t none[1] = {0};
    rspg_der_cursor c;
    rspg_buf_init(keep);
    assert_int_equal(rspg_unhex(hex, keep), 0);
    rspg_der_cursor_init(&c, keep->data ? keep->data : none, keep->len);
    const uint8_t *before = c.p;
    int rc = rspg_der_read(&c, t);
    if (rc != 0)
        assert_ptr_equal(c.p, before); /* a failed read does not move the cursor */
    return rc;
}

static void test_reader_ok(void **state)
{
    rspg_buf b;
    rspg_der_tlv t, inner;
    rspg_der_cursor c, ic;
    (void)state;

    /* SEQUENCE { INTEGER 1, OCTET STRING 'AB' } NULL */
    rspg_buf_init(&b);
    assert_int_equal(rspg_unhex("30070201010402414205"
                                "00",
                                &b),
                     0);
    rspg_der_cursor_init(&c, b.data, b.len);
    assert_false(rspg_der_cursor_done(&c));
    assert_int_equal(rspg_der_peek_tag(&c), 0x30);
    assert_int_equal(rspg_der_read(&c, &t), 0);
    assert_int_equal(t.tag, 0x30);
    assert_ptr_equal(t.hdr, b.data);
    assert_int_equal(t.hdr_len, 2);
    assert_ptr_equal(t.value, b.data + 2);
    assert_int_equal(t.len, 7);
    rspg_der_cursor_init(&ic, t.value, t.len);
    assert_int_equal(rspg_der_expect(&ic, RSPG_DER_OCTET_STRING, &inner), -1); /* wrong tag */
    assert_int_equal(rspg_der_peek_tag(&ic), RSPG_DER_INTEGER);                /* cursor restored */
    assert_int_equal(rspg_der_expect(&ic, RSPG_DER_INTEGER, &inner), 0);
    assert_int_equal(inner.len, 1);
    assert_int_equal(inner.value[0], 1);
    assert_int_equal(rspg_der_expect(&ic, RSPG_DER_OCTET_STRING, &inner), 0);
    assert_memory_equal(inner.value, "AB", 2);
    assert_true(rspg_der_cursor_done(&ic));
    assert_int_equal(rspg_der_peek_tag(&ic), -1);
    assert_int_equal(rspg_der_read(&ic, &inner), -1); /* nothing left */
    assert_int_equal(rspg_der_read(&c, &t), 0);
    assert_int_equal(t.tag, RSPG_DER_NULL);
    assert_int_equal(t.len, 0);
    assert_true(rspg_der_cursor_done(&c));
    rspg_buf_free(&b);

    /* long forms at the boundaries, as written by rspg_der_put_len */
    static const size_t sizes[] = {0x7F, 0x80, 0xFF, 0x100, 0x10000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        rspg_buf_init(&b);
        size_t m = rspg_der_begin(&b, RSPG_DER_OCTET_STRING);
        for (size_t k = 0; k < sizes[i]; k++)
            rspg_buf_push(&b, 0x11);
        rspg_der_end(&b, m);
        rspg_der_cursor_init(&c, b.data, b.len);
        assert_int_equal(rspg_der_read(&c, &t), 0);
        assert_int_equal(t.len, sizes[i]);
        assert_int_equal(t.hdr_len, b.len - sizes[i]);
        assert_true(rspg_der_cursor_done(&c));
        rspg_buf_free(&b);
    }
}

static void test_reader_rejects(void **state)
{
    static const struct {
        const char *hex;
        const char *why;
    } bad[] = {
        {"", "empty"},
        {"30", "tag without length"},
        {"04034142", "truncated: 3 announced, 2 present"},
        {"3003020101"
         "00",
         "sequence fine, then a lone byte"}, /* first read is fine: see below */
        {"3080020101"
         "0000",
         "indefinite length"},
        {"048105"
         "4142434445",
         "long form for a length < 128"},
        {"04820080", "non-minimal: leading zero length octet"},
        {"0482010041", "length 256 beyond a 5-byte buffer"},
        {"048201", "long-form length cut short"},
        {"0481", "long-form length missing"},
        {"048500000000"
         "01",
         "five length octets"},
        {"0484FFFFFFFF", "huge length"},
        {"1F0100", "high tag number form"},
        {"3F8101"
         "00",
         "constructed high tag number form"},
        {"30FF", "reserved length octet 0xFF"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rspg_buf b;
        rspg_der_tlv t;
        int rc = read_hex(bad[i].hex, &t, &b);
        if (i == 3) {
            /* the sequence itself is fine, but the lone trailing byte is not a TLV */
            rspg_der_cursor c;
            assert_int_equal(rc, 0);
            rspg_der_cursor_init(&c, b.data + 5, 1);
            rc = rspg_der_read(&c, &t);
        }
        if (rc != -1)
            print_error("rspg_der_read accepted %s (%s)\n", bad[i].hex, bad[i].why);
        assert_int_equal(rc, -1);
        rspg_buf_free(&b);
    }

    /* an element longer than its parent: reading inside the parent's value fails */
    rspg_buf b;
    rspg_der_tlv outer, t;
    rspg_der_cursor c;
    assert_int_equal(read_hex("3003"
                              "0405414243",
                              &outer, &b),
                     0);
    assert_int_equal(outer.len, 3);
    rspg_der_cursor_init(&c, outer.value, outer.len);
    assert_int_equal(rspg_der_read(&c, &t), -1);
    rspg_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_begin_end_boundaries),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_integer_bytes),
        cmocka_unit_test(test_integer_u64),
        cmocka_unit_test(test_bool_bits_tlv),
        cmocka_unit_test(test_oid_encode),
        cmocka_unit_test(test_oid_invalid),
        cmocka_unit_test(test_oid_to_text),
        cmocka_unit_test(test_time_encode),
        cmocka_unit_test(test_time_out_of_range),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_rfc3339_accepts),
        cmocka_unit_test(test_rfc3339_rejects),
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_reader_ok),
        cmocka_unit_test(test_reader_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
