/*
 * extension.c: DER encoders of the certificate extensions an RSP certificate carries
 * (RFC 5280 §4.2; GSMA SGP.22 §4.5.2 and SGP.26), including the ones OpenSSL cannot
 * produce as GSMA does: the SAN registeredID, the EUM nameConstraints with an EIN as a
 * directoryName serialNumber, and the v3 permittedEins extension 2.23.146.1.2.2.0.
 */
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/x509/extension.h"

static const char *const ext_oids[RSPG_EXT_COUNT] = {
    RSPG_OID_SUBJECT_KEY_ID,          /* subjectKeyIdentifier */
    RSPG_OID_AUTHORITY_KEY_ID,        /* authorityKeyIdentifier */
    RSPG_OID_BASIC_CONSTRAINTS,       /* basicConstraints */
    RSPG_OID_KEY_USAGE,               /* keyUsage */
    RSPG_OID_EXT_KEY_USAGE,           /* extKeyUsage */
    RSPG_OID_CERTIFICATE_POLICIES,    /* certificatePolicies */
    RSPG_OID_SUBJECT_ALT_NAME,        /* subjectAltName */
    RSPG_OID_CRL_DISTRIBUTION_POINTS, /* cRLDistributionPoints */
    RSPG_OID_NAME_CONSTRAINTS,        /* nameConstraints */
    RSPG_OID_PERMITTED_EINS,          /* id-rsp-extension-permitted-eins (SGP.22 v3) */
    NULL,                             /* raw: from the profile */
};

/* RFC 5280 §4.2.1.3 and X.690 §11.2.2: a named bit list drops its trailing zero bits. */
static void put_key_usage(rspg_buf *b, unsigned bits)
{
    uint8_t bytes[2] = {0, 0};
    int high = -1;
    for (int i = 0; i < 9; i++) {
        if (bits & (1u << i)) {
            bytes[i / 8] |= (uint8_t)(0x80 >> (i % 8));
            high = i;
        }
    }
    if (high < 0) { /* no bit: an empty BIT STRING */
        rspg_der_put_bit_string(b, 0, bytes, 0);
        return;
    }
    size_t n = (size_t)(high / 8 + 1);
    rspg_der_put_bit_string(b, (uint8_t)(7 - high % 8), bytes, n);
}

static rspg_status put_oid(rspg_buf *b, const char *oid, rspg_loc loc, rspg_diag *d)
{
    if (rspg_der_put_oid_text(b, oid) != 0)
        return rspg_fail_at(d, loc, "'%s' is not an object identifier", oid);
    return RSPG_OK;
}

/* GeneralName (RFC 5280 §4.2.1.6), context tags implicit except directoryName. */
static rspg_status put_general_name(rspg_buf *b, const rspg_general_name *gn, const rspg_subst *sub,
                                    rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    char *v = gn->value ? rspg_subst_apply(sub, gn->value) : NULL;
    switch (gn->kind) {
    case RSPG_GN_EMAIL:
        rspg_der_put_tlv(b, 0x81, v, strlen(v));
        break;
    case RSPG_GN_DNS:
        rspg_der_put_tlv(b, 0x82, v, strlen(v));
        break;
    case RSPG_GN_URI:
        rspg_der_put_tlv(b, 0x86, v, strlen(v));
        break;
    case RSPG_GN_RID: {
        rspg_buf oid;
        rspg_buf_init(&oid);
        if (rspg_der_oid_from_text(v, &oid) != 0)
            rc = rspg_fail_at(d, gn->loc, "'%s' is not an object identifier", v);
        else
            rspg_der_put_tlv(b, 0x88, oid.data, oid.len);
        rspg_buf_free(&oid);
        break;
    }
    case RSPG_GN_DIRNAME: {
        size_t m = rspg_der_begin(b, 0xA4);
        rc = rspg_encode_name(&gn->dn, sub, d, b);
        rspg_der_end(b, m);
        break;
    }
    }
    free(v);
    return rc;
}

/* SubjectKeyIdentifier and AuthorityKeyIdentifier (RFC 5280 §4.2.1.1-2): a fixed key
 * identifier from the profile, else the subject's (method 1) or the issuer's. The AKI holds
 * keyIdentifier only, as in every SGP.26 certificate. */
static void put_key_id(rspg_buf *b, const rspg_ext *e, const rspg_tbs_input *in)
{
    if (e->kind == RSPG_EXT_SKI) {
        if (e->value.len)
            rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, e->value.data, e->value.len);
        else
            rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, in->subject_key->ski,
                             sizeof(in->subject_key->ski));
        return;
    }
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    if (e->value.len)
        rspg_der_put_tlv(b, 0x80, e->value.data, e->value.len);
    else
        rspg_der_put_tlv(b, 0x80, in->issuer_key_id, in->issuer_key_id_len);
    rspg_der_end(b, m);
}

/* basicConstraints (§4.2.1.9): cA DEFAULT FALSE is encoded only when TRUE. */
static void put_basic_constraints(rspg_buf *b, const rspg_ext *e)
{
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    if (e->ca)
        rspg_der_put_bool(b, 1);
    if (e->path_len >= 0)
        rspg_der_put_uint(b, (uint64_t)e->path_len);
    rspg_der_end(b, m);
}

