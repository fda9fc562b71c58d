/*
 * x509.c: strict DER parsing of a Certificate (RFC 5280 §4.1) into views, with the
 * der.c reader. Used by the verifier and by tests that compare certificates field by
 * field; trailing data, indefinite or non-minimal lengths (X.690 §10.1), an explicit v1
 * version (DEFAULT, X.690 §11.5), an OID that is empty or has an unterminated, padded or
 * overlong arc (X.690 §8.19), a Name that is not a SEQUENCE OF non-empty SETs of
 * {OID, value} (RFC 5280 §4.1.2.4), a signature or key BIT STRING with unused bits
 * (X.690 §11.2), an AlgorithmIdentifier with more than one parameter and an empty
 * extensions list (RFC 5280 §4.1, SIZE (1..MAX)) are rejected, each with its reason.
 */
#include "rspg/x509/x509.h"

#include <string.h>

int rspg_x509_oid_ok(const uint8_t *p, size_t n)
{
    /* X.690 §8.19.2: each arc base 128, minimal (no leading 0x80), the last octet of an
     * arc with bit 8 clear; arcs of more than 9 octets (63 bits) are refused as overlong
     * (no registered arc is that large; an "endless" arc never ends). */
    if (n == 0 || (p[n - 1] & 0x80))
        return 0;
    size_t arc_len = 0;
    for (size_t i = 0; i < n; i++) {
        if (arc_len == 0 && p[i] == 0x80)
            return 0;
        if (++arc_len > 9)
            return 0;
        if (!(p[i] & 0x80))
            arc_len = 0;
    }
    return 1;
}

/* RFC 5280 §4.1.2.4: Name ::= SEQUENCE OF RelativeDistinguishedName (SET SIZE (1..MAX) OF
 * AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }). */
static int name_ok(const rspg_der_tlv *name)
{
    rspg_der_cursor rdns, set, atv;
    rspg_der_tlv s, a, o, v;
    rspg_der_cursor_init(&rdns, name->value, name->len);
    while (!rspg_der_cursor_done(&rdns)) {
        if (rspg_der_expect(&rdns, RSPG_DER_SET, &s) != 0 || s.len == 0)
            return 0;
        rspg_der_cursor_init(&set, s.value, s.len);
        while (!rspg_der_cursor_done(&set)) {
            if (rspg_der_expect(&set, RSPG_DER_SEQUENCE, &a) != 0)
                return 0;
            rspg_der_cursor_init(&atv, a.value, a.len);
            if (rspg_der_expect(&atv, RSPG_DER_OID, &o) != 0 || !rspg_x509_oid_ok(o.value, o.len) ||
                rspg_der_read(&atv, &v) != 0 || !rspg_der_cursor_done(&atv))
                return 0;
        }
    }
    return 1;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } (RFC 5280
 * §4.1.1.2): a well-formed OID and at most one parameter. */
static int alg_ok(const rspg_der_tlv *alg)
{
    rspg_der_cursor cur;
    rspg_der_tlv o, p;
    rspg_der_cursor_init(&cur, alg->value, alg->len);
    if (rspg_der_expect(&cur, RSPG_DER_OID, &o) != 0 || !rspg_x509_oid_ok(o.value, o.len))
        return 0;
    if (!rspg_der_cursor_done(&cur) && rspg_der_read(&cur, &p) != 0)
        return 0;
    return rspg_der_cursor_done(&cur);
}

/* The [3] Extensions of a TBSCertificate (the rest of TBS), into C->exts. */
static int parse_extensions(rspg_der_cursor *tbs, rspg_x509 *c, const char **why)
{
    rspg_der_cursor exts;
    rspg_der_tlv ctx, seq, t;
    if (rspg_der_expect(tbs, 0xA3, &ctx) != 0 || !rspg_der_cursor_done(tbs))
        return -1;
    rspg_der_cursor_init(&exts, ctx.value, ctx.len);
    if (rspg_der_expect(&exts, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&exts))
        return -1;
    if (seq.len == 0) {
        *why = "the extensions list is empty (RFC 5280 §4.1: SIZE (1..MAX))";
        return -1;
    }
    rspg_der_cursor_init(&exts, seq.value, seq.len);
    while (!rspg_der_cursor_done(&exts)) {
        rspg_x509_ext *e;
        rspg_der_cursor ec;
        if (c->n_exts == RSPG_X509_MAX_EXTS) {
            *why = "too many extensions";
            return -1;
        }
        e = &c->exts[c->n_exts];
        if (rspg_der_expect(&exts, RSPG_DER_SEQUENCE, &e->whole) != 0)
            return -1;
        rspg_der_cursor_init(&ec, e->whole.value, e->whole.len);
        if (rspg_der_expect(&ec, RSPG_DER_OID, &e->oid) != 0)
            return -1;
        if (rspg_der_peek_tag(&ec) == RSPG_DER_BOOLEAN) {
            if (rspg_der_read(&ec, &t) != 0 || t.len != 1 || t.value[0] != 0xFF) {
                *why = "an extension's critical flag is not DER (encoded only when TRUE, as FF: "
                       "X.690 §11.1, §11.5)";
                return -1;
            }
            e->critical = 1;
        }
        if (rspg_der_expect(&ec, RSPG_DER_OCTET_STRING, &e->value) != 0 ||
            !rspg_der_cursor_done(&ec))
            return -1;
        c->n_exts++;
    }
    return 0;
}

