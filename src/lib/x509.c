/*
 * x509.c: strict DER parsing of a Certificate (RFC 5280 §4.1) into views, with the
 * der.c reader. Used by the verifier and by tests that compare certificates field by
 * field; trailing data, indefinite lengths and malformed fields are rejected.
 */
#include "rspg/x509.h"

#include <string.h>

int rspg_x509_parse(const uint8_t *der, size_t len, rspg_x509 *c, const char **why)
{
    der_cursor top, cert, tbs, val, spki, alg, exts;
    der_tlv t;
    memset(c, 0, sizeof(*c));
    *why = "not a DER certificate";
    der_cursor_init(&top, der, len);
    if (der_expect(&top, DER_SEQUENCE, &c->cert) != 0 || !der_cursor_done(&top))
        return -1;
    der_cursor_init(&cert, c->cert.value, c->cert.len);
    if (der_expect(&cert, DER_SEQUENCE, &c->tbs) != 0 ||
        der_expect(&cert, DER_SEQUENCE, &c->sig_alg) != 0 ||
        der_expect(&cert, DER_BIT_STRING, &c->sig) != 0 || !der_cursor_done(&cert))
        return -1;
    *why = "malformed TBSCertificate";
    der_cursor_init(&tbs, c->tbs.value, c->tbs.len);
    c->version = 0;
    if (der_peek_tag(&tbs) == 0xA0) {
        der_cursor v;
        if (der_read(&tbs, &t) != 0)
            return -1;
        der_cursor_init(&v, t.value, t.len);
        if (der_expect(&v, DER_INTEGER, &t) != 0 || t.len != 1)
            return -1;
        c->version = t.value[0];
    }
    if (der_expect(&tbs, DER_INTEGER, &c->serial) != 0 ||
        der_expect(&tbs, DER_SEQUENCE, &c->tbs_sig_alg) != 0 ||
        der_expect(&tbs, DER_SEQUENCE, &c->issuer) != 0 ||
        der_expect(&tbs, DER_SEQUENCE, &c->validity) != 0 ||
        der_expect(&tbs, DER_SEQUENCE, &c->subject) != 0 ||
        der_expect(&tbs, DER_SEQUENCE, &c->spki) != 0)
        return -1;
    *why = "malformed validity";
    der_cursor_init(&val, c->validity.value, c->validity.len);
    der_tlv nb, na;
    if (der_read(&val, &nb) != 0 || der_read(&val, &na) != 0 || !der_cursor_done(&val) ||
        der_parse_time(&nb, &c->not_before) != 0 || der_parse_time(&na, &c->not_after) != 0)
        return -1;
    *why = "malformed subjectPublicKeyInfo";
    der_cursor_init(&spki, c->spki.value, c->spki.len);
    der_tlv algseq, bits;
    if (der_expect(&spki, DER_SEQUENCE, &algseq) != 0 ||
        der_expect(&spki, DER_BIT_STRING, &bits) != 0 || !der_cursor_done(&spki) || bits.len < 2 ||
        bits.value[0] != 0)
        return -1;
    c->pub = bits.value + 1;
    c->pub_len = bits.len - 1;
    der_cursor_init(&alg, algseq.value, algseq.len);
    if (der_expect(&alg, DER_OID, &c->spki_alg_oid) != 0)
        return -1;
    if (der_peek_tag(&alg) == DER_OID && der_read(&alg, &c->spki_curve_oid) != 0)
        return -1;
    /* issuerUniqueID [1] / subjectUniqueID [2] are not used in the RSP PKI: refuse them */
    *why = "malformed extensions";
    if (!der_cursor_done(&tbs)) {
        der_tlv ctx, seq;
        if (der_expect(&tbs, 0xA3, &ctx) != 0 || !der_cursor_done(&tbs))
            return -1;
        der_cursor_init(&exts, ctx.value, ctx.len);
        if (der_expect(&exts, DER_SEQUENCE, &seq) != 0 || !der_cursor_done(&exts))
            return -1;
        der_cursor_init(&exts, seq.value, seq.len);
        while (!der_cursor_done(&exts)) {
            rspg_x509_ext *e;
            der_cursor ec;
            if (c->n_exts == RSPG_X509_MAX_EXTS) {
                *why = "too many extensions";
                return -1;
            }
            e = &c->exts[c->n_exts];
            if (der_expect(&exts, DER_SEQUENCE, &e->whole) != 0)
                return -1;
            der_cursor_init(&ec, e->whole.value, e->whole.len);
            if (der_expect(&ec, DER_OID, &e->oid) != 0)
                return -1;
            if (der_peek_tag(&ec) == DER_BOOLEAN) {
                if (der_read(&ec, &t) != 0 || t.len != 1 || t.value[0] != 0xFF)
                    return -1; /* DER: critical is encoded only when TRUE */
                e->critical = 1;
            }
            if (der_expect(&ec, DER_OCTET_STRING, &e->value) != 0 || !der_cursor_done(&ec))
                return -1;
            c->n_exts++;
        }
    }
    *why = NULL;
    return 0;
}

