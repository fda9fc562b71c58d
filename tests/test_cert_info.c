/*
 * test_cert_info.c: the certificate reader (src/lib/x509/cert_info.c). Real GSMA SGP.26
 * certificates from the shared reference folder are decoded field by field against
 * PROFILE.md §7 (Variant O EUM: KU keyCertSign critical, BC cA pathLen 0, policy
 * 2.23.146.1.2.1.2 -> eum/v2, SAN RID 2.999.5, CRLDP CRL-2, nameConstraints O + EIN prefix;
 * eUICC: EID serialNumber, AKI = the EUM's SKI; DP2 TLS: EKU serverAuth+clientAuth, policy
 * non-critical, SAN DNS + RID, two CRLDP URIs; eIM sign: only AKI and KU, no role). Hand-made
 * certificates test the strict rules: a duplicated extension, a malformed keyUsage, an empty
 * extension OID, serials that are empty, negative, non-minimal or 21 octets are refused with
 * RSPG_E_INPUT and a named reason in strict mode, and recorded in lenient mode; junk is "not
 * a certificate". Exits 77 (skip) only when the shared folder is missing.
 */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/x509/cert_info.h"
#include "test_util.h"

#define REF "reference/sgp26/"

static rspg_buf load(const char *rel)
{
    rspg_buf b;
    rspg_buf_init(&b);
    char *p = tu_shared(rel);
    assert_int_equal(tu_read_file(p, &b), 0);
    free(p);
    return b;
}

static void decode_ok(const rspg_buf *b, rspg_cert_info *ci)
{
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_cert_info_read(b->data, b->len, RSPG_CI_STRICT, ci, &d), RSPG_OK);
    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
}

static void assert_text(const rspg_der_tlv *v, const char *want)
{
    char buf[256];
    assert_int_equal(rspg_cert_info_text(v, buf, sizeof(buf)), 0);
    assert_string_equal(buf, want);
}

static void assert_hex(const uint8_t *p, size_t n, const char *want)
{
    char *h = rspg_hex(p, n);
    assert_string_equal(h, want);
    free(h);
}

static void test_eum_variant_o(void **state)
{
    (void)state;
    rspg_buf b = load(REF "openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der");
    rspg_cert_info ci;
    decode_ok(&b, &ci);
    assert_null(ci.problem);
    assert_int_equal(ci.x.n_exts, 8);
    assert_int_equal(ci.ku, RSPG_KU_KEY_CERT_SIGN);
    assert_true(ci.ext[RSPG_XID_KU].critical);
    assert_true(ci.ca);
    assert_int_equal(ci.path_len, 0);
    assert_true(ci.ext[RSPG_XID_BC].critical);
    assert_int_equal(ci.n_policies, 1);
    assert_string_equal(ci.policies[0].text, "2.23.146.1.2.1.2");
    assert_int_equal(ci.role, RSPG_ROLE_EUM);
    assert_int_equal(ci.role_v3, 0);
    assert_true(ci.ext[RSPG_XID_CP].critical);
    assert_int_equal(ci.n_san, 1);
    assert_int_equal(ci.san[0].tag, 0x88);
    char *rid = rspg_der_oid_to_text(ci.san[0].value, ci.san[0].len);
    assert_string_equal(rid, "2.999.5");
    free(rid);
    assert_int_equal(ci.n_crldp, 1);
    assert_int_equal(ci.crldp[0].tag, 0x86);
    assert_text(&ci.crldp[0], "http://ci.test.example.com/CRL-2.crl");
    assert_true(ci.ext[RSPG_XID_NC].critical);
    assert_int_equal(ci.n_nc_permitted, 1);
    assert_int_equal(ci.nc_permitted[0].tag, 0xA4);
    assert_int_equal(ci.nc_dirnames, 1);
    assert_int_equal(ci.n_nc_orgs, 1);
    assert_text(&ci.nc_orgs[0], "RSP Test EUM");
    assert_int_equal(ci.n_nc_prefixes, 1);
    assert_text(&ci.nc_prefixes[0], "89049032");
    assert_int_equal(ci.n_eins, 0);
    assert_true(rspg_cert_info_constrains(&ci));
    assert_hex(ci.ski, ci.ski_len, "DD3DA24D350C1CC5D0AF0965F40EC34C5EE409F1");
    assert_hex(ci.aki, ci.aki_len, "F54172BDF98A95D65CBEB88A38A1C11D800A85C3");
    assert_true(ci.aki_keyid_only);
    assert_text(&ci.subject_o, "RSP Test EUM");
    assert_text(&ci.subject_cn, "EUM Test");
    assert_int_equal(ci.subject_serial.len, 0);
    assert_non_null(ci.curve);
    assert_string_equal(ci.curve->name, "prime256v1");
    assert_true(ci.sig_alg_ok);
    assert_int_equal(ci.x.not_after - ci.x.not_before, 12410LL * 86400);
    rspg_buf_free(&b);
}

