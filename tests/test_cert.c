/*
 * test_cert.c: Name, TBSCertificate and Certificate encoding (src/lib/cert.c). The
 * headline: a TBS built for a CI entity with the published GSMA Test CI key, serial
 * 00B874F3ABFA6C44D3, notBefore 2024-07-16T09:52:05Z, 12783 days and the CI extensions in
 * GSMA's order is byte for byte the TBSCertificate of the real SGP.26 v3.0.2
 * CERT_CI_SIG_NIST.der, and with GSMA's signature reassembles into the identical file; the
 * same for the 2020 NIST and brainpool CI, and for the real EUM, eUICC (notAfter
 * 75000510095458Z) and eIM certificates from their public keys, whose GSMA signatures
 * verify over our TBS bytes. Without ../shared: Name DER pinned for the CI and eUICC
 * subjects (UTF8String / PrintableString / IA5String per attribute), ${CURVE}/${VARIANT}
 * substitution and its $${ escape, UTCTime/GeneralizedTime switching inside the TBS, no [3]
 * without extensions, the error paths, rspg_cert_assemble's exact layout, and rspg_cert_sign
 * output that libcrypto parses (d2i_X509) and verifies (X509_verify) on all five curves,
 * deterministically with RFC 6979.
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
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

#define REF "reference/sgp26/"
#define CI_NIST_KEY REF "1oT-YggdraSIM/Valid Test Cases/Variant O/CI/SK_CI_SIG_NIST.pem"
#define CI_NIST_CERT REF "1oT-YggdraSIM/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der"
#define CI_BRP_KEY REF "osmo-ttcn3-hacks/CertificateIssuer/SK_CI_ECDSA_BRP.pem"
#define CI_2020_NIST_CERT REF "osmocom-pysim/CertificateIssuer/CERT_CI_ECDSA_NIST.der"
#define CI_2020_BRP_CERT REF "osmocom-pysim/CertificateIssuer/CERT_CI_ECDSA_BRP.der"
#define EUM_CERT REF "openiotrsp/sgp26_variant_o/CERT_EUM_SIG_NIST.der"
#define EUICC_CERT REF "openiotrsp/sgp26_variant_o/CERT_EUICC_SIG_NIST.der"
#define EIM_CERT REF "openiotrsp/sgp26_variant_o/CERT_S_EIMsign_ECDSA_NIST.der"

#define CI_SKI "F54172BDF98A95D65CBEB88A38A1C11D800A85C3"
#define EUM_SKI "DD3DA24D350C1CC5D0AF0965F40EC34C5EE409F1"

/* Name DER of GSMA's subjects (from the real certificates). */
#define NAME_CI                                                                                    \
    "30443110300E06035504030C07546573742043493111300F060355040B0C0854455354434552543110300E06"     \
    "0355040A0C0752535054455354310B3009060355040613024954"
#define NAME_EUICC                                                                                 \
    "3064310B300906035504061302455331153013060355040A0C0C52535020546573742045554D312930270603"     \
    "550405132038393034393033323132333435313233343531323334353637383930313233353113301106035504"   \
    "030C0A54657374206555494343"

/* ---- helpers ------------------------------------------------------------------ */

#define SKIP_WITHOUT_SHARED() tu_require_shared()

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

/* Compares OURS with THEIRS and, when they differ, reports the first difference. */
static void assert_same_der(const char *what, const uint8_t *ours, size_t ours_len,
                            const uint8_t *theirs, size_t theirs_len)
{
    if (ours_len == theirs_len && memcmp(ours, theirs, ours_len) == 0)
        return;
    size_t i = 0;
    while (i < ours_len && i < theirs_len && ours[i] == theirs[i])
        i++;
    size_t from = i > 16 ? i - 16 : 0;
    size_t oe = ours_len < i + 32 ? ours_len : i + 32,
           te = theirs_len < i + 32 ? theirs_len : i + 32;
    char *a = rspg_hex(ours + from, oe - from), *b = rspg_hex(theirs + from, te - from);
    print_error("%s: %zu vs %zu bytes, first difference at offset %zu; from offset %zu:\n"
                "  ours   %s\n  theirs %s\n",
                what, ours_len, theirs_len, i, from, a, b);
    free(a);
    free(b);
    char *fa = rspg_hex(ours, ours_len), *fb = rspg_hex(theirs, theirs_len);
    print_error("  ours   (all) %s\n  theirs (all) %s\n", fa, fb);
    free(fa);
    free(fb);
    fail();
}

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *s = rspg_diag_format(&d->entries[i]);
        print_error("%s\n", s);
        free(s);
    }
}

static void assert_diag_has(const rspg_diag *d, const char *needle)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, needle) != NULL)
            return;
    print_error("no diagnostic contains '%s':\n", needle);
    print_diag(d);
    fail();
}

