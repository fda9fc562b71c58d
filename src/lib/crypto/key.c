/*
 * key.c: EC key pairs through the OpenSSL 3 EVP/param API. Encodings are written by
 * hand (der.c) so that they are exactly what GSMA ships: SEC1 ECPrivateKey (RFC 5915)
 * with the namedCurve and the public key, and SubjectPublicKeyInfo (RFC 5480). The
 * subject key identifier is RFC 5280 §4.2.1.2 method 1, as in every SGP.26 certificate.
 */
#include "rspg/crypto/key.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "rspg/asn1/der.h"
#include "rspg/crypto/key_derive.h"

static const char *const id_ec_public_key = "1.2.840.10045.2.1";

/* Converts a point in any encoding to uncompressed form; 1 = ok (libcrypto style). */
static int uncompress_point(const rspg_curve *curve, const uint8_t *in, size_t in_len, uint8_t *out,
                            size_t *out_len, size_t cap)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(curve->nid);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    int ok = pt && EC_POINT_oct2point(g, pt, in, in_len, NULL);
    if (ok) {
        size_t n = EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, out, cap, NULL);
        ok = n > 0;
        *out_len = n;
    }
    EC_POINT_free(pt);
    EC_GROUP_free(g);
    return ok;
}

static void finish_key(rspg_key *k)
{
    SHA1(k->pub, k->pub_len, k->ski);
}

rspg_status rspg_key_from_pkey(EVP_PKEY *pkey, rspg_diag *d, rspg_key *out)
{
    char group[64];
    uint8_t pub[sizeof(out->pub)];
    size_t glen = 0, plen = 0;

    memset(out, 0, sizeof(*out));
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) {
        EVP_PKEY_free(pkey);
        return rspg_fail(d, RSPG_E_PROFILE, "not an elliptic-curve key");
    }
    if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                        &glen)) {
        EVP_PKEY_free(pkey);
        return rspg_fail(d, RSPG_E_PROFILE,
                         "the key has no named curve (explicit parameters "
                         "are not supported)");
    }
    const rspg_curve *curve = rspg_curve_find(group);
    if (curve == NULL) {
        EVP_PKEY_free(pkey);
        return rspg_fail(d, RSPG_E_PROFILE, "unsupported curve '%s' (expected one of %s)", group,
                         rspg_curve_names());
    }
    if (!EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &plen) ||
        !uncompress_point(curve, pub, plen, out->pub, &out->pub_len, sizeof(out->pub))) {
        EVP_PKEY_free(pkey);
        return rspg_fail_crypto(d, "cannot read the public key");
    }
    out->pkey = pkey;
    out->curve = curve;
    finish_key(out);
    return RSPG_OK;
}

rspg_status rspg_key_generate(const rspg_curve *curve, rspg_diag *d, rspg_key *out)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve->name);
    if (pkey == NULL)
        return rspg_fail_crypto(d, "cannot generate a key on %s", curve->name);
    return rspg_key_from_pkey(pkey, d, out);
}

/* Builds an EVP_PKEY from a private scalar (and computes its public point). */
static rspg_status key_from_scalar(const rspg_curve *curve, const BIGNUM *priv, rspg_diag *d,
                                   rspg_key *out)
{
    rspg_status rc = RSPG_OK;
    EC_GROUP *g = EC_GROUP_new_by_curve_name(curve->nid);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    uint8_t pub[sizeof(out->pub)];
    size_t plen;

    if (pt == NULL || bld == NULL || !EC_POINT_mul(g, pt, priv, NULL, NULL, NULL) ||
        (plen = EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL)) ==
            0 ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve->name, 0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, plen) ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
        (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
        EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0) {
        rc = rspg_fail_crypto(d, "cannot build a key on %s", curve->name);
        goto out;
    }
    rc = rspg_key_from_pkey(pkey, d, out);
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EC_POINT_free(pt);
    EC_GROUP_free(g);
    return rc;
}

