/*
 * verify.c: the SGP.22 certificate validator's pool and entry points (see verify.h for
 * what is checked): certificates and CRLs are added (DER or PEM) and decoded once
 * (x509/cert_info.h); rspg_verifier_check builds the path and runs the checks of
 * verify_chain.c and verify_eum.c; the error names come from the rulebook's reason table
 * (rsp/rulebook.h: SGP.22 §5.6.3 ES9+ AuthenticateClient, §5.7.13 ES10b AuthenticateServer).
 * Folder mode against a manifest is verify_dir.c.
 */
#include "rspg/check/verify.h"
#include "rspg/base/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/asn1/pem.h"
#include "rspg/crypto/sign.h"
#include "verify_internal.h"

rspg_verifier *rspg_verifier_new(int64_t time)
{
    rspg_verifier *v = rspg_xcalloc(1, sizeof(*v));
    v->time = time;
    return v;
}

void rspg_verifier_free(rspg_verifier *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->n_certs; i++) {
        free(v->certs[i]->name);
        free(v->certs[i]->sig_memo);
        rspg_buf_free(&v->certs[i]->der);
        rspg_key_free(&v->certs[i]->key);
        free(v->certs[i]);
    }
    for (size_t i = 0; i < v->n_crls; i++) {
        free(v->crls[i].name);
        free(v->crls[i].memo);
        rspg_buf_free(&v->crls[i].der);
    }
    free(v->certs);
    free(v->crls);
    free(v);
}

int rspg_vx_same_tlv(const rspg_der_tlv *a, const rspg_der_tlv *b)
{
    return a->hdr_len + a->len == b->hdr_len + b->len &&
           memcmp(a->hdr, b->hdr, a->hdr_len + a->len) == 0;
}

int rspg_verifier_add_cert(rspg_verifier *v, const char *name, const uint8_t *data, size_t len,
                           int trust_anchor, int role, rspg_diag *d)
{
    struct vcert *c = rspg_xcalloc(1, sizeof(*c));
    rspg_buf_init(&c->der);
    if (rspg_pem_or_der(data, len, "CERTIFICATE", &c->der) != 0) {
        rspg_buf_free(&c->der);
        free(c);
        rspg_fail(d, RSPG_E_INPUT, "%s: no PEM CERTIFICATE block could be decoded", name);
        return -2;
    }
    rspg_diag sub;
    rspg_diag_init(&sub);
    /* the strict reader: what is not a DER Certificate at all is an input error; a
     * trust anchor that breaks a strict rule is refused too; any other certificate that
     * does (a duplicated extension, a bad OID or serial, a malformed extension value) is
     * kept with its problem recorded and judged invalid with that rule's violation and
     * SGP.22 error (verify_chain.c, check_strict) */
    rspg_status rc = rspg_cert_info_read(c->der.data, c->der.len, RSPG_CI_LENIENT, &c->ci, &sub);
    if (rc == RSPG_OK && trust_anchor && c->ci.problem) /* an anchor is configuration: refused */
        rc = rspg_fail(&sub, RSPG_E_INPUT,
                       "not a strict DER certificate, refused as a trust "
                       "anchor: %s",
                       c->ci.problem);
    if (rc != RSPG_OK) {
        rspg_fail(d, RSPG_E_INPUT, "%s: %s", name, sub.count ? sub.entries[0].message : "?");
        rspg_diag_fini(&sub);
        rspg_buf_free(&c->der);
        free(c);
        return -2;
    }
    rspg_diag_fini(&sub);
    if (v->n_certs == v->cap_certs) {
        v->cap_certs = v->cap_certs ? 2 * v->cap_certs : 16;
        v->certs = rspg_xrealloc(v->certs, v->cap_certs * sizeof(*v->certs));
    }
    c->name = rspg_xstrdup(name);
    c->trust_anchor = trust_anchor;
    c->expected_role = role;
    v->certs[v->n_certs] = c;
    return (int)v->n_certs++;
}

int rspg_verifier_add_crl(rspg_verifier *v, const char *name, const uint8_t *data, size_t len,
                          rspg_diag *d)
{
    rspg_buf der;
    rspg_buf_init(&der);
    if (rspg_pem_or_der(data, len, "X509 CRL", &der) != 0) {
        rspg_buf_free(&der);
        rspg_fail(d, RSPG_E_INPUT, "%s: no PEM X509 CRL block could be decoded", name);
        return -2;
    }
    if (v->n_crls == v->cap_crls) {
        v->cap_crls = v->cap_crls ? 2 * v->cap_crls : 8;
        v->crls = rspg_xrealloc(v->crls, v->cap_crls * sizeof(*v->crls));
    }
    struct vcrl *c = &v->crls[v->n_crls];
    memset(c, 0, sizeof(*c));
    c->der = der;
    rspg_diag sub;
    rspg_diag_init(&sub);
    if (rspg_crl_read(c->der.data, c->der.len, &c->c, &sub) != RSPG_OK) {
        rspg_fail(d, RSPG_E_INPUT, "%s: %s", name, sub.count ? sub.entries[0].message : "?");
        rspg_diag_fini(&sub);
        rspg_buf_free(&c->der);
        return -2;
    }
    rspg_diag_fini(&sub);
    c->name = rspg_xstrdup(name);
    return (int)v->n_crls++;
}

