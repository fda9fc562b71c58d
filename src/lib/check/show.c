/*
 * show.c: the readable summary of a certificate (`rsp-pkigen show`).
 *
 * The facts are first gathered into a JSON object (the --json output), and the text is
 * rendered from it, so the two always say the same. Fields: RFC 5280 §4.1.2 (serial,
 * validity, subject/issuer printed RFC 4514-like but in DER order, as SGP.26 names are
 * read), §4.2.1 extensions (SKI/AKI, certificatePolicies, subjectAltName, basicConstraints,
 * keyUsage, extendedKeyUsage, nameConstraints, cRLDistributionPoints); the RSP role of the
 * policy OID and its arc (SGP.22 §4.5.2.1: v2 for Variant O, v3 for Ov3/A/B/C); the EUM
 * constraint as SGP.22 reads it (directoryName O + serialNumber EIN prefix in Variant O,
 * the v3 permittedEins extension 2.23.146.1.2.2.0); the EID of an eUICC (its subject
 * serialNumber, ISO/IEC 7064 MOD 97-10 check digits, SGP.29 §10).
 */
#include "rspg/check/show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "rspg/crypto/curve.h"
#include "rspg/sgp02/cvc.h"
#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/rsp/eid.h"
#include "rspg/check/lint.h"
#include "rspg/asn1/pem.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/x509.h"

/* ---- helpers ---- */


static char *oid_text_raw(const uint8_t *p, size_t n)
{
    char *s = rspg_der_oid_to_text(p, n);
    return s ? s : rspg_xstrdup("(malformed OID)");
}

static char *oid_text(const rspg_der_tlv *oid)
{
    return oid_text_raw(oid->value, oid->len);
}

static json_t *jhex(const uint8_t *p, size_t n)
{
    char *h = rspg_hex(p, n);
    json_t *j = json_string(h);
    free(h);
    return j;
}

/* json_string refuses invalid UTF-8: fall back to an escaped copy. */
static json_t *jstr_bytes(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    rspg_buf b;
    rspg_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) {
            rspg_buf_push(&b, *p);
        } else {
            char t[8];
            snprintf(t, sizeof(t), "\\%02X", *p);
            rspg_buf_puts(&b, t);
        }
    }
    rspg_buf_push(&b, 0);
    j = json_string((char *)b.data);
    rspg_buf_free(&b);
    return j;
}

/* ---- names (RFC 4514-like, DER order) ---- */

static const struct {
    const char *oid, *name;
} attr_names[] = {
    {RSPG_OID_AT_CN, "CN"},
    {RSPG_OID_AT_C, "C"},
    {RSPG_OID_AT_L, "L"},
    {RSPG_OID_AT_ST, "ST"},
    {RSPG_OID_AT_STREET, "STREET"},
    {RSPG_OID_AT_O, "O"},
    {RSPG_OID_AT_OU, "OU"},
    {RSPG_OID_AT_SERIAL_NUMBER, "serialNumber"},
    {RSPG_OID_AT_EMAIL, "emailAddress"},
    {RSPG_OID_AT_DC, "DC"},
    {RSPG_OID_AT_UID, "UID"},
};

static void put_attr_type(rspg_buf *b, const rspg_der_tlv *oid)
{
    for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
        if (rspg_der_oid_is(oid, attr_names[i].oid)) {
            rspg_buf_puts(b, attr_names[i].name);
            return;
        }
    }
    char *t = oid_text(oid);
    rspg_buf_puts(b, t);
    free(t);
}

/* RFC 4514 §2.4 escaping of a string value; other types are written #HEX of the TLV. */
static void put_attr_value(rspg_buf *b, const rspg_der_tlv *v)
{
    if (v->tag != RSPG_DER_UTF8STRING && v->tag != RSPG_DER_PRINTABLESTRING && v->tag != RSPG_DER_IA5STRING &&
        v->tag != 0x14 /* TeletexString */) {
        char *h = rspg_hex(v->hdr, v->hdr_len + v->len);
        rspg_buf_push(b, '#');
        rspg_buf_puts(b, h);
        free(h);
        return;
    }
    for (size_t i = 0; i < v->len; i++) {
        unsigned char ch = v->value[i];
        int special = strchr("\"+,;<>\\", ch) != NULL && ch != 0;
        if ((i == 0 && (ch == '#' || ch == ' ')) || (i + 1 == v->len && ch == ' ') || special) {
            rspg_buf_push(b, '\\');
            rspg_buf_push(b, ch);
        } else if (ch < 0x20 || ch == 0x7F) {
            char t[4];
            snprintf(t, sizeof(t), "\\%02X", ch);
            rspg_buf_puts(b, t);
        } else {
            rspg_buf_push(b, ch);
        }
    }
}

