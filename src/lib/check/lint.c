/*
 * lint.c: the certificate linter (zlint style) for the GSMA SGP.26 test PKI.
 *
 * One certificate is checked against the profile of its role (SGP.22 §4.5.2 as SGP.26
 * v3 instantiates it): the extensions it must carry, in GSMA's order and with GSMA's
 * criticality, and the encoding rules every real GSMA certificate follows (PROFILE.md §2,
 * "conventions common to every real cert"), which are RFC 5280 rules or GSMA habits:
 *   - version v3 (RFC 5280 §4.1.2.1), ecdsa-with-SHA256 without parameters in both
 *     signature fields (§4.1.1.2, §4.1.2.3; SGP.22 §2.6.5), P-256 or brainpoolP256r1
 *     keys as uncompressed points (SGP.22 §2.6.5);
 *   - a positive, minimally encoded serial of at most 20 octets (§4.1.2.2, X.690 §8.3.2);
 *   - UTCTime through 2049, GeneralizedTime from 2050 (§4.1.2.5);
 *   - DN strings: C and serialNumber PrintableString, the rest UTF8String (§4.1.2.4 and
 *     GSMA's files), one attribute per RDN;
 *   - SKI = SHA-1 of the subjectPublicKey bits (§4.2.1.2 method 1), AKI = keyIdentifier
 *     only (§4.2.1.1);
 *   - the validity length SGP.26 uses per role (a notice only).
 * The expected extension lists are the static table `profiles` below, one row per role
 * and arc, each citing its source: the real GSMA DER files where they exist (PROFILE.md
 * §7), else profiles/sgp26.yaml (which follows the GSMA cnf files, PROFILE.md §2).
 * Tolerated GSMA quirks are listed in docs/lint.md and at the rows concerned.
 */
#include "rspg/check/lint.h"
#include "rspg/check/cert_file.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/dn_attr.h"
#include "rspg/asn1/oid.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/buf.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/cert_info.h"

/* ---- findings ---- */

const char *rspg_lint_severity_name(rspg_lint_severity s)
{
    switch (s) {
    case RSPG_LINT_ERROR:
        return "error";
    case RSPG_LINT_WARNING:
        return "warning";
    default:
        return "notice";
    }
}

void rspg_lint_result_init(rspg_lint_result *r)
{
    memset(r, 0, sizeof(*r));
    r->role = -1;
}

void rspg_lint_result_free(rspg_lint_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->items[i].message);
    free(r->items);
    rspg_lint_result_init(r);
}

int rspg_lint_has(const rspg_lint_result *r, const char *code)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].code, code) == 0)
            return 1;
    return 0;
}

/* Adds a finding; the severity is the code's prefix (e_ error, w_ warning, n_ notice). */
static void add(rspg_lint_result *r, const char *code, const char *fmt, ...) RSPG_PRINTF(3, 4);
static void add(rspg_lint_result *r, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->items = rspg_xrealloc(r->items, r->cap * sizeof(r->items[0]));
    }
    rspg_lint_finding *f = &r->items[r->n++];
    f->code = code;
    f->message = rspg_xstrdup(msg);
    switch (code[0]) {
    case 'e':
        f->severity = RSPG_LINT_ERROR;
        r->errors++;
        break;
    case 'w':
        f->severity = RSPG_LINT_WARNING;
        r->warnings++;
        break;
    default:
        f->severity = RSPG_LINT_NOTICE;
        r->notices++;
        break;
    }
}

/* ---- small DER helpers ---- */

static char *oid_text(const rspg_der_tlv *oid)
{
    char *s = rspg_der_oid_to_text(oid->value, oid->len);
    return s ? s : rspg_xstrdup("(malformed OID)");
}

static int ext_id_of(const rspg_der_tlv *oid)
{
    for (int i = RSPG_XID_SKI; i < RSPG_XID_COUNT; i++)
        if (rspg_der_oid_is(oid, rspg_ext_def_of(i)->oid))
            return i;
    return RSPG_XID_NONE;
}

static void row_text(const rspg_ext_profile *p, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 12 && p->exts[i].ext != RSPG_XID_NONE && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s%s", i ? ", " : "",
                              rspg_ext_def_of(p->exts[i].ext)->abbr,
                              p->exts[i].critical ? "(c)" : "");
}

/* ---- role detection ---- */

