/*
 * test_rfc6979.c: deterministic ECDSA (src/lib/rfc6979.c) against the RFC 6979
 * appendix A vectors, libcrypto's verifier and the stock openssl command.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "rspg/crypto/rfc6979.h"
#include "test_util.h"

/* ---- helpers ------------------------------------------------------------------ */

static BIGNUM *hex_bn(const char *hex)
{
    BIGNUM *b = NULL;

    assert_true(BN_hex2bn(&b, hex) == (int)strlen(hex));
    return b;
}

static void assert_bn_hex(const BIGNUM *got, const char *want_hex)
{
    BIGNUM *want = hex_bn(want_hex);

    if (BN_cmp(got, want) != 0) {
        char *g = BN_bn2hex(got);
        print_error("got %s, want %s\n", g != NULL ? g : "?", want_hex);
        OPENSSL_free(g);
    }
    assert_int_equal(BN_cmp(got, want), 0);
    BN_free(want);
}

static void sha256(const char *msg, uint8_t out[32])
{
    unsigned int n = 0;

    assert_int_equal(EVP_Digest(msg, strlen(msg), out, &n, EVP_sha256(), NULL), 1);
    assert_int_equal(n, 32);
}

static EC_GROUP *group_by_name(const char *name)
{
    int nid = OBJ_sn2nid(name);
    EC_GROUP *g = nid != NID_undef ? EC_GROUP_new_by_curve_name(nid) : NULL;

    assert_non_null(g);
    return g;
}

/* An EVP_PKEY key pair for PRIV on G, built from OSSL_PARAMs (no deprecated EC_KEY). */
static EVP_PKEY *make_pkey(const EC_GROUP *g, const BIGNUM *priv)
{
    BN_CTX *bctx = BN_CTX_new();
    EC_POINT *pub = EC_POINT_new(g);
    unsigned char *pub_oct = NULL;
    size_t pub_len;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *pkey = NULL;

    assert_non_null(bctx);
    assert_non_null(pub);
    assert_non_null(bld);
    assert_non_null(pctx);
    assert_int_equal(EC_POINT_mul(g, pub, priv, NULL, NULL, bctx), 1);
    pub_len = EC_POINT_point2buf(g, pub, POINT_CONVERSION_UNCOMPRESSED, &pub_oct, bctx);
    assert_true(pub_len > 0);
    assert_int_equal(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                                     OBJ_nid2sn(EC_GROUP_get_curve_name(g)), 0),
                     1);
    assert_int_equal(
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_oct, pub_len), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv), 1);
    params = OSSL_PARAM_BLD_to_param(bld);
    assert_non_null(params);
    assert_int_equal(EVP_PKEY_fromdata_init(pctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_KEYPAIR, params), 1);
    assert_non_null(pkey);

    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    OPENSSL_free(pub_oct);
    EC_POINT_free(pub);
    BN_CTX_free(bctx);
    return pkey;
}

/* 1 when SIG is a valid ECDSA-with-SHA256 signature of MSG under PKEY (libcrypto). */
static int evp_verify(EVP_PKEY *pkey, const char *msg, const unsigned char *sig, size_t sig_len)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc;

    assert_non_null(md);
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey), 1);
    rc = EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)msg, strlen(msg));
    EVP_MD_CTX_free(md);
    return rc == 1;
}

/* Signs SHA-256(MSG) with PRIV on G; returns the DER signature (OPENSSL_free it). */
static unsigned char *sign_msg(const EC_GROUP *g, const BIGNUM *priv, const char *msg,
                               size_t *sig_len)
{
    uint8_t h[32];
    unsigned char *sig = NULL;

    sha256(msg, h);
    assert_int_equal(rspg_rfc6979_sign(g, priv, h, sizeof h, &sig, sig_len), 1);
    assert_non_null(sig);
    assert_true(*sig_len > 8);
    return sig;
}

/* Decodes the DER signature (which must be exactly one ECDSA-Sig-Value) and checks
 * r and s against the expected hex values. */
