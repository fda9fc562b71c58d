/*
 * crl_renew.c: a build folder's CRLs signed again (crl_renew.h). The profile is planned as a
 * build (plan.c) to know each CRL definition's files and its issuer's instance; the folder's
 * CRL is read back (x509.c) and must be exactly what crl_build.c writes: its TBSCertList is
 * encoded again from what was read (x509/crl.h) and must give the same bytes, so that the
 * renewed CRL differs only in thisUpdate, nextUpdate and cRLNumber (RFC 5280 §5.1.2.4,
 * §5.1.2.5, §5.2.3) and keeps its issuer Name, entries and authorityKeyIdentifier
 * byte-identical. It is signed by crl_build.c's code with the issuer's key.
 */
#include "rspg/issue/crl_renew.h"

#include <stdlib.h>
#include <string.h>

#include "issue/crl_internal.h"
#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"
#include "rspg/asn1/pem.h"
#include "rspg/x509/x509.h"

/* A CRL of the folder as read. */
typedef struct old_crl {
    rspg_buf der;
    rspg_x509_crl x;
    rspg_crl_entry *entries;
    size_t n_entries;
    const uint8_t *aki;
    size_t aki_len;
    uint64_t number;
} old_crl;

static void old_free(old_crl *o)
{
    rspg_buf_free(&o->der);
    free(o->entries);
    memset(o, 0, sizeof(*o));
}

/* The extensions of one entry: none, or reasonCode alone (RFC 5280 §5.3.1), as crl.c writes
 * them; -1 otherwise. */
static int entry_reason(rspg_der_cursor *ent, rspg_crl_entry *e)
{
    rspg_der_tlv exts, ext, oid, val;
    rspg_der_cursor c;
    e->reason_code = -1;
    if (rspg_der_cursor_done(ent))
        return 0;
    if (rspg_der_expect(ent, RSPG_DER_SEQUENCE, &exts) != 0 || !rspg_der_cursor_done(ent))
        return -1;
    rspg_der_cursor_init(&c, exts.value, exts.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &ext) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&c, ext.value, ext.len);
    if (rspg_der_expect(&c, RSPG_DER_OID, &oid) != 0 ||
        !rspg_der_oid_is(&oid, RSPG_OID_CRL_REASON) ||
        rspg_der_expect(&c, RSPG_DER_OCTET_STRING, &val) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    if (val.len != 3 || val.value[0] != 0x0A || val.value[1] != 1)
        return -1;
    e->reason_code = val.value[2];
    return 0;
}

/* The revokedCertificates of O (§5.1.2.6); -1 when malformed or not as crl.c writes them. */
static int read_entries(old_crl *o)
{
    rspg_der_cursor list, ent;
    rspg_der_tlv e, sn, date;
    if (!o->x.has_revoked)
        return 0;
    rspg_der_cursor_init(&list, o->x.revoked.value, o->x.revoked.len);
    while (!rspg_der_cursor_done(&list)) {
        if (rspg_der_expect(&list, RSPG_DER_SEQUENCE, &e) != 0)
            return -1;
        o->entries = rspg_xrealloc(o->entries, (o->n_entries + 1) * sizeof(*o->entries));
        rspg_crl_entry *ce = &o->entries[o->n_entries++];
        rspg_der_cursor_init(&ent, e.value, e.len);
        if (rspg_der_expect(&ent, RSPG_DER_INTEGER, &sn) != 0 || rspg_der_read(&ent, &date) != 0 ||
            rspg_der_parse_time(&date, &ce->date) != 0 || entry_reason(&ent, ce) != 0)
            return -1;
        ce->serial = sn.value;
        ce->serial_len = sn.len;
    }
    return 0;
}

/* The value of extension OID (§5.2.1 AKI keyIdentifier, §5.2.3 cRLNumber) into O. */
static int read_ext(old_crl *o, const rspg_der_tlv *oid, const rspg_der_tlv *val)
{
    rspg_der_cursor c, s;
    rspg_der_tlv t, k;
    rspg_der_cursor_init(&c, val->value, val->len);
    if (rspg_der_oid_is(oid, RSPG_OID_AUTHORITY_KEY_ID)) {
        if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &t) != 0 || !rspg_der_cursor_done(&c))
            return -1;
        rspg_der_cursor_init(&s, t.value, t.len);
        if (rspg_der_expect(&s, 0x80, &k) != 0 || !rspg_der_cursor_done(&s))
            return -1;
        o->aki = k.value;
        o->aki_len = k.len;
        return 0;
    }
    if (!rspg_der_oid_is(oid, RSPG_OID_CRL_NUMBER) ||
        rspg_der_expect(&c, RSPG_DER_INTEGER, &t) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    if (t.len == 0 || t.len > 9 || (t.len == 9 && t.value[0] != 0) || (t.value[0] & 0x80))
        return -1;
    o->number = 0;
    for (size_t i = 0; i < t.len; i++)
        o->number = (o->number << 8) | t.value[i];
    return 0;
}

