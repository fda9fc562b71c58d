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
#include "rspg/base/json_render.h"
#include "rspg/check/cert_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/dn_attr.h"
#include "rspg/asn1/oid.h"
#include "rspg/asn1/pem.h"
#include "rspg/check/lint.h"
#include "rspg/crypto/curve.h"
#include "rspg/rsp/eid.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/sgp02/cvc.h"
#include "rspg/x509/cert_info.h"
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

static void put_attr_type(rspg_buf *b, const rspg_der_tlv *oid)
{
    const rspg_dn_attr *a = rspg_dn_attr_by_oid(oid);
    if (a) {
        rspg_buf_puts(b, a->name);
        return;
    }
    char *t = oid_text(oid);
    rspg_buf_puts(b, t);
    free(t);
}

/* RFC 4514 §2.4 escaping of a string value; other types are written #HEX of the TLV. */
static void put_attr_value(rspg_buf *b, const rspg_der_tlv *v)
{
    if (v->tag != RSPG_DER_UTF8STRING && v->tag != RSPG_DER_PRINTABLESTRING &&
        v->tag != RSPG_DER_IA5STRING && v->tag != 0x14 /* TeletexString */) {
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
            r = rspg_xasprintf("IP:%u.%u.%u.%u", g->value[0], g->value[1], g->value[2],
                               g->value[3]);
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

/* ---- extensions ---- */

static json_t *show_policies(const rspg_cert_info *ci)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < ci->n_policies; i++) {
        const rspg_cert_policy *p = &ci->policies[i];
        json_t *o = json_object();
        json_object_set_new(o, "oid", json_string(p->text));
        if (p->role >= 0) {
            json_object_set_new(o, "role", json_string(rspg_role_name((rspg_role)p->role)));
            json_object_set_new(o, "arc",
                                json_string(p->role == RSPG_ROLE_CI ? "v2+v3"
                                            : p->v3                 ? "v3"
                                                                    : "v2"));
        } else {
            json_object_set_new(o, "role", json_null());
            json_object_set_new(o, "arc", json_null());
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

/* GeneralName TLVs as text; PREFIX (e.g. "URI:") is dropped where a name starts with it. */
static json_t *names_json(const rspg_der_tlv *names, size_t n, const char *strip)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char *t = general_name_text(&names[i]);
        const char *v = strip && strncmp(t, strip, strlen(strip)) == 0 ? t + strlen(strip) : t;
        json_array_append_new(arr, jstr_bytes(v));
        free(t);
    }
    return arr;
}

static json_t *show_bc(const rspg_cert_info *ci)
{
    json_t *o = json_object();
    json_object_set_new(o, "ca", json_boolean(ci->ca));
    json_object_set_new(o, "path_len",
                        ci->path_len >= 0 ? json_integer(ci->path_len) : json_null());
    return o;
}

static json_t *show_ku(const rspg_cert_info *ci)
{
    static const char *const names[] = {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly",
    };
    json_t *arr = json_array();
    for (size_t b = 0; b < 9; b++)
        if (ci->ku & (1u << b))
            json_array_append_new(arr, json_string(names[b]));
    return arr;
}

static json_t *show_eku(const rspg_cert_info *ci)
{
    static const struct {
        const char *oid, *name;
    } names[] = {
        {RSPG_OID_EKU_SERVER_AUTH, "serverAuth"},
        {RSPG_OID_EKU_CLIENT_AUTH, "clientAuth"},
        {RSPG_OID_EKU_CODE_SIGNING, "codeSigning"},
        {RSPG_OID_EKU_EMAIL_PROTECTION, "emailProtection"},
        {RSPG_OID_EKU_TIME_STAMPING, "timeStamping"},
        {RSPG_OID_EKU_OCSP_SIGNING, "OCSPSigning"},
    };
    json_t *arr = json_array();
    for (size_t k = 0; k < ci->n_eku; k++) {
        const char *n = NULL;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !n; i++)
            if (rspg_der_oid_is(&ci->eku[k], names[i].oid))
                n = names[i].name;
        if (n) {
            json_array_append_new(arr, json_string(n));
        } else {
            char *s = oid_text(&ci->eku[k]);
            json_array_append_new(arr, json_string(s));
            free(s);
        }
    }
    return arr;
}

/* String value TLVs as a JSON array. */
static json_t *values_json(const rspg_der_tlv *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char *t = rspg_xstrndup((const char *)v[i].value, v[i].len);
        json_array_append_new(arr, jstr_bytes(t));
        free(t);
    }
    return arr;
}

/* nameConstraints: {"permitted": [...], "excluded": [...]}. */
static json_t *show_nc(const rspg_cert_info *ci)
{
    json_t *o = json_object();
    json_object_set_new(o, "permitted", names_json(ci->nc_permitted, ci->n_nc_permitted, NULL));
    json_object_set_new(o, "excluded", names_json(ci->nc_excluded, ci->n_nc_excluded, NULL));
    return o;
}

/* ---- the model ---- */