/* extendedKeyUsage (§4.2.1.12): SEQUENCE OF OID; certificatePolicies (§4.2.1.4): SEQUENCE OF
 * PolicyInformation { policyIdentifier } without qualifiers. */
static rspg_status put_oid_list(rspg_buf *b, const rspg_ext *e, int policies, rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    for (size_t i = 0; i < e->n_items && rc == RSPG_OK; i++) {
        size_t pi = policies ? rspg_der_begin(b, RSPG_DER_SEQUENCE) : 0;
        rc = put_oid(b, e->items[i], e->loc, d);
        if (policies)
            rspg_der_end(b, pi);
    }
    rspg_der_end(b, m);
    return rc;
}

/* subjectAltName (§4.2.1.6): GeneralNames; nameConstraints (§4.2.1.10): permittedSubtrees
 * of GeneralSubtree without minimum or maximum. */
static rspg_status put_names(rspg_buf *b, const rspg_ext *e, const rspg_tbs_input *in, rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    int nc = e->kind == RSPG_EXT_NAME_CONSTRAINTS;
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    size_t perm = nc ? rspg_der_begin(b, 0xA0) : 0;
    for (size_t i = 0; i < e->n_names && rc == RSPG_OK; i++) {
        size_t st = nc ? rspg_der_begin(b, RSPG_DER_SEQUENCE) : 0;
        rc = put_general_name(b, &e->names[i], &in->subst, d);
        if (nc)
            rspg_der_end(b, st);
    }
    if (nc)
        rspg_der_end(b, perm);
    rspg_der_end(b, m);
    return rc;
}

/* cRLDistributionPoints (§4.2.1.13): one DistributionPoint { distributionPoint [0]
 * { fullName [0] { URI } } } per URI. */
static void put_crl_dp(rspg_buf *b, const rspg_ext *e, const rspg_tbs_input *in)
{
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    for (size_t i = 0; i < e->n_items; i++) {
        char *uri = rspg_subst_apply(&in->subst, e->items[i]);
        size_t dp = rspg_der_begin(b, RSPG_DER_SEQUENCE);
        size_t dpn = rspg_der_begin(b, 0xA0);
        size_t full = rspg_der_begin(b, 0xA0);
        rspg_der_put_tlv(b, 0x86, uri, strlen(uri));
        rspg_der_end(b, full);
        rspg_der_end(b, dpn);
        rspg_der_end(b, dp);
        free(uri);
    }
    rspg_der_end(b, m);
}

/* SGP.22 v3: PermittedEins ::= SEQUENCE OF PrintableString */
static void put_permitted_eins(rspg_buf *b, const rspg_ext *e)
{
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    for (size_t i = 0; i < e->n_items; i++)
        rspg_der_put_tlv(b, RSPG_DER_PRINTABLESTRING, e->items[i], strlen(e->items[i]));
    rspg_der_end(b, m);
}

static rspg_status put_value(rspg_buf *b, const rspg_ext *e, const rspg_tbs_input *in, rspg_diag *d)
{
    switch (e->kind) {
    case RSPG_EXT_SKI:
    case RSPG_EXT_AKI:
        put_key_id(b, e, in);
        return RSPG_OK;
    case RSPG_EXT_BASIC_CONSTRAINTS:
        put_basic_constraints(b, e);
        return RSPG_OK;
    case RSPG_EXT_KEY_USAGE:
        put_key_usage(b, e->key_usage);
        return RSPG_OK;
    case RSPG_EXT_EXT_KEY_USAGE:
    case RSPG_EXT_CERT_POLICIES:
        return put_oid_list(b, e, e->kind == RSPG_EXT_CERT_POLICIES, d);
    case RSPG_EXT_SAN:
    case RSPG_EXT_NAME_CONSTRAINTS:
        return put_names(b, e, in, d);
    case RSPG_EXT_CRL_DP:
        put_crl_dp(b, e, in);
        return RSPG_OK;
    case RSPG_EXT_PERMITTED_EINS:
        put_permitted_eins(b, e);
        return RSPG_OK;
    case RSPG_EXT_RAW:
        rspg_buf_append(b, e->value.data, e->value.len);
        return RSPG_OK;
    default:
        return rspg_fail_at(d, e->loc, "unknown extension kind");
    }
}

rspg_status rspg_encode_extension(const rspg_ext *e, const rspg_tbs_input *in, rspg_diag *d,
                                  rspg_buf *out)
{
    rspg_buf value;
    rspg_buf_init(&value);
    if ((e->kind == RSPG_EXT_AKI && e->value.len == 0 && in->issuer_key_id_len == 0))
        return rspg_fail_at(d, e->loc,
                            "authority_key_identifier: the issuer has no key identifier");
    rspg_status rc = put_value(&value, e, in, d);
    if (rc == RSPG_OK) {
        size_t m = rspg_der_begin(out, RSPG_DER_SEQUENCE);
        rc = put_oid(out, e->kind == RSPG_EXT_RAW ? e->oid : ext_oids[e->kind], e->loc, d);
        if (e->critical)
            rspg_der_put_bool(out, 1); /* critical DEFAULT FALSE: encoded only when TRUE */
        rspg_der_put_tlv(out, RSPG_DER_OCTET_STRING, value.data, value.len);
        rspg_der_end(out, m);
    }
    rspg_buf_free(&value);
    return rc;
}
