/*
 * verify.c: the SGP.22 certificate validator (see verify.h for what is checked).
 *
 * Sources: SGP.22 §4.5.2.2 (every certificate valid, chained to the CI by AKI/SKI, not
 * revoked, not expired, critical extensions understood; curves of a chain equal), §4.5.2.1
 * (role profiles), §5.7.13 (ES10b AuthenticateServer errors), §5.6.3 (ES9+
 * AuthenticateClient errors); RFC 5280 §6.1 for signatures, basicConstraints and pathLen;
 * ISO/IEC 7064 MOD 97-10 for EID check digits (SGP.29 §10). The EUM name constraint uses
 * GSMA semantics (the eUICC's O equals the constraint's O; the EID starts with the
 * constraint's serialNumber, or with one of the v3 permittedEins), not RFC 5280 matching.
 */
#include "rspg/check/verify.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rspg/base/buf.h"
#include "rspg/crypto/curve.h"
#include "rspg/sgp02/cvc.h"
#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/rsp/eid.h"
#include "rspg/crypto/key.h"
#include "rspg/issue/manifest.h"
#include "rspg/asn1/pem.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/crypto/sign.h"
#include "rspg/x509/x509.h"

#define MAX_CHAIN 10

struct vcert {
    char *name;
    rspg_buf der;
    rspg_x509 x;
    int trust_anchor;
    int expected_role;     /* -1: none given */
    int policy_role;       /* from the policy OID; -1 none */
    int policy_v3;
    int policy_critical;
    int n_policies;
    const rspg_curve *curve;
    rspg_key key;          /* the public key, built on first use */
    int key_state;         /* 0 not built, 1 built, -1 unusable */
    const struct vcert *sig_issuer; /* the last issuer its signature was checked against */
    int sig_ok;
};

struct vcrl {
    char *name;
    rspg_buf der;
    rspg_x509_crl c;
};

struct rspg_verifier {
    int64_t time;
    struct vcert *certs;
    size_t n_certs, cap_certs;
    struct vcrl *crls;
    size_t n_crls, cap_crls;
};

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
        free(v->certs[i].name);
        rspg_buf_free(&v->certs[i].der);
        rspg_key_free(&v->certs[i].key);
    }
    for (size_t i = 0; i < v->n_crls; i++) {
        free(v->crls[i].name);
        rspg_buf_free(&v->crls[i].der);
    }
    free(v->certs);
    free(v->crls);
    free(v);
}

static int has_pem(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 10 <= n; i++)
        if (memcmp(p + i, "-----BEGIN", 10) == 0)
            return 1;
    return 0;
}

static int to_der(const uint8_t *data, size_t len, const char *label, rspg_buf *out)
{
    if (has_pem(data, len))
        return rspg_pem_decode(data, len, label, out);
    rspg_buf_append(out, data, len);
    return 0;
}

static int same_tlv(const rspg_der_tlv *a, const rspg_der_tlv *b)
{
    return a->hdr_len + a->len == b->hdr_len + b->len &&
           memcmp(a->hdr, b->hdr, a->hdr_len + a->len) == 0;
}


/* Reads certificatePolicies: the first RSP role found, its arc and the extension's
 * criticality. */
static void read_policies(struct vcert *c)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(&c->x, RSPG_OID_CERTIFICATE_POLICIES);
    c->policy_role = -1;
    c->n_policies = 0;
    if (e == NULL)
        return;
    c->policy_critical = e->critical;
    rspg_der_cursor cur, pol;
    rspg_der_tlv seq, pi, oid;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0)
        return;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &pi) == 0) {
        rspg_der_cursor_init(&pol, pi.value, pi.len);
        if (rspg_der_expect(&pol, RSPG_DER_OID, &oid) != 0)
            continue;
        c->n_policies++;
        char *text = rspg_der_oid_to_text(oid.value, oid.len);
        rspg_role role;
        int v3;
        if (text && c->policy_role < 0 && rspg_role_from_policy(text, &role, &v3) == 0) {
            c->policy_role = (int)role;
            c->policy_v3 = v3;
        }
        free(text);
    }
}

int rspg_verifier_add_cert(rspg_verifier *v, const char *name, const uint8_t *data, size_t len,
                           int trust_anchor, int role, rspg_diag *d)
{
    const char *why;
    rspg_buf der;
    rspg_buf_init(&der);
    if (to_der(data, len, "CERTIFICATE", &der) != 0) {
        rspg_buf_free(&der);
        rspg_fail(d, RSPG_E_PROFILE, "%s: no PEM CERTIFICATE block could be decoded", name);
        return -1;
    }
    if (v->n_certs == v->cap_certs) {
        v->cap_certs = v->cap_certs ? 2 * v->cap_certs : 16;
        v->certs = rspg_xrealloc(v->certs, v->cap_certs * sizeof(*v->certs));
    }
    struct vcert *c = &v->certs[v->n_certs];
    memset(c, 0, sizeof(*c));
    c->der = der;
    if (rspg_x509_parse(c->der.data, c->der.len, &c->x, &why) != 0) {
        rspg_fail(d, RSPG_E_PROFILE, "%s: %s", name, why);
        rspg_buf_free(&c->der);
        return -1;
    }
    c->name = rspg_xstrdup(name);
    c->trust_anchor = trust_anchor;
    c->expected_role = role;
    c->curve = rspg_curve_by_oid_der(c->x.spki_curve_oid.value, c->x.spki_curve_oid.len);
    read_policies(c);
    return (int)v->n_certs++;
}

