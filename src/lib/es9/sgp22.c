/*
 * sgp22.c: encoders and decoders of the SGP.22 structures an ES9+ client exchanges
 * (SGP.22 v2.x Annex H, RSPDefinitions, AUTOMATIC TAGS; the tags below are those the module's
 * automatic and explicit tagging gives, as SGP.22 §5.6 and §5.7 list them). DER writing and
 * reading reuse asn1/der.c; this file adds the two-octet tags SGP.22 uses ('BF20', '5F37').
 */
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/es9/sgp22.h"

static void put_tag(rspg_buf *b, unsigned tag)
{
    if (tag > 0xFF)
        rspg_buf_push(b, (uint8_t)(tag >> 8));
    rspg_buf_push(b, (uint8_t)tag);
}

size_t rspg_sgp22_begin(rspg_buf *b, unsigned tag)
{
    if (tag > 0xFF)
        rspg_buf_push(b, (uint8_t)(tag >> 8));
    return rspg_der_begin(b, (uint8_t)tag);
}

void rspg_sgp22_put(rspg_buf *b, unsigned tag, const void *p, size_t n)
{
    put_tag(b, tag);
    rspg_der_put_len(b, n);
    rspg_buf_append(b, p, n);
}

int rspg_sgp22_tlv_read(rspg_der_cursor *c, rspg_sgp22_tlv *out)
{
    const uint8_t *p = c->p;
    size_t avail = (size_t)(c->end - p), i = 1;
    if (avail < 2)
        return -1;
    unsigned tag = p[0];
    if ((p[0] & 0x1F) == 0x1F) { /* one subsequent tag octet (tags up to 127) */
        if (p[1] & 0x80)
            return -1;
        tag = (tag << 8) | p[1];
        i = 2;
    }
    if (avail < i + 1)
        return -1;
    size_t len = p[i];
    i++;
    if (len & 0x80) {
        size_t k = len & 0x7F;
        if (k == 0 || k > 3 || avail < i + k)
            return -1;
        len = 0;
        for (size_t j = 0; j < k; j++)
            len = (len << 8) | p[i + j];
        i += k;
    }
    if (avail - i < len)
        return -1;
    out->tag = tag;
    out->hdr = p;
    out->value = p + i;
    out->len = len;
    out->total = i + len;
    c->p = p + i + len;
    return 0;
}

int rspg_sgp22_tlv_expect(rspg_der_cursor *c, unsigned tag, rspg_sgp22_tlv *out)
{
    return rspg_sgp22_tlv_read(c, out) == 0 && out->tag == tag ? 0 : -1;
}

/* ---- signatures: BSI TR-03111 r||s <-> DER ECDSA-Sig-Value ---- */

static int int_to_32(const rspg_der_tlv *t, uint8_t out[32])
{
    const uint8_t *v = t->value;
    size_t n = t->len;
    while (n > 0 && v[0] == 0) {
        v++;
        n--;
    }
    if (n > 32)
        return -1;
    memset(out, 0, 32);
    memcpy(out + 32 - n, v, n);
    return 0;
}

int rspg_sgp22_sig_to_raw(const uint8_t *der, size_t n, uint8_t raw[RSPG_SGP22_SIG_LEN])
{
    rspg_der_cursor c, s;
    rspg_der_tlv seq, r, sv;
    rspg_der_cursor_init(&c, der, n);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&s, seq.value, seq.len);
    if (rspg_der_expect(&s, RSPG_DER_INTEGER, &r) != 0 ||
        rspg_der_expect(&s, RSPG_DER_INTEGER, &sv) != 0 || !rspg_der_cursor_done(&s))
        return -1;
    return int_to_32(&r, raw) == 0 && int_to_32(&sv, raw + 32) == 0 ? 0 : -1;
}

void rspg_sgp22_sig_from_raw(const uint8_t raw[RSPG_SGP22_SIG_LEN], rspg_buf *out)
{
    size_t m = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_uint_bytes(out, raw, 32);
    rspg_der_put_uint_bytes(out, raw + 32, 32);
    rspg_der_end(out, m);
}

int rspg_sgp22_sig_unwrap(const uint8_t *p, size_t n, uint8_t raw[RSPG_SGP22_SIG_LEN])
{
    rspg_der_cursor c;
    rspg_sgp22_tlv t;
    rspg_der_cursor_init(&c, p, n);
    if (rspg_sgp22_tlv_expect(&c, RSPG_SGP22_TAG_SIGNATURE, &t) != 0 || !rspg_der_cursor_done(&c) ||
        t.len != RSPG_SGP22_SIG_LEN)
        return -1;
    memcpy(raw, t.value, RSPG_SGP22_SIG_LEN);
    return 0;
}