static int64_t rfc3339(const char *s)
{
    int64_t t = 0;
    assert_int_equal(rspg_parse_rfc3339(s, &t), 0);
    return t;
}

static void read_shared(const char *rel, rspg_buf *out)
{
    char *p = tu_shared(rel);
    rspg_buf_init(out);
    int rc = tu_read_file(p, out);
    if (rc != 0)
        print_error("cannot read %s\n", p);
    assert_int_equal(rc, 0);
    free(p);
}

static void load_shared_key(const char *rel, rspg_key *k)
{
    rspg_diag d;
    char *p = tu_shared(rel);
    rspg_diag_init(&d);
    rspg_status rc = rspg_key_load_file(p, &d, k);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    free(p);
}

static void parse(const rspg_buf *der, rspg_x509 *x)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_x509_read(der->data, der->len, x, &d);
    if (rc != RSPG_OK)
        print_error("rspg_x509_read: %s\n", d.count ? d.entries[0].message : "?");
    rspg_diag_fini(&d);
    assert_int_equal(rc, RSPG_OK);
}

static rspg_entity entity(const char *id, rspg_attr *attrs, size_t n_attrs, rspg_ext *exts,
                          size_t n_exts)
{
    rspg_entity e;
    memset(&e, 0, sizeof(e));
    e.id = (char *)id;
    e.subject.attrs = attrs;
    e.subject.count = n_attrs;
    e.exts = exts;
    e.n_exts = n_exts;
    return e;
}

/* GSMA's subjects and extensions */
#define UTF8(k, o, v)                                                                              \
    {                                                                                              \
        .key = k, .oid = o, .value = v, .type = RSPG_STR_UTF8                                      \
    }
#define PRINTABLE(k, o, v)                                                                         \
    {                                                                                              \
        .key = k, .oid = o, .value = v, .type = RSPG_STR_PRINTABLE                                 \
    }
static rspg_attr dn_ci[] = {
    UTF8("CN", "2.5.4.3", "Test CI"),
    UTF8("OU", "2.5.4.11", "TESTCERT"),
    UTF8("O", "2.5.4.10", "RSPTEST"),
    PRINTABLE("C", "2.5.4.6", "IT"),
};
static rspg_attr dn_eum[] = {
    PRINTABLE("C", "2.5.4.6", "ES"),
    UTF8("O", "2.5.4.10", "RSP Test EUM"),
    UTF8("CN", "2.5.4.3", "EUM Test"),
};
static rspg_attr dn_euicc[] = {
    PRINTABLE("C", "2.5.4.6", "ES"),
    UTF8("O", "2.5.4.10", "RSP Test EUM"),
    PRINTABLE("serialNumber", "2.5.4.5", "89049032123451234512345678901235"),
    UTF8("CN", "2.5.4.3", "Test eUICC"),
};
static rspg_attr dn_eim[] = {
    PRINTABLE("C", "2.5.4.6", "DE"),
    UTF8("CN", "2.5.4.3", "eim.example.com"),
};
static char *cp_ci[] = {"2.23.146.1.2.1.0"};
static char *cp_euicc[] = {"2.23.146.1.2.1.1"};
static char *cp_eum[] = {"2.23.146.1.2.1.2"};
static char *crl_12[] = {"http://ci.test.example.com/CRL-1.crl",
                         "http://ci.test.example.com/CRL-2.crl"};
static char *crl_ab[] = {"http://ci.test.example.com/CRL-A.crl",
                         "http://ci.test.example.com/CRL-B.crl"};
static char *crl_2[] = {"http://ci.test.example.com/CRL-2.crl"};
static rspg_general_name san_ci[] = {{.kind = RSPG_GN_RID, .value = "2.999.1"}};
static rspg_general_name san_eum[] = {{.kind = RSPG_GN_RID, .value = "2.999.5"}};
static rspg_attr nc_attrs[] = {
    UTF8("O", "2.5.4.10", "RSP Test EUM"),
    PRINTABLE("serialNumber", "2.5.4.5", "89049032"),
};
static rspg_general_name nc_eum[] = {{.kind = RSPG_GN_DIRNAME, .dn = {nc_attrs, 2}}};

/* The CI extensions in GSMA's order (the cnf's): SKI, BC, CP, KU, SAN, CRLDP. */
static void ci_exts(rspg_ext out[6], char **crl)
{
    out[0] = tu_ext(RSPG_EXT_SKI, 0);
    out[1] = tu_ext_bc(1, 1, -1);
    out[2] = tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_ci, 1);
    out[3] = tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN);
    out[4] = tu_ext_names(RSPG_EXT_SAN, 0, san_ci, 1);
    out[5] = tu_ext_items(RSPG_EXT_CRL_DP, 0, crl, 2);
}

