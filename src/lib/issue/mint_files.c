/*
 * mint_files.c: the files layout of a mint run and its manifest (mint_files.h).
 */
#include "rspg/issue/mint_files.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "rspg/asn1/pem.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/mint_cert.h"
#include "rspg/issue/output.h"

void rspg_mint_files_init(rspg_mint_files *f, const rspg_mint_plan *plan, int64_t clock)
{
    memset(f, 0, sizeof(*f));
    f->plan = plan;
    f->not_before = clock;
    f->not_after = clock + (int64_t)plan->tmpl->validity_days * 86400;
    f->variant_of[0] = plan->tmpl->variants[0];
}

static rspg_artifact *add_artifact(rspg_mint_files *f, rspg_artifact_kind kind, char *path, int pem,
                                   int secret, const void *data, size_t len)
{
    rspg_artifact *a = rspg_build_result_add(&f->r, kind, path);
    a->pem = pem;
    a->secret = secret;
    a->entity = f->plan->tmpl;
    a->curve = f->plan->curve->name;
    a->variant = rspg_xstrdup(f->plan->tmpl->variants[0]);
    a->expect = rspg_xstrdup("valid");
    rspg_buf_append(&a->data, data, len);
    return a;
}

int rspg_mint_files_sink(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    rspg_mint_files *f = ctx;
    const char *sfx = f->plan->curve_suffix;
    (void)d;
    for (size_t i = 0; i < n; i++) {
        const rspg_mint_record *rec = &recs[i];
        char *cert = rspg_xasprintf("eUICC/%s/CERT_EUICC_SIG_%s.der", rec->eid, sfx);
        char *key = rspg_xasprintf("eUICC/%s/SK_EUICC_SIG_%s.pem", rec->eid, sfx);
        rspg_artifact *a = add_artifact(f, RSPG_ART_CERT, cert, 0, 0, rec->cert, rec->cert_len);
        a->issuer_path = rspg_xstrdup(RSPG_MINT_ISSUER_PATH);
        a->key_path = rspg_xstrdup(key);
        a->serial_hex = rspg_xasprintf("%s%s", rec->eid[0] >= '8' ? "00" : "", rec->eid);
        a->not_before = f->not_before;
        a->not_after = f->not_after;
        f->r.n_certs++;
        rspg_buf pem;
        rspg_buf_init(&pem);
        rspg_pem_encode("EC PRIVATE KEY", rec->key, rec->key_len, &pem);
        a = add_artifact(f, RSPG_ART_PRIVATE_KEY, key, 1, 1, pem.data, pem.len);
        a->cert_path = rspg_xstrdup(cert);
        OPENSSL_cleanse(pem.data, pem.len);
        rspg_buf_free(&pem);
    }
    return 0;
}

static char *chain_path(const char *name)
{
    const char *base = strrchr(name, '/');
    return rspg_xasprintf("chain/%s", base ? base + 1 : name);
}

/* Copy I of the chain (0: the issuer): its stand-in entity, role from its policy, and the
 * copy it is issued by (itself for a root, the next copy, or "(not included)"). */
static rspg_status add_copy(rspg_mint_files *f, size_t i, const uint8_t *der, size_t len,
                            const char *what, const char *next_name, const char *curve,
                            rspg_diag *d)
{
    rspg_mint_cert_info *info = rspg_xmalloc(sizeof(*info));
    rspg_status rc = rspg_mint_read_cert(der, len, what, d, info);
    if (rc == RSPG_OK) {
        rspg_entity *ce = &f->ents[i];
        ce->id = ce->name = (char *)(i == 0 ? "issuer" : "chain");
        ce->role = info->role >= 0 ? (rspg_role)info->role : RSPG_ROLE_CI;
        ce->variants = f->variant_of;
        ce->n_variants = 1;
        ce->issuer = info->self_signed ? NULL : (char *)"chain";
        char *path = i == 0 ? rspg_xstrdup(RSPG_MINT_ISSUER_PATH) : chain_path(what);
        rspg_artifact *a = add_artifact(f, RSPG_ART_CERT, path, 0, 0, der, len);
        a->entity = ce;
        a->curve = curve;
        a->trust_anchor = info->self_signed;
        a->issuer_path = info->self_signed ? rspg_xstrdup(path)
                         : next_name       ? chain_path(next_name)
                                           : rspg_xstrdup("(not included)");
    }
    free(info);
    return rc;
}

rspg_status rspg_mint_files_add_chain(rspg_mint_files *f, const uint8_t *issuer, size_t issuer_len,
                                      const char *issuer_curve, const rspg_mint_chain_cert *chain,
                                      size_t n_chain, rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    free(f->ents);
    f->ents = rspg_xcalloc(n_chain + 1, sizeof(rspg_entity));
    for (size_t i = 0; rc == RSPG_OK && i <= n_chain; i++) {
        const char *next = i < n_chain ? chain[i].name : NULL;
        if (i == 0)
            rc = add_copy(f, 0, issuer, issuer_len, "the issuer", next, issuer_curve, d);
        else
            rc = add_copy(f, i, chain[i - 1].der, chain[i - 1].len, chain[i - 1].name, next,
                          issuer_curve, d);
    }
    return rc;
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

rspg_status rspg_mint_files_write(rspg_mint_files *f, const rspg_profile *p,
                                  const rspg_clock *clock, int seeded, rspg_nonce nonce,
                                  const char *dest, int force, rspg_diag *d)
{
    qsort(f->r.items, f->r.n, sizeof(*f->r.items), cmp_artifact);
    f->r.clock = clock->time;
    f->r.clock_source = clock->source;
    f->r.seeded = seeded;
    f->r.nonce = nonce;
    char *manifest = rspg_manifest_json(&f->r, p);
    rspg_output_options oo = {force, manifest};
    rspg_status rc = rspg_output_write(dest, &f->r, &oo, d);
    free(manifest);
    return rc;
}

void rspg_mint_files_free(rspg_mint_files *f)
{
    rspg_build_result_free(&f->r); /* before the entities go */
    free(f->ents);
    f->ents = NULL;
}