/* NAME is a Name TLV (SEQUENCE OF RDN); multi-valued RDNs are joined with '+'. */
static char *dn_text(const rspg_der_tlv *name)
{
    rspg_buf b;
    rspg_der_cursor rdns, set, atv;
    rspg_der_tlv s, a, oid, val;
    rspg_buf_init(&b);
    rspg_der_cursor_init(&rdns, name->value, name->len);
    int first = 1;
    while (rspg_der_expect(&rdns, RSPG_DER_SET, &s) == 0) {
        rspg_der_cursor_init(&set, s.value, s.len);
        int first_in_set = 1;
        while (rspg_der_expect(&set, RSPG_DER_SEQUENCE, &a) == 0) {
            rspg_der_cursor_init(&atv, a.value, a.len);
            if (rspg_der_expect(&atv, RSPG_DER_OID, &oid) != 0 || rspg_der_read(&atv, &val) != 0)
                continue;
            rspg_buf_puts(&b, first ? "" : first_in_set ? ", " : "+");
            put_attr_type(&b, &oid);
            rspg_buf_push(&b, '=');
            put_attr_value(&b, &val);
            first = first_in_set = 0;
        }
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

/* The first value of attribute OID in the Name TLV, as a new string; NULL if absent. */
static char *name_attr(const rspg_der_tlv *name, const char *oid)
{
    rspg_der_cursor rdns, set, atv;
    rspg_der_tlv s, a, o, val;
    rspg_der_cursor_init(&rdns, name->value, name->len);
    while (rspg_der_expect(&rdns, RSPG_DER_SET, &s) == 0) {
        rspg_der_cursor_init(&set, s.value, s.len);
        while (rspg_der_expect(&set, RSPG_DER_SEQUENCE, &a) == 0) {
            rspg_der_cursor_init(&atv, a.value, a.len);
            if (rspg_der_expect(&atv, RSPG_DER_OID, &o) == 0 && rspg_der_read(&atv, &val) == 0 && rspg_der_oid_is(&o, oid))
                return rspg_xstrndup((const char *)val.value, val.len);
        }
    }
    return NULL;
}

/* ---- GeneralName (RFC 5280 §4.2.1.6) ---- */

static char *general_name_text(const rspg_der_tlv *g)
{
    char *t, *r;
    switch (g->tag) {
    case 0x81:
        t = rspg_xstrndup((const char *)g->value, g->len);
        r = rspg_xasprintf("email:%s", t);
        break;
    case 0x82:
        t = rspg_xstrndup((const char *)g->value, g->len);
        r = rspg_xasprintf("DNS:%s", t);
        break;
    case 0x86:
        t = rspg_xstrndup((const char *)g->value, g->len);
        r = rspg_xasprintf("URI:%s", t);
        break;
    case 0x88:
        t = oid_text_raw(g->value, g->len);
        r = rspg_xasprintf("RID:%s", t);
        break;
    case 0x87:
        if (g->len == 4) {
            t = NULL;
            r = rspg_xasprintf("IP:%u.%u.%u.%u", g->value[0], g->value[1], g->value[2], g->value[3]);
        } else {
            t = rspg_hex(g->value, g->len);
            r = rspg_xasprintf("IP:%s", t);
        }
        break;
    case 0xA4: {
        rspg_der_cursor cur;
        rspg_der_tlv name;
        rspg_der_cursor_init(&cur, g->value, g->len);
        if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &name) == 0) {
            t = dn_text(&name);
            r = rspg_xasprintf("dirName:%s", t);
        } else {
            t = NULL;
            r = rspg_xstrdup("dirName:(malformed)");
        }
        break;
    }
    default:
        t = rspg_hex(g->hdr, g->hdr_len + g->len);
        r = rspg_xasprintf("othername:#%s", t);
        break;
    }
    free(t);
    return r;
}

/* GeneralNames (a SEQUENCE's contents) appended to the JSON array ARR. */
static void general_names(const uint8_t *p, size_t n, json_t *arr)
{
    rspg_der_cursor cur;
    rspg_der_tlv g;
    rspg_der_cursor_init(&cur, p, n);
    while (rspg_der_read(&cur, &g) == 0) {
        char *t = general_name_text(&g);
        json_array_append_new(arr, jstr_bytes(t));
        free(t);
    }
}

/* ---- extensions ---- */

