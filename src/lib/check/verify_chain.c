/*
 * verify_chain.c: path building and the checks of each certificate of a path, as an eUICC,
 * SM-DP+ or LPA validates them. Sources: SGP.22 §4.5.2.2 (every certificate valid, chained
 * to the CI by AKI/SKI, not revoked, not expired, critical extensions understood; the curves
 * of a chain equal), §4.5.2.1 (role profiles), §2.6.1 (who issues whom), §2.6.5 (curves);
 * RFC 5280 §6.1 for signatures, basicConstraints and pathLen. Every rule comes from the
 * rulebook (rsp/rulebook.h); every field from cert_info (x509/cert_info.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "verify_internal.h"

/* ---- signatures and key identifiers ---- */

static int cert_signed_by(struct vcert *c, struct vcert *issuer)
{
    for (size_t i = 0; i < c->n_sig_memo; i++)
        if (c->sig_memo[i].issuer == issuer)
            return c->sig_memo[i].ok;
    size_t sig_len;
    const rspg_x509 *x = &c->ci.x;
    const uint8_t *sig = rspg_x509_sig_value(x, &sig_len);
    int ok = rspg_vx_verify_under(issuer, x->tbs.hdr, x->tbs.hdr_len + x->tbs.len, sig, sig_len);
    c->sig_memo = rspg_xrealloc(c->sig_memo, (c->n_sig_memo + 1) * sizeof(*c->sig_memo));
    c->sig_memo[c->n_sig_memo].issuer = issuer;
    c->sig_memo[c->n_sig_memo++].ok = ok;
    return ok;
}

static int key_ids_link(const struct vcert *c, const struct vcert *issuer)
{
    if (c->ci.aki == NULL)
        return 1; /* nothing to match (the CI has no AKI) */
    return issuer->ci.ski && c->ci.aki_len == issuer->ci.ski_len &&
           memcmp(c->ci.aki, issuer->ci.ski, c->ci.aki_len) == 0;
}

static int self_issued(const struct vcert *c)
{
    if (!rspg_vx_same_tlv(&c->ci.x.issuer, &c->ci.x.subject))
        return 0;
    return c->ci.aki == NULL || (c->ci.ski && c->ci.aki_len == c->ci.ski_len &&
                                 memcmp(c->ci.aki, c->ci.ski, c->ci.aki_len) == 0);
}

/* ---- path building (RFC 4158, depth first) ----
 *
 * Several certificates of a pool may carry one subject name and one SKI: SGP.26 output
 * folders hold invalid twins of valid CAs (a wrong policy or nameConstraints, a bad pathLen),
 * often with the valid CA's key. A certificate is valid if ANY path validates (RFC 5280 §6),
 * so the paths are enumerated depth first: at each step every issuer that matches by name
 * and AKI/SKI, the most preferred first (its signature verifies, then trust anchors, then
 * pool order), each complete path judged in full (rspg_vx_check_path) until one validates.
 * When none does, the verdict is the FIRST path's (the most preferred issuer at every
 * step), so that an invalid certificate keeps the reason of its intended chain. */

static int same_der(const struct vcert *a, const struct vcert *b)
{
    return a == b ||
           (a->der.len == b->der.len && memcmp(a->der.data, b->der.data, a->der.len) == 0);
}

/* May CAND extend the path in X above CUR (name and key identifiers, the issuer pinned
 * by a manifest if any, not on the path yet, nor a copy of one that is)? */
static int may_issue(const struct vctx *x, const struct vcert *cur, const struct vcert *cand)
{
    if (cand == cur || !rspg_vx_same_tlv(&cand->ci.x.subject, &cur->ci.x.issuer) ||
        !key_ids_link(cur, cand) || (cur->issuer_pin && !same_der(cand, cur->issuer_pin)))
        return 0;
    for (size_t j = 0; j < x->len; j++)
        if (same_der(x->chain[j], cand))
            return 0; /* a loop */
    return 1;
}

