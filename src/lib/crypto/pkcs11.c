/*
 * pkcs11.c: CA keys in a PKCS#11 token, through OpenSSL (see pkcs11.h).
 *
 * OpenSSL 3.0 on Debian 12 has no PKCS#11 provider; the maintained route is libp11's
 * `pkcs11` engine (package libengine-pkcs11-openssl), loaded with ENGINE_by_id, given the
 * module with MODULE_PATH and the PIN with PIN, and asked for the key with
 * ENGINE_load_private_key(RFC 7512 URI). The ENGINE API is deprecated in 3.0 but is the
 * only one here: this file alone uses it (OPENSSL_SUPPRESS_DEPRECATED below), so that a
 * provider (OpenSSL 3.2+ pkcs11-provider, via OSSL_STORE) can replace it in one place.
 * The key object signs inside the token through the usual EVP calls.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "rspg/crypto/pkcs11.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "rspg/base/buf.h"

static rspg_pin_callback pin_cb;
static void *pin_ctx;
static char *asked_pin; /* a PIN typed at the prompt, reused for the next keys of the run */

void rspg_pkcs11_set_pin_callback(rspg_pin_callback cb, void *ctx)
{
    pin_cb = cb;
    pin_ctx = ctx;
}

/* The value of query attribute NAME ("pin-value", "module-path") of URI, percent-decoded,
 * as a new string; NULL when absent. RFC 7512 §2.3. */
static char *uri_query(const char *uri, const char *name)
{
    const char *q = strchr(uri, '?');
    size_t n = strlen(name);
    for (const char *p = q; p && *p; p = strchr(p + 1, '&')) {
        const char *a = p + 1;
        if (strncmp(a, name, n) == 0 && a[n] == '=') {
            const char *v = a + n + 1, *end = strchr(v, '&');
            size_t len = end ? (size_t)(end - v) : strlen(v);
            char *out = rspg_xmalloc(len + 1);
            size_t j = 0;
            for (size_t i = 0; i < len; i++) {
                if (v[i] == '%' && i + 2 < len + 1 && v[i + 1] && v[i + 2]) {
                    char hex[3] = {v[i + 1], v[i + 2], 0};
                    out[j++] = (char)strtol(hex, NULL, 16);
                    i += 2;
                } else {
                    out[j++] = v[i];
                }
            }
            out[j] = '\0';
            return out;
        }
    }
    return NULL;
}

/* The URI without its query part (module-path and pin-value are given to the engine as
 * controls, and must not reach logs). */
static char *uri_path_part(const char *uri)
{
    const char *q = strchr(uri, '?');
    return q ? rspg_xstrndup(uri, (size_t)(q - uri)) : rspg_xstrdup(uri);
}

static ENGINE *engine_for(const char *module, rspg_diag *d)
{
    ENGINE *e = ENGINE_by_id("pkcs11");
    if (e == NULL) {
        ERR_clear_error();
        rspg_fail(d, RSPG_E_USAGE,
                  "PKCS#11 keys need the OpenSSL pkcs11 engine (Debian: "
                  "apt-get install libengine-pkcs11-openssl)");
        return NULL;
    }
    if (module && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0)) {
        rspg_fail_crypto(d, "the pkcs11 engine refused the module '%s'", module);
        ENGINE_free(e);
        return NULL;
    }
    if (!ENGINE_init(e)) {
        rspg_fail_crypto(d, "cannot initialise the pkcs11 engine%s%s", module ? " with " : "",
                         module ? module : "");
        ENGINE_free(e);
        return NULL;
    }
    return e;
}

int rspg_pkcs11_available(void)
{
    ENGINE *e = ENGINE_by_id("pkcs11");
    ERR_clear_error();
    if (e == NULL)
        return 0;
    ENGINE_free(e);
    return 1;
}

rspg_status rspg_pkcs11_load_key(const char *uri, rspg_diag *d, rspg_key *out)
{
    rspg_status rc = RSPG_OK;
    char *module = uri_query(uri, "module-path");
    char *pin = uri_query(uri, "pin-value");
    char *path = uri_path_part(uri);
    char buf[256];
    ENGINE *e = NULL;
    memset(out, 0, sizeof(*out));
    if (module == NULL && getenv("RSPG_PKCS11_MODULE"))
        module = rspg_xstrdup(getenv("RSPG_PKCS11_MODULE"));
    if (pin == NULL && getenv("RSPG_PKCS11_PIN"))
        pin = rspg_xstrdup(getenv("RSPG_PKCS11_PIN"));
    if (pin == NULL && asked_pin)
        pin = rspg_xstrdup(asked_pin);
    if (pin == NULL && pin_cb) {
        if (pin_cb(pin_ctx, path, buf, sizeof(buf)) == 0) {
            pin = rspg_xstrdup(buf);
            asked_pin = rspg_xstrdup(buf);
        }
        OPENSSL_cleanse(buf, sizeof(buf));
    }
    if (pin == NULL) {
        rc = rspg_fail(d, RSPG_E_USAGE,
                       "%s: no PIN: give it as pin-value in the URI, in RSPG_PKCS11_PIN, or at the "
                       "prompt (on a terminal)",
                       path);
        goto out;
    }
    if ((e = engine_for(module, d)) == NULL) {
        rc = RSPG_E_USAGE;
        goto out;
    }
    if (pin && !ENGINE_ctrl_cmd_string(e, "PIN", pin, 0)) {
        rc = rspg_fail_crypto(d, "the pkcs11 engine refused the PIN");
        goto out;
    }
    EVP_PKEY *pkey = ENGINE_load_private_key(e, path, NULL, NULL);
    if (pkey == NULL) {
        rc = rspg_fail_crypto(d, "%s: no such private key in the token (or a wrong PIN)", path);
        if (asked_pin) { /* a wrong PIN is not asked again silently */
            OPENSSL_cleanse(asked_pin, strlen(asked_pin));
            free(asked_pin);
            asked_pin = NULL;
        }
        goto out;
    }
    /* the public half, read through the legacy EC_KEY the engine returns */
    const EC_KEY *ec = EVP_PKEY_get0_EC_KEY(pkey);
    const EC_GROUP *g = ec ? EC_KEY_get0_group(ec) : NULL;
    const EC_POINT *pt = ec ? EC_KEY_get0_public_key(ec) : NULL;
    const rspg_curve *curve = g ? rspg_curve_by_nid(EC_GROUP_get_curve_name(g)) : NULL;
    if (curve == NULL || pt == NULL) {
        EVP_PKEY_free(pkey);
        rc = rspg_fail(d, RSPG_E_USAGE, "%s: not an EC key on a supported curve (%s)", path,
                       rspg_curve_names());
        goto out;
    }
    out->pub_len =
        EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, out->pub, sizeof(out->pub), NULL);
    if (out->pub_len == 0) {
        EVP_PKEY_free(pkey);
        rc = rspg_fail_crypto(d, "%s: cannot read the public key", path);
        goto out;
    }
    out->pkey = pkey;
    out->curve = curve;
    out->hsm = 1;
    SHA1(out->pub, out->pub_len, out->ski);
out:
    if (e) {
        ENGINE_finish(e);
        ENGINE_free(e);
    }
    if (pin) {
        OPENSSL_cleanse(pin, strlen(pin));
        free(pin);
    }
    free(module);
    free(path);
    ERR_clear_error();
    return rc;
}