/* ---- InitiateAuthentication (SGP.22 §5.6.1) ---- */

static void put_pkid_list(rspg_buf *b, unsigned tag, const uint8_t pkid[20])
{
    size_t m = rspg_sgp22_begin(b, tag);
    rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, pkid, 20);
    rspg_der_end(b, m);
}

void rspg_sgp22_encode_euicc_info1(const uint8_t svn[3], const uint8_t ci_pkid[20], rspg_buf *out)
{
    size_t m = rspg_sgp22_begin(out, RSPG_SGP22_TAG_EUICC_INFO1);
    rspg_sgp22_put(out, 0x82, svn, 3);
    put_pkid_list(out, 0xA9, ci_pkid); /* euiccCiPKIdListForVerification [9] */
    put_pkid_list(out, 0xAA, ci_pkid); /* euiccCiPKIdListForSigning [10] */
    rspg_der_end(out, m);
}

static int copy_octets(const rspg_sgp22_tlv *t, uint8_t *dst, size_t min, size_t max, size_t *len)
{
    if (t->len < min || t->len > max)
        return -1;
    memcpy(dst, t->value, t->len);
    if (len)
        *len = t->len;
    return 0;
}

int rspg_sgp22_decode_server_signed1(const uint8_t *p, size_t n, rspg_sgp22_server_signed1 *out)
{
    rspg_der_cursor c, s;
    rspg_sgp22_tlv seq, tid, ech, addr, sch;
    memset(out, 0, sizeof(*out));
    rspg_der_cursor_init(&c, p, n);
    if (rspg_sgp22_tlv_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&s, seq.value, seq.len);
    if (rspg_sgp22_tlv_expect(&s, 0x80, &tid) != 0 || rspg_sgp22_tlv_expect(&s, 0x81, &ech) != 0 ||
        rspg_sgp22_tlv_expect(&s, 0x83, &addr) != 0 || rspg_sgp22_tlv_expect(&s, 0x84, &sch) != 0 ||
        !rspg_der_cursor_done(&s))
        return -1;
    if (copy_octets(&tid, out->tid, 1, RSPG_SGP22_TID_MAX, &out->tid_len) != 0 ||
        copy_octets(&ech, out->euicc_challenge, 16, 16, NULL) != 0 ||
        copy_octets(&sch, out->server_challenge, 16, 16, NULL) != 0 ||
        addr.len >= sizeof(out->server_address) || memchr(addr.value, 0, addr.len))
        return -1;
    memcpy(out->server_address, addr.value, addr.len);
    return 0;
}

/* ---- AuthenticateClient (SGP.22 §5.6.3, §5.7.13) ---- */

/* EUICCInfo2 ('BF22', SGP.22 §5.7.8): a software eUICC's SGP.22 v2 capabilities. */
static void put_euicc_info2(rspg_buf *b, const uint8_t ci_pkid[20])
{
    static const uint8_t profile_version[3] = {2, 3, 1}, svn[3] = {2, 2, 2},
                         firmware[3] = {1, 0, 0}, jc[3] = {3, 0, 5}, gp[3] = {2, 3, 0},
                         pp[3] = {1, 0, 0};
    static const uint8_t ext_card[] = {0x81, 0x01, 0x00, 0x82, 0x04, 0x00, 0x04, 0x9C, 0x68};
    static const uint8_t uicc_cap[] = {0x00, 0x6B, 0x36, 0xD3, 0xC3}; /* BIT STRING */
    static const uint8_t rsp_cap[] = {0x02, 0x9C};
    static const char sas[] = "RSP-PKIGEN-PROBE";
    size_t m = rspg_sgp22_begin(b, RSPG_SGP22_TAG_EUICC_INFO2);
    rspg_sgp22_put(b, 0x81, profile_version, 3);
    rspg_sgp22_put(b, 0x82, svn, 3);
    rspg_sgp22_put(b, 0x83, firmware, 3);
    rspg_sgp22_put(b, 0x84, ext_card, sizeof(ext_card));
    rspg_sgp22_put(b, 0x85, uicc_cap, sizeof(uicc_cap));
    rspg_sgp22_put(b, 0x86, jc, 3);
    rspg_sgp22_put(b, 0x87, gp, 3);
    rspg_sgp22_put(b, 0x88, rsp_cap, sizeof(rsp_cap));
    put_pkid_list(b, 0xA9, ci_pkid);
    put_pkid_list(b, 0xAA, ci_pkid);
    rspg_sgp22_put(b, RSPG_DER_OCTET_STRING, pp, 3); /* ppVersion */
    rspg_sgp22_put(b, RSPG_DER_UTF8STRING, sas, sizeof(sas) - 1);
    rspg_der_end(b, m);
}