/* Is certificate I of the pool a copy (same bytes, anchor flag and role: a folder's DER and
 * PEM files) of FIRST or of an earlier one? Then every path through it was judged already. */
static int judged_copy(const struct vctx *x, size_t i, const struct vcert *first)
{
    const struct vcert *c = x->v->certs[i];
    for (size_t k = 0; k < x->v->n_certs; k++) {
        const struct vcert *o = x->v->certs[k];
        if ((k < i || o == first) && o != c && same_der(o, c) &&
            !o->trust_anchor == !c->trust_anchor && o->expected_role == c->expected_role)
            return 1;
    }
    return 0;
}

/* The most preferred issuer of CUR: the first trust anchor whose signature verifies, else
 * the first candidate whose signature verifies, else the first candidate (the path then
 * fails on the signature); NULL when none matches. */
static struct vcert *best_issuer(struct vctx *x, struct vcert *cur)
{
    rspg_verifier *v = x->v;
    struct vcert *best = NULL;
    for (size_t i = 0; i < v->n_certs; i++) {
        struct vcert *cand = v->certs[i];
        if (!may_issue(x, cur, cand))
            continue;
        if (best == NULL || (!cert_signed_by(cur, best) && cert_signed_by(cur, cand)) ||
            (cand->trust_anchor && !best->trust_anchor && cert_signed_by(cur, cand)))
            best = cand;
    }
    return best;
}

/* Judges the path in X, ended by END (0: at a self-issued root; else its failure was
 * recorded in a fresh verdict by path_end): the verdict goes to the caller for the
 * first path and to X->alt for the others (copied to the caller when it validates).
 * Returns 1 to stop the search (a path validated, or RSPG_VERIFY_MAX_PATHS were judged),
 * 0 to go on. */
static int judge(struct vctx *x, int end)
{
    int ok = end == 0 && rspg_vx_check_path(x) == 0;
    x->paths++;
    if (ok && x->out != x->first)
        *x->first = *x->out;
    x->out = &x->alt; /* every path after the first is judged into the scratch verdict */
    return ok || x->paths >= RSPG_VERIFY_MAX_PATHS;
}

/* The path in X, leaf first, names joined by " <- ", as the verdict's chain; X->v3 reset. */
static void start_verdict(struct vctx *x)
{
    rspg_verdict *out = x->out;
    memset(out, 0, sizeof(*out));
    out->valid = 1;
    x->v3 = 0;
    for (size_t i = 0; i < x->len; i++) {
        size_t n = strlen(out->chain);
        snprintf(out->chain + n, sizeof(out->chain) - n, "%s%s", i ? " <- " : "",
                 x->chain[i]->name);
    }
}

/* A path that reaches no root (CUR has no issuer, or TOO_LONG): its failure. */
static int path_end(struct vctx *x, struct vcert *cur, int too_long)
{
    start_verdict(x);
    if (too_long)
        rspg_vx_fail(x, RSPG_V_UNKNOWN_CI, cur, "chain longer than %d certificates",
                     RSPG_VERIFY_MAX_CHAIN);
    else
        rspg_vx_fail(x, RSPG_V_UNKNOWN_CI, cur,
                     "no issuer of '%s' is known: it does not chain to a trusted CI", cur->name);
    return judge(x, -1);
}

/* Extends the path with ISSUER and searches on; returns 1 to stop (see judge). */
static int extend(struct vctx *x, struct vcert *issuer);

/* Searches every path above the top of X; returns 1 to stop (see judge). The bound: at
 * most RSPG_VERIFY_MAX_PATHS complete paths (dead ends included) of at most
 * RSPG_VERIFY_MAX_CHAIN certificates, loops excluded, so a pool of many same-name CAs per
 * level costs at most that many judgements; at the bound the first path's verdict stands.
 * Issuers other than the preferred one are tried only when their signature verifies (a
 * path through any other cannot validate) and when they are no copy of one tried already
 * (judged_copy). Every signature check is remembered per certificate and issuer
 * (sig_memo), every CRL check per CRL and issuer, so backtracking repeats no ECDSA
 * verification. */
