/*
 * mint_cert.c: the one place minting decodes a CA certificate (mint_cert.h). Every
 * extension is decoded by its ASN.1 structure (RFC 5280 §4.2.1.4 certificatePolicies,
 * §4.2.1.10 nameConstraints; SGP.22 v3 §4.5.2.1.0.3 permittedEins), never by scanning
 * for bytes.
 */
#include "rspg/issue/mint_cert.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/rsp/rules.h"

#define OID_CERT_POLICIES "2.5.29.32"
#define OID_NAME_CONSTRAINTS "2.5.29.30"
#define OID_PERMITTED_EINS "2.23.146.1.2.2.0"
#define OID_SERIAL_NUMBER "2.5.4.5"

static int add_ein(rspg_mint_cert_info *o, const rspg_der_tlv *s)
{
    if (s->len >= RSPG_MINT_EIN_CAP || o->n_eins == RSPG_MINT_MAX_EINS)
        return -1;
    memcpy(o->eins[o->n_eins], s->value, s->len);
    o->eins[o->n_eins++][s->len] = '\0';
    return 0;
}

/* certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier OID, ... }:
 * the first OID that names an RSP role. */
static int read_policies(const rspg_x509_ext *e, rspg_mint_cert_info *o)
{
    rspg_der_cursor c, pc;
    rspg_der_tlv seq, info, oid;
    rspg_der_cursor_init(&c, e->value.value, e->value.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&c, seq.value, seq.len);
    while (!rspg_der_cursor_done(&c)) {
        if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &info) != 0)
            return -1;
        rspg_der_cursor_init(&pc, info.value, info.len);
        if (rspg_der_expect(&pc, RSPG_DER_OID, &oid) != 0)
            return -1;
        char *text = rspg_der_oid_to_text(oid.value, oid.len);
        rspg_role r;
        int v3 = 0;
        if (text == NULL)
            return -1;
        if (o->role < 0 && rspg_role_from_policy(text, &r, &v3) == 0) {
            o->role = (int)r;
            o->v3 = v3;
        }
        free(text);
    }
    return 0;
}

/* Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue): the
 * serialNumber attributes are EIN prefixes. */
static int read_dir_name(const uint8_t *p, size_t n, rspg_mint_cert_info *o)
{
    rspg_der_cursor c, rc, ac;
    rspg_der_tlv name, rdn, atv, type, value;
    rspg_der_cursor_init(&c, p, n);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &name) != 0)
        return -1;
    rspg_der_cursor_init(&c, name.value, name.len);
    while (!rspg_der_cursor_done(&c)) {
        if (rspg_der_expect(&c, RSPG_DER_SET, &rdn) != 0)
            return -1;
        rspg_der_cursor_init(&rc, rdn.value, rdn.len);
        while (!rspg_der_cursor_done(&rc)) {
            if (rspg_der_expect(&rc, RSPG_DER_SEQUENCE, &atv) != 0)
                return -1;
            rspg_der_cursor_init(&ac, atv.value, atv.len);
            if (rspg_der_expect(&ac, RSPG_DER_OID, &type) != 0 || rspg_der_read(&ac, &value) != 0)
                return -1;
            if (rspg_der_oid_is(&type, OID_SERIAL_NUMBER) &&
                (value.tag == RSPG_DER_PRINTABLESTRING || value.tag == RSPG_DER_UTF8STRING) &&
                add_ein(o, &value) != 0)
                return -1;
        }
    }
    return 0;
}

/* NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, ... };
 * GeneralSubtree ::= SEQUENCE { base GeneralName, ... }; directoryName is [4] EXPLICIT. */
static int read_name_constraints(const rspg_x509_ext *e, rspg_mint_cert_info *o)
{
    rspg_der_cursor c;
    rspg_der_tlv seq, permitted, subtree, base;
    rspg_der_cursor_init(&c, e->value.value, e->value.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&c, seq.value, seq.len);
    if (rspg_der_peek_tag(&c) != 0xA0)
        return 0; /* no permitted subtrees */
    if (rspg_der_read(&c, &permitted) != 0)
        return -1;
    rspg_der_cursor_init(&c, permitted.value, permitted.len);
    while (!rspg_der_cursor_done(&c)) {
        rspg_der_cursor sc;
        if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &subtree) != 0)
            return -1;
        rspg_der_cursor_init(&sc, subtree.value, subtree.len);
        if (rspg_der_read(&sc, &base) != 0)
            return -1;
        if (base.tag == 0xA4 && read_dir_name(base.value, base.len, o) != 0)
            return -1;
    }
    return 0;
}

/* permittedEins ::= SEQUENCE OF PrintableString */
static int read_permitted_eins(const rspg_x509_ext *e, rspg_mint_cert_info *o)
{
    rspg_der_cursor c;
    rspg_der_tlv seq, s;
    rspg_der_cursor_init(&c, e->value.value, e->value.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&c, seq.value, seq.len);
    while (!rspg_der_cursor_done(&c))
        if (rspg_der_expect(&c, RSPG_DER_PRINTABLESTRING, &s) != 0 || add_ein(o, &s) != 0)
            return -1;
    return 0;
}

/* decode-once: replaced by rspg_cert_info at merge */
rspg_status rspg_mint_read_cert(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                                rspg_mint_cert_info *out)
{
    const char *why;
    memset(out, 0, sizeof(*out));
    out->role = -1;
    if (rspg_x509_parse(der, len, &out->x, &why) != 0)
        return rspg_fail(d, RSPG_E_USAGE, "%s: %s", what, why);
    const rspg_x509 *x = &out->x;
    const rspg_x509_ext *cp = rspg_x509_find_ext(x, OID_CERT_POLICIES);
    if (cp && read_policies(cp, out) != 0)
        return rspg_fail(d, RSPG_E_USAGE, "%s: malformed certificatePolicies", what);
    const rspg_x509_ext *pe = rspg_x509_find_ext(x, OID_PERMITTED_EINS);
    if (pe && read_permitted_eins(pe, out) != 0)
        return rspg_fail(d, RSPG_E_USAGE, "%s: malformed permittedEins", what);
    /* Variant O: the EIN is a serialNumber of a permitted directoryName */
    const rspg_x509_ext *nc = rspg_x509_find_ext(x, OID_NAME_CONSTRAINTS);
    if (nc && out->n_eins == 0 && read_name_constraints(nc, out) != 0)
        return rspg_fail(d, RSPG_E_USAGE, "%s: malformed nameConstraints", what);
    out->self_signed = x->subject.len == x->issuer.len &&
                       memcmp(x->subject.value, x->issuer.value, x->subject.len) == 0;
    return RSPG_OK;
}
