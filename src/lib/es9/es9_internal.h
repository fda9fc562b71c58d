/*
 * es9_internal.h: what the ES9+ transport files share (es9_client.c, es9_tls_peer.c): the
 * one-time libcurl initialisation and the TLS options of a handle, so that the handshake
 * made to read the server's chain offers what the ES9+ session offers (SGP.22 §2.6.6).
 */
#ifndef RSPG_ES9_INTERNAL_H
#define RSPG_ES9_INTERNAL_H

#include <curl/curl.h>

#include "rspg/es9/es9_client.h"

/* curl_global_init, once per process. */
void es9_global_init(void);
/* The timeouts and the TLS version and groups of O on handle H (brainpool: TLS 1.2 with
 * brainpoolP256r1 and prime256v1). */
void es9_set_tls(CURL *h, const rspg_es9_options *o);

#endif