static const struct {
    const char *oid, *name;
} ext_names[] = {
    {RSPG_OID_SUBJECT_KEY_ID, "subjectKeyIdentifier"},  {RSPG_OID_AUTHORITY_KEY_ID, "authorityKeyIdentifier"},
    {RSPG_OID_BASIC_CONSTRAINTS, "basicConstraints"},      {RSPG_OID_KEY_USAGE, "keyUsage"},
    {RSPG_OID_EXT_KEY_USAGE, "extendedKeyUsage"},      {RSPG_OID_CERTIFICATE_POLICIES, "certificatePolicies"},
    {RSPG_OID_SUBJECT_ALT_NAME, "subjectAltName"},        {RSPG_OID_CRL_DISTRIBUTION_POINTS, "cRLDistributionPoints"},
    {RSPG_OID_NAME_CONSTRAINTS, "nameConstraints"},       {RSPG_OID_PERMITTED_EINS, "permittedEins"},
};

static const char *ext_name(const rspg_der_tlv *oid)
{
    for (size_t i = 0; i < sizeof(ext_names) / sizeof(ext_names[0]); i++)
        if (rspg_der_oid_is(oid, ext_names[i].oid))
            return ext_names[i].name;
    return NULL;
}

static json_t *show_policies(const rspg_x509_ext *e)
{
    json_t *arr = json_array();
    rspg_der_cursor cur, pi;
    rspg_der_tlv seq, info, oid;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0)
        return arr;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &info) == 0) {
        rspg_der_cursor_init(&pi, info.value, info.len);
        if (rspg_der_expect(&pi, RSPG_DER_OID, &oid) != 0)
            continue;
        char *t = oid_text(&oid);
        json_t *o = json_object();
        rspg_role role;
        int v3;
        json_object_set_new(o, "oid", json_string(t));
        if (rspg_role_from_policy(t, &role, &v3) == 0) {
            json_object_set_new(o, "role", json_string(rspg_role_name(role)));
            json_object_set_new(o, "arc", json_string(role == RSPG_ROLE_CI ? "v2+v3" : v3 ? "v3" : "v2"));
        } else {
            json_object_set_new(o, "role", json_null());
            json_object_set_new(o, "arc", json_null());
        }
        json_array_append_new(arr, o);
        free(t);
    }
    return arr;
}

static json_t *show_crldp(const rspg_x509_ext *e)
{
    json_t *arr = json_array();
    rspg_der_cursor cur, dp, dpn;
    rspg_der_tlv seq, point, name, full;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0)
        return arr;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &point) == 0) {
        rspg_der_cursor_init(&dp, point.value, point.len);
        if (rspg_der_expect(&dp, 0xA0, &name) != 0)
            continue; /* no distributionPoint (reasons/cRLIssuer only) */
        rspg_der_cursor_init(&dpn, name.value, name.len);
        if (rspg_der_expect(&dpn, 0xA0, &full) == 0) {
            json_t *names = json_array();
            general_names(full.value, full.len, names);
            size_t i;
            json_t *v;
            json_array_foreach(names, i, v)
            {
                const char *s = json_string_value(v);
                json_array_append_new(arr, json_string(strncmp(s, "URI:", 4) == 0 ? s + 4 : s));
            }
            json_decref(names);
        }
    }
    return arr;
}

static json_t *show_bc(const rspg_x509_ext *e)
{
    rspg_der_cursor cur;
    rspg_der_tlv seq, t;
    int ca = 0;
    json_t *pl = json_null();
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) == 0) {
        rspg_der_cursor_init(&cur, seq.value, seq.len);
        if (rspg_der_expect(&cur, RSPG_DER_BOOLEAN, &t) == 0 && t.len == 1)
            ca = t.value[0] != 0;
        if (rspg_der_expect(&cur, RSPG_DER_INTEGER, &t) == 0 && t.len >= 1 && t.len <= 4 &&
            !(t.value[0] & 0x80)) {
            long v = 0;
            for (size_t i = 0; i < t.len; i++)
                v = v << 8 | t.value[i];
            json_decref(pl);
            pl = json_integer(v);
        }
    }
    json_t *o = json_object();
    json_object_set_new(o, "ca", json_boolean(ca));
    json_object_set_new(o, "path_len", pl);
    return o;
}

static json_t *show_ku(const rspg_x509_ext *e)
{
    static const char *const names[] = {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
        "keyAgreement",     "keyCertSign",    "cRLSign",         "encipherOnly",
        "decipherOnly",
    };
    json_t *arr = json_array();
    rspg_der_cursor cur;
    rspg_der_tlv t;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_BIT_STRING, &t) != 0 || t.len < 1)
        return arr;
    for (size_t i = 1; i < t.len && i <= 2; i++)
        for (int b = 0; b < 8; b++)
            if ((t.value[i] & (0x80 >> b)) && (i - 1) * 8 + (size_t)b < 9)
                json_array_append_new(arr, json_string(names[(i - 1) * 8 + (size_t)b]));
    return arr;
}