const rspg_x509_ext *rspg_x509_find_ext(const rspg_x509 *c, const char *oid)
{
    rspg_buf b;
    rspg_buf_init(&b);
    if (der_oid_from_text(oid, &b) != 0) {
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
    const rspg_x509_ext *e = rspg_x509_find_ext(c, "2.5.29.14");
    der_cursor cur;
    der_tlv t;
    *len = 0;
    if (e == NULL)
        return NULL;
    der_cursor_init(&cur, e->value.value, e->value.len);
    if (der_expect(&cur, DER_OCTET_STRING, &t) != 0 || !der_cursor_done(&cur))
        return NULL;
    *len = t.len;
    return t.value;
}

const uint8_t *rspg_x509_aki(const rspg_x509 *c, size_t *len)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(c, "2.5.29.35");
    der_cursor cur;
    der_tlv seq, t;
    *len = 0;
    if (e == NULL)
        return NULL;
    der_cursor_init(&cur, e->value.value, e->value.len);
    if (der_expect(&cur, DER_SEQUENCE, &seq) != 0 || !der_cursor_done(&cur))
        return NULL;
    der_cursor_init(&cur, seq.value, seq.len);
    if (der_expect(&cur, 0x80, &t) != 0)
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

int rspg_crl_parse(const uint8_t *der, size_t len, rspg_x509_crl *c, const char **why)
{
    der_cursor top, crl, tbs;
    der_tlv t;
    memset(c, 0, sizeof(*c));
    *why = "not a DER CRL";
    der_cursor_init(&top, der, len);
    if (der_expect(&top, DER_SEQUENCE, &c->crl) != 0 || !der_cursor_done(&top))
        return -1;
    der_cursor_init(&crl, c->crl.value, c->crl.len);
    if (der_expect(&crl, DER_SEQUENCE, &c->tbs) != 0 ||
        der_expect(&crl, DER_SEQUENCE, &c->sig_alg) != 0 ||
        der_expect(&crl, DER_BIT_STRING, &c->sig) != 0 || !der_cursor_done(&crl))
        return -1;
    *why = "malformed TBSCertList";
    der_cursor_init(&tbs, c->tbs.value, c->tbs.len);
    if (der_peek_tag(&tbs) == DER_INTEGER) {
        if (der_read(&tbs, &t) != 0 || t.len != 1)
            return -1;
        c->version = t.value[0];
    }
    der_tlv tu;
    if (der_expect(&tbs, DER_SEQUENCE, &c->tbs_sig_alg) != 0 ||
        der_expect(&tbs, DER_SEQUENCE, &c->issuer) != 0 || der_read(&tbs, &tu) != 0 ||
        der_parse_time(&tu, &c->this_update) != 0)
        return -1;
    if (der_peek_tag(&tbs) == DER_UTCTIME || der_peek_tag(&tbs) == DER_GENERALIZEDTIME) {
        if (der_read(&tbs, &tu) != 0 || der_parse_time(&tu, &c->next_update) != 0)
            return -1;
        c->has_next_update = 1;
    }
    if (der_peek_tag(&tbs) == DER_SEQUENCE) {
        if (der_read(&tbs, &c->revoked) != 0)
            return -1;
        c->has_revoked = 1;
    }
    if (der_peek_tag(&tbs) == 0xA0 && der_read(&tbs, &c->extensions) != 0)
        return -1;
    if (!der_cursor_done(&tbs))
        return -1;
    /* every entry must be well-formed */
    if (rspg_crl_lists(c, (const uint8_t *)"", 0) < 0)
        return -1;
    *why = NULL;
    return 0;
}

int rspg_crl_lists(const rspg_x509_crl *c, const uint8_t *serial, size_t serial_len)
{
    der_cursor list, ent;
    der_tlv e, sn, date;
    int found = 0;
    if (!c->has_revoked)
        return 0;
    der_cursor_init(&list, c->revoked.value, c->revoked.len);
    while (!der_cursor_done(&list)) {
        if (der_expect(&list, DER_SEQUENCE, &e) != 0)
            return -1;
        der_cursor_init(&ent, e.value, e.len);
        if (der_expect(&ent, DER_INTEGER, &sn) != 0 || der_read(&ent, &date) != 0)
            return -1;
        if (serial_len && sn.len == serial_len && memcmp(sn.value, serial, serial_len) == 0)
            found = 1;
    }
    return found;
}
