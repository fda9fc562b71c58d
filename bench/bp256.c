/*
 * bp256.c: keygen + ECDSA-SHA256 signing on brainpoolP256r1, per second, for every
 * implementation bench/bp256.sh compares in one run (the bulk-minting issue, issue 15):
 *
 *   openssl   libcrypto EVP (the floor; the same loop as bench/keygen_sign.c)
 *   gcrypt    libgcrypt  gcry_pk_genkey + gcry_pk_sign        (built with -DHAVE_GCRYPT)
 *   mbedtls   mbedTLS    mbedtls_ecdsa_genkey + mbedtls_ecdsa_sign (-DHAVE_MBEDTLS)
 *   botan     Botan 2    FFI botan_privkey_create + botan_pk_op_sign (-DHAVE_BOTAN)
 *   ours      src/lib/crypto/bp256.c: rspg_bp256_public + rspg_bp256_sign (-DHAVE_OURS)
 *
 * Every iteration makes one fresh key pair and one signature over the SHA-256 of a 300-byte
 * message (one byte flipped per iteration) under a fixed issuer key, with contexts reused,
 * as the mint loop does. For "ours" the private key and the nonce come from RAND_bytes
 * (libcrypto's DRBG, as the floor's keygen and nonce do).
 *
 *   bp256 MODE COUNT THREADS      prints "<key pairs + signatures per second> <per CPU second>"
 *   bp256 check COUNT THREADS     (HAVE_OURS) COUNT random scalars (RAND_bytes): rspg_bp256_public
 *                                 against libcrypto's EC_POINT_mul (its wNAF with its own
 *                                 precomputed table of G: EC_GROUP_precompute_mult), and a
 *                                 signature per 16 scalars verified by libcrypto
 *                                 (EVP_PKEY_verify); prints "ok N" or exits 1
 *   bp256 ct 1 1                  (HAVE_VALGRIND; run under valgrind) marks d and k undefined
 *                                 for memcheck, which then reports every branch and memory
 *                                 index that depends on them (bench/bp256.sh --ct checks that
 *                                 the only ones are the documented outcome checks)
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1 /* EC_GROUP_precompute_mult, for the check */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#ifdef HAVE_GCRYPT
#include <gcrypt.h>
#endif
#ifdef HAVE_MBEDTLS
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#endif
#ifdef HAVE_BOTAN
#include <botan/ffi.h>
#endif
#ifdef HAVE_OURS
#include "rspg/crypto/bp256.h"
#endif
#ifdef HAVE_VALGRIND
#include <valgrind/memcheck.h>
#endif

#define MSG_LEN 300

static long per_thread;

static void die(const char *what)
{
    fprintf(stderr, "bp256 bench: %s failed\n", what);
    exit(1);
}

/* ---- libcrypto (the floor) ---- */
static EVP_PKEY *ossl_issuer;

static void *run_openssl(void *arg)
{
    (void)arg;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new_from_pkey(NULL, ossl_issuer, NULL);
    unsigned char msg[MSG_LEN], hash[32], sig[160];
    memset(msg, 0x5a, sizeof(msg));
    if (!kctx || EVP_PKEY_keygen_init(kctx) <= 0 ||
        EVP_PKEY_CTX_set_group_name(kctx, "brainpoolP256r1") <= 0 || !sctx ||
        EVP_PKEY_sign_init(sctx) <= 0)
        die("openssl setup");
    for (long i = 0; i < per_thread; i++) {
        EVP_PKEY *k = NULL;
        size_t sl = sizeof(sig);
        msg[i % sizeof(msg)] ^= 1;
        if (EVP_PKEY_generate(kctx, &k) <= 0)
            die("EVP_PKEY_generate");
        SHA256(msg, sizeof(msg), hash);
        if (EVP_PKEY_sign(sctx, sig, &sl, hash, sizeof(hash)) <= 0)
            die("EVP_PKEY_sign");
        EVP_PKEY_free(k);
    }
    EVP_PKEY_CTX_free(kctx);
    EVP_PKEY_CTX_free(sctx);
    return NULL;
}

static void setup_openssl(void)
{
    ossl_issuer = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "brainpoolP256r1");
    if (ossl_issuer == NULL)
        die("openssl issuer key");
}

/* ---- libgcrypt ---- */
#ifdef HAVE_GCRYPT
static gcry_sexp_t gc_issuer;

static void setup_gcrypt(void)
{
    gcry_sexp_t parms, key;
    if (!gcry_check_version(NULL))
        die("gcry_check_version");
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    if (gcry_sexp_build(&parms, NULL, "(genkey (ecc (curve brainpoolP256r1)))") ||
        gcry_pk_genkey(&key, parms))
        die("gcrypt issuer key");
    gc_issuer = gcry_sexp_find_token(key, "private-key", 0);
    gcry_sexp_release(parms);
    gcry_sexp_release(key);
}

