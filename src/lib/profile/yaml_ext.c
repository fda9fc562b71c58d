/*
 * yaml_ext.c: the extensions of an entity (RFC 5280 §4.2): each kind with its parameters,
 * an entity's extension list (no kind twice), and patch_extensions for invalid twins.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile_internal.h"
#include "profile/yaml_internal.h"

static const struct {
    const char *name;
    unsigned bit;
} ku_names[] = {
    {"digitalSignature", RSPG_KU_DIGITAL_SIGNATURE},
    {"nonRepudiation", RSPG_KU_NON_REPUDIATION},
    {"keyEncipherment", RSPG_KU_KEY_ENCIPHERMENT},
    {"dataEncipherment", RSPG_KU_DATA_ENCIPHERMENT},
    {"keyAgreement", RSPG_KU_KEY_AGREEMENT},
    {"keyCertSign", RSPG_KU_KEY_CERT_SIGN},
    {"cRLSign", RSPG_KU_CRL_SIGN},
    {"encipherOnly", RSPG_KU_ENCIPHER_ONLY},
    {"decipherOnly", RSPG_KU_DECIPHER_ONLY},
};

static const struct {
    const char *name, *oid;
} eku_names[] = {
    {"serverAuth", "1.3.6.1.5.5.7.3.1"},   {"clientAuth", "1.3.6.1.5.5.7.3.2"},
    {"codeSigning", "1.3.6.1.5.5.7.3.3"},  {"emailProtection", "1.3.6.1.5.5.7.3.4"},
    {"timeStamping", "1.3.6.1.5.5.7.3.8"}, {"ocspSigning", "1.3.6.1.5.5.7.3.9"},
};

/* Item I of list node V. */
static yaml_node_t *item_at(rspg_yaml_loader *ld, yaml_node_t *v, size_t i)
{
    return rspg_yaml_node(ld, v->data.sequence.items.start[i]);
}

/* Hex digits into E's value (key_id of SKI/AKI: not empty; raw value: may be empty). */
static int hex_value(rspg_yaml_loader *ld, yaml_node_t *v, const char *what, int need_bytes,
                     rspg_ext *e, const char *msg)
{
    char *hex = NULL;
    if (rspg_yaml_want_string(ld, v, what, &hex) != 0)
        return -1;
    rspg_buf_reset(&e->value);
    int bad = rspg_unhex(hex, &e->value) != 0 || (need_bytes && e->value.len == 0);
    free(hex);
    return bad ? rspg_yaml_fail(ld, v, "%s", msg) : 0;
}

static int basic_constraints(rspg_yaml_loader *ld, const char *key, yaml_node_t *v, rspg_ext *e)
{
    if (strcmp(key, "ca") == 0)
        return rspg_yaml_want_bool(ld, v, "ca", &e->ca);
    long long pl;
    if (rspg_yaml_want_int(ld, v, "path_len", 0, 1000000, &pl) != 0)
        return -1;
    e->path_len = (long)pl;
    return 0;
}

static int key_usage(rspg_yaml_loader *ld, yaml_node_t *v, rspg_ext *e)
{
    if (v->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(ld, v, "usage must be a list, not %s", rspg_yaml_type_name(v));
    e->key_usage = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = rspg_yaml_node(ld, *it);
        const char *s = rspg_yaml_scalar(item);
        size_t i;
        for (i = 0; s && i < sizeof(ku_names) / sizeof(ku_names[0]); i++)
            if (strcmp(ku_names[i].name, s) == 0)
                break;
        if (s == NULL || i == sizeof(ku_names) / sizeof(ku_names[0]))
            return rspg_yaml_fail(
                ld, item,
                "unknown key usage '%s' (expected digitalSignature, nonRepudiation, "
                "keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, "
                "cRLSign, encipherOnly or decipherOnly)",
                s ? s : rspg_yaml_type_name(item));
        e->key_usage |= ku_names[i].bit;
    }
    if (e->key_usage == 0)
        return rspg_yaml_fail(ld, v, "key usage needs at least one bit (RFC 5280 §4.2.1.3)");
    return 0;
}

/* Purposes by name (replaced by their OIDs) or as OIDs. */
static int ext_key_usage(rspg_yaml_loader *ld, yaml_node_t *v, rspg_ext *e)
{
    if (rspg_yaml_want_string_list(ld, v, "usage", &e->items, &e->n_items) != 0)
        return -1;
    for (size_t i = 0; i < e->n_items; i++) {
        size_t j;
        for (j = 0; j < sizeof(eku_names) / sizeof(eku_names[0]); j++)
            if (strcmp(eku_names[j].name, e->items[i]) == 0)
                break;
        if (j < sizeof(eku_names) / sizeof(eku_names[0])) {
            free(e->items[i]);
            e->items[i] = rspg_xstrdup(eku_names[j].oid);
        } else if (!isdigit((unsigned char)e->items[i][0])) {
            return rspg_yaml_fail(
                ld, item_at(ld, v, i),
                "unknown extended key usage '%s' (expected serverAuth, clientAuth, "
                "codeSigning, emailProtection, timeStamping, ocspSigning or an OID)",
                e->items[i]);
        } else if (rspg_yaml_check_oid(ld, item_at(ld, v, i), e->items[i]) != 0) {
            return -1;
        }
    }
    if (e->n_items == 0)
        return rspg_yaml_fail(ld, v, "extended key usage needs at least one purpose");
    return 0;
}