/* [0] EXPLICIT Version DEFAULT v1: v2 or v3 when present (DER omits the default). */
static int parse_version(rspg_der_cursor *tbs, rspg_x509 *c, const char **why)
{
    rspg_der_cursor v;
    rspg_der_tlv t;
    c->version = 0;
    if (rspg_der_peek_tag(tbs) != 0xA0)
        return 0;
    if (rspg_der_read(tbs, &t) != 0)
        return -1;
    rspg_der_cursor_init(&v, t.value, t.len);
    if (rspg_der_expect(&v, RSPG_DER_INTEGER, &t) != 0 || t.len != 1 || !rspg_der_cursor_done(&v))
        return -1;
    if (t.value[0] != 1 && t.value[0] != 2) {
        *why = t.value[0] == 0 ? "the version v1 is encoded explicitly (it is the DEFAULT, "
                                 "X.690 §11.5)"
                               : "unknown certificate version (RFC 5280 §4.1.2.1)";
        return -1;
    }
    c->version = t.value[0];
    return 0;
}

static int parse_spki(rspg_x509 *c, const char **why)
{
    rspg_der_cursor spki, alg;
    rspg_der_tlv algseq, bits;
    *why = "malformed subjectPublicKeyInfo";
    rspg_der_cursor_init(&spki, c->spki.value, c->spki.len);
    if (rspg_der_expect(&spki, RSPG_DER_SEQUENCE, &algseq) != 0 ||
        rspg_der_expect(&spki, RSPG_DER_BIT_STRING, &bits) != 0 || !rspg_der_cursor_done(&spki) ||
        bits.len < 2 || bits.value[0] != 0)
        return -1;
    c->pub = bits.value + 1;
    c->pub_len = bits.len - 1;
    rspg_der_cursor_init(&alg, algseq.value, algseq.len);
    if (rspg_der_expect(&alg, RSPG_DER_OID, &c->spki_alg_oid) != 0)
        return -1;
    if (rspg_der_peek_tag(&alg) == RSPG_DER_OID && rspg_der_read(&alg, &c->spki_curve_oid) != 0)
        return -1;
    if (!alg_ok(&algseq) || (c->spki_curve_oid.len == 0 && c->spki_curve_oid.tag == RSPG_DER_OID)) {
        *why = "malformed subjectPublicKeyInfo algorithm: an empty or malformed OID or more "
               "than one parameter (RFC 5280 §4.1.2.7, X.690 §8.19)";
        return -1;
    }
    if (c->spki_curve_oid.len &&
        !rspg_x509_oid_ok(c->spki_curve_oid.value, c->spki_curve_oid.len)) {
        *why = "the namedCurve OID is malformed (X.690 §8.19)";
        return -1;
    }
    return 0;
}

/* The fields after the serial: algorithms, names, validity and key. */
static int parse_tbs_fields(rspg_der_cursor *tbs, rspg_x509 *c, const char **why)
{
    rspg_der_cursor val;
    rspg_der_tlv nb, na;
    if (rspg_der_expect(tbs, RSPG_DER_SEQUENCE, &c->tbs_sig_alg) != 0 ||
        rspg_der_expect(tbs, RSPG_DER_SEQUENCE, &c->issuer) != 0 ||
        rspg_der_expect(tbs, RSPG_DER_SEQUENCE, &c->validity) != 0 ||
        rspg_der_expect(tbs, RSPG_DER_SEQUENCE, &c->subject) != 0 ||
        rspg_der_expect(tbs, RSPG_DER_SEQUENCE, &c->spki) != 0)
        return -1;
    if (!alg_ok(&c->tbs_sig_alg) || !alg_ok(&c->sig_alg)) {
        *why = "malformed signature AlgorithmIdentifier: an empty or malformed OID or more than "
               "one parameter (RFC 5280 §4.1.1.2, X.690 §8.19)";
        return -1;
    }
    if (!name_ok(&c->issuer) || !name_ok(&c->subject)) {
        *why = name_ok(&c->issuer) ? "malformed subject Name (RFC 5280 §4.1.2.6, §4.1.2.4)"
                                   : "malformed issuer Name (RFC 5280 §4.1.2.4)";
        return -1;
    }
    *why = "malformed validity";
    rspg_der_cursor_init(&val, c->validity.value, c->validity.len);
    if (rspg_der_read(&val, &nb) != 0 || rspg_der_read(&val, &na) != 0 ||
        !rspg_der_cursor_done(&val) || rspg_der_parse_time(&nb, &c->not_before) != 0 ||
        rspg_der_parse_time(&na, &c->not_after) != 0)
        return -1;
    return parse_spki(c, why);
}

