/*
 * cvc_show.c: `rsp-pkigen show` and `rsp-pkigen verify` for SGP.02 card-verifiable
 * certificates (GP '7F21' format, cvc.h). As in show.c, the facts are gathered into a
 * JSON object first (the --json output) and the text is rendered from it.
 */
#include "rspg/base/file.h"
#include "rspg/sgp02/cvc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "rspg/asn1/pem.h"
#include "rspg/base/json_render.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/cert_info.h"
#include "rspg/x509/x509.h"

static const char *tag_name(unsigned tag, int in_73)
{
    if (in_73) {
        switch (tag) {
        case RSPG_CVC_TAG_CERT_TYPE:
            return "Certificate Type";
        case RSPG_CVC_TAG_CI_KEY_ID:
            return "Issuer Key Identifier";
        default:
            return "Discretionary Data Object";
        }
    }
    switch (tag) {
    case RSPG_CVC_TAG_SERIAL:
        return "Certificate Serial Number";
    case RSPG_CVC_TAG_CA_ID:
        return "CA Identifier";
    case RSPG_CVC_TAG_SUBJECT_ID:
        return "Subject Identifier";
    case RSPG_CVC_TAG_KEY_USAGE:
        return "Key Usage";
    case RSPG_CVC_TAG_EFFECTIVE:
        return "Effective Date";
    case RSPG_CVC_TAG_EXPIRATION:
        return "Expiration Date";
    case RSPG_CVC_TAG_SD_IMAGE:
        return "SD Image Number";
    case RSPG_CVC_TAG_DISCRETIONARY:
    case RSPG_CVC_TAG_DISCRETIONARY_53:
        return "Discretionary Data";
    case RSPG_CVC_TAG_PUBLIC_KEY:
        return "Public Key";
    case RSPG_CVC_TAG_POINT:
        return "Public Point";
    case RSPG_CVC_TAG_KEY_PARAM:
        return "Key Parameter Reference";
    case RSPG_CVC_TAG_SIGNATURE:
        return "Signature";
    default:
        return "?";
    }
}

static json_t *jhex(const uint8_t *p, size_t n)
{
    char *h = rspg_hex(p, n);
    json_t *j = json_string(h);
    free(h);
    return j;
}

static char *tag_text(unsigned tag)
{
    return tag > 0xFF ? rspg_xasprintf("%04X", tag) : rspg_xasprintf("%02X", tag);
}

