/*
 * manifest.c: builds manifest.json from a build result (see docs/manifest.md).
 */
#include "rspg/issue/manifest.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/sgp02/cvc.h"

static json_t *time_json(int64_t t)
{
    char buf[32];
    rspg_format_rfc3339(t, buf, sizeof(buf));
    return json_string(buf);
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

/* One entry of "artifacts" (docs/manifest.md lists the fields). */
static json_t *artifact_json(const rspg_artifact *a)
{
    json_t *o = json_object();
    uint8_t h[SHA256_DIGEST_LENGTH];
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    SHA256(a->data.data, a->data.len, h);
    for (size_t j = 0; j < sizeof(h); j++)
        snprintf(hex + 2 * j, 3, "%02x", h[j]);
    set_str(o, "path", a->path);
    set_str(o, "kind", rspg_artifact_kind_name(a->kind));
    set_str(o, "format",
            a->kind == RSPG_ART_CVC ? rspg_cvc_file_format(a->path)
            : a->pem                ? "pem"
                                    : "der");
    set_str(o, "encoding", a->encoding);
    set_str(o, "role", rspg_role_name(a->entity->role));
    set_str(o, "name", a->entity->name ? a->entity->name : a->entity->id);
    set_str(o, "entity", a->entity->id);
    set_str(o, "variant", a->variant);
    if (a->entity->n_variants > 1) {
        json_t *vs = json_array();
        for (size_t v = 0; v < a->entity->n_variants; v++)
            json_array_append_new(vs, json_string(a->entity->variants[v]));
        json_object_set_new(o, "variants", vs);
    }
    set_str(o, "curve", a->curve);
    if (a->kind == RSPG_ART_CERT || a->kind == RSPG_ART_CVC) {
        set_str(o, "issuer", a->issuer_path);
        set_str(o, "key", a->key_path);
        set_str(o, "serial", a->serial_hex);
        json_object_set_new(o, "not_before", time_json(a->not_before));
        json_object_set_new(o, "not_after", time_json(a->not_after));
        if (strcmp(a->issuer_path, a->path) == 0 || (a->entity->issuer == NULL))
            json_object_set_new(o, "trust_anchor", json_boolean(a->trust_anchor));
    } else if (a->kind == RSPG_ART_CRL) {
        set_str(o, "issuer", a->issuer_path);
        json_object_set_new(o, "number", json_integer((json_int_t)a->crl_number));
        json_object_set_new(o, "this_update", time_json(a->not_before));
        json_object_set_new(o, "next_update", time_json(a->not_after));
        json_t *rv = json_array();
        for (size_t j = 0; j < a->n_revoked; j++)
            json_array_append_new(rv, json_string(a->revoked[j]));
        json_object_set_new(o, "revoked", rv);
    } else {
        set_str(o, "certificate", a->cert_path);
    }
    set_str(o, "sha256", hex);
    if (a->kind == RSPG_ART_CERT || a->kind == RSPG_ART_CRL || a->kind == RSPG_ART_CVC) {
        set_str(o, "expect", a->expect);
        set_str(o, "case", a->case_id);
        set_str(o, "reason", a->reason);
        set_str(o, "twin", a->twin_path);
        if (a->beyond_sgp26)
            json_object_set_new(o, "beyond_sgp26", json_true());
        if (a->hsm_signed)
            json_object_set_new(o, "signed_by", json_string("pkcs11"));
    }
    set_str(o, "note", a->entity->note);
    return o;
}

/* The header: schema, generator, profile, clock, how keys and signatures were made. */
static json_t *header_json(const rspg_build_result *r, const rspg_profile *p)
{
    json_t *root = json_object();
    json_object_set_new(root, "schema", json_string(RSPG_MANIFEST_SCHEMA));
    json_t *gen = json_object();
    json_object_set_new(gen, "name", json_string("rsp-pkigen"));
    json_object_set_new(gen, "version", json_string(RSPG_VERSION));
    json_object_set_new(root, "generator", gen);
    json_t *prof = json_object();
    set_str(prof, "name", p->name);
    set_str(prof, "description", p->description);
    json_object_set_new(root, "profile", prof);
    json_t *clock = json_object();
    json_object_set_new(clock, "time", time_json(r->clock));
    json_object_set_new(clock, "source", json_string(r->clock_source));
    json_object_set_new(root, "clock", clock);
    json_object_set_new(root, "keys", json_string(r->seeded ? "seeded" : "random"));
    json_object_set_new(root, "signatures",
                        json_string(r->nonce == RSPG_NONCE_RFC6979 ? "rfc6979" : "random"));
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].hsm_signed) {
            /* a token signs with its own random nonces, whatever was asked */
            json_object_set_new(root, "token_signatures", json_string("random"));
            break;
        }
    return root;
}

char *rspg_manifest_json(const rspg_build_result *r, const rspg_profile *p)
{
    json_t *root = header_json(r, p);
    json_t *arts = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(arts, artifact_json(&r->items[i]));
    json_object_set_new(root, "artifacts", arts);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(root);
    char *out = rspg_xasprintf("%s\n", text ? text : "{}");
    free(text);
    return out;
}
