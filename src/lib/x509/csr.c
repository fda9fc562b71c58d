/*
 * csr.c: the reader of public keys from outside (csr.h). A PKCS#10 CertificationRequest
 * (RFC 2986 §4) is split strictly with the DER reader:
 *
 *   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm,
 *                                       signature BIT STRING }
 *   CertificationRequestInfo ::= SEQUENCE { version INTEGER (0), subject Name,
 *                                           subjectPKInfo SubjectPublicKeyInfo,
 *                                           attributes [0] IMPLICIT SET OF Attribute }
 *
 * and its signature is verified over the DER of certificationRequestInfo with the key it
 * carries (RFC 2986 §3: proof of possession). The key is an EC SubjectPublicKeyInfo with a
 * named curve (RFC 5480 §2); SGP.22 §2.6.5 curves are the role's rule, checked by callers.
 */
#include "rspg/x509/csr.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/dn_attr.h"
#include "rspg/asn1/oid.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/file.h"

#define MAX_CSR_BYTES (64u * 1024u)

/* The ECDSA signature algorithms a request may use (RFC 5758 §3.2). */
static const struct {
    const char *oid;
    const char *md;
} sig_algs[] = {
    {"1.2.840.10045.4.3.2", "SHA256"},
    {"1.2.840.10045.4.3.3", "SHA384"},
    {"1.2.840.10045.4.3.4", "SHA512"},
};

static rspg_status bad(rspg_diag *d, const char *what, const char *why)
{
    return rspg_fail(d, RSPG_E_INPUT, "%s: %s", what, why);
}

/* SubjectPublicKeyInfo (the TLV SPKI) into OUT->key. */
static rspg_status read_spki(const rspg_der_tlv *spki, const char *what, rspg_diag *d,
                             rspg_csr *out)
{
    rspg_der_cursor c, a;
    rspg_der_tlv alg, alg_oid, curve_oid, bits;
    rspg_der_cursor_init(&c, spki->value, spki->len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &alg) != 0 ||
        rspg_der_expect(&c, RSPG_DER_BIT_STRING, &bits) != 0 || !rspg_der_cursor_done(&c))
        return bad(d, what, "malformed SubjectPublicKeyInfo");
    rspg_der_cursor_init(&a, alg.value, alg.len);
    if (rspg_der_expect(&a, RSPG_DER_OID, &alg_oid) != 0 ||
        !rspg_der_oid_is(&alg_oid, RSPG_OID_EC_PUBLIC_KEY))
        return bad(d, what, "the public key is not an elliptic-curve key (id-ecPublicKey)");
    if (rspg_der_expect(&a, RSPG_DER_OID, &curve_oid) != 0 || !rspg_der_cursor_done(&a))
        return bad(d, what,
                   "the public key has no named curve (explicit parameters are not "
                   "supported)");
    const rspg_curve *curve = rspg_curve_by_oid_der(curve_oid.value, curve_oid.len);
    if (curve == NULL) {
        char *dotted = rspg_der_oid_to_text(curve_oid.value, curve_oid.len);
        rspg_status rc = rspg_fail(d, RSPG_E_INPUT, "%s: unsupported curve %s (expected one of %s)",
                                   what, dotted ? dotted : "?", rspg_curve_names());
        free(dotted);
        return rc;
    }
    if (bits.len < 2 || bits.value[0] != 0)
        return bad(d, what, "malformed public key BIT STRING");
    rspg_diag kd;
    rspg_diag_init(&kd);
    rspg_status rc = rspg_key_from_public(curve, bits.value + 1, bits.len - 1, &kd, &out->key);
    rspg_diag_fini(&kd);
    if (rc != RSPG_OK)
        return rspg_fail(d, RSPG_E_INPUT, "%s: the public key is not a point on %s", what,
                         curve->name);
    return RSPG_OK;
}

