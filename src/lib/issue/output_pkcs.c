/*
 * output_pkcs.c: the PKCS encodings a build may add (output_format.h): private keys as
 * PKCS#8 PrivateKeyInfo (RFC 5208 §5, RFC 5958; unencrypted, as `openssl pkcs8 -topk8
 * -nocrypt` writes it) instead of SEC1 (RFC 5915), and PKCS#12 (RFC 7292) files of the TLS
 * certificates (the roles dp-tls, ds-tls and eim-tls: CERT.DP.TLS, CERT.DS.TLS of SGP.22
 * §4.5.2.1 and the eIM's TLS certificate of SGP.32) with their key and issuers, made by
 * OpenSSL's PKCS12_create with its default algorithms.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "issue/output_internal.h"
#include "rspg/asn1/pem.h"
#include "rspg/crypto/key.h"
#include "rspg/issue/output_format.h"

/* The bytes of memory BIO B, appended to OUT; the BIO's copy cleansed. */
static void take_bio(BIO *b, rspg_buf *out)
{
    BUF_MEM *mem = NULL;
    BIO_get_mem_ptr(b, &mem);
    if (mem && mem->length) {
        rspg_buf_append(out, mem->data, mem->length);
        OPENSSL_cleanse(mem->data, mem->length);
    }
}

/* Key artifact A re-encoded as PKCS#8, PEM or DER after its file name. */
static rspg_status to_pkcs8(rspg_artifact *a, rspg_diag *d)
{
    rspg_key k;
    memset(&k, 0, sizeof(k));
    rspg_status rc = rspg_key_load(a->data.data, a->data.len, a->path, d, &k);
    if (rc != RSPG_OK)
        return rc;
    BIO *b = BIO_new(BIO_s_mem());
    int ok = b && k.pkey &&
             (a->pem ? PEM_write_bio_PKCS8PrivateKey(b, k.pkey, NULL, NULL, 0, NULL, NULL)
                     : i2d_PKCS8PrivateKey_bio(b, k.pkey, NULL, NULL, 0, NULL, NULL)) == 1;
    if (ok) {
        OPENSSL_cleanse(a->data.data, a->data.len);
        rspg_buf_reset(&a->data);
        take_bio(b, &a->data);
        a->encoding = "pkcs8";
    }
    BIO_free(b);
    rspg_key_free(&k);
    return ok ? RSPG_OK : rspg_fail_crypto(d, "%s: cannot encode the key as PKCS#8", a->path);
}

rspg_status rspg_output_keys_pkcs8(rspg_build_result *r, rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < r->n && rc == RSPG_OK; i++)
        if (r->items[i].kind == RSPG_ART_PRIVATE_KEY)
            rc = to_pkcs8(&r->items[i], d);
    return rc;
}

static int cmp_path(const void *key, const void *item)
{
    return strcmp((const char *)key, ((const rspg_artifact *)item)->path);
}

/* The artifact at PATH in R (linear: R may be unsorted here), or NULL. */
static const rspg_artifact *at_path(const rspg_build_result *r, const char *path)
{
    for (size_t i = 0; path && i < r->n; i++)
        if (cmp_path(path, &r->items[i]) == 0)
            return &r->items[i];
    return NULL;
}

/* Certificate artifact A as an X509 (DER or PEM), or NULL. */
static X509 *x509_of(const rspg_artifact *a)
{
    rspg_buf der;
    rspg_buf_init(&der);
    X509 *x = NULL;
    if (rspg_pem_or_der(a->data.data, a->data.len, "CERTIFICATE", &der) == 0) {
        const unsigned char *p = der.data;
        x = d2i_X509(NULL, &p, (long)der.len);
    }
    rspg_buf_free(&der);
    return x;
}

/* The issuers of A up to, not including, the self-signed root (at most 8). */
static STACK_OF(X509) * chain_of(const rspg_build_result *r, const rspg_artifact *a)
{
    STACK_OF(X509) *ca = sk_X509_new_null();
    const rspg_artifact *cur = a;
    for (int depth = 0; depth < 8 && ca; depth++) {
        const rspg_artifact *iss = at_path(r, cur->issuer_path);
        if (iss == NULL || iss == cur || iss->issuer_path == NULL ||
            strcmp(iss->issuer_path, iss->path) == 0 || iss->entity->issuer == NULL)
            break;
        X509 *x = x509_of(iss);
        if (x == NULL || !sk_X509_push(ca, x)) {
            X509_free(x);
            break;
        }
        cur = iss;
    }
    return ca;
}