int rspg_verifier_add_crl(rspg_verifier *v, const char *name, const uint8_t *data, size_t len,
                          rspg_diag *d)
{
    const char *why;
    rspg_buf der;
    rspg_buf_init(&der);
    if (to_der(data, len, "X509 CRL", &der) != 0) {
        rspg_buf_free(&der);
        rspg_fail(d, RSPG_E_PROFILE, "%s: no PEM X509 CRL block could be decoded", name);
        return -1;
    }
    if (v->n_crls == v->cap_crls) {
        v->cap_crls = v->cap_crls ? 2 * v->cap_crls : 8;
        v->crls = rspg_xrealloc(v->crls, v->cap_crls * sizeof(*v->crls));
    }
    struct vcrl *c = &v->crls[v->n_crls];
    memset(c, 0, sizeof(*c));
    c->der = der;
    if (rspg_crl_parse(c->der.data, c->der.len, &c->c, &why) != 0) {
        rspg_fail(d, RSPG_E_PROFILE, "%s: %s", name, why);
        rspg_buf_free(&c->der);
        return -1;
    }
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

/* ---- primitives ---- */

static int is_ecdsa_sha256(const rspg_der_tlv *alg)
{
    /* AlgorithmIdentifier { ecdsa-with-SHA256 } with absent parameters (RFC 5758 §3.2) */
    static const uint8_t want[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
    return alg->len == sizeof(want) && memcmp(alg->value, want, sizeof(want)) == 0;
}

/* Does SIG (DER ECDSA-Sig-Value) over MSG verify under the key of certificate K? */
static int verify_under(struct vcert *k, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                        size_t sig_len)
{
    if (k->curve == NULL || sig == NULL)
        return 0;
    if (k->key_state == 0) {
        rspg_diag d;
        rspg_diag_init(&d);
        k->key_state =
            rspg_key_from_public(k->curve, k->x.pub, k->x.pub_len, &d, &k->key) == RSPG_OK ? 1 : -1;
        rspg_diag_fini(&d);
    }
    return k->key_state > 0 && rspg_verify_sig(&k->key, msg, msg_len, sig, sig_len);
}

static int cert_signed_by(struct vcert *c, struct vcert *issuer)
{
    if (c->sig_issuer == issuer)
        return c->sig_ok;
    size_t sig_len;
    const uint8_t *sig = rspg_x509_sig_value(&c->x, &sig_len);
    c->sig_ok = verify_under(issuer, c->x.tbs.hdr, c->x.tbs.hdr_len + c->x.tbs.len, sig, sig_len);
    c->sig_issuer = issuer;
    return c->sig_ok;
}

static int key_ids_link(const struct vcert *c, const struct vcert *issuer)
{
    size_t aki_len, ski_len;
    const uint8_t *aki = rspg_x509_aki(&c->x, &aki_len);
    const uint8_t *ski = rspg_x509_ski(&issuer->x, &ski_len);
    if (aki == NULL)
        return 1; /* nothing to match (the CI has no AKI) */
    return ski && aki_len == ski_len && memcmp(aki, ski, aki_len) == 0;
}

static int self_issued(const struct vcert *c)
{
    size_t aki_len, ski_len;
    const uint8_t *aki = rspg_x509_aki(&c->x, &aki_len);
    const uint8_t *ski = rspg_x509_ski(&c->x, &ski_len);
    if (!same_tlv(&c->x.issuer, &c->x.subject))
        return 0;
    return aki == NULL || (ski && aki_len == ski_len && memcmp(aki, ski, aki_len) == 0);
}

/* ---- failure reporting ---- */

struct ctx {
    rspg_verifier *v;
    rspg_verdict *out;
    struct vcert *chain[MAX_CHAIN];
    size_t len;       /* chain[0] = leaf, chain[len-1] = root */
    rspg_role leaf_role;
    int leaf_role_known;
    int v3;           /* the chain uses the v3 arc */
};

static int role_of(const struct vcert *c)
{
    return c->expected_role >= 0 ? c->expected_role : c->policy_role;
}

/* SGP.22 error for violation F found in certificate C: the rulebook's reason table, for
 * the validator that judges the leaf's role. */
static const char *reason_for(const struct ctx *x, rspg_violation f, const struct vcert *c)
{
    rspg_validator w = rspg_rule_validator(x->leaf_role_known, x->leaf_role);
    if (w == RSPG_VALIDATOR_CVC)
        w = RSPG_VALIDATOR_LPA_TLS; /* not a chain end in X.509 verification */
    unsigned when = (c == x->chain[0] ? RSPG_WHEN_LEAF : 0) | (x->v3 ? RSPG_WHEN_V3 : 0) |
                    (role_of(c) == RSPG_ROLE_EUICC ? RSPG_WHEN_EUICC : RSPG_WHEN_OTHER);
    return rspg_rule_reason(w, f, when)->reason;
}

static int failf(struct ctx *x, rspg_violation f, const struct vcert *c, const char *fmt, ...)
    RSPG_PRINTF(4, 5);
static int failf(struct ctx *x, rspg_violation f, const struct vcert *c, const char *fmt, ...)
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

/* ---- path building ---- */

static int build_path(struct ctx *x, struct vcert *leaf)
{
    rspg_verifier *v = x->v;
    x->chain[0] = leaf;
    x->len = 1;
    for (;;) {
        struct vcert *cur = x->chain[x->len - 1];
        if (self_issued(cur))
            return 0;
        struct vcert *best = NULL;
        for (size_t i = 0; i < v->n_certs; i++) {
            struct vcert *cand = &v->certs[i];
            if (cand == cur || !same_tlv(&cand->x.subject, &cur->x.issuer) ||
                !key_ids_link(cur, cand))
                continue;
            int in_chain = 0;
            for (size_t j = 0; j < x->len; j++)
                in_chain |= x->chain[j] == cand;
            if (in_chain)
                continue;
            if (best == NULL || (!cert_signed_by(cur, best) && cert_signed_by(cur, cand)) ||
                (cand->trust_anchor && !best->trust_anchor && cert_signed_by(cur, cand)))
                best = cand;
        }
        if (best == NULL)
            return failf(x, RSPG_V_UNKNOWN_CI, cur,
                         "no issuer of '%s' is known: it does not chain to a trusted CI",
                         cur->name);
        if (x->len == MAX_CHAIN)
            return failf(x, RSPG_V_UNKNOWN_CI, cur, "chain longer than %d certificates", MAX_CHAIN);
        x->chain[x->len++] = best;
    }
}

/* ---- per-certificate checks ---- */

static const char *const known_exts[] = {
    RSPG_OID_SUBJECT_KEY_ID, RSPG_OID_AUTHORITY_KEY_ID, RSPG_OID_BASIC_CONSTRAINTS, RSPG_OID_KEY_USAGE, RSPG_OID_EXT_KEY_USAGE, RSPG_OID_CERTIFICATE_POLICIES,
    RSPG_OID_SUBJECT_ALT_NAME, RSPG_OID_CRL_DISTRIBUTION_POINTS, RSPG_OID_NAME_CONSTRAINTS, RSPG_OID_PERMITTED_EINS, NULL,
};

static int read_basic_constraints(const struct vcert *c, int *ca, long *path_len, int *critical)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(&c->x, RSPG_OID_BASIC_CONSTRAINTS);
    rspg_der_cursor cur;
    rspg_der_tlv seq, t;
    *ca = 0;
    *path_len = -1;
    *critical = 0;
    if (e == NULL)
        return 0;
    *critical = e->critical;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&cur))
        return -1;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    if (rspg_der_peek_tag(&cur) == RSPG_DER_BOOLEAN) {
        if (rspg_der_read(&cur, &t) != 0 || t.len != 1)
            return -1;
        *ca = t.value[0] != 0;
    }
    if (rspg_der_peek_tag(&cur) == RSPG_DER_INTEGER) {
        if (rspg_der_read(&cur, &t) != 0 || t.len == 0 || t.len > 4 || (t.value[0] & 0x80))
            return -1;
        long pl = 0;
        for (size_t i = 0; i < t.len; i++)
            pl = pl << 8 | t.value[i];
        *path_len = pl;
    }
    return rspg_der_cursor_done(&cur) ? 1 : -1;
}

