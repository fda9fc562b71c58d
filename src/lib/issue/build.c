/*
 * build.c: turns a profile into the artifacts of a build. Each entity is issued once per
 * curve (an "instance"); an instance is signed by its issuer's instance on the same
 * curve, which is issued first (depth-first, memoised). Keys come from the profile's key
 * source: generated (random, or derived from the seed and "<id>/<curve>"), loaded from a
 * file, or shared with another entity. Nothing is written to disk here.
 */
#include "rspg/issue/build.h"
#include "rspg/base/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "issue/cvc_build.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/crl.h"
#include "rspg/asn1/der.h"
#include "rspg/crypto/key.h"
#include "rspg/asn1/pem.h"
#include "rspg/crypto/pkcs11.h"

struct inst {
    const rspg_entity *e;
    const rspg_curve_def *cd;
    int needed;
    int state; /* 0 new, 1 issuing, 2 issued */
    int has_key;
    rspg_key key;
    rspg_buf cert;         /* Certificate DER */
    rspg_buf subject_name; /* Name DER */
    char *variant;
    char *cert_path;       /* the DER file if any, else the first file */
    char *key_path;
};

struct builder {
    const rspg_profile *p;
    const rspg_build_options *o;
    rspg_diag *d;
    rspg_build_result *r;
    struct inst *insts;
    size_t n;
};

const char *rspg_artifact_kind_name(rspg_artifact_kind k)
{
    switch (k) {
    case RSPG_ART_CERT:
        return "certificate";
    case RSPG_ART_PRIVATE_KEY:
        return "private_key";
    case RSPG_ART_PUBLIC_KEY:
        return "public_key";
    case RSPG_ART_CRL:
        return "crl";
    case RSPG_ART_TBS:
        return "tbs";
    case RSPG_ART_CVC:
        return "cvc";
    }
    return "unknown";
}

static struct inst *find_inst(struct builder *b, const char *id, const char *curve_key)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->insts[i].e->id, id) == 0 && strcmp(b->insts[i].cd->key, curve_key) == 0)
            return &b->insts[i];
    return NULL;
}

static int matches_any(char **list, size_t n, const char *a, const char *b2, const char *c)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if ((a && strcmp(list[i], a) == 0) || (b2 && strcmp(list[i], b2) == 0) ||
            (c && strcmp(list[i], c) == 0))
            return 1;
    return 0;
}

static int selected(const rspg_build_options *o, const rspg_entity *e, const rspg_curve_def *cd)
{
    int v = o->n_variants == 0;
    for (size_t i = 0; i < e->n_variants && !v; i++)
        v = matches_any(o->variants, o->n_variants, e->variants[i], NULL, NULL);
    return v && matches_any(o->curves, o->n_curves, cd->key, cd->suffix, cd->curve->name) &&
           matches_any(o->roles, o->n_roles, rspg_role_name(e->role), e->id, NULL);
}

static void mark_needed(struct builder *b, struct inst *in)
{
    if (in->needed)
        return;
    in->needed = 1;
    if (in->e->issuer) {
        struct inst *iss = find_inst(b, in->e->issuer, in->cd->key);
        if (iss)
            mark_needed(b, iss);
    }
    if (in->e->key.source == RSPG_KEY_FROM) {
        struct inst *src = find_inst(b, in->e->key.from, in->cd->key);
        if (src)
            mark_needed(b, src);
    }
}

static char *join_path(const char *dir, const char *file)
{
    if (dir == NULL || *dir == '\0')
        return rspg_xstrdup(file);
    size_t n = strlen(dir);
    return rspg_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", file);
}

static rspg_subst subst_of(const struct inst *in)
{
    return (rspg_subst){in->cd->suffix, in->variant};
}