static json_t *show_eku(const rspg_x509_ext *e)
{
    static const struct {
        const char *oid, *name;
    } names[] = {
        {RSPG_OID_EKU_SERVER_AUTH, "serverAuth"},      {RSPG_OID_EKU_CLIENT_AUTH, "clientAuth"},
        {RSPG_OID_EKU_CODE_SIGNING, "codeSigning"},     {RSPG_OID_EKU_EMAIL_PROTECTION, "emailProtection"},
        {RSPG_OID_EKU_TIME_STAMPING, "timeStamping"},    {RSPG_OID_EKU_OCSP_SIGNING, "OCSPSigning"},
    };
    json_t *arr = json_array();
    rspg_der_cursor cur;
    rspg_der_tlv seq, t;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0)
        return arr;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (rspg_der_expect(&cur, RSPG_DER_OID, &t) == 0) {
        const char *n = NULL;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !n; i++)
            if (rspg_der_oid_is(&t, names[i].oid))
                n = names[i].name;
        if (n) {
            json_array_append_new(arr, json_string(n));
        } else {
            char *s = oid_text(&t);
            json_array_append_new(arr, json_string(s));
            free(s);
        }
    }
    return arr;
}

/* nameConstraints: {"permitted": [...], "excluded": [...]}; collects the EUM constraint's
 * O and serialNumber from the permitted directoryNames. */
static json_t *show_nc(const rspg_x509_ext *e, json_t *orgs, json_t *prefixes)
{
    json_t *o = json_object(), *perm = json_array(), *excl = json_array();
    rspg_der_cursor cur, sub, st;
    rspg_der_tlv seq, trees, tree, base;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) == 0) {
        rspg_der_cursor_init(&cur, seq.value, seq.len);
        while (rspg_der_read(&cur, &trees) == 0) {
            if (trees.tag != 0xA0 && trees.tag != 0xA1)
                continue;
            rspg_der_cursor_init(&sub, trees.value, trees.len);
            while (rspg_der_expect(&sub, RSPG_DER_SEQUENCE, &tree) == 0) {
                rspg_der_cursor_init(&st, tree.value, tree.len);
                if (rspg_der_read(&st, &base) != 0)
                    continue;
                char *t = general_name_text(&base);
                json_array_append_new(trees.tag == 0xA0 ? perm : excl, jstr_bytes(t));
                free(t);
                if (trees.tag == 0xA0 && base.tag == 0xA4) {
                    rspg_der_cursor nc;
                    rspg_der_tlv name;
                    rspg_der_cursor_init(&nc, base.value, base.len);
                    if (rspg_der_expect(&nc, RSPG_DER_SEQUENCE, &name) == 0) {
                        char *org = name_attr(&name, RSPG_OID_AT_O), *sn = name_attr(&name, RSPG_OID_AT_SERIAL_NUMBER);
                        if (org)
                            json_array_append_new(orgs, jstr_bytes(org));
                        if (sn)
                            json_array_append_new(prefixes, jstr_bytes(sn));
                        free(org);
                        free(sn);
                    }
                }
            }
        }
    }
    json_object_set_new(o, "permitted", perm);
    json_object_set_new(o, "excluded", excl);
    return o;
}

static json_t *show_eins(const rspg_x509_ext *e)
{
    json_t *arr = json_array();
    rspg_der_cursor cur;
    rspg_der_tlv seq, s;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0)
        return arr;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (rspg_der_read(&cur, &s) == 0) {
        char *t = rspg_xstrndup((const char *)s.value, s.len);
        json_array_append_new(arr, jstr_bytes(t));
        free(t);
    }
    return arr;
}

/* ---- the model ---- */