static void test_euicc_variant_o(void **state)
{
    (void)state;
    rspg_buf b = load(REF "openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der");
    rspg_cert_info ci;
    decode_ok(&b, &ci);
    assert_int_equal(ci.x.n_exts, 4);
    assert_int_equal(ci.ku, RSPG_KU_DIGITAL_SIGNATURE);
    assert_int_equal(ci.role, RSPG_ROLE_EUICC);
    assert_int_equal(ci.role_v3, 0);
    assert_false(ci.ext[RSPG_XID_BC].present);
    assert_null(rspg_cert_info_ext(&ci, RSPG_XID_BC));
    assert_false(ci.ca);
    assert_int_equal(ci.path_len, -1);
    assert_text(&ci.subject_serial, "89049032123451234512345678901235");
    assert_text(&ci.subject_cn, "Test eUICC");
    assert_hex(ci.aki, ci.aki_len, "DD3DA24D350C1CC5D0AF0965F40EC34C5EE409F1");
    assert_hex(ci.ski, ci.ski_len, "A52476AF5D50AA376437CCB1DA2172EF45F484F0");
    assert_hex(ci.x.serial.value, ci.x.serial.len, "0089049032123451234512345678901235");
    assert_false(rspg_cert_info_constrains(&ci));
    rspg_buf_free(&b);
}

static void test_dp_tls(void **state)
{
    (void)state;
    rspg_buf b = load(REF "osmocom-pysim/DPtls/CERT_S_SM_DP2_TLS.der");
    rspg_cert_info ci;
    decode_ok(&b, &ci);
    assert_true(ci.eku_server_auth);
    assert_true(ci.eku_client_auth);
    assert_int_equal(ci.n_eku, 2);
    assert_true(rspg_cert_info_has_eku(&ci, RSPG_OID_EKU_SERVER_AUTH));
    assert_false(rspg_cert_info_has_eku(&ci, RSPG_OID_EKU_CODE_SIGNING));
    assert_true(ci.ext[RSPG_XID_EKU].critical);
    assert_int_equal(ci.role, RSPG_ROLE_DP_TLS);
    assert_false(ci.ext[RSPG_XID_CP].critical);
    assert_int_equal(ci.n_san, 2);
    assert_int_equal(ci.san[0].tag, 0x82);
    assert_text(&ci.san[0], "testsmdpplus2.example.com");
    assert_int_equal(ci.san[1].tag, 0x88);
    assert_int_equal(ci.n_crldp, 2);
    assert_text(&ci.crldp[1], "http://ci.test.example.com/CRL-B.crl");
    assert_text(&ci.subject_o, "ACME");
    assert_int_equal(ci.x.not_after - ci.x.not_before, 398LL * 86400);
    rspg_buf_free(&b);
}