static char *out_path(const struct inst *in, const char *file)
{
    rspg_subst s = subst_of(in);
    char *dir = in->e->dir ? rspg_subst_apply(&s, in->e->dir) : NULL;
    char *f = rspg_subst_apply(&s, file);
    char *p = join_path(dir, f);
    free(dir);
    free(f);
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static rspg_status make_key(struct builder *b, struct inst *in)
{
    const rspg_entity *e = in->e;
    rspg_status rc;
    if (in->has_key)
        return RSPG_OK;
    const rspg_curve *want = in->cd->curve;
    if (e->key.curve) {
        const char *name = rspg_per_curve_get(e->key.curve, in->cd->key);
        if (name == NULL)
            return rspg_fail_at(b->d, e->key.loc, "key curve of '%s' has no value for curve '%s'",
                                e->id, in->cd->key);
        want = rspg_curve_find(name);
    }
    switch (e->key.source) {
    case RSPG_KEY_FROM: {
        struct inst *src = find_inst(b, e->key.from, in->cd->key);
        if (src == NULL)
            return rspg_fail_at(b->d, e->key.loc, "key source '%s' is not issued on curve '%s'",
                                e->key.from, in->cd->key);
        if ((rc = make_key(b, src)) != RSPG_OK)
            return rc;
        rspg_key_copy(&in->key, &src->key);
        break;
    }
    case RSPG_KEY_FILE: {
        rspg_subst s = subst_of(in);
        char *file = rspg_subst_apply(&s, e->key.file);
        char *path = file[0] == '/' ? rspg_xstrdup(file)
                                    : join_path(b->o->key_dir ? b->o->key_dir : b->o->profile_dir,
                                                file);
        free(file);
        rc = rspg_key_load_file(path, b->d, &in->key);
        if (rc != RSPG_OK) {
            rspg_diag_add(b->d, RSPG_SEV_NOTE, e->key.loc, "the key of entity '%s' is read from '%s'",
                          e->id, path);
            free(path);
            return rc == RSPG_E_IO ? RSPG_E_PROFILE : rc;
        }
        if (in->key.curve != want) {
            rc = rspg_fail_at(b->d, e->key.loc, "%s: the key is on %s, but '%s' on '%s' needs %s",
                              path, in->key.curve->name, e->id, in->cd->key, want->name);
            free(path);
            rspg_key_free(&in->key);
            return rc;
        }
        free(path);
        break;
    }
    case RSPG_KEY_PKCS11: {
        rspg_subst s = subst_of(in);
        char *uri = rspg_subst_apply(&s, e->key.pkcs11);
        rc = rspg_pkcs11_load_key(uri, b->d, &in->key);
        free(uri);
        free(in->key_path); /* the private key never leaves the token */
        in->key_path = NULL;
        if (rc != RSPG_OK) {
            rspg_diag_add(b->d, RSPG_SEV_NOTE, e->key.loc, "the key of entity '%s' is in a PKCS#11 token",
                          e->id);
            return rc;
        }
        if (in->key.curve != want) {
            rc = rspg_fail_at(b->d, e->key.loc, "the token's key is on %s, but '%s' on '%s' needs %s",
                              in->key.curve->name, e->id, in->cd->key, want->name);
            rspg_key_free(&in->key);
            return rc;
        }
        break;
    }
    case RSPG_KEY_GENERATE:
    default:
        if (b->o->seed) {
            char *label = rspg_xasprintf("%s/%s", e->id, in->cd->key);
            rc = rspg_key_derive(want, b->o->seed, b->o->seed_len, label, b->d, &in->key);
            free(label);
        } else {
            rc = rspg_key_generate(want, b->d, &in->key);
        }
        if (rc != RSPG_OK)
            return rc;
        break;
    }
    in->has_key = 1;
    return RSPG_OK;
}

static rspg_artifact *new_artifact(rspg_build_result *r, rspg_artifact_kind kind, char *path,
                                   const struct inst *in)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->items = rspg_xrealloc(r->items, r->cap * sizeof(*r->items));
    }
    rspg_artifact *a = &r->items[r->n++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->path = path;
    a->pem = ends_with(path, ".pem");
    a->entity = in->e;
    a->curve = in->key.curve->name;
    a->variant = rspg_xstrdup(in->variant);
    a->expect = rspg_xstrdup(in->e->expect ? in->e->expect : "valid");
    a->case_id = in->e->case_id;
    a->reason = in->e->reason;
    a->beyond_sgp26 = in->e->beyond_sgp26;
    a->hsm_signed = 0;
    if (in->cert_path)
        a->cert_path = rspg_xstrdup(in->cert_path);
    if (in->key_path)
        a->key_path = rspg_xstrdup(in->key_path);
    return a;
}