static void *run_gcrypt(void *arg)
{
    (void)arg;
    unsigned char msg[MSG_LEN], hash[32];
    gcry_sexp_t parms;
    memset(msg, 0x5a, sizeof(msg));
    if (gcry_sexp_build(&parms, NULL, "(genkey (ecc (curve brainpoolP256r1)))"))
        die("gcrypt parms");
    for (long i = 0; i < per_thread; i++) {
        gcry_sexp_t key, data, sig;
        msg[i % sizeof(msg)] ^= 1;
        if (gcry_pk_genkey(&key, parms))
            die("gcry_pk_genkey");
        gcry_md_hash_buffer(GCRY_MD_SHA256, hash, msg, sizeof(msg));
        if (gcry_sexp_build(&data, NULL, "(data (flags raw) (value %b))", 32, hash) ||
            gcry_pk_sign(&sig, data, gc_issuer))
            die("gcry_pk_sign");
        gcry_sexp_release(sig);
        gcry_sexp_release(data);
        gcry_sexp_release(key);
    }
    gcry_sexp_release(parms);
    return NULL;
}
#endif

/* ---- mbedTLS ---- */
#ifdef HAVE_MBEDTLS
static mbedtls_ecdsa_context mb_issuer;
static mbedtls_entropy_context mb_entropy;

static void setup_mbedtls(void)
{
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_init(&mb_entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ecdsa_init(&mb_issuer);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &mb_entropy, NULL, 0) ||
        mbedtls_ecdsa_genkey(&mb_issuer, MBEDTLS_ECP_DP_BP256R1, mbedtls_ctr_drbg_random, &drbg))
        die("mbedtls issuer key");
    mbedtls_ctr_drbg_free(&drbg);
}

static void *run_mbedtls(void *arg)
{
    (void)arg;
    unsigned char msg[MSG_LEN], hash[32];
    mbedtls_ctr_drbg_context drbg;
    mbedtls_mpi r, s;
    memset(msg, 0x5a, sizeof(msg));
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &mb_entropy, NULL, 0))
        die("mbedtls drbg");
    for (long i = 0; i < per_thread; i++) {
        mbedtls_ecdsa_context k;
        msg[i % sizeof(msg)] ^= 1;
        mbedtls_ecdsa_init(&k);
        if (mbedtls_ecdsa_genkey(&k, MBEDTLS_ECP_DP_BP256R1, mbedtls_ctr_drbg_random, &drbg))
            die("mbedtls_ecdsa_genkey");
        SHA256(msg, sizeof(msg), hash);
        if (mbedtls_ecdsa_sign(&mb_issuer.grp, &r, &s, &mb_issuer.d, hash, sizeof(hash),
                               mbedtls_ctr_drbg_random, &drbg))
            die("mbedtls_ecdsa_sign");
        mbedtls_ecdsa_free(&k);
    }
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_ctr_drbg_free(&drbg);
    return NULL;
}
#endif

/* ---- Botan 2 (C FFI) ---- */
#ifdef HAVE_BOTAN
static botan_privkey_t bo_issuer;

static void setup_botan(void)
{
    botan_rng_t rng;
    if (botan_rng_init(&rng, "system") ||
        botan_privkey_create(&bo_issuer, "ECDSA", "brainpool256r1", rng))
        die("botan issuer key");
    botan_rng_destroy(rng);
}

static void *run_botan(void *arg)
{
    (void)arg;
    unsigned char msg[MSG_LEN], sig[128];
    botan_rng_t rng;
    botan_pk_op_sign_t op;
    memset(msg, 0x5a, sizeof(msg));
    if (botan_rng_init(&rng, "user") ||
        botan_pk_op_sign_create(&op, bo_issuer, "EMSA1(SHA-256)", 0))
        die("botan setup");
    for (long i = 0; i < per_thread; i++) {
        botan_privkey_t k;
        size_t sl = sizeof(sig);
        msg[i % sizeof(msg)] ^= 1;
        if (botan_privkey_create(&k, "ECDSA", "brainpool256r1", rng))
            die("botan_privkey_create");
        if (botan_pk_op_sign_update(op, msg, sizeof(msg)) ||
            botan_pk_op_sign_finish(op, rng, sig, &sl))
            die("botan sign");
        botan_privkey_destroy(k);
    }
    botan_pk_op_sign_destroy(op);
    botan_rng_destroy(rng);
    return NULL;
}
#endif

/* ---- ours ---- */
#ifdef HAVE_OURS
static uint8_t our_issuer[32];

