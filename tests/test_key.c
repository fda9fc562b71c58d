/*
 * test_key.c: EC keys (src/lib/key.c). With the real GSMA keys from ../shared (skipped
 * when that folder is absent): the SGP.26 CI NIST key (an EC PARAMETERS block first) and
 * the osmo-ttcn3-hacks brainpool CI key load, their SKIs are GSMA's (F54172BD... and
 * C0BC70BA...), the SEC1 DER written back is 121/122 bytes and byte-identical to GSMA's own
 * "EC PRIVATE KEY" block, the SPKI is 91/92 bytes and equals `openssl pkey -pubout` and the
 * SPKI inside GSMA's certificate, and every other container (PKCS#8 PEM/DER, SEC1 DER/PEM,
 * CRLF line endings) loads to the same key. Without shared data: generated and fixed-scalar
 * keys on all five curves against libcrypto's own encodings (i2d_PrivateKey, i2d_PUBKEY,
 * i2d_KeyParams), public-only keys, copies, and the load errors (garbage, truncated PEM, a
 * PUBLIC KEY, encrypted PEM, RSA/Ed25519/secp521r1 keys, empty and missing files), each
 * checked for a distinctive part of its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "rspg/x509/x509.h"
#include "test_util.h"

#define CI_NIST_KEY "reference/sgp26/1oT-YggdraSIM/Valid Test Cases/Variant O/CI/SK_CI_SIG_NIST.pem"
#define CI_NIST_CERT                                                                               \
    "reference/sgp26/1oT-YggdraSIM/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der"
#define CI_BRP_KEY "reference/sgp26/osmo-ttcn3-hacks/CertificateIssuer/SK_CI_ECDSA_BRP.pem"
#define CI_BRP_CERT "reference/sgp26/osmo-ttcn3-hacks/CertificateIssuer/CERT_CI_ECDSA_BRP.der"
#define CI_NIST_SKI "F54172BDF98A95D65CBEB88A38A1C11D800A85C3"
#define CI_BRP_SKI "C0BC70BA36929D43B467FF57570530E57AB8FCD8"

static const char *const all_curves[] = {"prime256v1", "brainpoolP256r1", "prime192v1",
                                         "brainpoolP192r1", "secp384r1"};

/* ---- helpers ------------------------------------------------------------------ */

static void assert_bytes_hex(const uint8_t *p, size_t n, const char *hex)
{
    char *got = rspg_hex(p, n);
    assert_string_equal(got, hex);
    free(got);
}

static void assert_same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    char *x = rspg_hex(a, an), *y = rspg_hex(b, bn);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

/* Asserts that some diagnostic of D contains NEEDLE (prints them all when not). */
static void assert_diag_has(const rspg_diag *d, const char *needle)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, needle) != NULL)
            return;
    print_error("no diagnostic contains '%s'; got %zu:\n", needle, d->count);
    for (size_t i = 0; i < d->count; i++)
        print_error("  %s\n", d->entries[i].message);
    fail();
}

static void read_shared(const char *rel, rspg_buf *out)
{
    char *p = tu_shared(rel);
    rspg_buf_init(out);
    int rc = tu_read_file(p, out);
    if (rc != 0)
        print_error("cannot read %s\n", p);
    assert_int_equal(rc, 0);
    assert_true(out->len > 0);
    free(p);
}

static void load_shared_key(const char *rel, rspg_key *k)
{
    rspg_diag d;
    char *p = tu_shared(rel);
    rspg_diag_init(&d);
    rspg_status rc = rspg_key_load_file(p, &d, k);
    if (rc != RSPG_OK)
        for (size_t i = 0; i < d.count; i++)
            print_error("%s\n", d.entries[i].message);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
    free(p);
}

/* Loads DATA with rspg_key_load, expecting success. */
static void load_ok(const uint8_t *data, size_t len, rspg_key *k)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_key_load(data, len, "test", &d, k);
    if (rc != RSPG_OK)
        for (size_t i = 0; i < d.count; i++)
            print_error("%s\n", d.entries[i].message);
    assert_int_equal(rc, RSPG_OK);
    assert_non_null(k->pkey);
    rspg_diag_fini(&d);
}

/* Loads DATA, expecting STATUS and a message containing NEEDLE (and the WHAT prefix). */
static void load_fails(const uint8_t *data, size_t len, rspg_status status, const char *needle)
{
    rspg_diag d;
    rspg_key k;
    rspg_diag_init(&d);
    memset(&k, 0x5A, sizeof(k));
    assert_int_equal(rspg_key_load(data, len, "bad-key.pem", &d, &k), status);
    assert_null(k.pkey);
    assert_int_equal(d.errors, 1);
    assert_diag_has(&d, needle);
    assert_diag_has(&d, "bad-key.pem: ");
    rspg_diag_fini(&d);
}

