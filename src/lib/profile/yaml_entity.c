/*
 * yaml_entity.c: the entities of a profile: per-curve values (serial, dates), validity,
 * key source, output files, the SGP.02 card-certificate fields, the SGP.22 reason of an
 * invalid case, and `base:` inheritance (a derived entity applies its base's keys first).
 */
#include <stdlib.h>
#include <string.h>

#include "profile/profile_internal.h"
#include "profile/yaml_internal.h"
#include "rspg/base/time.h"
#include "rspg/profile/cvc_spec.h"

int rspg_yaml_check_reason(rspg_yaml_loader *ld, yaml_node_t *n, const char *reason)
{
    /* SGP.22 ES10b AuthenticateErrorCode (§5.7.13), ES9+ AuthenticateClient errors (§5.6.3),
     * ES10b LoadCRL and v3 CRL errors; see docs/invalid-cases.md */
    static const char *const known[] = {
        "invalidCertificate",
        "invalidSignature",
        "unsupportedCurve",
        "invalidOid",
        "ciPKUnknown",
        "eumCertificateInvalid",
        "eumCertificateExpired",
        "euiccCertificateInvalid",
        "euiccCertificateExpired",
        "eidMismatch",
        "certificateExpired",
        "revokedCert",
        "invalidCrlSignature",
        "invalidCertOrCrlTime",
        NULL,
    };
    for (size_t i = 0; known[i]; i++)
        if (strcmp(known[i], reason) == 0)
            return 0;
    return rspg_yaml_fail(
        ld, n,
        "unknown reason '%s' (expected invalidCertificate, invalidSignature, "
        "unsupportedCurve, invalidOid, ciPKUnknown, eumCertificateInvalid, "
        "eumCertificateExpired, euiccCertificateInvalid, euiccCertificateExpired, "
        "eidMismatch, certificateExpired, revokedCert, invalidCrlSignature or "
        "invalidCertOrCrlTime)",
        reason);
}

/* ---- per-curve values ---- */

static int load_per_curve(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, rspg_per_curve *v)
{
    rspg_per_curve_clear(v);
    v->loc = rspg_yaml_at(ld, n);
    if (n->type == YAML_SCALAR_NODE)
        return rspg_yaml_want_string(ld, n, what, &v->value);
    if (n->type != YAML_MAPPING_NODE)
        return rspg_yaml_fail(ld, n, "%s must be a string or a mapping from curve to string", what);
    size_t len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    v->keys = rspg_xcalloc(len ? len : 1, sizeof(char *));
    v->values = rspg_xcalloc(len ? len : 1, sizeof(char *));
    v->n = len;
    for (size_t i = 0; i < len; i++) {
        yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        yaml_node_t *k = rspg_yaml_node(ld, pr->key);
        if (rspg_yaml_unique_key(ld, n, pr, what) != 0)
            return -1;
        if (rspg_yaml_want_string(ld, k, "a curve key", &v->keys[i]) != 0 ||
            rspg_yaml_want_string(ld, rspg_yaml_node(ld, pr->value), what, &v->values[i]) != 0)
            return -1;
        if (rspg_profile_curve(ld->p, v->keys[i]) == NULL)
            return rspg_yaml_fail(ld, k, "unknown curve key '%s' in %s (define it under 'curves')",
                                  v->keys[i], what);
    }
    return 0;
}

static int check_serial_text(rspg_yaml_loader *ld, const rspg_per_curve *v, yaml_node_t *n)
{
    for (size_t i = 0; i < (v->value ? 1 : v->n); i++) {
        const char *s = v->value ? v->value : v->values[i];
        rspg_buf b;
        rspg_buf_init(&b);
        int bad = rspg_unhex(s, &b) != 0 || b.len == 0;
        size_t lead = 0;
        while (!bad && lead < b.len && b.data[lead] == 0)
            lead++;
        size_t mag = b.len - lead;
        int top = mag > 0 && (b.data[lead] & 0x80);
        rspg_buf_free(&b);
        if (s[0] == '-')
            return rspg_yaml_fail(
                ld, n, "serial '%s' is negative; serials are positive (RFC 5280 §4.1.2.2)", s);
        if (bad)
            return rspg_yaml_fail(ld, n, "serial '%s' is not hex digits of even length", s);
        if (mag == 0)
            return rspg_yaml_fail(ld, n,
                                  "serial is zero; serials are positive (RFC 5280 §4.1.2.2)");
        if (mag + (size_t)top > 20)
            return rspg_yaml_fail(ld, n, "serial '%s' is longer than 20 octets (RFC 5280 §4.1.2.2)",
                                  s);
    }
    return 0;
}

