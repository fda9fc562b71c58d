/*
 * test_extension.c: the Extension encoders (src/lib/extension.c, rspg_encode_extension)
 * against the exact bytes GSMA's real SGP.26 certificates carry (PROFILE.md section 7):
 * SKI (computed by method 1 from the Test CI public key, and fixed), AKI (from the issuer's
 * key id, fixed, or refused without one), basicConstraints (CI cA, EUM pathLen 0/1, empty),
 * keyUsage (digitalSignature, keyCertSign+cRLSign, keyCertSign, keyAgreement, and all 511
 * bit sets against libcrypto's named-bit-list DER), EKU serverAuth+clientAuth critical,
 * certificatePolicies critical and non-critical, SAN registeredID 2.999.x, DNS+RID
 * (testsmdpplus1), email and URI, CRL distribution points with one and two URIs and
 * ${VARIANT} substitution, the EUM nameConstraints (O + serialNumber EIN, and the v3 O-only
 * form), the v3 permittedEins extension (extnValue 300A13083839303439303332, non-critical,
 * gsma-cert-rules.md §1.4), raw extensions, and bad OIDs. With ../shared present, whole
 * extension lists for the real CI (NIST, BRP), EUM, eUICC, eIM and SM-DP+ TLS certificates
 * are compared, extension by extension, with the parsed DER; and a tiny YAML profile is
 * loaded and its extensions encoded to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

/* The SGP.26 Test CI (NIST) public key, its SKI, and the EUM's SKI. */
#define CI_PUB                                                                                     \
    "04940657A673DC288F89D52EA8A47704992791F9C34B0036E633E2D0CBA9454D65DB32EB17981799D2F24388"     \
    "EE2B95C1094546C97901CEAEBA9650919A2E20D229"
#define CI_SKI "F54172BDF98A95D65CBEB88A38A1C11D800A85C3"
#define EUM_SKI "DD3DA24D350C1CC5D0AF0965F40EC34C5EE409F1"
#define CI_BRP_SKI "C0BC70BA36929D43B467FF57570530E57AB8FCD8"

/* Expected Extension DER, from PROFILE.md section 7 (GSMA's real certificates). */
#define X_CI_SKI "301D0603551D0E04160414" CI_SKI
#define X_EUM_SKI "301D0603551D0E04160414" EUM_SKI
#define X_AKI_CI "301F0603551D23041830168014" CI_SKI
#define X_AKI_EUM "301F0603551D23041830168014" EUM_SKI
#define X_BC_CI "300F0603551D130101FF040530030101FF"
#define X_BC_PATHLEN0 "30120603551D130101FF040830060101FF020100"
#define X_KU_DS "300E0603551D0F0101FF040403020780"
#define X_KU_CERT_CRL "300E0603551D0F0101FF040403020106"
#define X_KU_CERT "300E0603551D0F0101FF040403020204"
#define X_EKU_TLS "30200603551D250101FF0416301406082B0601050507030106082B06010505070302"
#define X_CP_CI "30170603551D200101FF040D300B3009060767811201020100"
#define X_CP_EUICC "30170603551D200101FF040D300B3009060767811201020101"
#define X_CP_EUM "30170603551D200101FF040D300B3009060767811201020102"
#define X_CP_DPTLS "30140603551D20040D300B3009060767811201020103"
#define X_SAN_CI "300E0603551D11040730058803883701"
#define X_SAN_EUM "300E0603551D11040730058803883705"
#define X_SAN_DP1_TLS                                                                              \
    "30290603551D1104223020821974657374736D6470706C7573312E6578616D706C652E636F6D880388370A"
#define CRL_URI_HEX(c)                                                                             \
    "8624687474703A2F2F63692E746573742E6578616D706C652E636F6D2F43524C2D" c "2E63726C"
#define X_CRLDP_12                                                                                 \
    "30610603551D1F045A3058302AA028A026" CRL_URI_HEX("31") "302AA028A026" CRL_URI_HEX("32")
#define X_CRLDP_AB                                                                                 \
    "30610603551D1F045A3058302AA028A026" CRL_URI_HEX("41") "302AA028A026" CRL_URI_HEX("42")
#define X_CRLDP_2 "30350603551D1F042E302C302AA028A026" CRL_URI_HEX("32")
#define X_NC_EUM                                                                                   \
    "303E0603551D1E0101FF04343032A030302EA42C302A31153013060355040A0C0C52535020546573742045554D"   \
    "3111300F060355040513083839303439303332"