/* Verifies SIG (a BIT STRING) over TBS with the request's own key and algorithm ALG. */
static rspg_status check_signature(const rspg_der_tlv *tbs, const rspg_der_tlv *alg,
                                   const rspg_der_tlv *sig, const char *what, rspg_diag *d,
                                   const rspg_key *key)
{
    rspg_der_cursor c;
    rspg_der_tlv oid;
    rspg_der_cursor_init(&c, alg->value, alg->len);
    if (rspg_der_expect(&c, RSPG_DER_OID, &oid) != 0 || !rspg_der_cursor_done(&c))
        return bad(d, what, "malformed signatureAlgorithm");
    const char *md = NULL;
    for (size_t i = 0; i < sizeof(sig_algs) / sizeof(sig_algs[0]); i++)
        if (rspg_der_oid_is(&oid, sig_algs[i].oid))
            md = sig_algs[i].md;
    if (md == NULL)
        return bad(d, what, "the request is not signed with ECDSA (SHA-256, -384 or -512)");
    if (sig->len < 2 || sig->value[0] != 0)
        return bad(d, what, "malformed signature BIT STRING");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok =
        ctx && EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, key->pkey, NULL) == 1 &&
        EVP_DigestVerify(ctx, sig->value + 1, sig->len - 1, tbs->hdr, tbs->hdr_len + tbs->len) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    if (!ok)
        return bad(d, what,
                   "the request's self-signature does not verify (altered, or not signed by "
                   "the private key of its public key)");
    return RSPG_OK;
}

/* CertificationRequestInfo: version 0, subject, SPKI, [0] attributes (taken as they are). */
static rspg_status read_info(const rspg_der_tlv *info, const char *what, rspg_diag *d,
                             rspg_csr *out)
{
    rspg_der_cursor c;
    rspg_der_tlv version, subject, spki, attrs;
    rspg_der_cursor_init(&c, info->value, info->len);
    if (rspg_der_expect(&c, RSPG_DER_INTEGER, &version) != 0 || version.len != 1 ||
        version.value[0] != 0)
        return bad(d, what, "not a PKCS#10 request (version 1 expected)");
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &subject) != 0 ||
        rspg_der_expect(&c, RSPG_DER_SEQUENCE, &spki) != 0 ||
        rspg_der_expect(&c, 0xA0, &attrs) != 0 || !rspg_der_cursor_done(&c))
        return bad(d, what, "malformed CertificationRequestInfo");
    rspg_buf_append(&out->subject, subject.hdr, subject.hdr_len + subject.len);
    return read_spki(&spki, what, d, out);
}

/* The DER of a request: the three fields, the info read, the signature checked. */
static rspg_status read_request(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                                rspg_csr *out)
{
    rspg_der_cursor top, c;
    rspg_der_tlv req, info, alg, sig;
    rspg_der_cursor_init(&top, der, len);
    if (rspg_der_expect(&top, RSPG_DER_SEQUENCE, &req) != 0 || !rspg_der_cursor_done(&top))
        return bad(d, what, "not a PKCS#10 certificate request (PEM or DER)");
    rspg_der_cursor_init(&c, req.value, req.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &info) != 0 ||
        rspg_der_expect(&c, RSPG_DER_SEQUENCE, &alg) != 0 ||
        rspg_der_expect(&c, RSPG_DER_BIT_STRING, &sig) != 0 || !rspg_der_cursor_done(&c))
        return bad(d, what, "not a PKCS#10 certificate request (PEM or DER)");
    out->kind = RSPG_CSR_REQUEST;
    rspg_status rc = read_info(&info, what, d, out);
    if (rc == RSPG_OK)
        rc = check_signature(&info, &alg, &sig, what, d, &out->key);
    return rc;
}