static json_t *model(const rspg_x509 *c)
{
    json_t *m = json_object();
    char tmp[64];

    rspg_role role;
    int v3 = 0;
    const char *source = NULL;
    if (rspg_lint_detect_role(c, &role, &v3, &source) == 0) {
        json_object_set_new(m, "role", json_string(rspg_role_name(role)));
        json_object_set_new(m, "role_source", json_string(source));
        const char *arc = strcmp(source, "policy") != 0 ? NULL
                          : role == RSPG_ROLE_CI      ? "v2+v3"
                          : v3                        ? "v3"
                                                      : "v2";
        json_object_set_new(m, "arc", arc ? json_string(arc) : json_null());
    } else {
        json_object_set_new(m, "role", json_null());
        json_object_set_new(m, "role_source", json_null());
        json_object_set_new(m, "arc", json_null());
    }
    json_object_set_new(m, "version", json_integer(c->version + 1));

    char *s = dn_text(&c->subject);
    json_object_set_new(m, "subject", jstr_bytes(s));
    free(s);
    s = dn_text(&c->issuer);
    json_object_set_new(m, "issuer", jstr_bytes(s));
    free(s);
    json_object_set_new(m, "serial", jhex(c->serial.value, c->serial.len));

    rspg_format_rfc3339(c->not_before, tmp, sizeof(tmp));
    json_object_set_new(m, "not_before", json_string(tmp));
    rspg_format_rfc3339(c->not_after, tmp, sizeof(tmp));
    json_object_set_new(m, "not_after", json_string(tmp));
    int64_t span = c->not_after - c->not_before;
    json_object_set_new(m, "validity_days", json_integer((json_int_t)(span / 86400)));
    json_object_set_new(m, "validity_extra_seconds", json_integer((json_int_t)(span % 86400)));

    const rspg_curve *cv = c->spki_curve_oid.len
                               ? rspg_curve_by_oid_der(c->spki_curve_oid.value, c->spki_curve_oid.len)
                               : NULL;
    if (cv) {
        json_object_set_new(m, "curve", json_string(cv->name));
    } else if (c->spki_curve_oid.len) {
        s = oid_text(&c->spki_curve_oid);
        json_object_set_new(m, "curve", json_string(s));
        free(s);
    } else {
        json_object_set_new(m, "curve", json_null());
    }
    json_object_set_new(m, "curve_supported", json_boolean(cv && cv->rsp_supported));
    {
        rspg_der_cursor cur;
        rspg_der_tlv oid;
        rspg_der_cursor_init(&cur, c->sig_alg.value, c->sig_alg.len);
        if (rspg_der_expect(&cur, RSPG_DER_OID, &oid) == 0) {
            s = rspg_der_oid_is(&oid, RSPG_OID_ECDSA_WITH_SHA256) ? rspg_xstrdup("ecdsa-with-SHA256")
                                                     : oid_text(&oid);
            json_object_set_new(m, "signature_algorithm", json_string(s));
            free(s);
        } else {
            json_object_set_new(m, "signature_algorithm", json_null());
        }
    }

    size_t n;
    const uint8_t *ki = rspg_x509_ski(c, &n);
    if (ki && n) {
        uint8_t h[SHA_DIGEST_LENGTH];
        SHA1(c->pub, c->pub_len, h);
        json_object_set_new(m, "ski", jhex(ki, n));
        json_object_set_new(m, "ski_method1", json_boolean(n == sizeof(h) && memcmp(ki, h, n) == 0));
    } else {
        json_object_set_new(m, "ski", json_null());
        json_object_set_new(m, "ski_method1", json_null());
    }
    ki = rspg_x509_aki(c, &n);
    json_object_set_new(m, "aki", ki && n ? jhex(ki, n) : json_null());

    json_t *exts = json_array();
    for (size_t i = 0; i < c->n_exts; i++) {
        json_t *e = json_object();
        char *o = oid_text(&c->exts[i].oid);
        const char *nm = ext_name(&c->exts[i].oid);
        json_object_set_new(e, "name", json_string(nm ? nm : o));
        json_object_set_new(e, "oid", json_string(o));
        json_object_set_new(e, "critical", json_boolean(c->exts[i].critical));
        json_array_append_new(exts, e);
        free(o);
    }
    json_object_set_new(m, "extensions", exts);

    const rspg_x509_ext *e;
    e = rspg_x509_find_ext(c, RSPG_OID_CERTIFICATE_POLICIES);
    json_object_set_new(m, "policies", e ? show_policies(e) : json_null());
    e = rspg_x509_find_ext(c, RSPG_OID_SUBJECT_ALT_NAME);
    if (e) {
        json_t *arr = json_array();
        rspg_der_cursor cur;
        rspg_der_tlv seq;
        rspg_der_cursor_init(&cur, e->value.value, e->value.len);
        if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) == 0)
            general_names(seq.value, seq.len, arr);
        json_object_set_new(m, "subject_alt_name", arr);
    } else {
        json_object_set_new(m, "subject_alt_name", json_null());
    }
    e = rspg_x509_find_ext(c, RSPG_OID_CRL_DISTRIBUTION_POINTS);
    json_object_set_new(m, "crl_distribution_points", e ? show_crldp(e) : json_null());
    e = rspg_x509_find_ext(c, RSPG_OID_BASIC_CONSTRAINTS);
    json_object_set_new(m, "basic_constraints", e ? show_bc(e) : json_null());
    e = rspg_x509_find_ext(c, RSPG_OID_KEY_USAGE);
    json_object_set_new(m, "key_usage", e ? show_ku(e) : json_null());
    e = rspg_x509_find_ext(c, RSPG_OID_EXT_KEY_USAGE);
    json_object_set_new(m, "extended_key_usage", e ? show_eku(e) : json_null());

    /* the EUM constraint (SGP.22 semantics) */
    json_t *orgs = json_array(), *prefixes = json_array(), *eins = NULL;
    e = rspg_x509_find_ext(c, RSPG_OID_NAME_CONSTRAINTS);
    json_object_set_new(m, "name_constraints", e ? show_nc(e, orgs, prefixes) : json_null());
    const rspg_x509_ext *pe = rspg_x509_find_ext(c, RSPG_OID_PERMITTED_EINS);
    if (pe)
        eins = show_eins(pe);
    if (e || pe) {
        json_t *k = json_object();
        json_object_set_new(k, "organizations", orgs);
        json_object_set_new(k, "ein_prefixes", prefixes); /* nameConstraints serialNumber */
        json_object_set_new(k, "permitted_eins", eins ? eins : json_array());
        json_object_set_new(m, "eum_constraint", k);
    } else {
        json_decref(orgs);
        json_decref(prefixes);
        json_object_set_new(m, "eum_constraint", json_null());
    }

    /* the EID of an eUICC: its subject serialNumber */
    char *eid = name_attr(&c->subject, RSPG_OID_AT_SERIAL_NUMBER);
    const char *r = json_string_value(json_object_get(m, "role"));
    if (eid && r && strcmp(r, "euicc") == 0) {
        json_t *k = json_object();
        rspg_eid_error err = rspg_eid_check(eid);
        json_object_set_new(k, "value", jstr_bytes(eid));
        json_object_set_new(k, "check_digits_valid", json_boolean(err == RSPG_EID_OK));
        json_object_set_new(k, "error", err == RSPG_EID_OK ? json_null()
                                                           : json_string(rspg_eid_error_text(err)));
        /* GSMA v3 eUICCs: the serial is the EID digits read as hex (PROFILE.md §2) */
        char *hex = rspg_hex(c->serial.value, c->serial.len);
        const char *h = hex;
        while (h[0] == '0' && h[1] == '0' && h[2])
            h += 2;
        json_object_set_new(k, "serial_is_eid", json_boolean(strcmp(h, eid) == 0));
        free(hex);
        json_object_set_new(m, "eid", k);
    } else {
        json_object_set_new(m, "eid", json_null());
    }
    free(eid);
    return m;
}

