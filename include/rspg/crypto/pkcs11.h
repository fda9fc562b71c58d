/*
 * pkcs11.h: CA keys in an HSM. A key source "pkcs11:..." (RFC 7512) is loaded through
 * OpenSSL; the private key never leaves the token, and signatures are made by it (with
 * the token's random nonce). On Debian 12 (OpenSSL 3.0) the route is the `pkcs11` engine
 * of libengine-pkcs11-openssl (libp11); this module is the only one that knows that.
 *
 * The PIN comes from the URI (pin-value), else from the environment variable
 * RSPG_PKCS11_PIN, else from the PIN callback (the CLI prompts on a terminal). It is
 * never logged or written to the manifest. The PKCS#11 module is the URI's module-path,
 * else RSPG_PKCS11_MODULE, else the engine's default (p11-kit-proxy).
 *
 * Ownership: a token key is an rspg_key like any other (rspg_key_free). Thread safety: the
 * PIN callback and the engine are process-wide; sign with a token key from one thread.
 */
#ifndef RSPG_PKCS11_H
#define RSPG_PKCS11_H

#include <stddef.h>

#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"

/* Asks for a PIN: writes it (NUL-terminated) into BUF of CAP bytes; returns 0, or -1. */
typedef int (*rspg_pin_callback)(void *ctx, const char *uri, char *buf, size_t cap);

/* The callback used when neither the URI nor the environment gives a PIN (may be NULL). */
void rspg_pkcs11_set_pin_callback(rspg_pin_callback cb, void *ctx);

/* Loads the private key named by URI into OUT (out->hsm = 1, out->pkey signs in the
 * token, pub/ski/curve from its public key). */
rspg_status rspg_pkcs11_load_key(const char *uri, rspg_diag *d, rspg_key *out);

/* Is PKCS#11 support available (the engine found and loadable)? 1 yes, 0 no. */
int rspg_pkcs11_available(void);

#endif