static int read_file(const char *path, rspg_buf *out, rspg_diag *d)
{
    if (rspg_read_file(path, 8u << 20, out) == 0)
        return 0;
    rspg_fail(d, RSPG_E_IO, errno == EFBIG ? "%s: too large" : "%s: cannot read", path);
    return -1;
}

int rspg_verifier_add_cert_file(rspg_verifier *v, const char *path, int trust_anchor, int role,
                                rspg_diag *d)
{
    rspg_buf b;
    rspg_buf_init(&b);
    int rc = read_file(path, &b, d) == 0
                 ? rspg_verifier_add_cert(v, path, b.data ? b.data : (const uint8_t *)"", b.len,
                                          trust_anchor, role, d)
                 : -1;
    rspg_buf_free(&b);
    return rc;
}

int rspg_verifier_add_crl_file(rspg_verifier *v, const char *path, rspg_diag *d)
{
    rspg_buf b;
    rspg_buf_init(&b);
    int rc = read_file(path, &b, d) == 0
                 ? rspg_verifier_add_crl(v, path, b.data ? b.data : (const uint8_t *)"", b.len, d)
                 : -1;
    rspg_buf_free(&b);
    return rc;
}

/* ---- shared by the checks ---- */

int rspg_vx_verify_under(struct vcert *k, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                         size_t sig_len)
{
    if (k->ci.curve == NULL || sig == NULL)
        return 0;
    if (k->key_state == 0) {
        rspg_diag d;
        rspg_diag_init(&d);
        k->key_state =
            rspg_key_from_public(k->ci.curve, k->ci.x.pub, k->ci.x.pub_len, &d, &k->key) == RSPG_OK
                ? 1
                : -1;
        rspg_diag_fini(&d);
    }
    return k->key_state > 0 && rspg_verify_sig(&k->key, msg, msg_len, sig, sig_len);
}

int rspg_vx_role_of(const struct vcert *c)
{
    return c->expected_role >= 0 ? c->expected_role : c->ci.role;
}

/* SGP.22 error for violation F found in certificate C: the rulebook's reason table, for
 * the validator that judges the leaf's role. */
static const char *reason_for(const struct vctx *x, rspg_violation f, const struct vcert *c)
{
    rspg_validator w = rspg_rule_validator(x->leaf_role_known, x->leaf_role);
    if (w == RSPG_VALIDATOR_CVC)
        w = RSPG_VALIDATOR_LPA_TLS; /* not the end of an X.509 chain */
    unsigned when = (c == x->chain[0] ? RSPG_WHEN_LEAF : 0) | (x->v3 ? RSPG_WHEN_V3 : 0) |
                    (rspg_vx_role_of(c) == RSPG_ROLE_EUICC ? RSPG_WHEN_EUICC : RSPG_WHEN_OTHER);
    return rspg_rule_reason(w, f, when)->reason;
}