static rspg_status read_public(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                               rspg_csr *out)
{
    rspg_der_cursor top;
    rspg_der_tlv spki;
    rspg_der_cursor_init(&top, der, len);
    if (rspg_der_expect(&top, RSPG_DER_SEQUENCE, &spki) != 0 || !rspg_der_cursor_done(&top))
        return bad(d, what, "not a public key (SubjectPublicKeyInfo, PEM or DER)");
    out->kind = RSPG_CSR_PUBLIC;
    return read_spki(&spki, what, d, out);
}

/* Tells a request from a SubjectPublicKeyInfo: a request's first element is a SEQUENCE
 * that starts with an INTEGER; an SPKI's starts with the algorithm SEQUENCE. */
static rspg_csr_kind guess(const uint8_t *der, size_t len)
{
    rspg_der_cursor c;
    rspg_der_tlv top, first;
    rspg_der_cursor_init(&c, der, len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &top) != 0)
        return RSPG_CSR_REQUEST;
    rspg_der_cursor_init(&c, top.value, top.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &first) != 0)
        return RSPG_CSR_REQUEST;
    return rspg_der_peek_tag(&c) == RSPG_DER_BIT_STRING ? RSPG_CSR_PUBLIC : RSPG_CSR_REQUEST;
}

/* DATA as DER: the PEM block of the kind's label(s), or DATA itself. */
static rspg_status to_der(const uint8_t *data, size_t len, rspg_csr_kind *kind, const char *what,
                          rspg_diag *d, rspg_buf *der)
{
    if (!rspg_pem_present(data, len)) {
        rspg_buf_append(der, data, len);
        if (*kind == RSPG_CSR_ANY)
            *kind = guess(data, len);
        return RSPG_OK;
    }
    static const struct {
        const char *label;
        rspg_csr_kind kind;
    } labels[] = {{"CERTIFICATE REQUEST", RSPG_CSR_REQUEST},
                  {"NEW CERTIFICATE REQUEST", RSPG_CSR_REQUEST},
                  {"PUBLIC KEY", RSPG_CSR_PUBLIC}};
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (*kind != RSPG_CSR_ANY && *kind != labels[i].kind)
            continue;
        if (rspg_pem_decode(data, len, labels[i].label, der) == 0) {
            *kind = labels[i].kind;
            return RSPG_OK;
        }
        rspg_buf_reset(der);
    }
    return bad(d, what,
               *kind == RSPG_CSR_PUBLIC ? "no PEM block 'PUBLIC KEY' (a public key is expected)"
               : *kind == RSPG_CSR_REQUEST
                   ? "no PEM block 'CERTIFICATE REQUEST' (a PKCS#10 request is expected)"
                   : "no PEM block 'CERTIFICATE REQUEST' or 'PUBLIC KEY'");
}

rspg_status rspg_csr_read(const uint8_t *data, size_t len, rspg_csr_kind kind, const char *what,
                          rspg_diag *d, rspg_csr *out)
{
    rspg_buf der;
    memset(out, 0, sizeof(*out));
    rspg_buf_init(&out->subject);
    rspg_buf_init(&der);
    rspg_status rc = to_der(data, len, &kind, what, d, &der);
    if (rc == RSPG_OK)
        rc = kind == RSPG_CSR_PUBLIC ? read_public(der.data, der.len, what, d, out)
                                     : read_request(der.data, der.len, what, d, out);
    rspg_buf_free(&der);
    return rc;
}

rspg_status rspg_csr_read_file(const char *path, rspg_csr_kind kind, rspg_diag *d, rspg_csr *out)
{
    rspg_buf b;
    rspg_buf_init(&b);
    memset(out, 0, sizeof(*out));
    rspg_buf_init(&out->subject);
    const char *what = kind == RSPG_CSR_PUBLIC ? "public key" : "certificate request";
    rspg_status rc = rspg_file_read(path, MAX_CSR_BYTES, what, d, &b);
    if (rc == RSPG_OK)
        rc = rspg_csr_read(b.data ? b.data : (const uint8_t *)"", b.len, kind, path, d, out);
    rspg_buf_free(&b);
    return rc;
}