rspg_status rspg_key_derive(const rspg_curve *curve, const uint8_t *seed, size_t seed_len,
                            const char *label, rspg_diag *d, rspg_key *out)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(curve->nid);
    BIGNUM *priv = NULL;
    rspg_status rc;
    if (g == NULL || !rspg_derive_scalar(EC_GROUP_get0_order(g), seed, seed_len, label, &priv)) {
        EC_GROUP_free(g);
        return rspg_fail_crypto(d, "cannot derive the key '%s'", label);
    }
    rc = key_from_scalar(curve, priv, d, out);
    BN_clear_free(priv);
    EC_GROUP_free(g);
    return rc;
}

rspg_status rspg_key_from_public(const rspg_curve *curve, const uint8_t *pub, size_t len,
                                 rspg_diag *d, rspg_key *out)
{
    OSSL_PARAM params[3];
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    memset(out, 0, sizeof(*out));
    if (!uncompress_point(curve, pub, len, out->pub, &out->pub_len, sizeof(out->pub))) {
        ERR_clear_error();
        return rspg_fail(d, RSPG_E_PROFILE, "the public key is not a point on %s", curve->name);
    }
    params[0] =
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)curve->name, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, out->pub, out->pub_len);
    params[2] = OSSL_PARAM_construct_end();
    if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
        EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        EVP_PKEY_CTX_free(ctx);
        return rspg_fail_crypto(d, "cannot use the public key on %s", curve->name);
    }
    EVP_PKEY_CTX_free(ctx);
    out->pkey = pkey;
    out->curve = curve;
    finish_key(out);
    return RSPG_OK;
}

static int is_pem(const uint8_t *data, size_t len)
{
    for (size_t i = 0; i + 10 <= len; i++)
        if (memcmp(data + i, "-----BEGIN", 10) == 0)
            return 1;
    return 0;
}

static int contains(const uint8_t *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(data + i, needle, n) == 0)
            return 1;
    return 0;
}

static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

rspg_status rspg_key_load(const uint8_t *data, size_t len, const char *what, rspg_diag *d,
                          rspg_key *out)
{
    EVP_PKEY *pkey = NULL;
    memset(out, 0, sizeof(*out));
    if (len > INT32_MAX)
        return rspg_fail(d, RSPG_E_PROFILE, "%s: file too large for a key", what);
    if (is_pem(data, len)) {
        if (contains(data, len, "ENCRYPTED"))
            return rspg_fail(d, RSPG_E_PROFILE,
                             "%s: encrypted private keys are not supported (decrypt it with "
                             "'openssl pkey')",
                             what);
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        if (bio)
            pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
        BIO_free(bio);
    } else {
        const unsigned char *p = data;
        pkey = d2i_AutoPrivateKey(NULL, &p, (long)len);
        if (pkey && p != data + len) {
            EVP_PKEY_free(pkey);
            pkey = NULL;
        }
    }
    ERR_clear_error();
    if (pkey == NULL) {
        if (contains(data, len, "PUBLIC KEY") || contains(data, len, "CERTIFICATE"))
            return rspg_fail(d, RSPG_E_PROFILE, "%s: holds no private key", what);
        return rspg_fail(d, RSPG_E_PROFILE,
                         "%s: not a private key in PEM or DER (SEC1 or PKCS#8 expected)", what);
    }
    /* SEC1 and PKCS#8 carry the public key beside the private scalar and libcrypto takes
     * both as they are: a damaged or spliced file would sign with one key and put the
     * other in the certificate. Require a consistent pair (scalar in [1, n-1], public
     * key = scalar x G). */
    EVP_PKEY_CTX *pctx = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC
                             ? EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)
                             : NULL;
    int pair_ok = pctx == NULL || EVP_PKEY_pairwise_check(pctx) == 1;
    EVP_PKEY_CTX_free(pctx);
    ERR_clear_error();
    if (!pair_ok) {
        EVP_PKEY_free(pkey);
        return rspg_fail(d, RSPG_E_PROFILE,
                         "%s: the public key in the file does not match its private key", what);
    }
    rspg_status rc = rspg_key_from_pkey(pkey, d, out);
    if (rc != RSPG_OK) {
        /* prefix the file name to the message just added */
        rspg_diag_entry *e = &d->entries[d->count - 1];
        char *m = rspg_xasprintf("%s: %s", what, e->message);
        free(e->message);
        e->message = m;
    }
    return rc;
}

