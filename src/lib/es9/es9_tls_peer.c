/*
 * es9_tls_peer.c: reads the certificate chain, TLS version and cipher suite an SM-DP+ shows
 * in its handshake (SGP.22 §2.6.6), through a libcurl CONNECT_ONLY handshake without
 * verification, never used for a request. See es9_tls_peer.h for the libcurl options chosen.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/ssl.h>

#include "es9_internal.h"
#include "rspg/asn1/pem.h"
#include "rspg/es9/es9_tls_peer.h"

static int ex_index = -1;
static pthread_once_t ex_once = PTHREAD_ONCE_INIT;

static void make_index(void)
{
    ex_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/* At the end of the handshake: the version and the suite, into the peer the context holds. */
static void on_info(const SSL *s, int where, int ret)
{
    (void)ret;
    if (!(where & SSL_CB_HANDSHAKE_DONE))
        return;
    rspg_tls_peer *p = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(s), ex_index);
    const SSL_CIPHER *c = SSL_get_current_cipher(s);
    if (!p)
        return;
    snprintf(p->version, sizeof(p->version), "%s", SSL_get_version(s));
    snprintf(p->cipher, sizeof(p->cipher), "%s", c ? SSL_CIPHER_standard_name(c) : "");
}

static CURLcode on_ctx(CURL *h, void *ctx, void *peer)
{
    (void)h;
    if (ex_index >= 0 && SSL_CTX_set_ex_data(ctx, ex_index, peer) == 1)
        SSL_CTX_set_info_callback(ctx, on_info);
    return CURLE_OK;
}

int rspg_tls_url_host(const char *url, char *out, size_t cap)
{
    CURLU *u = curl_url();
    char *host = NULL;
    int rc = -1;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
        size_t n = strlen(host);
        const char *h = host;
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']') { /* an IPv6 literal */
            h++;
            n -= 2;
        }
        if (n < cap) {
            memcpy(out, h, n);
            out[n] = 0;
            rc = 0;
        }
    }
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

/* The "Cert:" items of CURLINFO_CERTINFO, as DER, into P. */
static void take_chain(CURL *h, rspg_tls_peer *p)
{
    struct curl_certinfo *ci = NULL;
    if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci)
        return;
    for (int i = 0; i < ci->num_of_certs; i++) {
        for (struct curl_slist *s = ci->certinfo[i]; s; s = s->next) {
            if (strncmp(s->data, "Cert:", 5) != 0)
                continue;
            if (p->n == RSPG_TLS_PEER_MAX) {
                p->n_more++;
                break;
            }
            const char *pem = s->data + 5;
            if (rspg_pem_decode((const uint8_t *)pem, strlen(pem), "CERTIFICATE",
                                &p->certs[p->n]) == 0)
                p->n++;
            else
                rspg_buf_reset(&p->certs[p->n]);
            break;
        }
    }
}

rspg_status rspg_tls_peer_fetch(const rspg_es9_options *o, rspg_diag *d, rspg_tls_peer *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < RSPG_TLS_PEER_MAX; i++)
        rspg_buf_init(&out->certs[i]);
    if (rspg_tls_url_host(o->url, out->host, sizeof(out->host)) != 0)
        return rspg_fail(d, RSPG_E_USAGE, "%s: not a URL with a host name", o->url);
    es9_global_init();
    pthread_once(&ex_once, make_index);
    CURL *h = curl_easy_init();
    if (!h)
        return rspg_fail(d, RSPG_E_IO, "libcurl could not be initialised");
    char err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, o->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L); /* the handshake, and no request */
    curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); /* read, judged by rsp-pkigen */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    es9_set_tls(h, o);
    if (curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, on_ctx) == CURLE_OK)
        curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, out);
    CURLcode rc = curl_easy_perform(h);
    rspg_status st = RSPG_OK;
    if (rc != CURLE_OK)
        st = rspg_fail(d, RSPG_E_IO, "%s: %s: %s", o->url, curl_easy_strerror(rc),
                       err[0] ? err : "no detail");
    else
        take_chain(h, out);
    if (st == RSPG_OK && out->n == 0)
        st = rspg_fail(d, RSPG_E_IO, "%s: the TLS server sent no certificate", o->url);
    curl_easy_cleanup(h);
    return st;
}

void rspg_tls_peer_free(rspg_tls_peer *p)
{
    for (size_t i = 0; i < RSPG_TLS_PEER_MAX; i++)
        rspg_buf_free(&p->certs[i]);
    memset(p, 0, sizeof(*p));
}