static void encode_name(const rspg_attr *attrs, size_t n, const rspg_subst *sub, rspg_buf *out)
{
    rspg_dn dn = {(rspg_attr *)attrs, n};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_buf_init(out);
    rspg_status rc = rspg_encode_name(&dn, sub, &d, out);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
}

static void encode_tbs(const rspg_tbs_input *in, rspg_buf *out)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_buf_init(out);
    rspg_status rc = rspg_encode_tbs(in, &d, out);
    if (rc != RSPG_OK)
        print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
}

/* ---- substitution and names --------------------------------------------------- */

static void test_subst_apply(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"CERT_CI_SIG_${CURVE}.der", "CERT_CI_SIG_NIST.der"},
        {"Variant ${VARIANT}/${CURVE}", "Variant O/NIST"},
        {"${CURVE}${CURVE}", "NISTNIST"},
        {"$${CURVE}", "${CURVE}"},   /* the escape */
        {"$$${CURVE}", "$${CURVE}"}, /* left to right: a $, then the escape */
        {"${OTHER}", "${OTHER}"},    /* unknown: kept */
        {"$", "$"},
        {"${CURVE", "${CURVE"},
        {"", ""},
        {"plain", "plain"},
    };
    rspg_subst sub = {"NIST", "O"};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = rspg_subst_apply(&sub, cases[i].in);
        if (strcmp(s, cases[i].out) != 0)
            print_error("'%s' gave '%s', want '%s'\n", cases[i].in, s, cases[i].out);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
    /* without values the variables become empty */
    char *s = rspg_subst_apply(NULL, "a${CURVE}b${VARIANT}c");
    assert_string_equal(s, "abc");
    free(s);
}

static void test_name_ci_and_euicc(void **state)
{
    rspg_buf b;
    (void)state;
    encode_name(dn_ci, 4, NULL, &b);
    assert_hex(b.data, b.len, NAME_CI);
    rspg_buf_free(&b);
    encode_name(dn_euicc, 4, NULL, &b);
    assert_hex(b.data, b.len, NAME_EUICC);
    rspg_buf_free(&b);
    encode_name(dn_eim, 2, NULL, &b);
    assert_hex(
        b.data, b.len,
        "3027310B30090603550406130244453118301606035504030C0F65696D2E6578616D706C652E636F6D");
    rspg_buf_free(&b);
}

static void test_name_types_and_subst(void **state)
{
    rspg_attr a[] = {
        {.key = "CN", .oid = "2.5.4.3", .value = "CI ${CURVE}", .type = RSPG_STR_UTF8},
        {.key = "C", .oid = "2.5.4.6", .value = "${VARIANT}", .type = RSPG_STR_PRINTABLE},
        {.key = "emailAddress",
         .oid = "1.2.840.113549.1.9.1",
         .value = "a@b",
         .type = RSPG_STR_IA5},
    };
    rspg_subst sub = {"BRP", "IT"};
    rspg_buf b;
    (void)state;
    encode_name(a, 3, &sub, &b);
    assert_hex(b.data, b.len,
               "3032"
               "310F300D06035504030C06434920425250"
               "310B3009060355040613024954"
               "3112301006092A864886F70D0109011603614062");
    rspg_buf_free(&b);
    /* an empty Name */
    encode_name(a, 0, NULL, &b);
    assert_hex(b.data, b.len, "3000");
    rspg_buf_free(&b);
    /* a bad attribute OID */
    rspg_attr bad[] = {{.key = "x", .oid = "2.5.4.", .value = "v", .loc = {"p.yaml", 3, 7}}};
    rspg_dn dn = {bad, 1};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_buf_init(&b);
    assert_int_equal(rspg_encode_name(&dn, NULL, &d, &b), RSPG_E_PROFILE);
    assert_diag_has(&d, "'2.5.4.' is not an object identifier");
    assert_string_equal(d.entries[0].file, "p.yaml");
    assert_int_equal(d.entries[0].line, 3);
    rspg_buf_free(&b);
    rspg_diag_fini(&d);
}

/* rspg_encode_name of the CI subject equals the Name inside the real CI certificate. */
static void test_name_matches_real_certificates(void **state)
{
    static const struct {
        const char *cert;
        rspg_attr *subject, *issuer;
        size_t n_subject, n_issuer;
    } cases[] = {
        {CI_NIST_CERT, dn_ci, dn_ci, 4, 4}, {CI_2020_BRP_CERT, dn_ci, dn_ci, 4, 4},
        {EUM_CERT, dn_eum, dn_ci, 3, 4},    {EUICC_CERT, dn_euicc, dn_eum, 4, 3},
        {EIM_CERT, dn_eim, dn_ci, 2, 4},
    };
    (void)state;
    SKIP_WITHOUT_SHARED();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rspg_buf der, name;
        rspg_x509 x;
        read_shared(cases[i].cert, &der);
        parse(&der, &x);
        encode_name(cases[i].subject, cases[i].n_subject, NULL, &name);
        assert_same_der("subject", name.data, name.len, x.subject.hdr,
                        x.subject.hdr_len + x.subject.len);
        rspg_buf_free(&name);
        encode_name(cases[i].issuer, cases[i].n_issuer, NULL, &name);
        assert_same_der("issuer", name.data, name.len, x.issuer.hdr,
                        x.issuer.hdr_len + x.issuer.len);
        rspg_buf_free(&name);
        rspg_buf_free(&der);
    }
}