/* role, role_source, arc (from the policy, or the eIM extensions) */
static void model_role(json_t *m, const rspg_cert_info *ci)
{
    rspg_role role;
    int v3 = 0;
    const char *source = NULL;
    if (rspg_lint_detect_role(ci, &role, &v3, &source) == 0) {
        json_object_set_new(m, "role", json_string(rspg_role_name(role)));
        json_object_set_new(m, "role_source", json_string(source));
        const char *arc = strcmp(source, "policy") != 0 ? NULL
                          : role == RSPG_ROLE_CI        ? "v2+v3"
                          : v3                          ? "v3"
                                                        : "v2";
        json_object_set_new(m, "arc", arc ? json_string(arc) : json_null());
    } else {
        json_object_set_new(m, "role", json_null());
        json_object_set_new(m, "role_source", json_null());
        json_object_set_new(m, "arc", json_null());
    }
}

/* version, names, serial, validity, curve, signature algorithm */
static void model_basics(json_t *m, const rspg_cert_info *ci)
{
    const rspg_x509 *c = &ci->x;
    char tmp[64];
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
    const rspg_curve *cv = ci->curve;
    if (cv) {
        json_object_set_new(m, "curve", json_string(cv->name));
    } else if (c->spki_curve_oid.len) {
        s = oid_text(&c->spki_curve_oid);
        json_object_set_new(m, "curve", json_string(s));
        free(s);
    } else {
        json_object_set_new(m, "curve", json_null());
    }
    json_object_set_new(m, "curve_supported", json_boolean(cv && rspg_rule_curve_allowed(cv->oid)));
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

/* SKI (and whether it is RFC 5280 method 1), AKI, the list of extensions */
static void model_ids(json_t *m, const rspg_cert_info *ci)
{
    const rspg_x509 *c = &ci->x;
    if (ci->ski && ci->ski_len) {
        uint8_t h[SHA_DIGEST_LENGTH];
        SHA1(c->pub, c->pub_len, h);
        json_object_set_new(m, "ski", jhex(ci->ski, ci->ski_len));
        json_object_set_new(
            m, "ski_method1",
            json_boolean(ci->ski_len == sizeof(h) && memcmp(ci->ski, h, ci->ski_len) == 0));
    } else {
        json_object_set_new(m, "ski", json_null());
        json_object_set_new(m, "ski_method1", json_null());
    }
    json_object_set_new(m, "aki",
                        ci->aki && ci->aki_len ? jhex(ci->aki, ci->aki_len) : json_null());
    json_t *exts = json_array();
    for (size_t i = 0; i < c->n_exts; i++) {
        json_t *e = json_object();
        char *o = oid_text(&c->exts[i].oid);
        const rspg_ext_def *def = rspg_ext_def_of(rspg_ext_by_oid(o)); /* the rulebook's name */
        json_object_set_new(e, "name", json_string(def ? def->name : o));
        json_object_set_new(e, "oid", json_string(o));
        json_object_set_new(e, "critical", json_boolean(c->exts[i].critical));
        json_array_append_new(exts, e);
        free(o);
    }
    json_object_set_new(m, "extensions", exts);
}

static json_t *if_present(const rspg_cert_info *ci, rspg_xid id, json_t *v)
{
    if (ci->ext[id].present)
        return v;
    json_decref(v);
    return json_null();
}

/* The extension values, the EUM constraint (SGP.22 semantics) and the EID of an eUICC */
static void model_extensions(json_t *m, const rspg_cert_info *ci)
{
    json_object_set_new(m, "policies", if_present(ci, RSPG_XID_CP, show_policies(ci)));
    json_object_set_new(m, "subject_alt_name",
                        if_present(ci, RSPG_XID_SAN, names_json(ci->san, ci->n_san, NULL)));
    json_object_set_new(m, "crl_distribution_points",
                        if_present(ci, RSPG_XID_CRLDP, names_json(ci->crldp, ci->n_crldp, "URI:")));
    json_object_set_new(m, "basic_constraints", if_present(ci, RSPG_XID_BC, show_bc(ci)));
    json_object_set_new(m, "key_usage", if_present(ci, RSPG_XID_KU, show_ku(ci)));
    json_object_set_new(m, "extended_key_usage", if_present(ci, RSPG_XID_EKU, show_eku(ci)));
    json_object_set_new(m, "name_constraints", if_present(ci, RSPG_XID_NC, show_nc(ci)));
    if (ci->ext[RSPG_XID_NC].present || ci->ext[RSPG_XID_EINS].present) {
        json_t *k = json_object();
        json_object_set_new(k, "organizations", values_json(ci->nc_orgs, ci->n_nc_orgs));
        /* nameConstraints serialNumber */
        json_object_set_new(k, "ein_prefixes", values_json(ci->nc_prefixes, ci->n_nc_prefixes));
        json_object_set_new(k, "permitted_eins", values_json(ci->eins, ci->n_eins));
        json_object_set_new(m, "eum_constraint", k);
    } else {
        json_object_set_new(m, "eum_constraint", json_null());
    }
}

/* The EID of an eUICC: its subject serialNumber (SGP.29 §10 check digits). */
static void model_eid(json_t *m, const rspg_cert_info *ci)
{
    const char *r = json_string_value(json_object_get(m, "role"));
    if (ci->subject_serial.tag == 0 || r == NULL || strcmp(r, "euicc") != 0) {
        json_object_set_new(m, "eid", json_null());
        return;
    }
    char *eid = rspg_xstrndup((const char *)ci->subject_serial.value, ci->subject_serial.len);
    json_t *k = json_object();
    rspg_eid_error err = rspg_eid_check(eid);
    json_object_set_new(k, "value", jstr_bytes(eid));
    json_object_set_new(k, "check_digits_valid", json_boolean(err == RSPG_EID_OK));
    json_object_set_new(k, "error",
                        err == RSPG_EID_OK ? json_null() : json_string(rspg_eid_error_text(err)));
    /* GSMA v3 eUICCs: the serial is the EID digits read as hex (PROFILE.md §2) */
    char *hex = rspg_hex(ci->x.serial.value, ci->x.serial.len);
    const char *h = hex;
    while (h[0] == '0' && h[1] == '0' && h[2])
        h += 2;
    json_object_set_new(k, "serial_is_eid", json_boolean(strcmp(h, eid) == 0));
    free(hex);
    json_object_set_new(m, "eid", k);
    free(eid);
}

static json_t *model(const rspg_cert_info *ci)
{
    json_t *m = json_object();
    model_role(m, ci);
    model_basics(m, ci);
    model_ids(m, ci);
    model_extensions(m, ci);
    model_eid(m, ci);
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

/* role, names, serial, validity, curve, signature, SKI/AKI */
static void text_head(json_t *m, rspg_buf *out)
{
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
}

/* the extension values */
static void text_extensions(json_t *m, rspg_buf *out)
{
    rspg_buf v;
    rspg_buf_init(&v);
    char *s;
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
    rspg_buf_free(&v);
}

/* the EUM constraint, the EID and the list of extensions */
static void text_eum(json_t *m, rspg_buf *out)
{
    rspg_buf v;
    rspg_buf_init(&v);
    char *s;
    json_t *a;
    size_t i;
    json_t *x;
    if ((a = json_object_get(m, "eum_constraint")) && json_is_object(a)) {
        rspg_buf_reset(&v);
        json_t *orgs = json_object_get(a, "organizations");
        json_array_foreach(orgs, i, x)
        {
            rspg_buf_puts(&v, i ? ", O=" : "O=");
            rspg_buf_puts(&v, json_string_value(x));
        }
        json_t *pre = json_object_get(a, "ein_prefixes"),
               *eins = json_object_get(a, "permitted_eins");
        int any = json_array_size(orgs) > 0;
        json_array_foreach(pre, i, x)
        {
            rspg_buf_puts(&v, any ? ", " : "");
            s = rspg_xasprintf("EIN prefix %s (nameConstraints serialNumber)",
                               json_string_value(x));
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

static void render_text(json_t *m, rspg_buf *out)
{
    text_head(m, out);
    text_extensions(m, out);
    text_eum(m, out);
}

/* ---- entry points ---- */

rspg_status rspg_show_cert(const uint8_t *data, size_t len, const rspg_show_options *o,
                           rspg_buf *out, rspg_diag *d)
{
    if (rspg_cvc_sniff(data, len)) /* an SGP.02 GP card certificate (7F21): cvc_show.c */
        return rspg_cvc_show(data, len, o && o->json, out, d);
    rspg_buf der;
    rspg_buf_init(&der);
    if (rspg_pem_or_der(data, len, "CERTIFICATE", &der) != 0) {
        rspg_buf_free(&der);
        return rspg_fail(d, RSPG_E_INPUT, "no PEM CERTIFICATE block could be decoded");
    }
    /* strict, like verify and lint: a certificate that breaks DER or RFC 5280 §4.1/§4.2 is
     * refused with the rule it breaks (x509/cert_info.h) */
    rspg_cert_info *ci = rspg_xcalloc(1, sizeof(*ci));
    rspg_diag sub;
    rspg_diag_init(&sub);
    if (rspg_cert_info_read(der.data, der.len, RSPG_CI_STRICT, ci, &sub) != RSPG_OK) {
        rspg_status rc = rspg_fail(d, RSPG_E_INPUT, "not a certificate: %s",
                                   sub.count ? sub.entries[0].message : "?");
        rspg_diag_fini(&sub);
        rspg_buf_free(&der);
        free(ci);
        return rc;
    }
    rspg_diag_fini(&sub);
    json_t *m = model(ci);
    free(ci);
    rspg_json_render(m, o && o->json, render_text, out);
    rspg_buf_free(&der);
    return RSPG_OK;
}

/* rspg_show_cert as a rspg_cert_check_fn. */
static rspg_status show_bytes(const void *o, void *out, const uint8_t *data, size_t len,
                              rspg_diag *d)
{
    return rspg_show_cert(data, len, o, out, d);
}

rspg_status rspg_show_file(const char *path, const rspg_show_options *o, rspg_buf *out,
                           rspg_diag *d)
{
    return rspg_cert_file_check(path, show_bytes, o, out, d);
}
