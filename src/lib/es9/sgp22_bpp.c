/*
 * sgp22_bpp.c: the outer structure of a BoundProfilePackage (SGP.22 §2.5.4, §5.5 and the
 * ASN.1 of Annex H): 'BF36' { InitialiseSecureChannelRequest 'BF23', firstSequenceOf87 'A0',
 * sequenceOf88 'A1', secondSequenceOf87 'A2' OPTIONAL, sequenceOf86 'A3' }. The secured
 * contents ('87', '88', '86' TLVs) are counted, not decrypted: an ES9+ client proves the
 * package's shape and its smdpSign, the eUICC alone holds the session keys.
 */
#include <string.h>

#include "rspg/es9/sgp22.h"

/* InitialiseSecureChannelRequest (SGP.22 §5.5.1): remoteOpId '82', transactionId '80',
 * controlRefTemplate 'A6' { keyType '80', keyLen '81', hostId '84' }, smdpOtpk '5F49',
 * smdpSign '5F37'. smdpSign covers remoteOpId .. smdpOtpk followed by otPK.EUICC.ECKA. */
static int decode_iscr(const rspg_sgp22_tlv *t, rspg_sgp22_bpp *out, const char **why)
{
    rspg_der_cursor c, crt;
    rspg_sgp22_tlv op, tid, tmpl, kt, kl, host, otpk, sign;
    rspg_der_cursor_init(&c, t->value, t->len);
    *why = "InitialiseSecureChannelRequest is malformed";
    if (rspg_sgp22_tlv_expect(&c, 0x82, &op) != 0 || op.len != 1 ||
        rspg_sgp22_tlv_expect(&c, 0x80, &tid) != 0 || tid.len < 1 || tid.len > RSPG_SGP22_TID_MAX ||
        rspg_sgp22_tlv_expect(&c, 0xA6, &tmpl) != 0 ||
        rspg_sgp22_tlv_expect(&c, RSPG_SGP22_TAG_OTPK, &otpk) != 0 ||
        rspg_sgp22_tlv_expect(&c, RSPG_SGP22_TAG_SIGNATURE, &sign) != 0 ||
        !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&crt, tmpl.value, tmpl.len);
    if (rspg_sgp22_tlv_expect(&crt, 0x80, &kt) != 0 || kt.len != 1 ||
        rspg_sgp22_tlv_expect(&crt, 0x81, &kl) != 0 || kl.len != 1 ||
        rspg_sgp22_tlv_expect(&crt, 0x84, &host) != 0 || host.len > 16 ||
        !rspg_der_cursor_done(&crt))
        return -1;
    if (sign.len != RSPG_SGP22_SIG_LEN) {
        *why = "smdpSign is not 64 octets (r||s)";
        return -1;
    }
    out->remote_op_id = op.value[0];
    memcpy(out->tid, tid.value, tid.len);
    out->tid_len = tid.len;
    out->key_type = kt.value[0];
    out->key_len = kl.value[0];
    out->host_id_len = host.len;
    out->smdp_otpk = otpk.value;
    out->smdp_otpk_len = otpk.len;
    out->signed_part = op.hdr;
    out->signed_len = (size_t)(sign.hdr - op.hdr);
    memcpy(out->smdp_sign, sign.value, RSPG_SGP22_SIG_LEN);
    return 0;
}

/* Counts the members of a "sequenceOfNN" whose members all carry tag MEMBER. */
static int count_members(const rspg_sgp22_tlv *t, unsigned member, size_t *n)
{
    rspg_der_cursor c;
    rspg_sgp22_tlv m;
    *n = 0;
    rspg_der_cursor_init(&c, t->value, t->len);
    while (!rspg_der_cursor_done(&c)) {
        if (rspg_sgp22_tlv_expect(&c, member, &m) != 0)
            return -1;
        (*n)++;
    }
    return 0;
}

int rspg_sgp22_decode_bpp(const uint8_t *p, size_t n, rspg_sgp22_bpp *out, const char **why)
{
    rspg_der_cursor c, s;
    rspg_sgp22_tlv bpp, iscr, t;
    memset(out, 0, sizeof(*out));
    rspg_der_cursor_init(&c, p, n);
    *why = "not a BoundProfilePackage ('BF36')";
    if (rspg_sgp22_tlv_expect(&c, RSPG_SGP22_TAG_BPP, &bpp) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&s, bpp.value, bpp.len);
    *why = "no InitialiseSecureChannelRequest ('BF23')";
    if (rspg_sgp22_tlv_expect(&s, RSPG_SGP22_TAG_ISCR, &iscr) != 0 ||
        decode_iscr(&iscr, out, why) != 0)
        return -1;
    *why = "firstSequenceOf87 ('A0' of '87') is missing or malformed";
    if (rspg_sgp22_tlv_expect(&s, 0xA0, &t) != 0 || count_members(&t, 0x87, &out->n87_first) != 0)
        return -1;
    *why = "sequenceOf88 ('A1' of '88') is missing or malformed";
    if (rspg_sgp22_tlv_expect(&s, 0xA1, &t) != 0 || count_members(&t, 0x88, &out->n88) != 0)
        return -1;
    *why = "secondSequenceOf87 / sequenceOf86 ('A2' / 'A3') is missing or malformed";
    if (rspg_sgp22_tlv_read(&s, &t) != 0)
        return -1;
    if (t.tag == 0xA2) {
        if (count_members(&t, 0x87, &out->n87_second) != 0 || rspg_sgp22_tlv_read(&s, &t) != 0)
            return -1;
    }
    if (t.tag != 0xA3 || count_members(&t, 0x86, &out->n86) != 0 || !rspg_der_cursor_done(&s))
        return -1;
    *why = NULL;
    return 0;
}
