/*
 * cvc_build.c: issuing an SGP.02 card-verifiable certificate (GP '7F21') for one entity
 * instance, from the entity's `cvc:` spec and the defaults below (docs/sgp02-cvc.md):
 *
 *   93   the entity's `serial`                  (Njiwa: the serial of the X.509 certificate)
 *   42   the issuer's SKI (pinned SKI if any)    (Njiwa: a configured CA-ID or the packed CI
 *                                                 OID; WHTY: 1-byte placeholders) [UNCONFIRMED]
 *   5F20 the subject key's SKI (SHA-1 of the point, RFC 5280 method 1)
 *                                                (Njiwa: the SKI of the entity's X.509
 *                                                 certificate) [UNCONFIRMED for SGP.02]
 *   95   88 for SM-DP/SM-SR (Njiwa, WHTY; GP coding would say 82) [UNCONFIRMED table value],
 *        00 80 for ECASD (Njiwa "Table 23 of SGP v3.1"; GP Table 11-18) [CONFIRMED-CODE]
 *   5F25 the date of notBefore (optional in GP; Njiwa writes it, WHTY omits it)
 *   5F24 the date of notAfter
 *   73   SM-DP/SM-SR: C8 01/02 [CONFIRMED], C9 the issuer's SKI (Njiwa: the AKI of the X.509
 *        certificate) [CONFIRMED-CODE, one implementation]; ECASD: C9 only [INFERRED]
 *   7F49 B0 the subject key's uncompressed point, F0 its curve's reference
 *   5F37 ECDSA-SHA256 by the issuer's key, r||s (RFC 6979 nonces unless told otherwise)
 */
#include "issue/cvc_build.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/pem.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/sgp02/cvc.h"

static char *join_path(const char *dir, const char *file)
{
    if (dir == NULL || *dir == '\0')
        return rspg_xstrdup(file);
    size_t n = strlen(dir);
    return rspg_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", file);
}