#define X_NC_EUM_V3                                                                                \
    "302B0603551D1E0101FF0421301FA01D301BA419301731153013060355040A0C0C52535020546573742045554D"
#define X_EINS                                                                                     \
    "30170607678112010202"                                                                         \
    "00"                                                                                           \
    "040C"                                                                                         \
    "300A13083839303439303332"

/* ---- fixtures and builders ------------------------------------------------------ */

typedef struct fixture {
    rspg_key key;       /* public-only: the Test CI key */
    rspg_buf issuer_id; /* the Test CI SKI */
    rspg_tbs_input in;
} fixture;

static int setup(void **state)
{
    fixture *f = rspg_xcalloc(1, sizeof(*f));
    rspg_buf pub;
    rspg_diag d;
    rspg_buf_init(&pub);
    rspg_diag_init(&d);
    if (rspg_unhex(CI_PUB, &pub) != 0 ||
        rspg_key_from_public(rspg_curve_find("nist"), pub.data, pub.len, &d, &f->key) != RSPG_OK)
        return -1;
    rspg_buf_init(&f->issuer_id);
    if (rspg_unhex(CI_SKI, &f->issuer_id) != 0)
        return -1;
    f->in.subject_key = &f->key;
    f->in.issuer_key_id = f->issuer_id.data;
    f->in.issuer_key_id_len = f->issuer_id.len;
    rspg_buf_free(&pub);
    rspg_diag_fini(&d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rspg_key_free(&f->key);
    rspg_buf_free(&f->issuer_id);
    free(f);
    return 0;
}

/* SKI/AKI with a fixed key identifier, or raw with a value (free e->value after use). */
static rspg_ext with_value(rspg_ext_kind kind, int critical, const char *hex)
{
    rspg_ext e = tu_ext(kind, critical);
    rspg_buf_init(&e.value);
    assert_int_equal(rspg_unhex(hex, &e.value), 0);
    return e;
}

static void assert_hex(const uint8_t *p, size_t n, const char *hex)
{
    rspg_buf want;
    rspg_buf_init(&want);
    assert_int_equal(rspg_unhex(hex, &want), 0);
    char *got = rspg_hex(p, n), *exp = rspg_hex(want.data, want.len);
    assert_string_equal(got, exp);
    free(got);
    free(exp);
    rspg_buf_free(&want);
}

/* Encodes E with IN and compares it with HEX. */
static void check_ext(const rspg_ext *e, const rspg_tbs_input *in, const char *hex)
{
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    rspg_status rc = rspg_encode_extension(e, in, &d, &out);
    if (rc != RSPG_OK)
        for (size_t i = 0; i < d.count; i++)
            print_error("%s\n", d.entries[i].message);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.count, 0);
    assert_hex(out.data, out.len, hex);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

/* Encodes E expecting failure with a message containing NEEDLE. */
static void check_ext_fails(const rspg_ext *e, const rspg_tbs_input *in, const char *needle)
{
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_encode_extension(e, in, &d, &out), RSPG_E_PROFILE);
    assert_int_equal(d.errors, 1);
    if (strstr(d.entries[0].message, needle) == NULL)
        print_error("message '%s' lacks '%s'\n", d.entries[0].message, needle);
    assert_non_null(strstr(d.entries[0].message, needle));
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

/* The extnValue (OCTET STRING contents) of an encoded Extension. */
static void extn_value(const rspg_buf *ext, rspg_der_tlv *value)
{
    rspg_der_cursor c, in;
    rspg_der_tlv seq, t;
    rspg_der_cursor_init(&c, ext->data, ext->len);
    assert_int_equal(rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq), 0);
    assert_true(rspg_der_cursor_done(&c));
    rspg_der_cursor_init(&in, seq.value, seq.len);
    assert_int_equal(rspg_der_expect(&in, RSPG_DER_OID, &t), 0);
    if (rspg_der_peek_tag(&in) == RSPG_DER_BOOLEAN)
        assert_int_equal(rspg_der_read(&in, &t), 0);
    assert_int_equal(rspg_der_expect(&in, RSPG_DER_OCTET_STRING, value), 0);
    assert_true(rspg_der_cursor_done(&in));
}

/* Shared building blocks of the GSMA extensions. */
static char *eku_tls[] = {"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"};
static char *cp_ci[] = {"2.23.146.1.2.1.0"};
static char *cp_euicc[] = {"2.23.146.1.2.1.1"};
static char *cp_eum[] = {"2.23.146.1.2.1.2"};
static char *cp_dptls[] = {"2.23.146.1.2.1.3"};
static char *crl_12[] = {"http://ci.test.example.com/CRL-1.crl",
                         "http://ci.test.example.com/CRL-2.crl"};