int rspg_lint_detect_role(const rspg_cert_info *ci, rspg_role *role, int *v3, const char **source)
{
    const rspg_x509 *c = &ci->x;
    if (ci->role >= 0) {
        *role = (rspg_role)ci->role;
        *v3 = ci->role_v3;
        *source = "policy";
        return 0;
    }
    if (ci->ext[RSPG_XID_CP].present)
        return -1; /* a policy, but not an RSP role's */
    /* SGP.32 eIM certificates carry no RSP role policy: recognise them by their extensions
     * (PROFILE.md §2: eIM sign has only AKI + KU; eIM TLS has EKU). */
    if (ci->ext[RSPG_XID_EKU].present) {
        *role = RSPG_ROLE_EIM_TLS;
    } else {
        int only_aki_ku = c->n_exts > 0 && ci->ext[RSPG_XID_KU].present;
        for (size_t i = 0; i < c->n_exts && only_aki_ku; i++) {
            int id = ext_id_of(&c->exts[i].oid);
            only_aki_ku = id == RSPG_XID_AKI || id == RSPG_XID_KU;
        }
        if (!only_aki_ku)
            return -1;
        *role = RSPG_ROLE_EIM_SIGN;
    }
    *v3 = 0;
    *source = "extensions";
    return 0;
}

/* ---- generic checks (every role) ---- */

static void check_serial(rspg_lint_result *r, const uint8_t *v, size_t n)
{
    int zero = 1;
    for (size_t i = 0; i < n; i++)
        zero &= v[i] == 0;
    if (n == 0 || (v[0] & 0x80) || zero)
        add(r, "e_serial_not_positive",
            "the serial number is %s; RFC 5280 §4.1.2.2 requires a positive integer",
            n == 0          ? "empty"
            : (v[0] & 0x80) ? "negative"
                            : "zero");
    if (n > 1 && ((v[0] == 0x00 && !(v[1] & 0x80)) || (v[0] == 0xFF && (v[1] & 0x80))))
        add(r, "e_serial_not_minimal",
            "the serial number INTEGER has a superfluous leading %02X octet (X.690 §8.3.2)", v[0]);
    if (n > 20)
        add(r, "e_serial_too_long",
            "the serial number is %zu octets long; RFC 5280 §4.1.2.2 allows at most 20", n);
}

/* RFC 5280 §4.1.2.5: UTCTime for 1950-2049, GeneralizedTime from 2050, both ending in Z
 * with seconds (the strict parser has already refused other forms). */
