/*
 * es9_client.c: the ES9+ HTTPS transport (SGP.22 §6.5): libcurl for HTTP and TLS, jansson
 * for JSON, OpenSSL's base64. Requests carry the headers of SGP.22 §6.5.1 (Content-Type
 * application/json, X-Admin-Protocol gsma/rsp/v2.2.0, User-Agent gsma-rsp-lpad); an answer
 * is accepted as ES9+ only with HTTP 200, a JSON object and header.functionExecutionStatus.
 */
#include <string.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "es9_internal.h"
#include "rspg/es9/es9_client.h"

struct rspg_es9_client {
    CURL *curl;
    struct curl_slist *headers;
    rspg_es9_options o;
    char *base;    /* the URL without a trailing '/' */
    char *address; /* host[:port] */
    CURLcode last; /* the result of the last transfer */
};

static char *address_of(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t n = strcspn(h, "/?#");
    return rspg_xstrndup(h, n);
}

rspg_status rspg_es9_client_new(const rspg_es9_options *o, rspg_diag *d, rspg_es9_client **out)
{
    int https = strncmp(o->url, "https://", 8) == 0, http = strncmp(o->url, "http://", 7) == 0;
    if (!https && !(http && o->insecure_http))
        return rspg_fail(d, RSPG_E_USAGE, "%s: the SM-DP+ URL must be https://%s", o->url,
                         http ? " (or use --insecure-http for a server without TLS)" : "");
    es9_global_init();
    rspg_es9_client *c = rspg_xcalloc(1, sizeof(*c));
    c->o = *o;
    c->base = rspg_xstrdup(o->url);
    size_t n = strlen(c->base);
    while (n > 0 && c->base[n - 1] == '/')
        c->base[--n] = 0;
    c->address = address_of(c->base);
    c->curl = curl_easy_init();
    c->headers = curl_slist_append(NULL, "Content-Type: application/json;charset=UTF-8");
    c->headers = curl_slist_append(c->headers, "X-Admin-Protocol: gsma/rsp/v2.2.0");
    c->headers = curl_slist_append(c->headers, "User-Agent: gsma-rsp-lpad");
    c->headers = curl_slist_append(c->headers, "Accept: application/json");
    if (!c->curl || !c->headers) {
        rspg_es9_client_free(c);
        return rspg_fail(d, RSPG_E_IO, "libcurl could not be initialised");
    }
    *out = c;
    return RSPG_OK;
}

void rspg_es9_client_free(rspg_es9_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->headers);
    free(c->base);
    free(c->address);
    free(c);
}

const char *rspg_es9_client_address(const rspg_es9_client *c)
{
    return c->address;
}

void es9_global_init(void)
{
    static int initialised;
    if (!initialised && curl_global_init(CURL_GLOBAL_DEFAULT) == 0)
        initialised = 1;
}

void es9_set_tls(CURL *h, const rspg_es9_options *o)
{
    long t = o->timeout_s > 0 ? o->timeout_s : 30;
    curl_easy_setopt(h, CURLOPT_TIMEOUT, t);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, t);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (o->brainpool) {
        curl_easy_setopt(h, CURLOPT_SSLVERSION,
                         (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
        /* brainpoolP256r1 for the certificate's curve; prime256v1 for the key exchange,
         * since OpenSSL servers' default ECDHE groups have no brainpool */
        curl_easy_setopt(h, CURLOPT_SSL_EC_CURVES, "brainpoolP256r1:prime256v1");
    }
}

int rspg_es9_client_tls_refused(const rspg_es9_client *c)
{
    return c->last == CURLE_PEER_FAILED_VERIFICATION;
}

static size_t collect(char *p, size_t size, size_t nmemb, void *ud)
{
    rspg_buf *b = ud;
    if (b->len + size * nmemb > (16u << 20))
        return 0; /* an ES9+ answer is never this large */
    rspg_buf_append(b, p, size * nmemb);
    return size * nmemb;
}

/* The TLS and transfer options of one request (SGP.22 §2.6.6: the server chains to the CI). */
static void set_options(rspg_es9_client *c, const char *url, const char *body, rspg_buf *in,
                        char *err)
{
    CURL *h = c->curl;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, in);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, c->o.insecure_http ? "http,https" : "https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->o.ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, c->o.ca_file);
        curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
    }
    es9_set_tls(h, &c->o);
}