/* a random scalar in [1, n-1]: rspg_bp256_public refuses the others (retry) */
static void our_scalar(uint8_t d[32])
{
    uint8_t pub[65];
    do {
        if (RAND_bytes(d, 32) != 1)
            die("RAND_bytes");
    } while (rspg_bp256_public(d, pub) != 0);
}

static void setup_ours(void)
{
    our_scalar(our_issuer);
}

static void *run_ours(void *arg)
{
    (void)arg;
    unsigned char msg[MSG_LEN], hash[32], d[32], k[32], pub[65], r[32], s[32];
    memset(msg, 0x5a, sizeof(msg));
    for (long i = 0; i < per_thread; i++) {
        msg[i % sizeof(msg)] ^= 1;
        if (RAND_bytes(d, 32) != 1 || RAND_bytes(k, 32) != 1)
            die("RAND_bytes");
        if (rspg_bp256_public(d, pub) != 0) { /* d >= n: probability ~2^-2.5, retry */
            i--;
            continue;
        }
        SHA256(msg, sizeof(msg), hash);
        if (rspg_bp256_sign(our_issuer, k, hash, sizeof(hash), r, s) != 0) {
            i--;
            continue;
        }
    }
    return NULL;
}
#endif

typedef struct {
    const char *name;
    void (*setup)(void);
    void *(*run)(void *);
} mode;

static const mode modes[] = {
    {"openssl", setup_openssl, run_openssl},
#ifdef HAVE_GCRYPT
    {"gcrypt", setup_gcrypt, run_gcrypt},
#endif
#ifdef HAVE_MBEDTLS
    {"mbedtls", setup_mbedtls, run_mbedtls},
#endif
#ifdef HAVE_BOTAN
    {"botan", setup_botan, run_botan},
#endif
#ifdef HAVE_OURS
    {"ours", setup_ours, run_ours},
#endif
};

#ifdef HAVE_OURS
/* ---- the 10-million cross-check (bench/bp256.sh --check10m) ---- */
static const EC_GROUP *check_group;

static void check_fail(const char *what, const uint8_t d[32])
{
    fprintf(stderr, "bp256 check: %s differs for d = ", what);
    for (int i = 0; i < 32; i++)
        fprintf(stderr, "%02x", d[i]);
    fprintf(stderr, "\n");
    exit(1);
}

/* 1 when (r, s) is a valid ECDSA signature of the 32-byte hash H under the public key PUB
 * (04||X||Y), by libcrypto's verifier (EVP_PKEY_verify on the DER ECDSA-Sig-Value). */