/* ---- the headline: GSMA's TBSCertificates, byte for byte ------------------------- */

/* Builds the TBS of a self-signed CI and compares it (and the reassembled certificate) with
 * the real CERT_REL; GSMA's signature must verify over our TBS with KEY. */
static void check_ci(const char *key_rel, const char *cert_rel, const char *not_before, char **crl,
                     const char *serial_hex)
{
    rspg_key k;
    rspg_buf der, tbs, serial, cert;
    rspg_x509 x;
    rspg_ext exts[6];
    size_t sig_len = 0;

    load_shared_key(key_rel, &k);
    read_shared(cert_rel, &der);
    parse(&der, &x);
    ci_exts(exts, crl);
    rspg_entity e = entity("ci", dn_ci, 4, exts, 6);
    rspg_buf_init(&serial);
    assert_int_equal(rspg_unhex(serial_hex, &serial), 0);
    int64_t nb = rfc3339(not_before);
    rspg_tbs_input in = {
        .entity = &e,
        .subject_key = &k,
        .issuer_name = NULL, /* self-signed: the subject */
        .issuer_key_id = k.ski,
        .issuer_key_id_len = sizeof(k.ski),
        .serial = serial.data,
        .serial_len = serial.len,
        .not_before = nb,
        .not_after = nb + 12783LL * 86400,
    };
    encode_tbs(&in, &tbs);
    assert_same_der(cert_rel, tbs.data, tbs.len, x.tbs.hdr, x.tbs.hdr_len + x.tbs.len);

    /* with GSMA's signature value, the whole certificate is reproduced */
    const uint8_t *sig = rspg_x509_sig_value(&x, &sig_len);
    assert_non_null(sig);
    assert_int_equal(rspg_verify_sig(&k, tbs.data, tbs.len, sig, sig_len), 1);
    rspg_buf_init(&cert);
    rspg_cert_assemble(tbs.data, tbs.len, sig, sig_len, &cert);
    assert_same_der("certificate", cert.data, cert.len, der.data, der.len);

    rspg_buf_free(&cert);
    rspg_buf_free(&tbs);
    rspg_buf_free(&serial);
    rspg_buf_free(&der);
    rspg_key_free(&k);
}

static void test_tbs_ci_nist_v3(void **state)
{
    (void)state;
    SKIP_WITHOUT_SHARED();
    /* the serial as GSMA's DER has it (with the 00 pad), and as the profile gives it */
    check_ci(CI_NIST_KEY, CI_NIST_CERT, "2024-07-16T09:52:05Z", crl_12, "00B874F3ABFA6C44D3");
    check_ci(CI_NIST_KEY, CI_NIST_CERT, "2024-07-16T09:52:05Z", crl_12, "B874F3ABFA6C44D3");
}

static void test_tbs_ci_2020(void **state)
{
    (void)state;
    SKIP_WITHOUT_SHARED();
    check_ci(CI_NIST_KEY, CI_2020_NIST_CERT, "2020-04-01T08:27:51Z", crl_ab, "B874F3ABFA6C44D3");
    check_ci(CI_BRP_KEY, CI_2020_BRP_CERT, "2020-04-01T08:27:51Z", crl_ab, "B874F3ABFA6C44D3");
}