static char *crl_ab[] = {"http://ci.test.example.com/CRL-A.crl",
                         "http://ci.test.example.com/CRL-B.crl"};
static char *crl_2[] = {"http://ci.test.example.com/CRL-2.crl"};
static char *eins[] = {"89049032"};
static rspg_general_name san_ci[] = {{.kind = RSPG_GN_RID, .value = "2.999.1"}};
static rspg_general_name san_eum[] = {{.kind = RSPG_GN_RID, .value = "2.999.5"}};
static rspg_general_name san_dp1_tls[] = {
    {.kind = RSPG_GN_DNS, .value = "testsmdpplus1.example.com"},
    {.kind = RSPG_GN_RID, .value = "2.999.10"},
};
static rspg_attr nc_attrs[] = {
    {.key = "O", .oid = "2.5.4.10", .value = "RSP Test EUM", .type = RSPG_STR_UTF8},
    {.key = "serialNumber", .oid = "2.5.4.5", .value = "89049032", .type = RSPG_STR_PRINTABLE},
};
static rspg_general_name nc_eum[] = {{.kind = RSPG_GN_DIRNAME, .dn = {nc_attrs, 2}}};
static rspg_general_name nc_eum_v3[] = {{.kind = RSPG_GN_DIRNAME, .dn = {nc_attrs, 1}}};

/* ---- one extension at a time ---------------------------------------------------- */

static void test_ski(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext(RSPG_EXT_SKI, 0);
    check_ext(&e, &f->in, X_CI_SKI); /* method 1: SHA-1 of the Test CI point */
    rspg_ext fixed = with_value(RSPG_EXT_SKI, 0, CI_SKI);
    check_ext(&fixed, &f->in, X_CI_SKI);
    rspg_buf_free(&fixed.value);
    fixed = with_value(RSPG_EXT_SKI, 0, EUM_SKI); /* a fixed id wins over the key's */
    check_ext(&fixed, &f->in, X_EUM_SKI);
    rspg_buf_free(&fixed.value);
    fixed = with_value(RSPG_EXT_SKI, 0, "0102");
    check_ext(&fixed, &f->in, "300B0603551D0E040404020102");
    rspg_buf_free(&fixed.value);
}

static void test_aki(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext(RSPG_EXT_AKI, 0);
    check_ext(&e, &f->in, X_AKI_CI); /* keyIdentifier only, from the issuer */
    rspg_ext fixed = with_value(RSPG_EXT_AKI, 0, EUM_SKI);
    check_ext(&fixed, &f->in, X_AKI_EUM);
    /* a fixed id needs no issuer id */
    rspg_tbs_input none = f->in;
    none.issuer_key_id = NULL;
    none.issuer_key_id_len = 0;
    check_ext(&fixed, &none, X_AKI_EUM);
    rspg_buf_free(&fixed.value);
    check_ext_fails(&e, &none, "the issuer has no key identifier");
    /* and nothing was written on failure */
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_not_equal(rspg_encode_extension(&e, &none, &d, &out), RSPG_OK);
    assert_int_equal(out.len, 0);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

static void test_basic_constraints(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_bc(1, 1, -1);
    check_ext(&e, &f->in, X_BC_CI);
    e = tu_ext_bc(1, 1, 0);
    check_ext(&e, &f->in, X_BC_PATHLEN0);
    e = tu_ext_bc(1, 1, 1);
    check_ext(&e, &f->in, "30120603551D130101FF040830060101FF020101");
    e = tu_ext_bc(0, 1, -1);
    check_ext(&e, &f->in,
              "300C0603551D1304053003"
              "0101FF");
    e = tu_ext_bc(0, 0, -1); /* cA FALSE is the DEFAULT: not encoded */
    check_ext(&e, &f->in,
              "30090603551D13040230"
              "00");
    e = tu_ext_bc(1, 1, 200);
    check_ext(&e, &f->in, "30130603551D130101FF040930070101FF020200C8");
}

static void test_key_usage(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE);
    check_ext(&e, &f->in, X_KU_DS);
    e = tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN);
    check_ext(&e, &f->in, X_KU_CERT_CRL);
    e = tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN);
    check_ext(&e, &f->in, X_KU_CERT);
    e = tu_ext_ku(1, RSPG_KU_KEY_AGREEMENT); /* SGP.26 "Invalid Key Usage" */
    check_ext(&e, &f->in, "300E0603551D0F0101FF040403020308");
    e = tu_ext_ku(0, RSPG_KU_DIGITAL_SIGNATURE);
    check_ext(&e, &f->in, "300B0603551D0F040403020780");
    e = tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE | RSPG_KU_DECIPHER_ONLY);
    check_ext(&e, &f->in, "300F0603551D0F0101FF04050303078080");
}