static int check_time_text(rspg_yaml_loader *ld, const rspg_per_curve *v, yaml_node_t *n,
                           const char *what)
{
    for (size_t i = 0; i < (v->value ? 1 : v->n); i++) {
        const char *s = v->value ? v->value : v->values[i];
        int64_t t;
        if (rspg_parse_rfc3339(s, &t) != 0)
            return rspg_yaml_fail(ld, n, "%s '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)",
                                  what, s);
        if (t < rspg_days_from_civil(1950, 1, 1) * 86400)
            return rspg_yaml_fail(ld, n, "%s '%s' is before 1950 (RFC 5280 §4.1.2.5)", what, s);
    }
    return 0;
}

/* ---- entities ---- */

static int validity_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                         void *ctx)
{
    rspg_entity *e = ctx;
    (void)k;
    if (strcmp(key, "days") == 0) {
        long long days;
        if (rspg_yaml_want_int(ld, v, "days", 1, 3000000, &days) != 0)
            return -1;
        e->validity_days = days;
        rspg_per_curve_clear(&e->not_after);
        return 0;
    }
    if (strcmp(key, "not_before") == 0) {
        e->has_offset = 0;
        return load_per_curve(ld, v, "not_before", &e->not_before) ||
               check_time_text(ld, &e->not_before, v, "not_before");
    }
    if (strcmp(key, "offset_days") == 0) {
        rspg_per_curve_clear(&e->not_before);
        e->has_offset = 1;
        return rspg_yaml_want_int(ld, v, "offset_days", -3000000, 3000000, &e->offset_days);
    }
    e->validity_days = 0;
    return load_per_curve(ld, v, "not_after", &e->not_after) ||
           check_time_text(ld, &e->not_after, v, "not_after");
}

/* The entity whose key is read, and how many key sources its mapping names. */
typedef struct key_ctx {
    rspg_entity *e;
    int n_sources;
} key_ctx;

static int key_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                    void *ctx)
{
    key_ctx *kc = ctx;
    rspg_entity *e = kc->e;
    (void)k;
    if (strcmp(key, "curve") != 0)
        kc->n_sources++;
    if (strcmp(key, "file") == 0) {
        e->key.source = RSPG_KEY_FILE;
        return rspg_yaml_want_string(ld, v, "file", &e->key.file);
    }
    if (strcmp(key, "csr") == 0 || strcmp(key, "public") == 0) {
        /* issue 17: a key held elsewhere; its request or public key is certified */
        e->key.source = key[0] == 'c' ? RSPG_KEY_CSR : RSPG_KEY_PUBLIC;
        return rspg_yaml_want_string(ld, v, key, &e->key.file);
    }
    if (strcmp(key, "from") == 0) {
        e->key.source = RSPG_KEY_FROM;
        return rspg_yaml_want_string(ld, v, "from", &e->key.from);
    }
    if (strcmp(key, "pkcs11") == 0) {
        e->key.source = RSPG_KEY_PKCS11;
        if (rspg_yaml_want_string(ld, v, "pkcs11", &e->key.pkcs11) != 0)
            return -1;
        if (strncmp(e->key.pkcs11, "pkcs11:", 7) != 0)
            return rspg_yaml_fail(ld, v,
                                  "a PKCS#11 key is an RFC 7512 URI starting with 'pkcs11:'");
        return 0;
    }
    if (e->key.curve == NULL)
        e->key.curve = rspg_xcalloc(1, sizeof(rspg_per_curve));
    if (load_per_curve(ld, v, "curve", e->key.curve) != 0)
        return -1;
    for (size_t i = 0; i < (e->key.curve->value ? 1 : e->key.curve->n); i++) {
        const char *c = e->key.curve->value ? e->key.curve->value : e->key.curve->values[i];
        if (rspg_curve_find(c) == NULL)
            return rspg_yaml_fail(ld, v, "unknown curve '%s' (expected one of %s)", c,
                                  rspg_curve_names());
    }
    return 0;
}