/* A certificate issued by ISSUER_DN (with ISSUER_SKI): its TBS from the real public key. */
static void check_issued(const char *cert_rel, rspg_entity *e, const rspg_attr *issuer_dn,
                         size_t n_issuer, const char *issuer_ski, const char *serial_hex,
                         const char *not_before, long long days, const rspg_key *issuer_key)
{
    rspg_buf der, tbs, serial, iname, iski, cert;
    rspg_x509 x;
    rspg_key k;
    rspg_diag d;
    size_t sig_len = 0;

    read_shared(cert_rel, &der);
    parse(&der, &x);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_from_public(rspg_curve_find("prime256v1"), x.pub, x.pub_len, &d, &k),
                     RSPG_OK);
    encode_name(issuer_dn, n_issuer, NULL, &iname);
    rspg_buf_init(&iski);
    rspg_buf_init(&serial);
    assert_int_equal(rspg_unhex(issuer_ski, &iski), 0);
    assert_int_equal(rspg_unhex(serial_hex, &serial), 0);
    int64_t nb = rfc3339(not_before);
    rspg_tbs_input in = {
        .entity = e,
        .subject_key = &k,
        .issuer_name = iname.data,
        .issuer_name_len = iname.len,
        .issuer_key_id = iski.data,
        .issuer_key_id_len = iski.len,
        .serial = serial.data,
        .serial_len = serial.len,
        .not_before = nb,
        .not_after = nb + days * 86400,
    };
    encode_tbs(&in, &tbs);
    assert_same_der(cert_rel, tbs.data, tbs.len, x.tbs.hdr, x.tbs.hdr_len + x.tbs.len);
    const uint8_t *sig = rspg_x509_sig_value(&x, &sig_len);
    assert_non_null(sig);
    if (issuer_key != NULL)
        assert_int_equal(rspg_verify_sig(issuer_key, tbs.data, tbs.len, sig, sig_len), 1);
    rspg_buf_init(&cert);
    rspg_cert_assemble(tbs.data, tbs.len, sig, sig_len, &cert);
    assert_same_der("certificate", cert.data, cert.len, der.data, der.len);

    rspg_buf_free(&cert);
    rspg_buf_free(&iski);
    rspg_buf_free(&iname);
    rspg_buf_free(&serial);
    rspg_buf_free(&tbs);
    rspg_buf_free(&der);
    rspg_key_free(&k);
    rspg_diag_fini(&d);
}

static void test_tbs_eum_euicc_eim(void **state)
{
    rspg_key ci, eum_pub;
    rspg_buf der;
    rspg_x509 x;
    rspg_diag d;
    (void)state;
    SKIP_WITHOUT_SHARED();
    load_shared_key(CI_NIST_KEY, &ci);

    rspg_ext eum[] = {
        tu_ext(RSPG_EXT_AKI, 0),
        tu_ext(RSPG_EXT_SKI, 0),
        tu_ext_ku(1, RSPG_KU_KEY_CERT_SIGN),
        tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_eum, 1),
        tu_ext_names(RSPG_EXT_SAN, 0, san_eum, 1),
        tu_ext_bc(1, 1, 0),
        tu_ext_items(RSPG_EXT_CRL_DP, 0, crl_2, 1),
        tu_ext_names(RSPG_EXT_NAME_CONSTRAINTS, 1, nc_eum, 1),
    };
    rspg_entity e_eum = entity("eum", dn_eum, 3, eum, 8);
    check_issued(EUM_CERT, &e_eum, dn_ci, 4, CI_SKI, "0101", "2024-07-16T09:54:05Z", 12410, &ci);

    /* the eUICC is signed by the EUM: verify with the EUM's public key */
    read_shared(EUM_CERT, &der);
    parse(&der, &x);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_from_public(rspg_curve_find("nist"), x.pub, x.pub_len, &d, &eum_pub),
                     RSPG_OK);
    rspg_diag_fini(&d);
    rspg_ext euicc[] = {
        tu_ext(RSPG_EXT_AKI, 0),
        tu_ext(RSPG_EXT_SKI, 0),
        tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE),
        tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, cp_euicc, 1),
    };
    rspg_entity e_euicc = entity("euicc", dn_euicc, 4, euicc, 4);
    /* serial: the EID digits read as hex; notAfter 75000510095458Z (GeneralizedTime) */
    check_issued(EUICC_CERT, &e_euicc, dn_eum, 3, EUM_SKI, "89049032123451234512345678901235",
                 "2024-07-16T09:54:58Z", 2000000, &eum_pub);

    rspg_ext eim[] = {tu_ext(RSPG_EXT_AKI, 0), tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE)};
    rspg_entity e_eim = entity("eim", dn_eim, 2, eim, 2);
    check_issued(EIM_CERT, &e_eim, dn_ci, 4, CI_SKI, "03FF0AFF0009990101FF01",
                 "2024-07-16T10:09:49Z", 2555, &ci);

    rspg_key_free(&eum_pub);
    rspg_buf_free(&der);
    rspg_key_free(&ci);
}

/* ---- structure without shared data --------------------------------------------- */