/* Every non-empty set of the nine bits is DER as libcrypto writes a named bit list. */
static void test_key_usage_all_sets(void **state)
{
    fixture *f = *state;
    for (unsigned bits = 1; bits < 512; bits++) {
        rspg_ext e = tu_ext_ku(0, bits);
        rspg_buf out;
        rspg_diag d;
        rspg_der_tlv v;
        rspg_buf_init(&out);
        rspg_diag_init(&d);
        assert_int_equal(rspg_encode_extension(&e, &f->in, &d, &out), RSPG_OK);
        extn_value(&out, &v);

        ASN1_BIT_STRING *bs = ASN1_BIT_STRING_new();
        assert_non_null(bs);
        for (int i = 0; i < 9; i++)
            if (bits & (1u << i))
                assert_int_equal(ASN1_BIT_STRING_set_bit(bs, i, 1), 1);
        unsigned char *der = NULL;
        int n = i2d_ASN1_BIT_STRING(bs, &der);
        assert_true(n > 0);
        if ((size_t)n != v.len || memcmp(der, v.value, v.len) != 0) {
            char *a = rspg_hex(v.value, v.len), *b = rspg_hex(der, (size_t)n);
            print_error("bits %03X: rsp-pkigen %s, libcrypto %s\n", bits, a, b);
            free(a);
            free(b);
        }
        assert_int_equal(v.len, (size_t)n);
        assert_memory_equal(v.value, der, v.len);
        OPENSSL_free(der);
        ASN1_BIT_STRING_free(bs);
        rspg_buf_free(&out);
        rspg_diag_fini(&d);
    }
}

static void test_ext_key_usage(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_items(RSPG_EXT_EXT_KEY_USAGE, 1, eku_tls, 2);
    check_ext(&e, &f->in, X_EKU_TLS);
    /* SGP.26 "Invalid Extended Key Usage": clientAuth only */
    e = tu_ext_items(RSPG_EXT_EXT_KEY_USAGE, 1, eku_tls + 1, 1);
    check_ext(&e, &f->in, "30160603551D250101FF040C300A06082B06010505070302");
    char *bad[] = {"1.3.6.1.5.5.7.3.1", "serverAuth"};
    e = tu_ext_items(RSPG_EXT_EXT_KEY_USAGE, 1, bad, 2);
    check_ext_fails(&e, &f->in, "'serverAuth' is not an object identifier");
}

static void test_certificate_policies(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_ci, 1);
    check_ext(&e, &f->in, X_CP_CI);
    e = tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_euicc, 1);
    check_ext(&e, &f->in, X_CP_EUICC);
    e = tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_eum, 1);
    check_ext(&e, &f->in, X_CP_EUM);
    e = tu_ext_items(RSPG_EXT_CERT_POLICIES, 0, cp_dptls, 1); /* non-critical, as GSMA's TLS */
    check_ext(&e, &f->in, X_CP_DPTLS);
    /* two policies: two PolicyInformation */
    char *two[] = {"2.23.146.1.2.1.0", "2.23.146.1.2.1.0.0"};
    e = tu_ext_items(RSPG_EXT_CERT_POLICIES, 0, two, 2);
    check_ext(&e, &f->in, "30200603551D20041930173009060767811201020100300A06086781120102010000");
    char *bad[] = {"2.23.146.1.2.1."};
    e = tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, bad, 1);
    check_ext_fails(&e, &f->in, "is not an object identifier");
}