static void same_key(const rspg_key *a, const rspg_key *b)
{
    assert_ptr_equal(a->curve, b->curve);
    assert_int_equal(a->pub_len, b->pub_len);
    assert_memory_equal(a->pub, b->pub, a->pub_len);
    assert_memory_equal(a->ski, b->ski, sizeof(a->ski));
    /* and the keys agree: a signature by A (which has the private half) verifies with B */
    assert_non_null(a->pkey);
    assert_non_null(b->pkey);
    {
        rspg_buf sig;
        rspg_diag d;
        rspg_buf_init(&sig);
        rspg_diag_init(&d);
        assert_int_equal(rspg_sign(a, RSPG_NONCE_RANDOM, (const uint8_t *)"m", 1, &d, &sig),
                         RSPG_OK);
        assert_int_equal(rspg_verify_sig(b, (const uint8_t *)"m", 1, sig.data, sig.len), 1);
        assert_int_equal(EVP_PKEY_eq(a->pkey, b->pkey), 1);
        rspg_buf_free(&sig);
        rspg_diag_fini(&d);
    }
}

/* The DER of the first PEM block named NAME in DATA. */
static void pem_block(const rspg_buf *data, const char *name, rspg_buf *out)
{
    BIO *bio = BIO_new_mem_buf(data->data, (int)data->len);
    char *n = NULL, *h = NULL;
    unsigned char *der = NULL;
    long len = 0;
    int found = 0;
    assert_non_null(bio);
    rspg_buf_init(out);
    while (!found && PEM_read_bio(bio, &n, &h, &der, &len) == 1) {
        if (strcmp(n, name) == 0) {
            rspg_buf_append(out, der, (size_t)len);
            found = 1;
        }
        OPENSSL_free(n);
        OPENSSL_free(h);
        OPENSSL_free(der);
    }
    BIO_free(bio);
    assert_true(found);
}

static void bio_contents(BIO *bio, rspg_buf *out)
{
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    assert_true(n > 0);
    rspg_buf_init(out);
    rspg_buf_append(out, p, (size_t)n);
}

static void i2d_pubkey_buf(EVP_PKEY *pkey, rspg_buf *out)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(pkey, &der);
    assert_true(n > 0);
    rspg_buf_init(out);
    rspg_buf_append(out, der, (size_t)n);
    OPENSSL_free(der);
}

/* Checks a key's encodings against libcrypto's (SEC1, SPKI, parameters) and the SKI. */
static void check_encodings(const rspg_key *k)
{
    rspg_buf mine, theirs;
    rspg_diag d;
    unsigned char *der = NULL;
    int n;
    uint8_t ski[20];

    rspg_diag_init(&d);
    /* the point and the SKI (RFC 5280 §4.2.1.2 method 1) */
    assert_int_equal(k->pub_len, 1 + 2 * k->curve->field_bytes);
    assert_int_equal(k->pub[0], 0x04);
    SHA1(k->pub, k->pub_len, ski);
    assert_memory_equal(k->ski, ski, 20);

    /* SEC1 ECPrivateKey, exactly as libcrypto writes it (with parameters and public key) */
    rspg_buf_init(&mine);
    assert_int_equal(rspg_key_sec1_der(k, &d, &mine), RSPG_OK);
    n = i2d_PrivateKey(k->pkey, &der);
    assert_true(n > 0);
    assert_same_bytes(mine.data, mine.len, der, (size_t)n);
    OPENSSL_free(der);
    der = NULL;

    /* SubjectPublicKeyInfo */
    rspg_buf_reset(&mine);
    rspg_key_spki_der(k, &mine);
    i2d_pubkey_buf(k->pkey, &theirs);
    assert_same_bytes(mine.data, mine.len, theirs.data, theirs.len);
    rspg_buf_free(&theirs);

    /* ECParameters: the namedCurve OID */
    rspg_buf_reset(&mine);
    rspg_key_params_der(k, &mine);
    n = i2d_KeyParams(k->pkey, &der);
    assert_true(n > 0);
    assert_same_bytes(mine.data, mine.len, der, (size_t)n);
    OPENSSL_free(der);

    rspg_buf_free(&mine);
    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
}

/* A temporary folder per test, removed by the teardown even when the test fails. */
static int setup_tmp(void **state)
{
    char *dir = tu_mkdtemp();
    *state = dir;
    return dir ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    tu_rmtree(*state);
    free(*state);
    return 0;
}

/* ---- the real GSMA keys --------------------------------------------------------- */

