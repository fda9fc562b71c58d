/*
 * crl.c: the TBSCertList encoder (RFC 5280 §5.1). The signed CRL is assembled like a
 * certificate (SEQUENCE { tbs, algorithm, BIT STRING }) by rspg_cert_sign.
 */
#include "rspg/crl.h"

#include "rspg/cert.h"
#include "rspg/der.h"

int rspg_encode_crl_tbs(const rspg_crl_input *in, rspg_buf *out)
{
    size_t tbs = der_begin(out, DER_SEQUENCE);
    der_put_uint(out, 1); /* v2 */
    size_t alg = der_begin(out, DER_SEQUENCE);
    der_put_oid_text(out, RSPG_OID_ECDSA_SHA256);
    der_end(out, alg);
    rspg_buf_append(out, in->issuer_name, in->issuer_name_len);
    if (der_put_time(out, in->this_update) != 0 || der_put_time(out, in->next_update) != 0)
        return -1;
    if (in->n_entries > 0) { /* §5.1.2.6: absent when empty */
        size_t list = der_begin(out, DER_SEQUENCE);
        for (size_t i = 0; i < in->n_entries; i++) {
            const rspg_crl_entry *e = &in->entries[i];
            size_t ent = der_begin(out, DER_SEQUENCE);
            der_put_uint_bytes(out, e->serial, e->serial_len);
            if (der_put_time(out, e->date) != 0)
                return -1;
            if (e->reason_code >= 0) {
                /* §5.3.1 reasonCode: Extension { id-ce-cRLReasons, OCTET STRING { ENUMERATED } } */
                size_t exts = der_begin(out, DER_SEQUENCE);
                size_t ext = der_begin(out, DER_SEQUENCE);
                der_put_oid_text(out, "2.5.29.21");
                uint8_t enumerated[3] = {0x0A, 0x01, (uint8_t)e->reason_code};
                der_put_tlv(out, DER_OCTET_STRING, enumerated, sizeof(enumerated));
                der_end(out, ext);
                der_end(out, exts);
            }
            der_end(out, ent);
        }
        der_end(out, list);
    }
    size_t ctx = der_begin(out, 0xA0); /* [0] EXPLICIT Extensions */
    size_t exts = der_begin(out, DER_SEQUENCE);
    size_t aki = der_begin(out, DER_SEQUENCE); /* §5.2.1 authorityKeyIdentifier */
    der_put_oid_text(out, "2.5.29.35");
    rspg_buf v;
    rspg_buf_init(&v);
    size_t seq = der_begin(&v, DER_SEQUENCE);
    der_put_tlv(&v, 0x80, in->issuer_key_id, in->issuer_key_id_len);
    der_end(&v, seq);
    der_put_tlv(out, DER_OCTET_STRING, v.data, v.len);
    der_end(out, aki);
    size_t num = der_begin(out, DER_SEQUENCE); /* §5.2.3 cRLNumber */
    der_put_oid_text(out, "2.5.29.20");
    rspg_buf_reset(&v);
    der_put_uint(&v, in->number);
    der_put_tlv(out, DER_OCTET_STRING, v.data, v.len);
    der_end(out, num);
    rspg_buf_free(&v);
    der_end(out, exts);
    der_end(out, ctx);
    der_end(out, tbs);
    return 0;
}