static int policies(rspg_yaml_loader *ld, yaml_node_t *v, rspg_ext *e)
{
    if (rspg_yaml_want_string_list(ld, v, "policies", &e->items, &e->n_items) != 0)
        return -1;
    for (size_t i = 0; i < e->n_items; i++)
        if (rspg_yaml_check_oid(ld, item_at(ld, v, i), e->items[i]) != 0)
            return -1;
    if (e->n_items == 0)
        return rspg_yaml_fail(ld, v, "certificate policies need at least one policy");
    return 0;
}

/* permittedEins (the SGP.22 v3 EUM extension): EIN prefixes, decimal digits. */
static int permitted_eins(rspg_yaml_loader *ld, yaml_node_t *v, rspg_ext *e)
{
    if (rspg_yaml_want_string_list(ld, v, "eins", &e->items, &e->n_items) != 0)
        return -1;
    for (size_t i = 0; i < e->n_items; i++) {
        const char *s = e->items[i];
        if (*s == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 32)
            return rspg_yaml_fail(ld, item_at(ld, v, i),
                                  "an EIN is 1 to 32 decimal digits, not '%s'", s);
    }
    return e->n_items ? 0 : rspg_yaml_fail(ld, v, "permitted_eins needs at least one EIN");
}

static int raw(rspg_yaml_loader *ld, const char *key, yaml_node_t *v, rspg_ext *e)
{
    if (strcmp(key, "oid") == 0) {
        if (rspg_yaml_want_string(ld, v, "oid", &e->oid) != 0)
            return -1;
        return rspg_yaml_check_oid(ld, v, e->oid);
    }
    return hex_value(ld, v, "value", 0, e, "value must be hex digits (the DER extnValue contents)");
}

/* One parameter KEY of extension E (its kind is known; KEY is one of its params[]). */
static int ext_param(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *ctx)
{
    rspg_ext *e = ctx;
    (void)k;
    if (strcmp(key, "critical") == 0)
        return rspg_yaml_want_bool(ld, v, "critical", &e->critical);
    switch (e->kind) {
    case RSPG_EXT_SKI:
    case RSPG_EXT_AKI:
        return hex_value(ld, v, "key_id", 1, e, "key_id must be hex digits");
    case RSPG_EXT_BASIC_CONSTRAINTS:
        return basic_constraints(ld, key, v, e);
    case RSPG_EXT_KEY_USAGE:
        return key_usage(ld, v, e);
    case RSPG_EXT_EXT_KEY_USAGE:
        return ext_key_usage(ld, v, e);
    case RSPG_EXT_CERT_POLICIES:
        return policies(ld, v, e);
    case RSPG_EXT_SAN:
        if (rspg_yaml_load_general_names(ld, v, "names", &e->names, &e->n_names) != 0)
            return -1;
        return e->n_names ? 0 : rspg_yaml_fail(ld, v, "subject_alt_name needs at least one name");
    case RSPG_EXT_NAME_CONSTRAINTS:
        if (rspg_yaml_load_general_names(ld, v, "permitted", &e->names, &e->n_names) != 0)
            return -1;
        return e->n_names ? 0
                          : rspg_yaml_fail(ld, v, "name_constraints needs at least one subtree");
    case RSPG_EXT_CRL_DP:
        if (rspg_yaml_want_string_list(ld, v, "uris", &e->items, &e->n_items) != 0)
            return -1;
        return e->n_items ? 0
                          : rspg_yaml_fail(ld, v, "crl_distribution_points needs at least one URI");
    case RSPG_EXT_PERMITTED_EINS:
        return permitted_eins(ld, v, e);
    case RSPG_EXT_RAW:
        return raw(ld, key, v, e);
    default:
        return -1;
    }
}

