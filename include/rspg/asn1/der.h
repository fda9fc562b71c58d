/*
 * der.h: a small DER writer and reader (X.690) used to encode certificates, extensions
 * and CRLs exactly, byte for byte, and to read them back in the verifier and linter.
 *
 * Ownership: the writer appends to a caller-owned rspg_buf; the reader's rspg_der_tlv are
 * views into the caller's buffer, valid while it is. Thread safety: no shared state.
 */
#ifndef RSPG_DER_H
#define RSPG_DER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "rspg/base/buf.h"
#include "rspg/base/time.h"

enum {
    RSPG_DER_BOOLEAN = 0x01,
    RSPG_DER_INTEGER = 0x02,
    RSPG_DER_BIT_STRING = 0x03,
    RSPG_DER_OCTET_STRING = 0x04,
    RSPG_DER_NULL = 0x05,
    RSPG_DER_OID = 0x06,
    RSPG_DER_UTF8STRING = 0x0C,
    RSPG_DER_PRINTABLESTRING = 0x13,
    RSPG_DER_IA5STRING = 0x16,
    RSPG_DER_UTCTIME = 0x17,
    RSPG_DER_GENERALIZEDTIME = 0x18,
    RSPG_DER_SEQUENCE = 0x30,
    RSPG_DER_SET = 0x31,
};

/* Writer: nested constructions are opened with rspg_der_begin and closed with rspg_der_end,
 * which inserts the definite length in front of the contents. */
size_t rspg_der_begin(rspg_buf *b, uint8_t tag);
void rspg_der_end(rspg_buf *b, size_t mark);
void rspg_der_put_tlv(rspg_buf *b, uint8_t tag, const void *p, size_t n);
void rspg_der_put_len(rspg_buf *b, size_t n);
void rspg_der_put_bool(rspg_buf *b, int v);
/* INTEGER from a non-negative big-endian magnitude (leading zeros trimmed, 00 added
 * when the top bit is set). */
void rspg_der_put_uint_bytes(rspg_buf *b, const uint8_t *p, size_t n);
void rspg_der_put_uint(rspg_buf *b, uint64_t v);
/* OID from dotted text; returns -1 (writing nothing) when the text is not an OID. */
int rspg_der_put_oid_text(rspg_buf *b, const char *dotted);
/* Content octets of an OID from dotted text; -1 when invalid. */
int rspg_der_oid_from_text(const char *dotted, rspg_buf *out);
/* Dotted text of OID content octets into a new string; NULL when malformed. */
char *rspg_der_oid_to_text(const uint8_t *p, size_t n);
/* Time per RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
int rspg_der_put_time(rspg_buf *b, int64_t unix_seconds);
void rspg_der_put_bit_string(rspg_buf *b, uint8_t unused_bits, const uint8_t *p, size_t n);

/* Reader: a TLV view into a buffer. */
typedef struct rspg_der_tlv {
    uint8_t tag;
    const uint8_t *hdr;   /* start of the tag */
    size_t hdr_len;       /* tag + length octets */
    const uint8_t *value; /* contents */
    size_t len;           /* contents length */
} rspg_der_tlv;

typedef struct rspg_der_cursor {
    const uint8_t *p, *end;
} rspg_der_cursor;

void rspg_der_cursor_init(rspg_der_cursor *c, const uint8_t *p, size_t n);
int rspg_der_cursor_done(const rspg_der_cursor *c);
/* Reads the next TLV (single-byte tags, definite DER lengths only); -1 on malformed input. */
int rspg_der_read(rspg_der_cursor *c, rspg_der_tlv *out);
/* Reads the next TLV and requires TAG; -1 otherwise. */
int rspg_der_expect(rspg_der_cursor *c, uint8_t tag, rspg_der_tlv *out);
/* Peeks at the next tag; -1 when done. */
int rspg_der_peek_tag(const rspg_der_cursor *c);
/* Is the OID TLV's content the dotted OID? */
int rspg_der_oid_is(const rspg_der_tlv *oid, const char *dotted);
/* Parses a UTCTime or GeneralizedTime TLV to Unix seconds; -1 when malformed. */
int rspg_der_parse_time(const rspg_der_tlv *t, int64_t *out);

#endif