static int is_tls(const rspg_artifact *a)
{
    rspg_role role = a->entity->role;
    return a->kind == RSPG_ART_CERT &&
           (role == RSPG_ROLE_DP_TLS || role == RSPG_ROLE_DS_TLS || role == RSPG_ROLE_EIM_TLS);
}

/* The PKCS#12 of certificate A with key K into OUT; 0 or -1. */
static int make_p12(const rspg_build_result *r, const rspg_artifact *a, const rspg_artifact *k,
                    const char *password, rspg_buf *out)
{
    rspg_key key;
    rspg_diag quiet;
    memset(&key, 0, sizeof(key));
    rspg_diag_init(&quiet);
    X509 *x = x509_of(a);
    STACK_OF(X509) *ca = chain_of(r, a);
    int ok = -1;
    if (x && ca && rspg_key_load(k->data.data, k->data.len, k->path, &quiet, &key) == RSPG_OK) {
        const char *name = a->entity->name ? a->entity->name : a->entity->id;
        PKCS12 *p12 = PKCS12_create(password, name, key.pkey, x, ca, 0, 0, 0, 0, 0);
        BIO *b = p12 ? BIO_new(BIO_s_mem()) : NULL;
        if (b && i2d_PKCS12_bio(b, p12) == 1) {
            take_bio(b, out);
            ok = 0;
        }
        BIO_free(b);
        PKCS12_free(p12);
    }
    rspg_key_free(&key);
    rspg_diag_fini(&quiet);
    sk_X509_pop_free(ca, X509_free);
    X509_free(x);
    return ok;
}

/* Whether a PKCS#12 was made for the certificate bytes of A already (its PEM or DER twin). */
static int done_before(const rspg_build_result *r, size_t n, const rspg_artifact *a)
{
    for (size_t i = 0; i < n; i++) {
        const rspg_artifact *p = &r->items[i];
        if (p->kind == RSPG_ART_PKCS12 && p->entity == a->entity && p->curve == a->curve &&
            strcmp(p->variant ? p->variant : "", a->variant ? a->variant : "") == 0 &&
            a->key_path && p->key_path && strcmp(p->key_path, a->key_path) == 0)
            return 1;
    }
    return 0;
}

/* One NAME.p12 for certificate I, when its key file is in the build. */
static rspg_status add_p12(rspg_build_result *r, size_t i, const char *password, int *made,
                           rspg_diag *d)
{
    const rspg_artifact *a = &r->items[i];
    const rspg_artifact *k = at_path(r, a->key_path);
    if (k == NULL || k->kind != RSPG_ART_PRIVATE_KEY || done_before(r, r->n, a))
        return RSPG_OK;
    rspg_buf data;
    rspg_buf_init(&data);
    if (make_p12(r, a, k, password, &data) != 0) {
        rspg_buf_free(&data);
        return rspg_fail_crypto(d, "%s: cannot make its PKCS#12 file", a->path);
    }
    char *path = rspg_output_swap_ext(a->path, ".p12");
    rspg_artifact *p = rspg_build_result_add_entity(r, RSPG_ART_PKCS12, path, r->items[i].entity,
                                                    r->items[i].curve, r->items[i].variant,
                                                    r->items[i].path, r->items[i].key_path);
    p->secret = 1;
    p->pem = 0;
    p->encoding = "pkcs12";
    p->data = data;
    (*made)++;
    return RSPG_OK;
}

rspg_status rspg_output_pkcs12(rspg_build_result *r, const char *password, rspg_diag *d)
{
    size_t n0 = r->n;
    int made = 0;
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < n0 && rc == RSPG_OK; i++)
        if (is_tls(&r->items[i]))
            rc = add_p12(r, i, password, &made, d);
    if (rc == RSPG_OK && made == 0)
        rc = rspg_fail(d, RSPG_E_USAGE,
                       "--pkcs12: no TLS certificate (dp-tls, ds-tls, eim-tls) of this build has "
                       "its private key file in the output");
    return rc;
}
