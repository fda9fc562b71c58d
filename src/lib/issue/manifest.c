/*
 * manifest.c: builds manifest.json from a build result (see docs/manifest.md): the header
 * (schema, generator, profile, clock, keys, signatures), the provenance of the build (issue
 * 17: the profile's files and digests, --var, --set, --key-dir, filters, seed: what `renew`
 * redoes it from) and one entry per file, with where each certificate's key lives.
 */
#include "rspg/issue/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "rspg/asn1/der.h"
#include "rspg/base/file.h"
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

void rspg_manifest_sha256_hex(const uint8_t *data, size_t len, char hex[65])
{
    uint8_t h[SHA256_DIGEST_LENGTH];
    SHA256(data, len, h);
    for (size_t j = 0; j < sizeof(h); j++)
        snprintf(hex + 2 * j, 3, "%02x", h[j]);
}

/* "key_source" of a certificate: where the private key of its subject lives (issue 17). */
static json_t *key_source_json(const rspg_artifact *a)
{
    static const char *const names[] = {
        [RSPG_KEY_GENERATE] = "generated", [RSPG_KEY_FILE] = "file", [RSPG_KEY_FROM] = "from",
        [RSPG_KEY_PKCS11] = "pkcs11",      [RSPG_KEY_CSR] = "csr",   [RSPG_KEY_PUBLIC] = "public",
    };
    const rspg_key_spec *k = &a->entity->key;
    json_t *o = json_object();
    set_str(o, "source", names[k->source]);
    if (k->source == RSPG_KEY_FROM)
        set_str(o, "entity", k->from);
    if (k->source != RSPG_KEY_PKCS11) /* a token, its module and URI are not named */
        set_str(o, "file", a->key_origin);
    return o;
}

/* One entry of "artifacts" (docs/manifest.md lists the fields). */
static json_t *artifact_json(const rspg_artifact *a)
{
    json_t *o = json_object();
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    rspg_manifest_sha256_hex(a->data.data, a->data.len, hex);
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
        json_object_set_new(o, "key_source", key_source_json(a));
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
    } else if (a->kind == RSPG_ART_CA_BUNDLE || a->kind == RSPG_ART_FULLCHAIN) {
        json_t *ms = json_array();
        for (size_t j = 0; j < a->n_members; j++)
            json_array_append_new(ms, json_string(a->members[j]));
        json_object_set_new(o, "certificates", ms);
        set_str(o, "key", a->key_path);
    } else {
        set_str(o, "certificate", a->cert_path);
    }
    set_str(o, "sha256", hex);
    if (a->kind == RSPG_ART_CERT || a->kind == RSPG_ART_CRL || a->kind == RSPG_ART_CVC ||
        a->kind == RSPG_ART_FULLCHAIN) {
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

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* "files" of "build": every file composed into the profile (extends:) with its SHA-256 (a
 * file that cannot be read any more has none). */
static json_t *profile_files_json(const rspg_profile *p)
{
    json_t *files = json_array();
    for (size_t i = 0; i < p->n_files; i++) {
        if (strncmp(p->files[i], "--", 2) == 0)
            continue; /* a --set or --var value, recorded as such */
        json_t *f = json_object();
        rspg_buf b;
        char hex[65];
        rspg_buf_init(&b);
        set_str(f, "path", p->files[i]);
        if (rspg_read_file(p->files[i], RSPG_MAX_PROFILE_BYTES, &b) == 0) {
            rspg_manifest_sha256_hex(b.data, b.len, hex);
            set_str(f, "sha256", hex);
        }
        rspg_buf_free(&b);
        json_array_append_new(files, f);
    }
    return files;
}

/* TEXT without any pin-value=... attribute (a --set or --var may carry a pkcs11: URI with
 * its PIN; a manifest holds no PIN, docs/hardening.md). */
static char *without_pin(const char *text)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (const char *p = text; *p;) {
        if (strncmp(p, "pin-value=", 10) == 0) {
            p += strcspn(p, "&;\"' ");
            if (*p == '&' || *p == ';')
                p++;
            continue;
        }
        rspg_buf_push(&b, (uint8_t)*p++);
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

static json_t *pinless_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char *t = without_pin(v[i]);
        json_array_append_new(a, json_string(t));
        free(t);
    }
    return a;
}

/* The "build" object: what the build was made from (issue 17). Its clock stays the build's
 * when `renew` moves the top-level clock to the renewal's time. Flat on purpose: one level
 * of objects, as the rest of the header. */
static json_t *provenance_json(const rspg_build_result *r, const rspg_profile *p,
                               const rspg_manifest_provenance *pv)
{
    json_t *b = json_object();
    json_object_set_new(b, "clock", time_json(r->clock));
    json_object_set_new(b, "clock_source", json_string(r->clock_source));
    set_str(b, "profile", pv->profile_path);
    json_object_set_new(b, "files", profile_files_json(p));
    json_object_set_new(b, "vars", pinless_array(pv->vars, pv->n_vars));
    json_object_set_new(b, "sets", pinless_array(pv->sets, pv->n_sets));
    const rspg_build_options *o = pv->build;
    if (o) {
        set_str(b, "key_dir", o->key_dir);
        json_object_set_new(b, "variant",
                            str_array((const char *const *)o->variants, o->n_variants));
        json_object_set_new(b, "curve", str_array((const char *const *)o->curves, o->n_curves));
        json_object_set_new(b, "only", str_array((const char *const *)o->roles, o->n_roles));
        if (o->seed) {
            char *hex = rspg_hex(o->seed, o->seed_len);
            set_str(b, "seed", hex);
            free(hex);
        }
    }
    return b;
}

char *rspg_manifest_json(const rspg_build_result *r, const rspg_profile *p)
{
    return rspg_manifest_json_ex(r, p, NULL);
}

char *rspg_manifest_json_ex(const rspg_build_result *r, const rspg_profile *p,
                            const rspg_manifest_provenance *prov)
{
    json_t *root = header_json(r, p);
    if (prov)
        json_object_set_new(root, "build", provenance_json(r, p, prov));
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