void rspg_csr_free(rspg_csr *c)
{
    rspg_key_free(&c->key);
    rspg_buf_free(&c->subject);
}

void rspg_dn_free(rspg_dn *dn)
{
    for (size_t i = 0; i < dn->count; i++) {
        free(dn->attrs[i].key);
        free(dn->attrs[i].oid);
        free(dn->attrs[i].value);
    }
    free(dn->attrs);
    memset(dn, 0, sizeof(*dn));
}

/* The value's text with "${" written "$${" (no profile substitution applies to it). */
static char *escaped(const uint8_t *p, size_t n)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '$' && i + 1 < n && p[i + 1] == '{')
            rspg_buf_push(&b, '$');
        rspg_buf_push(&b, p[i]);
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

/* One RDN (a SET holding one AttributeTypeAndValue) appended to OUT. */
static rspg_status read_rdn(const rspg_der_tlv *rdn, const char *what, rspg_diag *d, rspg_dn *out)
{
    rspg_der_cursor c, a;
    rspg_der_tlv atv, oid, val;
    rspg_der_cursor_init(&c, rdn->value, rdn->len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &atv) != 0)
        return bad(d, what, "malformed subject name");
    if (!rspg_der_cursor_done(&c))
        return bad(d, what,
                   "the subject has a multi-valued RDN (SGP.26 names have one "
                   "attribute per RDN)");
    rspg_der_cursor_init(&a, atv.value, atv.len);
    if (rspg_der_expect(&a, RSPG_DER_OID, &oid) != 0 || rspg_der_read(&a, &val) != 0 ||
        !rspg_der_cursor_done(&a))
        return bad(d, what, "malformed subject attribute");
    rspg_string_type type = val.tag == RSPG_DER_UTF8STRING        ? RSPG_STR_UTF8
                            : val.tag == RSPG_DER_PRINTABLESTRING ? RSPG_STR_PRINTABLE
                            : val.tag == RSPG_DER_IA5STRING       ? RSPG_STR_IA5
                                                                  : (rspg_string_type)-1;
    if ((int)type < 0 || memchr(val.value, 0, val.len) != NULL)
        return bad(d, what,
                   "a subject attribute is not a UTF8String, PrintableString or "
                   "IA5String");
    char *dotted = rspg_der_oid_to_text(oid.value, oid.len);
    if (dotted == NULL)
        return bad(d, what, "malformed attribute type in the subject");
    const rspg_dn_attr *known = rspg_dn_attr_by_oid(&oid);
    out->attrs = rspg_xrealloc(out->attrs, (out->count + 1) * sizeof(*out->attrs));
    rspg_attr *at = &out->attrs[out->count++];
    memset(at, 0, sizeof(*at));
    at->key = rspg_xstrdup(known ? known->name : dotted);
    at->oid = dotted;
    at->value = escaped(val.value, val.len);
    at->type = type;
    return RSPG_OK;
}

rspg_status rspg_csr_subject_dn(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                                rspg_dn *out)
{
    rspg_der_cursor top, c;
    rspg_der_tlv name, rdn;
    rspg_dn dn = {NULL, 0};
    rspg_status rc = RSPG_OK;
    rspg_der_cursor_init(&top, der, len);
    if (rspg_der_expect(&top, RSPG_DER_SEQUENCE, &name) != 0 || !rspg_der_cursor_done(&top))
        return bad(d, what, "malformed subject name");
    rspg_der_cursor_init(&c, name.value, name.len);
    while (rc == RSPG_OK && !rspg_der_cursor_done(&c)) {
        if (rspg_der_expect(&c, RSPG_DER_SET, &rdn) != 0)
            rc = bad(d, what, "malformed subject name");
        else
            rc = read_rdn(&rdn, what, d, &dn);
    }
    if (rc != RSPG_OK) {
        rspg_dn_free(&dn);
        return rc;
    }
    rspg_dn_free(out);
    *out = dn;
    return RSPG_OK;
}
