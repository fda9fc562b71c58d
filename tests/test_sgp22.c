/*
 * test_sgp22.c: the SGP.22 encoders and decoders (src/lib/es9/sgp22.c, sgp22_bpp.c) against
 * bytes produced by an independent encoder: asn1tools compiling the RSPDefinitions module
 * that pySim ships (pySim/esim/asn1/rsp/rsp.asn, SGP.22 Annex H), for the same values. Also
 * the TR-03111 r||s <-> DER signature conversion and the refusal of malformed input.
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdlib.h>
#include <string.h>

#include "rspg/es9/sgp22.h"

/* asn1tools (DER) of EUICCInfo1 {svn 02 02 02, both lists [01..14]} */
static const char info1_hex[] =
    "bf20358203020202a91604140102030405060708090a0b0c0d0e0f1011121314aa1604140102030405060708"
    "090a0b0c0d0e0f1011121314";
/* EuiccSigned1 {tid 0011..FF, testsmdpplus1.example.com, challenge 00..0F, the probe's
 * EUICCInfo2, matchingId TS48V1-A-UNIQUE, tac 35290611, deviceCapabilities {}} */
static const char signed1_hex[] =
    "3081d5801000112233445566778899aabbccddeeff831974657374736d6470706c7573312e6578616d706c65"
    "2e636f6d8410000102030405060708090a0b0c0d0e0fbf22768103020301820302020283030100008409810100"
    "820400049c688505006b36d3c3860303000587030203008802029ca91604140102030405060708090a0b0c0d0e"
    "0f1011121314aa1604140102030405060708090a0b0c0d0e0f101112131404030100000c105253502d504b4947"
    "454e2d50524f4245a01b800f5453343856312d412d554e49515545a108800435290611a100";
/* ServerSigned1 {tid, euiccChallenge 10..1F, address, serverChallenge 00..0F} */
static const char ss1_hex[] =
    "3051801000112233445566778899aabbccddeeff8110101112131415161718191a1b1c1d1e1f831974657374"
    "736d6470706c7573312e6578616d706c652e636f6d8410000102030405060708090a0b0c0d0e0f";
static const char sd2_hex[] = "3015801000112233445566778899aabbccddeeff010100";
/* PrepareDownloadResponse ok {EUICCSigned2 {tid, otpk 04||00..3F}, signature 64..A3} */
static const char pdr_hex[] =
    "bf21819ea0819b3056801000112233445566778899aabbccddeeff5f494104000102030405060708090a0b0c0d"
    "0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a"
    "3b3c3d3e3f5f37406465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788"
    "898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3";
/* InitialiseSecureChannelRequest {1, tid, CRT {88, 10, "mahlzeit"}, otpk, sign 64..A3} */
static const char iscr_hex[] =
    "bf2381ae820101801000112233445566778899aabbccddeeffa61080018881011084086d61686c7a6569745f49"
    "4104000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a"
    "2b2c2d2e2f303132333435363738393a3b3c3d3e3f5f37406465666768696a6b6c6d6e6f707172737475767778"
    "797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3";

static const uint8_t tid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};

static void seq(uint8_t *p, size_t n, uint8_t first)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(first + i);
}

static void assert_hex(const rspg_buf *b, const char *hex)
{
    char *got = rspg_hex(b->data, b->len);
    for (char *q = got; *q; q++)
        *q = (char)(*q >= 'A' && *q <= 'F' ? *q - 'A' + 'a' : *q);
    assert_string_equal(got, hex);
    free(got);
}

static void test_euicc_info1(void **state)
{
    (void)state;
    uint8_t pk[20];
    seq(pk, 20, 1);
    static const uint8_t svn[3] = {2, 2, 2};
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_sgp22_encode_euicc_info1(svn, pk, &b);
    assert_hex(&b, info1_hex);
    rspg_buf_free(&b);
}