static void check_gsma_key(const char *key_rel, const char *cert_rel, const char *curve,
                           const char *ski_hex, size_t sec1_len, size_t spki_len,
                           const char *params_hex)
{
    rspg_key k, again;
    rspg_buf file, block, sec1, spki, params, cert;
    rspg_diag d;
    rspg_x509 x;

    load_shared_key(key_rel, &k);
    assert_non_null(k.pkey);
    assert_string_equal(k.curve->name, curve);
    assert_bytes_hex(k.ski, sizeof(k.ski), ski_hex);

    /* SEC1: the size GSMA's files have, and byte-identical to their EC PRIVATE KEY block */
    rspg_diag_init(&d);
    rspg_buf_init(&sec1);
    assert_int_equal(rspg_key_sec1_der(&k, &d, &sec1), RSPG_OK);
    assert_int_equal(sec1.len, sec1_len);
    read_shared(key_rel, &file);
    pem_block(&file, "EC PRIVATE KEY", &block);
    assert_same_bytes(sec1.data, sec1.len, block.data, block.len);
    /* the EC PARAMETERS block that precedes it is rspg_key_params_der */
    rspg_buf_free(&block);
    pem_block(&file, "EC PARAMETERS", &block);
    rspg_buf_init(&params);
    rspg_key_params_der(&k, &params);
    assert_same_bytes(params.data, params.len, block.data, block.len);
    assert_bytes_hex(params.data, params.len, params_hex);

    /* the SEC1 DER re-loads to the same key */
    load_ok(sec1.data, sec1.len, &again);
    same_key(&k, &again);
    rspg_key_free(&again);

    /* SPKI: 91/92 bytes, libcrypto's encoding, and the one in GSMA's certificate */
    rspg_buf_init(&spki);
    rspg_key_spki_der(&k, &spki);
    assert_int_equal(spki.len, spki_len);
    rspg_buf theirs;
    i2d_pubkey_buf(k.pkey, &theirs);
    assert_same_bytes(spki.data, spki.len, theirs.data, theirs.len);
    rspg_buf_free(&theirs);
    read_shared(cert_rel, &cert);
    assert_int_equal(rspg_x509_read(cert.data, cert.len, &x, NULL), 0);
    assert_same_bytes(spki.data, spki.len, x.spki.hdr, x.spki.hdr_len + x.spki.len);
    assert_same_bytes(k.pub, k.pub_len, x.pub, x.pub_len);
    size_t ski_len = 0;
    const uint8_t *cert_ski = rspg_x509_ski(&x, &ski_len);
    assert_non_null(cert_ski);
    assert_same_bytes(k.ski, sizeof(k.ski), cert_ski, ski_len);

    check_encodings(&k);

    assert_int_equal(d.count, 0);
    rspg_diag_fini(&d);
    rspg_buf_free(&cert);
    rspg_buf_free(&spki);
    rspg_buf_free(&params);
    rspg_buf_free(&block);
    rspg_buf_free(&file);
    rspg_buf_free(&sec1);
    rspg_key_free(&k);
}

static void test_gsma_ci_nist(void **state)
{
    (void)state;
    tu_require_shared();
    check_gsma_key(CI_NIST_KEY, CI_NIST_CERT, "prime256v1", CI_NIST_SKI, 121, 91,
                   "06082A8648CE3D030107");
}

static void test_gsma_ci_brp(void **state)
{
    (void)state;
    tu_require_shared();
    check_gsma_key(CI_BRP_KEY, CI_BRP_CERT, "brainpoolP256r1", CI_BRP_SKI, 122, 92,
                   "06092B2403030208010107");
}

/* The SPKI equals what the stock openssl command writes. */
static void check_spki_cli(const char *dir, const char *key_rel, size_t spki_len)
{
    rspg_key k;
    rspg_buf mine, theirs;
    char *key = tu_shared(key_rel);
    char *out = NULL, *err = NULL;
    char *pub = rspg_xasprintf("%s/pub-%zu.der", dir, spki_len);
    char *cmd = rspg_xasprintf("openssl pkey -in '%s' -pubout -outform DER -out '%s'", key, pub);
    int rc = tu_run(cmd, &out, &err);
    if (rc != 0)
        print_error("%s: %s\n", cmd, err ? err : "?");
    assert_int_equal(rc, 0);

    load_shared_key(key_rel, &k);
    rspg_buf_init(&mine);
    rspg_buf_init(&theirs);
    rspg_key_spki_der(&k, &mine);
    assert_int_equal(tu_read_file(pub, &theirs), 0);
    assert_int_equal(theirs.len, spki_len);
    assert_same_bytes(mine.data, mine.len, theirs.data, theirs.len);

    rspg_buf_free(&mine);
    rspg_buf_free(&theirs);
    rspg_key_free(&k);
    free(out);
    free(err);
    free(cmd);
    free(pub);
    free(key);
}