static void check_time(rspg_lint_result *r, const char *which, const rspg_der_tlv *t)
{
    int64_t when;
    if (t->tag != RSPG_DER_UTCTIME && t->tag != RSPG_DER_GENERALIZEDTIME) {
        add(r, "e_time_encoding", "%s is neither UTCTime nor GeneralizedTime (tag %02X)", which,
            t->tag);
        return;
    }
    int strict = t->len == (t->tag == RSPG_DER_UTCTIME ? 13u : 15u) && t->value[t->len - 1] == 'Z';
    if (!strict || rspg_der_parse_time(t, &when) != 0) {
        add(r, "e_time_encoding",
            "%s is not %s in the form RFC 5280 §4.1.2.5 requires (%s, seconds, 'Z')", which,
            t->tag == RSPG_DER_UTCTIME ? "UTCTime" : "GeneralizedTime",
            t->tag == RSPG_DER_UTCTIME ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ");
        return;
    }
    int y, mo, d, h, mi, s;
    rspg_civil_from_unix(when, &y, &mo, &d, &h, &mi, &s);
    if (t->tag == RSPG_DER_GENERALIZEDTIME && y < 2050)
        add(r, "e_time_encoding",
            "%s (%04d) is a GeneralizedTime; RFC 5280 §4.1.2.5 requires UTCTime through 2049",
            which, y);
}

static void check_times(rspg_lint_result *r, const rspg_x509 *c)
{
    rspg_der_cursor cur;
    rspg_der_tlv nb, na;
    rspg_der_cursor_init(&cur, c->validity.value, c->validity.len);
    if (rspg_der_read(&cur, &nb) != 0 || rspg_der_read(&cur, &na) != 0)
        return;
    check_time(r, "notBefore", &nb);
    check_time(r, "notAfter", &na);
}

/* AlgorithmIdentifier { ecdsa-with-SHA256 } with absent parameters (RFC 5758 §3.2) */
static int is_ecdsa_sha256(const rspg_der_tlv *alg)
{
    rspg_der_cursor cur;
    rspg_der_tlv oid;
    rspg_der_cursor_init(&cur, alg->value, alg->len);
    return alg->tag == RSPG_DER_SEQUENCE && rspg_der_expect(&cur, RSPG_DER_OID, &oid) == 0 &&
           rspg_der_cursor_done(&cur) && rspg_der_oid_is(&oid, RSPG_OID_ECDSA_WITH_SHA256);
}

static char *alg_text(const rspg_der_tlv *alg)
{
    rspg_der_cursor cur;
    rspg_der_tlv oid;
    rspg_der_cursor_init(&cur, alg->value, alg->len);
    if (rspg_der_expect(&cur, RSPG_DER_OID, &oid) != 0)
        return rspg_xstrdup("(malformed AlgorithmIdentifier)");
    char *t = oid_text(&oid);
    if (!rspg_der_cursor_done(&cur)) {
        char *u = rspg_xasprintf("%s with parameters", t);
        free(t);
        t = u;
    }
    return t;
}

static void check_sig_alg(rspg_lint_result *r, const rspg_x509 *c)
{
    const rspg_der_tlv *algs[2] = {&c->tbs_sig_alg, &c->sig_alg};
    const char *names[2] = {"TBSCertificate signature", "signatureAlgorithm"};
    for (int i = 0; i < 2; i++) {
        if (!is_ecdsa_sha256(algs[i])) {
            char *t = alg_text(algs[i]);
            add(r, "e_sig_alg",
                "the %s algorithm is %s; SGP.22 §2.6.5 uses ecdsa-with-SHA256 "
                "(1.2.840.10045.4.3.2) without parameters",
                names[i], t);
            free(t);
        }
    }
    /* both ecdsa-with-SHA256: they are equal, as RFC 5280 §4.1.1.2 requires */
}

static void check_point(rspg_lint_result *r, const rspg_curve *cv, const uint8_t *pub, size_t n);

static void check_key(rspg_lint_result *r, const rspg_x509 *c)
{
    if (!rspg_der_oid_is(&c->spki_alg_oid, RSPG_OID_EC_PUBLIC_KEY)) {
        char *t = oid_text(&c->spki_alg_oid);
        add(r, "e_curve", "the public key algorithm is %s, not id-ecPublicKey", t);
        free(t);
        return;
    }
    const rspg_curve *cv = c->spki_curve_oid.len ? rspg_curve_by_oid_der(c->spki_curve_oid.value,
                                                                         c->spki_curve_oid.len)
                                                 : NULL;
    if (cv == NULL || !cv->rsp_supported) {
        char *t =
            c->spki_curve_oid.len ? oid_text(&c->spki_curve_oid) : rspg_xstrdup("no named curve");
        add(r, "e_curve",
            "the key's curve is %s%s%s; SGP.22 §2.6.5 allows NIST P-256 and brainpoolP256r1", t,
            cv ? " = " : "", cv ? cv->name : "");
        free(t);
        return;
    }
    check_point(r, cv, c->pub, c->pub_len);
}

/* SGP.22 §2.6.5 / SEC 1 §2.3.4: an uncompressed point 04 X Y of 1 + 2 * field octets,
 * on the curve (SEC 1 §3.2.2.1), not the point at infinity (the single octet 00). */
static void check_point(rspg_lint_result *r, const rspg_curve *cv, const uint8_t *pub, size_t n)
{
    if (n == 1 && pub[0] == 0x00) {
        add(r, "e_key_infinity", "the %s public key is the point at infinity (SEC 1 §2.3.4)",
            cv->name);
        return;
    }
    if (n == 1 + cv->field_bytes && (pub[0] == 0x02 || pub[0] == 0x03)) {
        add(r, "e_curve", "the %s public key is a compressed point; SGP.22 uses uncompressed ones",
            cv->name);
        return;
    }
    if (n != 1 + 2 * cv->field_bytes || pub[0] != 0x04) {
        add(r, "e_key_length",
            "the %s public key is not an uncompressed point of %zu octets (%zu octets, first %02X)",
            cv->name, 1 + 2 * cv->field_bytes, n, n ? pub[0] : 0);
        return;
    }
    rspg_key k;
    rspg_diag d;
    rspg_diag_init(&d);
    if (rspg_key_from_public(cv, pub, n, &d, &k) != RSPG_OK)
        add(r, "e_key_not_on_curve",
            "the public key is not a point on %s (SEC 1 §3.2.2.1 public key validation)", cv->name);
    else
        rspg_key_free(&k);
    rspg_diag_fini(&d);
}

/* The group order of CV, big-endian, into OUT (at least 66 octets); its length, 0 on error. */
static size_t curve_order(const rspg_curve *cv, uint8_t *out)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(cv->nid);
    const BIGNUM *n = g ? EC_GROUP_get0_order(g) : NULL;
    size_t len = n && BN_num_bytes(n) <= 66 ? (size_t)BN_bn2bin(n, out) : 0;
    EC_GROUP_free(g);
    return len;
}

/* What is wrong with r or s (an INTEGER TLV) of an ECDSA-Sig-Value: SEC 1 §4.1.4 wants
 * both in [1, n-1]; DER wants them minimal. NULL when fine. */
static const char *sig_int_problem(const rspg_der_tlv *t, const uint8_t *order, size_t order_len)
{
    const uint8_t *v = t->value;
    size_t n = t->len;
    if (n == 0)
        return "empty";
    if (v[0] & 0x80)
        return "negative";
    if (n > 1 && v[0] == 0 && !(v[1] & 0x80))
        return "not minimally encoded (X.690 §8.3.2)";
    while (n > 0 && v[0] == 0) {
        v++;
        n--;
    }
    if (n == 0)
        return "zero";
    if (order_len && (n > order_len || (n == order_len && memcmp(v, order, n) >= 0)))
        return "not below the group order n";
    return NULL;
}