static void test_subject_alt_name(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_names(RSPG_EXT_SAN, 0, san_ci, 1);
    check_ext(&e, &f->in, X_SAN_CI);
    e = tu_ext_names(RSPG_EXT_SAN, 0, san_eum, 1);
    check_ext(&e, &f->in, X_SAN_EUM);
    e = tu_ext_names(RSPG_EXT_SAN, 0, san_dp1_tls, 2);
    check_ext(&e, &f->in, X_SAN_DP1_TLS);
    /* the same through ${VARIANT} and ${CURVE} */
    rspg_general_name subst[] = {
        {.kind = RSPG_GN_DNS, .value = "testsmdpplus${VARIANT}.example.com"},
        {.kind = RSPG_GN_RID, .value = "2.999.1${CURVE}"},
    };
    rspg_tbs_input in = f->in;
    in.subst.variant = "1";
    in.subst.curve = "0";
    e = tu_ext_names(RSPG_EXT_SAN, 0, subst, 2);
    check_ext(&e, &in, X_SAN_DP1_TLS);
    /* email and URI */
    rspg_general_name eu[] = {
        {.kind = RSPG_GN_EMAIL, .value = "ci@example.com"},
        {.kind = RSPG_GN_URI, .value = "http://a"},
    };
    e = tu_ext_names(RSPG_EXT_SAN, 0, eu, 2);
    check_ext(&e, &f->in,
              "30230603551D11041C301A810E6369406578616D706C652E636F6D8608687474703A2F2F61");
    /* a bad registeredID */
    rspg_general_name bad[] = {{.kind = RSPG_GN_RID, .value = "2.999.x"}};
    e = tu_ext_names(RSPG_EXT_SAN, 0, bad, 1);
    check_ext_fails(&e, &f->in, "'2.999.x' is not an object identifier");
}

static void test_crl_distribution_points(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_12, 2);
    check_ext(&e, &f->in, X_CRLDP_12);
    e = tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_ab, 2);
    check_ext(&e, &f->in, X_CRLDP_AB);
    e = tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_2, 1);
    check_ext(&e, &f->in, X_CRLDP_2);
    /* ${VARIANT} and ${CURVE} are substituted in URIs */
    char *subst[] = {"http://ci.test.example.com/CRL-${VARIANT}.crl",
                     "http://ci.test.example.com/CRL-${CURVE}.crl"};
    rspg_tbs_input in = f->in;
    in.subst.variant = "1";
    in.subst.curve = "2";
    e = tu_ext_items(RSPG_EXT_CRL_DP, 0, subst, 2);
    check_ext(&e, &in, X_CRLDP_12);
}

static void test_name_constraints(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_names(RSPG_EXT_NAME_CONSTRAINTS, 1, nc_eum, 1);
    check_ext(&e, &f->in, X_NC_EUM);
    e = tu_ext_names(RSPG_EXT_NAME_CONSTRAINTS, 1, nc_eum_v3, 1);
    check_ext(&e, &f->in, X_NC_EUM_V3);
    /* the extnValue of the v3 form, as gsma-cert-rules.md §2.3 gives it */
    rspg_buf out;
    rspg_diag d;
    rspg_der_tlv v;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_encode_extension(&e, &f->in, &d, &out), RSPG_OK);
    extn_value(&out, &v);
    assert_hex(v.value, v.len,
               "301FA01D301BA419301731153013060355040A0C0C52535020546573742045554D");
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

static void test_permitted_eins(void **state)
{
    fixture *f = *state;
    rspg_ext e = tu_ext_items(RSPG_EXT_PERMITTED_EINS, 0, eins, 1);
    check_ext(&e, &f->in, X_EINS);
    /* extnValue exactly 30 0A 13 08 "89049032" (gsma-cert-rules.md §1.4), not critical */
    rspg_buf out;
    rspg_diag d;
    rspg_der_tlv v;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_encode_extension(&e, &f->in, &d, &out), RSPG_OK);
    extn_value(&out, &v);
    assert_hex(v.value, v.len, "300A13083839303439303332");
    assert_int_equal(out.data[2 + 9], RSPG_DER_OCTET_STRING); /* no critical flag after the OID */
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
    /* two EINs */
    char *two[] = {"89049032", "89033024"};
    e = tu_ext_items(RSPG_EXT_PERMITTED_EINS, 0, two, 2);
    check_ext(&e, &f->in,
              "30210607678112010202"
              "00"
              "0416"
              "30141308383930343930333213083839303333303234");
}

static void test_raw(void **state)
{
    fixture *f = *state;
    /* permittedEins as a raw extension gives the same bytes */
    rspg_ext e = with_value(RSPG_EXT_RAW, 0, "300A13083839303439303332");
    e.oid = "2.23.146.1.2.2.0";
    check_ext(&e, &f->in, X_EINS);
    e.critical = 1;
    check_ext(&e, &f->in,
              "301A0607678112010202"
              "00"
              "0101FF"
              "040C"
              "300A13083839303439303332");
    e.oid = "2.23.146.1.2.2.x";
    check_ext_fails(&e, &f->in, "'2.23.146.1.2.2.x' is not an object identifier");
    rspg_buf_free(&e.value);
    /* an empty value */
    rspg_ext empty = tu_ext(RSPG_EXT_RAW, 0);
    empty.oid = "1.2.3.4";
    check_ext(&empty, &f->in,
              "30070603"
              "2A0304"
              "0400");
}

