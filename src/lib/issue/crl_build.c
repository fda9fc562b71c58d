/*
 * crl_build.c: the CRLs of a build (RFC 5280 §5). A CRL definition of the profile is
 * signed by each issued instance of its CA (on the curves it lists); its entries are the
 * serials of the revoked entities on that curve, its thisUpdate the build clock plus the
 * CRL's offset unless given, its nextUpdate thisUpdate plus next_update_days.
 */
#include "issue/crl_internal.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/pem.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/crl.h"

/* The entries of C on the curve of CA; SERIALS holds their bytes. */
static rspg_status crl_entries(rspg_builder *b, const rspg_crl_def *c, const rspg_inst *ca,
                               int64_t this_update, rspg_crl_entry *entries, rspg_buf *serials)
{
    for (size_t i = 0; i < c->n_revoked; i++) {
        const rspg_revocation *r = &c->revoked[i];
        const rspg_entity *re = rspg_profile_find(b->p, r->entity);
        const char *hex = re ? rspg_per_curve_get(&re->serial, ca->cd->key) : NULL;
        if (hex == NULL)
            return rspg_fail_at(b->d, r->loc, "revoked entity '%s' has no serial on curve '%s'",
                                r->entity, ca->cd->key);
        rspg_unhex(hex, &serials[i]);
        entries[i].serial = serials[i].data;
        entries[i].serial_len = serials[i].len;
        entries[i].date = this_update;
        if (r->date)
            rspg_parse_rfc3339(r->date, &entries[i].date);
        entries[i].reason_code = r->reason ? r->reason_code : -1;
    }
    return RSPG_OK;
}

char *rspg_crl_path(const rspg_crl_def *c, const rspg_inst *ca, size_t f)
{
    rspg_subst sub = rspg_plan_subst(ca);
    char *dir = c->dir ? rspg_subst_apply(&sub, c->dir) : NULL;
    char *file = rspg_subst_apply(&sub, c->files[f]);
    char *path = rspg_plan_join(dir, file);
    free(dir);
    free(file);
    return path;
}

/* The artifacts of the signed CRL DER, one per file of the definition. */
static void add_crl_files(rspg_builder *b, const rspg_crl_def *c, const rspg_inst *ca,
                          const rspg_buf *der, const rspg_crl_input *ci)
{
    for (size_t f = 0; f < c->n_files; f++) {
        char *path = rspg_crl_path(c, ca, f);
        rspg_artifact *a = rspg_inst_artifact(b->r, RSPG_ART_CRL, path, ca);
        if (a->pem)
            rspg_pem_encode("X509 CRL", der->data, der->len, &a->data);
        else
            rspg_buf_append(&a->data, der->data, der->len);
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
        a->not_before = ci->this_update;
        a->not_after = ci->next_update;
        a->crl_number = ci->number;
        a->revoked = rspg_xcalloc(ci->n_entries ? ci->n_entries : 1, sizeof(char *));
        a->n_revoked = ci->n_entries;
        for (size_t i = 0; i < ci->n_entries; i++)
            a->revoked[i] = rspg_serial_hex(ci->entries[i].serial, ci->entries[i].serial_len);
    }
}

rspg_status rspg_crl_sign(rspg_builder *b, const rspg_crl_def *c, rspg_inst *ca,
                          const rspg_crl_input *ci)
{
    rspg_buf tbs, der;
    rspg_buf_init(&tbs);
    rspg_buf_init(&der);
    rspg_status rc = RSPG_OK;
    if (rspg_encode_crl_tbs(ci, &tbs) != 0)
        rc = rspg_fail_at(b->d, c->loc, "CRL '%s': a date is outside the years 1950-9999", c->id);
    if (rc == RSPG_OK)
        rc = rspg_cert_sign(tbs.data, tbs.len, &ca->key, b->o->nonce, b->d, &der);
    if (rc == RSPG_OK) {
        if (c->corrupt_signature)
            der.data[der.len - 1] ^= 0x01; /* as for certificates: still DER, wrong signature */
        add_crl_files(b, c, ca, &der, ci);
    }
    rspg_buf_free(&tbs);
    rspg_buf_free(&der);
    return rc;
}

static int64_t this_update_of(const rspg_builder *b, const rspg_crl_def *c)
{
    int64_t t = b->r->clock;
    if (c->this_update)
        rspg_parse_rfc3339(c->this_update, &t);
    else if (c->has_offset)
        t += (int64_t)c->offset_days * 86400;
    return t;
}

rspg_status rspg_crl_issue(rspg_builder *b, const rspg_crl_def *c, rspg_inst *ca)
{
    size_t n = c->n_revoked;
    rspg_crl_entry *entries = rspg_xcalloc(n ? n : 1, sizeof(*entries));
    rspg_buf *serials = rspg_xcalloc(n ? n : 1, sizeof(rspg_buf));
    for (size_t i = 0; i < n; i++)
        rspg_buf_init(&serials[i]);
    int64_t this_update = this_update_of(b, c);
    rspg_status rc = crl_entries(b, c, ca, this_update, entries, serials);
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
    if (rc == RSPG_OK)
        rc = rspg_crl_sign(b, c, ca, &ci);
    for (size_t i = 0; i < n; i++)
        rspg_buf_free(&serials[i]);
    free(serials);
    free(entries);
    return rc;
}