/* The signatureValue: a DER ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279
 * §2.2.3, RFC 5480) with r and s in [1, n-1], no longer than such a value on the curve. The
 * issuer's curve is the subject's (SGP.22 §2.6.5: one curve per chain); when the issuer is
 * another certificate, the bound is the larger order of the two SGP.22 curves. */
static void check_sig_value(rspg_lint_result *r, const rspg_x509 *c, const rspg_curve *cv)
{
    size_t n, order_len = 0;
    const uint8_t *sig = rspg_x509_sig_value(c, &n);
    uint8_t order[66];
    if (cv && cv->rsp_supported) {
        const rspg_curve *nist = rspg_curve_find("nist");
        int self = rspg_der_oid_is(&c->spki_alg_oid, RSPG_OID_EC_PUBLIC_KEY) &&
                   c->issuer.len == c->subject.len &&
                   memcmp(c->issuer.value, c->subject.value, c->issuer.len) == 0;
        order_len = curve_order(self || nist == NULL ? cv : nist, order);
        size_t max = 2 + 2 * (2 + cv->field_bytes + 1);
        if (n > max)
            add(r, "e_sig_oversized",
                "the signature value is %zu octets; an ECDSA-Sig-Value on %s is at most %zu", n,
                cv->name, max);
    }
    rspg_der_cursor cur, in;
    rspg_der_tlv seq, ri, si;
    rspg_der_cursor_init(&cur, sig, n);
    if (sig == NULL || rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0 ||
        !rspg_der_cursor_done(&cur)) {
        add(r, "e_sig_value_invalid",
            "the signature value is not one DER ECDSA-Sig-Value SEQUENCE (RFC 3279 §2.2.3)");
        return;
    }
    rspg_der_cursor_init(&in, seq.value, seq.len);
    if (rspg_der_expect(&in, RSPG_DER_INTEGER, &ri) != 0 ||
        rspg_der_expect(&in, RSPG_DER_INTEGER, &si) != 0 || !rspg_der_cursor_done(&in)) {
        add(r, "e_sig_value_invalid",
            "the signature value is not SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3)");
        return;
    }
    const char *pr = sig_int_problem(&ri, order, order_len);
    const char *ps = sig_int_problem(&si, order, order_len);
    if (pr || ps)
        add(r, "e_sig_value_invalid", "the signature's %s is %s (SEC 1 §4.1.4: r, s in [1, n-1])",
            pr ? "r" : "s", pr ? pr : ps);
}

static const char *attr_name(const rspg_der_tlv *oid, char *buf, size_t cap)
{
    const rspg_dn_attr *a = rspg_dn_attr_by_oid(oid);
    if (a)
        return a->name;
    char *t = oid_text(oid);
    snprintf(buf, cap, "%s", t);
    free(t);
    return buf;
}

static const char *string_type_name(int tag)
{
    switch (tag) {
    case RSPG_DER_UTF8STRING:
        return "UTF8String";
    case RSPG_DER_PRINTABLESTRING:
        return "PrintableString";
    case RSPG_DER_IA5STRING:
        return "IA5String";
    case 0x14:
        return "TeletexString";
    case 0x1C:
        return "UniversalString";
    case 0x1E:
        return "BMPString";
    default:
        return "a non-string type";
    }
}

/* GSMA (PROFILE.md §2): C and serialNumber PrintableString (RFC 5280 Appendix A requires
 * it of both), every other attribute UTF8String (RFC 5280 §4.1.2.6 "MUST use UTF8String"
 * for new certificates); emailAddress and DC, which GSMA does not use, are IA5String by
 * their definitions. One attribute per RDN. */
static void check_dn(rspg_lint_result *r, const char *which, const rspg_der_tlv *name)
{
    rspg_der_cursor rdns, set, atv;
    rspg_der_tlv s, a, oid, val;
    rspg_der_cursor_init(&rdns, name->value, name->len);
    while (!rspg_der_cursor_done(&rdns)) {
        if (rspg_der_expect(&rdns, RSPG_DER_SET, &s) != 0) {
            add(r, "e_der_invalid", "the %s name is not a sequence of RDN sets", which);
            return;
        }
        rspg_der_cursor_init(&set, s.value, s.len);
        int count = 0;
        while (!rspg_der_cursor_done(&set)) {
            char buf[64];
            if (rspg_der_expect(&set, RSPG_DER_SEQUENCE, &a) != 0) {
                add(r, "e_der_invalid", "malformed attribute in the %s name", which);
                return;
            }
            count++;
            rspg_der_cursor_init(&atv, a.value, a.len);
            if (rspg_der_expect(&atv, RSPG_DER_OID, &oid) != 0 || rspg_der_read(&atv, &val) != 0) {
                add(r, "e_der_invalid", "malformed attribute in the %s name", which);
                return;
            }
            const char *an = attr_name(&oid, buf, sizeof(buf));
            const rspg_dn_attr *def = rspg_dn_attr_by_oid(&oid);
            int want = def ? def->der_tag : RSPG_DER_UTF8STRING;
            if (val.tag != want)
                add(r, "e_dn_string_type", "%s %s is %s; GSMA writes it as %s", which, an,
                    string_type_name(val.tag), string_type_name(want));
        }
        if (count != 1)
            add(r, "w_dn_multi_value_rdn",
                "a %s RDN holds %d attributes; GSMA writes one attribute per RDN", which, count);
    }
}

