/*
 * issue.c: issuing one instance. Its issuer's instance on the same curve is issued first
 * (depth-first, memoised; a cycle is an error), then the instance's validity is settled
 * (explicit dates, or the build clock plus the entity's offset and validity days), its
 * TBSCertificate encoded (cert.h, RFC 5280 §4.1) and signed by the issuer's key, or by
 * its own for a root. SGP.02 roles go to cvc_build.c instead. A needed instance then
 * adds its artifacts: its certificate files, and its private key, public key and TBS
 * files when the entity asks for them.
 */
#include "issue/build_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "issue/cvc_build.h"
#include "rspg/asn1/der.h"
#include "rspg/asn1/pem.h"
#include "rspg/x509/cert.h"

rspg_artifact *rspg_inst_artifact(rspg_build_result *r, rspg_artifact_kind kind, char *path,
                                  const rspg_inst *in)
{
    rspg_artifact *a = rspg_build_result_add_entity(r, kind, path, in->e, in->key.curve->name,
                                                    in->variant, in->cert_path, in->key_path);
    if (in->key_origin)
        a->key_origin = rspg_xstrdup(in->key_origin);
    return a;
}

char *rspg_serial_hex(const uint8_t *serial, size_t len)
{
    while (len > 1 && serial[0] == 0) {
        serial++;
        len--;
    }
    if (len == 0)
        return rspg_xstrdup("");
    char *mag = rspg_hex(serial, len);
    char *hex = rspg_xasprintf("%s%s", (serial[0] & 0x80) ? "00" : "", mag);
    free(mag);
    return hex;
}

/* DATA as a PEM block of LABEL or as it is, per the artifact's format. */
static void set_data(rspg_artifact *a, const char *label, const uint8_t *data, size_t len)
{
    if (a->pem)
        rspg_pem_encode(label, data, len, &a->data);
    else
        rspg_buf_append(&a->data, data, len);
}

/* The private key file: SEC 1 DER, or PEM with the EC PARAMETERS block first, as
 * `openssl ecparam -genkey` writes it and as GSMA ships it. */
static rspg_status add_private_key(rspg_builder *b, rspg_inst *in)
{
    rspg_artifact *a =
        rspg_inst_artifact(b->r, RSPG_ART_PRIVATE_KEY, rspg_plan_out_path(in, in->e->key_file), in);
    a->secret = 1;
    return rspg_key_private_file(&in->key, a->pem, b->d, &a->data);
}

/* The certificate files of the instance, with what the manifest says of each. */
static void add_certs(rspg_builder *b, rspg_inst *in, const rspg_inst *issuer,
                      const char *serial_hex, int64_t nb, int64_t na)
{
    const rspg_entity *e = in->e;
    for (size_t i = 0; i < e->n_cert_files; i++) {
        char *path = rspg_plan_out_path(in, e->cert_files[i]);
        rspg_artifact *a = rspg_inst_artifact(b->r, RSPG_ART_CERT, path, in);
        set_data(a, "CERTIFICATE", in->cert.data, in->cert.len);
        a->issuer_path = rspg_xstrdup(issuer ? issuer->cert_path : in->cert_path);
        a->trust_anchor = issuer == NULL && !e->untrusted;
        a->hsm_signed = issuer ? issuer->key.hsm : in->key.hsm;
        if (e->twin && e->expect && strcmp(e->expect, "invalid") == 0) {
            rspg_inst *t = rspg_plan_find(b, e->twin, in->cd->key);
            if (t)
                a->twin_path = rspg_xstrdup(t->cert_path);
        }
        a->serial_hex = rspg_xstrdup(serial_hex);
        a->not_before = nb;
        a->not_after = na;
        b->r->n_certs++;
    }
}

static rspg_status emit(rspg_builder *b, rspg_inst *in, const rspg_inst *issuer,
                        const rspg_buf *tbs, const rspg_buf *serial, int64_t nb, int64_t na)
{
    rspg_status rc = RSPG_OK;
    const rspg_entity *e = in->e;
    char *serial_hex = rspg_serial_hex(serial->data, serial->len);
    add_certs(b, in, issuer, serial_hex, nb, na);
    free(serial_hex);
    if (e->key_file && in->key_path && !in->key.hsm)
        rc = add_private_key(b, in);
    if (e->tbs_file && rc == RSPG_OK) {
        rspg_artifact *a =
            rspg_inst_artifact(b->r, RSPG_ART_TBS, rspg_plan_out_path(in, e->tbs_file), in);
        set_data(a, "TBS CERTIFICATE", tbs->data, tbs->len);
    }
    if (e->pubkey_file && rc == RSPG_OK) {
        rspg_artifact *a = rspg_inst_artifact(b->r, RSPG_ART_PUBLIC_KEY,
                                              rspg_plan_out_path(in, e->pubkey_file), in);
        rspg_key_public_file(&in->key, a->pem, &a->data);
    }
    return rc;
}

/* notBefore and notAfter of the instance: explicit dates, else the build clock plus the
 * entity's offset, and notBefore plus its validity days. */
