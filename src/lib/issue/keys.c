/*
 * keys.c: the key of each instance, from the entity's key source: generated (random, or
 * derived from the --seed and "<id>/<curve>", key_derive.h), loaded from a file (relative
 * to --key-dir or the profile's folder), held in a PKCS#11 token (the private key never
 * leaves it), or shared with another entity's instance on the same curve. The key must
 * be on the instance's curve (or the entity's key.curve for that curve).
 */
#include "issue/build_internal.h"

#include <stdlib.h>

#include "rspg/crypto/key_derive.h"
#include "rspg/crypto/pkcs11.h"

static rspg_status key_from_entity(rspg_builder *b, rspg_inst *in)
{
    const rspg_entity *e = in->e;
    rspg_inst *src = rspg_plan_find(b, e->key.from, in->cd->key);
    if (src == NULL)
        return rspg_fail_at(b->d, e->key.loc, "key source '%s' is not issued on curve '%s'",
                            e->key.from, in->cd->key);
    rspg_status rc = rspg_inst_key(b, src);
    if (rc == RSPG_OK)
        rspg_key_copy(&in->key, &src->key);
    return rc;
}

static rspg_status key_from_file(rspg_builder *b, rspg_inst *in, const rspg_curve *want)
{
    const rspg_entity *e = in->e;
    rspg_subst s = rspg_plan_subst(in);
    char *file = rspg_subst_apply(&s, e->key.file);
    char *path = file[0] == '/'
                     ? rspg_xstrdup(file)
                     : rspg_plan_join(b->o->key_dir ? b->o->key_dir : b->o->profile_dir, file);
    free(file);
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
    case RSPG_KEY_GENERATE:
    default:
        rc = key_generated(b, in, want);
        break;
    }
    if (rc == RSPG_OK)
        in->has_key = 1;
    return rc;
}
