/*
 * name.c: the built-in substitutions of a profile string (${CURVE}, ${VARIANT}) and the DER of
 * a distinguished Name (RFC 5280 §4.1.2.4): one attribute per RDN, in the profile's order,
 * with each attribute's string type, checked after substitution.
 */
#include "rspg/x509/name.h"

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