/* keyUsage bits as RSPG_KU_* (bit 0 = digitalSignature); -1 absent, -2 malformed. */
static long read_key_usage(const struct vcert *c, int *critical)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(&c->x, RSPG_OID_KEY_USAGE);
    rspg_der_cursor cur;
    rspg_der_tlv t;
    if (e == NULL)
        return -1;
    *critical = e->critical;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_BIT_STRING, &t) != 0 || t.len < 1 || t.len > 3 || t.value[0] > 7)
        return -2;
    unsigned bits = 0;
    for (size_t i = 1; i < t.len; i++)
        for (int b = 0; b < 8; b++)
            if (t.value[i] & (0x80 >> b))
                bits |= 1u << ((i - 1) * 8 + (size_t)b);
    return (long)bits;
}

/* Does the EKU contain OID? -1 when there is no EKU. */
static int eku_has(const struct vcert *c, const char *oid, int *critical)
{
    const rspg_x509_ext *e = rspg_x509_find_ext(&c->x, RSPG_OID_EXT_KEY_USAGE);
    rspg_der_cursor cur;
    rspg_der_tlv seq, t;
    if (e == NULL)
        return -1;
    *critical = e->critical;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) != 0)
        return 0;
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (rspg_der_expect(&cur, RSPG_DER_OID, &t) == 0)
        if (rspg_der_oid_is(&t, oid))
            return 1;
    return 0;
}