static int ossl_verify(const uint8_t pub[65], const uint8_t h[32], const uint8_t r[32],
                       const uint8_t s[32])
{
    OSSL_PARAM params[3];
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *fctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL), *vctx = NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *br = BN_bin2bn(r, 32, NULL), *bs = BN_bin2bn(s, 32, NULL);
    unsigned char *der = NULL;
    int der_len, ok;

    params[0] =
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"brainpoolP256r1", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub, 65);
    params[2] = OSSL_PARAM_construct_end();
    if (!fctx || !sig || !br || !bs || EVP_PKEY_fromdata_init(fctx) <= 0 ||
        EVP_PKEY_fromdata(fctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0 ||
        !ECDSA_SIG_set0(sig, br, bs) || (der_len = i2d_ECDSA_SIG(sig, &der)) <= 0 ||
        (vctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL ||
        EVP_PKEY_verify_init(vctx) <= 0)
        die("verify setup");
    ok = EVP_PKEY_verify(vctx, der, (size_t)der_len, h, 32) == 1;
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    EVP_PKEY_CTX_free(vctx);
    EVP_PKEY_CTX_free(fctx);
    EVP_PKEY_free(pkey);
    return ok;
}

/* one signature with a random nonce k: ours must verify under libcrypto */
static void check_sig(const uint8_t d[32], const uint8_t pub[65])
{
    uint8_t k[32], h[32], r[32], s[32];
    if (RAND_bytes(k, 32) != 1 || RAND_bytes(h, 32) != 1)
        die("RAND_bytes");
    if (rspg_bp256_sign(d, k, h, 32, r, s) != 0)
        return; /* k out of range: nothing to check */
    if (!ossl_verify(pub, h, r, s))
        check_fail("signature", d);
}

static void *run_check(void *arg)
{
    (void)arg;
    BN_CTX *bctx = BN_CTX_new();
    EC_POINT *p = EC_POINT_new(check_group);
    BIGNUM *bd = BN_new(), *zero = BN_new();
    uint8_t d[32], ours[65], ref[65];
    if (!bctx || !p || !bd || !zero)
        die("check setup");
    BN_zero(zero);
    for (long i = 0; i < per_thread; i++) {
        if (i > 0 && i % 1000000 == 0) /* progress, so that a partial run reports something */
            fprintf(stderr, "bp256 check: %ld scalars of one thread passed\n", i);
        if (RAND_bytes(d, 32) != 1)
            die("RAND_bytes");
        int rc = rspg_bp256_public(d, ours);
        if (!BN_bin2bn(d, 32, bd))
            die("BN_bin2bn");
        int in_range = !BN_is_zero(bd) && BN_cmp(bd, EC_GROUP_get0_order(check_group)) < 0;
        if ((rc == 0) != in_range)
            check_fail("range check", d);
        if (!in_range)
            continue;
        if (!EC_POINT_mul(check_group, p, bd, EC_GROUP_get0_generator(check_group), zero, bctx) ||
            EC_POINT_point2oct(check_group, p, POINT_CONVERSION_UNCOMPRESSED, ref, 65, bctx) != 65)
            die("EC_POINT_mul");
        if (memcmp(ours, ref, 65) != 0)
            check_fail("public point", d);
        if (i % 16 == 0)
            check_sig(d, ours);
    }
    BN_free(bd);
    BN_free(zero);
    EC_POINT_free(p);
    BN_CTX_free(bctx);
    return NULL;
}
#endif

#ifdef HAVE_VALGRIND
/* ---- constant time (bench/bp256.sh --ct): secrets marked undefined for memcheck ---- */
static void run_ct(void)
{
    uint8_t d[32], k[32], h[32], pub[65], r[32], s[32];
    memset(d, 0x11, 32);
    rspg_bp256_public(d, pub); /* builds the table outside the check */
    for (int i = 0; i < 4; i++) {
        if (RAND_bytes(d, 32) != 1 || RAND_bytes(k, 32) != 1 || RAND_bytes(h, 32) != 1)
            die("RAND_bytes");
        d[0] &= 0x7F; /* in range, so that the whole computation runs */
        k[0] &= 0x7F;
        VALGRIND_MAKE_MEM_UNDEFINED(d, 32);
        VALGRIND_MAKE_MEM_UNDEFINED(k, 32);
        int rc1 = rspg_bp256_public(d, pub);
        int rc2 = rspg_bp256_sign(d, k, h, 32, r, s);
        /* the outputs are public */
        VALGRIND_MAKE_MEM_DEFINED(&rc1, sizeof(rc1));
        VALGRIND_MAKE_MEM_DEFINED(&rc2, sizeof(rc2));
        VALGRIND_MAKE_MEM_DEFINED(pub, sizeof(pub));
        VALGRIND_MAKE_MEM_DEFINED(r, sizeof(r));
        VALGRIND_MAKE_MEM_DEFINED(s, sizeof(s));
        if (rc1 != 0 || rc2 != 0)
            die("ct run");
    }
    printf("ok\n");
}
#endif

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs FN on THREADS threads; returns the wall time, and the CPU time of the process in
 * *CPU (less sensitive than the wall time to other processes on a shared machine). */
static double run_threads(void *(*fn)(void *), int threads, double *cpu)
{
    pthread_t t[64];
    double c0 = seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
    for (int i = 0; i < threads; i++)
        if (pthread_create(&t[i], NULL, fn, NULL) != 0)
            die("pthread_create");
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    *cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    return seconds(CLOCK_MONOTONIC) - w0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bp256 MODE COUNT THREADS   (MODE:");
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
            fprintf(stderr, " %s", modes[i].name);
        fprintf(stderr, ")\n");
        return 2;
    }
    long count = atol(argv[2]);
    int threads = atoi(argv[3]);
    if (count < 1 || threads < 1 || threads > 64) {
        fprintf(stderr, "bp256: COUNT >= 1, 1 <= THREADS <= 64\n");
        return 2;
    }
    per_thread = count / threads;
#ifdef HAVE_VALGRIND
    if (strcmp(argv[1], "ct") == 0) {
        run_ct();
        return 0;
    }
#endif
#ifdef HAVE_OURS
    if (strcmp(argv[1], "check") == 0) {
        EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_brainpoolP256r1);
        if (g == NULL || EC_GROUP_precompute_mult(g, NULL) != 1)
            die("EC_GROUP_new_by_curve_name");
        check_group = g;
        double cpu;
        run_threads(run_check, threads, &cpu);
        printf("ok %ld\n", per_thread * threads);
        return 0;
    }
#endif
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        if (strcmp(argv[1], modes[i].name) != 0)
            continue;
        double cpu;
        modes[i].setup();
        double wall = run_threads(modes[i].run, threads, &cpu);
        printf("%.0f %.0f\n", (double)(per_thread * threads) / wall,
               (double)(per_thread * threads) / cpu);
        return 0;
    }
    fprintf(stderr, "bp256: unknown mode %s\n", argv[1]);
    return 2;
}