static void assert_sig_rs(const unsigned char *sig, size_t sig_len, const char *r_hex,
                          const char *s_hex)
{
    const unsigned char *p = sig;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len);
    const BIGNUM *r = NULL, *s = NULL;

    assert_non_null(es);
    assert_ptr_equal(p, sig + sig_len); /* no trailing bytes */
    ECDSA_SIG_get0(es, &r, &s);
    assert_bn_hex(r, r_hex);
    assert_bn_hex(s, s_hex);
    ECDSA_SIG_free(es);
}

/* A fixed, curve-dependent private key in [1, q-1] for the tests that need "some key". */
static BIGNUM *fixed_priv(const EC_GROUP *g)
{
    const BIGNUM *q = EC_GROUP_get0_order(g);
    BIGNUM *x = hex_bn("5A17E5CAFE0123456789ABCDEF0FEDCBA9876543210DEADBEEF0C0FFEE15600D"
                       "D15EA5EDB0A710ADED0DDBA11C0DEFACE5");
    BIGNUM *qm1 = BN_dup(q);
    BN_CTX *bctx = BN_CTX_new();

    assert_non_null(qm1);
    assert_non_null(bctx);
    assert_int_equal(BN_sub_word(qm1, 1), 1);
    assert_int_equal(BN_nnmod(x, x, qm1, bctx), 1);
    assert_int_equal(BN_add_word(x, 1), 1);
    BN_free(qm1);
    BN_CTX_free(bctx);
    return x;
}

/* ---- RFC 6979 known answers ----------------------------------------------------- */

typedef struct {
    const char *curve;
    const char *x;
    const char *msg;
    const char *k; /* NULL when the vector source only lists r and s */
    const char *r;
    const char *s;
} vector;

/* RFC 6979 A.2.5: ECDSA, 256 bits (prime field), curve P-256, With SHA-256. */
static const char P256_X[] = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
static const vector p256_vectors[] = {
    {"prime256v1", P256_X, "sample",
     "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
    {"prime256v1", P256_X, "test",
     "D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
     "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
     "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
};

/* RFC 6979 A.2.3 (P-192) and A.2.6 (P-384), With SHA-256: qlen 192 < hlen exercises
 * the truncation in bits2int, qlen 384 > hlen the two-block T of step h.2 and a hash
 * shorter than rlen in bits2octets. (Also in Bouncy Castle's DeterministicDSATest.) */
static const vector qlen_vectors[] = {
    {"prime192v1", "6FAB034934E4C0FC9AE67F5B5659A9D7D1FEFD187EE09FD4", "sample", NULL,
     "4B0B8CE98A92866A2820E20AA6B75B56382E0F9BFD5ECB55",
     "CCDB006926EA9565CBADC840829D8C384E06DE1F1E381B85"},
    {"prime192v1", "6FAB034934E4C0FC9AE67F5B5659A9D7D1FEFD187EE09FD4", "test", NULL,
     "3A718BD8B4926C3B52EE6BBE67EF79B18CB6EB62B1AD97AE",
     "5662E6848A4A19B1F1AE2F72ACD4B8BBE50F1EAC65D9124F"},
    {"secp384r1",
     "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2E"
     "DF5",
     "sample", NULL,
     "21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB"
     "2CD",
     "F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0"
     "AB0"},
    {"secp384r1",
     "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2E"
     "DF5",
     "test", NULL,
     "6D6DEFAC9AB64DABAFE36C6BF510352A4CC27001263638E5B16D9BB51D451559F918EEDAF2293BE5B475CC8F01886"
     "36B",
     "2D46F3BECBCC523D5F1A1256BF0C9B024D879BA9E838144C8BA6BAEB4B53B47D51AB373F9845C0514EEFB14024787"
     "265"},
};

/* RFC 6979 A.1.2 detailed example: K-163 (sect163k1), SHA-256, "sample". qlen = 163 is
 * not a multiple of 8, and the first two step-h values are >= q, so k is only the
 * third value produced (exercises the h.3 loop). */
static const char K163_Q[] = "4000000000000000000020108A2E0CC0D99F8A5EF";
static const vector k163_vector = {"sect163k1",
                                   "09A4D6792295A7F730FC3F2B49CBC0F62E862272F",
                                   "sample",
                                   "23AF4074C90A02B3FE61D286D5C87F425E6BDD81B",
                                   "113A63990598A3828C407C0F4D2438D990DF99A7F",
                                   "1313A2E03F5412DDB296A22E2C455335545672D9F"};

/* Signs V->msg with V->x, checks k (if given), r, s exactly and verifies with EVP. */
static void check_vector(const vector *v)
{
    EC_GROUP *g = group_by_name(v->curve);
    BIGNUM *x = hex_bn(v->x);
    uint8_t h[32];
    unsigned char *sig;
    size_t sig_len = 0;
    EVP_PKEY *pkey;

    if (v->k != NULL) {
        BIGNUM *k = NULL;

        sha256(v->msg, h);
        assert_int_equal(rspg_rfc6979_nonce(x, EC_GROUP_get0_order(g), h, sizeof h, 0, &k), 1);
        assert_bn_hex(k, v->k);
        BN_free(k);
    }
    sig = sign_msg(g, x, v->msg, &sig_len);
    assert_sig_rs(sig, sig_len, v->r, v->s);
    pkey = make_pkey(g, x);
    assert_true(evp_verify(pkey, v->msg, sig, sig_len));
    assert_false(evp_verify(pkey, "tampered", sig, sig_len));

    EVP_PKEY_free(pkey);
    OPENSSL_free(sig);
    BN_free(x);
    EC_GROUP_free(g);
}

static void test_p256_nonce(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof p256_vectors / sizeof p256_vectors[0]; i++) {
        const vector *v = &p256_vectors[i];
        BIGNUM *x = hex_bn(v->x);
        BIGNUM *q = hex_bn("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        BIGNUM *k = NULL;
        uint8_t h[32];

        sha256(v->msg, h);
        assert_int_equal(rspg_rfc6979_nonce(x, q, h, sizeof h, 0, &k), 1);
        assert_non_null(k);
        assert_bn_hex(k, v->k);
        BN_free(k);
        BN_free(q);
        BN_free(x);
    }
}

static void test_p256_signature(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof p256_vectors / sizeof p256_vectors[0]; i++)
        check_vector(&p256_vectors[i]);
}

static void test_other_qlen_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof qlen_vectors / sizeof qlen_vectors[0]; i++)
        check_vector(&qlen_vectors[i]);
}