/* ---- whole GSMA extension lists ----------------------------------------------- */

/* Every certificate's extensions in DER order, with the expected bytes. */
typedef struct ext_case {
    rspg_ext e;
    const char *hex;
} ext_case;

static void check_list(const rspg_tbs_input *in, const ext_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_ext(&cases[i].e, in, cases[i].hex);
}

static void test_gsma_lists_by_hex(void **state)
{
    fixture *f = *state;
    rspg_tbs_input in = f->in;

    /* CI (CERT_CI_SIG_NIST, v3.0.2) */
    const ext_case ci[] = {
        {tu_ext(RSPG_EXT_SKI, 0), X_CI_SKI},
        {tu_ext_bc(1, 1, -1), X_BC_CI},
        {tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_ci, 1), X_CP_CI},
        {tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN), X_KU_CERT_CRL},
        {tu_ext_names(RSPG_EXT_SAN, 0, san_ci, 1), X_SAN_CI},
        {tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_12, 2), X_CRLDP_12},
    };
    check_list(&in, ci, sizeof(ci) / sizeof(ci[0]));

    /* EUM (CERT_EUM_SIG_NIST, v3.0.2): SKI fixed, as the EUM key is not at hand */
    ext_case eum[] = {
        {tu_ext(RSPG_EXT_AKI, 0), X_AKI_CI},
        {with_value(RSPG_EXT_SKI, 0, EUM_SKI), X_EUM_SKI},
        {tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN), X_KU_CERT},
        {tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_eum, 1), X_CP_EUM},
        {tu_ext_names(RSPG_EXT_SAN, 0, san_eum, 1), X_SAN_EUM},
        {tu_ext_bc(1, 1, 0), X_BC_PATHLEN0},
        {tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_2, 1), X_CRLDP_2},
        {tu_ext_names(RSPG_EXT_NAME_CONSTRAINTS, 1, nc_eum, 1), X_NC_EUM},
    };
    check_list(&in, eum, sizeof(eum) / sizeof(eum[0]));
    rspg_buf_free(&eum[1].e.value);

    /* eUICC: AKI from the EUM */
    ext_case euicc[] = {
        {with_value(RSPG_EXT_AKI, 0, EUM_SKI), X_AKI_EUM},
        {with_value(RSPG_EXT_SKI, 0, "A52476AF5D50AA376437CCB1DA2172EF45F484F0"),
         "301D0603551D0E04160414A52476AF5D50AA376437CCB1DA2172EF45F484F0"},
        {tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE), X_KU_DS},
        {tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_euicc, 1), X_CP_EUICC},
    };
    check_list(&in, euicc, sizeof(euicc) / sizeof(euicc[0]));
    rspg_buf_free(&euicc[0].e.value);
    rspg_buf_free(&euicc[1].e.value);

    /* SM-DP+ TLS (CERT_S_SM_DP_TLS_NIST, 2025), CRL-A/B */
    ext_case tls[] = {
        {tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE), X_KU_DS},
        {tu_ext_items(RSPG_EXT_EXT_KEY_USAGE, 1, eku_tls, 2), X_EKU_TLS},
        {tu_ext_items(RSPG_EXT_CERT_POLICIES, 0, cp_dptls, 1), X_CP_DPTLS},
        {with_value(RSPG_EXT_SKI, 0, "27FEF1F229187EC783EDF6E02964A4518D57D4A9"),
         "301D0603551D0E0416041427FEF1F229187EC783EDF6E02964A4518D57D4A9"},
        {tu_ext(RSPG_EXT_AKI, 0), X_AKI_CI},
        {tu_ext_names(RSPG_EXT_SAN, 0, san_dp1_tls, 2), X_SAN_DP1_TLS},
        {tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_ab, 2), X_CRLDP_AB},
    };
    check_list(&in, tls, sizeof(tls) / sizeof(tls[0]));
    rspg_buf_free(&tls[3].e.value);
}

/* ---- against the real DER (needs ../shared) ------------------------------------- */

#define SKIP_WITHOUT_SHARED() tu_require_shared()