static void test_tbs_structure(void **state)
{
    rspg_key k;
    rspg_diag d;
    rspg_buf tbs, cert;
    rspg_x509 x;
    rspg_ext exts[6];
    static const uint8_t serial[] = {0x00, 0x00, 0x01, 0x00};
    (void)state;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_generate(rspg_curve_find("brp"), &d, &k), RSPG_OK);
    ci_exts(exts, crl_12);
    rspg_entity e = entity("ci", dn_ci, 4, exts, 6);
    rspg_tbs_input in = {
        .entity = &e,
        .subject_key = &k,
        .issuer_key_id = k.ski,
        .issuer_key_id_len = 20,
        .serial = serial,
        .serial_len = sizeof(serial),
        .not_before = rfc3339("2049-12-31T23:59:59Z"),
        .not_after = rfc3339("2050-01-01T00:00:00Z"),
    };
    encode_tbs(&in, &tbs);
    /* TBSCertificate starts: SEQUENCE, [0] { INTEGER 2 }, INTEGER 0100, SEQUENCE {
     * ecdsa-with-SHA256 } */
    assert_int_equal(tbs.data[0], 0x30);
    size_t h = tbs.data[1] & 0x80 ? 2 + (tbs.data[1] & 0x7F) : 2;
    assert_hex(tbs.data + h, 5 + 4 + 12,
               "A003020102"
               "02020100"
               "300A06082A8648CE3D040302");
    /* wrap it and read it back */
    uint8_t fake_sig[8] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
    rspg_buf_init(&cert);
    rspg_cert_assemble(tbs.data, tbs.len, fake_sig, sizeof(fake_sig), &cert);
    assert_int_equal(rspg_x509_read(cert.data, cert.len, &x, NULL), 0);
    assert_int_equal(x.version, 2);
    assert_hex(x.serial.value, x.serial.len, "0100");
    /* the issuer is the subject, and both are the CI Name */
    assert_hex(x.issuer.hdr, x.issuer.hdr_len + x.issuer.len, NAME_CI);
    assert_hex(x.subject.hdr, x.subject.hdr_len + x.subject.len, NAME_CI);
    /* RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 */
    assert_hex(x.validity.value, x.validity.len,
               "170D3439313233313233353935395A"
               "180F32303530303130313030303030305A");
    assert_true(x.not_before == in.not_before);
    assert_true(x.not_after == in.not_after);
    assert_int_equal(x.n_exts, 6);
    size_t ski_len = 0;
    const uint8_t *ski = rspg_x509_ski(&x, &ski_len);
    assert_int_equal(ski_len, 20);
    assert_memory_equal(ski, k.ski, 20);
    rspg_buf spki;
    rspg_buf_init(&spki);
    rspg_key_spki_der(&k, &spki);
    assert_int_equal(x.spki.hdr_len + x.spki.len, spki.len);
    assert_memory_equal(x.spki.hdr, spki.data, spki.len);
    size_t sl = 0;
    const uint8_t *sv = rspg_x509_sig_value(&x, &sl);
    assert_int_equal(sl, sizeof(fake_sig));
    assert_memory_equal(sv, fake_sig, sl);
    rspg_buf_free(&spki);
    rspg_buf_free(&cert);
    rspg_buf_free(&tbs);

    /* no extensions: no [3] at all */
    rspg_entity bare = entity("bare", dn_eim, 2, NULL, 0);
    in.entity = &bare;
    encode_tbs(&in, &tbs);
    rspg_buf_init(&cert);
    rspg_cert_assemble(tbs.data, tbs.len, fake_sig, sizeof(fake_sig), &cert);
    assert_int_equal(rspg_x509_read(cert.data, cert.len, &x, NULL), 0);
    assert_int_equal(x.n_exts, 0);
    assert_ptr_equal(x.spki.hdr + x.spki.hdr_len + x.spki.len, x.tbs.value + x.tbs.len);
    rspg_buf_free(&cert);
    rspg_buf_free(&tbs);

    rspg_key_free(&k);
    rspg_diag_fini(&d);
}

static void test_assemble_layout(void **state)
{
    rspg_buf out;
    (void)state;
    rspg_buf_init(&out);
    rspg_cert_assemble((const uint8_t *)"\x30\x00", 2,
                       (const uint8_t *)"\x30\x06\x02\x01\x01\x02\x01\x01", 8, &out);
    assert_hex(out.data, out.len,
               "3019"
               "3000"
               "300A06082A8648CE3D040302"
               "030900"
               "3006020101020101");
    rspg_buf_free(&out);
}