static void test_gsma_spki_matches_openssl_cli(void **state)
{
    const char *dir = *state;
    tu_require_shared();
    check_spki_cli(dir, CI_NIST_KEY, 91);
    check_spki_cli(dir, CI_BRP_KEY, 92);
}

/* Every other container of the same key loads to the same key. */
static void check_containers(const char *key_rel)
{
    rspg_key ref, k;
    rspg_buf file, block, crlf, conv;
    BIO *bio;

    load_shared_key(key_rel, &ref);
    read_shared(key_rel, &file);

    /* the EC PRIVATE KEY block alone (no EC PARAMETERS), as PEM */
    bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, ref.pkey, NULL, NULL, 0, NULL, NULL),
                     1);
    bio_contents(bio, &conv);
    BIO_free(bio);
    assert_non_null(strstr((const char *)conv.data, "-----BEGIN EC PRIVATE KEY-----"));
    load_ok(conv.data, conv.len, &k);
    same_key(&ref, &k);
    rspg_key_free(&k);
    rspg_buf_free(&conv);

    /* SEC1 DER straight from the PEM block */
    pem_block(&file, "EC PRIVATE KEY", &block);
    load_ok(block.data, block.len, &k);
    same_key(&ref, &k);
    rspg_key_free(&k);

    /* PKCS#8 PEM */
    bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, ref.pkey, NULL, NULL, 0, NULL, NULL), 1);
    bio_contents(bio, &conv);
    BIO_free(bio);
    assert_non_null(strstr((const char *)conv.data, "-----BEGIN PRIVATE KEY-----"));
    load_ok(conv.data, conv.len, &k);
    same_key(&ref, &k);
    rspg_key_free(&k);
    rspg_buf_free(&conv);

    /* PKCS#8 DER */
    bio = BIO_new(BIO_s_mem());
    assert_int_equal(i2d_PKCS8PrivateKey_bio(bio, ref.pkey, NULL, NULL, 0, NULL, NULL), 1);
    bio_contents(bio, &conv);
    BIO_free(bio);
    assert_int_equal(conv.data[0], 0x30);
    load_ok(conv.data, conv.len, &k);
    same_key(&ref, &k);
    rspg_key_free(&k);
    /* a DER key with a trailing byte is refused */
    rspg_buf_push(&conv, 0x00);
    load_fails(conv.data, conv.len, RSPG_E_PROFILE, "not a private key in PEM or DER");
    rspg_buf_free(&conv);

    /* the GSMA file with CRLF line endings (as GSMA's EUM/eUICC/eIM files have) and with
     * LF line endings (as the others have), whichever this one has */
    rspg_buf lf;
    rspg_buf_init(&crlf);
    rspg_buf_init(&lf);
    for (size_t i = 0; i < file.len; i++) {
        if (file.data[i] == '\r')
            continue;
        if (file.data[i] == '\n')
            rspg_buf_push(&crlf, '\r');
        rspg_buf_push(&crlf, file.data[i]);
        rspg_buf_push(&lf, file.data[i]);
    }
    assert_true(crlf.len > lf.len);
    load_ok(crlf.data, crlf.len, &k);
    same_key(&ref, &k);
    rspg_key_free(&k);
    load_ok(lf.data, lf.len, &k);
    same_key(&ref, &k);
    rspg_key_free(&k);
    rspg_buf_free(&lf);

    rspg_buf_free(&crlf);
    rspg_buf_free(&block);
    rspg_buf_free(&file);
    rspg_key_free(&ref);
}

static void test_gsma_containers(void **state)
{
    (void)state;
    tu_require_shared();
    check_containers(CI_NIST_KEY);
    check_containers(CI_BRP_KEY);
}