static void check_ski(rspg_lint_result *r, const rspg_cert_info *ci)
{
    const rspg_x509 *c = &ci->x;
    if (!ci->ext[RSPG_XID_SKI].present)
        return;
    size_t n = ci->ski_len;
    const uint8_t *ki = ci->ski;
    if (ci->ext[RSPG_XID_SKI].malformed || ki == NULL || n == 0) {
        add(r, "e_ext_malformed", "subjectKeyIdentifier is not an OCTET STRING key identifier");
        return;
    }
    uint8_t h[SHA_DIGEST_LENGTH];
    SHA1(c->pub, c->pub_len, h);
    if (n == sizeof(h) && memcmp(ki, h, n) == 0)
        return;
    int method2 = n == 8 && (ki[0] & 0xF0) == 0x40 && (ki[0] & 0x0F) == (h[12] & 0x0F) &&
                  memcmp(ki + 1, h + 13, 7) == 0;
    add(r, "w_ski_not_method1",
        "subjectKeyIdentifier is not the SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 "
        "method 1, as every GSMA certificate)%s",
        method2 ? "; it is RFC 5280 method 2" : "");
}

static void check_aki(rspg_lint_result *r, const rspg_cert_info *ci)
{
    if (!ci->ext[RSPG_XID_AKI].present)
        return;
    if (ci->ext[RSPG_XID_AKI].malformed) {
        add(r, "e_ext_malformed", "authorityKeyIdentifier is malformed");
        return;
    }
    if (!ci->aki_keyid_only)
        add(r, "e_aki_not_keyid_only",
            "authorityKeyIdentifier %s; GSMA (and SGP.22 §4.5.2) use keyIdentifier only",
            ci->aki_len == 0 ? "has no keyIdentifier"
                             : "also carries authorityCertIssuer/authorityCertSerialNumber");
}

static void ku_text(unsigned bits, char *out, size_t cap)
{
    static const char *const names[] = {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly",
    };
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 9 && n < cap; i++)
        if (bits & (1u << i))
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "+" : "", names[i]);
    if (n == 0)
        snprintf(out, cap, "none");
}

/* ---- the role's profile ---- */

static const char *variant_text(int v3)
{
    return v3 ? "Variants Ov3/A/B/C" : "Variant O";
}

static void check_extensions(rspg_lint_result *r, const rspg_x509 *c, const rspg_ext_profile *p,
                             rspg_role role, int v3)
{
    char expected[256];
    int seen[RSPG_XID_COUNT] = {0};
    int pos_of[RSPG_XID_COUNT]; /* position of each extension in the row; -1 not in it */
    row_text(p, expected, sizeof(expected));
    for (int i = 0; i < RSPG_XID_COUNT; i++)
        pos_of[i] = -1;
    for (int i = 0; i < 12 && p->exts[i].ext != RSPG_XID_NONE; i++)
        pos_of[p->exts[i].ext] = i;

    int order[RSPG_X509_MAX_EXTS], n_order = 0, out_of_order = 0;
    for (size_t i = 0; i < c->n_exts; i++) {
        const rspg_x509_ext *e = &c->exts[i];
        int id = ext_id_of(&e->oid);
        if (id != RSPG_XID_NONE && seen[id]++) {
            add(r, "e_ext_duplicate", "%s appears more than once (RFC 5280 §4.2)",
                rspg_ext_def_of(id)->name);
            continue;
        }
        if (id == RSPG_XID_NONE || pos_of[id] < 0) {
            char *t = oid_text(&e->oid);
            add(r, "e_ext_unexpected", "%s%s%s is not in the GSMA %s profile (%s: %s)",
                id == RSPG_XID_NONE ? "extension " : "",
                id == RSPG_XID_NONE ? t : rspg_ext_def_of(id)->name,
                e->critical ? " (critical)" : "", rspg_role_name(role), variant_text(v3), expected);
            free(t);
            continue;
        }
        int want = p->exts[pos_of[id]].critical;
        if (e->critical != want)
            add(r, "e_ext_criticality", "%s is %s; in the GSMA %s profile it is %s",
                rspg_ext_def_of(id)->name, e->critical ? "critical" : "not critical",
                rspg_role_name(role), want ? "critical" : "not critical");
        if (n_order > 0 && pos_of[id] < pos_of[order[n_order - 1]])
            out_of_order = 1;
        order[n_order++] = id;
    }
    for (int i = 0; i < 12 && p->exts[i].ext != RSPG_XID_NONE; i++)
        if (!seen[p->exts[i].ext])
            add(r, "e_ext_missing", "%s is missing (GSMA %s profile, %s: %s)",
                rspg_ext_def_of(p->exts[i].ext)->name, rspg_role_name(role), variant_text(v3),
                expected);
    if (out_of_order) {
        char got[256];
        size_t n = 0;
        got[0] = '\0';
        for (int i = 0; i < n_order && n < sizeof(got); i++)
            n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s", i ? ", " : "",
                                  rspg_ext_def_of(order[i])->abbr);
        add(r, "w_ext_order", "the extensions are in the order %s; GSMA's %s order is %s", got,
            rspg_role_name(role), expected);
    }
}