static rspg_status emit(struct builder *b, struct inst *in, const struct inst *issuer,
                        const rspg_buf *tbs, const uint8_t *serial, size_t serial_len, int64_t nb,
                        int64_t na)
{
    rspg_status rc = RSPG_OK;
    const rspg_entity *e = in->e;
    /* the serial as the hex of its DER INTEGER contents (minimal, 00 when the top bit is set) */
    while (serial_len > 1 && serial[0] == 0) {
        serial++;
        serial_len--;
    }
    char *mag = rspg_hex(serial, serial_len);
    char *serial_hex = rspg_xasprintf("%s%s", (serial[0] & 0x80) ? "00" : "", mag);
    free(mag);
    for (size_t i = 0; i < e->n_cert_files; i++) {
        char *path = out_path(in, e->cert_files[i]);
        rspg_artifact *a = new_artifact(b->r, RSPG_ART_CERT, path, in);
        if (a->pem)
            rspg_pem_encode("CERTIFICATE", in->cert.data, in->cert.len, &a->data);
        else
            rspg_buf_append(&a->data, in->cert.data, in->cert.len);
        a->issuer_path = rspg_xstrdup(issuer ? issuer->cert_path : in->cert_path);
        a->trust_anchor = issuer == NULL && !e->untrusted;
        a->hsm_signed = issuer ? issuer->key.hsm : in->key.hsm;
        if (e->twin && e->expect && strcmp(e->expect, "invalid") == 0) {
            struct inst *t = find_inst(b, e->twin, in->cd->key);
            if (t)
                a->twin_path = rspg_xstrdup(t->cert_path);
        }
        a->serial_hex = rspg_xstrdup(serial_hex);
        a->not_before = nb;
        a->not_after = na;
        b->r->n_certs++;
    }
    free(serial_hex);
    if (e->key_file && !in->key.hsm) {
        rspg_artifact *a = new_artifact(b->r, RSPG_ART_PRIVATE_KEY, out_path(in, e->key_file), in);
        rspg_buf der, params;
        rspg_buf_init(&der);
        rspg_buf_init(&params);
        a->secret = 1;
        if ((rc = rspg_key_sec1_der(&in->key, b->d, &der)) == RSPG_OK) {
            if (a->pem) {
                /* as `openssl ecparam -genkey` writes it, and as GSMA ships it */
                rspg_key_params_der(&in->key, &params);
                rspg_pem_encode("EC PARAMETERS", params.data, params.len, &a->data);
                rspg_pem_encode("EC PRIVATE KEY", der.data, der.len, &a->data);
            } else {
                rspg_buf_append(&a->data, der.data, der.len);
            }
        }
        OPENSSL_cleanse(der.data, der.len);
        rspg_buf_free(&der);
        rspg_buf_free(&params);
    }
    if (e->tbs_file && rc == RSPG_OK) {
        rspg_artifact *a = new_artifact(b->r, RSPG_ART_TBS, out_path(in, e->tbs_file), in);
        if (a->pem)
            rspg_pem_encode("TBS CERTIFICATE", tbs->data, tbs->len, &a->data);
        else
            rspg_buf_append(&a->data, tbs->data, tbs->len);
    }
    if (e->pubkey_file && rc == RSPG_OK) {
        rspg_artifact *a = new_artifact(b->r, RSPG_ART_PUBLIC_KEY, out_path(in, e->pubkey_file), in);
        rspg_buf der;
        rspg_buf_init(&der);
        rspg_key_spki_der(&in->key, &der);
        if (a->pem)
            rspg_pem_encode("PUBLIC KEY", der.data, der.len, &a->data);
        else
            rspg_buf_append(&a->data, der.data, der.len);
        rspg_buf_free(&der);
    }
    return rc;
}