/* The A.1.2 nonce on the bare order (no curve needed), with the intermediate values the
 * RFC lists: int2octets(x) = 00 9A 4D ..., bits2octets(h1) = 01 79 5E ... */
static void test_k163_nonce(void **state)
{
    BIGNUM *q = hex_bn(K163_Q);
    BIGNUM *x = hex_bn(k163_vector.x);
    BIGNUM *k = NULL, *k1 = NULL;
    uint8_t h[32];

    (void)state;
    sha256(k163_vector.msg, h);
    assert_int_equal(rspg_rfc6979_nonce(x, q, h, sizeof h, 0, &k), 1);
    assert_bn_hex(k, k163_vector.k);
    /* The next candidate exists, differs and is in range. */
    assert_int_equal(rspg_rfc6979_nonce(x, q, h, sizeof h, 1, &k1), 1);
    assert_int_not_equal(BN_cmp(k, k1), 0);
    assert_false(BN_is_zero(k1));
    assert_true(BN_cmp(k1, q) < 0);
    BN_free(k1);
    BN_free(k);
    BN_free(x);
    BN_free(q);
}

/* The full A.1.2 signature on sect163k1, when this libcrypto has binary curves. */
static void test_k163_signature(void **state)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_sect163k1);

    (void)state;
    if (g == NULL)
        tu_skip("OpenSSL built with no-ec2m");
    EC_GROUP_free(g);
    check_vector(&k163_vector);
}

/* ---- properties ------------------------------------------------------------------ */

static const char *const project_curves[] = {"prime256v1", "brainpoolP256r1", "prime192v1",
                                             "brainpoolP192r1", "secp384r1"};