static void test_eim_sign(void **state)
{
    (void)state;
    rspg_buf b = load(REF "openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der");
    rspg_cert_info ci;
    decode_ok(&b, &ci);
    assert_int_equal(ci.x.n_exts, 2);
    assert_null(ci.ski);
    assert_false(ci.ext[RSPG_XID_SKI].present);
    assert_ptr_equal(rspg_cert_info_ext(&ci, RSPG_XID_AKI), &ci.x.exts[0]);
    assert_int_equal(ci.role, -1);
    assert_int_equal(ci.n_policies, 0);
    assert_hex(ci.x.serial.value, ci.x.serial.len, "03FF0AFF0009990101FF01");
    rspg_buf_free(&b);
}

/* ---- hand-made certificates (no valid signature: the reader does not verify) ---- */

static void put_ext(rspg_buf *b, const char *oid, int critical, const uint8_t *v, size_t n)
{
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    if (oid)
        rspg_der_put_oid_text(b, oid);
    else
        rspg_der_put_tlv(b, RSPG_DER_OID, "", 0);
    if (critical)
        rspg_der_put_bool(b, 1);
    rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, v, n);
    rspg_der_end(b, m);
}

static const uint8_t ku_sign[] = {0x03, 0x02, 0x07, 0x80};

/* A certificate with SERIAL (N octets, raw INTEGER contents) and the extension DER EXTS. */
static void make_cert(rspg_buf *out, const uint8_t *serial, size_t n, const rspg_buf *exts)
{
    static const uint8_t pub[] = {0x00, 0x04, 0x01, 0x02};
    rspg_buf_init(out);
    size_t c = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    size_t t = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    size_t v = rspg_der_begin(out, 0xA0);
    rspg_der_put_uint(out, 2);
    rspg_der_end(out, v);
    rspg_der_put_tlv(out, RSPG_DER_INTEGER, serial, n);
    size_t a = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, RSPG_OID_ECDSA_WITH_SHA256);
    rspg_der_end(out, a);
    rspg_der_put_tlv(out, RSPG_DER_SEQUENCE, "", 0); /* issuer */
    size_t val = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_time(out, 1700000000);
    rspg_der_put_time(out, 1800000000);
    rspg_der_end(out, val);
    rspg_der_put_tlv(out, RSPG_DER_SEQUENCE, "", 0); /* subject */
    size_t s = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    size_t sa = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, RSPG_OID_EC_PUBLIC_KEY);
    rspg_der_put_oid_text(out, RSPG_OID_CURVE_PRIME256V1);
    rspg_der_end(out, sa);
    rspg_der_put_tlv(out, RSPG_DER_BIT_STRING, pub, sizeof(pub));
    rspg_der_end(out, s);
    if (exts && exts->len) {
        size_t e = rspg_der_begin(out, 0xA3);
        rspg_der_put_tlv(out, RSPG_DER_SEQUENCE, exts->data, exts->len);
        rspg_der_end(out, e);
    }
    rspg_der_end(out, t);
    a = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, RSPG_OID_ECDSA_WITH_SHA256);
    rspg_der_end(out, a);
    rspg_der_put_tlv(out, RSPG_DER_BIT_STRING, "\0", 1);
    rspg_der_end(out, c);
}

/* Strict: refused with RSPG_E_INPUT and a message containing WANT; lenient: decoded with
 * the same problem recorded. */
static void expect_refused(const uint8_t *serial, size_t n, const rspg_buf *exts, const char *want)
{
    rspg_buf der;
    rspg_cert_info ci;
    rspg_diag d;
    make_cert(&der, serial, n, exts);
    rspg_diag_init(&d);
    assert_int_equal(rspg_cert_info_read(der.data, der.len, RSPG_CI_STRICT, &ci, &d), RSPG_E_INPUT);
    assert_int_equal(d.count, 1);
    if (strstr(d.entries[0].message, want) == NULL)
        fail_msg("'%s' does not say '%s'", d.entries[0].message, want);
    rspg_diag_fini(&d);
    rspg_diag_init(&d);
    assert_int_equal(rspg_cert_info_read(der.data, der.len, RSPG_CI_LENIENT, &ci, &d), RSPG_OK);
    assert_non_null(ci.problem);
    assert_non_null(strstr(ci.problem, want));
    rspg_diag_fini(&d);
    rspg_buf_free(&der);
}