/* Parses the real certificate REL; encodes EXTS with its own public key as the subject key
 * (so SKIs are computed, method 1) and ISSUER_SKI for AKIs; compares each with the DER. */
static void check_real_cert(const char *rel, const rspg_ext *exts, size_t n,
                            const char *issuer_ski_hex)
{
    rspg_buf der, iss;
    rspg_x509 x;
    rspg_key k;
    rspg_diag d;
    char *path = tu_shared(rel);
    rspg_buf_init(&der);
    rspg_buf_init(&iss);
    rspg_diag_init(&d);
    assert_int_equal(tu_read_file(path, &der), 0);
    assert_int_equal(rspg_x509_read(der.data, der.len, &x, NULL), 0);
    assert_int_equal(x.n_exts, n);
    assert_non_null(rspg_curve_by_oid_der(x.spki_curve_oid.value, x.spki_curve_oid.len));
    assert_int_equal(
        rspg_key_from_public(rspg_curve_by_oid_der(x.spki_curve_oid.value, x.spki_curve_oid.len),
                             x.pub, x.pub_len, &d, &k),
        RSPG_OK);
    assert_int_equal(rspg_unhex(issuer_ski_hex, &iss), 0);
    rspg_tbs_input in;
    memset(&in, 0, sizeof(in));
    in.subject_key = &k;
    in.issuer_key_id = iss.data;
    in.issuer_key_id_len = iss.len;
    for (size_t i = 0; i < n; i++) {
        rspg_buf out;
        rspg_buf_init(&out);
        assert_int_equal(rspg_encode_extension(&exts[i], &in, &d, &out), RSPG_OK);
        size_t want_len = x.exts[i].whole.hdr_len + x.exts[i].whole.len;
        if (out.len != want_len || memcmp(out.data, x.exts[i].whole.hdr, want_len) != 0) {
            char *a = rspg_hex(out.data, out.len), *b = rspg_hex(x.exts[i].whole.hdr, want_len);
            print_error("%s: extension %zu differs:\n  ours   %s\n  theirs %s\n", rel, i + 1, a, b);
            free(a);
            free(b);
        }
        assert_int_equal(out.len, want_len);
        assert_memory_equal(out.data, x.exts[i].whole.hdr, want_len);
        rspg_buf_free(&out);
    }
    assert_int_equal(d.count, 0);
    rspg_key_free(&k);
    rspg_diag_fini(&d);
    rspg_buf_free(&iss);
    rspg_buf_free(&der);
    free(path);
}

static void test_real_certificates(void **state)
{
    (void)state;
    SKIP_WITHOUT_SHARED();
    const rspg_ext ci[] = {
        tu_ext(RSPG_EXT_SKI, 0),
        tu_ext_bc(1, 1, -1),
        tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_ci, 1),
        tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN),
        tu_ext_names(RSPG_EXT_SAN, 0, san_ci, 1),
        tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_12, 2),
    };
    check_real_cert(
        "reference/sgp26/1oT-YggdraSIM/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der", ci, 6,
        CI_SKI);
    rspg_ext ci2020[6];
    memcpy(ci2020, ci, sizeof(ci));
    ci2020[5] = tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_ab, 2);
    check_real_cert("reference/sgp26/osmocom-pysim/CertificateIssuer/CERT_CI_ECDSA_NIST.der",
                    ci2020, 6, CI_SKI);
    check_real_cert("reference/sgp26/osmocom-pysim/CertificateIssuer/CERT_CI_ECDSA_BRP.der", ci2020,
                    6, CI_BRP_SKI);

    const rspg_ext eum[] = {
        tu_ext(RSPG_EXT_AKI, 0),
        tu_ext(RSPG_EXT_SKI, 0),
        tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN),
        tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_eum, 1),
        tu_ext_names(RSPG_EXT_SAN, 0, san_eum, 1),
        tu_ext_bc(1, 1, 0),
        tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_2, 1),
        tu_ext_names(RSPG_EXT_NAME_CONSTRAINTS, 1, nc_eum, 1),
    };
    check_real_cert("reference/sgp26/openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der", eum, 8,
                    CI_SKI);

    const rspg_ext euicc[] = {
        tu_ext(RSPG_EXT_AKI, 0),
        tu_ext(RSPG_EXT_SKI, 0),
        tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE),
        tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_euicc, 1),
    };
    check_real_cert("reference/sgp26/openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der", euicc, 4,
                    EUM_SKI);

    const rspg_ext eim[] = {tu_ext(RSPG_EXT_AKI, 0), tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE)};
    check_real_cert("reference/sgp26/openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der", eim,
                    2, CI_SKI);

    const rspg_ext tls[] = {
        tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE),
        tu_ext_items(RSPG_EXT_EXT_KEY_USAGE, 1, eku_tls, 2),
        tu_ext_items(RSPG_EXT_CERT_POLICIES, 0, cp_dptls, 1),
        tu_ext(RSPG_EXT_SKI, 0),
        tu_ext(RSPG_EXT_AKI, 0),
        tu_ext_names(RSPG_EXT_SAN, 0, san_dp1_tls, 2),
        tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_ab, 2),
    };
    check_real_cert("reference/sgp26/osmocom-pysim/DPtls/CERT_S_SM_DP_TLS_NIST.der", tls, 7,
                    CI_SKI);
}