/* The crlExtensions ([0]): authorityKeyIdentifier and cRLNumber, as crl.c writes them. */
static int read_exts(old_crl *o)
{
    rspg_der_cursor c, ext;
    rspg_der_tlv seq, e, oid, val;
    rspg_der_cursor_init(&c, o->x.extensions.value, o->x.extensions.len);
    if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &seq) != 0 || !rspg_der_cursor_done(&c))
        return -1;
    rspg_der_cursor_init(&c, seq.value, seq.len);
    while (!rspg_der_cursor_done(&c)) {
        if (rspg_der_expect(&c, RSPG_DER_SEQUENCE, &e) != 0)
            return -1;
        rspg_der_cursor_init(&ext, e.value, e.len);
        if (rspg_der_expect(&ext, RSPG_DER_OID, &oid) != 0 ||
            rspg_der_expect(&ext, RSPG_DER_OCTET_STRING, &val) != 0 ||
            !rspg_der_cursor_done(&ext) || read_ext(o, &oid, &val) != 0)
            return -1;
    }
    return o->aki ? 0 : -1;
}

/* What CI would encode: O as read, with thisUpdate TU, nextUpdate NU and number N. */
static rspg_crl_input input_of(const old_crl *o, int64_t tu, int64_t nu, uint64_t n)
{
    return (rspg_crl_input){
        .issuer_name = o->x.issuer.hdr,
        .issuer_name_len = o->x.issuer.hdr_len + o->x.issuer.len,
        .issuer_key_id = o->aki,
        .issuer_key_id_len = o->aki_len,
        .this_update = tu,
        .next_update = nu,
        .number = n,
        .entries = o->entries,
        .n_entries = o->n_entries,
    };
}

/* Reads the CRL file F into O; the reason in *WHY when it is not a CRL as crl_build.c writes
 * one (its TBSCertList encoded again from what was read must give the same bytes). */