static int search(struct vctx *x)
{
    struct vcert *cur = x->chain[x->len - 1];
    if (self_issued(cur))
        return judge(x, 0);
    struct vcert *first = best_issuer(x, cur);
    if (first == NULL)
        return path_end(x, cur, 0);
    if (x->len == RSPG_VERIFY_MAX_CHAIN)
        return path_end(x, cur, 1);
    if (extend(x, first))
        return 1;
    for (int anchors = 1; anchors >= 0; anchors--)
        for (size_t i = 0; i < x->v->n_certs; i++) {
            struct vcert *cand = x->v->certs[i];
            if (cand != first && !!cand->trust_anchor == anchors && may_issue(x, cur, cand) &&
                !judged_copy(x, i, first) && cert_signed_by(cur, cand) && extend(x, cand))
                return 1;
        }
    return 0;
}

static int extend(struct vctx *x, struct vcert *issuer)
{
    x->chain[x->len++] = issuer;
    int stop = search(x);
    x->len--;
    return stop;
}

void rspg_vx_validate(struct vctx *x, struct vcert *leaf)
{
    x->chain[0] = leaf;
    x->len = 1;
    x->paths = 0;
    x->out = x->first;
    search(x);
    x->v->paths_tried = x->paths;
}

/* ---- per-certificate checks ---- */

/* Signature algorithm and value, validity, curve (SGP.22 §4.5.2.2, §2.6.5). */
static int check_basics(struct vctx *x, struct vcert *c, struct vcert *issuer)
{
    const rspg_curve *root = x->chain[x->len - 1]->ci.curve;
    if (!c->ci.sig_alg_ok)
        return rspg_vx_fail(x, RSPG_V_SIGNATURE, c, "'%s' is not signed with ecdsa-with-SHA256",
                            c->name);
    if (!cert_signed_by(c, issuer))
        return rspg_vx_fail(x, RSPG_V_SIGNATURE, c,
                            "the signature of '%s' does not verify under '%s'", c->name,
                            issuer->name);
    if (x->v->time < c->ci.x.not_before)
        return rspg_vx_fail(x, RSPG_V_NOT_YET_VALID, c, "'%s' is not valid yet", c->name);
    if (x->v->time > c->ci.x.not_after)
        return rspg_vx_fail(x, RSPG_V_EXPIRED, c, "'%s' has expired", c->name);
    if (c->ci.curve == NULL || !rspg_rule_curve_allowed(c->ci.curve->oid))
        return rspg_vx_fail(x, RSPG_V_CURVE, c,
                            "the key of '%s' is on %s; SGP.22 allows only prime256v1 and "
                            "brainpoolP256r1",
                            c->name, c->ci.curve ? c->ci.curve->name : "an unknown curve");
    if (c->ci.curve != root)
        return rspg_vx_fail(x, RSPG_V_CURVE_MISMATCH, c,
                            "the key of '%s' is on %s, its root's on %s; all certificates of a "
                            "chain must use one curve",
                            c->name, c->ci.curve->name, root ? root->name : "?");
    for (size_t e = 0; e < c->ci.x.n_exts; e++) {
        const rspg_x509_ext *ext = &c->ci.x.exts[e];
        char *oid = ext->critical ? rspg_der_oid_to_text(ext->oid.value, ext->oid.len) : NULL;
        if (ext->critical && (oid == NULL || rspg_ext_by_oid(oid) == RSPG_XID_NONE)) {
            rspg_vx_fail(x, RSPG_V_CRITICAL, c, "'%s' has an unknown critical extension %s",
                         c->name, oid ? oid : "?");
            free(oid);
            return -1;
        }
        free(oid);
    }
    return 0;
}