static int check_policy(struct ctx *x, struct vcert *c)
{
    int expected = c->expected_role;
    int role = role_of(c);
    if (role < 0)
        return 0; /* no RSP role to check against */
    const rspg_role_rule *rule = rspg_rule_for((rspg_role)role);
    if (rule->oid_v2 == NULL && rule->oid_v3 == NULL) {
        if (c->policy_role >= 0)
            return failf(x, RSPG_V_POLICY, c, "'%s' is an %s certificate but carries the %s role policy",
                         c->name, rspg_role_name((rspg_role)role),
                         rspg_role_name((rspg_role)c->policy_role));
        return 0;
    }
    if (c->policy_role < 0)
        return failf(x, RSPG_V_POLICY, c, "'%s' carries no RSP role policy (%s expected)", c->name,
                     rule->oid_v3 ? rule->oid_v3 : rule->oid_v2);
    if (expected >= 0 && c->policy_role != expected)
        return failf(x, RSPG_V_POLICY, c, "'%s' is a %s certificate but its policy is the %s role's",
                     c->name, rspg_role_name((rspg_role)expected),
                     rspg_role_name((rspg_role)c->policy_role));
    /* a certificate with EKU serverAuth is a TLS certificate: its policy must be a TLS role */
    int crit;
    if (expected < 0 && eku_has(c, RSPG_OID_EKU_SERVER_AUTH, &crit) == 1 && !rule->tls)
        return failf(x, RSPG_V_POLICY, c,
                     "'%s' is a TLS certificate (EKU serverAuth) but carries the %s role policy",
                     c->name, rspg_role_name((rspg_role)c->policy_role));
    int want_crit = c->policy_v3 ? rule->policy_critical_v3 : rule->policy_critical_v2;
    if (c->policy_critical != want_crit)
        return failf(x, RSPG_V_POLICY, c, "certificatePolicies of '%s' is %scritical; SGP.22 makes the "
                                     "%s policy %s",
                     c->name, c->policy_critical ? "" : "not ",
                     rspg_role_name((rspg_role)c->policy_role),
                     want_crit ? "critical" : "non-critical");
    return 0;
}