static void test_tbs_errors(void **state)
{
    rspg_key k;
    rspg_diag d;
    rspg_buf tbs;
    static const uint8_t serial[] = {1};
    (void)state;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_generate(rspg_curve_find("nist"), &d, &k), RSPG_OK);
    rspg_ext aki[] = {tu_ext(RSPG_EXT_AKI, 0)};
    rspg_entity e = entity("leaf", dn_eim, 2, aki, 1);
    rspg_tbs_input in = {
        .entity = &e,
        .subject_key = &k,
        .serial = serial,
        .serial_len = 1,
        .not_before = 0,
        .not_after = 86400,
    };
    /* an AKI without an issuer key id */
    rspg_buf_init(&tbs);
    assert_int_equal(rspg_encode_tbs(&in, &d, &tbs), RSPG_E_PROFILE);
    assert_diag_has(&d, "the issuer has no key identifier");
    rspg_diag_fini(&d);
    rspg_buf_free(&tbs);

    /* validity beyond year 9999 */
    rspg_diag_init(&d);
    rspg_buf_init(&tbs);
    e.n_exts = 0;
    in.not_after = rfc3339("9999-12-31T23:59:59Z") + 1;
    assert_int_equal(rspg_encode_tbs(&in, &d, &tbs), RSPG_E_PROFILE);
    assert_diag_has(&d, "validity of 'leaf' is outside the years 0000-9999");
    rspg_diag_fini(&d);
    rspg_buf_free(&tbs);
    in.not_after = 86400;

    /* a bad subject attribute OID */
    rspg_attr bad[] = {UTF8("CN", "2.5.4.3.", "x")};
    rspg_entity eb = entity("badname", bad, 1, NULL, 0);
    in.entity = &eb;
    rspg_diag_init(&d);
    rspg_buf_init(&tbs);
    assert_int_equal(rspg_encode_tbs(&in, &d, &tbs), RSPG_E_PROFILE);
    assert_diag_has(&d, "'2.5.4.3.' is not an object identifier");
    rspg_diag_fini(&d);
    rspg_buf_free(&tbs);

    /* a bad extension after good ones */
    char *bad_policy[] = {"policy"};
    rspg_ext exts[] = {tu_ext_ku(1, RSPG_KU_DIGITAL_SIGNATURE),
                       tu_ext_items(RSPG_EXT_CERT_POLICIES, 1, bad_policy, 1)};
    rspg_entity ee = entity("badext", dn_eim, 2, exts, 2);
    in.entity = &ee;
    rspg_diag_init(&d);
    rspg_buf_init(&tbs);
    assert_int_equal(rspg_encode_tbs(&in, &d, &tbs), RSPG_E_PROFILE);
    assert_diag_has(&d, "'policy' is not an object identifier");
    rspg_diag_fini(&d);
    rspg_buf_free(&tbs);

    /* signing with a key that cannot sign */
    rspg_key none = k;
    none.pkey = NULL;
    rspg_diag_init(&d);
    rspg_buf_init(&tbs);
    assert_int_equal(
        rspg_cert_sign((const uint8_t *)"\x30\x00", 2, &none, RSPG_NONCE_RANDOM, &d, &tbs),
        RSPG_E_USAGE);
    assert_int_equal(tbs.len, 0);
    rspg_diag_fini(&d);
    rspg_buf_free(&tbs);
    rspg_key_free(&k);
}

/* ---- signing: libcrypto accepts and verifies what rspg_cert_sign writes --------- */

static X509 *d2i(const rspg_buf *der)
{
    const unsigned char *p = der->data;
    X509 *x = d2i_X509(NULL, &p, (long)der->len);
    assert_non_null(x);
    assert_ptr_equal(p, der->data + der->len);
    return x;
}

static void sign_and_check(const rspg_key *k, const rspg_tbs_input *in, rspg_nonce nonce,
                           rspg_buf *cert)
{
    rspg_buf tbs;
    rspg_diag d;
    rspg_diag_init(&d);
    encode_tbs(in, &tbs);
    rspg_buf_init(cert);
    assert_int_equal(rspg_cert_sign(tbs.data, tbs.len, k, nonce, &d, cert), RSPG_OK);
    assert_int_equal(d.count, 0);

    X509 *x = d2i(cert);
    assert_int_equal(X509_verify(x, k->pkey), 1);
    assert_int_equal(X509_get_version(x), 2);
    assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
    /* libcrypto, re-encoding the TBS from what it parsed, writes the very same DER */
    unsigned char *re = NULL;
    int n = i2d_re_X509_tbs(x, &re);
    assert_true(n > 0);
    assert_same_der("i2d_re_X509_tbs", tbs.data, tbs.len, re, (size_t)n);
    OPENSSL_free(re);
    /* a flipped bit in the signature fails */
    rspg_buf bad;
    rspg_buf_init(&bad);
    rspg_buf_append(&bad, cert->data, cert->len);
    bad.data[bad.len - 3] ^= 0x01;
    X509 *xb = d2i(&bad);
    assert_int_not_equal(X509_verify(xb, k->pkey), 1);
    X509_free(xb);
    rspg_buf_free(&bad);
    /* our own verification of the signature value agrees */
    rspg_x509 px;
    size_t sl = 0;
    assert_int_equal(rspg_x509_read(cert->data, cert->len, &px, NULL), 0);
    const uint8_t *sv = rspg_x509_sig_value(&px, &sl);
    assert_int_equal(rspg_verify_sig(k, tbs.data, tbs.len, sv, sl), 1);
    assert_int_equal(px.tbs.hdr_len + px.tbs.len, tbs.len);
    assert_memory_equal(px.tbs.hdr, tbs.data, tbs.len);
    X509_free(x);
    rspg_buf_free(&tbs);
    rspg_diag_fini(&d);
}

