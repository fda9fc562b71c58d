/*
 * verify.c: chain verification of a build folder against its manifest. Each link is
 * checked as RFC 5280 §6.1.3 and SGP.22 §4.5.2.2 require of signature, name chaining,
 * key identifiers (AKI = issuer SKI) and validity.
 */
#include "rspg/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rspg/buf.h"
#include "rspg/cert.h"
#include "rspg/curve.h"
#include "rspg/der.h"
#include "rspg/key.h"
#include "rspg/manifest.h"
#include "rspg/pem.h"
#include "rspg/sign.h"
#include "rspg/x509.h"

static int is_ecdsa_sha256(const der_tlv *alg)
{
    /* AlgorithmIdentifier { ecdsa-with-SHA256 } with absent parameters (RFC 5758 §3.2) */
    static const uint8_t want[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
    return alg->len == sizeof(want) && memcmp(alg->value, want, sizeof(want)) == 0;
}

const char *rspg_verify_link(const uint8_t *cert, size_t cert_len, const uint8_t *issuer,
                             size_t issuer_len, int64_t time)
{
    rspg_x509 c, i;
    const char *why;
    if (rspg_x509_parse(cert, cert_len, &c, &why) != 0)
        return why;
    if (rspg_x509_parse(issuer, issuer_len, &i, &why) != 0)
        return "the issuer certificate cannot be parsed";
    if (!is_ecdsa_sha256(&c.sig_alg) || !is_ecdsa_sha256(&c.tbs_sig_alg))
        return "signature algorithm is not ecdsa-with-SHA256";
    if (c.issuer.len + c.issuer.hdr_len != i.subject.len + i.subject.hdr_len ||
        memcmp(c.issuer.hdr, i.subject.hdr, c.issuer.len + c.issuer.hdr_len) != 0)
        return "issuer name does not match the issuer's subject";
    size_t aki_len, ski_len;
    const uint8_t *aki = rspg_x509_aki(&c, &aki_len);
    const uint8_t *ski = rspg_x509_ski(&i, &ski_len);
    if (aki && (!ski || aki_len != ski_len || memcmp(aki, ski, aki_len) != 0))
        return "authority key identifier does not match the issuer's subject key identifier";
    const rspg_curve *curve =
        rspg_curve_by_oid_der(i.spki_curve_oid.value, i.spki_curve_oid.len);
    if (curve == NULL)
        return "the issuer's key is on an unknown curve";
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_key k;
    if (rspg_key_from_public(curve, i.pub, i.pub_len, &d, &k) != RSPG_OK) {
        rspg_diag_fini(&d);
        return "the issuer's public key is invalid";
    }
    rspg_diag_fini(&d);
    size_t sig_len;
    const uint8_t *sig = rspg_x509_sig_value(&c, &sig_len);
    int ok = sig && rspg_verify_sig(&k, c.tbs.hdr, c.tbs.hdr_len + c.tbs.len, sig, sig_len);
    rspg_key_free(&k);
    if (!ok)
        return "signature does not verify under the issuer's key";
    if (time < c.not_before)
        return "not yet valid";
    if (time > c.not_after)
        return "expired";
    return NULL;
}

struct entry {
    const char *path, *issuer, *expect;
    rspg_buf der;
    int loaded;
};

static struct entry *find(struct entry *v, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].path, path) == 0)
            return &v[i];
    return NULL;
}

static int load(const char *dir, struct entry *e)
{
    if (e->loaded)
        return e->loaded > 0 ? 0 : -1;
    char *p = rspg_xasprintf("%s/%s", dir, e->path);
    rspg_buf_init(&e->der);
    e->loaded = rspg_read_der_file(p, "CERTIFICATE", &e->der) == 0 ? 1 : -1;
    free(p);
    return e->loaded > 0 ? 0 : -1;
}

rspg_status rspg_verify_dir(const char *dir, const rspg_verify_options *o, rspg_diag *d,
                            rspg_verify_result *res)
{
    memset(res, 0, sizeof(*res));
    char *mpath = rspg_xasprintf("%s/manifest.json", dir);
    json_error_t jerr;
    json_t *root = json_load_file(mpath, 0, &jerr);
    if (root == NULL) {
        rspg_status rc = rspg_fail_at(d, (rspg_loc){mpath, (unsigned)jerr.line, (unsigned)jerr.column},
                                      "cannot read the manifest: %s", jerr.text);
        free(mpath);
        return rc == RSPG_E_PROFILE ? RSPG_E_IO : rc;
    }
    const char *schema = json_string_value(json_object_get(root, "schema"));
    json_t *arts = json_object_get(root, "artifacts");
    if (schema == NULL || strcmp(schema, RSPG_MANIFEST_SCHEMA) != 0 || !json_is_array(arts)) {
        json_decref(root);
        rspg_status rc = rspg_fail(d, RSPG_E_IO, "%s: not an rsp-pkigen manifest (schema %s)",
                                   mpath, RSPG_MANIFEST_SCHEMA);
        free(mpath);
        return rc;
    }
    int64_t at = 0;
    if (o && o->has_time) {
        at = o->time;
    } else {
        const char *t = json_string_value(json_object_get(json_object_get(root, "clock"), "time"));
        if (t == NULL || rspg_parse_rfc3339(t, &at) != 0) {
            json_decref(root);
            free(mpath);
            return rspg_fail(d, RSPG_E_IO, "%s: no clock.time; give the time with --at", dir);
        }
    }
    size_t n = json_array_size(arts), count = 0;
    struct entry *v = rspg_xcalloc(n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(arts, i);
        const char *kind = json_string_value(json_object_get(a, "kind"));
        if (kind == NULL || strcmp(kind, "certificate") != 0)
            continue;
        v[count].path = json_string_value(json_object_get(a, "path"));
        v[count].issuer = json_string_value(json_object_get(a, "issuer"));
        v[count].expect = json_string_value(json_object_get(a, "expect"));
        if (v[count].path && v[count].issuer && v[count].expect)
            count++;
    }
    for (size_t i = 0; i < count; i++) {
        struct entry *e = &v[i];
        const char *why = NULL;
        char chain_why[512];
        struct entry *cur = e;
        for (int depth = 0; depth < 16 && why == NULL; depth++) {
            struct entry *iss = find(v, count, cur->issuer);
            if (load(dir, cur) != 0) {
                why = "cannot read the certificate file";
                break;
            }
            if (iss == NULL || load(dir, iss) != 0) {
                why = "the issuer certificate is missing";
                break;
            }
            why = rspg_verify_link(cur->der.data, cur->der.len, iss->der.data, iss->der.len, at);
            if (why && cur != e) {
                snprintf(chain_why, sizeof(chain_why), "chain certificate %s: %s", cur->path, why);
                why = chain_why;
            }
            if (iss == cur)
                break; /* self-signed root reached */
            cur = iss;
            if (depth == 15)
                why = "chain longer than 16 certificates";
        }
        const char *verdict = why ? "invalid" : "valid";
        res->certificates++;
        if (strcmp(verdict, e->expect) == 0) {
            res->agreed++;
        } else {
            res->disagreed++;
            rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s: expected %s, verified %s%s%s",
                          e->path, e->expect, verdict, why ? ": " : "", why ? why : "");
        }
    }
    for (size_t i = 0; i < count; i++)
        if (v[i].loaded > 0)
            rspg_buf_free(&v[i].der);
    free(v);
    json_decref(root);
    free(mpath);
    return res->disagreed ? RSPG_E_VERIFY : RSPG_OK;
}