static int output_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx)
{
    rspg_entity *e = ctx;
    (void)k;
    if (strcmp(key, "dir") == 0)
        return rspg_yaml_want_string(ld, v, "dir", &e->dir);
    if (strcmp(key, "cert") == 0) {
        if (rspg_yaml_want_string_or_list(ld, v, "cert", &e->cert_files, &e->n_cert_files) != 0)
            return -1;
        for (size_t i = 0; i < e->n_cert_files; i++) {
            size_t n = strlen(e->cert_files[i]);
            if (n < 5 || (strcmp(e->cert_files[i] + n - 4, ".der") != 0 &&
                          strcmp(e->cert_files[i] + n - 4, ".pem") != 0 &&
                          strcmp(e->cert_files[i] + n - 4, ".cvc") != 0 &&
                          strcmp(e->cert_files[i] + n - 4, ".hex") != 0))
                return rspg_yaml_fail(ld, v, "certificate file '%s' must end in .der or .pem",
                                      e->cert_files[i]);
        }
        return 0;
    }
    if (strcmp(key, "key") == 0)
        return rspg_yaml_want_string(ld, v, "key", &e->key_file);
    if (strcmp(key, "tbs") == 0)
        return rspg_yaml_want_string(ld, v, "tbs", &e->tbs_file);
    return rspg_yaml_want_string(ld, v, "pubkey", &e->pubkey_file);
}

/* cvc: the fields of an SGP.02 card certificate (cvc_spec.h; values checked there) */
static int cvc_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                    void *ctx)
{
    rspg_cvc_spec *s = ctx;
    char msg[256];
    (void)k;
    if (strcmp(key, "discretionary") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return rspg_yaml_fail(ld, v, "cvc.discretionary must be a list of {TAG: HEX|auto}");
        size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        s->discretionary = rspg_xcalloc(n ? n : 1, sizeof(*s->discretionary));
        s->has_discretionary = 1;
        for (size_t i = 0; i < n; i++) {
            s->n_discretionary = i + 1;
            yaml_node_t *item = rspg_yaml_node(ld, v->data.sequence.items.start[i]), *kn = NULL,
                        *vn = NULL;
            rspg_cvc_spec_item *it = &s->discretionary[i];
            const char *tag;
            it->loc = rspg_yaml_at(ld, item);
            if (rspg_yaml_single_pair(ld, item, "discretionary data object", &tag, &kn, &vn) != 0 ||
                rspg_yaml_want_string(ld, vn, "a discretionary data value", &it->value) != 0)
                return -1;
            it->tag = rspg_xstrdup(tag);
            if (rspg_cvc_spec_check("item", it->tag, it->value, msg, sizeof(msg)) != 0)
                return rspg_yaml_fail(ld, item, "%s", msg);
        }
        return 0;
    }
    if (strcmp(key, "effective") == 0) {
        const char *r = rspg_yaml_scalar(v);
        if (r && (strcmp(r, "true") == 0 || strcmp(r, "false") == 0 || strcmp(r, "True") == 0 ||
                  strcmp(r, "False") == 0))
            return rspg_yaml_want_bool(ld, v, "cvc.effective", &s->effective);
        s->effective = 1; /* a date: written, with that date */
    }
    char **slot = strcmp(key, "serial") == 0       ? &s->serial
                  : strcmp(key, "ca_id") == 0      ? &s->ca_id
                  : strcmp(key, "subject_id") == 0 ? &s->subject_id
                  : strcmp(key, "key_usage") == 0  ? &s->key_usage
                  : strcmp(key, "effective") == 0  ? &s->effective_date
                  : strcmp(key, "expiration") == 0 ? &s->expiration_date
                  : strcmp(key, "sd_image") == 0   ? &s->sd_image
                                                   : &s->key_parameter;
    char what[32];
    snprintf(what, sizeof(what), "cvc.%s", key);
    if (rspg_yaml_want_string(ld, v, what, slot) != 0)
        return -1;
    if (rspg_cvc_spec_check(key, NULL, *slot, msg, sizeof(msg)) != 0)
        return rspg_yaml_fail(ld, v, "%s", msg);
    return 0;
}