void rspg_sgp22_encode_euicc_signed1(const rspg_sgp22_euicc_signed1 *in, rspg_buf *out)
{
    static const uint8_t tac[4] = {0x35, 0x29, 0x06, 0x11};
    size_t m = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_sgp22_put(out, 0x80, in->tid, in->tid_len);
    rspg_sgp22_put(out, 0x83, in->server_address, strlen(in->server_address));
    rspg_sgp22_put(out, 0x84, in->server_challenge, 16);
    put_euicc_info2(out, in->ci_pkid);
    size_t ctx = rspg_der_begin(out, 0xA0); /* ctxParamsForCommonAuthentication */
    if (in->matching_id)
        rspg_sgp22_put(out, 0x80, in->matching_id, strlen(in->matching_id));
    size_t dev = rspg_der_begin(out, 0xA1); /* deviceInfo */
    rspg_sgp22_put(out, 0x80, tac, sizeof(tac));
    rspg_sgp22_put(out, 0xA1, NULL, 0); /* deviceCapabilities: none claimed */
    rspg_der_end(out, dev);
    rspg_der_end(out, ctx);
    rspg_der_end(out, m);
}

void rspg_sgp22_encode_auth_server_response(const rspg_buf *signed1,
                                            const uint8_t sig[RSPG_SGP22_SIG_LEN],
                                            const uint8_t *euicc_cert, size_t euicc_len,
                                            const uint8_t *eum_cert, size_t eum_len, rspg_buf *out)
{
    size_t m = rspg_sgp22_begin(out, RSPG_SGP22_TAG_AUTH_SERVER_RESP);
    size_t ok = rspg_der_begin(out, 0xA0); /* authenticateResponseOk */
    rspg_buf_append(out, signed1->data, signed1->len);
    rspg_sgp22_put(out, RSPG_SGP22_TAG_SIGNATURE, sig, RSPG_SGP22_SIG_LEN);
    rspg_buf_append(out, euicc_cert, euicc_len);
    rspg_buf_append(out, eum_cert, eum_len);
    rspg_der_end(out, ok);
    rspg_der_end(out, m);
}

int rspg_sgp22_decode_smdp_signed2(const uint8_t *p, size_t n, rspg_sgp22_smdp_signed2 *out)
{
    rspg_der_cursor c, s;
    rspg_sgp22_tlv seq, tid, cc, otpk;
    memset(out, 0, sizeof(*out));
    rspg_der_cursor_init(&c, p, n);
    if (rspg_sgp22_tlv_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&s, seq.value, seq.len);
    if (rspg_sgp22_tlv_expect(&s, 0x80, &tid) != 0 ||
        rspg_sgp22_tlv_expect(&s, RSPG_DER_BOOLEAN, &cc) != 0 || cc.len != 1 ||
        copy_octets(&tid, out->tid, 1, RSPG_SGP22_TID_MAX, &out->tid_len) != 0)
        return -1;
    out->cc_required = cc.value[0] != 0;
    if (!rspg_der_cursor_done(&s)) {
        if (rspg_sgp22_tlv_expect(&s, RSPG_SGP22_TAG_OTPK, &otpk) != 0 || !rspg_der_cursor_done(&s))
            return -1;
        out->has_bpp_otpk = 1;
    }
    return 0;
}

/* ---- GetBoundProfilePackage (SGP.22 §5.6.2, §5.7.5) ---- */

void rspg_sgp22_encode_euicc_signed2(const uint8_t *tid, size_t tid_len, const uint8_t *otpk,
                                     size_t otpk_len, rspg_buf *out)
{
    size_t m = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_sgp22_put(out, 0x80, tid, tid_len);
    rspg_sgp22_put(out, RSPG_SGP22_TAG_OTPK, otpk, otpk_len);
    rspg_der_end(out, m);
}

void rspg_sgp22_encode_prepare_download_response(const rspg_buf *signed2,
                                                 const uint8_t sig[RSPG_SGP22_SIG_LEN],
                                                 rspg_buf *out)
{
    size_t m = rspg_sgp22_begin(out, RSPG_SGP22_TAG_PREPARE_DL);
    size_t ok = rspg_der_begin(out, 0xA0); /* downloadResponseOk */
    rspg_buf_append(out, signed2->data, signed2->len);
    rspg_sgp22_put(out, RSPG_SGP22_TAG_SIGNATURE, sig, RSPG_SGP22_SIG_LEN);
    rspg_der_end(out, ok);
    rspg_der_end(out, m);
}