static int x509_parse(const uint8_t *der, size_t len, rspg_x509 *c, const char **why)
{
    rspg_der_cursor top, cert, tbs;
    memset(c, 0, sizeof(*c));
    *why = "not a DER certificate";
    rspg_der_cursor_init(&top, der, len);
    if (rspg_der_expect(&top, RSPG_DER_SEQUENCE, &c->cert) != 0 || !rspg_der_cursor_done(&top))
        return -1;
    rspg_der_cursor_init(&cert, c->cert.value, c->cert.len);
    if (rspg_der_expect(&cert, RSPG_DER_SEQUENCE, &c->tbs) != 0 ||
        rspg_der_expect(&cert, RSPG_DER_SEQUENCE, &c->sig_alg) != 0 ||
        rspg_der_expect(&cert, RSPG_DER_BIT_STRING, &c->sig) != 0 || !rspg_der_cursor_done(&cert))
        return -1;
    if (c->sig.len < 1 || c->sig.value[0] != 0) {
        *why = "the signatureValue BIT STRING is empty or has unused bits (X.690 §11.2, "
               "RFC 5480 §2.2)";
        return -1;
    }
    *why = "malformed TBSCertificate";
    rspg_der_cursor_init(&tbs, c->tbs.value, c->tbs.len);
    if (parse_version(&tbs, c, why) != 0)
        return -1;
    if (rspg_der_expect(&tbs, RSPG_DER_INTEGER, &c->serial) != 0 ||
        parse_tbs_fields(&tbs, c, why) != 0)
        return -1;
    /* issuerUniqueID [1] / subjectUniqueID [2] are not used in the RSP PKI: refuse them */
    *why = "malformed extensions";
    if (!rspg_der_cursor_done(&tbs) && parse_extensions(&tbs, c, why) != 0)
        return -1;
    *why = NULL;
    return 0;
}

const rspg_x509_ext *rspg_x509_find_ext(const rspg_x509 *c, const char *oid)
{
    rspg_buf b;
    rspg_buf_init(&b);
    if (rspg_der_oid_from_text(oid, &b) != 0) {
        rspg_buf_free(&b);
        return NULL;
    }
    const rspg_x509_ext *found = NULL;
    for (size_t i = 0; i < c->n_exts && !found; i++)
        if (c->exts[i].oid.len == b.len && memcmp(c->exts[i].oid.value, b.data, b.len) == 0)
            found = &c->exts[i];
    rspg_buf_free(&b);
    return found;
}

const uint8_t *rspg_x509_ski(const rspg_x509 *c, size_t *len)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(c, RSPG_OID_SUBJECT_KEY_ID);
    rspg_der_cursor cur;
    rspg_der_tlv t;
    *len = 0;
    if (e == NULL)
        return NULL;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_OCTET_STRING, &t) != 0 || !rspg_der_cursor_done(&cur))
        return NULL;
    *len = t.len;
    return t.value;
}

const uint8_t *rspg_x509_aki(const rspg_x509 *c, size_t *len)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(c, RSPG_OID_AUTHORITY_KEY_ID);
    rspg_der_cursor cur;
    rspg_der_tlv seq, t;
    *len = 0;
    if (e == NULL)
        return NULL;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&cur))
        return NULL;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    if (rspg_der_expect(&cur, 0x80, &t) != 0)
        return NULL;
    *len = t.len;
    return t.value;
}

const uint8_t *rspg_x509_sig_value(const rspg_x509 *c, size_t *len)
{
    if (c->sig.len < 1 || c->sig.value[0] != 0) {
        *len = 0;
        return NULL;
    }
    *len = c->sig.len - 1;
    return c->sig.value + 1;
}