static int read_old(const rspg_artifact *f, old_crl *o, const char **why)
{
    memset(o, 0, sizeof(*o));
    rspg_buf_init(&o->der);
    *why = "not a CRL";
    if (rspg_pem_or_der(f->data.data, f->data.len, "X509 CRL", &o->der) != 0 ||
        rspg_crl_read(o->der.data, o->der.len, &o->x, NULL) != RSPG_OK)
        return -1;
    *why = "not a CRL as rsp-pkigen writes one (its entries or extensions)";
    if (o->x.version != 1 || !o->x.has_next_update || read_entries(o) != 0 || read_exts(o) != 0)
        return -1;
    *why = "its cRLNumber cannot grow (RFC 5280 §5.2.3)";
    if (o->number == UINT64_MAX)
        return -1;
    *why = "not a CRL as rsp-pkigen writes one (its entries or extensions)";
    rspg_crl_input ci = input_of(o, o->x.this_update, o->x.next_update, o->number);
    rspg_buf tbs;
    rspg_buf_init(&tbs);
    int same = rspg_encode_crl_tbs(&ci, &tbs) == 0 && tbs.len == o->x.tbs.hdr_len + o->x.tbs.len &&
               memcmp(tbs.data, o->x.tbs.hdr, tbs.len) == 0;
    rspg_buf_free(&tbs);
    return same ? 0 : -1;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

static const rspg_artifact *folder_file(const rspg_build_result *folder, const char *path)
{
    rspg_artifact key = {.path = (char *)path};
    return path ? bsearch(&key, folder->items, folder->n, sizeof(*folder->items), cmp_path) : NULL;
}

/* The key of CA (its SK_ file in the folder, else its entity's source), which must be the key
 * of its certificate in the folder; messages go to B's diag. */
static rspg_status ca_key(rspg_builder *b, rspg_inst *ca, const rspg_build_result *folder)
{
    const rspg_artifact *cf = folder_file(folder, ca->cert_path);
    const rspg_artifact *kf = folder_file(folder, ca->key_path);
    if (cf == NULL)
        return rspg_fail(b->d, RSPG_E_INPUT, "its issuer's certificate is not in the folder");
    rspg_status rc = RSPG_OK;
    if (kf && !ca->has_key &&
        (rc = rspg_key_load(kf->data.data, kf->data.len, kf->path, b->d, &ca->key)) == RSPG_OK)
        ca->has_key = 1;
    if (rc == RSPG_OK)
        rc = rspg_inst_key(b, ca);
    if (rc != RSPG_OK)
        return rc;
    rspg_buf der;
    rspg_x509 x;
    rspg_buf_init(&der);
    if (rspg_pem_or_der(cf->data.data, cf->data.len, "CERTIFICATE", &der) != 0 ||
        rspg_x509_read_named(der.data, der.len, cf->path, &x, b->d) != RSPG_OK)
        rc = RSPG_E_INPUT;
    else if (x.pub_len != ca->key.pub_len || memcmp(x.pub, ca->key.pub, x.pub_len) != 0 ||
             ca->public_only)
        rc = rspg_fail(b->d, RSPG_E_USAGE,
                       "the key of '%s' is not the key of %s (a random key that was not written "
                       "cannot be had again)",
                       ca->e->id, cf->path);
    rspg_buf_free(&der);
    return rc;
}

/* CRL C signed by CA again, when the caller chooses it: a warning (not an error) when it
 * cannot be. */
static rspg_status renew_one(rspg_builder *b, const rspg_crl_renew_options *o,
                             const rspg_crl_def *c, rspg_inst *ca)
{
    const rspg_artifact *f = NULL;
    char *path = NULL;
    for (size_t i = 0; i < c->n_files && f == NULL; i++) {
        free(path);
        path = rspg_crl_path(c, ca, i);
        f = folder_file(o->folder, path);
    }
    old_crl old;
    const char *why = NULL;
    rspg_status rc = RSPG_OK;
    rspg_diag kd, *d = b->d;
    rspg_diag_init(&kd);
    if (f == NULL) {
        free(path);
        return RSPG_OK; /* not built (filters) */
    }
    if (read_old(f, &old, &why) != 0) {
        rspg_diag_add(d, RSPG_SEV_WARNING, (rspg_loc){0}, "%s: CRL '%s' not renewed: %s", path,
                      c->id, why);
    } else {
        rspg_crl_renew_candidate cand = {
            c, ca->cd->key, path, old.x.this_update, old.x.next_update, old.number};
        int64_t tu = b->o->clock + (c->has_offset ? (int64_t)c->offset_days * 86400 : 0);
        rspg_crl_input ci =
            input_of(&old, tu, tu + (int64_t)c->next_update_days * 86400, old.number + 1);
        b->d = &kd;
        if (o->choose == NULL || o->choose(o->ctx, &cand)) {
            if (ca_key(b, ca, o->folder) == RSPG_OK)
                rc = rspg_crl_sign(b, c, ca, &ci);
            else
                rspg_diag_add(d, RSPG_SEV_WARNING, (rspg_loc){0},
                              "%s: CRL '%s' not renewed: its issuer's key cannot be had: %s", path,
                              c->id, kd.count ? kd.entries[kd.count - 1].message : "?");
        }
        b->d = d;
        if (rc != RSPG_OK)
            rspg_diag_take_prefixed(d, &kd, path);
    }
    rspg_diag_fini(&kd);
    old_free(&old);
    free(path);
    return rc;
}

rspg_status rspg_crl_renew(const rspg_profile *p, const rspg_crl_renew_options *o, rspg_diag *d,
                           rspg_build_result *r)
{
    rspg_build_options bo = *o->build;
    bo.n_variants = bo.n_curves = bo.n_roles = 0; /* every instance: CRLs are chosen */
    rspg_builder b = {p, &bo, d, r, NULL, 0};
    memset(r, 0, sizeof(*r));
    r->nonce = bo.nonce;
    r->seeded = bo.seed != NULL;
    r->clock = bo.clock;
    r->clock_source = bo.has_clock ? "option" : "now";
    rspg_status rc = rspg_plan(&b);
    for (size_t i = 0; i < p->n_crls && rc == RSPG_OK; i++) {
        const rspg_crl_def *c = &p->crls[i];
        if ((c->expect && strcmp(c->expect, "valid") != 0) || c->corrupt_signature)
            continue; /* a deliberately invalid CRL stays as it is */
        for (size_t j = 0; j < c->n_curves && rc == RSPG_OK; j++) {
            rspg_inst *ca = rspg_plan_find(&b, c->issuer, c->curves[j]);
            if (ca)
                rc = renew_one(&b, o, c, ca);
        }
    }
    rspg_plan_free(&b);
    if (rc != RSPG_OK)
        rspg_build_result_free(r);
    else if (r->n > 1)
        qsort(r->items, r->n, sizeof(*r->items), cmp_path);
    return rc;
}