static rspg_status validity(rspg_builder *b, const rspg_inst *in, int64_t *nb, int64_t *na)
{
    const rspg_entity *e = in->e;
    const char *nbs = rspg_per_curve_get(&e->not_before, in->cd->key);
    *nb = b->r->clock;
    if (nbs)
        rspg_parse_rfc3339(nbs, nb);
    else if (e->has_offset)
        *nb += (int64_t)e->offset_days * 86400;
    const char *nas = rspg_per_curve_get(&e->not_after, in->cd->key);
    if (nas)
        rspg_parse_rfc3339(nas, na);
    else
        *na = *nb + (int64_t)e->validity_days * 86400;
    if (*na <= *nb)
        return rspg_fail_at(b->d, e->loc, "'%s': not_after is not after not_before", e->id);
    return RSPG_OK;
}

/* SGP.02: a GP card-verifiable certificate instead of X.509 (cvc_build.c). */
static rspg_status issue_cvc(rspg_builder *b, rspg_inst *in, const rspg_inst *iss,
                             const rspg_buf *serial, int64_t nb, int64_t na)
{
    rspg_cvc_job job = {
        .profile = b->p,
        .entity = in->e,
        .issuer = iss ? iss->e : NULL,
        .subject_key = &in->key,
        .issuer_key = iss ? &iss->key : NULL,
        .subst = rspg_plan_subst(in),
        .variant = in->variant,
        .issuer_path = iss ? iss->cert_path : NULL,
        .cert_path = in->cert_path,
        .key_path = in->key_path,
        .serial = serial->data,
        .serial_len = serial->len,
        .not_before = nb,
        .not_after = na,
        .nonce = b->o->nonce,
        .emit = in->needed,
    };
    rspg_status rc = rspg_cvc_issue(&job, b->d, b->r);
    if (rc == RSPG_OK)
        in->state = 2;
    return rc;
}

/* The X.509 certificate: subject name, TBS (RFC 5280 §4.1), signature. */
static rspg_status issue_x509(rspg_builder *b, rspg_inst *in, const rspg_inst *iss,
                              const rspg_buf *serial, int64_t nb, int64_t na, rspg_buf *tbs)
{
    const rspg_entity *e = in->e;
    rspg_subst sub = rspg_plan_subst(in);
    rspg_status rc = rspg_encode_name(&e->subject, &sub, b->d, &in->subject_name);
    if (rc != RSPG_OK)
        return rc;
    rspg_tbs_input ti = {
        .entity = e,
        .subst = sub,
        .subject_key = &in->key,
        .issuer_name = iss ? iss->subject_name.data : NULL,
        .issuer_name_len = iss ? iss->subject_name.len : 0,
        .issuer_key_id = iss ? iss->key.ski : in->key.ski,
        .issuer_key_id_len = 20,
        .serial = serial->data,
        .serial_len = serial->len,
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
    if ((rc = rspg_encode_tbs(&ti, b->d, tbs)) != RSPG_OK)
        return rc;
    const rspg_inst *signer = iss ? iss : in;
    if (signer->public_only)
        return rspg_fail_at(b->d, e->loc,
                            "'%s' cannot be signed: the key of '%s' comes from a certificate "
                            "request or public key, its private key is not here",
                            e->id, signer->e->id);
    if ((rc = rspg_cert_sign(tbs->data, tbs->len, iss ? &iss->key : &in->key, b->o->nonce, b->d,
                             &in->cert)) != RSPG_OK)
        return rc;
    if (e->corrupt_signature) {
        /* The last octet of a Certificate is the last octet of the signature's s INTEGER:
         * flipping its low bit keeps the DER well-formed and makes the signature wrong. */
        in->cert.data[in->cert.len - 1] ^= 0x01;
    }
    in->state = 2;
    return RSPG_OK;
}

/* The issuer's instance, issued; *ISS stays NULL for a root. */
static rspg_status issue_issuer(rspg_builder *b, rspg_inst *in, rspg_inst **iss)
{
    const rspg_entity *e = in->e;
    *iss = NULL;
    if (e->issuer == NULL)
        return RSPG_OK;
    *iss = rspg_plan_find(b, e->issuer, in->cd->key);
    if (*iss == NULL)
        return rspg_fail_at(b->d, e->issuer_loc, "issuer '%s' is not issued on curve '%s'",
                            e->issuer, in->cd->key);
    return rspg_inst_issue(b, *iss);
}

rspg_status rspg_inst_issue(rspg_builder *b, rspg_inst *in)
{
    const rspg_entity *e = in->e;
    rspg_inst *iss;
    rspg_status rc;
    rspg_buf serial, tbs;
    int64_t nb, na;

    if (in->state == 2)
        return RSPG_OK;
    if (in->state == 1)
        return rspg_fail_at(b->d, e->issuer_loc, "issuer cycle at '%s'", e->id);
    in->state = 1;
    if ((rc = issue_issuer(b, in, &iss)) != RSPG_OK)
        return rc;
    if ((rc = rspg_inst_key(b, in)) != RSPG_OK)
        return rc;
    rspg_buf_init(&serial);
    rspg_buf_init(&tbs);
    rspg_unhex(rspg_per_curve_get(&e->serial, in->cd->key), &serial);
    if ((rc = validity(b, in, &nb, &na)) != RSPG_OK)
        goto out;
    if (rspg_role_is_cvc(e->role)) {
        rc = issue_cvc(b, in, iss, &serial, nb, na);
        goto out;
    }
    rc = issue_x509(b, in, iss, &serial, nb, na, &tbs);
    if (rc == RSPG_OK && in->needed)
        rc = emit(b, in, iss, &tbs, &serial, nb, na);
out:
    rspg_buf_free(&serial);
    rspg_buf_free(&tbs);
    return rc;
}