static void test_hand_made_good(void **state)
{
    (void)state;
    rspg_buf exts, der;
    rspg_cert_info ci;
    rspg_buf_init(&exts);
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_sign, sizeof(ku_sign));
    make_cert(&der, (const uint8_t *)"\x01", 1, &exts);
    decode_ok(&der, &ci);
    assert_int_equal(ci.ku, RSPG_KU_DIGITAL_SIGNATURE);
    assert_int_equal(ci.ext[RSPG_XID_KU].count, 1);
    rspg_buf_free(&der);
    rspg_buf_free(&exts);
}

static void test_strict_rules(void **state)
{
    (void)state;
    static const uint8_t one[] = {0x01}, neg[] = {0x80}, nonmin[] = {0x00, 0x01};
    uint8_t long21[21];
    memset(long21, 0x11, sizeof(long21));
    rspg_buf exts;
    rspg_buf_init(&exts);
    expect_refused(NULL, 0, NULL, "serial number is empty");
    expect_refused(neg, 1, NULL, "negative");
    expect_refused(nonmin, 2, NULL, "not minimally encoded");
    expect_refused(long21, 21, NULL, "longer than 20 octets");
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_sign, sizeof(ku_sign));
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_sign, sizeof(ku_sign));
    expect_refused(one, 1, &exts, "duplicated extension keyUsage");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, (const uint8_t *)"\x04\x00", 2);
    expect_refused(one, 1, &exts, "malformed keyUsage");
    rspg_buf_reset(&exts);
    put_ext(&exts, NULL, 0, ku_sign, sizeof(ku_sign));
    expect_refused(one, 1, &exts, "extension OID is empty");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_BASIC_CONSTRAINTS, 1, (const uint8_t *)"\x30\x03\x02\x01\xFF", 5);
    expect_refused(one, 1, &exts, "malformed basicConstraints");
    rspg_buf_free(&exts);
}

/* The extension with raw OID content octets OID (N octets). */
static void put_ext_raw(rspg_buf *b, const uint8_t *oid, size_t n, const uint8_t *v, size_t vn)
{
    size_t m = rspg_der_begin(b, RSPG_DER_SEQUENCE);
    rspg_der_put_tlv(b, RSPG_DER_OID, oid, n);
    rspg_der_put_tlv(b, RSPG_DER_OCTET_STRING, v, vn);
    rspg_der_end(b, m);
}

/* The rule name of a refusal (RSPG_CI_RULE_*) for EXTS. */
static const char *rule_of(const uint8_t *serial, size_t n, const rspg_buf *exts)
{
    rspg_buf der;
    rspg_cert_info ci;
    rspg_diag d;
    make_cert(&der, serial, n, exts);
    rspg_diag_init(&d);
    assert_int_equal(rspg_cert_info_read(der.data, der.len, RSPG_CI_STRICT, &ci, &d), RSPG_E_INPUT);
    rspg_diag_fini(&d);
    rspg_buf_free(&der);
    return ci.problem_rule;
}