/* basicConstraints and pathLen (RFC 5280 §4.2.1.9, §6.1.4), the role's CA flag. */
static int check_ca(struct vctx *x, size_t i, const rspg_role_rule *rule)
{
    struct vcert *c = x->chain[i];
    const rspg_cert_info *ci = &c->ci;
    int role = rspg_vx_role_of(c);
    if (ci->ext[RSPG_XID_BC].malformed)
        return rspg_vx_fail(x, RSPG_V_BASIC_CONSTRAINTS, c, "malformed basicConstraints in '%s'",
                            c->name);
    if (i > 0 && !ci->ca)
        return rspg_vx_fail(x, RSPG_V_BASIC_CONSTRAINTS, c,
                            "'%s' issues certificates but is not a CA (basicConstraints cA is "
                            "not TRUE)",
                            c->name);
    if (i > 0 && ci->path_len >= 0 && (long)(i - 1) > ci->path_len)
        return rspg_vx_fail(x, RSPG_V_PATH_LEN, x->chain[i - 1],
                            "'%s' allows %ld CA certificate(s) below it (pathLenConstraint), the "
                            "chain has %zu",
                            c->name, ci->path_len, i - 1);
    if (rule && rule->is_ca && !ci->ca)
        return rspg_vx_fail(x, RSPG_V_BASIC_CONSTRAINTS, c,
                            "'%s' is a %s certificate without basicConstraints cA TRUE", c->name,
                            rspg_role_name((rspg_role)role));
    if (rule && !rule->is_ca && ci->ca)
        return rspg_vx_fail(x, RSPG_V_BASIC_CONSTRAINTS, c,
                            "'%s' is an end-entity %s certificate marked as a CA", c->name,
                            rspg_role_name((rspg_role)role));
    return 0;
}

/* keyUsage (RFC 5280 §4.2.1.3; the role's bits from the rulebook). */
static int check_key_usage(struct vctx *x, size_t i, const rspg_role_rule *rule)
{
    struct vcert *c = x->chain[i];
    const rspg_cert_info *ci = &c->ci;
    int has = ci->ext[RSPG_XID_KU].present;
    if (ci->ext[RSPG_XID_KU].malformed)
        return rspg_vx_fail(x, RSPG_V_KEY_USAGE, c, "malformed keyUsage in '%s'", c->name);
    if (i > 0 && (!has || !(ci->ku & RSPG_KU_KEY_CERT_SIGN)))
        return rspg_vx_fail(x, RSPG_V_KEY_USAGE, c,
                            "'%s' signs certificates but its keyUsage lacks keyCertSign", c->name);
    if (rule == NULL)
        return 0;
    if (!has)
        return rspg_vx_fail(x, RSPG_V_KEY_USAGE, c, "'%s' has no keyUsage", c->name);
    if ((ci->ku & rule->ku_required) != rule->ku_required || (ci->ku & ~rule->ku_allowed) != 0)
        return rspg_vx_fail(x, RSPG_V_KEY_USAGE, c,
                            "keyUsage of '%s' does not fit a %s certificate (%s)", c->name,
                            rspg_role_name(rule->role),
                            rule->is_ca ? "keyCertSign, optionally cRLSign, expected"
                                        : "digitalSignature only expected");
    return 0;
}