static void test_euicc_signed1(void **state)
{
    (void)state;
    uint8_t pk[20], ch[16];
    seq(pk, 20, 1);
    seq(ch, 16, 0);
    rspg_sgp22_euicc_signed1 in = {tid, 16, "testsmdpplus1.example.com", ch, pk, "TS48V1-A-UNIQUE"};
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_sgp22_encode_euicc_signed1(&in, &b);
    assert_hex(&b, signed1_hex);
    rspg_buf_free(&b);
}

static void test_server_signed1(void **state)
{
    (void)state;
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(rspg_unhex(ss1_hex, &b), 0);
    rspg_sgp22_server_signed1 s;
    assert_int_equal(rspg_sgp22_decode_server_signed1(b.data, b.len, &s), 0);
    assert_int_equal(s.tid_len, 16);
    assert_memory_equal(s.tid, tid, 16);
    assert_string_equal(s.server_address, "testsmdpplus1.example.com");
    assert_int_equal(s.euicc_challenge[0], 0x10);
    assert_int_equal(s.server_challenge[15], 0x0F);
    /* trailing octets, a truncated TLV and a short challenge are refused */
    rspg_buf_push(&b, 0);
    assert_int_equal(rspg_sgp22_decode_server_signed1(b.data, b.len, &s), -1);
    assert_int_equal(rspg_sgp22_decode_server_signed1(b.data, b.len - 5, &s), -1);
    b.data[1] = 0x50; /* outer length one short */
    assert_int_equal(rspg_sgp22_decode_server_signed1(b.data, b.len - 2, &s), -1);
    rspg_buf_free(&b);
}

static void test_smdp_signed2(void **state)
{
    (void)state;
    rspg_buf b;
    rspg_buf_init(&b);
    assert_int_equal(rspg_unhex(sd2_hex, &b), 0);
    rspg_sgp22_smdp_signed2 s;
    assert_int_equal(rspg_sgp22_decode_smdp_signed2(b.data, b.len, &s), 0);
    assert_int_equal(s.tid_len, 16);
    assert_int_equal(s.cc_required, 0);
    assert_int_equal(s.has_bpp_otpk, 0);
    b.data[b.len - 1] = 0xFF;
    assert_int_equal(rspg_sgp22_decode_smdp_signed2(b.data, b.len, &s), 0);
    assert_int_equal(s.cc_required, 1);
    rspg_buf_free(&b);
}

static void test_prepare_download_response(void **state)
{
    (void)state;
    uint8_t otpk[65], sig[64];
    otpk[0] = 4;
    seq(otpk + 1, 64, 0);
    seq(sig, 64, 0x64);
    rspg_buf s2, b;
    rspg_buf_init(&s2);
    rspg_buf_init(&b);
    rspg_sgp22_encode_euicc_signed2(tid, 16, otpk, 65, &s2);
    rspg_sgp22_encode_prepare_download_response(&s2, sig, &b);
    assert_hex(&b, pdr_hex);
    rspg_buf_free(&s2);
    rspg_buf_free(&b);
}

/* A BPP around the reference InitialiseSecureChannelRequest, with 1 x '87', 1 x '88',
 * no second '87' sequence and 2 x '86'. */
static void make_bpp(rspg_buf *b, int with_second)
{
    rspg_buf iscr;
    rspg_buf_init(&iscr);
    assert_int_equal(rspg_unhex(iscr_hex, &iscr), 0);
    size_t m = rspg_sgp22_begin(b, RSPG_SGP22_TAG_BPP);
    rspg_buf_append(b, iscr.data, iscr.len);
    size_t s = rspg_sgp22_begin(b, 0xA0);
    rspg_sgp22_put(b, 0x87, "abc", 3);
    rspg_der_end(b, s);
    s = rspg_sgp22_begin(b, 0xA1);
    rspg_sgp22_put(b, 0x88, "meta", 4);
    rspg_der_end(b, s);
    if (with_second) {
        s = rspg_sgp22_begin(b, 0xA2);
        rspg_sgp22_put(b, 0x87, "k", 1);
        rspg_der_end(b, s);
    }
    s = rspg_sgp22_begin(b, 0xA3);
    rspg_sgp22_put(b, 0x86, "p1", 2);
    rspg_sgp22_put(b, 0x86, "p2", 2);
    rspg_der_end(b, s);
    rspg_der_end(b, m);
    rspg_buf_free(&iscr);
}