static void test_deterministic_all_curves(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof project_curves / sizeof project_curves[0]; i++) {
        EC_GROUP *g = group_by_name(project_curves[i]);
        BIGNUM *x = fixed_priv(g);
        EVP_PKEY *pkey = make_pkey(g, x);
        size_t l1 = 0, l2 = 0, l3 = 0;
        unsigned char *s1 = sign_msg(g, x, "rsp-pkigen", &l1);
        unsigned char *s2 = sign_msg(g, x, "rsp-pkigen", &l2);
        unsigned char *s3 = sign_msg(g, x, "rsp-pkigen!", &l3);

        /* same key and message: byte-identical signatures */
        assert_int_equal(l1, l2);
        assert_memory_equal(s1, s2, l1);
        /* another message: another signature */
        assert_false(l1 == l3 && memcmp(s1, s3, l1) == 0);
        assert_true(evp_verify(pkey, "rsp-pkigen", s1, l1));
        assert_true(evp_verify(pkey, "rsp-pkigen!", s3, l3));
        assert_false(evp_verify(pkey, "rsp-pkigen!", s1, l1));

        OPENSSL_free(s3);
        OPENSSL_free(s2);
        OPENSSL_free(s1);
        EVP_PKEY_free(pkey);
        BN_free(x);
        EC_GROUP_free(g);
    }
}

static void test_candidates(void **state)
{
    EC_GROUP *g = group_by_name("brainpoolP192r1");
    const BIGNUM *q = EC_GROUP_get0_order(g);
    BIGNUM *x = fixed_priv(g);
    BIGNUM *k[3] = {NULL, NULL, NULL};
    BIGNUM *again = NULL;
    uint8_t h[32];

    (void)state;
    sha256("sample", h);
    for (unsigned c = 0; c < 3; c++) {
        assert_int_equal(rspg_rfc6979_nonce(x, q, h, sizeof h, c, &k[c]), 1);
        assert_false(BN_is_zero(k[c]));
        assert_true(BN_cmp(k[c], q) < 0);
    }
    assert_int_not_equal(BN_cmp(k[0], k[1]), 0);
    assert_int_not_equal(BN_cmp(k[1], k[2]), 0);
    assert_int_not_equal(BN_cmp(k[0], k[2]), 0);
    assert_int_equal(rspg_rfc6979_nonce(x, q, h, sizeof h, 1, &again), 1);
    assert_int_equal(BN_cmp(again, k[1]), 0);

    BN_free(again);
    for (unsigned c = 0; c < 3; c++)
        BN_free(k[c]);
    BN_free(x);
    EC_GROUP_free(g);
}

static void test_bad_input(void **state)
{
    EC_GROUP *g = group_by_name("prime256v1");
    const BIGNUM *q = EC_GROUP_get0_order(g);
    BIGNUM *zero = BN_new(), *x = hex_bn(P256_X);
    BIGNUM *k = (BIGNUM *)1;
    unsigned char *sig = (unsigned char *)1;
    size_t sig_len = 99;
    uint8_t h[32] = {0};

    (void)state;
    assert_non_null(zero);
    BN_zero(zero);
    /* private key 0 and q are out of range */
    assert_int_equal(rspg_rfc6979_nonce(zero, q, h, sizeof h, 0, &k), 0);
    assert_null(k);
    assert_int_equal(rspg_rfc6979_nonce(q, q, h, sizeof h, 0, &k), 0);
    assert_int_equal(rspg_rfc6979_sign(g, zero, h, sizeof h, &sig, &sig_len), 0);
    assert_null(sig);
    assert_int_equal(sig_len, 0);
    assert_int_equal(rspg_rfc6979_sign(g, q, h, sizeof h, &sig, &sig_len), 0);
    /* missing arguments */
    assert_int_equal(rspg_rfc6979_nonce(NULL, q, h, sizeof h, 0, &k), 0);
    assert_int_equal(rspg_rfc6979_nonce(x, NULL, h, sizeof h, 0, &k), 0);
    assert_int_equal(rspg_rfc6979_nonce(x, q, NULL, sizeof h, 0, &k), 0);
    assert_int_equal(rspg_rfc6979_nonce(x, q, h, 0, 0, &k), 0);
    assert_int_equal(rspg_rfc6979_nonce(x, q, h, sizeof h, 0, NULL), 0);
    assert_int_equal(rspg_rfc6979_sign(NULL, x, h, sizeof h, &sig, &sig_len), 0);
    assert_int_equal(rspg_rfc6979_sign(g, NULL, h, sizeof h, &sig, &sig_len), 0);
    assert_int_equal(rspg_rfc6979_sign(g, x, NULL, sizeof h, &sig, &sig_len), 0);
    assert_int_equal(rspg_rfc6979_sign(g, x, h, sizeof h, NULL, &sig_len), 0);
    assert_int_equal(rspg_rfc6979_sign(g, x, h, sizeof h, &sig, NULL), 0);
    assert_null(sig);

    BN_free(x);
    BN_free(zero);
    EC_GROUP_free(g);
}