/* The role policy (SGP.22 §4.5.2.1): present, the expected role's, with its criticality. */
static int check_policy(struct vctx *x, struct vcert *c)
{
    int expected = c->expected_role, role = rspg_vx_role_of(c), prole = c->ci.role;
    if (role < 0)
        return 0; /* no RSP role to check against */
    const rspg_role_rule *rule = rspg_rule_for((rspg_role)role);
    if (rule->oid_v2 == NULL && rule->oid_v3 == NULL) {
        if (prole >= 0)
            return rspg_vx_fail(x, RSPG_V_POLICY, c,
                                "'%s' is an %s certificate but carries the %s role policy", c->name,
                                rspg_role_name((rspg_role)role), rspg_role_name((rspg_role)prole));
        return 0;
    }
    if (prole < 0)
        return rspg_vx_fail(x, RSPG_V_POLICY, c, "'%s' carries no RSP role policy (%s expected)",
                            c->name, rule->oid_v3 ? rule->oid_v3 : rule->oid_v2);
    if (expected >= 0 && prole != expected)
        return rspg_vx_fail(x, RSPG_V_POLICY, c,
                            "'%s' is a %s certificate but its policy is the %s role's", c->name,
                            rspg_role_name((rspg_role)expected), rspg_role_name((rspg_role)prole));
    /* a certificate with EKU serverAuth is a TLS certificate: its policy must be a TLS role */
    if (expected < 0 && c->ci.eku_server_auth && !rule->tls)
        return rspg_vx_fail(x, RSPG_V_POLICY, c,
                            "'%s' is a TLS certificate (EKU serverAuth) but carries the %s role "
                            "policy",
                            c->name, rspg_role_name((rspg_role)prole));
    int want_crit = rspg_rule_policy_critical((rspg_role)prole, c->ci.role_v3);
    int crit = c->ci.ext[RSPG_XID_CP].critical;
    if (crit != want_crit)
        return rspg_vx_fail(x, RSPG_V_POLICY, c,
                            "certificatePolicies of '%s' is %scritical; SGP.22 makes the %s "
                            "policy %s",
                            c->name, crit ? "" : "not ", rspg_role_name((rspg_role)prole),
                            want_crit ? "critical" : "non-critical");
    return 0;
}

/* Arc, issuer role (SGP.22 §2.6.1) and the TLS EKU. */
static int check_role(struct vctx *x, size_t i, const rspg_role_rule *rule)
{
    struct vcert *c = x->chain[i];
    struct vcert *issuer = x->chain[i + 1 < x->len ? i + 1 : i];
    int role = rspg_vx_role_of(c), irole = rspg_vx_role_of(issuer);
    if (check_policy(x, c) != 0)
        return -1;
    if (c->ci.role >= 0 && c->ci.role != RSPG_ROLE_CI && c->ci.role_v3 != x->v3)
        return rspg_vx_fail(
            x, RSPG_V_POLICY, c, "'%s' uses the %s role arc in a chain of the %s arc", c->name,
            c->ci.role_v3 ? "v3 (Variants Ov3, A, B, C)" : "v2 (Variant O)", x->v3 ? "v3" : "v2");
    if (i + 1 < x->len && role >= 0 && irole >= 0 &&
        !rspg_role_may_issue((rspg_role)irole, (rspg_role)role))
        return rspg_vx_fail(x, RSPG_V_ISSUER_ROLE, c,
                            "a %s certificate ('%s') may not issue a %s certificate ('%s')",
                            rspg_role_name((rspg_role)irole), issuer->name,
                            rspg_role_name((rspg_role)role), c->name);
    if (rule && rule->tls) {
        if (!c->ci.ext[RSPG_XID_EKU].present)
            return rspg_vx_fail(x, RSPG_V_EKU, c,
                                "the TLS certificate '%s' has no extendedKeyUsage", c->name);
        if (!c->ci.eku_server_auth)
            return rspg_vx_fail(x, RSPG_V_EKU, c,
                                "the extendedKeyUsage of TLS certificate '%s' lacks serverAuth",
                                c->name);
    }
    return 0;
}

/* The extensions the rulebook says a certificate of its role must carry (rspg_rule_required_exts,
 * the same rule the build's profile check applies): checked after the others, so that a
 * certificate that breaks a more specific rule is reported under that one. */
static int check_required(struct vctx *x, struct vcert *c, int role)
{
    if (role < 0)
        return 0;
    unsigned need = rspg_rule_required_exts((rspg_role)role, x->v3);
    for (int id = RSPG_XID_NONE + 1; id < RSPG_XID_COUNT; id++)
        if ((need & (1u << id)) && !c->ci.ext[id].present)
            return rspg_vx_fail(
                x, RSPG_V_MISSING_EXTENSION, c, "'%s' has no %s, which a %s certificate must carry",
                c->name, rspg_ext_def_of((rspg_xid)id)->name, rspg_role_name((rspg_role)role));
    return 0;
}

