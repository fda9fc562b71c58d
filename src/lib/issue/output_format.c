/*
 * output_format.c: certificate encodings of a build (output_format.h): DER, PEM or both,
 * whatever the profile names, with every reference to a renamed file kept right; then the
 * key and PKCS#12 steps of output_pkcs.c. Certificates are the same bytes either way: a
 * PEM file is the RFC 7468 "CERTIFICATE" armour of the DER.
 */
#include "rspg/issue/output_format.h"

#include <stdlib.h>
#include <string.h>

#include "issue/output_internal.h"
#include "rspg/asn1/pem.h"

int rspg_cert_format_parse(const char *s, rspg_cert_format *out)
{
    static const char *const names[] = {"der", "pem", "both"};
    static const rspg_cert_format values[] = {RSPG_CERT_FORMAT_DER, RSPG_CERT_FORMAT_PEM,
                                              RSPG_CERT_FORMAT_BOTH};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = values[i];
            return 0;
        }
    return -1;
}

int rspg_key_format_parse(const char *s, rspg_key_format *out)
{
    if (strcmp(s, "sec1") == 0)
        *out = RSPG_KEY_FORMAT_SEC1;
    else if (strcmp(s, "pkcs8") == 0)
        *out = RSPG_KEY_FORMAT_PKCS8;
    else
        return -1;
    return 0;
}

char *rspg_output_swap_ext(const char *path, const char *ext)
{
    static const char *const known[] = {".der", ".pem", ".crt", ".cer"};
    size_t n = strlen(path);
    for (size_t i = 0; i < 4; i++)
        if (n > 4 && strcmp(path + n - 4, known[i]) == 0)
            return rspg_xasprintf("%.*s%s", (int)(n - 4), path, ext);
    return rspg_xasprintf("%s%s", path, ext);
}

static char *dup_or_null(const char *s)
{
    return s ? rspg_xstrdup(s) : NULL;
}

/* A certificate artifact like SRC at PATH (taken over), DATA its bytes. */
static void add_twin(rspg_build_result *r, size_t src, char *path, const rspg_buf *data)
{
    rspg_artifact *a = rspg_build_result_add(r, RSPG_ART_CERT, path);
    const rspg_artifact *s = &r->items[src]; /* after add: items may have moved */
    char *p = a->path;
    int pem = a->pem;
    *a = *s;
    a->path = p;
    a->pem = pem;
    rspg_buf_init(&a->data);
    rspg_buf_append(&a->data, data->data, data->len);
    a->variant = dup_or_null(s->variant);
    a->issuer_path = dup_or_null(s->issuer_path);
    a->key_path = dup_or_null(s->key_path);
    a->cert_path = dup_or_null(s->cert_path);
    a->serial_hex = dup_or_null(s->serial_hex);
    a->expect = dup_or_null(s->expect);
    a->twin_path = dup_or_null(s->twin_path);
    a->key_origin = dup_or_null(s->key_origin);
    a->revoked = NULL;
    a->n_revoked = 0;
    a->members = NULL;
    a->n_members = 0;
}

/* The certificates of a build before the change, decoded once: DER[i] for artifact i, with
 * IS_CERT[i] set when artifact i is a certificate that decodes. */
typedef struct cert_set {
    size_t n;
    rspg_buf *der;
    unsigned char *is_cert, *drop;
} cert_set;

/* Index of another certificate of the set, in encoding PEM, with the DER of I; or -1. */
static long find_twin(const rspg_build_result *r, const cert_set *cs, size_t self, int pem)
{
    const rspg_buf *der = &cs->der[self];
    for (size_t i = 0; i < cs->n; i++)
        if (i != self && cs->is_cert[i] && !cs->drop[i] && r->items[i].pem == pem &&
            cs->der[i].len == der->len && memcmp(cs->der[i].data, der->data, der->len) == 0)
            return (long)i;
    return -1;
}

/* Points every reference to FROM (issuer, certificate, twin) at TO. */
static void rename_refs(rspg_build_result *r, const char *from, const char *to)
{
    char **fields[3];
    for (size_t i = 0; i < r->n; i++) {
        rspg_artifact *a = &r->items[i];
        fields[0] = &a->issuer_path;
        fields[1] = &a->cert_path;
        fields[2] = &a->twin_path;
        for (size_t k = 0; k < 3; k++)
            if (*fields[k] && strcmp(*fields[k], from) == 0) {
                free(*fields[k]);
                *fields[k] = rspg_xstrdup(to);
            }
    }
}

/* One certificate of the wrong encoding, for DER or PEM only: dropped when its twin is
 * there (references move to the twin), else re-encoded under the other extension. */