static int crl_parse(const uint8_t *der, size_t len, rspg_x509_crl *c, const char **why)
{
    rspg_der_cursor top, crl, tbs;
    rspg_der_tlv t;
    memset(c, 0, sizeof(*c));
    *why = "not a DER CRL";
    rspg_der_cursor_init(&top, der, len);
    if (rspg_der_expect(&top, RSPG_DER_SEQUENCE, &c->crl) != 0 || !rspg_der_cursor_done(&top))
        return -1;
    rspg_der_cursor_init(&crl, c->crl.value, c->crl.len);
    if (rspg_der_expect(&crl, RSPG_DER_SEQUENCE, &c->tbs) != 0 ||
        rspg_der_expect(&crl, RSPG_DER_SEQUENCE, &c->sig_alg) != 0 ||
        rspg_der_expect(&crl, RSPG_DER_BIT_STRING, &c->sig) != 0 || !rspg_der_cursor_done(&crl))
        return -1;
    *why = "malformed TBSCertList";
    rspg_der_cursor_init(&tbs, c->tbs.value, c->tbs.len);
    if (rspg_der_peek_tag(&tbs) == RSPG_DER_INTEGER) {
        if (rspg_der_read(&tbs, &t) != 0 || t.len != 1)
            return -1;
        c->version = t.value[0];
    }
    rspg_der_tlv tu;
    if (rspg_der_expect(&tbs, RSPG_DER_SEQUENCE, &c->tbs_sig_alg) != 0 ||
        rspg_der_expect(&tbs, RSPG_DER_SEQUENCE, &c->issuer) != 0 ||
        rspg_der_read(&tbs, &tu) != 0 || rspg_der_parse_time(&tu, &c->this_update) != 0)
        return -1;
    if (rspg_der_peek_tag(&tbs) == RSPG_DER_UTCTIME ||
        rspg_der_peek_tag(&tbs) == RSPG_DER_GENERALIZEDTIME) {
        if (rspg_der_read(&tbs, &tu) != 0 || rspg_der_parse_time(&tu, &c->next_update) != 0)
            return -1;
        c->has_next_update = 1;
    }
    if (rspg_der_peek_tag(&tbs) == RSPG_DER_SEQUENCE) {
        if (rspg_der_read(&tbs, &c->revoked) != 0)
            return -1;
        c->has_revoked = 1;
    }
    if (rspg_der_peek_tag(&tbs) == 0xA0 && rspg_der_read(&tbs, &c->extensions) != 0)
        return -1;
    if (!rspg_der_cursor_done(&tbs))
        return -1;
    /* every entry must be well-formed */
    if (rspg_crl_lists(c, (const uint8_t *)"", 0) < 0)
        return -1;
    *why = NULL;
    return 0;
}

int rspg_crl_lists(const rspg_x509_crl *c, const uint8_t *serial, size_t serial_len)
{
    rspg_der_cursor list, ent;
    rspg_der_tlv e, sn, date;
    int found = 0;
    if (!c->has_revoked)
        return 0;
    rspg_der_cursor_init(&list, c->revoked.value, c->revoked.len);
    while (!rspg_der_cursor_done(&list)) {
        if (rspg_der_expect(&list, RSPG_DER_SEQUENCE, &e) != 0)
            return -1;
        rspg_der_cursor_init(&ent, e.value, e.len);
        if (rspg_der_expect(&ent, RSPG_DER_INTEGER, &sn) != 0 || rspg_der_read(&ent, &date) != 0)
            return -1;
        if (serial_len && sn.len == serial_len && memcmp(sn.value, serial, serial_len) == 0)
            found = 1;
    }
    return found;
}

rspg_status rspg_x509_read(const uint8_t *der, size_t len, rspg_x509 *out, rspg_diag *d)
{
    const char *why = NULL;
    if (x509_parse(der, len, out, &why) == 0)
        return RSPG_OK;
    return d ? rspg_fail(d, RSPG_E_INPUT, "%s", why) : RSPG_E_INPUT;
}

rspg_status rspg_crl_read(const uint8_t *der, size_t len, rspg_x509_crl *out, rspg_diag *d)
{
    const char *why = NULL;
    if (crl_parse(der, len, out, &why) == 0)
        return RSPG_OK;
    return d ? rspg_fail(d, RSPG_E_INPUT, "%s", why) : RSPG_E_INPUT;
}

rspg_status rspg_x509_read_named(const uint8_t *der, size_t len, const char *name, rspg_x509 *out,
                                 rspg_diag *d)
{
    rspg_diag rd;
    rspg_diag_init(&rd);
    rspg_status rc = rspg_x509_read(der, len, out, &rd);
    rspg_diag_take_prefixed(d, &rd, name);
    rspg_diag_fini(&rd);
    return rc;
}