static int load_cvc(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e)
{
    static const char *const cvc_keys[] = {
        "serial",     "ca_id",    "subject_id",    "key_usage",     "effective",
        "expiration", "sd_image", "discretionary", "key_parameter", NULL};
    rspg_cvc_spec_free(e->cvc); /* a derived entity gives the whole mapping */
    e->cvc = rspg_xcalloc(1, sizeof(*e->cvc));
    e->cvc->loc = rspg_yaml_at(ld, n);
    e->cvc->effective = 1;
    return rspg_yaml_each_pair(ld, n, "cvc", cvc_keys, cvc_pair, e->cvc);
}

static int entity_role(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    const char *s = rspg_yaml_scalar(v);
    if (s == NULL || rspg_role_parse(s, &e->role) != 0)
        return rspg_yaml_fail(ld, v,
                              "unknown role '%s' (expected ci, ci-subca, eum, eum-subca, euicc, "
                              "dp-subca, ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, ds-tls, "
                              "eim-sign or eim-tls)",
                              s ? s : rspg_yaml_type_name(v));
    return 0;
}

/* The SGP.26 variants: O, Ov3 (Variant O of SGP.22 v3), A, B, C. */
static int entity_variants(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    if (rspg_yaml_want_string_or_list(ld, v, "variant", &e->variants, &e->n_variants) != 0)
        return -1;
    for (size_t i = 0; i < e->n_variants; i++) {
        const char *s = e->variants[i];
        if (strcmp(s, "O") && strcmp(s, "Ov3") && strcmp(s, "A") && strcmp(s, "B") &&
            strcmp(s, "C"))
            return rspg_yaml_fail(ld, v, "unknown variant '%s' (expected O, Ov3, A, B or C)", s);
    }
    return e->n_variants ? 0 : rspg_yaml_fail(ld, v, "variant is empty");
}

static int entity_expect(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    if (rspg_yaml_want_string(ld, v, "expect", &e->expect) != 0)
        return -1;
    if (strcmp(e->expect, "valid") != 0 && strcmp(e->expect, "invalid") != 0)
        return rspg_yaml_fail(ld, v, "expect must be valid or invalid, not '%s'", e->expect);
    return 0;
}

static int entity_corrupt(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    const char *c = rspg_yaml_scalar(v);
    if (c == NULL || strcmp(c, "signature") != 0)
        return rspg_yaml_fail(ld, v, "corrupt takes 'signature'");
    e->corrupt_signature = 1;
    return 0;
}

static int entity_trusted(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    int t;
    if (rspg_yaml_want_bool(ld, v, "trusted", &t) != 0)
        return -1;
    e->untrusted = !t;
    return 0;
}

static int entity_curves(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    if (rspg_yaml_want_string_or_list(ld, v, "curves", &e->curves, &e->n_curves) != 0)
        return -1;
    for (size_t i = 0; i < e->n_curves; i++)
        if (rspg_profile_curve(ld->p, e->curves[i]) == NULL)
            return rspg_yaml_fail(ld, v, "unknown curve key '%s' (define it under 'curves')",
                                  e->curves[i]);
    return e->n_curves ? 0 : rspg_yaml_fail(ld, v, "curves is empty");
}

static int entity_issuer(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    e->issuer_loc = rspg_yaml_at(ld, v);
    if (rspg_yaml_want_string(ld, v, "issuer", &e->issuer) != 0)
        return -1;
    if (strcmp(e->issuer, "self") == 0) {
        free(e->issuer);
        e->issuer = NULL;
    }
    return 0;
}

/* key: 'generate' or one of file, csr, public, from, pkcs11 (and a curve); replaces a base's
 * key. */