/* Files converted by the openssl command load with rspg_key_load_file. */
static void test_gsma_cli_converted_files(void **state)
{
    static const char *const conv[][2] = {
        {"k.p8.pem", "openssl pkcs8 -topk8 -nocrypt"},
        {"k.p8.der", "openssl pkcs8 -topk8 -nocrypt -outform DER"},
        {"k.sec1.der", "openssl ec -outform DER"},
        {"k.sec1.pem", "openssl ec"},
    };
    rspg_key ref;
    const char *dir = *state;
    tu_require_shared();
    char *src = tu_shared(CI_NIST_KEY);
    load_shared_key(CI_NIST_KEY, &ref);
    for (size_t i = 0; i < sizeof(conv) / sizeof(conv[0]); i++) {
        char *dst = rspg_xasprintf("%s/%s", dir, conv[i][0]);
        char *cmd = rspg_xasprintf("%s -in '%s' -out '%s'", conv[i][1], src, dst);
        char *err = NULL;
        int rc = tu_run(cmd, NULL, &err);
        if (rc != 0)
            print_error("%s: %s\n", cmd, err ? err : "?");
        assert_int_equal(rc, 0);
        rspg_key k;
        rspg_diag d;
        rspg_diag_init(&d);
        assert_int_equal(rspg_key_load_file(dst, &d, &k), RSPG_OK);
        same_key(&ref, &k);
        rspg_key_free(&k);
        rspg_diag_fini(&d);
        free(err);
        free(cmd);
        free(dst);
    }
    rspg_key_free(&ref);
    free(src);
}

/* ---- generated and fixed keys (no shared data needed) --------------------------- */

static void test_generate_all_curves(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(all_curves) / sizeof(all_curves[0]); i++) {
        const rspg_curve *c = rspg_curve_find(all_curves[i]);
        rspg_key k, again;
        rspg_buf sec1, spki;
        rspg_diag d;
        assert_non_null(c);
        rspg_diag_init(&d);
        assert_int_equal(rspg_key_generate(c, &d, &k), RSPG_OK);
        assert_ptr_equal(k.curve, c);
        check_encodings(&k);

        /* SEC1 and SPKI sizes, and a SEC1 round trip */
        rspg_buf_init(&sec1);
        rspg_buf_init(&spki);
        assert_int_equal(rspg_key_sec1_der(&k, &d, &sec1), RSPG_OK);
        rspg_key_spki_der(&k, &spki);
        size_t oid_len = strcmp(c->name, "prime256v1") == 0 || strcmp(c->name, "prime192v1") == 0
                             ? 8
                         : strcmp(c->name, "secp384r1") == 0 ? 5
                                                             : 9;
        size_t fb = c->field_bytes, pl = 1 + 2 * fb;
        /* SEQUENCE { INTEGER 1, OCTET STRING d, [0] { OID }, [1] { BIT STRING 00 point } } */
        size_t body = 3 + (2 + fb) + (2 + 2 + oid_len) + (2 + (pl + 1 + (pl + 1 >= 128 ? 3 : 2)));
        assert_int_equal(sec1.len, body + (body >= 128 ? 3 : 2));
        assert_int_equal(spki.len, 2 + (2 + 9 + 2 + oid_len) + (2 + 1 + pl));
        load_ok(sec1.data, sec1.len, &again);
        same_key(&k, &again);

        rspg_key_free(&again);
        rspg_buf_free(&sec1);
        rspg_buf_free(&spki);
        rspg_key_free(&k);
        assert_int_equal(d.count, 0);
        rspg_diag_fini(&d);
    }
}

/* Scalars with leading zero bytes are padded to the field size, as RFC 5915 wants. */
static void test_fixed_scalars(void **state)
{
    static const char *const scalars[] = {
        "1",
        "00FF",
        "0000000000000000000000000000000000000000000000000000000000ABCDEF",
        "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
    };
    (void)state;
    for (size_t c = 0; c < 2; c++) {
        for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
            rspg_key k;
            rspg_buf sec1;
            rspg_diag d;
            rspg_diag_init(&d);
            EVP_PKEY *pkey = tu_pkey_from_scalar(all_curves[c], scalars[i]);
            assert_int_equal(rspg_key_from_pkey(pkey, &d, &k), RSPG_OK);
            check_encodings(&k);
            rspg_buf_init(&sec1);
            assert_int_equal(rspg_key_sec1_der(&k, &d, &sec1), RSPG_OK);
            assert_int_equal(sec1.len, c == 0 ? 121 : 122);
            /* 30 77|78 02 01 01 04 20 d(32) */
            assert_int_equal(sec1.data[5], 0x04);
            assert_int_equal(sec1.data[6], 0x20);
            if (i == 0) {
                for (int b = 0; b < 31; b++)
                    assert_int_equal(sec1.data[7 + b], 0);
                assert_int_equal(sec1.data[7 + 31], 1);
            }
            rspg_buf_free(&sec1);
            rspg_key_free(&k);
            rspg_diag_fini(&d);
        }
    }
    /* the P-256 generator: d = 1 gives the point G */
    rspg_key k;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_from_pkey(tu_pkey_from_scalar("prime256v1", "1"), &d, &k), RSPG_OK);
    assert_bytes_hex(k.pub, k.pub_len,
                     "046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
                     "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");
    rspg_key_free(&k);
    rspg_diag_fini(&d);
}