/* Reads header.functionExecutionStatus; -1 when the answer has none (not ES9+). */
static int read_status(json_t *resp, rspg_es9_status *st)
{
    json_t *fes = json_object_get(json_object_get(resp, "header"), "functionExecutionStatus");
    const char *status = json_string_value(json_object_get(fes, "status"));
    if (!status)
        return -1;
    memset(st, 0, sizeof(*st));
    snprintf(st->status, sizeof(st->status), "%s", status);
    st->success =
        strcmp(status, "Executed-Success") == 0 || strcmp(status, "Executed-WithWarning") == 0;
    json_t *scd = json_object_get(fes, "statusCodeData");
    const char *s = json_string_value(json_object_get(scd, "subjectCode"));
    const char *r = json_string_value(json_object_get(scd, "reasonCode"));
    const char *m = json_string_value(json_object_get(scd, "message"));
    snprintf(st->subject_code, sizeof(st->subject_code), "%s", s ? s : "");
    snprintf(st->reason_code, sizeof(st->reason_code), "%s", r ? r : "");
    snprintf(st->message, sizeof(st->message), "%s", m ? m : "");
    st->http_status = 200;
    return 0;
}

rspg_status rspg_es9_call(rspg_es9_client *c, const char *function, json_t *req, json_t **resp,
                          rspg_es9_status *st, rspg_diag *d)
{
    char err[CURL_ERROR_SIZE] = "";
    char *url = rspg_xasprintf("%s/gsma/rsp2/es9plus/%s", c->base, function);
    char *body = json_dumps(req, JSON_COMPACT);
    rspg_buf in;
    rspg_buf_init(&in);
    set_options(c, url, body, &in, err);
    CURLcode rc = curl_easy_perform(c->curl);
    c->last = rc;
    long code = 0;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &code);
    rspg_status ret = RSPG_OK;
    *resp = NULL;
    if (rc != CURLE_OK) {
        ret = rspg_fail(d, RSPG_E_IO, "%s: %s: %s", url, curl_easy_strerror(rc),
                        err[0] ? err : "no detail");
    } else if (code != 200) {
        memset(st, 0, sizeof(*st));
        st->http_status = code;
        snprintf(st->status, sizeof(st->status), "HTTP %ld", code);
    } else {
        json_error_t je;
        *resp = json_loadb((const char *)in.data, in.len, 0, &je);
        if (!json_is_object(*resp) || read_status(*resp, st) != 0) {
            json_decref(*resp);
            *resp = NULL;
            ret = rspg_fail(d, RSPG_E_IO,
                            "%s: not an ES9+ server: the answer is not JSON with "
                            "header.functionExecutionStatus (SGP.22 §6.5.1.4)",
                            url);
        }
    }
    rspg_buf_free(&in);
    free(body);
    free(url);
    return ret;
}

char *rspg_es9_b64(const uint8_t *p, size_t n)
{
    char *s = rspg_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)s, p, (int)n);
    return s;
}

int rspg_es9_b64_member(json_t *obj, const char *key, rspg_buf *out)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (!s)
        return -1;
    size_t n = strlen(s);
    if (n % 4 != 0)
        return -1;
    rspg_buf_reset(out);
    rspg_buf_reserve(out, n / 4 * 3 + 1);
    int got = EVP_DecodeBlock(out->data, (const unsigned char *)s, (int)n);
    if (got < 0)
        return -1;
    size_t pad = (n > 0 && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
    out->len = (size_t)got - pad;
    return 0;
}