/* ---- from a profile -------------------------------------------------------------- */

static const char tiny_profile[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: tiny\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "defaults:\n"
    "  curves: [nist]\n"
    "entities:\n"
    "  - id: eum\n"
    "    role: eum\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    subject:\n"
    "      - C: ES\n"
    "      - O: RSP Test EUM\n"
    "      - CN: EUM Test\n"
    "    serial: \"0101\"\n"
    "    validity: {days: 10}\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign]}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.2]}\n"
    "      - subject_alt_name: {names: [{rid: 2.999.5}]}\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"
    "      - crl_distribution_points: {uris: [\"http://ci.test.example.com/CRL-2.crl\"]}\n"
    "      - name_constraints: {critical: true, permitted: [{dir: [{O: RSP Test EUM}, "
    "{serialNumber: \"89049032\"}]}]}\n"
    "    output:\n"
    "      dir: x\n"
    "      cert: a.der\n"
    "  - id: eum-v3\n"
    "    role: eum\n"
    "    variant: Ov3\n"
    "    issuer: self\n"
    "    subject:\n"
    "      - C: ES\n"
    "      - O: RSP Test EUM\n"
    "      - CN: EUM Test\n"
    "    serial: \"0102\"\n"
    "    validity: {days: 10}\n"
    "    extensions:\n"
    "      - name_constraints: {critical: true, permitted: [{dir: [{O: RSP Test EUM}]}]}\n"
    "      - permitted_eins: {eins: [\"89049032\"]}\n"
    "      - extended_key_usage: {critical: true, usage: [serverAuth, clientAuth]}\n"
    "      - certificate_policies: {policies: [2.23.146.1.2.1.3]}\n"
    "    output:\n"
    "      dir: y\n"
    "      cert: b.der\n";

static void check_profile_entity(const fixture *f, const rspg_profile *p, const char *id,
                                 const char *const *want, size_t n)
{
    const rspg_entity *e = rspg_profile_find(p, id);
    assert_non_null(e);
    assert_int_equal(e->n_exts, n);
    for (size_t i = 0; i < e->n_exts; i++)
        check_ext(&e->exts[i], &f->in, want[i]); /* the subject key is the CI's here */
}

static void test_from_profile(void **state)
{
    fixture *f = *state;
    static const char *const want_eum[] = {
        X_AKI_CI, X_CI_SKI, X_KU_CERT, X_CP_EUM, X_SAN_EUM, X_BC_PATHLEN0, X_CRLDP_2, X_NC_EUM,
    };
    static const char *const want_v3[] = {X_NC_EUM_V3, X_EINS, X_EKU_TLS, X_CP_DPTLS};
    rspg_profile *p = NULL;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc =
        rspg_profile_load_string(tiny_profile, sizeof(tiny_profile) - 1, "tiny.yaml", &d, &p);
    if (rc != RSPG_OK)
        for (size_t i = 0; i < d.count; i++) {
            char *s = rspg_diag_format(&d.entries[i]);
            print_error("%s\n", s);
            free(s);
        }
    assert_int_equal(rc, RSPG_OK);
    check_profile_entity(f, p, "eum", want_eum, sizeof(want_eum) / sizeof(want_eum[0]));
    check_profile_entity(f, p, "eum-v3", want_v3, sizeof(want_v3) / sizeof(want_v3[0]));
    rspg_profile_free(p);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ski, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aki, setup, teardown),
        cmocka_unit_test_setup_teardown(test_basic_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_usage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_usage_all_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext_key_usage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_certificate_policies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subject_alt_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crl_distribution_points, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permitted_eins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gsma_lists_by_hex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_certificates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_profile, setup, teardown),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