static int check_cert(struct ctx *x, size_t i)
{
    struct vcert *c = x->chain[i];
    struct vcert *issuer = x->chain[i + 1 < x->len ? i + 1 : i];
    int role = role_of(c);
    const rspg_role_rule *rule = role >= 0 ? rspg_rule_for((rspg_role)role) : NULL;

    if (!is_ecdsa_sha256(&c->x.sig_alg) || !is_ecdsa_sha256(&c->x.tbs_sig_alg))
        return failf(x, RSPG_V_SIGNATURE, c, "'%s' is not signed with ecdsa-with-SHA256", c->name);
    if (!cert_signed_by(c, issuer))
        return failf(x, RSPG_V_SIGNATURE, c, "the signature of '%s' does not verify under '%s'", c->name,
                     issuer->name);
    if (x->v->time < c->x.not_before)
        return failf(x, RSPG_V_NOT_YET_VALID, c, "'%s' is not valid yet", c->name);
    if (x->v->time > c->x.not_after)
        return failf(x, RSPG_V_EXPIRED, c, "'%s' has expired", c->name);
    if (c->curve == NULL || !c->curve->rsp_supported)
        return failf(x, RSPG_V_CURVE, c,
                     "the key of '%s' is on %s; SGP.22 allows only prime256v1 and brainpoolP256r1",
                     c->name, c->curve ? c->curve->name : "an unknown curve");
    if (c->curve != x->chain[x->len - 1]->curve)
        return failf(x, RSPG_V_CURVE_MISMATCH, c, "the key of '%s' is on %s, its root's on %s; all "
                                             "certificates of a chain must use one curve",
                     c->name, c->curve->name, x->chain[x->len - 1]->curve ? x->chain[x->len - 1]->curve->name : "?");
    for (size_t e = 0; e < c->x.n_exts; e++) {
        if (!c->x.exts[e].critical)
            continue;
        int known = 0;
        for (size_t k = 0; known_exts[k] && !known; k++)
            known = rspg_der_oid_is(&c->x.exts[e].oid, known_exts[k]);
        if (!known) {
            char *oid = rspg_der_oid_to_text(c->x.exts[e].oid.value, c->x.exts[e].oid.len);
            failf(x, RSPG_V_CRITICAL, c, "'%s' has an unknown critical extension %s", c->name,
                  oid ? oid : "?");
            free(oid);
            return -1;
        }
    }
    int ca, bc_crit;
    long path_len;
    int bc = read_basic_constraints(c, &ca, &path_len, &bc_crit);
    if (bc < 0)
        return failf(x, RSPG_V_BASIC_CONSTRAINTS, c, "malformed basicConstraints in '%s'", c->name);
    if (i > 0 && !ca)
        return failf(x, RSPG_V_BASIC_CONSTRAINTS, c, "'%s' issues certificates but is not a CA "
                                                "(basicConstraints cA is not TRUE)",
                     c->name);
    if (i > 0 && path_len >= 0 && (long)(i - 1) > path_len)
        return failf(x, RSPG_V_PATH_LEN, x->chain[i - 1],
                     "'%s' allows %ld CA certificate(s) below it (pathLenConstraint), the chain "
                     "has %zu",
                     c->name, path_len, i - 1);
    if (rule && rule->is_ca && !ca)
        return failf(x, RSPG_V_BASIC_CONSTRAINTS, c, "'%s' is a %s certificate without basicConstraints "
                                                "cA TRUE",
                     c->name, rspg_role_name((rspg_role)role));
    if (rule && !rule->is_ca && ca)
        return failf(x, RSPG_V_BASIC_CONSTRAINTS, c, "'%s' is an end-entity %s certificate marked as a CA",
                     c->name, rspg_role_name((rspg_role)role));
    int ku_crit = 0;
    long ku = read_key_usage(c, &ku_crit);
    if (ku == -2)
        return failf(x, RSPG_V_KEY_USAGE, c, "malformed keyUsage in '%s'", c->name);
    if (i > 0 && (ku < 0 || !(ku & RSPG_KU_KEY_CERT_SIGN)))
        return failf(x, RSPG_V_KEY_USAGE, c, "'%s' signs certificates but its keyUsage lacks "
                                        "keyCertSign",
                     c->name);
    if (rule) {
        if (ku < 0)
            return failf(x, RSPG_V_KEY_USAGE, c, "'%s' has no keyUsage", c->name);
        if (((unsigned)ku & rule->ku_required) != rule->ku_required ||
            ((unsigned)ku & ~rule->ku_allowed) != 0)
            return failf(x, RSPG_V_KEY_USAGE, c, "keyUsage of '%s' does not fit a %s certificate (%s)",
                         c->name, rspg_role_name((rspg_role)role),
                         rule->is_ca ? "keyCertSign, optionally cRLSign, expected"
                                     : "digitalSignature only expected");
    }
    if (check_policy(x, c) != 0)
        return -1;
    if (c->policy_role >= 0 && c->policy_role != RSPG_ROLE_CI && c->policy_v3 != x->v3)
        return failf(x, RSPG_V_POLICY, c, "'%s' uses the %s role arc in a chain of the %s arc", c->name,
                     c->policy_v3 ? "v3 (Variants Ov3, A, B, C)" : "v2 (Variant O)",
                     x->v3 ? "v3" : "v2");
    int irole = role_of(issuer);
    if (i + 1 < x->len && role >= 0 && irole >= 0 &&
        !rspg_role_may_issue((rspg_role)irole, (rspg_role)role))
        return failf(x, RSPG_V_ISSUER_ROLE, c, "a %s certificate ('%s') may not issue a %s certificate ('%s')",
                     rspg_role_name((rspg_role)irole), issuer->name,
                     rspg_role_name((rspg_role)role), c->name);
    if (rule && rule->tls) {
        int crit = 0;
        int has = eku_has(c, RSPG_OID_EKU_SERVER_AUTH, &crit);
        if (has < 0)
            return failf(x, RSPG_V_EKU, c, "the TLS certificate '%s' has no extendedKeyUsage", c->name);
        if (!has)
            return failf(x, RSPG_V_EKU, c, "the extendedKeyUsage of TLS certificate '%s' lacks "
                                      "serverAuth",
                         c->name);
    }
    /* revocation: the CRLs of the issuer that verify and are current */
    if (i + 1 < x->len) {
        for (size_t k = 0; k < x->v->n_crls; k++) {
            struct vcrl *crl = &x->v->crls[k];
            if (!same_tlv(&crl->c.issuer, &issuer->x.subject))
                continue;
            size_t sl;
            const uint8_t *sig = NULL;
            if (crl->c.sig.len >= 1 && crl->c.sig.value[0] == 0) {
                sig = crl->c.sig.value + 1;
                sl = crl->c.sig.len - 1;
            } else {
                sl = 0;
            }
            if (!verify_under(issuer, crl->c.tbs.hdr, crl->c.tbs.hdr_len + crl->c.tbs.len, sig, sl))
                continue; /* not this issuer's, or corrupted: it says nothing */
            if (rspg_crl_lists(&crl->c, c->x.serial.value, c->x.serial.len) == 1)
                return failf(x, RSPG_V_REVOKED, c, "'%s' is revoked by '%s'", c->name, crl->name);
        }
    }
    return 0;
}

/* ---- eUICC: EID and the EUM's constraint ---- */