static rspg_status issue(struct builder *b, struct inst *in)
{
    const rspg_entity *e = in->e;
    struct inst *iss = NULL;
    rspg_status rc;
    rspg_buf serial, tbs;
    int64_t nb, na;

    if (in->state == 2)
        return RSPG_OK;
    if (in->state == 1)
        return rspg_fail_at(b->d, e->issuer_loc, "issuer cycle at '%s'", e->id);
    in->state = 1;
    if (e->issuer) {
        iss = find_inst(b, e->issuer, in->cd->key);
        if (iss == NULL)
            return rspg_fail_at(b->d, e->issuer_loc, "issuer '%s' is not issued on curve '%s'",
                                e->issuer, in->cd->key);
        if ((rc = issue(b, iss)) != RSPG_OK)
            return rc;
    }
    if ((rc = make_key(b, in)) != RSPG_OK)
        return rc;

    rspg_buf_init(&serial);
    rspg_buf_init(&tbs);
    rspg_unhex(rspg_per_curve_get(&e->serial, in->cd->key), &serial);

    const char *nbs = rspg_per_curve_get(&e->not_before, in->cd->key);
    nb = b->r->clock;
    if (nbs)
        rspg_parse_rfc3339(nbs, &nb);
    else if (e->has_offset)
        nb += (int64_t)e->offset_days * 86400;
    const char *nas = rspg_per_curve_get(&e->not_after, in->cd->key);
    if (nas)
        rspg_parse_rfc3339(nas, &na);
    else
        na = nb + (int64_t)e->validity_days * 86400;
    if (na <= nb) {
        rc = rspg_fail_at(b->d, e->loc, "'%s': not_after is not after not_before", e->id);
        goto out;
    }
    if (rspg_role_is_cvc(e->role)) {
        /* SGP.02: a GP card-verifiable certificate instead of X.509 (cvc_build.c) */
        rspg_cvc_job job = {
            .profile = b->p, .entity = e, .issuer = iss ? iss->e : NULL,
            .subject_key = &in->key, .issuer_key = iss ? &iss->key : NULL,
            .subst = subst_of(in), .variant = in->variant,
            .issuer_path = iss ? iss->cert_path : NULL, .cert_path = in->cert_path,
            .key_path = in->key_path, .serial = serial.data, .serial_len = serial.len,
            .not_before = nb, .not_after = na, .nonce = b->o->nonce, .emit = in->needed,
        };
        if ((rc = rspg_cvc_issue(&job, b->d, b->r)) == RSPG_OK)
            in->state = 2;
        goto out;
    }

    rspg_subst sub = subst_of(in);
    if ((rc = rspg_encode_name(&e->subject, &sub, b->d, &in->subject_name)) != RSPG_OK)
        goto out;
    rspg_tbs_input ti = {
        .entity = e,
        .subst = sub,
        .subject_key = &in->key,
        .issuer_name = iss ? iss->subject_name.data : NULL,
        .issuer_name_len = iss ? iss->subject_name.len : 0,
        .issuer_key_id = iss ? iss->key.ski : in->key.ski,
        .issuer_key_id_len = 20,
        .serial = serial.data,
        .serial_len = serial.len,
        .not_before = nb,
        .not_after = na,
    };
    /* An issuer whose SKI is pinned in the profile passes that identifier on. */
    const rspg_entity *ie = iss ? iss->e : e;
    for (size_t i = 0; i < ie->n_exts; i++)
        if (ie->exts[i].kind == RSPG_EXT_SKI && ie->exts[i].value.len) {
            ti.issuer_key_id = ie->exts[i].value.data;
            ti.issuer_key_id_len = ie->exts[i].value.len;
        }
    if ((rc = rspg_encode_tbs(&ti, b->d, &tbs)) != RSPG_OK)
        goto out;
    if ((rc = rspg_cert_sign(tbs.data, tbs.len, iss ? &iss->key : &in->key, b->o->nonce, b->d,
                             &in->cert)) != RSPG_OK)
        goto out;
    if (e->corrupt_signature) {
        /* The last octet of a Certificate is the last octet of the signature's s INTEGER:
         * flipping its low bit keeps the DER well-formed and makes the signature wrong. */
        in->cert.data[in->cert.len - 1] ^= 0x01;
    }
    in->state = 2;
    if (in->needed)
        rc = emit(b, in, iss, &tbs, serial.data, serial.len, nb, na);
out:
    rspg_buf_free(&serial);
    rspg_buf_free(&tbs);
    return rc;
}