static void test_cert_sign_openssl(void **state)
{
    static const char *const curves[] = {"prime256v1", "brainpoolP256r1", "prime192v1",
                                         "brainpoolP192r1", "secp384r1"};
    static const uint8_t serial[] = {0xB8, 0x74, 0xF3, 0xAB, 0xFA, 0x6C, 0x44, 0xD3};
    (void)state;
    for (size_t c = 0; c < sizeof(curves) / sizeof(curves[0]); c++) {
        rspg_key k;
        rspg_diag d;
        rspg_ext exts[6];
        rspg_buf c1, c2, c3;
        rspg_diag_init(&d);
        assert_int_equal(rspg_key_generate(rspg_curve_find(curves[c]), &d, &k), RSPG_OK);
        rspg_diag_fini(&d);
        ci_exts(exts, crl_12);
        rspg_entity e = entity("ci", dn_ci, 4, exts, 6);
        int64_t nb = rfc3339("2024-07-16T09:52:05Z");
        rspg_tbs_input in = {
            .entity = &e,
            .subject_key = &k,
            .issuer_key_id = k.ski,
            .issuer_key_id_len = 20,
            .serial = serial,
            .serial_len = sizeof(serial),
            .not_before = nb,
            .not_after = nb + 12783LL * 86400,
        };
        sign_and_check(&k, &in, RSPG_NONCE_RANDOM, &c1);
        sign_and_check(&k, &in, RSPG_NONCE_RFC6979, &c2);
        sign_and_check(&k, &in, RSPG_NONCE_RFC6979, &c3);
        /* RFC 6979: byte-reproducible certificates */
        assert_int_equal(c2.len, c3.len);
        assert_memory_equal(c2.data, c3.data, c2.len);
        /* and libcrypto reads the fields as GSMA's */
        X509 *x = d2i(&c2);
        const ASN1_TIME *na = X509_get0_notAfter(x);
        assert_int_equal(ASN1_STRING_type(na), V_ASN1_GENERALIZEDTIME);
        assert_int_equal(ASN1_STRING_type(X509_get0_notBefore(x)), V_ASN1_UTCTIME);
        assert_int_equal(X509_get_ext_count(x), 6);
        assert_true(X509_check_ca(x) >= 1);
        X509_free(x);
        rspg_buf_free(&c1);
        rspg_buf_free(&c2);
        rspg_buf_free(&c3);
        rspg_key_free(&k);
    }
}

/* With the GSMA Test CI key, a re-signed CI certificate verifies under GSMA's own CI. */
static void test_cert_sign_gsma_key(void **state)
{
    rspg_key k;
    rspg_buf cert, der;
    rspg_ext exts[6];
    static const uint8_t serial[] = {0x00, 0xB8, 0x74, 0xF3, 0xAB, 0xFA, 0x6C, 0x44, 0xD3};
    (void)state;
    SKIP_WITHOUT_SHARED();
    load_shared_key(CI_NIST_KEY, &k);
    ci_exts(exts, crl_12);
    rspg_entity e = entity("ci", dn_ci, 4, exts, 6);
    int64_t nb = rfc3339("2024-07-16T09:52:05Z");
    rspg_tbs_input in = {
        .entity = &e,
        .subject_key = &k,
        .issuer_key_id = k.ski,
        .issuer_key_id_len = 20,
        .serial = serial,
        .serial_len = sizeof(serial),
        .not_before = nb,
        .not_after = nb + 12783LL * 86400,
    };
    sign_and_check(&k, &in, RSPG_NONCE_RFC6979, &cert);
    /* verify with the public key taken from GSMA's certificate, through libcrypto */
    read_shared(CI_NIST_CERT, &der);
    X509 *gsma = d2i(&der);
    X509 *ours = d2i(&cert);
    EVP_PKEY *gk = X509_get0_pubkey(gsma);
    assert_non_null(gk);
    assert_int_equal(X509_verify(ours, gk), 1);
    assert_int_equal(X509_cmp(ours, gsma) != 0, 1); /* not the same signature, of course */
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(ours), X509_get_subject_name(gsma)), 0);
    X509_free(ours);
    X509_free(gsma);
    rspg_buf_free(&der);
    rspg_buf_free(&cert);
    rspg_key_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subst_apply),
        cmocka_unit_test(test_name_ci_and_euicc),
        cmocka_unit_test(test_name_types_and_subst),
        cmocka_unit_test(test_name_matches_real_certificates),
        cmocka_unit_test(test_tbs_ci_nist_v3),
        cmocka_unit_test(test_tbs_ci_2020),
        cmocka_unit_test(test_tbs_eum_euicc_eim),
        cmocka_unit_test(test_tbs_structure),
        cmocka_unit_test(test_assemble_layout),
        cmocka_unit_test(test_tbs_errors),
        cmocka_unit_test(test_cert_sign_openssl),
        cmocka_unit_test(test_cert_sign_gsma_key),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
