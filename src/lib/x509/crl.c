/*
 * crl.c: the TBSCertList encoder (RFC 5280 §5.1). The signed CRL is assembled like a
 * certificate (SEQUENCE { tbs, algorithm, BIT STRING }) by rspg_cert_sign.
 */
#include "rspg/x509/crl.h"

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/x509/cert.h"

int rspg_encode_crl_tbs(const rspg_crl_input *in, rspg_buf *out)
{
    size_t tbs = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_uint(out, 1); /* v2 */
    size_t alg = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, RSPG_OID_ECDSA_SHA256);
    rspg_der_end(out, alg);
    rspg_buf_append(out, in->issuer_name, in->issuer_name_len);
    if (rspg_der_put_time(out, in->this_update) != 0 ||
        rspg_der_put_time(out, in->next_update) != 0)
        return -1;
    if (in->n_entries > 0) { /* §5.1.2.6: absent when empty */
        size_t list = rspg_der_begin(out, RSPG_DER_SEQUENCE);
        for (size_t i = 0; i < in->n_entries; i++) {
            const rspg_crl_entry *e = &in->entries[i];
            size_t ent = rspg_der_begin(out, RSPG_DER_SEQUENCE);
            rspg_der_put_uint_bytes(out, e->serial, e->serial_len);
            if (rspg_der_put_time(out, e->date) != 0)
                return -1;
            if (e->reason_code >= 0) {
                /* §5.3.1 reasonCode: Extension { id-ce-cRLReasons, OCTET STRING { ENUMERATED } } */
                size_t exts = rspg_der_begin(out, RSPG_DER_SEQUENCE);
                size_t ext = rspg_der_begin(out, RSPG_DER_SEQUENCE);
                rspg_der_put_oid_text(out, RSPG_OID_CRL_REASON);
                uint8_t enumerated[3] = {0x0A, 0x01, (uint8_t)e->reason_code};
                rspg_der_put_tlv(out, RSPG_DER_OCTET_STRING, enumerated, sizeof(enumerated));
                rspg_der_end(out, ext);
                rspg_der_end(out, exts);
            }
            rspg_der_end(out, ent);
        }
        rspg_der_end(out, list);
    }
    size_t ctx = rspg_der_begin(out, 0xA0); /* [0] EXPLICIT Extensions */
    size_t exts = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    size_t aki = rspg_der_begin(out, RSPG_DER_SEQUENCE); /* §5.2.1 authorityKeyIdentifier */
    rspg_der_put_oid_text(out, RSPG_OID_AUTHORITY_KEY_ID);
    rspg_buf v;
    rspg_buf_init(&v);
    size_t seq = rspg_der_begin(&v, RSPG_DER_SEQUENCE);
    rspg_der_put_tlv(&v, 0x80, in->issuer_key_id, in->issuer_key_id_len);
    rspg_der_end(&v, seq);
    rspg_der_put_tlv(out, RSPG_DER_OCTET_STRING, v.data, v.len);
    rspg_der_end(out, aki);
    size_t num = rspg_der_begin(out, RSPG_DER_SEQUENCE); /* §5.2.3 cRLNumber */
    rspg_der_put_oid_text(out, RSPG_OID_CRL_NUMBER);
    rspg_buf_reset(&v);
    rspg_der_put_uint(&v, in->number);
    rspg_der_put_tlv(out, RSPG_DER_OCTET_STRING, v.data, v.len);
    rspg_der_end(out, num);
    rspg_buf_free(&v);
    rspg_der_end(out, exts);
    rspg_der_end(out, ctx);
    rspg_der_end(out, tbs);
    return 0;
}
