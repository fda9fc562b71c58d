/*
 * der.h: a small DER writer and reader (X.690) used to encode certificates, extensions
 * and CRLs exactly, byte for byte, and to read them back in the verifier and linter.
 */
#ifndef RSPG_DER_H
#define RSPG_DER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "rspg/buf.h"

enum {
    DER_BOOLEAN = 0x01,
    DER_INTEGER = 0x02,
    DER_BIT_STRING = 0x03,
    DER_OCTET_STRING = 0x04,
    DER_NULL = 0x05,
    DER_OID = 0x06,
    DER_UTF8STRING = 0x0C,
    DER_PRINTABLESTRING = 0x13,
    DER_IA5STRING = 0x16,
    DER_UTCTIME = 0x17,
    DER_GENERALIZEDTIME = 0x18,
    DER_SEQUENCE = 0x30,
    DER_SET = 0x31,
};

/* Writer: nested constructions are opened with der_begin and closed with der_end,
 * which inserts the definite length in front of the contents. */
size_t der_begin(rspg_buf *b, uint8_t tag);
void der_end(rspg_buf *b, size_t mark);
void der_put_tlv(rspg_buf *b, uint8_t tag, const void *p, size_t n);
void der_put_len(rspg_buf *b, size_t n);
void der_put_bool(rspg_buf *b, int v);
/* INTEGER from a non-negative big-endian magnitude (leading zeros trimmed, 00 added
 * when the top bit is set). */
void der_put_uint_bytes(rspg_buf *b, const uint8_t *p, size_t n);
void der_put_uint(rspg_buf *b, uint64_t v);
/* OID from dotted text; returns -1 (writing nothing) when the text is not an OID. */
int der_put_oid_text(rspg_buf *b, const char *dotted);
/* Content octets of an OID from dotted text; -1 when invalid. */
int der_oid_from_text(const char *dotted, rspg_buf *out);
/* Dotted text of OID content octets into a new string; NULL when malformed. */
char *der_oid_to_text(const uint8_t *p, size_t n);
/* Time per RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
int der_put_time(rspg_buf *b, int64_t unix_seconds);
void der_put_bit_string(rspg_buf *b, uint8_t unused_bits, const uint8_t *p, size_t n);

/* Reader: a TLV view into a buffer. */
typedef struct der_tlv {
    uint8_t tag;
    const uint8_t *hdr;   /* start of the tag */
    size_t hdr_len;       /* tag + length octets */
    const uint8_t *value; /* contents */
    size_t len;           /* contents length */
} der_tlv;

typedef struct der_cursor {
    const uint8_t *p, *end;
} der_cursor;

void der_cursor_init(der_cursor *c, const uint8_t *p, size_t n);
int der_cursor_done(const der_cursor *c);
/* Reads the next TLV (single-byte tags, definite DER lengths only); -1 on malformed input. */
int der_read(der_cursor *c, der_tlv *out);
/* Reads the next TLV and requires TAG; -1 otherwise. */
int der_expect(der_cursor *c, uint8_t tag, der_tlv *out);
/* Peeks at the next tag; -1 when done. */
int der_peek_tag(const der_cursor *c);
/* Is the OID TLV's content the dotted OID? */
int der_oid_is(const der_tlv *oid, const char *dotted);
/* Parses a UTCTime or GeneralizedTime TLV to Unix seconds; -1 when malformed. */
int der_parse_time(const der_tlv *t, int64_t *out);

/* Unix seconds <-> civil time (UTC), independent of the C library's time_t range. */
int64_t rspg_days_from_civil(int64_t y, unsigned m, unsigned d);
void rspg_civil_from_unix(int64_t t, int *year, int *mon, int *day, int *hh, int *mm, int *ss);
/* Parses "YYYY-MM-DDTHH:MM:SSZ" (or "YYYY-MM-DD"); -1 when malformed. */
int rspg_parse_rfc3339(const char *s, int64_t *out);
/* Writes RFC 3339 ("YYYY-MM-DDTHH:MM:SSZ") into OUT (at least 32 bytes). */
void rspg_format_rfc3339(int64_t t, char *out, size_t n);

#endif