static void convert_one(rspg_build_result *r, cert_set *cs, size_t i, int want_pem)
{
    rspg_artifact *a = &r->items[i];
    const rspg_buf *der = &cs->der[i];
    long twin = find_twin(r, cs, i, want_pem);
    char *old = rspg_xstrdup(a->path);
    if (twin >= 0) {
        rename_refs(r, old, r->items[twin].path);
        cs->drop[i] = 1;
    } else {
        char *path = rspg_output_swap_ext(a->path, want_pem ? ".pem" : ".der");
        rspg_buf_reset(&a->data);
        if (want_pem)
            rspg_pem_encode("CERTIFICATE", der->data, der->len, &a->data);
        else
            rspg_buf_append(&a->data, der->data, der->len);
        free(a->path);
        a->path = path;
        a->pem = want_pem;
        rename_refs(r, old, path);
    }
    free(old);
}

/* Removes the artifacts marked in DROP (the first CS->n of R). */
static void drop_marked(rspg_build_result *r, const cert_set *cs)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (i < cs->n && cs->drop[i]) {
            rspg_artifact_free(&r->items[i]);
            continue;
        }
        r->items[k++] = r->items[i];
    }
    r->n = k;
}

/* For BOTH: the twin of certificate I in the other encoding, when the build has none. */
static void add_missing_twin(rspg_build_result *r, const cert_set *cs, size_t i)
{
    int pem = r->items[i].pem;
    if (find_twin(r, cs, i, !pem) >= 0)
        return;
    rspg_buf text;
    rspg_buf_init(&text);
    if (pem)
        rspg_buf_append(&text, cs->der[i].data, cs->der[i].len);
    else
        rspg_pem_encode("CERTIFICATE", cs->der[i].data, cs->der[i].len, &text);
    add_twin(r, i, rspg_output_swap_ext(r->items[i].path, pem ? ".der" : ".pem"), &text);
    rspg_buf_free(&text);
}

static void apply_certs(rspg_cert_format f, rspg_build_result *r)
{
    cert_set cs = {r->n, rspg_xcalloc(r->n + 1, sizeof(rspg_buf)), rspg_xcalloc(r->n + 1, 1),
                   rspg_xcalloc(r->n + 1, 1)};
    for (size_t i = 0; i < cs.n; i++) {
        const rspg_artifact *a = &r->items[i];
        rspg_buf_init(&cs.der[i]);
        if (a->kind != RSPG_ART_CERT)
            continue;
        if (!a->pem)
            rspg_buf_append(&cs.der[i], a->data.data, a->data.len);
        cs.is_cert[i] =
            !a->pem || rspg_pem_decode(a->data.data, a->data.len, "CERTIFICATE", &cs.der[i]) == 0;
    }
    for (size_t i = 0; i < cs.n; i++) {
        if (!cs.is_cert[i])
            continue;
        if (f == RSPG_CERT_FORMAT_BOTH)
            add_missing_twin(r, &cs, i);
        else if (r->items[i].pem != (f == RSPG_CERT_FORMAT_PEM))
            convert_one(r, &cs, i, f == RSPG_CERT_FORMAT_PEM);
    }
    drop_marked(r, &cs);
    for (size_t i = 0; i < cs.n; i++)
        rspg_buf_free(&cs.der[i]);
    free(cs.der);
    free(cs.is_cert);
    free(cs.drop);
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

/* Sorts R by path again; a name given twice is an error at the second one's entity. */
static rspg_status resort(rspg_build_result *r, rspg_diag *d)
{
    qsort(r->items, r->n, sizeof(*r->items), cmp_artifact);
    for (size_t i = 1; i < r->n; i++)
        if (strcmp(r->items[i - 1].path, r->items[i].path) == 0)
            return rspg_fail_at(d, r->items[i].entity->loc,
                                "entity '%s': with the chosen formats two files are named '%s'",
                                r->items[i].entity->id, r->items[i].path);
    return RSPG_OK;
}

rspg_status rspg_output_format_apply(const rspg_output_format *f, rspg_build_result *r,
                                     rspg_diag *d)
{
    if (f == NULL)
        return RSPG_OK;
    rspg_status rc = RSPG_OK;
    if (f->certs != RSPG_CERT_FORMAT_PROFILE)
        apply_certs(f->certs, r);
    if (f->keys == RSPG_KEY_FORMAT_PKCS8)
        rc = rspg_output_keys_pkcs8(r, d);
    if (rc == RSPG_OK && f->pkcs12)
        rc = rspg_output_pkcs12(r, f->pkcs12_password ? f->pkcs12_password : "", d);
    if (rc == RSPG_OK && (f->certs != RSPG_CERT_FORMAT_PROFILE || f->pkcs12))
        rc = resort(r, d);
    return rc;
}