/* GPC v2.3.1 §11.1.9 Table 11-17/11-18 key usage bits (a missing second byte is '00'). */
static char *key_usage_text(const rspg_cvc_tlv *t)
{
    static const struct {
        unsigned bit;
        const char *name;
    } bits[] = {
        {0x8000, "verification/encipherment"},
        {0x4000, "computation/decipherment"},
        {0x2000, "SM response"},
        {0x1000, "SM command"},
        {0x0800, "confidentiality"},
        {0x0400, "cryptographic checksum"},
        {0x0200, "digital signature"},
        {0x0100, "cryptographic authorization"},
        {0x0080, "key agreement"},
    };
    unsigned v =
        t->len == 2 ? (unsigned)t->value[0] << 8 | t->value[1] : (unsigned)t->value[0] << 8;
    rspg_buf b;
    rspg_buf_init(&b);
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (v & bits[i].bit) {
            if (b.len)
                rspg_buf_puts(&b, " + ");
            rspg_buf_puts(&b, bits[i].name);
        }
    if (b.len == 0)
        rspg_buf_puts(&b, "no usage");
    if (v == 0x8800)
        rspg_buf_puts(&b, "; what SGP.02 implementations write for SM-DP/SM-SR, where GP's "
                          "signature verification is 82");
    else if (v == 0x8200)
        rspg_buf_puts(&b, "; GP signature verification");
    else if (v == 0x0080 && t->len == 2)
        rspg_buf_puts(&b, "; the ECASD (ECKA) value");
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

static json_t *tlv_json(const rspg_cvc_tlv *t, const uint8_t *base, int in_73)
{
    json_t *o = json_object();
    char *tag = tag_text(t->tag);
    json_object_set_new(o, "tag", json_string(tag));
    free(tag);
    json_object_set_new(o, "name", json_string(tag_name(t->tag, in_73)));
    json_object_set_new(o, "offset", json_integer((json_int_t)(t->hdr - base)));
    json_object_set_new(o, "length", json_integer((json_int_t)t->len));
    json_object_set_new(o, "value", jhex(t->value, t->len));
    return o;
}

static void set_meaning(json_t *o, char *text)
{
    json_object_set_new(o, "meaning", json_string(text));
    free(text);
}

static json_t *model(const rspg_cvc *c, const uint8_t *base, size_t len)
{
    json_t *m = json_object();
    json_object_set_new(m, "format", json_string("gp-cvc"));
    const char *kind = rspg_cvc_kind(c);
    json_object_set_new(m, "kind", kind ? json_string(kind) : json_null());
    json_object_set_new(m, "length", json_integer((json_int_t)len));
    json_object_set_new(m, "curve", c->curve ? json_string(c->curve->name) : json_null());
    json_t *fields = json_array();
    for (size_t i = 0; i < c->n_fields; i++) {
        const rspg_cvc_tlv *t = &c->fields[i];
        json_t *o = tlv_json(t, base, 0);
        switch (t->tag) {
        case RSPG_CVC_TAG_KEY_USAGE:
            set_meaning(o, key_usage_text(t));
            break;
        case RSPG_CVC_TAG_EFFECTIVE:
        case RSPG_CVC_TAG_EXPIRATION: {
            rspg_cvc_date d =
                t->tag == RSPG_CVC_TAG_EFFECTIVE ? c->effective_date : c->expiration_date;
            set_meaning(o, rspg_xasprintf("%04d-%02d-%02d", d.year, d.month, d.day));
            break;
        }
        case RSPG_CVC_TAG_DISCRETIONARY: {
            json_t *items = json_array();
            for (size_t j = 0; j < c->n_items; j++) {
                json_t *it = tlv_json(&c->items[j], base, 1);
                const rspg_cvc_tlv *x = &c->items[j];
                if (x->tag == RSPG_CVC_TAG_CERT_TYPE && x->len == 1)
                    json_object_set_new(it, "meaning",
                                        json_string(x->value[0] == RSPG_CVC_TYPE_SM_DP ? "SM-DP"
                                                    : x->value[0] == RSPG_CVC_TYPE_SM_SR
                                                        ? "SM-SR"
                                                        : "unknown"));
                json_array_append_new(items, it);
            }
            json_object_set_new(o, "items", items);
            break;
        }
        case RSPG_CVC_TAG_PUBLIC_KEY: {
            json_t *items = json_array();
            json_t *pt = tlv_json(&c->point, base, 0);
            set_meaning(pt, rspg_xasprintf("uncompressed point, %zu bytes", c->point.len));
            json_array_append_new(items, pt);
            json_t *kp = tlv_json(&c->key_param, base, 0);
            unsigned ref = c->key_param.value[0];
            if (c->key_param.len == 2)
                ref = ref << 8 | c->key_param.value[1];
            const char *pn = rspg_cvc_param_name(ref);
            int same = c->curve == NULL || strcmp(pn, c->curve->name) == 0;
            set_meaning(kp, rspg_xasprintf("%s%s%s", pn, same ? "" : ", OpenSSL ",
                                           same ? "" : c->curve->name));
            json_array_append_new(items, kp);
            json_object_set_new(o, "items", items);
            break;
        }
        case RSPG_CVC_TAG_SIGNATURE:
            if (t->len % 2 == 0) {
                json_object_set_new(o, "r", jhex(t->value, t->len / 2));
                json_object_set_new(o, "s", jhex(t->value + t->len / 2, t->len / 2));
            }
            set_meaning(o, rspg_xasprintf("ECDSA r||s, %zu bytes", t->len));
            break;
        default:
            break;
        }
        json_array_append_new(fields, o);
    }
    json_object_set_new(m, "fields", fields);
    json_t *sd = json_object();
    uint8_t h[SHA256_DIGEST_LENGTH];
    SHA256(c->signed_data, c->signed_len, h);
    json_object_set_new(sd, "offset", json_integer((json_int_t)(c->signed_data - base)));
    json_object_set_new(sd, "length", json_integer((json_int_t)c->signed_len));
    json_object_set_new(sd, "sha256", jhex(h, sizeof(h)));
    json_object_set_new(m, "signed_data", sd);
    return m;
}

static const char *js(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void field_line(rspg_buf *out, int indent, json_t *f)
{
    const char *meaning = js(f, "meaning");
    char *l = rspg_xasprintf("%*s%-4s %-*s %s%s%s%s\n", indent, "", js(f, "tag"), 30 - indent,
                             js(f, "name"), js(f, "value"), meaning ? " (" : "",
                             meaning ? meaning : "", meaning ? ")" : "");
    rspg_buf_puts(out, l);
    free(l);
}

static void render_text(json_t *m, rspg_buf *out)
{
    const char *kind = js(m, "kind");
    char *s = rspg_xasprintf("  format:            GlobalPlatform card-verifiable certificate "
                             "(7F21, %lld bytes)\n"
                             "  kind:              %s\n",
                             (long long)json_integer_value(json_object_get(m, "length")),
                             kind ? kind : "unknown (no C8 certificate type, key usage not 00 80)");
    rspg_buf_puts(out, s);
    free(s);
    size_t i, j;
    json_t *f, *it;
    json_array_foreach(json_object_get(m, "fields"), i, f)
    {
        json_t *items = json_object_get(f, "items");
        if (strcmp(js(f, "tag"), "7F49") == 0) {
            s = rspg_xasprintf("  %-4s %s\n", js(f, "tag"), js(f, "name"));
            rspg_buf_puts(out, s);
            free(s);
        } else if (strcmp(js(f, "tag"), "5F37") == 0 && js(f, "r")) {
            s = rspg_xasprintf("  %-4s %-28s r = %s\n  %-4s %-28s s = %s\n", js(f, "tag"),
                               js(f, "name"), js(f, "r"), "", "", js(f, "s"));
            rspg_buf_puts(out, s);
            free(s);
        } else {
            field_line(out, 2, f);
        }
        json_array_foreach(items, j, it) field_line(out, 4, it);
    }
    json_t *sd = json_object_get(m, "signed_data");
    long long off = (long long)json_integer_value(json_object_get(sd, "offset"));
    long long len = (long long)json_integer_value(json_object_get(sd, "length"));
    s = rspg_xasprintf(
        "  signed data:       bytes %lld to %lld (93 .. 7F49, %lld bytes), SHA-256 %s\n", off,
        off + len - 1, len, js(sd, "sha256"));
    rspg_buf_puts(out, s);
    free(s);
}

rspg_status rspg_cvc_show(const uint8_t *data, size_t len, int json, rspg_buf *out, rspg_diag *d)
{
    rspg_buf bin;
    rspg_buf_init(&bin);
    if (rspg_cvc_load(data, len, &bin) != 0) {
        rspg_buf_free(&bin);
        return rspg_fail(d, RSPG_E_INPUT, "not a card certificate: malformed hex");
    }
    rspg_cvc c;
    rspg_diag sub;
    rspg_diag_init(&sub);
    if (rspg_cvc_decode(bin.data, bin.len, &c, &sub) != RSPG_OK) {
        rspg_buf_free(&bin);
        rspg_diag_take_prefixed(d, &sub, "not a GP card certificate");
        rspg_diag_fini(&sub);
        return RSPG_E_INPUT;
    }
    rspg_diag_fini(&sub);
    rspg_json_render(model(&c, bin.data, bin.len), json, render_text, out);
    rspg_buf_free(&bin);
    return RSPG_OK;
}

/* ---- verification of files ---- */

struct loaded_issuer {
    rspg_key key;
    uint8_t ski[64];
    size_t ski_len;
};

static rspg_status load_issuer(const char *path, struct loaded_issuer *li, rspg_diag *d)
{
    rspg_buf der;
    rspg_buf_init(&der);
    rspg_cert_info *ci = rspg_xcalloc(1, sizeof(*ci));
    rspg_diag sub;
    rspg_diag_init(&sub);
    rspg_status rc = RSPG_OK;
    if (rspg_read_der_file(path, "CERTIFICATE", &der) != 0) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot be read", path);
    } else if (rspg_cert_info_read(der.data, der.len, RSPG_CI_LENIENT, ci, &sub) != RSPG_OK) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: not an X.509 certificate: %s", path,
                       sub.count ? sub.entries[0].message : "?");
    } else if (ci->curve == NULL ||
               rspg_key_from_public(ci->curve, ci->x.pub, ci->x.pub_len, d, &li->key) != RSPG_OK) {
        rc = rspg_fail(d, RSPG_E_IO, "%s: not an EC key on a known curve", path);
    } else {
        size_t n = ci->ski_len;
        const uint8_t *ski = ci->ski;
        if (ski == NULL || n > sizeof(li->ski)) {
            ski = li->key.ski; /* no SKI extension: RFC 5280 method 1 */
            n = sizeof(li->key.ski);
        }
        memcpy(li->ski, ski, n);
        li->ski_len = n;
    }
    rspg_diag_fini(&sub);
    free(ci);
    rspg_buf_free(&der);
    return rc;
}

