/*
 * es9_tls_peer.h: what an SM-DP+ shows in its TLS handshake: the certificates it sends (leaf
 * first, as sent: RFC 8446 §4.4.2, RFC 5246 §7.4.2), the TLS version and the cipher suite
 * negotiated with the options an ES9+ session uses (es9_client.h: TLS 1.2 and the brainpool
 * group for brainpool). The handshake is made with libcurl's verification switched off and
 * CURLOPT_CONNECT_ONLY: it is used ONLY to read the chain, so that rsp-pkigen's own verifier
 * can judge a certificate OpenSSL would refuse (expired, wrong host) or accept (wrong GSMA
 * policy, EKU or key usage); no request is ever sent on it.
 *
 * libcurl: CURLOPT_CERTINFO / CURLINFO_CERTINFO give the chain (each certificate's "Cert:"
 * item, PEM) with the OpenSSL, GnuTLS, Schannel and Secure Transport backends; the version and
 * the IANA name of the suite come from an OpenSSL info callback installed through
 * CURLOPT_SSL_CTX_FUNCTION (OpenSSL backend only: with another backend they stay "").
 *
 * Ownership: the peer owns its buffers (rspg_tls_peer_free). Thread safety: one per thread.
 */
#ifndef RSPG_ES9_TLS_PEER_H
#define RSPG_ES9_TLS_PEER_H

#include <stddef.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/es9/es9_client.h"

#define RSPG_TLS_PEER_MAX 8 /* certificates kept; more are counted (n_more) */

typedef struct rspg_tls_peer {
    rspg_buf certs[RSPG_TLS_PEER_MAX]; /* DER, leaf first, as the server sent them */
    size_t n, n_more;
    char version[16]; /* e.g. "TLSv1.3"; "" when the backend does not say */
    char cipher[80];  /* IANA name, e.g. "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"; "" likewise */
    char host[256];   /* the URL's host name (or address), as the certificate must name it */
} rspg_tls_peer;

/* The host of URL (no port, no IPv6 brackets) into OUT; -1 when URL has none. */
int rspg_tls_url_host(const char *url, char *out, size_t cap);

/* One unverified handshake with the https:// server of O->url (its timeout and TLS options)
 * into OUT. RSPG_E_IO (one message in D) when no handshake could be made or the server sent
 * no certificate libcurl could give. */
rspg_status rspg_tls_peer_fetch(const rspg_es9_options *o, rspg_diag *d, rspg_tls_peer *out);
void rspg_tls_peer_free(rspg_tls_peer *p);

#endif
