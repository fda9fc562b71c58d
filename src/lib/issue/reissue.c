/*
 * reissue.c: chosen certificates of a profile issued under existing issuers (reissue.h), by
 * the build's own code: the profile is planned as a build (plan.c), the given certificates
 * and keys are put into their instances (an instance with a certificate counts as issued),
 * and each target is issued by rspg_inst_issue (issue.c) with the entity as its template:
 * the same TBSCertificate encoder, extensions and signature as `build` (RFC 5280 §4.1).
 *
 * A preset issuer's key must be its certificate's key (same public point), and its
 * subjectKeyIdentifier is what the targets' authorityKeyIdentifier names (RFC 5280
 * §4.2.1.1), whatever method its issuer used to make it.
 */
#include "rspg/issue/reissue.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "issue/build_internal.h"
#include "rspg/base/time.h"
#include "rspg/x509/x509.h"

/* Sets VAL for curve key CURVE in PC, turning a single value into one per curve of E. */
static void per_curve_set(rspg_per_curve *pc, const rspg_entity *e, const char *curve,
                          const char *val)
{
    if (pc->value) {
        pc->keys = rspg_xcalloc(e->n_curves ? e->n_curves : 1, sizeof(char *));
        pc->values = rspg_xcalloc(e->n_curves ? e->n_curves : 1, sizeof(char *));
        for (size_t i = 0; i < e->n_curves; i++) {
            pc->keys[i] = rspg_xstrdup(e->curves[i]);
            pc->values[i] = rspg_xstrdup(pc->value);
        }
        pc->n = e->n_curves;
        free(pc->value);
        pc->value = NULL;
    }
    for (size_t i = 0; i < pc->n; i++)
        if (strcmp(pc->keys[i], curve) == 0) {
            free(pc->values[i]);
            pc->values[i] = rspg_xstrdup(val);
            return;
        }
    pc->keys = rspg_xrealloc(pc->keys, (pc->n + 1) * sizeof(char *));
    pc->values = rspg_xrealloc(pc->values, (pc->n + 1) * sizeof(char *));
    pc->keys[pc->n] = rspg_xstrdup(curve);
    pc->values[pc->n++] = rspg_xstrdup(val);
}

void rspg_reissue_set_serial(rspg_entity *e, const char *curve, const char *hex)
{
    per_curve_set(&e->serial, e, curve, hex);
}

void rspg_reissue_set_validity(rspg_entity *e, const char *curve, int64_t nb, int64_t na)
{
    char t[32];
    rspg_format_rfc3339(nb, t, sizeof(t));
    per_curve_set(&e->not_before, e, curve, t);
    rspg_format_rfc3339(na, t, sizeof(t));
    per_curve_set(&e->not_after, e, curve, t);
}

static void put_time(rspg_buf *m, int64_t t)
{
    for (int i = 0; i < 8; i++)
        rspg_buf_push(m, (uint8_t)((uint64_t)t >> (56 - 8 * i)));
}

char *rspg_reissue_serial(const uint8_t *issuer_cert, size_t issuer_len, const rspg_key *subject,
                          const char *old_serial_hex, int64_t nb, int64_t na)
{
    static const char label[] = "rsp-pkigen reissue serial";
    uint8_t h[SHA256_DIGEST_LENGTH];
    rspg_buf m;
    rspg_buf_init(&m);
    rspg_buf_append(&m, label, sizeof(label));
    rspg_buf_append(&m, issuer_cert, issuer_len);
    rspg_buf_append(&m, subject->pub, subject->pub_len);
    if (old_serial_hex)
        rspg_buf_append(&m, old_serial_hex, strlen(old_serial_hex) + 1);
    put_time(&m, nb);
    put_time(&m, na);
    SHA256(m.data, m.len, h);
    rspg_buf_free(&m);
    h[0] = (uint8_t)((h[0] & 0x3f) | 0x40); /* positive, 16 octets, no leading zero */
    return rspg_hex(h, 16);
}

/* Puts preset PS into its instance. */
static rspg_status apply_preset(rspg_builder *b, const rspg_reissue_preset *ps)
{
    rspg_inst *in = rspg_plan_find(b, ps->entity, ps->curve);
    if (in == NULL)
        return rspg_fail(b->d, RSPG_E_PROFILE, "entity '%s' is not issued on curve '%s'",
                         ps->entity, ps->curve);
    if (ps->key) {
        rspg_key_free(&in->key);
        rspg_key_copy(&in->key, ps->key);
        in->has_key = 1;
        in->public_only = ps->public_only;
        if (ps->public_only) { /* the private key is not ours: no SK_ file */
            free(in->key_path);
            in->key_path = NULL;
        }
        if (ps->key_origin) {
            free(in->key_origin);
            in->key_origin = rspg_xstrdup(ps->key_origin);
        }
    }
    if (ps->cert == NULL)
        return RSPG_OK;
    rspg_x509 x;
    if (rspg_x509_read_named(ps->cert, ps->cert_len, ps->cert_path, &x, b->d) != RSPG_OK)
        return RSPG_E_INPUT;
    rspg_buf_reset(&in->subject_name);
    rspg_buf_append(&in->subject_name, x.subject.hdr, x.subject.hdr_len + x.subject.len);
    rspg_buf_reset(&in->cert);
    rspg_buf_append(&in->cert, ps->cert, ps->cert_len);
    free(in->cert_path);
    in->cert_path = rspg_xstrdup(ps->cert_path);
    in->state = 2;
    return RSPG_OK;
}