/* ---- text ---- */

static void line(rspg_buf *b, const char *key, const char *value)
{
    char k[32];
    snprintf(k, sizeof(k), "%s:", key);
    char *l = rspg_xasprintf("  %-18s %s\n", k, value);
    rspg_buf_puts(b, l);
    free(l);
}

static const char *js(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Appends the strings of ARR joined with SEP; OUT stays NUL-terminated. */
static void join(rspg_buf *out, json_t *arr, const char *sep)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (i)
            rspg_buf_puts(out, sep);
        rspg_buf_puts(out, json_string_value(v) ? json_string_value(v) : "?");
    }
    rspg_buf_push(out, 0);
    out->len--;
}

static void render_text(json_t *m, rspg_buf *out)
{
    rspg_buf v;
    rspg_buf_init(&v);
    char *s;

    const char *role = js(m, "role"), *src = js(m, "role_source"), *arc = js(m, "arc");
    if (role && src && strcmp(src, "policy") == 0)
        s = rspg_xasprintf("%s (from its policy; %s)", role,
                           strcmp(arc, "v2+v3") == 0 ? "the CI policy is the same in both arcs"
                           : strcmp(arc, "v3") == 0  ? "v3 arc: Variants Ov3/A/B/C"
                                                     : "v2 arc: Variant O");
    else if (role)
        s = rspg_xasprintf("%s (no RSP policy; an SGP.32 eIM certificate by its extensions)", role);
    else
        s = rspg_xstrdup("none (no RSP role policy)");
    line(out, "role", s);
    free(s);
    line(out, "subject", js(m, "subject"));
    line(out, "issuer", js(m, "issuer"));
    size_t octets = strlen(js(m, "serial")) / 2;
    s = rspg_xasprintf("%s (%zu octet%s)", js(m, "serial"), octets, octets == 1 ? "" : "s");
    line(out, "serial", s);
    free(s);
    json_int_t extra = json_integer_value(json_object_get(m, "validity_extra_seconds"));
    char ex[48] = "";
    if (extra)
        snprintf(ex, sizeof(ex), " and %lld seconds", (long long)extra);
    s = rspg_xasprintf("%s to %s (%lld days%s)", js(m, "not_before"), js(m, "not_after"),
                       (long long)json_integer_value(json_object_get(m, "validity_days")), ex);
    line(out, "validity", s);
    free(s);
    const char *curve = js(m, "curve");
    int supported = json_is_true(json_object_get(m, "curve_supported"));
    s = rspg_xasprintf("%s%s", curve ? curve : "none (not an EC key)",
                       curve && strcmp(curve, "prime256v1") == 0 ? " (NIST P-256)"
                       : supported                               ? ""
                                                                 : " (not allowed by SGP.22)");
    line(out, "curve", s);
    free(s);
    if (js(m, "signature_algorithm"))
        line(out, "signature", js(m, "signature_algorithm"));
    if (js(m, "ski")) {
        s = rspg_xasprintf("%s%s", js(m, "ski"),
                           json_is_true(json_object_get(m, "ski_method1"))
                               ? " (SHA-1 of the public key, RFC 5280 method 1)"
                               : " (not RFC 5280 method 1)");
        line(out, "SKI", s);
        free(s);
    }
    if (js(m, "aki"))
        line(out, "AKI", js(m, "aki"));

    json_t *a;
    size_t i;
    json_t *x;
    if ((a = json_object_get(m, "policies")) && json_is_array(a)) {
        rspg_buf_reset(&v);
        json_array_foreach(a, i, x)
        {
            if (i)
                rspg_buf_puts(&v, ", ");
            rspg_buf_puts(&v, js(x, "oid"));
            if (js(x, "role")) {
                s = rspg_xasprintf(" (%s, %s)", js(x, "role"),
                                   strcmp(js(x, "arc"), "v2+v3") == 0 ? "both arcs"
                                   : strcmp(js(x, "arc"), "v3") == 0  ? "v3 arc"
                                                                      : "v2 arc");
                rspg_buf_puts(&v, s);
                free(s);
            }
        }
        rspg_buf_push(&v, 0);
        line(out, "policies", (char *)v.data);
    }
    if ((a = json_object_get(m, "subject_alt_name")) && json_is_array(a)) {
        rspg_buf_reset(&v);
        join(&v, a, ", ");
        line(out, "subjectAltName", (char *)v.data);
    }
    if ((a = json_object_get(m, "crl_distribution_points")) && json_is_array(a)) {
        rspg_buf_reset(&v);
        join(&v, a, ", ");
        line(out, "CRL distribution", (char *)v.data);
    }
    if ((a = json_object_get(m, "basic_constraints")) && json_is_object(a)) {
        json_t *pl = json_object_get(a, "path_len");
        if (!json_is_true(json_object_get(a, "ca")))
            s = rspg_xstrdup("not a CA");
        else if (json_is_integer(pl))
            s = rspg_xasprintf("CA, pathLen %lld", (long long)json_integer_value(pl));
        else
            s = rspg_xstrdup("CA, no pathLen");
        line(out, "basicConstraints", s);
        free(s);
    }
    if ((a = json_object_get(m, "key_usage")) && json_is_array(a)) {
        rspg_buf_reset(&v);
        join(&v, a, ", ");
        line(out, "keyUsage", (char *)v.data);
    }
    if ((a = json_object_get(m, "extended_key_usage")) && json_is_array(a)) {
        rspg_buf_reset(&v);
        join(&v, a, ", ");
        line(out, "extKeyUsage", (char *)v.data);
    }
    if ((a = json_object_get(m, "name_constraints")) && json_is_object(a)) {
        rspg_buf_reset(&v);
        json_t *p = json_object_get(a, "permitted"), *e = json_object_get(a, "excluded");
        if (json_array_size(p)) {
            rspg_buf_puts(&v, "permitted ");
            join(&v, p, ", ");
        }
        if (json_array_size(e)) {
            rspg_buf_puts(&v, json_array_size(p) ? "; excluded " : "excluded ");
            join(&v, e, ", ");
        }
        rspg_buf_push(&v, 0);
        line(out, "nameConstraints", (char *)v.data);
    }
    if ((a = json_object_get(m, "eum_constraint")) && json_is_object(a)) {
        rspg_buf_reset(&v);
        json_t *orgs = json_object_get(a, "organizations");
        json_array_foreach(orgs, i, x)
        {
            rspg_buf_puts(&v, i ? ", O=" : "O=");
            rspg_buf_puts(&v, json_string_value(x));
        }
        json_t *pre = json_object_get(a, "ein_prefixes"), *eins = json_object_get(a, "permitted_eins");
        int any = json_array_size(orgs) > 0;
        json_array_foreach(pre, i, x)
        {
            rspg_buf_puts(&v, any ? ", " : "");
            s = rspg_xasprintf("EIN prefix %s (nameConstraints serialNumber)", json_string_value(x));
            rspg_buf_puts(&v, s);
            free(s);
            any = 1;
        }
        json_array_foreach(eins, i, x)
        {
            rspg_buf_puts(&v, any ? ", " : "");
            s = rspg_xasprintf("EIN prefix %s (permittedEins)", json_string_value(x));
            rspg_buf_puts(&v, s);
            free(s);
            any = 1;
        }
        if (!json_array_size(pre) && !json_array_size(eins))
            rspg_buf_puts(&v, any ? ", no EIN prefix" : "no EIN prefix");
        rspg_buf_push(&v, 0);
        line(out, "EUM constraint", (char *)v.data);
    }
    if ((a = json_object_get(m, "eid")) && json_is_object(a)) {
        int ok = json_is_true(json_object_get(a, "check_digits_valid"));
        s = rspg_xasprintf("%s%s%s%s", js(a, "value"), ok ? " (check digits valid)" : ": invalid, ",
                           ok ? "" : js(a, "error"),
                           json_is_true(json_object_get(a, "serial_is_eid"))
                               ? "; the serial is the EID read as hex"
                               : "");
        line(out, "EID", s);
        free(s);
    }
    if ((a = json_object_get(m, "extensions")) && json_is_array(a)) {
        rspg_buf_reset(&v);
        json_array_foreach(a, i, x)
        {
            if (i)
                rspg_buf_puts(&v, ", ");
            rspg_buf_puts(&v, js(x, "name"));
            if (json_is_true(json_object_get(x, "critical")))
                rspg_buf_puts(&v, " (critical)");
        }
        rspg_buf_push(&v, 0);
        line(out, "extensions", json_array_size(a) ? (char *)v.data : "none");
    }
    rspg_buf_free(&v);
}