static char *out_path(const rspg_subst *s, const rspg_entity *e, const char *file)
{
    char *dir = e->dir ? rspg_subst_apply(s, e->dir) : NULL;
    char *f = rspg_subst_apply(s, file);
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

/* As build.c's new_artifact: the common fields of an artifact of this instance. */
static rspg_artifact *add(rspg_build_result *r, rspg_artifact_kind kind, char *path,
                          const rspg_cvc_job *j)
{
    return rspg_build_result_add_entity(r, kind, path, j->entity, j->subject_key->curve->name,
                                        j->variant, j->cert_path, j->key_path);
}

/* The certificate file of the twin entity on this curve (first .der, else first file). */
static char *twin_path(const rspg_cvc_job *j)
{
    const rspg_entity *t = rspg_profile_find(j->profile, j->entity->twin);
    if (t == NULL || t->n_cert_files == 0)
        return NULL;
    rspg_subst s = {j->subst.curve, t->variants[0]};
    const char *file = t->cert_files[0];
    for (size_t i = 0; i < t->n_cert_files; i++)
        if (ends_with(t->cert_files[i], ".der")) {
            file = t->cert_files[i];
            break;
        }
    return out_path(&s, t, file);
}

static void put_hex_text(rspg_buf *out, const uint8_t *p, size_t n)
{
    char *h = rspg_hex(p, n);
    rspg_buf_puts(out, h);
    rspg_buf_push(out, '\n');
    free(h);
}

/* The issuer's key identifier: its pinned subject_key_identifier, else SHA-1 of its key. */
static void issuer_ski(const rspg_cvc_job *j, const uint8_t **p, size_t *n)
{
    *p = j->issuer_key->ski;
    *n = sizeof(j->issuer_key->ski);
    for (size_t i = 0; i < j->issuer->n_exts; i++)
        if (j->issuer->exts[i].kind == RSPG_EXT_SKI && j->issuer->exts[i].value.len) {
            *p = j->issuer->exts[i].value.data;
            *n = j->issuer->exts[i].value.len;
        }
}

/* Hex text of the spec into B (checked by the loader); returns B's bytes. */
static const uint8_t *unhex_into(const char *s, rspg_buf *b)
{
    rspg_buf_reset(b);
    rspg_unhex(s, b);
    return b->data;
}

static rspg_cvc_date date_or(const char *text, int64_t fallback)
{
    int64_t t = fallback;
    if (text)
        rspg_parse_rfc3339(text, &t);
    return rspg_cvc_date_of(t);
}

enum { B_SERIAL, B_CA, B_SUBJ, B_KU, B_SD, B_KP, B_N };

static rspg_status emit_files(const rspg_cvc_job *j, const rspg_buf *cert, const rspg_cvc *c,
                              rspg_diag *d, rspg_build_result *r)
{
    const rspg_entity *e = j->entity;
    rspg_status rc = RSPG_OK;
    char *serial_hex = rspg_hex(c->serial.value, c->serial.len);
    char *twin = e->twin && e->expect && strcmp(e->expect, "invalid") == 0 ? twin_path(j) : NULL;
    for (size_t i = 0; i < e->n_cert_files; i++) {
        rspg_artifact *a = add(r, RSPG_ART_CVC, out_path(&j->subst, e, e->cert_files[i]), j);
        if (ends_with(a->path, ".hex"))
            put_hex_text(&a->data, cert->data, cert->len);
        else
            rspg_buf_append(&a->data, cert->data, cert->len);
        a->issuer_path = rspg_xstrdup(j->issuer_path);
        a->hsm_signed = j->issuer_key->hsm;
        a->serial_hex = rspg_xstrdup(serial_hex);
        /* the card reads whole days: from the start of 5F25 to the end of 5F24 */
        a->not_before = c->has_effective ? rspg_cvc_date_start(c->effective_date) : j->not_before;
        a->not_after = rspg_cvc_date_start(c->expiration_date) + 86399;
        if (twin)
            a->twin_path = rspg_xstrdup(twin);
        r->n_certs++;
    }
    free(serial_hex);
    free(twin);
    if (e->key_file && !j->subject_key->hsm) {
        rspg_artifact *a = add(r, RSPG_ART_PRIVATE_KEY, out_path(&j->subst, e, e->key_file), j);
        a->secret = 1;
        rc = rspg_key_private_file(j->subject_key, a->pem, d, &a->data);
    }
    if (e->pubkey_file && rc == RSPG_OK) {
        rspg_artifact *a = add(r, RSPG_ART_PUBLIC_KEY, out_path(&j->subst, e, e->pubkey_file), j);
        rspg_key_public_file(j->subject_key, a->pem, &a->data);
    }
    if (e->tbs_file && rc == RSPG_OK) {
        /* the signed data: 93 .. 7F49, exactly the bytes the issuer signed */
        rspg_artifact *a = add(r, RSPG_ART_TBS, out_path(&j->subst, e, e->tbs_file), j);
        if (ends_with(a->path, ".hex"))
            put_hex_text(&a->data, c->signed_data, c->signed_len);
        else
            rspg_buf_append(&a->data, c->signed_data, c->signed_len);
    }
    return rc;
}

/* The fixed fields of the certificate: the spec's explicit values, else the job's (serial,
 * issuer SKI as CA id, the subject key's SKI, the role's key usage, the validity). */
static void fixed_fields(const rspg_cvc_job *j, rspg_buf b[B_N], const uint8_t *ski, size_t ski_len,
                         rspg_cvc_fields *f)
{
    const rspg_cvc_spec *s = j->entity->cvc;
    f->serial = j->serial;
    f->serial_len = j->serial_len;
    if (s && s->serial) {
        f->serial = unhex_into(s->serial, &b[B_SERIAL]);
        f->serial_len = b[B_SERIAL].len;
    }
    f->ca_id = ski;
    f->ca_id_len = ski_len;
    if (s && s->ca_id && strcmp(s->ca_id, "auto") != 0) {
        f->ca_id = unhex_into(s->ca_id, &b[B_CA]);
        f->ca_id_len = b[B_CA].len;
    }
    f->subject_id = j->subject_key->ski;
    f->subject_id_len = sizeof(j->subject_key->ski);
    if (s && s->subject_id && strcmp(s->subject_id, "auto") != 0) {
        f->subject_id = unhex_into(s->subject_id, &b[B_SUBJ]);
        f->subject_id_len = b[B_SUBJ].len;
    }
    static const uint8_t ku_server[] = {0x88}, ku_ecasd[] = {0x00, 0x80};
    int ecasd = j->entity->role == RSPG_ROLE_SGP02_ECASD;
    f->key_usage = ecasd ? ku_ecasd : ku_server;
    f->key_usage_len = ecasd ? sizeof(ku_ecasd) : sizeof(ku_server);
    if (s && s->key_usage) {
        f->key_usage = unhex_into(s->key_usage, &b[B_KU]);
        f->key_usage_len = b[B_KU].len;
    }
    f->has_effective = s ? s->effective : 1;
    f->effective = date_or(s ? s->effective_date : NULL, j->not_before);
    f->expiration = date_or(s ? s->expiration_date : NULL, j->not_after);
    if (s && s->sd_image) {
        f->sd_image = unhex_into(s->sd_image, &b[B_SD]);
        f->sd_image_len = b[B_SD].len;
    }
    if (s && s->key_parameter) {
        f->key_param = unhex_into(s->key_parameter, &b[B_KP]);
        f->key_param_len = b[B_KP].len;
    }
}

/* The discretionary data '73': the spec's list with 'auto' resolved, or the role's default
 * (C8 certificate type and C9 issuer SKI for SM-DP/SM-SR, C9 for the ECASD). ITEMS and VALS
 * have N entries; the values point into VALS or static data. */
static rspg_status discretionary(const rspg_cvc_job *j, const uint8_t *ski, size_t ski_len,
                                 rspg_cvc_item *items, rspg_buf *vals, size_t n, rspg_diag *d)
{
    const rspg_entity *e = j->entity;
    const rspg_cvc_spec *s = e->cvc;
    int ecasd = e->role == RSPG_ROLE_SGP02_ECASD;
    static const uint8_t type_dp[] = {RSPG_CVC_TYPE_SM_DP}, type_sr[] = {RSPG_CVC_TYPE_SM_SR};
    const uint8_t *type = e->role == RSPG_ROLE_SGP02_SR ? type_sr : type_dp;
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < n; i++) {
        const char *tag = s && s->has_discretionary ? s->discretionary[i].tag
                          : ecasd                   ? "C9"
                          : i == 0                  ? "C8"
                                                    : "C9";
        const char *value = s && s->has_discretionary ? s->discretionary[i].value : "auto";
        rspg_buf tb;
        rspg_buf_init(&tb);
        rspg_unhex(tag, &tb);
        items[i].tag = tb.len == 2 ? (unsigned)tb.data[0] << 8 | tb.data[1] : tb.data[0];
        rspg_buf_free(&tb);
        if (strcmp(value, "auto") != 0) {
            rspg_unhex(value, &vals[i]);
            items[i].value = vals[i].data;
            items[i].len = vals[i].len;
        } else if (items[i].tag == RSPG_CVC_TAG_CERT_TYPE && ecasd) {
            rc = rspg_fail_at(d, s->discretionary[i].loc,
                              "'%s': C8 'auto' is the SM-DP/SM-SR certificate type; an ECASD has "
                              "none (give a value)",
                              e->id);
        } else if (items[i].tag == RSPG_CVC_TAG_CERT_TYPE) {
            items[i].value = type;
            items[i].len = 1;
        } else {
            items[i].value = ski;
            items[i].len = ski_len;
        }
    }
    return rc;
}