/* The issuer of a target: preset with its certificate, its key (from the preset or its
 * entity's source) that certificate's key; its SKI is what the target's AKI names. */
static rspg_status settle_issuer(rspg_builder *b, const rspg_inst *t)
{
    const rspg_entity *e = t->e;
    if (e->issuer == NULL)
        return rspg_fail_at(b->d, e->loc, "'%s' is a root: it is not issued again here", e->id);
    rspg_inst *iss = rspg_plan_find(b, e->issuer, t->cd->key);
    if (iss == NULL || iss->state != 2)
        return rspg_fail_at(b->d, e->issuer_loc,
                            "the certificate of '%s', issuer of '%s', is not given", e->issuer,
                            e->id);
    rspg_status rc = rspg_inst_key(b, iss);
    if (rc != RSPG_OK)
        return rc;
    rspg_x509 x;
    if (rspg_x509_read_named(iss->cert.data, iss->cert.len, iss->cert_path, &x, b->d) != RSPG_OK)
        return RSPG_E_INPUT;
    if (x.pub_len != iss->key.pub_len || memcmp(x.pub, iss->key.pub, x.pub_len) != 0)
        return rspg_fail(b->d, RSPG_E_USAGE,
                         "%s: the key of '%s' is not this certificate's key (a random key that "
                         "was not written cannot be had again)",
                         iss->cert_path, iss->e->id);
    size_t n;
    const uint8_t *ski = rspg_x509_ski(&x, &n);
    if (n == sizeof(iss->key.ski))
        memcpy(iss->key.ski, ski, n);
    return RSPG_OK;
}

/* A target that renews a certificate keeps its key (its key source must give that key). */
static rspg_status same_key(rspg_builder *b, rspg_inst *in, const rspg_reissue_target *t)
{
    if (t->renews == NULL)
        return RSPG_OK;
    rspg_status rc = rspg_inst_key(b, in);
    if (rc != RSPG_OK)
        return rc;
    rspg_x509 x;
    if (rspg_x509_read_named(t->renews, t->renews_len, t->renews_path, &x, b->d) != RSPG_OK)
        return RSPG_E_INPUT;
    if (x.pub_len != in->key.pub_len || memcmp(x.pub, in->key.pub, x.pub_len) != 0)
        return rspg_fail(b->d, RSPG_E_USAGE,
                         "%s: the key of '%s' is not this certificate's key (a random key that "
                         "was not written cannot be had again)",
                         t->renews_path, in->e->id);
    return RSPG_OK;
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

/* Issues the targets (presets applied); their artifacts go to B's result. */
static rspg_status issue_targets(rspg_builder *b, const rspg_reissue_options *o)
{
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < b->n; i++)
        b->insts[i].needed = 0;
    for (size_t i = 0; i < o->n_presets && rc == RSPG_OK; i++)
        rc = apply_preset(b, &o->presets[i]);
    for (size_t i = 0; i < o->n_targets && rc == RSPG_OK; i++) {
        const rspg_reissue_target *t = &o->targets[i];
        rspg_inst *in = rspg_plan_find(b, t->entity, t->curve);
        if (in == NULL)
            return rspg_fail(b->d, RSPG_E_PROFILE, "entity '%s' is not issued on curve '%s'",
                             t->entity, t->curve);
        in->needed = 1;
        if ((rc = settle_issuer(b, in)) == RSPG_OK)
            rc = same_key(b, in, t);
        if (rc == RSPG_OK)
            rc = rspg_inst_issue(b, in);
    }
    return rc;
}

rspg_status rspg_reissue(const rspg_profile *p, const rspg_reissue_options *o, rspg_diag *d,
                         rspg_build_result *r)
{
    rspg_build_options bo = *o->build;
    bo.n_variants = bo.n_curves = bo.n_roles = 0; /* plan every instance; targets are chosen */
    rspg_builder b = {p, &bo, d, r, NULL, 0};
    memset(r, 0, sizeof(*r));
    r->nonce = bo.nonce;
    r->seeded = bo.seed != NULL;
    r->clock = bo.clock;
    r->clock_source = bo.has_clock ? "option" : "now";
    rspg_status rc = rspg_plan(&b);
    if (rc == RSPG_OK)
        rc = issue_targets(&b, o);
    rspg_plan_free(&b);
    if (rc == RSPG_OK)
        qsort(r->items, r->n, sizeof(*r->items), cmp_artifact);
    else
        rspg_build_result_free(r);
    return rc;
}