/* ---- entry points ---- */

static int has_pem(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 10 <= n; i++)
        if (memcmp(p + i, "-----BEGIN", 10) == 0)
            return 1;
    return 0;
}

rspg_status rspg_show_cert(const uint8_t *data, size_t len, const rspg_show_options *o,
                           rspg_buf *out, rspg_diag *d)
{
    if (rspg_cvc_sniff(data, len)) /* an SGP.02 GP card certificate (7F21): cvc_show.c */
        return rspg_cvc_show(data, len, o && o->json, out, d);
    rspg_buf der;
    rspg_buf_init(&der);
    if (has_pem(data, len)) {
        if (rspg_pem_decode(data, len, "CERTIFICATE", &der) != 0) {
            rspg_buf_free(&der);
            return rspg_fail(d, RSPG_E_PROFILE, "no PEM CERTIFICATE block could be decoded");
        }
    } else {
        rspg_buf_append(&der, data, len);
    }
    rspg_x509 c;
    const char *why;
    if (rspg_x509_parse(der.data, der.len, &c, &why) != 0) {
        rspg_buf_free(&der);
        return rspg_fail(d, RSPG_E_PROFILE, "not a certificate: %s", why);
    }
    json_t *m = model(&c);
    if (o && o->json) {
        char *t = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (t)
            rspg_buf_puts(out, t);
        free(t);
    } else {
        render_text(m, out);
    }
    json_decref(m);
    rspg_buf_reserve(out, 1);
    out->data[out->len] = '\0';
    rspg_buf_free(&der);
    return RSPG_OK;
}

rspg_status rspg_show_file(const char *path, const rspg_show_options *o, rspg_buf *out,
                           rspg_diag *d)
{
    rspg_buf raw;
    rspg_buf_init(&raw);
    if (rspg_read_file(path, 16u << 20, &raw) != 0) {
        rspg_buf_free(&raw);
        return rspg_fail(d, RSPG_E_IO, "%s: cannot be read (or larger than 16 MiB)", path);
    }
    rspg_diag sub;
    rspg_diag_init(&sub);
    rspg_status rc = rspg_show_cert(raw.data, raw.len, o, out, &sub);
    rspg_diag_take_prefixed(d, &sub, path);
    rspg_buf_free(&raw);
    return rc;
}