/* Signs the certificate, corrupts it when the entity asks, checks that it decodes and adds
 * its files. */
static rspg_status sign_and_emit(const rspg_cvc_job *j, const rspg_cvc_fields *f, rspg_diag *d,
                                 rspg_build_result *r)
{
    const rspg_entity *e = j->entity;
    rspg_buf cert;
    rspg_buf_init(&cert);
    rspg_status rc = rspg_cvc_encode(f, j->subject_key, j->issuer_key, j->nonce, d, &cert);
    if (rc != RSPG_OK) {
        rspg_diag_add(d, RSPG_SEV_NOTE, e->loc, "while issuing the card certificate of '%s'",
                      e->id);
    } else {
        if (e->corrupt_signature)
            cert.data[cert.len - 1] ^= 0x01; /* the last byte of s: still well-formed */
        rspg_cvc c;
        rspg_diag sub;
        rspg_diag_init(&sub);
        if (rspg_cvc_decode(cert.data, cert.len, &c, &sub) != RSPG_OK)
            rc = rspg_fail_at(d, e->loc, "'%s': the card certificate does not decode: %s", e->id,
                              sub.entries[0].message);
        else if (j->emit)
            rc = emit_files(j, &cert, &c, d, r);
        rspg_diag_fini(&sub);
    }
    rspg_buf_free(&cert);
    return rc;
}

rspg_status rspg_cvc_issue(const rspg_cvc_job *j, rspg_diag *d, rspg_build_result *r)
{
    const rspg_entity *e = j->entity;
    const rspg_cvc_spec *s = e->cvc;
    if (j->issuer == NULL || j->issuer_key == NULL)
        return rspg_fail_at(d, e->loc, "'%s': a card certificate needs an issuer", e->id);
    rspg_buf b[B_N];
    for (int i = 0; i < B_N; i++)
        rspg_buf_init(&b[i]);
    rspg_cvc_fields f;
    memset(&f, 0, sizeof(f));
    const uint8_t *ski;
    size_t ski_len;
    issuer_ski(j, &ski, &ski_len);
    fixed_fields(j, b, ski, ski_len, &f);

    int ecasd = e->role == RSPG_ROLE_SGP02_ECASD;
    size_t n_items = s && s->has_discretionary ? s->n_discretionary : ecasd ? 1 : 2;
    rspg_cvc_item *items = rspg_xcalloc(n_items ? n_items : 1, sizeof(*items));
    rspg_buf *vals = rspg_xcalloc(n_items ? n_items : 1, sizeof(*vals));
    for (size_t i = 0; i < n_items; i++)
        rspg_buf_init(&vals[i]);
    rspg_status rc = discretionary(j, ski, ski_len, items, vals, n_items, d);
    f.has_discretionary = n_items > 0;
    f.discretionary = items;
    f.n_discretionary = n_items;
    if (rc == RSPG_OK)
        rc = sign_and_emit(j, &f, d, r);
    else
        rspg_diag_add(d, RSPG_SEV_NOTE, e->loc, "while issuing the card certificate of '%s'",
                      e->id);
    for (size_t i = 0; i < n_items; i++)
        rspg_buf_free(&vals[i]);
    free(vals);
    free(items);
    for (int i = 0; i < B_N; i++)
        rspg_buf_free(&b[i]);
    return rc;
}