static void test_public_only(void **state)
{
    rspg_key k, pubk, cpub;
    rspg_diag d;
    rspg_buf sig, sec1;
    uint8_t compressed[33];
    (void)state;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_generate(rspg_curve_find("nist"), &d, &k), RSPG_OK);

    assert_int_equal(rspg_key_from_public(k.curve, k.pub, k.pub_len, &d, &pubk), RSPG_OK);
    assert_non_null(pubk.pkey);
    same_key(&k, &pubk);
    /* a compressed point gives the same (uncompressed) key */
    compressed[0] = (uint8_t)(0x02 | (k.pub[64] & 1));
    memcpy(compressed + 1, k.pub + 1, 32);
    assert_int_equal(rspg_key_from_public(k.curve, compressed, sizeof(compressed), &d, &cpub),
                     RSPG_OK);
    assert_int_equal(cpub.pub_len, 65);
    assert_memory_equal(cpub.pub, k.pub, 65);
    assert_memory_equal(cpub.ski, k.ski, 20);

    /* it verifies, it does not sign, and it has no SEC1 encoding */
    rspg_buf_init(&sig);
    assert_int_equal(rspg_sign(&k, RSPG_NONCE_RANDOM, (const uint8_t *)"abc", 3, &d, &sig),
                     RSPG_OK);
    assert_int_equal(rspg_verify_sig(&pubk, (const uint8_t *)"abc", 3, sig.data, sig.len), 1);
    assert_int_equal(d.count, 0);
    rspg_buf_init(&sec1);
    assert_int_equal(rspg_key_sec1_der(&pubk, &d, &sec1), RSPG_E_CRYPTO);
    assert_diag_has(&d, "cannot read the private key");
    assert_int_equal(sec1.len, 0);

    /* not a point on the curve */
    uint8_t bad[65];
    memcpy(bad, k.pub, 65);
    bad[64] ^= 1;
    rspg_key nk;
    assert_int_equal(rspg_key_from_public(k.curve, bad, sizeof(bad), &d, &nk), RSPG_E_PROFILE);
    assert_diag_has(&d, "is not a point on prime256v1");
    assert_int_equal(rspg_key_from_public(k.curve, k.pub, 64, &d, &nk), RSPG_E_PROFILE);
    /* a P-256 point is not a brainpool point */
    assert_int_equal(rspg_key_from_public(rspg_curve_find("brp"), k.pub, 65, &d, &nk),
                     RSPG_E_PROFILE);
    assert_diag_has(&d, "is not a point on brainpoolP256r1");

    rspg_buf_free(&sig);
    rspg_buf_free(&sec1);
    rspg_key_free(&cpub);
    rspg_key_free(&pubk);
    rspg_key_free(&k);
    rspg_diag_fini(&d);
}

static void test_copy(void **state)
{
    rspg_key k, c;
    rspg_diag d;
    rspg_buf sig;
    (void)state;
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_generate(rspg_curve_find("brp"), &d, &k), RSPG_OK);
    rspg_key_copy(&c, &k);
    assert_ptr_equal(c.pkey, k.pkey);
    rspg_key_free(&k);
    assert_null(k.pkey);
    /* the copy still holds its own reference */
    rspg_buf_init(&sig);
    assert_int_equal(rspg_sign(&c, RSPG_NONCE_RFC6979, (const uint8_t *)"x", 1, &d, &sig), RSPG_OK);
    assert_int_equal(rspg_verify_sig(&c, (const uint8_t *)"x", 1, sig.data, sig.len), 1);
    rspg_buf_free(&sig);
    rspg_key_free(&c);
    rspg_key_free(&c); /* freeing twice is harmless: the key was zeroed */
    rspg_diag_fini(&d);
}

/* ---- errors --------------------------------------------------------------------- */

static void pem_of(EVP_PKEY *pkey, const EVP_CIPHER *enc, int traditional, rspg_buf *out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_non_null(bio);
    if (traditional)
        assert_int_equal(PEM_write_bio_PrivateKey_traditional(
                             bio, pkey, enc, (unsigned char *)"secret", 6, NULL, NULL),
                         1);
    else
        assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, pkey, enc, enc ? "secret" : NULL,
                                                       enc ? 6 : 0, NULL, NULL),
                         1);
    bio_contents(bio, out);
    BIO_free(bio);
}