static void check_role_values(rspg_lint_result *r, const rspg_cert_info *ci, rspg_role role)
{
    const rspg_role_rule *rule = rspg_rule_for(role);
    if (ci->ext[RSPG_XID_KU].malformed) {
        add(r, "e_ext_malformed", "keyUsage is not a DER BIT STRING of at most 9 bits");
    } else if (ci->ext[RSPG_XID_KU].present && ((ci->ku & rule->ku_required) != rule->ku_required ||
                                                (ci->ku & ~rule->ku_allowed) != 0)) {
        char got[160], want[160];
        ku_text(ci->ku, got, sizeof(got));
        ku_text(rule->ku_required, want, sizeof(want));
        add(r, "e_key_usage", "keyUsage is %s; %s certificates have %s%s", got,
            rspg_role_name(role), want,
            rule->ku_allowed != rule->ku_required ? " (and may have cRLSign)" : "");
    }
    int has_bc = ci->ext[RSPG_XID_BC].present;
    if (ci->ext[RSPG_XID_BC].malformed)
        add(r, "e_ext_malformed", "basicConstraints is malformed");
    else if (rule->is_ca && has_bc && !ci->ca)
        add(r, "e_basic_constraints", "basicConstraints has cA FALSE, but %s is a CA role",
            rspg_role_name(role));
    else if (!rule->is_ca && ci->ca)
        add(r, "e_basic_constraints", "basicConstraints has cA TRUE, but %s is an end-entity role",
            rspg_role_name(role));
    if (rule->tls && ci->ext[RSPG_XID_EKU].present) {
        if (ci->ext[RSPG_XID_EKU].malformed)
            add(r, "e_ext_malformed", "extendedKeyUsage is malformed");
        else if (!ci->eku_server_auth)
            add(r, "e_ext_key_usage",
                "extendedKeyUsage lacks serverAuth, which SGP.22 requires of "
                "a TLS certificate");
        else if (!ci->eku_client_auth)
            add(r, "w_ext_key_usage",
                "extendedKeyUsage lacks clientAuth, which every GSMA TLS "
                "certificate carries");
    }
}

static void check_policy(rspg_lint_result *r, const rspg_cert_info *ci, rspg_role role, int v3)
{
    const char *want = rspg_rule_policy_oid(role, v3);
    if (want == NULL) {
        if (!v3 && rspg_rule_policy_oid(role, 1))
            add(r, "e_policy_mismatch",
                "there is no %s role in Variant O (v2 arc); it exists in "
                "Variants Ov3/A/B/C only",
                rspg_role_name(role));
        return; /* eIM: no policy; an extra certificatePolicies is e_ext_unexpected */
    }
    if (!ci->ext[RSPG_XID_CP].present)
        return; /* e_ext_missing */
    if (ci->ext[RSPG_XID_CP].malformed) {
        add(r, "e_ext_malformed", "certificatePolicies is malformed");
        return;
    }
    char got[256];
    size_t k = 0;
    int found = 0;
    got[0] = '\0';
    for (size_t i = 0; i < ci->n_policies; i++) {
        found |= strcmp(ci->policies[i].text, want) == 0;
        if (k < sizeof(got))
            k += (size_t)snprintf(got + k, sizeof(got) - k, "%s%s", i ? ", " : "",
                                  ci->policies[i].text);
    }
    if (!found)
        add(r, "e_policy_mismatch", "certificatePolicies holds %s; %s certificates of %s carry %s",
            ci->n_policies ? got : "no policy", rspg_role_name(role), variant_text(v3), want);
}

static void check_validity(rspg_lint_result *r, const rspg_x509 *c, rspg_role role)
{
    const long *days = rspg_rule_for(role)->validity_days;
    if (days == NULL)
        return;
    int64_t span = c->not_after - c->not_before;
    char want[64];
    size_t n = 0;
    for (size_t i = 0; days[i]; i++) {
        if (span == (int64_t)days[i] * 86400)
            return;
        n += (size_t)snprintf(want + n, sizeof(want) - n, "%s%ld", i ? " or " : "", days[i]);
    }
    add(r, "n_validity_length", "the validity is %lld days%s; SGP.26 gives %s certificates %s days",
        (long long)(span / 86400), span % 86400 ? " and some seconds" : "", rspg_role_name(role),
        want);
}