static void test_bpp(void **state)
{
    (void)state;
    rspg_buf b;
    rspg_buf_init(&b);
    make_bpp(&b, 1);
    rspg_sgp22_bpp bpp;
    const char *why = "x";
    assert_int_equal(rspg_sgp22_decode_bpp(b.data, b.len, &bpp, &why), 0);
    assert_null(why);
    assert_int_equal(bpp.remote_op_id, 1);
    assert_memory_equal(bpp.tid, tid, 16);
    assert_int_equal(bpp.key_type, 0x88);
    assert_int_equal(bpp.key_len, 16);
    assert_int_equal(bpp.host_id_len, 8);
    assert_int_equal(bpp.smdp_otpk_len, 65);
    assert_int_equal(bpp.smdp_sign[0], 0x64);
    assert_int_equal(bpp.n87_first, 1);
    assert_int_equal(bpp.n88, 1);
    assert_int_equal(bpp.n87_second, 1);
    assert_int_equal(bpp.n86, 2);
    /* the signed part: remoteOpId .. smdpOtpk, as pySim's gen_init_sec_chan_signed_part */
    assert_int_equal(bpp.signed_part[0], 0x82);
    assert_int_equal(bpp.signed_len, 3 + 18 + 18 + 68);
    rspg_buf_reset(&b);
    make_bpp(&b, 0);
    assert_int_equal(rspg_sgp22_decode_bpp(b.data, b.len, &bpp, &why), 0);
    assert_int_equal(bpp.n87_second, 0);
    /* truncated: refused with a reason */
    assert_int_equal(rspg_sgp22_decode_bpp(b.data, b.len - 1, &bpp, &why), -1);
    assert_non_null(why);
    b.data[0] = 0x30;
    assert_int_equal(rspg_sgp22_decode_bpp(b.data, b.len, &bpp, &why), -1);
    rspg_buf_free(&b);
}

static void test_signature_forms(void **state)
{
    (void)state;
    uint8_t raw[64], back[64];
    seq(raw, 64, 0x80); /* both halves with the top bit set: DER adds 00 */
    raw[32] = 0;        /* s with a leading zero octet: DER trims it */
    rspg_buf der, obj;
    rspg_buf_init(&der);
    rspg_buf_init(&obj);
    rspg_sgp22_sig_from_raw(raw, &der);
    assert_int_equal(der.data[0], 0x30);
    assert_int_equal(der.data[2], 0x02);
    assert_int_equal(der.data[3], 33);
    assert_int_equal(rspg_sgp22_sig_to_raw(der.data, der.len, back), 0);
    assert_memory_equal(raw, back, 64);
    assert_int_equal(rspg_sgp22_sig_to_raw(der.data, der.len - 1, back), -1);
    rspg_sgp22_put(&obj, RSPG_SGP22_TAG_SIGNATURE, raw, 64);
    assert_int_equal(obj.data[0], 0x5F);
    assert_int_equal(obj.data[1], 0x37);
    assert_int_equal(obj.data[2], 0x40);
    memset(back, 0, sizeof(back));
    assert_int_equal(rspg_sgp22_sig_unwrap(obj.data, obj.len, back), 0);
    assert_memory_equal(raw, back, 64);
    assert_int_equal(rspg_sgp22_sig_unwrap(obj.data, obj.len - 1, back), -1);
    rspg_buf_free(&der);
    rspg_buf_free(&obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_euicc_info1),
        cmocka_unit_test(test_euicc_signed1),
        cmocka_unit_test(test_server_signed1),
        cmocka_unit_test(test_smdp_signed2),
        cmocka_unit_test(test_prepare_download_response),
        cmocka_unit_test(test_bpp),
        cmocka_unit_test(test_signature_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