static void test_load_errors(void **state)
{
    rspg_key k;
    rspg_diag d;
    rspg_buf pem, cut;
    (void)state;
    rspg_diag_init(&d);

    /* garbage, empty, binary junk */
    load_fails((const uint8_t *)"hello world\n", 12, RSPG_E_PROFILE,
               "not a private key in PEM or DER (SEC1 or PKCS#8 expected)");
    load_fails((const uint8_t *)"", 0, RSPG_E_PROFILE, "not a private key in PEM or DER");
    load_fails((const uint8_t *)"\x30\x03\x02\x01\x01", 5, RSPG_E_PROFILE,
               "not a private key in PEM or DER");
    load_fails((const uint8_t *)"-----BEGIN EC PRIVATE KEY-----\n", 31, RSPG_E_PROFILE,
               "not a private key in PEM or DER");

    /* a good key, then broken copies of it */
    assert_int_equal(rspg_key_generate(rspg_curve_find("nist"), &d, &k), RSPG_OK);
    pem_of(k.pkey, NULL, 1, &pem);
    /* truncated: no END line */
    rspg_buf_init(&cut);
    rspg_buf_append(&cut, pem.data, pem.len / 2);
    load_fails(cut.data, cut.len, RSPG_E_PROFILE, "not a private key in PEM or DER");
    /* truncated body but an END line */
    const char *end = strstr((const char *)pem.data, "-----END");
    assert_non_null(end);
    rspg_buf_reset(&cut);
    rspg_buf_append(&cut, pem.data, 40);
    rspg_buf_puts(&cut, "\n");
    rspg_buf_append(&cut, end, pem.len - (size_t)(end - (const char *)pem.data));
    load_fails(cut.data, cut.len, RSPG_E_PROFILE, "not a private key in PEM or DER");
    /* a DER key cut short */
    rspg_buf der;
    rspg_buf_init(&der);
    assert_int_equal(rspg_key_sec1_der(&k, &d, &der), RSPG_OK);
    load_fails(der.data, der.len - 1, RSPG_E_PROFILE, "not a private key in PEM or DER");
    rspg_buf_free(&der);
    rspg_buf_free(&cut);
    rspg_buf_free(&pem);

    /* a PUBLIC KEY PEM, and a certificate */
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PUBKEY(bio, k.pkey), 1);
    bio_contents(bio, &pem);
    BIO_free(bio);
    load_fails(pem.data, pem.len, RSPG_E_PROFILE, "holds no private key");
    rspg_buf_free(&pem);
    static const char cert_pem[] = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    load_fails((const uint8_t *)cert_pem, sizeof(cert_pem) - 1, RSPG_E_PROFILE,
               "holds no private key");

    /* encrypted keys: PKCS#8 and traditional (Proc-Type: 4,ENCRYPTED) */
    pem_of(k.pkey, EVP_aes_256_cbc(), 0, &pem);
    assert_non_null(strstr((const char *)pem.data, "BEGIN ENCRYPTED PRIVATE KEY"));
    load_fails(pem.data, pem.len, RSPG_E_PROFILE, "encrypted private keys are not supported");
    rspg_buf_free(&pem);
    pem_of(k.pkey, EVP_aes_128_cbc(), 1, &pem);
    assert_non_null(strstr((const char *)pem.data, "Proc-Type: 4,ENCRYPTED"));
    load_fails(pem.data, pem.len, RSPG_E_PROFILE, "encrypted private keys are not supported");
    rspg_buf_free(&pem);
    rspg_key_free(&k);

    /* an RSA key, an Ed25519 key, an EC key on a curve rsp-pkigen does not know */
    EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    assert_non_null(rsa);
    pem_of(rsa, NULL, 0, &pem);
    load_fails(pem.data, pem.len, RSPG_E_PROFILE, "not an elliptic-curve key");
    rspg_buf_free(&pem);
    EVP_PKEY_free(rsa);

    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(ed);
    pem_of(ed, NULL, 0, &pem);
    load_fails(pem.data, pem.len, RSPG_E_PROFILE, "not an elliptic-curve key");
    rspg_buf_free(&pem);
    EVP_PKEY_free(ed);

    EVP_PKEY *p521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp521r1");
    assert_non_null(p521);
    pem_of(p521, NULL, 0, &pem);
    load_fails(pem.data, pem.len, RSPG_E_PROFILE, "unsupported curve 'secp521r1'");
    rspg_buf_free(&pem);
    EVP_PKEY_free(p521);

    rspg_diag_fini(&d);
}