/* ---- a certificate that breaks strict DER ---- */

/* The finding code of a rule the strict reader names (RSPG_CI_RULE_*). */
static const char *strict_code(const char *rule)
{
    static const struct {
        const char *rule, *code;
    } codes[] = {
        {RSPG_CI_RULE_OID_INVALID, "e_oid_invalid"},
        {RSPG_CI_RULE_EXT_DUPLICATE, "e_ext_duplicate"},
        {RSPG_CI_RULE_EXT_MALFORMED, "e_ext_malformed"},
        {RSPG_CI_RULE_SERIAL_NOT_POSITIVE, "e_serial_not_positive"},
        {RSPG_CI_RULE_SERIAL_NOT_MINIMAL, "e_serial_not_minimal"},
        {RSPG_CI_RULE_SERIAL_TOO_LONG, "e_serial_too_long"},
    };
    for (size_t i = 0; rule && i < sizeof(codes) / sizeof(codes[0]); i++)
        if (strcmp(rule, codes[i].rule) == 0)
            return codes[i].code;
    return "e_der_invalid";
}

/* Lints what can be read of a Certificate-framed DER the strict reader refused for RULE
 * (WHY): that rule's finding, then the serial (unless that was the rule) and the validity
 * times. Returns -1 when DER is not framed as a Certificate. */
static int lint_malformed(rspg_lint_result *r, const uint8_t *der, size_t len, const char *rule,
                          const char *why)
{
    rspg_der_cursor top, cert, tbs, val;
    rspg_der_tlv t, c, tb, alg, sig, serial, validity;
    rspg_der_cursor_init(&top, der, len);
    if (rspg_der_expect(&top, RSPG_DER_SEQUENCE, &c) != 0)
        return -1;
    rspg_der_cursor_init(&cert, c.value, c.len);
    if (rspg_der_expect(&cert, RSPG_DER_SEQUENCE, &tb) != 0 ||
        rspg_der_expect(&cert, RSPG_DER_SEQUENCE, &alg) != 0 ||
        rspg_der_expect(&cert, RSPG_DER_BIT_STRING, &sig) != 0)
        return -1;
    const char *code = strict_code(rule);
    add(r, code, "not a strict DER certificate (RFC 5280 §4.1, X.690): %s", why);
    rspg_der_cursor_init(&tbs, tb.value, tb.len);
    if (rspg_der_peek_tag(&tbs) == 0xA0 && rspg_der_read(&tbs, &t) != 0)
        return 0;
    if (rspg_der_expect(&tbs, RSPG_DER_INTEGER, &serial) != 0)
        return 0;
    if (strncmp(code, "e_serial_", 9) != 0)
        check_serial(r, serial.value, serial.len);
    if (rspg_der_read(&tbs, &t) != 0 || rspg_der_read(&tbs, &t) != 0 ||
        rspg_der_expect(&tbs, RSPG_DER_SEQUENCE, &validity) != 0)
        return 0;
    rspg_der_cursor_init(&val, validity.value, validity.len);
    if (rspg_der_read(&val, &t) == 0)
        check_time(r, "notBefore", &t);
    if (rspg_der_read(&val, &t) == 0)
        check_time(r, "notAfter", &t);
    return 0;
}

/* ---- entry points ---- */

static int parse_variant(const char *v, int *v3)
{
    if (strcmp(v, "O") == 0) {
        *v3 = 0;
        return 0;
    }
    if (strcmp(v, "Ov3") == 0 || strcmp(v, "A") == 0 || strcmp(v, "B") == 0 ||
        strcmp(v, "C") == 0) {
        *v3 = 1;
        return 0;
    }
    return -1;
}