int rspg_vx_fail(struct vctx *x, rspg_violation f, const struct vcert *c, const char *fmt, ...)
{
    va_list ap;
    x->out->valid = 0;
    x->out->check = rspg_violation_def_of(f)->check;
    x->out->reason = reason_for(x, f, c);
    snprintf(x->out->cert, sizeof(x->out->cert), "%s", c->name);
    va_start(ap, fmt);
    vsnprintf(x->out->message, sizeof(x->out->message), fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- entry points ---- */

/* The role the leaf is judged as: a TLS certificate whose policy names another role is
 * still judged as TLS. */
static int leaf_role(const struct vcert *leaf)
{
    int lr = rspg_vx_role_of(leaf);
    if (leaf->expected_role < 0 && leaf->ci.eku_server_auth &&
        (lr < 0 || !rspg_rule_for((rspg_role)lr)->tls))
        lr =
            lr == RSPG_ROLE_DS_AUTH || lr == RSPG_ROLE_DS_TLS ? RSPG_ROLE_DS_TLS : RSPG_ROLE_DP_TLS;
    return lr;
}

void rspg_verifier_check(rspg_verifier *v, int index, rspg_verdict *out)
{
    memset(out, 0, sizeof(*out));
    v->paths_tried = 0;
    if (index < 0 || (size_t)index >= v->n_certs) {
        out->check = rspg_violation_def_of(RSPG_V_FORMAT)->check;
        out->reason = rspg_rule_reason(RSPG_VALIDATOR_UNKNOWN, RSPG_V_FORMAT, 0)->reason;
        snprintf(out->message, sizeof(out->message), "no such certificate");
        return;
    }
    /* a vctx holds a scratch verdict: on the heap, not on the caller's stack */
    struct vctx *x = rspg_xcalloc(1, sizeof(*x));
    struct vcert *leaf = v->certs[index];
    int lr = leaf_role(leaf);
    x->v = v;
    x->first = out;
    x->leaf_role_known = lr >= 0;
    x->leaf_role = lr >= 0 ? (rspg_role)lr : RSPG_ROLE_CI;
    rspg_vx_validate(x, leaf);
    free(x);
}

size_t rspg_verifier_paths_tried(const rspg_verifier *v)
{
    return v->paths_tried;
}

int rspg_vx_crl_signed_by(struct vcrl *crl, struct vcert *issuer)
{
    for (size_t i = 0; i < crl->n_memo; i++)
        if (crl->memo[i].issuer == issuer)
            return crl->memo[i].ok;
    size_t sl = crl->c.sig.len ? crl->c.sig.len - 1 : 0;
    const uint8_t *sig = crl->c.sig.len && crl->c.sig.value[0] == 0 ? crl->c.sig.value + 1 : NULL;
    int ok = sig != NULL && rspg_vx_verify_under(issuer, crl->c.tbs.hdr,
                                                 crl->c.tbs.hdr_len + crl->c.tbs.len, sig, sl);
    crl->memo = rspg_xrealloc(crl->memo, (crl->n_memo + 1) * sizeof(*crl->memo));
    crl->memo[crl->n_memo].issuer = issuer;
    crl->memo[crl->n_memo++].ok = ok;
    return ok;
}

/* The certificate that signed CRL (several may carry the issuer's name: the NIST and BRP
 * CIs, invalid twins): the one whose key verifies the signature, else the first by name. */
static struct vcert *crl_issuer(rspg_verifier *v, struct vcrl *crl)
{
    struct vcert *issuer = NULL;
    for (size_t i = 0; i < v->n_certs; i++)
        if (rspg_vx_same_tlv(&v->certs[i]->ci.x.subject, &crl->c.issuer)) {
            if (issuer == NULL)
                issuer = v->certs[i];
            if (rspg_vx_crl_signed_by(crl, v->certs[i]))
                return v->certs[i];
        }
    return issuer;
}

static int crl_sig_is_ecdsa_sha256(const rspg_der_tlv *alg)
{
    rspg_der_cursor cur;
    rspg_der_tlv oid;
    rspg_der_cursor_init(&cur, alg->value, alg->len);
    return rspg_der_expect(&cur, RSPG_DER_OID, &oid) == 0 && rspg_der_cursor_done(&cur) &&
           rspg_der_oid_is(&oid, RSPG_OID_ECDSA_WITH_SHA256);
}

void rspg_verifier_check_crl(rspg_verifier *v, int index, rspg_verdict *out)
{
    memset(out, 0, sizeof(*out));
    out->valid = 1;
    struct vcrl *crl = &v->crls[index];
    snprintf(out->cert, sizeof(out->cert), "%s", crl->name);
    const char *problem = NULL;
    rspg_violation viol = RSPG_V_CRL_SIGNATURE;
    struct vcert *issuer = crl_issuer(v, crl);
    if (crl->c.version != 1) {
        problem = "not an X.509 v2 CRL";
        viol = RSPG_V_CRL_FORMAT;
    } else if (!crl_sig_is_ecdsa_sha256(&crl->c.sig_alg)) {
        problem = "not signed with ecdsa-with-SHA256";
    } else if (issuer == NULL) {
        problem = "its issuer is not among the known certificates";
        viol = RSPG_V_CRL_UNKNOWN_ISSUER;
    } else if (!rspg_vx_crl_signed_by(crl, issuer)) {
        problem = "its signature does not verify under its issuer's key";
    } else if (v->time < crl->c.this_update ||
               (crl->c.has_next_update && v->time > crl->c.next_update)) {
        problem = "it is not current (thisUpdate/nextUpdate)";
        viol = RSPG_V_CRL_TIME;
    }
    if (problem) {
        out->valid = 0;
        out->reason = rspg_rule_reason(RSPG_VALIDATOR_CRL, viol, 0)->reason;
        out->check = rspg_violation_def_of(viol)->check;
        snprintf(out->message, sizeof(out->message), "CRL '%s': %s", crl->name, problem);
    }
}