static rspg_status issue_crl(struct builder *b, const rspg_crl_def *c, struct inst *ca)
{
    rspg_status rc = RSPG_OK;
    size_t n = c->n_revoked;
    rspg_crl_entry *entries = rspg_xcalloc(n ? n : 1, sizeof(*entries));
    rspg_buf *serials = rspg_xcalloc(n ? n : 1, sizeof(rspg_buf));
    rspg_buf tbs, der;
    rspg_buf_init(&tbs);
    rspg_buf_init(&der);
    int64_t this_update = b->r->clock;
    if (c->this_update)
        rspg_parse_rfc3339(c->this_update, &this_update);
    else if (c->has_offset)
        this_update += (int64_t)c->offset_days * 86400;
    for (size_t i = 0; i < n; i++) {
        const rspg_revocation *r = &c->revoked[i];
        const rspg_entity *re = rspg_profile_find(b->p, r->entity);
        const char *hex = re ? rspg_per_curve_get(&re->serial, ca->cd->key) : NULL;
        if (hex == NULL) {
            rc = rspg_fail_at(b->d, r->loc, "revoked entity '%s' has no serial on curve '%s'",
                              r->entity, ca->cd->key);
            goto out;
        }
        rspg_buf_init(&serials[i]);
        rspg_unhex(hex, &serials[i]);
        entries[i].serial = serials[i].data;
        entries[i].serial_len = serials[i].len;
        entries[i].date = this_update;
        if (r->date)
            rspg_parse_rfc3339(r->date, &entries[i].date);
        entries[i].reason_code = r->reason ? r->reason_code : -1;
    }
    rspg_crl_input ci = {
        .issuer_name = ca->subject_name.data,
        .issuer_name_len = ca->subject_name.len,
        .issuer_key_id = ca->key.ski,
        .issuer_key_id_len = sizeof(ca->key.ski),
        .this_update = this_update,
        .next_update = this_update + (int64_t)c->next_update_days * 86400,
        .number = (uint64_t)c->number,
        .entries = entries,
        .n_entries = n,
    };
    for (size_t i = 0; i < ca->e->n_exts; i++)
        if (ca->e->exts[i].kind == RSPG_EXT_SKI && ca->e->exts[i].value.len) {
            ci.issuer_key_id = ca->e->exts[i].value.data;
            ci.issuer_key_id_len = ca->e->exts[i].value.len;
        }
    if (rspg_encode_crl_tbs(&ci, &tbs) != 0) {
        rc = rspg_fail_at(b->d, c->loc, "CRL '%s': a date is outside the years 1950-9999", c->id);
        goto out;
    }
    if ((rc = rspg_cert_sign(tbs.data, tbs.len, &ca->key, b->o->nonce, b->d, &der)) != RSPG_OK)
        goto out;
    if (c->corrupt_signature)
        der.data[der.len - 1] ^= 0x01; /* as for certificates: still DER, wrong signature */
    rspg_subst sub = subst_of(ca);
    for (size_t f = 0; f < c->n_files; f++) {
        char *dir = c->dir ? rspg_subst_apply(&sub, c->dir) : NULL;
        char *file = rspg_subst_apply(&sub, c->files[f]);
        char *path = join_path(dir, file);
        free(dir);
        free(file);
        rspg_artifact *a = new_artifact(b->r, RSPG_ART_CRL, path, ca);
        if (a->pem)
            rspg_pem_encode("X509 CRL", der.data, der.len, &a->data);
        else
            rspg_buf_append(&a->data, der.data, der.len);
        free(a->expect);
        a->expect = rspg_xstrdup(c->expect ? c->expect : "valid");
        a->case_id = c->case_id;
        a->reason = c->reason;
        a->beyond_sgp26 = 0;
        a->crl = c;
        a->hsm_signed = ca->key.hsm;
        a->issuer_path = rspg_xstrdup(ca->cert_path);
        free(a->cert_path);
        a->cert_path = NULL;
        free(a->key_path);
        a->key_path = NULL;
        a->not_before = ci.this_update;
        a->not_after = ci.next_update;
        a->crl_number = ci.number;
        a->revoked = rspg_xcalloc(n ? n : 1, sizeof(char *));
        a->n_revoked = n;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *sp = serials[i].data;
            size_t sl = serials[i].len;
            while (sl > 1 && sp[0] == 0) {
                sp++;
                sl--;
            }
            char *mag = rspg_hex(sp, sl);
            a->revoked[i] = rspg_xasprintf("%s%s", (sp[0] & 0x80) ? "00" : "", mag);
            free(mag);
        }
    }
out:
    for (size_t i = 0; i < n; i++)
        rspg_buf_free(&serials[i]);
    free(serials);
    free(entries);
    rspg_buf_free(&tbs);
    rspg_buf_free(&der);
    return rc;
}