rspg_status rspg_key_load_file(const char *path, rspg_diag *d, rspg_key *out)
{
    rspg_buf b;
    rspg_buf_init(&b);
    memset(out, 0, sizeof(*out));
    if (rspg_read_file(path, 1u << 20, &b) != 0) {
        if (errno == EFBIG)
            return rspg_fail(d, RSPG_E_PROFILE, "%s: file too large for a key", path);
        return rspg_fail(d, RSPG_E_IO, "%s: cannot read the key file: %s", path,
                         rspg_read_error(errno));
    }
    rspg_status rc = rspg_key_load(b.data ? b.data : (const uint8_t *)"", b.len, path, d, out);
    if (b.data)
        OPENSSL_cleanse(b.data, b.len);
    rspg_buf_free(&b);
    return rc;
}

void rspg_key_free(rspg_key *k)
{
    EVP_PKEY_free(k->pkey);
    memset(k, 0, sizeof(*k));
}

void rspg_key_copy(rspg_key *dst, const rspg_key *k)
{
    *dst = *k;
    if (k->pkey)
        EVP_PKEY_up_ref(k->pkey);
}

void rspg_key_params_der(const rspg_key *k, rspg_buf *out)
{
    rspg_der_put_oid_text(out, k->curve->oid);
}

void rspg_key_spki_der(const rspg_key *k, rspg_buf *out)
{
    size_t spki = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    size_t alg = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_oid_text(out, id_ec_public_key);
    rspg_der_put_oid_text(out, k->curve->oid);
    rspg_der_end(out, alg);
    rspg_der_put_bit_string(out, 0, k->pub, k->pub_len);
    rspg_der_end(out, spki);
}

rspg_status rspg_key_sec1_der(const rspg_key *k, rspg_diag *d, rspg_buf *out)
{
    BIGNUM *priv = NULL;
    uint8_t dbytes[66];
    if (k->pkey == NULL || !EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &priv) ||
        BN_bn2binpad(priv, dbytes, (int)k->curve->field_bytes) < 0) {
        BN_clear_free(priv);
        return rspg_fail_crypto(d, "cannot read the private key");
    }
    BN_clear_free(priv);
    /* RFC 5915 §3: ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
     * [0] parameters, [1] publicKey } */
    size_t seq = rspg_der_begin(out, RSPG_DER_SEQUENCE);
    rspg_der_put_uint(out, 1);
    rspg_der_put_tlv(out, RSPG_DER_OCTET_STRING, dbytes, k->curve->field_bytes);
    size_t p0 = rspg_der_begin(out, 0xA0);
    rspg_der_put_oid_text(out, k->curve->oid);
    rspg_der_end(out, p0);
    size_t p1 = rspg_der_begin(out, 0xA1);
    rspg_der_put_bit_string(out, 0, k->pub, k->pub_len);
    rspg_der_end(out, p1);
    rspg_der_end(out, seq);
    OPENSSL_cleanse(dbytes, sizeof(dbytes));
    return RSPG_OK;
}

rspg_status rspg_key_private_file(const rspg_key *k, int pem, rspg_diag *d, rspg_buf *out)
{
    rspg_buf der, params;
    rspg_buf_init(&der);
    rspg_buf_init(&params);
    rspg_status rc = rspg_key_sec1_der(k, d, &der);
    if (rc == RSPG_OK) {
        if (pem) {
            rspg_key_params_der(k, &params);
            rspg_pem_encode("EC PARAMETERS", params.data, params.len, out);
            rspg_pem_encode("EC PRIVATE KEY", der.data, der.len, out);
        } else {
            rspg_buf_append(out, der.data, der.len);
        }
    }
    if (der.data)
        OPENSSL_cleanse(der.data, der.len);
    rspg_buf_free(&der);
    rspg_buf_free(&params);
    return rc;
}

void rspg_key_public_file(const rspg_key *k, int pem, rspg_buf *out)
{
    rspg_buf der;
    rspg_buf_init(&der);
    rspg_key_spki_der(k, &der);
    if (pem)
        rspg_pem_encode("PUBLIC KEY", der.data, der.len, out);
    else
        rspg_buf_append(out, der.data, der.len);
    rspg_buf_free(&der);
}
