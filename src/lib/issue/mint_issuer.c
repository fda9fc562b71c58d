/*
 * mint_issuer.c: the issuer of a mint run (mint_issuer.h), from files or from a profile
 * entity built in memory.
 */
#include "rspg/issue/mint_issuer.h"
#include "rspg/base/file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/pem.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/x509/cert.h"
#include "rspg/x509/x509.h"

static void issuer_init(rspg_mint_issuer *out)
{
    memset(out, 0, sizeof(*out));
    rspg_buf_init(&out->cert);
}

rspg_status rspg_mint_issuer_from_files(const char *cert_path, const char *key_path, rspg_diag *d,
                                        rspg_mint_issuer *out)
{
    issuer_init(out);
    rspg_buf raw;
    rspg_buf_init(&raw);
    int readable = rspg_read_file(cert_path, 16u << 20, &raw) == 0;
    int err = errno;
    rspg_buf_free(&raw);
    if (!readable)
        return rspg_fail(d, RSPG_E_USAGE, "%s: cannot read: %s", cert_path, strerror(err));
    rspg_x509 x;
    if (rspg_read_der_file(cert_path, "CERTIFICATE", &out->cert) != 0)
        return rspg_fail(d, RSPG_E_INPUT,
                         "%s: not a certificate (DER or PEM): no CERTIFICATE block", cert_path);
    char *name = rspg_xasprintf("%s: not a certificate (DER or PEM)", cert_path);
    rspg_status rc = rspg_x509_read_named(out->cert.data, out->cert.len, name, &x, d);
    free(name);
    if (rc != RSPG_OK)
        return rc;
    if (strncmp(key_path, "pkcs11:", 7) == 0)
        return rspg_pkcs11_load_key(key_path, d, &out->key);
    return rspg_key_load_file(key_path, d, &out->key);
}

/* The entity's key in its token, on the certificate's curve: ${CURVE} of the URI is the
 * profile's suffix of that curve. */
static rspg_status token_key(const rspg_profile *p, const rspg_entity *ie, const char *curve,
                             rspg_diag *d, rspg_key *out)
{
    const rspg_curve *ic = rspg_curve_find(curve);
    rspg_subst sub = {curve, ie->variants[0]};
    for (size_t k = 0; k < p->n_curves; k++)
        if (p->curves[k].curve == ic)
            sub.curve = p->curves[k].suffix;
    char *uri = rspg_subst_apply(&sub, ie->key.pkcs11);
    rspg_status rc = rspg_pkcs11_load_key(uri, d, out);
    free(uri);
    return rc;
}

/* Takes the entity's first DER certificate of the build and its key on the same curve. */
static rspg_status take_from_build(const rspg_profile *p, const rspg_entity *ie, rspg_diag *d,
                                   rspg_mint_issuer *out)
{
    const rspg_build_result *b = &out->built;
    const rspg_artifact *cert = NULL;
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < b->n && cert == NULL; i++)
        if (b->items[i].entity == ie && b->items[i].kind == RSPG_ART_CERT && !b->items[i].pem)
            cert = &b->items[i];
    for (size_t i = 0; cert && rc == RSPG_OK && i < b->n; i++) {
        const rspg_artifact *a = &b->items[i];
        if (a->entity == ie && a->kind == RSPG_ART_PRIVATE_KEY &&
            strcmp(a->curve, cert->curve) == 0) {
            rspg_key_free(&out->key);
            rc = rspg_key_load(a->data.data, a->data.len, a->path, d, &out->key);
        }
    }
    if (rc == RSPG_OK && cert && out->key.pkey == NULL && ie->key.source == RSPG_KEY_PKCS11)
        rc = token_key(p, ie, cert->curve, d, &out->key);
    if (rc == RSPG_OK && (cert == NULL || out->key.pkey == NULL))
        return rspg_fail(d, RSPG_E_USAGE, "the profile writes no DER certificate and key for '%s'",
                         ie->id);
    if (rc == RSPG_OK)
        rspg_buf_append(&out->cert, cert->data.data, cert->data.len);
    return rc;
}

rspg_status rspg_mint_issuer_from_profile(const rspg_profile *p, const char *id,
                                          const rspg_mint_issuer_build *o, rspg_diag *d,
                                          rspg_mint_issuer *out)
{
    issuer_init(out);
    const rspg_entity *ie = rspg_profile_find(p, id);
    if (ie == NULL || (ie->role != RSPG_ROLE_EUM && ie->role != RSPG_ROLE_EUM_SUBCA))
        return rspg_fail(d, RSPG_E_USAGE, "--issuer '%s' is not an eum or eum-subca entity of %s",
                         id, p->path);
    out->entity = ie;
    char *only = (char *)id, *cv = (char *)o->curve;
    rspg_build_options bo = {0};
    bo.profile_dir = o->profile_dir;
    bo.roles = &only;
    bo.n_roles = 1;
    if (o->curve) {
        bo.curves = &cv;
        bo.n_curves = 1;
    }
    bo.has_clock = 1;
    bo.clock = o->clock;
    bo.nonce = o->nonce;
    bo.seed = o->seed;
    bo.seed_len = o->seed_len;
    rspg_status rc = rspg_build(p, &bo, d, &out->built);
    if (rc != RSPG_OK)
        return rc;
    return take_from_build(p, ie, d, out);
}

rspg_status rspg_mint_issuer_check_key(const rspg_mint_issuer *i, rspg_diag *d)
{
    rspg_x509 x;
    rspg_status rc =
        rspg_x509_read_named(i->cert.data, i->cert.len, "the issuer certificate", &x, d);
    if (rc != RSPG_OK)
        return rc;
    if (x.pub_len != i->key.pub_len || memcmp(x.pub, i->key.pub, x.pub_len) != 0)
        return rspg_fail(d, RSPG_E_USAGE,
                         "the issuer key does not belong to the issuer certificate");
    return RSPG_OK;
}

size_t rspg_mint_issuer_chain(const rspg_mint_issuer *i, const uint8_t **certs, size_t *lens,
                              const char **names, size_t max)
{
    size_t n = 0;
    const char *curve = i->key.curve ? i->key.curve->name : NULL;
    for (size_t k = 0; k < i->built.n && n < max; k++) {
        const rspg_artifact *a = &i->built.items[k];
        if (a->kind != RSPG_ART_CERT || a->pem || a->entity == i->entity ||
            (curve && a->curve && strcmp(a->curve, curve) != 0))
            continue;
        if (names)
            names[n] = a->path;
        certs[n] = a->data.data;
        lens[n++] = a->data.len;
    }
    return n;
}

void rspg_mint_issuer_free(rspg_mint_issuer *i)
{
    rspg_buf_free(&i->cert);
    rspg_key_free(&i->key);
    rspg_build_result_free(&i->built);
    memset(i, 0, sizeof(*i));
}