static void test_strict_der_values(void **state)
{
    (void)state;
    static const uint8_t one[] = {0x01}, zero[] = {0x00};
    static const uint8_t endless[] = {0x55, 0x1D, 0x8F}, padded[] = {0x55, 0x80, 0x1D};
    static const uint8_t ku_trailing_zero[] = {0x03, 0x02, 0x00, 0x80};
    static const uint8_t ku_padding_set[] = {0x03, 0x02, 0x07, 0x81};
    static const uint8_t bc_false[] = {0x30, 0x03, 0x01, 0x01, 0x00};
    static const uint8_t bc_pathlen_padded[] = {0x30, 0x07, 0x01, 0x01, 0xFF,
                                                0x02, 0x02, 0x00, 0x01};
    static const uint8_t eku_empty[] = {0x30, 0x00};
    rspg_buf exts;
    rspg_buf_init(&exts);
    expect_refused(zero, 1, NULL, "serial number is zero");
    assert_string_equal(rule_of(zero, 1, NULL), RSPG_CI_RULE_SERIAL_NOT_POSITIVE);
    put_ext_raw(&exts, endless, sizeof(endless), ku_sign, sizeof(ku_sign));
    expect_refused(one, 1, &exts, "overlong or malformed");
    assert_string_equal(rule_of(one, 1, &exts), RSPG_CI_RULE_OID_INVALID);
    rspg_buf_reset(&exts);
    put_ext_raw(&exts, padded, sizeof(padded), ku_sign, sizeof(ku_sign));
    expect_refused(one, 1, &exts, "overlong or malformed");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_trailing_zero, sizeof(ku_trailing_zero));
    expect_refused(one, 1, &exts, "malformed keyUsage");
    assert_string_equal(rule_of(one, 1, &exts), RSPG_CI_RULE_EXT_MALFORMED);
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_padding_set, sizeof(ku_padding_set));
    expect_refused(one, 1, &exts, "malformed keyUsage");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_BASIC_CONSTRAINTS, 1, bc_false, sizeof(bc_false));
    expect_refused(one, 1, &exts, "malformed basicConstraints");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_BASIC_CONSTRAINTS, 1, bc_pathlen_padded, sizeof(bc_pathlen_padded));
    expect_refused(one, 1, &exts, "malformed basicConstraints");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_EXT_KEY_USAGE, 0, eku_empty, sizeof(eku_empty));
    expect_refused(one, 1, &exts, "malformed extendedKeyUsage");
    rspg_buf_reset(&exts);
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_sign, sizeof(ku_sign));
    put_ext(&exts, RSPG_OID_KEY_USAGE, 1, ku_sign, sizeof(ku_sign));
    assert_string_equal(rule_of(one, 1, &exts), RSPG_CI_RULE_EXT_DUPLICATE);
    rspg_buf_free(&exts);
}

/* X.690 §8.19: the OID content rules of the reader. */
static void test_oid_ok(void **state)
{
    (void)state;
    static const uint8_t good[] = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
    static const uint8_t nine[] = {0x2B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    static const uint8_t ten[] = {0x2B, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    static const uint8_t endless[] = {0x2B, 0x86}, padded[] = {0x2B, 0x80, 0x01};
    assert_true(rspg_x509_oid_ok(good, sizeof(good)));
    assert_true(rspg_x509_oid_ok(nine, sizeof(nine)));
    assert_false(rspg_x509_oid_ok(ten, sizeof(ten)));
    assert_false(rspg_x509_oid_ok(good, 0));
    assert_false(rspg_x509_oid_ok(endless, sizeof(endless)));
    assert_false(rspg_x509_oid_ok(padded, sizeof(padded)));
}

static void test_not_a_certificate(void **state)
{
    (void)state;
    rspg_cert_info ci;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_cert_info_read((const uint8_t *)"junk", 4, RSPG_CI_LENIENT, &ci, &d),
                     RSPG_E_INPUT);
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.entries[0].message, "not a DER certificate"));
    rspg_diag_fini(&d);
}

int main(void)
{
    if (!tu_have_shared()) {
        fprintf(stderr, "the shared reference folder is missing: skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eum_variant_o),
        cmocka_unit_test(test_euicc_variant_o),
        cmocka_unit_test(test_dp_tls),
        cmocka_unit_test(test_eim_sign),
        cmocka_unit_test(test_hand_made_good),
        cmocka_unit_test(test_strict_rules),
        cmocka_unit_test(test_strict_der_values),
        cmocka_unit_test(test_oid_ok),
        cmocka_unit_test(test_not_a_certificate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