static rspg_status pick_clock(const rspg_profile *p, const rspg_build_options *o, rspg_diag *d,
                              rspg_build_result *r)
{
    rspg_clock c;
    rspg_status rc = rspg_clock_resolve(o->has_clock, o->clock, p->clock, d, &c);
    if (rc == RSPG_OK) {
        r->clock = c.time;
        r->clock_source = c.source;
    }
    return rc;
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

rspg_status rspg_build(const rspg_profile *p, const rspg_build_options *o, rspg_diag *d,
                       rspg_build_result *r)
{
    struct builder b = {p, o, d, r, NULL, 0};
    rspg_status rc;
    memset(r, 0, sizeof(*r));
    r->nonce = o->nonce;
    r->seeded = o->seed != NULL;
    if ((rc = pick_clock(p, o, d, r)) != RSPG_OK)
        return rc;

    size_t total = 0;
    for (size_t i = 0; i < p->n_entities; i++)
        total += p->entities[i].n_curves;
    b.insts = rspg_xcalloc(total ? total : 1, sizeof(struct inst));
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        for (size_t c = 0; c < e->n_curves; c++) {
            struct inst *in = &b.insts[b.n++];
            in->e = e;
            in->cd = rspg_profile_curve(p, e->curves[c]);
            in->variant = rspg_xstrdup(e->variants[0]);
            rspg_buf_init(&in->cert);
            rspg_buf_init(&in->subject_name);
            for (size_t f = 0; f < e->n_cert_files; f++) {
                char *path = out_path(in, e->cert_files[f]);
                if (in->cert_path == NULL || (ends_with(path, ".der") && !ends_with(in->cert_path, ".der"))) {
                    free(in->cert_path);
                    in->cert_path = path;
                } else {
                    free(path);
                }
            }
            in->key_path = e->key_file ? out_path(in, e->key_file) : NULL;
        }
    }
    size_t n_selected = 0;
    for (size_t i = 0; i < b.n; i++)
        if (selected(o, b.insts[i].e, b.insts[i].cd)) {
            mark_needed(&b, &b.insts[i]);
            n_selected++;
        }
    if (n_selected == 0) {
        rc = rspg_fail(d, RSPG_E_USAGE, "the filters select no certificate of the profile");
        goto out;
    }
    for (size_t i = 0; i < b.n && rc == RSPG_OK; i++)
        if (b.insts[i].needed)
            rc = issue(&b, &b.insts[i]);
    if (rc != RSPG_OK)
        goto out;
    for (size_t i = 0; i < p->n_crls && rc == RSPG_OK; i++) {
        const rspg_crl_def *c = &p->crls[i];
        for (size_t j = 0; j < c->n_curves && rc == RSPG_OK; j++) {
            struct inst *ca = find_inst(&b, c->issuer, c->curves[j]);
            if (ca && ca->state == 2 && ca->needed)
                rc = issue_crl(&b, c, ca);
        }
    }
    if (rc != RSPG_OK)
        goto out;
    qsort(r->items, r->n, sizeof(*r->items), cmp_artifact);
    for (size_t i = 1; i < r->n; i++)
        if (strcmp(r->items[i - 1].path, r->items[i].path) == 0) {
            rc = rspg_fail_at(d, r->items[i].entity->loc,
                              "'%s' and '%s' both write '%s'", r->items[i - 1].entity->id,
                              r->items[i].entity->id, r->items[i].path);
            goto out;
        }
out:
    for (size_t i = 0; i < b.n; i++) {
        rspg_key_free(&b.insts[i].key);
        rspg_buf_free(&b.insts[i].cert);
        rspg_buf_free(&b.insts[i].subject_name);
        free(b.insts[i].variant);
        free(b.insts[i].cert_path);
        free(b.insts[i].key_path);
    }
    free(b.insts);
    if (rc != RSPG_OK)
        rspg_build_result_free(r);
    return rc;
}

void rspg_build_result_free(rspg_build_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        rspg_artifact *a = &r->items[i];
        if (a->secret && a->data.data)
            OPENSSL_cleanse(a->data.data, a->data.len);
        rspg_buf_free(&a->data);
        free(a->path);
        free(a->variant);
        free(a->issuer_path);
        free(a->key_path);
        free(a->cert_path);
        free(a->serial_hex);
        free(a->expect);
        free(a->twin_path);
        for (size_t j = 0; j < a->n_revoked; j++)
            free(a->revoked[j]);
        free(a->revoked);
    }
    free(r->items);
    r->items = NULL;
    r->n = r->cap = 0;
}