/* ---- stock openssl ---------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    FILE *f;

    assert_true(snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void remove_file(const char *dir, const char *name)
{
    char path[4096];

    assert_true(snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path);
    assert_int_equal(unlink(path), 0);
}

/* Runs `openssl dgst -sha256 -verify pub.pem -signature sig.der msg.bin` in DIR and
 * returns its exit status (-1 when it did not exit normally). */
static int openssl_dgst_verify(const char *dir)
{
    char cmd[16384];
    int rc;

    assert_true(snprintf(cmd, sizeof cmd,
                         "openssl dgst -sha256 -verify '%s/pub.pem' -signature '%s/sig.der' "
                         "'%s/msg.bin' >/dev/null 2>&1",
                         dir, dir, dir) < (int)sizeof cmd);
    rc = system(cmd);
    assert_int_not_equal(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_openssl_cli_verifies(void **state)
{
    const char *curves[] = {"prime256v1", "brainpoolP256r1"};
    const char *tmp = getenv("TMPDIR");
    const char msg[] = "rsp-pkigen deterministic ECDSA";
    char dir[4096];

    (void)state;
    if (system("openssl version >/dev/null 2>&1") != 0)
        tu_skip("no openssl command on PATH");
    if (tmp == NULL || tmp[0] == '\0' || strchr(tmp, '\'') != NULL)
        tmp = "/tmp";

    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        EC_GROUP *g = group_by_name(curves[i]);
        BIGNUM *x = fixed_priv(g);
        EVP_PKEY *pkey = make_pkey(g, x);
        size_t sig_len = 0;
        unsigned char *sig = sign_msg(g, x, msg, &sig_len);
        char pem_path[4200];
        FILE *f;

        assert_true(snprintf(dir, sizeof dir, "%s/rspg-rfc6979-XXXXXX", tmp) < (int)sizeof dir);
        assert_non_null(mkdtemp(dir));
        assert_true(snprintf(pem_path, sizeof pem_path, "%s/pub.pem", dir) < (int)sizeof pem_path);
        f = fopen(pem_path, "w");
        assert_non_null(f);
        assert_int_equal(PEM_write_PUBKEY(f, pkey), 1);
        assert_int_equal(fclose(f), 0);
        write_file(dir, "msg.bin", msg, strlen(msg));
        write_file(dir, "sig.der", sig, sig_len);

        assert_int_equal(openssl_dgst_verify(dir), 0);
        /* and the check is real: another message must not verify */
        write_file(dir, "msg.bin", "tampered", 8);
        assert_int_not_equal(openssl_dgst_verify(dir), 0);

        remove_file(dir, "pub.pem");
        remove_file(dir, "msg.bin");
        remove_file(dir, "sig.der");
        assert_int_equal(rmdir(dir), 0);
        OPENSSL_free(sig);
        EVP_PKEY_free(pkey);
        BN_free(x);
        EC_GROUP_free(g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_p256_nonce),
        cmocka_unit_test(test_p256_signature),
        cmocka_unit_test(test_other_qlen_vectors),
        cmocka_unit_test(test_k163_nonce),
        cmocka_unit_test(test_k163_signature),
        cmocka_unit_test(test_deterministic_all_curves),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_openssl_cli_verifies),
    };

    return tu_exit(cmocka_run_group_tests_name("rfc6979", tests, NULL, NULL));
}