static int entity_key(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    static const char *const key_keys[] = {"file",  "csr",    "public", "from",
                                           "curve", "pkcs11", NULL};
    free(e->key.file);
    free(e->key.from);
    free(e->key.pkcs11);
    if (e->key.curve) {
        rspg_per_curve_clear(e->key.curve);
        free(e->key.curve);
    }
    memset(&e->key, 0, sizeof(e->key));
    e->key.loc = rspg_yaml_at(ld, v);
    if (v->type == YAML_SCALAR_NODE) {
        if (strcmp(rspg_yaml_scalar(v), "generate") != 0)
            return rspg_yaml_fail(ld, v,
                                  "key must be 'generate' or a mapping with file, csr, public, "
                                  "from, pkcs11 or curve");
        return 0;
    }
    key_ctx kc = {e, 0};
    if (rspg_yaml_each_pair(ld, v, "key", key_keys, key_pair, &kc) != 0)
        return -1;
    if (kc.n_sources > 1)
        return rspg_yaml_fail(ld, v,
                              "key takes one of 'file', 'csr', 'public', 'from' or "
                              "'pkcs11'");
    return 0;
}

static int entity_output(rspg_yaml_loader *ld, yaml_node_t *v, rspg_entity *e)
{
    static const char *const output_keys[] = {"dir", "cert", "key", "pubkey", "tbs", NULL};
    if (rspg_yaml_each_pair(ld, v, "output", output_keys, output_pair, e) != 0)
        return -1;
    int rc = rspg_yaml_check_rel_path(ld, v, e->dir) ||
             rspg_yaml_check_rel_path(ld, v, e->key_file) ||
             rspg_yaml_check_rel_path(ld, v, e->pubkey_file) ||
             rspg_yaml_check_rel_path(ld, v, e->tbs_file);
    for (size_t i = 0; i < e->n_cert_files && !rc; i++)
        rc = rspg_yaml_check_rel_path(ld, v, e->cert_files[i]);
    return rc;
}

/* One key of an entity mapping (checked against entity_keys by the caller). */
static int entity_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx)
{
    static const char *const validity_keys[] = {"not_before", "offset_days", "days", "not_after",
                                                NULL};
    rspg_entity *e = ctx;
#define IS(name) (strcmp(key, name) == 0)
    if (IS("id") || IS("base") || IS("patch_extensions"))
        return 0; /* id and base by the caller, patch_extensions after the other keys */
    if (IS("role"))
        return entity_role(ld, v, e);
    if (IS("variant"))
        return entity_variants(ld, v, e);
    if (IS("name"))
        return rspg_yaml_want_string(ld, v, "name", &e->name);
    if (IS("note"))
        return rspg_yaml_want_string(ld, v, "note", &e->note);
    if (IS("expect"))
        return entity_expect(ld, v, e);
    if (IS("case"))
        return rspg_yaml_want_string(ld, v, "case", &e->case_id);
    if (IS("reason"))
        return rspg_yaml_want_string(ld, v, "reason", &e->reason) ||
               rspg_yaml_check_reason(ld, v, e->reason);
    if (IS("twin"))
        return rspg_yaml_want_string(ld, v, "twin", &e->twin);
    if (IS("corrupt"))
        return entity_corrupt(ld, v, e);
    if (IS("beyond_sgp26"))
        return rspg_yaml_want_bool(ld, v, "beyond_sgp26", &e->beyond_sgp26);
    if (IS("trusted"))
        return entity_trusted(ld, v, e);
    if (IS("curves"))
        return entity_curves(ld, v, e);
    if (IS("issuer"))
        return entity_issuer(ld, v, e);
    if (IS("subject"))
        return rspg_yaml_load_dn(ld, v, "subject", &e->subject);
    if (IS("serial"))
        return load_per_curve(ld, v, "serial", &e->serial) || check_serial_text(ld, &e->serial, v);
    if (IS("validity"))
        return rspg_yaml_each_pair(ld, v, "validity", validity_keys, validity_pair, e);
    if (IS("key"))
        return entity_key(ld, v, e);
    if (IS("extensions"))
        return rspg_yaml_load_exts(ld, v, e);
    if (IS("cvc"))
        return load_cvc(ld, v, e);
    if (IS("output"))
        return entity_output(ld, v, e);
#undef IS
    return rspg_yaml_fail(ld, k, "unhandled key '%s'", key);
}