rspg_status rspg_cvc_verify_file(const char *path, const char *const *issuer_paths,
                                 size_t n_issuers, int64_t at, rspg_cvc_verdict *out, rspg_diag *d)
{
    rspg_buf raw, bin;
    rspg_buf_init(&raw);
    rspg_buf_init(&bin);
    memset(out, 0, sizeof(*out));
    out->issuer = -1;
    struct loaded_issuer *li = rspg_xcalloc(n_issuers ? n_issuers : 1, sizeof(*li));
    rspg_cvc_issuer *iss = rspg_xcalloc(n_issuers ? n_issuers : 1, sizeof(*iss));
    rspg_status rc = RSPG_OK;
    if (rspg_read_file(path, 1u << 20, &raw) != 0)
        rc = rspg_fail(d, RSPG_E_IO, "%s: cannot be read (or larger than 1 MiB)", path);
    else if (rspg_cvc_load(raw.data, raw.len, &bin) != 0)
        rc = rspg_fail(d, RSPG_E_IO, "%s: malformed hex", path);
    for (size_t i = 0; i < n_issuers && rc == RSPG_OK; i++) {
        rc = load_issuer(issuer_paths[i], &li[i], d);
        iss[i] = (rspg_cvc_issuer){&li[i].key, li[i].ski, li[i].ski_len, issuer_paths[i]};
    }
    if (rc == RSPG_OK)
        rspg_cvc_verify(bin.data, bin.len, iss, n_issuers, at, out);
    for (size_t i = 0; i < n_issuers; i++)
        rspg_key_free(&li[i].key);
    free(li);
    free(iss);
    rspg_buf_free(&raw);
    rspg_buf_free(&bin);
    return rc;
}