static int load_ext(rspg_yaml_loader *ld, yaml_node_t *item, rspg_ext *e)
{
    static const char *const p_id[] = {"critical", "key_id", NULL};
    static const char *const p_bc[] = {"critical", "ca", "path_len", NULL};
    static const char *const p_usage[] = {"critical", "usage", NULL};
    static const char *const p_pol[] = {"critical", "policies", NULL};
    static const char *const p_san[] = {"critical", "names", NULL};
    static const char *const p_dp[] = {"critical", "uris", NULL};
    static const char *const p_nc[] = {"critical", "permitted", NULL};
    static const char *const p_eins[] = {"critical", "eins", NULL};
    static const char *const p_raw[] = {"critical", "oid", "value", NULL};
    static const char *const *params[RSPG_EXT_COUNT] = {
        p_id, p_id, p_bc, p_usage, p_usage, p_pol, p_san, p_dp, p_nc, p_eins, p_raw,
    };
    static const char *const required[RSPG_EXT_COUNT] = {
        NULL, NULL, "ca", "usage", "usage", "policies", "names", "uris", "permitted", "eins", "oid",
    };
    const char *key;
    yaml_node_t *k = NULL, *v = NULL;
    if (rspg_yaml_single_pair(ld, item, "extension", &key, &k, &v) != 0)
        return -1;
    int kind;
    for (kind = 0; kind < RSPG_EXT_COUNT; kind++)
        if (strcmp(rspg_ext_kind_name((rspg_ext_kind)kind), key) == 0)
            break;
    if (kind == RSPG_EXT_COUNT)
        return rspg_yaml_fail(
            ld, k,
            "unknown extension '%s' (expected subject_key_identifier, "
            "authority_key_identifier, basic_constraints, key_usage, extended_key_usage, "
            "certificate_policies, subject_alt_name, crl_distribution_points, "
            "name_constraints, permitted_eins or raw)",
            key);
    e->kind = (rspg_ext_kind)kind;
    e->loc = rspg_yaml_at(ld, k);
    e->path_len = -1;
    if (v->type == YAML_SCALAR_NODE && rspg_yaml_scalar(v)[0] == '\0' && required[kind] == NULL)
        return 0; /* "- subject_key_identifier:" with nothing after it */
    char what[64];
    snprintf(what, sizeof(what), "extension %s", key);
    if (rspg_yaml_each_pair(ld, v, what, params[kind], ext_param, e) != 0)
        return -1;
    if (required[kind]) {
        int found = 0;
        for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
             pr++)
            if (strcmp(rspg_yaml_scalar(rspg_yaml_node(ld, pr->key)), required[kind]) == 0)
                found = 1;
        if (!found)
            return rspg_yaml_fail(ld, v, "extension %s needs '%s'", key, required[kind]);
    }
    if (e->kind == RSPG_EXT_RAW && e->value.len == 0)
        return rspg_yaml_fail(ld, v, "extension raw needs 'value'");
    if (e->kind == RSPG_EXT_BASIC_CONSTRAINTS && e->path_len >= 0 && !e->ca)
        return rspg_yaml_fail(ld, v, "path_len is only allowed with ca: true (RFC 5280 §4.2.1.9)");
    return 0;
}

/* patch_extensions: each item replaces the extension of the same kind in place (or is
 * appended when there is none), or is `remove: KIND`. For invalid twins of a valid entity. */
int rspg_yaml_patch_exts(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(ld, n, "patch_extensions must be a list, not %s",
                              rspg_yaml_type_name(n));
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *item = rspg_yaml_node(ld, *it), *k = NULL, *v = NULL;
        const char *key;
        if (rspg_yaml_single_pair(ld, item, "extension patch", &key, &k, &v) != 0)
            return -1;
        if (strcmp(key, "remove") == 0) {
            const char *kind = rspg_yaml_scalar(v);
            size_t i;
            for (i = 0; kind && i < e->n_exts; i++)
                if (strcmp(rspg_ext_kind_name(e->exts[i].kind), kind) == 0)
                    break;
            if (kind == NULL || i == e->n_exts)
                return rspg_yaml_fail(ld, v, "remove: the entity has no extension '%s'",
                                      kind ? kind : rspg_yaml_type_name(v));
            rspg_ext_clear(&e->exts[i]);
            memmove(&e->exts[i], &e->exts[i + 1], (e->n_exts - i - 1) * sizeof(rspg_ext));
            e->n_exts--;
            continue;
        }
        rspg_ext x;
        memset(&x, 0, sizeof(x));
        if (load_ext(ld, item, &x) != 0) {
            rspg_ext_clear(&x);
            return -1;
        }
        size_t i;
        for (i = 0; i < e->n_exts; i++)
            if (e->exts[i].kind == x.kind && x.kind != RSPG_EXT_RAW)
                break;
        if (i == e->n_exts) {
            e->exts = rspg_xrealloc(e->exts, (e->n_exts + 1) * sizeof(rspg_ext));
            e->n_exts++;
        } else {
            rspg_ext_clear(&e->exts[i]);
        }
        e->exts[i] = x;
    }
    return 0;
}

int rspg_yaml_load_exts(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(ld, n, "extensions must be a list, not %s", rspg_yaml_type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (size_t i = 0; i < e->n_exts; i++)
        rspg_ext_clear(&e->exts[i]);
    free(e->exts);
    e->exts = rspg_xcalloc(len ? len : 1, sizeof(rspg_ext));
    e->n_exts = len;
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = rspg_yaml_node(ld, n->data.sequence.items.start[i]);
        if (load_ext(ld, item, &e->exts[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (e->exts[j].kind == e->exts[i].kind && e->exts[i].kind != RSPG_EXT_RAW)
                return rspg_yaml_fail(ld, item, "extension %s appears twice (RFC 5280 §4.2)",
                                      rspg_ext_kind_name(e->exts[i].kind));
    }
    return 0;
}
