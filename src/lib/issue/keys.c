/*
 * keys.c: the key of each instance, from the entity's key source: generated (random, or
 * derived from the --seed and "<id>/<curve>", key_derive.h), loaded from a file (relative
 * to --key-dir or the profile's folder), held in a PKCS#11 token (the private key never
 * leaves it), or shared with another entity's instance on the same curve. The key must
 * be on the instance's curve (or the entity's key.curve for that curve).
 */
#include "issue/build_internal.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/crypto/key_derive.h"
#include "rspg/crypto/pkcs11.h"
#include "rspg/x509/csr.h"

static rspg_status key_from_entity(rspg_builder *b, rspg_inst *in)
{
    const rspg_entity *e = in->e;
    rspg_inst *src = rspg_plan_find(b, e->key.from, in->cd->key);
    if (src == NULL)
        return rspg_fail_at(b->d, e->key.loc, "key source '%s' is not issued on curve '%s'",
                            e->key.from, in->cd->key);
    rspg_status rc = rspg_inst_key(b, src);
    if (rc == RSPG_OK) {
        rspg_key_copy(&in->key, &src->key);
        in->public_only = src->public_only;
        if (src->key_origin)
            in->key_origin = rspg_xstrdup(src->key_origin);
    }
    return rc;
}

/* The path of the entity's key file: absolute, or under --key-dir or the profile's folder. */
static char *key_file_path(const rspg_builder *b, const rspg_inst *in)
{
    rspg_subst s = rspg_plan_subst(in);
    char *file = rspg_subst_apply(&s, in->e->key.file);
    char *path = file[0] == '/'
                     ? rspg_xstrdup(file)
                     : rspg_plan_join(b->o->key_dir ? b->o->key_dir : b->o->profile_dir, file);
    free(file);
    return path;
}

/* key: {csr: FILE} or {public: FILE}: a public key certified without its private key (no SK_
 * file is written); a request's self-signature must verify (RFC 2986 §3). */
static rspg_status key_from_request(rspg_builder *b, rspg_inst *in, const rspg_curve *want)
{
    const rspg_entity *e = in->e;
    int csr = e->key.source == RSPG_KEY_CSR;
    char *path = key_file_path(b, in);
    rspg_csr req;
    rspg_status rc = rspg_csr_read_file(path, csr ? RSPG_CSR_REQUEST : RSPG_CSR_PUBLIC, b->d, &req);
    if (rc == RSPG_OK && req.key.curve != want)
        rc = rspg_fail_at(b->d, e->key.loc, "%s: the key is on %s, but '%s' on '%s' needs %s", path,
                          req.key.curve->name, e->id, in->cd->key, want->name);
    if (rc == RSPG_OK) {
        rspg_key_copy(&in->key, &req.key);
        in->public_only = 1;
        in->key_origin = path;
        free(in->key_path); /* the private key is not ours: no SK_ file */
        in->key_path = NULL;
    } else {
        rspg_diag_add(b->d, RSPG_SEV_NOTE, e->key.loc, "the %s of entity '%s' is read from '%s'",
                      csr ? "certificate request" : "public key", e->id, path);
        free(path);
        rc = rc == RSPG_E_IO || rc == RSPG_E_INPUT ? RSPG_E_PROFILE : rc;
    }
    rspg_csr_free(&req);
    return rc;
}

static rspg_status key_from_file(rspg_builder *b, rspg_inst *in, const rspg_curve *want)
{
    const rspg_entity *e = in->e;
    char *path = key_file_path(b, in);
    rspg_status rc = rspg_key_load_file(path, b->d, &in->key);
    if (rc != RSPG_OK) {
        rspg_diag_add(b->d, RSPG_SEV_NOTE, e->key.loc, "the key of entity '%s' is read from '%s'",
                      e->id, path);
        free(path);
        return rc == RSPG_E_IO ? RSPG_E_PROFILE : rc;
    }
    if (in->key.curve != want) {
        rc = rspg_fail_at(b->d, e->key.loc, "%s: the key is on %s, but '%s' on '%s' needs %s", path,
                          in->key.curve->name, e->id, in->cd->key, want->name);
        rspg_key_free(&in->key);
    }
    if (rc == RSPG_OK)
        in->key_origin = path;
    else
        free(path);
    return rc;
}

static rspg_status key_from_token(rspg_builder *b, rspg_inst *in, const rspg_curve *want)
{
    const rspg_entity *e = in->e;
    rspg_subst s = rspg_plan_subst(in);
    char *uri = rspg_subst_apply(&s, e->key.pkcs11);
    rspg_status rc = rspg_pkcs11_load_key(uri, b->d, &in->key);
    free(uri);
    free(in->key_path); /* the private key never leaves the token */
    in->key_path = NULL;
    if (rc != RSPG_OK) {
        rspg_diag_add(b->d, RSPG_SEV_NOTE, e->key.loc,
                      "the key of entity '%s' is in a PKCS#11 token", e->id);
        return rc;
    }
    if (in->key.curve != want) {
        rc = rspg_fail_at(b->d, e->key.loc, "the token's key is on %s, but '%s' on '%s' needs %s",
                          in->key.curve->name, e->id, in->cd->key, want->name);
        rspg_key_free(&in->key);
    }
    return rc;
}

static rspg_status key_generated(rspg_builder *b, rspg_inst *in, const rspg_curve *want)
{
    if (b->o->seed == NULL)
        return rspg_key_generate(want, b->d, &in->key);
    char *label = rspg_xasprintf("%s/%s", in->e->id, in->cd->key);
    rspg_status rc = rspg_key_derive(want, b->o->seed, b->o->seed_len, label, b->d, &in->key);
    free(label);
    return rc;
}

rspg_status rspg_inst_key(rspg_builder *b, rspg_inst *in)
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
    case RSPG_KEY_FROM:
        rc = key_from_entity(b, in);
        break;
    case RSPG_KEY_FILE:
        rc = key_from_file(b, in, want);
        break;
    case RSPG_KEY_PKCS11:
        rc = key_from_token(b, in, want);
        break;
    case RSPG_KEY_CSR:
    case RSPG_KEY_PUBLIC:
        rc = key_from_request(b, in, want);
        break;
    case RSPG_KEY_GENERATE:
    default:
        rc = key_generated(b, in, want);
        break;
    }
    if (rc == RSPG_OK)
        in->has_key = 1;
    return rc;
}