/* Revocation: the CRLs of the issuer that verify (SGP.22 §4.5.2.2, RFC 5280 §6.3). */
static int check_revocation(struct vctx *x, struct vcert *c, struct vcert *issuer)
{
    for (size_t k = 0; k < x->v->n_crls; k++) {
        struct vcrl *crl = &x->v->crls[k];
        if (!rspg_vx_same_tlv(&crl->c.issuer, &issuer->ci.x.subject))
            continue;
        if (!rspg_vx_crl_signed_by(crl, issuer))
            continue; /* not this issuer's, or corrupted: it says nothing */
        if (rspg_crl_lists(&crl->c, c->ci.x.serial.value, c->ci.x.serial.len) == 1)
            return rspg_vx_fail(x, RSPG_V_REVOKED, c, "'%s' is revoked by '%s'", c->name,
                                crl->name);
    }
    return 0;
}

/* The strict reader's verdict on C (x509/cert_info.h): a structure problem (a duplicated
 * extension, RFC 5280 §4.2; an empty or malformed extension OID, X.690 §8.19; a bad
 * serial, §4.1.2.2) or a malformed extension value is a format violation, except a
 * malformed basicConstraints or keyUsage, which are those rules' violations. */
static int check_strict(struct vctx *x, const struct vcert *c)
{
    const rspg_cert_info *ci = &c->ci;
    if (ci->problem == NULL)
        return 0;
    rspg_violation v = RSPG_V_FORMAT;
    if (ci->structure_problem == NULL && ci->ext[RSPG_XID_BC].malformed)
        v = RSPG_V_BASIC_CONSTRAINTS;
    else if (ci->structure_problem == NULL && ci->ext[RSPG_XID_KU].malformed)
        v = RSPG_V_KEY_USAGE;
    return rspg_vx_fail(x, v, c, "'%s' is not a strict DER certificate: %s", c->name,
                        ci->structure_problem ? ci->structure_problem : ci->content_problem);
}

int rspg_vx_check_cert(struct vctx *x, size_t i)
{
    struct vcert *c = x->chain[i];
    struct vcert *issuer = x->chain[i + 1 < x->len ? i + 1 : i];
    int role = rspg_vx_role_of(c);
    const rspg_role_rule *rule = role >= 0 ? rspg_rule_for((rspg_role)role) : NULL;
    if (check_strict(x, c) != 0 || check_basics(x, c, issuer) != 0 || check_ca(x, i, rule) != 0 ||
        check_key_usage(x, i, rule) != 0 || check_role(x, i, rule) != 0 ||
        check_required(x, c, role) != 0)
        return -1;
    return i + 1 < x->len ? check_revocation(x, c, issuer) : 0;
}

int rspg_vx_check_path(struct vctx *x)
{
    start_verdict(x);
    struct vcert *root = x->chain[x->len - 1];
    /* the arc of the chain: v3 if any certificate below the root uses the v3 arc */
    for (size_t i = 0; i + 1 < x->len; i++)
        if (x->chain[i]->ci.role >= 0 && x->chain[i]->ci.role != RSPG_ROLE_CI)
            x->v3 = x->chain[i]->ci.role_v3;
    if (!root->trust_anchor)
        return rspg_vx_fail(x, RSPG_V_UNKNOWN_CI, root, "the root '%s' is not a trusted CI",
                            root->name);
    for (size_t i = x->len; i-- > 0;)
        if (rspg_vx_check_cert(x, i) != 0)
            return -1;
    if (x->leaf_role_known && x->leaf_role == RSPG_ROLE_EUICC)
        return rspg_vx_check_euicc(x);
    return 0;
}
