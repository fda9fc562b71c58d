/*
 * cert.c: the TBSCertificate and Certificate encoders (RFC 5280 §4.1). Field by field,
 * as GSMA's SGP.26 certificates are: version v3, a positive serial, ecdsa-with-SHA256
 * without parameters (RFC 5758 §3.2), one attribute per RDN with the profile's string
 * types, UTCTime through 2049 and GeneralizedTime after (§4.1.2.5), and the extensions
 * exactly as the profile lists them.
 */
#include "rspg/x509/cert.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"

char *rspg_subst_apply(const rspg_subst *sub, const char *s)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (const char *p = s; *p;) {
        if (strncmp(p, "$${", 3) == 0) {
            rspg_buf_puts(&b, "${");
            p += 3;
        } else if (strncmp(p, "${CURVE}", 8) == 0) {
            rspg_buf_puts(&b, sub && sub->curve ? sub->curve : "");
            p += 8;
        } else if (strncmp(p, "${VARIANT}", 10) == 0) {
            rspg_buf_puts(&b, sub && sub->variant ? sub->variant : "");
            p += 10;
        } else {
            rspg_buf_push(&b, (uint8_t)*p++);
        }
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

static uint8_t string_tag(rspg_string_type t)
{
    switch (t) {
    case RSPG_STR_PRINTABLE:
        return RSPG_DER_PRINTABLESTRING;
    case RSPG_STR_IA5:
        return RSPG_DER_IA5STRING;
    default:
        return RSPG_DER_UTF8STRING;
    }
}

/* The loader checks values against their string type, except those holding ${CURVE} or
 * ${VARIANT}, which are only known here: the same rules, after substitution. */
static const char *bad_value(const rspg_attr *a, const char *v, char *c)
{
    for (const unsigned char *s = (const unsigned char *)v; *s; s++) {
        *c = *s >= 0x20 && *s < 0x7F ? (char)*s : '?';
        if (a->type == RSPG_STR_PRINTABLE &&
            (*s >= 0x80 || !(isalnum(*s) || strchr(" '()+,-./:=?", *s) != NULL)))
            return "printable";
        if (a->type == RSPG_STR_IA5 && *s >= 0x80)
            return "ia5";
    }
    if (a->oid && strcmp(a->oid, RSPG_OID_AT_C) == 0 &&
        (strlen(v) != 2 || !isalpha((unsigned char)v[0]) || !isalpha((unsigned char)v[1])))
        return "country";
    return NULL;
}

rspg_status rspg_encode_name(const rspg_dn *dn, const rspg_subst *sub, rspg_diag *d, rspg_buf *out)
{
    size_t seq = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    for (size_t i = 0; i < dn->count; i++) {
        const rspg_attr *a = &dn->attrs[i];
        char *v = rspg_subst_apply(sub, a->value);
        char c = '?';
        const char *bad = bad_value(a, v, &c);
        if (bad) {
            rspg_status rc =
                strcmp(bad, "printable") == 0
                    ? rspg_fail_at(d, a->loc,
                                   "character '%c' is not allowed in a PrintableString (%s)", c,
                                   a->key)
                : strcmp(bad, "ia5") == 0
                    ? rspg_fail_at(d, a->loc, "non-ASCII character in an IA5String (%s)", a->key)
                    : rspg_fail_at(d, a->loc, "country (C) must be two letters, not '%s'", v);
            free(v);
            return rc;
        }
        size_t set = rspg_der_begin(out, RSPG_DER_SET);
        size_t atv = rspg_der_begin(out, RSPG_DER_SEQUENCE);
        if (rspg_der_put_oid_text(out, a->oid) != 0) {
            free(v);
            return rspg_fail_at(d, a->loc, "'%s' is not an object identifier", a->oid);
        }
        rspg_der_put_tlv(out, string_tag(a->type), v, strlen(v));
        rspg_der_end(out, atv);
        rspg_der_end(out, set);
        free(v);
    }
    rspg_der_end(out, seq);
    return RSPG_OK;
}

rspg_status rspg_encode_tbs(const rspg_tbs_input *in, rspg_diag *d, rspg_buf *out)
{
    const rspg_entity *e = in->entity;
    rspg_status rc = RSPG_OK;
    size_t tbs = rspg_der_begin(out, RSPG_DER_SEQUENCE);

    size_t ver = rspg_der_begin(out, 0xA0); /* [0] EXPLICIT Version: v3 */
    rspg_der_put_uint(out, 2);
    rspg_der_end(out, ver);

    rspg_der_put_uint_bytes(out, in->serial, in->serial_len);

    size_t alg = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, RSPG_OID_ECDSA_SHA256);
    rspg_der_end(out, alg);

    if (in->issuer_name)
        rspg_buf_append(out, in->issuer_name, in->issuer_name_len);
    else if ((rc = rspg_encode_name(&e->subject, &in->subst, d, out)) != RSPG_OK)
        return rc;

    size_t val = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    if (rspg_der_put_time(out, in->not_before) != 0 || rspg_der_put_time(out, in->not_after) != 0)
        return rspg_fail_at(d, e->loc, "validity of '%s' is outside the years 0000-9999", e->id);
    rspg_der_end(out, val);

    if ((rc = rspg_encode_name(&e->subject, &in->subst, d, out)) != RSPG_OK)
        return rc;

    rspg_key_spki_der(in->subject_key, out);

    if (e->n_exts > 0) {
        size_t ctx = rspg_der_begin(out, 0xA3); /* [3] EXPLICIT Extensions */
        size_t exts = rspg_der_begin(out, RSPG_DER_SEQUENCE);
        for (size_t i = 0; i < e->n_exts && rc == RSPG_OK; i++)
            rc = rspg_encode_extension(&e->exts[i], in, d, out);
        rspg_der_end(out, exts);
        rspg_der_end(out, ctx);
    }
    rspg_der_end(out, tbs);
    return rc;
}

void rspg_cert_assemble(const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len,
                        rspg_buf *out)
{
    size_t cert = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_buf_append(out, tbs, tbs_len);
    size_t alg = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, RSPG_OID_ECDSA_SHA256);
    rspg_der_end(out, alg);
    rspg_der_put_bit_string(out, 0, sig, sig_len);
    rspg_der_end(out, cert);
}

rspg_status rspg_cert_sign(const uint8_t *tbs, size_t tbs_len, const rspg_key *key,
                           rspg_nonce nonce, rspg_diag *d, rspg_buf *out)
{
    rspg_buf sig;
    rspg_buf_init(&sig);
    rspg_status rc = rspg_sign(key, nonce, tbs, tbs_len, d, &sig);
    if (rc == RSPG_OK)
        rspg_cert_assemble(tbs, tbs_len, sig.data, sig.len, out);
    rspg_buf_free(&sig);
    return rc;
}