/* The value of the first attribute OID in the Name TLV N (NUL-terminated into OUT). */
static int name_attr(const rspg_der_tlv *n, const char *oid, char *out, size_t cap)
{
    rspg_der_cursor rdns, set, atv;
    rspg_der_tlv s, a, o, val;
    rspg_der_cursor_init(&rdns, n->value, n->len);
    while (rspg_der_expect(&rdns, RSPG_DER_SET, &s) == 0) {
        rspg_der_cursor_init(&set, s.value, s.len);
        while (rspg_der_expect(&set, RSPG_DER_SEQUENCE, &a) == 0) {
            rspg_der_cursor_init(&atv, a.value, a.len);
            if (rspg_der_expect(&atv, RSPG_DER_OID, &o) != 0 || rspg_der_read(&atv, &val) != 0)
                continue;
            if (rspg_der_oid_is(&o, oid)) {
                if (val.len >= cap)
                    return -1;
                memcpy(out, val.value, val.len);
                out[val.len] = '\0';
                return 0;
            }
        }
    }
    return -1;
}

/* Collects the EUM constraint of CA certificate C: the permitted directoryNames' O and
 * serialNumber (Variant O) and the permittedEins (v3). Returns 1 if C constrains. */
struct constraint {
    char orgs[4][128];
    size_t n_orgs;
    char prefixes[8][40];
    size_t n_prefixes;
};

static int read_constraint(const struct vcert *c, struct constraint *k)
{
    memset(k, 0, sizeof(*k));
    int any = 0;
    const rspg_x509_ext *nc = rspg_x509_find_ext(&c->x, RSPG_OID_NAME_CONSTRAINTS);
    if (nc) {
        rspg_der_cursor cur, sub;
        rspg_der_tlv seq, perm, st, base, name;
        rspg_der_cursor_init(&cur, nc->value.value, nc->value.len);
        if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) == 0) {
            rspg_der_cursor_init(&cur, seq.value, seq.len);
            if (rspg_der_expect(&cur, 0xA0, &perm) == 0) {
                rspg_der_cursor_init(&cur, perm.value, perm.len);
                while (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &st) == 0) {
                    rspg_der_cursor_init(&sub, st.value, st.len);
                    if (rspg_der_expect(&sub, 0xA4, &base) != 0)
                        continue;
                    rspg_der_cursor_init(&sub, base.value, base.len);
                    if (rspg_der_expect(&sub, RSPG_DER_SEQUENCE, &name) != 0)
                        continue;
                    any = 1;
                    if (k->n_orgs < 4 && name_attr(&name, RSPG_OID_AT_O, k->orgs[k->n_orgs], 128) == 0)
                        k->n_orgs++;
                    if (k->n_prefixes < 8 &&
                        name_attr(&name, RSPG_OID_AT_SERIAL_NUMBER, k->prefixes[k->n_prefixes], 40) == 0)
                        k->n_prefixes++;
                }
            }
        }
    }
    const rspg_x509_ext *pe = rspg_x509_find_ext(&c->x, RSPG_OID_PERMITTED_EINS);
    if (pe) {
        rspg_der_cursor cur;
        rspg_der_tlv seq, s;
        rspg_der_cursor_init(&cur, pe->value.value, pe->value.len);
        if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &seq) == 0) {
            any = 1;
            rspg_der_cursor_init(&cur, seq.value, seq.len);
            while (rspg_der_expect(&cur, RSPG_DER_PRINTABLESTRING, &s) == 0 && k->n_prefixes < 8) {
                if (s.len < 40) {
                    memcpy(k->prefixes[k->n_prefixes], s.value, s.len);
                    k->prefixes[k->n_prefixes][s.len] = '\0';
                    k->n_prefixes++;
                }
            }
        }
    }
    return any;
}

static int check_euicc(struct ctx *x)
{
    struct vcert *c = x->chain[0];
    char eid[64], org[128];
    if (name_attr(&c->x.subject, RSPG_OID_AT_SERIAL_NUMBER, eid, sizeof(eid)) != 0)
        return failf(x, RSPG_V_EID, c, "the eUICC certificate '%s' has no EID (subject serialNumber)",
                     c->name);
    rspg_eid_error ee = rspg_eid_check(eid);
    if (ee != RSPG_EID_OK)
        return failf(x, RSPG_V_EID, c, "EID %s of '%s' is invalid: %s", eid, c->name,
                     rspg_eid_error_text(ee));
    if (name_attr(&c->x.subject, RSPG_OID_AT_O, org, sizeof(org)) != 0)
        org[0] = '\0';
    for (size_t i = 1; i < x->len; i++) {
        struct constraint k;
        if (!read_constraint(x->chain[i], &k))
            continue;
        int org_ok = k.n_orgs == 0;
        for (size_t j = 0; j < k.n_orgs; j++)
            org_ok |= strcmp(k.orgs[j], org) == 0;
        if (!org_ok)
            return failf(x, RSPG_V_EUM_CONSTRAINT, c,
                         "the O '%s' of '%s' is not the one '%s' permits ('%s')", org, c->name,
                         x->chain[i]->name, k.orgs[0]);
        if (k.n_prefixes == 0)
            continue;
        int prefix_ok = 0;
        for (size_t j = 0; j < k.n_prefixes; j++)
            prefix_ok |= rspg_eid_has_prefix(eid, k.prefixes[j]);
        if (!prefix_ok)
            return failf(x, RSPG_V_EUM_CONSTRAINT, c,
                         "EID %s of '%s' is outside the EIN prefix %s that '%s' permits", eid,
                         c->name, k.prefixes[0], x->chain[i]->name);
    }
    return 0;
}