void rspg_cvc_verify_item(const char *dir, const char *path, const char *issuer, int64_t at,
                          rspg_verdict *out)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->cert, sizeof(out->cert), "%s", path);
    char *full = rspg_xasprintf("%s/%s", dir, path);
    char *iss = rspg_xasprintf("%s/%s", dir, issuer ? issuer : "(no issuer in the manifest)");
    const char *issuers[1] = {iss};
    rspg_cvc_verdict v;
    rspg_diag d;
    rspg_diag_init(&d);
    if (rspg_cvc_verify_file(full, issuers, 1, at, &v, &d) != RSPG_OK) {
        v.valid = 0;
        v.check = "format";
        snprintf(v.message, sizeof(v.message), "%s",
                 d.count ? d.entries[0].message : "cannot be read");
    }
    rspg_diag_fini(&d);
    out->valid = v.valid;
    if (v.valid) {
        snprintf(out->chain, sizeof(out->chain), "%.1000s <- %.1000s", path, issuer);
    } else {
        out->check = v.check;
        rspg_violation viol = RSPG_V_FORMAT;
        if (rspg_violation_by_check(v.check, &viol) != 0)
            viol = RSPG_V_FORMAT;
        out->reason = rspg_rule_reason(RSPG_VALIDATOR_CVC, viol, 0)->reason;
        snprintf(out->message, sizeof(out->message), "card certificate: %.480s", v.message);
    }
    free(full);
    free(iss);
}
