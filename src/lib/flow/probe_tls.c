/*
 * probe_tls.c: the row tls/server-certificate of a probe run. The chain the SM-DP+ sends in
 * its TLS handshake (es9/es9_tls_peer.c: one handshake without verification, never used for
 * a request) is judged as an LPA must (SGP.22 §2.6.6, §4.5.2.2; es9/es9_tls_judge.c): the
 * leaf as a DP TLS certificate, trust anchors the build's valid CI(s) of the variant and the
 * probed curve(s), the pool the certificates the server sent plus every valid CA certificate
 * of the build (so that a chain to another CI or curve is named, not just "unknown"), at the
 * probe's time, with the URL's host name against the leaf's subjectAltName.
 */
#include <stdio.h>
#include <string.h>

#include "probe_internal.h"
#include "rspg/base/file.h"
#include "rspg/es9/es9_tls_judge.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/cert_info.h"

typedef struct tls_cas {
    rspg_tls_ca *v;
    rspg_buf *der;
    char **names;
    size_t n;
} tls_cas;

static const char *str(json_t *a, const char *k)
{
    return json_string_value(json_object_get(a, k));
}

static int is_eq(json_t *a, const char *k, const char *want)
{
    const char *s = str(a, k);
    return s && strcmp(s, want) == 0;
}

/* Is CURVE (OpenSSL name) one of the probed curves? */
static int probed_curve(const char *curve, unsigned curves)
{
    if (!curve)
        return 0;
    return (strcmp(curve, "prime256v1") == 0 && (curves & RSPG_PROBE_NIST)) ||
           (strcmp(curve, "brainpoolP256r1") == 0 && (curves & RSPG_PROBE_BRP));
}

/* The valid CA certificates of the build at DIR: the CI(s) of VARIANT and CURVES are the
 * trust anchors, the others the pool. */
static rspg_status load_cas(const rspg_probe_options *o, rspg_diag *d, tls_cas *out)
{
    memset(out, 0, sizeof(*out));
    char *mpath = rspg_xasprintf("%s/manifest.json", o->pki_dir);
    json_t *m = json_load_file(mpath, 0, NULL), *a;
    json_t *arts = json_object_get(m, "artifacts");
    unsigned curves = o->curves ? o->curves : RSPG_PROBE_NIST;
    rspg_status rc =
        json_is_array(arts) ? RSPG_OK : rspg_fail(d, RSPG_E_INPUT, "%s: no artifacts", mpath);
    size_t i, cap = json_is_array(arts) ? json_array_size(arts) : 0;
    out->v = rspg_xcalloc(cap ? cap : 1, sizeof(*out->v));
    out->der = rspg_xcalloc(cap ? cap : 1, sizeof(*out->der));
    out->names = rspg_xcalloc(cap ? cap : 1, sizeof(*out->names));
    json_array_foreach(arts, i, a)
    {
        rspg_role role;
        if (rc != RSPG_OK || !is_eq(a, "kind", "certificate") || !is_eq(a, "format", "der") ||
            !is_eq(a, "expect", "valid") || str(a, "case") || !str(a, "role") ||
            rspg_role_parse(str(a, "role"), &role) != 0 || !rspg_role_is_ca(role))
            continue;
        char *p = rspg_xasprintf("%s/%s", o->pki_dir, str(a, "path"));
        rc = rspg_file_read(p, 1u << 20, "certificate", d, &out->der[out->n]);
        free(p);
        if (rc != RSPG_OK)
            break;
        out->names[out->n] = rspg_xstrdup(str(a, "path"));
        out->v[out->n] =
            (rspg_tls_ca){out->names[out->n], out->der[out->n].data, out->der[out->n].len,
                          role == RSPG_ROLE_CI && is_eq(a, "variant", o->variant) &&
                              probed_curve(str(a, "curve"), curves)};
        out->n++;
    }
    json_decref(m);
    free(mpath);
    return rc;
}

static void free_cas(tls_cas *c)
{
    for (size_t i = 0; i < c->n; i++) {
        rspg_buf_free(&c->der[i]);
        free(c->names[i]);
    }
    free(c->v);
    free(c->der);
    free(c->names);
    memset(c, 0, sizeof(*c));
}

/* "NIST", "BRP", another curve's name or "?" for the leaf's key. */
static const char *leaf_curve(const rspg_tls_peer *p)
{
    rspg_cert_info ci;
    if (p->n == 0 ||
        rspg_cert_info_read(p->certs[0].data, p->certs[0].len, RSPG_CI_LENIENT, &ci, NULL) !=
            RSPG_OK ||
        !ci.curve)
        return "?";
    return strcmp(ci.curve->name, "prime256v1") == 0        ? "NIST"
           : strcmp(ci.curve->name, "brainpoolP256r1") == 0 ? "BRP"
                                                            : ci.curve->name;
}

static void fill(const rspg_tls_peer *p, rspg_probe_tls *t)
{
    t->checked = 1;
    t->curve = leaf_curve(p);
    snprintf(t->version, sizeof(t->version), "%s", p->version);
    snprintf(t->cipher, sizeof(t->cipher), "%s", p->cipher);
    snprintf(t->host, sizeof(t->host), "%s", p->host);
    t->sent = p->n + p->n_more;
    t->result = t->verdict.valid ? RSPG_PROBE_PASS : RSPG_PROBE_SERVER_FAULT;
    if (t->verdict.valid)
        snprintf(t->note, sizeof(t->note), "a valid DP TLS certificate for %.200s: %.500s", p->host,
                 t->verdict.chain);
    else
        snprintf(t->note, sizeof(t->note), "%s (%s): %.400s; chain %.300s", t->verdict.reason,
                 t->verdict.check, t->verdict.message,
                 t->verdict.chain[0] ? t->verdict.chain : "-");
}

rspg_status probe_tls_run(const rspg_probe_options *o, const rspg_es9_options *eo, int64_t now,
                          rspg_diag *d, rspg_probe_tls *out)
{
    memset(out, 0, sizeof(*out));
    if (strncmp(o->url, "https://", 8) != 0)
        return RSPG_OK; /* http:// (--insecure-http): no TLS to judge */
    tls_cas cas;
    rspg_status rc = load_cas(o, d, &cas);
    rspg_tls_peer peer;
    memset(&peer, 0, sizeof(peer));
    if (rc == RSPG_OK)
        rc = rspg_tls_peer_fetch(eo, d, &peer);
    if (rc == RSPG_OK) {
        rspg_tls_judge(&peer, cas.v, cas.n, RSPG_ROLE_DP_TLS, now, &out->verdict);
        fill(&peer, out);
    }
    rspg_tls_peer_free(&peer);
    free_cas(&cas);
    return rc;
}
