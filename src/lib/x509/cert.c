/*
 * cert.c: the TBSCertificate and Certificate encoders (RFC 5280 §4.1). Field by field,
 * as GSMA's SGP.26 certificates are: version v3, a positive serial, ecdsa-with-SHA256
 * without parameters (RFC 5758 §3.2), one attribute per RDN with the profile's string
 * types, UTCTime through 2049 and GeneralizedTime after (§4.1.2.5), and the extensions
 * exactly as the profile lists them.
 */
#include "rspg/x509/cert.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"

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