void rspg_verifier_check(rspg_verifier *v, int index, rspg_verdict *out)
{
    struct ctx x;
    memset(out, 0, sizeof(*out));
    memset(&x, 0, sizeof(x));
    x.v = v;
    x.out = out;
    out->valid = 1;
    if (index < 0 || (size_t)index >= v->n_certs) {
        out->valid = 0;
        out->check = "format";
        out->reason = "invalidCertificate";
        snprintf(out->message, sizeof(out->message), "no such certificate");
        return;
    }
    struct vcert *leaf = &v->certs[index];
    int lr = role_of(leaf);
    /* a TLS certificate whose policy names another role is still judged as TLS */
    int crit;
    if (leaf->expected_role < 0 && eku_has(leaf, RSPG_OID_EKU_SERVER_AUTH, &crit) == 1 &&
        (lr < 0 || !rspg_rule_for((rspg_role)lr)->tls))
        lr = lr == RSPG_ROLE_DS_AUTH || lr == RSPG_ROLE_DS_TLS ? RSPG_ROLE_DS_TLS : RSPG_ROLE_DP_TLS;
    x.leaf_role_known = lr >= 0;
    x.leaf_role = lr >= 0 ? (rspg_role)lr : RSPG_ROLE_CI;
    int rc = build_path(&x, leaf);
    for (size_t i = 0; i < x.len; i++) {
        size_t n = strlen(out->chain);
        snprintf(out->chain + n, sizeof(out->chain) - n, "%s%s", i ? " <- " : "", x.chain[i]->name);
    }
    if (rc != 0)
        return;
    struct vcert *root = x.chain[x.len - 1];
    /* the arc of the chain: v3 if any certificate below the root uses the v3 arc */
    for (size_t i = 0; i + 1 < x.len; i++)
        if (x.chain[i]->policy_role >= 0 && x.chain[i]->policy_role != RSPG_ROLE_CI)
            x.v3 = x.chain[i]->policy_v3;
    if (!root->trust_anchor) {
        failf(&x, RSPG_V_UNKNOWN_CI, root, "the root '%s' is not a trusted CI", root->name);
        return;
    }
    for (size_t i = x.len; i-- > 0;)
        if (check_cert(&x, i) != 0)
            return;
    if (x.leaf_role_known && x.leaf_role == RSPG_ROLE_EUICC)
        check_euicc(&x);
}