static void lint_parsed(rspg_lint_result *res, const rspg_cert_info *ci, const rspg_lint_options *o,
                        int variant_v3)
{
    const rspg_x509 *c = &ci->x;
    /* every role */
    if (c->version != 2)
        add(res, "e_version", "the certificate is X.509 v%d; RFC 5280 and SGP.22 need v3",
            c->version + 1);
    check_serial(res, c->serial.value, c->serial.len);
    check_sig_alg(res, c);
    check_times(res, c);
    check_key(res, c);
    check_sig_value(res, c, ci->curve);
    check_dn(res, "subject", &c->subject);
    check_ski(res, ci);
    check_aki(res, ci);

    /* the role and arc */
    rspg_role detected, role;
    int det_v3 = 0, v3;
    const char *source = NULL;
    int have_detected = rspg_lint_detect_role(ci, &detected, &det_v3, &source) == 0;
    if (o && o->role >= 0) {
        role = (rspg_role)o->role;
        res->role_source = "option";
        if (have_detected && detected != role && strcmp(source, "policy") == 0)
            add(res, "e_policy_mismatch", "the policy is that of the %s role, not of %s",
                rspg_role_name(detected), rspg_role_name(role));
    } else if (have_detected) {
        role = detected;
        res->role_source = source;
    } else {
        add(res, "e_role_unknown",
            "no RSP role policy (SGP.22 §4.5.2.1) and not recognisable as an eIM certificate; "
            "give the role (--role) to check it against a GSMA profile");
        return;
    }
    const rspg_role_rule *rule = rspg_rule_for(role);
    if (variant_v3 >= 0) {
        v3 = variant_v3;
        if (have_detected && detected == role && strcmp(source, "policy") == 0 && det_v3 != v3 &&
            role != RSPG_ROLE_CI)
            add(res, "e_policy_mismatch", "the policy is on the %s arc, but %s uses the %s arc",
                det_v3 ? "v3" : "v2", variant_text(v3), v3 ? "v3" : "v2");
    } else if (role == RSPG_ROLE_CI) {
        /* The CI policy 2.23.146.1.2.1.0 is the same in both arcs: GSMA's Variant O CI has
         * cRLDistributionPoints, the Ov3/A/B/C CI has none (PROFILE.md §2). */
        v3 = !ci->ext[RSPG_XID_CRLDP].present;
    } else if (have_detected && detected == role && strcmp(source, "policy") == 0) {
        v3 = det_v3;
    } else {
        v3 = rule->oid_v2 == NULL && rule->oid_v3 != NULL;
    }
    res->role = (int)role;
    res->v3 = v3;

    const rspg_ext_profile *p = rspg_ext_profile_for(role, v3);
    check_policy(res, ci, role, v3);
    if (p)
        check_extensions(res, c, p, role,
                         p->arc == RSPG_ARC_V3   ? 1
                         : p->arc == RSPG_ARC_V2 ? 0
                                                 : v3);
    check_role_values(res, ci, role);
    check_validity(res, c, role);
}

rspg_status rspg_lint_cert(const uint8_t *data, size_t len, const rspg_lint_options *o,
                           rspg_lint_result *res, rspg_diag *d)
{
    rspg_lint_result_init(res);
    int variant_v3 = -1;
    if (o && o->variant && parse_variant(o->variant, &variant_v3) != 0)
        return rspg_fail(d, RSPG_E_USAGE, "unknown variant '%s' (expected O, Ov3, A, B or C)",
                         o->variant);
    if (o && o->role >= RSPG_ROLE_COUNT)
        return rspg_fail(d, RSPG_E_USAGE, "unknown role %d", o->role);
    if (o && o->role >= 0 && rspg_role_is_cvc((rspg_role)o->role))
        return rspg_fail(d, RSPG_E_USAGE,
                         "%s certificates are GP card certificates, not X.509: "
                         "use 'rsp-pkigen show' or 'verify'",
                         rspg_role_name((rspg_role)o->role));
    rspg_buf der;
    rspg_buf_init(&der);
    if (rspg_pem_or_der(data, len, "CERTIFICATE", &der) != 0) {
        rspg_buf_free(&der);
        return rspg_fail(d, RSPG_E_INPUT, "no PEM CERTIFICATE block could be decoded");
    }
    rspg_cert_info *ci = rspg_xcalloc(1, sizeof(*ci));
    rspg_diag sub;
    rspg_diag_init(&sub);
    rspg_status rc = RSPG_OK;
    /* strict, like verify and show: a certificate that breaks DER or RFC 5280 §4.1/§4.2 is
     * one finding named after the rule (plus its serial and times), not linted further */
    if (rspg_cert_info_read(der.data, der.len, RSPG_CI_STRICT, ci, &sub) != RSPG_OK) {
        const char *why = sub.count ? sub.entries[0].message : "?";
        if (lint_malformed(res, der.data, der.len, ci->problem_rule, why) != 0)
            rc = rspg_fail(d, RSPG_E_INPUT, "not a certificate: %s", why);
    } else {
        lint_parsed(res, ci, o, variant_v3);
    }
    rspg_diag_fini(&sub);
    free(ci);
    rspg_buf_free(&der);
    return rc;
}

/* rspg_lint_cert as a rspg_cert_check_fn. */
static rspg_status lint_bytes(const void *o, void *res, const uint8_t *data, size_t len,
                              rspg_diag *d)
{
    return rspg_lint_cert(data, len, o, res, d);
}

rspg_status rspg_lint_file(const char *path, const rspg_lint_options *o, rspg_lint_result *res,
                           rspg_diag *d)
{
    rspg_lint_result_init(res); /* a result to free even when PATH cannot be read */
    return rspg_cert_file_check(path, lint_bytes, o, res, d);
}
