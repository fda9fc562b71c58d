/*
 * probe_expired.c: the "expired eUICC" case of a probe run, which SGP.26 does not ship: the
 * valid eUICC certificate with its validity moved into the past (notAfter a day before the
 * run, RFC 5280 §4.1.2.5), re-signed by its EUM's key from the build. Everything else (EID,
 * key, extensions) is the valid eUICC's, so an SM-DP+ that rejects it can only have checked
 * the validity (SGP.22 §5.6.3: eUICC Certificate - Expired, 8.1.3/6.3).
 */
#include <string.h>

#include "probe_internal.h"
#include "rspg/asn1/der.h"
#include "rspg/crypto/sign.h"
#include "rspg/x509/x509.h"

static void put_whole(rspg_buf *b, const rspg_der_tlv *t)
{
    rspg_buf_append(b, t->hdr, t->hdr_len + t->len);
}

rspg_status probe_expired_euicc(const rspg_buf *euicc, const char *eum_key_path, int64_t now,
                                rspg_diag *d, rspg_buf *out)
{
    rspg_x509 x;
    rspg_status rc = rspg_x509_read(euicc->data, euicc->len, &x, d);
    if (rc != RSPG_OK)
        return rc;
    rspg_key key = {0};
    rc = rspg_key_load_file(eum_key_path, d, &key);
    if (rc != RSPG_OK)
        return rc;
    int64_t not_after = now - 86400, not_before = x.not_before;
    if (not_before >= not_after)
        not_before = not_after - 365 * 86400;
    /* TBSCertificate: everything before validity, the new validity, everything after it */
    rspg_buf tbs, sig;
    rspg_buf_init(&tbs);
    rspg_buf_init(&sig);
    size_t m = rspg_der_begin(&tbs, RSPG_DER_SEQUENCE);
    rspg_buf_append(&tbs, x.tbs.value, (size_t)(x.validity.hdr - x.tbs.value));
    size_t v = rspg_der_begin(&tbs, RSPG_DER_SEQUENCE);
    rspg_der_put_time(&tbs, not_before);
    rspg_der_put_time(&tbs, not_after);
    rspg_der_end(&tbs, v);
    const uint8_t *after = x.validity.hdr + x.validity.hdr_len + x.validity.len;
    rspg_buf_append(&tbs, after, (size_t)(x.tbs.value + x.tbs.len - after));
    rspg_der_end(&tbs, m);
    rc = rspg_sign(&key, RSPG_NONCE_RFC6979, tbs.data, tbs.len, d, &sig);
    if (rc == RSPG_OK) {
        rspg_buf_reset(out);
        size_t c = rspg_der_begin(out, RSPG_DER_SEQUENCE);
        rspg_buf_append(out, tbs.data, tbs.len);
        put_whole(out, &x.sig_alg);
        rspg_der_put_bit_string(out, 0, sig.data, sig.len);
        rspg_der_end(out, c);
    }
    rspg_key_free(&key);
    rspg_buf_free(&tbs);
    rspg_buf_free(&sig);
    return rc;
}