void rspg_verifier_check_crl(rspg_verifier *v, int index, rspg_verdict *out)
{
    memset(out, 0, sizeof(*out));
    out->valid = 1;
    struct vcrl *crl = &v->crls[index];
    snprintf(out->cert, sizeof(out->cert), "%s", crl->name);
    const char *problem = NULL;
    rspg_violation viol = RSPG_V_CRL_SIGNATURE;
    size_t sl = crl->c.sig.len ? crl->c.sig.len - 1 : 0;
    const uint8_t *sig = crl->c.sig.len && crl->c.sig.value[0] == 0 ? crl->c.sig.value + 1 : NULL;
    /* Several certificates may carry the issuer's name (the NIST and BRP CIs, invalid
     * twins): take the one whose key verifies the signature, else the first by name. */
    struct vcert *issuer = NULL;
    for (size_t i = 0; i < v->n_certs; i++)
        if (same_tlv(&v->certs[i].x.subject, &crl->c.issuer)) {
            if (issuer == NULL)
                issuer = &v->certs[i];
            if (verify_under(&v->certs[i], crl->c.tbs.hdr, crl->c.tbs.hdr_len + crl->c.tbs.len,
                             sig, sl)) {
                issuer = &v->certs[i];
                break;
            }
        }
    if (crl->c.version != 1) {
        problem = "not an X.509 v2 CRL";
        viol = RSPG_V_CRL_FORMAT;
    } else if (!is_ecdsa_sha256(&crl->c.sig_alg)) {
        problem = "not signed with ecdsa-with-SHA256";
    } else if (issuer == NULL) {
        problem = "its issuer is not among the known certificates";
        viol = RSPG_V_CRL_UNKNOWN_ISSUER;
    } else if (!verify_under(issuer, crl->c.tbs.hdr, crl->c.tbs.hdr_len + crl->c.tbs.len, sig, sl)) {
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

/* ---- a build folder against its manifest ---- */

void rspg_verify_result_free(rspg_verify_result *res)
{
    for (size_t i = 0; i < res->n_items; i++) {
        free(res->items[i].path);
        free(res->items[i].expect);
        free(res->items[i].expect_reason);
    }
    free(res->items);
    memset(res, 0, sizeof(*res));
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

rspg_status rspg_verify_dir(const char *dir, const rspg_verify_options *o, rspg_diag *d,
                            rspg_verify_result *res)
{
    memset(res, 0, sizeof(*res));
    char *mpath = rspg_xasprintf("%s/manifest.json", dir);
    json_error_t jerr;
    json_t *root = json_load_file(mpath, 0, &jerr);
    if (root == NULL) {
        /* jansson gives line -1 when the file cannot be opened: no position then */
        unsigned line = jerr.line > 0 ? (unsigned)jerr.line : 0;
        rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){mpath, line, line ? (unsigned)jerr.column : 0},
                      "cannot read the manifest: %s", jerr.text);
        free(mpath);
        return RSPG_E_IO;
    }
    const char *schema = jstr(root, "schema");
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
        const char *t = jstr(json_object_get(root, "clock"), "time");
        if (t == NULL || rspg_parse_rfc3339(t, &at) != 0) {
            json_decref(root);
            free(mpath);
            return rspg_fail(d, RSPG_E_IO, "%s: no clock.time; give the time with --at", dir);
        }
    }
    rspg_verifier *v = rspg_verifier_new(at);
    size_t n = json_array_size(arts);
    int *index = rspg_xcalloc(n ? n : 1, sizeof(int));
    rspg_status rc = RSPG_OK;
    /* load certificates (DER copies only; PEM twins are the same certificate) and CRLs */
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(arts, i);
        const char *kind = jstr(a, "kind"), *path = jstr(a, "path"), *role = jstr(a, "role");
        index[i] = -1;
        if (kind == NULL || path == NULL)
            continue;
        char *full = rspg_xasprintf("%s/%s", dir, path);
        if (strcmp(kind, "certificate") == 0) {
            rspg_role r;
            int role_i = role && rspg_role_parse(role, &r) == 0 ? (int)r : -1;
            json_t *ta = json_object_get(a, "trust_anchor");
            index[i] = rspg_verifier_add_cert_file(v, full, json_is_true(ta), role_i, d);
            if (index[i] < 0)
                rc = RSPG_E_IO;
        } else if (strcmp(kind, "crl") == 0) {
            index[i] = rspg_verifier_add_crl_file(v, full, d);
            if (index[i] < 0)
                rc = RSPG_E_IO;
        } else if (strcmp(kind, "cvc") == 0) {
            index[i] = -2; /* an SGP.02 card certificate (binary or hex): checked below (cvc.h) */
        }
        free(full);
    }
    if (rc == RSPG_OK) {
        res->items = rspg_xcalloc(n ? n : 1, sizeof(*res->items));
        for (size_t i = 0; i < n; i++) {
            json_t *a = json_array_get(arts, i);
            const char *kind = jstr(a, "kind");
            if ((index[i] < 0 && index[i] != -2) || kind == NULL)
                continue;
            rspg_verify_item *it = &res->items[res->n_items++];
            it->path = rspg_xstrdup(jstr(a, "path"));
            it->expect = rspg_xstrdup(jstr(a, "expect") ? jstr(a, "expect") : "valid");
            it->expect_reason = jstr(a, "reason") ? rspg_xstrdup(jstr(a, "reason")) : NULL;
            if (index[i] == -2)
                rspg_cvc_verify_item(dir, it->path, jstr(a, "issuer"), at, &it->verdict);
            else if (strcmp(kind, "crl") == 0)
                rspg_verifier_check_crl(v, index[i], &it->verdict);
            else
                rspg_verifier_check(v, index[i], &it->verdict);
            const char *got = it->verdict.valid ? "valid" : "invalid";
            it->agrees = strcmp(got, it->expect) == 0 &&
                         (it->verdict.valid || it->expect_reason == NULL ||
                          strcmp(it->expect_reason, it->verdict.reason) == 0);
            res->certificates++;
            if (it->agrees) {
                res->agreed++;
            } else {
                res->disagreed++;
                if (it->verdict.valid)
                    rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0},
                                  "%s: the manifest expects invalid (%s), but it verifies",
                                  it->path, it->expect_reason ? it->expect_reason : "no reason");
                else
                    rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0},
                                  "%s: the manifest expects %s%s%s, but it is invalid (%s, %s): %s",
                                  it->path, it->expect, it->expect_reason ? " " : "",
                                  it->expect_reason ? it->expect_reason : "", it->verdict.reason,
                                  it->verdict.check, it->verdict.message);
            }
        }
        if (res->disagreed)
            rc = RSPG_E_VERIFY;
    }
    free(index);
    rspg_verifier_free(v);
    json_decref(root);
    free(mpath);
    return rc;
}
