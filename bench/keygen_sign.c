/*
 * keygen_sign.c: the floor for bulk minting, as the issue defines it: a loop that does only
 * what libcrypto must do per eUICC (generate a key pair, sign 300 bytes with ECDSA-SHA256
 * under a fixed issuer key), with reused contexts, on one or more threads.
 *
 *   keygen_sign CURVE COUNT THREADS     prints "<certs per second>"
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

static const char *curve;
static long per_thread;
static EVP_PKEY *issuer;

static void *run(void *arg)
{
    (void)arg;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new_from_pkey(NULL, issuer, NULL);
    unsigned char msg[300], hash[32], sig[160];
    memset(msg, 0x5a, sizeof(msg));
    if (!kctx || EVP_PKEY_keygen_init(kctx) <= 0 || EVP_PKEY_CTX_set_group_name(kctx, curve) <= 0 ||
        !sctx || EVP_PKEY_sign_init(sctx) <= 0) {
        fprintf(stderr, "setup failed\n");
        exit(1);
    }
    for (long i = 0; i < per_thread; i++) {
        EVP_PKEY *k = NULL;
        size_t sl = sizeof(sig);
        msg[i % sizeof(msg)] ^= 1;
        if (EVP_PKEY_generate(kctx, &k) <= 0)
            exit(1);
        SHA256(msg, sizeof(msg), hash);
        if (EVP_PKEY_sign(sctx, sig, &sl, hash, sizeof(hash)) <= 0)
            exit(1);
        EVP_PKEY_free(k);
    }
    EVP_PKEY_CTX_free(kctx);
    EVP_PKEY_CTX_free(sctx);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: keygen_sign CURVE COUNT THREADS\n");
        return 2;
    }
    curve = argv[1];
    long count = atol(argv[2]);
    int threads = atoi(argv[3]);
    per_thread = count / threads;
    issuer = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    pthread_t t[64];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%.0f\n", (double)(per_thread * threads) / s);
    EVP_PKEY_free(issuer);
    return 0;
}