static int find_entity_index(rspg_yaml_loader *ld, const char *id)
{
    for (size_t i = 0; i < ld->p->n_entities; i++)
        if (ld->p->entities[i].id && strcmp(ld->p->entities[i].id, id) == 0)
            return (int)i;
    return -1;
}

int rspg_yaml_load_entity_node(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e, int depth)
{
    static const char *const entity_keys[] = {
        "id",         "base",
        "role",       "variant",
        "name",       "note",
        "curves",     "issuer",
        "subject",    "serial",
        "validity",   "key",
        "extensions", "output",
        "expect",     "case",
        "reason",     "twin",
        "corrupt",    "beyond_sgp26",
        "trusted",    "patch_extensions",
        "cvc",        NULL,
    };
    if (n->type != YAML_MAPPING_NODE)
        return rspg_yaml_fail(ld, n, "an entity must be a mapping, not %s", rspg_yaml_type_name(n));
    /* base: apply the base entity's keys first, then ours */
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *key = rspg_yaml_scalar(rspg_yaml_node(ld, pr->key));
        if (key && strcmp(key, "base") == 0) {
            yaml_node_t *v = rspg_yaml_node(ld, pr->value);
            const char *base = rspg_yaml_scalar(v);
            int idx = base ? find_entity_index(ld, base) : -1;
            if (base == NULL)
                return rspg_yaml_fail(ld, v, "base must be an entity id");
            if (idx < 0)
                return rspg_yaml_fail(
                    ld, v, "base '%s' is not an entity defined earlier in the list", base);
            if (depth > RSPG_MAX_DEPTH)
                return rspg_yaml_fail(ld, v, "base chain deeper than %d", RSPG_MAX_DEPTH);
            if (rspg_yaml_load_entity_node(ld, rspg_yaml_node(ld, ld->entity_nodes[idx]), e,
                                           depth + 1) != 0)
                return -1;
            if (depth == 0) {
                /* a derived entity's valid twin is its base, unless it says otherwise */
                free(e->twin);
                e->twin = rspg_xstrdup(base);
                free(e->expect);
                e->expect = NULL;
                free(e->case_id);
                e->case_id = NULL;
                free(e->reason);
                e->reason = NULL;
                e->corrupt_signature = 0;
                e->beyond_sgp26 = 0;
            }
        }
    }
    if (rspg_yaml_each_pair(ld, n, "entity", entity_keys, entity_pair, e) != 0)
        return -1;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *key = rspg_yaml_scalar(rspg_yaml_node(ld, pr->key));
        if (key && strcmp(key, "patch_extensions") == 0 &&
            rspg_yaml_patch_exts(ld, rspg_yaml_node(ld, pr->value), e) != 0)
            return -1;
    }
    return 0;
}

int rspg_yaml_load_entity(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e)
{
    yaml_node_t *id_node = NULL;
    if (n->type != YAML_MAPPING_NODE)
        return rspg_yaml_fail(ld, n, "an entity must be a mapping, not %s", rspg_yaml_type_name(n));
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *key = rspg_yaml_scalar(rspg_yaml_node(ld, pr->key));
        if (key && strcmp(key, "id") == 0)
            id_node = rspg_yaml_node(ld, pr->value);
    }
    e->loc = rspg_yaml_at(ld, n);
    if (id_node == NULL)
        return rspg_yaml_fail(ld, n, "entity has no 'id'");
    const char *id = rspg_yaml_scalar(id_node);
    if (id == NULL || *id == '\0' ||
        strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789._-") != strlen(id))
        return rspg_yaml_fail(ld, id_node, "entity id must be letters, digits, '.', '_' or '-'");
    if (strcmp(id, "self") == 0)
        return rspg_yaml_fail(ld, id_node, "'self' is reserved for self-signed issuers");
    int dup = find_entity_index(ld, id);
    if (dup >= 0)
        return rspg_yaml_fail(ld, id_node, "duplicate entity id '%s' (first at line %u)", id,
                              ld->p->entities[dup].loc.line);
    e->id = rspg_xstrdup(id);
    return 0;
}