static void test_load_file_errors(void **state)
{
    rspg_key k;
    rspg_diag d;
    const char *dir = *state;

    /* a missing file: an I/O error naming the file and the reason */
    char *missing = rspg_xasprintf("%s/no-such-key.pem", dir);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(missing, &d, &k), RSPG_E_IO);
    assert_null(k.pkey);
    assert_diag_has(&d, "cannot read the key file");
    assert_diag_has(&d, "No such file or directory");
    assert_diag_has(&d, missing);
    rspg_diag_fini(&d);

    /* an empty file */
    char *empty = rspg_xasprintf("%s/empty.pem", dir);
    assert_int_equal(tu_write_file(empty, "", 0), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(empty, &d, &k), RSPG_E_PROFILE);
    assert_null(k.pkey);
    assert_diag_has(&d, "not a private key in PEM or DER");
    assert_diag_has(&d, empty);
    rspg_diag_fini(&d);

    /* garbage */
    char *junk = rspg_xasprintf("%s/junk.pem", dir);
    assert_int_equal(tu_write_file(junk, "this is not a key\n", 18), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(junk, &d, &k), RSPG_E_PROFILE);
    assert_diag_has(&d, "not a private key in PEM or DER");
    rspg_diag_fini(&d);

    /* a folder is not a key */
    rspg_diag_init(&d);
    assert_int_not_equal(rspg_key_load_file(dir, &d, &k), RSPG_OK);
    assert_null(k.pkey);
    assert_int_equal(d.errors, 1);
    rspg_diag_fini(&d);

    free(junk);
    free(empty);
    free(missing);
}

/* A GSMA key file turned into a PUBLIC KEY, encrypted, or given explicit parameters. */
static void test_gsma_cli_variants(void **state)
{
    rspg_key k;
    rspg_diag d;
    const char *dir = *state;
    tu_require_shared();
    char *src = tu_shared(CI_NIST_KEY);
    char *pub = rspg_xasprintf("%s/PK.pem", dir);
    char *cmd = rspg_xasprintf("openssl pkey -in '%s' -pubout -out '%s'", src, pub);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(pub, &d, &k), RSPG_E_PROFILE);
    assert_diag_has(&d, "holds no private key");
    rspg_diag_fini(&d);
    free(cmd);

    char *enc = rspg_xasprintf("%s/enc.pem", dir);
    cmd = rspg_xasprintf("openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:secret -in '%s' "
                         "-out '%s'",
                         src, enc);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(enc, &d, &k), RSPG_E_PROFILE);
    assert_diag_has(&d, "encrypted private keys are not supported");
    rspg_diag_fini(&d);
    free(cmd);

    /* encrypted PKCS#8 DER has no "ENCRYPTED" marker to spot: it fails (without asking for
     * a password) with the generic message */
    char *encder = rspg_xasprintf("%s/enc.der", dir);
    cmd = rspg_xasprintf("openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:secret -in '%s' "
                         "-outform DER -out '%s'",
                         src, encder);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(encder, &d, &k), RSPG_E_PROFILE);
    assert_null(k.pkey);
    assert_diag_has(&d, "not a private key in PEM or DER");
    rspg_diag_fini(&d);
    free(cmd);

    /* explicit curve parameters that are P-256's are recognised as the named curve, and
     * the key is written back in GSMA's named-curve SEC1 form */
    char *expl = rspg_xasprintf("%s/explicit.pem", dir);
    cmd = rspg_xasprintf("openssl ec -in '%s' -param_enc explicit -out '%s'", src, expl);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    rspg_buf file, block, sec1;
    read_shared(CI_NIST_KEY, &file);
    pem_block(&file, "EC PRIVATE KEY", &block);
    rspg_diag_init(&d);
    assert_int_equal(rspg_key_load_file(expl, &d, &k), RSPG_OK);
    assert_string_equal(k.curve->name, "prime256v1");
    assert_bytes_hex(k.ski, sizeof(k.ski), CI_NIST_SKI);
    rspg_buf_init(&sec1);
    assert_int_equal(rspg_key_sec1_der(&k, &d, &sec1), RSPG_OK);
    assert_same_bytes(sec1.data, sec1.len, block.data, block.len);
    rspg_key_free(&k);
    rspg_diag_fini(&d);
    free(cmd);

    rspg_buf_free(&sec1);
    rspg_buf_free(&block);
    rspg_buf_free(&file);
    free(expl);
    free(encder);
    free(enc);
    free(pub);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsma_ci_nist),
        cmocka_unit_test(test_gsma_ci_brp),
        cmocka_unit_test_setup_teardown(test_gsma_spki_matches_openssl_cli, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test(test_gsma_containers),
        cmocka_unit_test_setup_teardown(test_gsma_cli_converted_files, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_gsma_cli_variants, setup_tmp, teardown_tmp),
        cmocka_unit_test(test_generate_all_curves),
        cmocka_unit_test(test_fixed_scalars),
        cmocka_unit_test(test_public_only),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test_setup_teardown(test_load_file_errors, setup_tmp, teardown_tmp),
    };
    return tu_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
