/*
 * profile_yaml.c: YAML (libyaml document API) -> profile model. The only file that
 * includes <yaml.h>. Every key is checked against the schema of its context; unknown
 * keys, duplicate keys, wrong types and bad values are errors located by libyaml's marks.
 * A first pass over libyaml's events refuses aliases (no billion laughs) and limits
 * nesting depth; cross-entity checks (issuers exist, no cycles, curves match) run last.
 * The format is documented in docs/profile-format.md.
 */
#include "rspg/profile/profile.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "profile/profile_compose.h"
#include "profile/profile_internal.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/asn1/der.h"

#define SCHEMA_ID "rsp-pkigen/profile/1"

struct var {
    char *name, *value;
};

struct loader {
    const char *name;
    rspg_diag *d;
    yaml_document_t doc;
    rspg_profile *p;
    struct var *vars;
    size_t n_vars;
    int *entity_nodes; /* mapping node index per loaded entity, for base: */
    const rspg_load_options *opts;
    int *override_used;
    rspg_composed comp; /* which file each node came from (extends:, --set) */
};

static rspg_loc at(const struct loader *ld, const yaml_node_t *n)
{
    return (rspg_loc){rspg_composed_file(&ld->comp, &ld->doc, n, ld->name),
                      (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};
}

static yaml_node_t *node(struct loader *ld, int index)
{
    return yaml_document_get_node(&ld->doc, index);
}

static const char *type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

static int fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
    RSPG_PRINTF(3, 4);
static int fail(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rspg_fail_at(ld->d, at(ld, n), "%s", msg);
    return -1;
}

static const char *raw_scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Expands ${var}; keeps ${CURVE} and ${VARIANT} for the builder. */
static int expand(struct loader *ld, const yaml_node_t *n, const char *s, char **out)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (const char *p = s; *p;) {
        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            rspg_buf_puts(&b, "$${");
            p += 3;
            continue;
        }
        if (p[0] == '$' && p[1] == '{') {
            const char *end = strchr(p, '}');
            if (end == NULL) {
                rspg_buf_free(&b);
                return fail(ld, n, "unterminated '${' in '%s'", s);
            }
            char *name = rspg_xstrndup(p + 2, (size_t)(end - p - 2));
            if (strcmp(name, "CURVE") == 0 || strcmp(name, "VARIANT") == 0) {
                rspg_buf_append(&b, p, (size_t)(end - p + 1));
            } else {
                size_t i;
                for (i = 0; i < ld->n_vars; i++)
                    if (strcmp(ld->vars[i].name, name) == 0)
                        break;
                if (i == ld->n_vars) {
                    fail(ld, n, "unknown variable '${%s}' (define it under 'vars')", name);
                    free(name);
                    rspg_buf_free(&b);
                    return -1;
                }
                if (ld->vars[i].value == NULL) {
                    /* a variable whose own value was refused (already reported) */
                    free(name);
                    rspg_buf_free(&b);
                    return -1;
                }
                rspg_buf_puts(&b, ld->vars[i].value);
            }
            free(name);
            p = end + 1;
            continue;
        }
        rspg_buf_push(&b, (uint8_t)*p++);
    }
    if (b.len > RSPG_MAX_STRING) {
        rspg_buf_free(&b);
        return fail(ld, n, "string longer than %u characters", RSPG_MAX_STRING);
    }
    rspg_buf_push(&b, 0);
    *out = (char *)b.data;
    return 0;
}

static int want_string(struct loader *ld, const yaml_node_t *n, const char *what, char **out)
{
    const char *s = raw_scalar(n);
    if (s == NULL)
        return fail(ld, n, "%s must be a string, not %s", what, type_name(n));
    char *v = NULL;
    if (expand(ld, n, s, &v) != 0)
        return -1;
    free(*out);
    *out = v;
    return 0;
}

static int want_bool(struct loader *ld, const yaml_node_t *n, const char *what, int *out)
{
    const char *s = raw_scalar(n);
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0)) {
        *out = 1;
        return 0;
    }
    if (s && (strcmp(s, "false") == 0 || strcmp(s, "False") == 0)) {
        *out = 0;
        return 0;
    }
    return fail(ld, n, "%s must be true or false", what);
}

static int want_int(struct loader *ld, const yaml_node_t *n, const char *what, long long min,
                    long long max, long long *out)
{
    const char *raw = raw_scalar(n);
    char *s = NULL, *end = NULL;
    if (raw == NULL || *raw == '\0')
        return fail(ld, n, "%s must be an integer", what);
    if (expand(ld, n, raw, &s) != 0)
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    int rc = 0;
    if (*s == '\0' || *end != '\0' || errno)
        rc = fail(ld, n, "%s must be an integer, not '%s'", what, s);
    else if (v < min || v > max)
        rc = fail(ld, n, "%s must be between %lld and %lld, not %lld", what, min, max, v);
    else
        *out = v;
    free(s);
    return rc;
}

/* Iterates over a mapping, checking keys against ALLOWED (NULL-terminated) and for
 * duplicates. Calls FN for each pair; stops at the first error of FN. */
typedef int (*pair_fn)(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx);

static int join_allowed(const char *const *allowed, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; allowed[i]; i++) {
        if (i)
            strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, allowed[i], n - strlen(buf) - 1);
    }
    return 0;
}

static int each_pair(struct loader *ld, yaml_node_t *map, const char *what,
                     const char *const *allowed, pair_fn fn, void *ctx)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail(ld, map, "%s must be a mapping, not %s", what, type_name(map));
    int rc = 0;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node(ld, pr->key), *v = node(ld, pr->value);
        const char *key = raw_scalar(k);
        if (key == NULL) {
            fail(ld, k, "keys of %s must be strings", what);
            rc = -1;
            continue;
        }
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
            const char *other = raw_scalar(node(ld, q->key));
            if (other && strcmp(other, key) == 0) {
                yaml_node_t *first = node(ld, q->key);
                fail(ld, k, "duplicate key '%s' in %s (first at line %u)", key, what,
                     (unsigned)first->start_mark.line + 1);
                return -1;
            }
        }
        if (allowed) {
            size_t i;
            for (i = 0; allowed[i]; i++)
                if (strcmp(allowed[i], key) == 0)
                    break;
            if (allowed[i] == NULL) {
                char list[512];
                join_allowed(allowed, list, sizeof(list));
                fail(ld, k, "unknown key '%s' in %s (expected one of: %s)", key, what, list);
                rc = -1;
                continue;
            }
        }
        if (fn(ld, key, k, v, ctx) != 0) {
            rc = -1;
        }
    }
    return rc;
}

/* A one-key mapping, as used by subject attributes, extensions and general names. */
static int single_pair(struct loader *ld, yaml_node_t *n, const char *what, const char **key,
                       yaml_node_t **knode, yaml_node_t **value)
{
    if (n->type != YAML_MAPPING_NODE ||
        n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
        return fail(ld, n, "each %s must be a mapping with exactly one key", what);
    yaml_node_pair_t *pr = n->data.mapping.pairs.start;
    *knode = node(ld, pr->key);
    *value = node(ld, pr->value);
    *key = raw_scalar(*knode);
    if (*key == NULL)
        return fail(ld, *knode, "the key of a %s must be a string", what);
    return 0;
}

/* Fails when the key of pair PR of mapping MAP already appeared before it (for the
 * mappings that are not read with each_pair). */
static int unique_key(struct loader *ld, yaml_node_t *map, yaml_node_pair_t *pr, const char *what)
{
    const char *key = raw_scalar(node(ld, pr->key));
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; key && q < pr; q++) {
        const char *other = raw_scalar(node(ld, q->key));
        if (other && strcmp(other, key) == 0)
            return fail(ld, node(ld, pr->key), "duplicate key '%s' in %s (first at line %u)", key,
                        what, (unsigned)node(ld, q->key)->start_mark.line + 1);
    }
    return 0;
}

static int want_string_list(struct loader *ld, yaml_node_t *n, const char *what, char ***out,
                            size_t *count)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ld, n, "%s must be a list, not %s", what, type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char **v = rspg_xcalloc(len, sizeof(char *));
    for (size_t i = 0; i < len; i++) {
        if (want_string(ld, node(ld, n->data.sequence.items.start[i]), what, &v[i]) != 0) {
            for (size_t j = 0; j < len; j++)
                free(v[j]);
            free(v);
            return -1;
        }
    }
    for (size_t j = 0; j < *count; j++)
        free((*out)[j]);
    free(*out);
    *out = v;
    *count = len;
    return 0;
}

/* A string or a list of strings. */
static int want_string_or_list(struct loader *ld, yaml_node_t *n, const char *what, char ***out,
                               size_t *count)
{
    if (n->type == YAML_SCALAR_NODE) {
        char *s = NULL;
        if (want_string(ld, n, what, &s) != 0)
            return -1;
        for (size_t j = 0; j < *count; j++)
            free((*out)[j]);
        free(*out);
        *out = rspg_xcalloc(1, sizeof(char *));
        (*out)[0] = s;
        *count = 1;
        return 0;
    }
    return want_string_list(ld, n, what, out, count);
}

static int check_oid(struct loader *ld, yaml_node_t *n, const char *oid)
{
    rspg_buf b;
    rspg_buf_init(&b);
    int rc = rspg_der_oid_from_text(oid, &b);
    rspg_buf_free(&b);
    if (rc != 0)
        return fail(ld, n, "'%s' is not an object identifier (dotted decimal expected)", oid);
    return 0;
}

/* ---- distinguished names ---- */

static const struct {
    const char *key, *oid;
    rspg_string_type type;
} attr_types[] = {
    {"CN", "2.5.4.3", RSPG_STR_UTF8},
    {"serialNumber", "2.5.4.5", RSPG_STR_PRINTABLE},
    {"C", "2.5.4.6", RSPG_STR_PRINTABLE},
    {"L", "2.5.4.7", RSPG_STR_UTF8},
    {"ST", "2.5.4.8", RSPG_STR_UTF8},
    {"O", "2.5.4.10", RSPG_STR_UTF8},
    {"OU", "2.5.4.11", RSPG_STR_UTF8},
    {"emailAddress", "1.2.840.113549.1.9.1", RSPG_STR_IA5},
    {"DC", "0.9.2342.19200300.100.1.25", RSPG_STR_IA5},
};

static int printable_char(int c)
{
    /* X.680 §41.4 PrintableString */
    return isalnum(c) || strchr(" '()+,-./:=?", c) != NULL;
}

static int check_attr_value(struct loader *ld, yaml_node_t *n, const rspg_attr *a)
{
    const unsigned char *s = (const unsigned char *)a->value;
    if (*s == '\0')
        return fail(ld, n, "attribute %s is empty", a->key);
    if (strlen(a->value) > 64 && strcmp(a->oid, "2.5.4.5") != 0)
        return fail(ld, n, "attribute %s is longer than 64 characters (RFC 5280 upper bound)",
                    a->key);
    if (strstr(a->value, "${") != NULL)
        return 0; /* checked per curve by the builder */
    if (a->type == RSPG_STR_PRINTABLE) {
        for (; *s; s++)
            if (*s >= 0x80 || !printable_char(*s))
                return fail(ld, n, "character '%c' is not allowed in a PrintableString (%s)",
                            *s >= 0x20 && *s < 0x7F ? *s : '?', a->key);
    } else if (a->type == RSPG_STR_IA5) {
        for (; *s; s++)
            if (*s >= 0x80)
                return fail(ld, n, "non-ASCII character in an IA5String (%s)", a->key);
    }
    if (strcmp(a->oid, "2.5.4.6") == 0 &&
        (strlen(a->value) != 2 || !isalpha((unsigned char)a->value[0]) ||
         !isalpha((unsigned char)a->value[1])))
        return fail(ld, n, "country (C) must be two letters, not '%s'", a->value);
    return 0;
}

static int load_attr(struct loader *ld, yaml_node_t *item, rspg_attr *a)
{
    const char *key;
    yaml_node_t *k = NULL, *v = NULL;
    if (single_pair(ld, item, "subject attribute", &key, &k, &v) != 0)
        return -1;
    a->key = rspg_xstrdup(key);
    a->loc = at(ld, v);
    size_t i;
    for (i = 0; i < sizeof(attr_types) / sizeof(attr_types[0]); i++)
        if (strcmp(attr_types[i].key, key) == 0)
            break;
    if (i < sizeof(attr_types) / sizeof(attr_types[0])) {
        a->oid = rspg_xstrdup(attr_types[i].oid);
        a->type = attr_types[i].type;
    } else if (isdigit((unsigned char)key[0])) {
        if (check_oid(ld, k, key) != 0)
            return -1;
        a->oid = rspg_xstrdup(key);
        a->type = RSPG_STR_UTF8;
    } else {
        return fail(ld, k,
                    "unknown attribute '%s' (expected CN, O, OU, C, L, ST, serialNumber, "
                    "emailAddress, DC or a dotted OID)",
                    key);
    }
    if (v->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *kk = node(ld, pr->key), *vv = node(ld, pr->value);
            const char *name = raw_scalar(kk);
            if (unique_key(ld, v, pr, "subject attribute") != 0)
                return -1;
            if (name && strcmp(name, "value") == 0) {
                if (want_string(ld, vv, "value", &a->value) != 0)
                    return -1;
            } else if (name && strcmp(name, "type") == 0) {
                const char *t = raw_scalar(vv);
                if (t && strcmp(t, "utf8") == 0)
                    a->type = RSPG_STR_UTF8;
                else if (t && strcmp(t, "printable") == 0)
                    a->type = RSPG_STR_PRINTABLE;
                else if (t && strcmp(t, "ia5") == 0)
                    a->type = RSPG_STR_IA5;
                else
                    return fail(ld, vv, "unknown string type '%s' (expected utf8, printable or ia5)",
                                t ? t : type_name(vv));
            } else {
                return fail(ld, kk, "unknown key '%s' in subject attribute (expected one of: "
                                    "value, type)",
                            name ? name : "?");
            }
        }
        if (a->value == NULL)
            return fail(ld, v, "attribute %s has no value", key);
    } else if (want_string(ld, v, "an attribute value", &a->value) != 0) {
        return -1;
    }
    return check_attr_value(ld, v, a);
}

static int load_dn(struct loader *ld, yaml_node_t *n, const char *what, rspg_dn *dn)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ld, n, "%s must be a list of one-key mappings (e.g. '- CN: Test CI'), not %s",
                    what, type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (len == 0)
        return fail(ld, n, "%s is empty", what);
    rspg_dn_clear(dn);
    dn->attrs = rspg_xcalloc(len, sizeof(rspg_attr));
    dn->count = len;
    for (size_t i = 0; i < len; i++)
        if (load_attr(ld, node(ld, n->data.sequence.items.start[i]), &dn->attrs[i]) != 0)
            return -1;
    return 0;
}

/* ---- general names (SAN, name constraints) ---- */

static int load_general_names(struct loader *ld, yaml_node_t *n, const char *what,
                              rspg_general_name **out, size_t *count)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ld, n, "%s must be a list, not %s", what, type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    rspg_general_name *v = rspg_xcalloc(len ? len : 1, sizeof(*v));
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        yaml_node_t *item = node(ld, n->data.sequence.items.start[i]), *k = NULL, *val = NULL;
        const char *key;
        if (single_pair(ld, item, "name", &key, &k, &val) != 0) {
            rc = -1;
            break;
        }
        v[i].loc = at(ld, val);
        if (strcmp(key, "dns") == 0) {
            v[i].kind = RSPG_GN_DNS;
            rc = want_string(ld, val, "dns", &v[i].value);
        } else if (strcmp(key, "uri") == 0) {
            v[i].kind = RSPG_GN_URI;
            rc = want_string(ld, val, "uri", &v[i].value);
        } else if (strcmp(key, "email") == 0) {
            v[i].kind = RSPG_GN_EMAIL;
            rc = want_string(ld, val, "email", &v[i].value);
        } else if (strcmp(key, "rid") == 0) {
            v[i].kind = RSPG_GN_RID;
            rc = want_string(ld, val, "rid", &v[i].value);
            if (rc == 0)
                rc = check_oid(ld, val, v[i].value);
        } else if (strcmp(key, "dir") == 0) {
            v[i].kind = RSPG_GN_DIRNAME;
            rc = load_dn(ld, val, "dir", &v[i].dn);
        } else {
            rc = fail(ld, k, "unknown name type '%s' (expected dns, uri, email, rid or dir)", key);
        }
        if (rc == 0 && v[i].value) {
            for (const unsigned char *s = (const unsigned char *)v[i].value; *s; s++)
                if (*s >= 0x80 || *s < 0x20) {
                    rc = fail(ld, val, "%s names must be printable ASCII (IA5String)", key);
                    break;
                }
        }
    }
    rspg_general_names_free(*out, *count);
    *out = v;
    *count = len;
    return rc;
}

/* ---- extensions ---- */

static const struct {
    const char *name;
    unsigned bit;
} ku_names[] = {
    {"digitalSignature", RSPG_KU_DIGITAL_SIGNATURE}, {"nonRepudiation", RSPG_KU_NON_REPUDIATION},
    {"keyEncipherment", RSPG_KU_KEY_ENCIPHERMENT},   {"dataEncipherment", RSPG_KU_DATA_ENCIPHERMENT},
    {"keyAgreement", RSPG_KU_KEY_AGREEMENT},         {"keyCertSign", RSPG_KU_KEY_CERT_SIGN},
    {"cRLSign", RSPG_KU_CRL_SIGN},                   {"encipherOnly", RSPG_KU_ENCIPHER_ONLY},
    {"decipherOnly", RSPG_KU_DECIPHER_ONLY},
};

static const struct {
    const char *name, *oid;
} eku_names[] = {
    {"serverAuth", "1.3.6.1.5.5.7.3.1"},      {"clientAuth", "1.3.6.1.5.5.7.3.2"},
    {"codeSigning", "1.3.6.1.5.5.7.3.3"},     {"emailProtection", "1.3.6.1.5.5.7.3.4"},
    {"timeStamping", "1.3.6.1.5.5.7.3.8"},    {"ocspSigning", "1.3.6.1.5.5.7.3.9"},
};

static int ext_param(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *ctx)
{
    rspg_ext *e = ctx;
    (void)k;
    if (strcmp(key, "critical") == 0)
        return want_bool(ld, v, "critical", &e->critical);
    switch (e->kind) {
    case RSPG_EXT_SKI:
    case RSPG_EXT_AKI: {
        char *hex = NULL;
        if (want_string(ld, v, "key_id", &hex) != 0)
            return -1;
        rspg_buf_reset(&e->value);
        int bad = rspg_unhex(hex, &e->value) != 0 || e->value.len == 0;
        free(hex);
        return bad ? fail(ld, v, "key_id must be hex digits") : 0;
    }
    case RSPG_EXT_BASIC_CONSTRAINTS:
        if (strcmp(key, "ca") == 0)
            return want_bool(ld, v, "ca", &e->ca);
        {
            long long pl;
            if (want_int(ld, v, "path_len", 0, 1000000, &pl) != 0)
                return -1;
            e->path_len = (long)pl;
            return 0;
        }
    case RSPG_EXT_KEY_USAGE: {
        if (v->type != YAML_SEQUENCE_NODE)
            return fail(ld, v, "usage must be a list, not %s", type_name(v));
        e->key_usage = 0;
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
             it++) {
            yaml_node_t *item = node(ld, *it);
            const char *s = raw_scalar(item);
            size_t i;
            for (i = 0; s && i < sizeof(ku_names) / sizeof(ku_names[0]); i++)
                if (strcmp(ku_names[i].name, s) == 0)
                    break;
            if (s == NULL || i == sizeof(ku_names) / sizeof(ku_names[0]))
                return fail(ld, item,
                            "unknown key usage '%s' (expected digitalSignature, nonRepudiation, "
                            "keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, "
                            "cRLSign, encipherOnly or decipherOnly)",
                            s ? s : type_name(item));
            e->key_usage |= ku_names[i].bit;
        }
        if (e->key_usage == 0)
            return fail(ld, v, "key usage needs at least one bit (RFC 5280 §4.2.1.3)");
        return 0;
    }
    case RSPG_EXT_EXT_KEY_USAGE: {
        if (want_string_list(ld, v, "usage", &e->items, &e->n_items) != 0)
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
                return fail(ld, node(ld, v->data.sequence.items.start[i]),
                            "unknown extended key usage '%s' (expected serverAuth, clientAuth, "
                            "codeSigning, emailProtection, timeStamping, ocspSigning or an OID)",
                            e->items[i]);
            } else if (check_oid(ld, node(ld, v->data.sequence.items.start[i]), e->items[i]) != 0) {
                return -1;
            }
        }
        if (e->n_items == 0)
            return fail(ld, v, "extended key usage needs at least one purpose");
        return 0;
    }
    case RSPG_EXT_CERT_POLICIES:
        if (want_string_list(ld, v, "policies", &e->items, &e->n_items) != 0)
            return -1;
        for (size_t i = 0; i < e->n_items; i++)
            if (check_oid(ld, node(ld, v->data.sequence.items.start[i]), e->items[i]) != 0)
                return -1;
        if (e->n_items == 0)
            return fail(ld, v, "certificate policies need at least one policy");
        return 0;
    case RSPG_EXT_SAN:
        if (load_general_names(ld, v, "names", &e->names, &e->n_names) != 0)
            return -1;
        return e->n_names ? 0 : fail(ld, v, "subject_alt_name needs at least one name");
    case RSPG_EXT_NAME_CONSTRAINTS:
        if (load_general_names(ld, v, "permitted", &e->names, &e->n_names) != 0)
            return -1;
        return e->n_names ? 0 : fail(ld, v, "name_constraints needs at least one subtree");
    case RSPG_EXT_CRL_DP:
        if (want_string_list(ld, v, "uris", &e->items, &e->n_items) != 0)
            return -1;
        return e->n_items ? 0 : fail(ld, v, "crl_distribution_points needs at least one URI");
    case RSPG_EXT_PERMITTED_EINS:
        if (want_string_list(ld, v, "eins", &e->items, &e->n_items) != 0)
            return -1;
        for (size_t i = 0; i < e->n_items; i++) {
            const char *s = e->items[i];
            if (*s == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 32)
                return fail(ld, node(ld, v->data.sequence.items.start[i]),
                            "an EIN is 1 to 32 decimal digits, not '%s'", s);
        }
        return e->n_items ? 0 : fail(ld, v, "permitted_eins needs at least one EIN");
    case RSPG_EXT_RAW:
        if (strcmp(key, "oid") == 0) {
            if (want_string(ld, v, "oid", &e->oid) != 0)
                return -1;
            return check_oid(ld, v, e->oid);
        } else {
            char *hex = NULL;
            if (want_string(ld, v, "value", &hex) != 0)
                return -1;
            rspg_buf_reset(&e->value);
            int bad = rspg_unhex(hex, &e->value) != 0;
            free(hex);
            return bad ? fail(ld, v, "value must be hex digits (the DER extnValue contents)") : 0;
        }
    default:
        return -1;
    }
}

static int load_ext(struct loader *ld, yaml_node_t *item, rspg_ext *e)
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
    if (single_pair(ld, item, "extension", &key, &k, &v) != 0)
        return -1;
    int kind;
    for (kind = 0; kind < RSPG_EXT_COUNT; kind++)
        if (strcmp(rspg_ext_kind_name((rspg_ext_kind)kind), key) == 0)
            break;
    if (kind == RSPG_EXT_COUNT)
        return fail(ld, k,
                    "unknown extension '%s' (expected subject_key_identifier, "
                    "authority_key_identifier, basic_constraints, key_usage, extended_key_usage, "
                    "certificate_policies, subject_alt_name, crl_distribution_points, "
                    "name_constraints, permitted_eins or raw)",
                    key);
    e->kind = (rspg_ext_kind)kind;
    e->loc = at(ld, k);
    e->path_len = -1;
    if (v->type == YAML_SCALAR_NODE && raw_scalar(v)[0] == '\0' && required[kind] == NULL)
        return 0; /* "- subject_key_identifier:" with nothing after it */
    char what[64];
    snprintf(what, sizeof(what), "extension %s", key);
    if (each_pair(ld, v, what, params[kind], ext_param, e) != 0)
        return -1;
    if (required[kind]) {
        int found = 0;
        for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
             pr++)
            if (strcmp(raw_scalar(node(ld, pr->key)), required[kind]) == 0)
                found = 1;
        if (!found)
            return fail(ld, v, "extension %s needs '%s'", key, required[kind]);
    }
    if (e->kind == RSPG_EXT_RAW && e->value.len == 0)
        return fail(ld, v, "extension raw needs 'value'");
    if (e->kind == RSPG_EXT_BASIC_CONSTRAINTS && e->path_len >= 0 && !e->ca)
        return fail(ld, v, "path_len is only allowed with ca: true (RFC 5280 §4.2.1.9)");
    return 0;
}

/* patch_extensions: each item replaces the extension of the same kind in place (or is
 * appended when there is none), or is `remove: KIND`. For invalid twins of a valid entity. */
static int patch_exts(struct loader *ld, yaml_node_t *n, rspg_entity *e)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ld, n, "patch_extensions must be a list, not %s", type_name(n));
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *item = node(ld, *it), *k = NULL, *v = NULL;
        const char *key;
        if (single_pair(ld, item, "extension patch", &key, &k, &v) != 0)
            return -1;
        if (strcmp(key, "remove") == 0) {
            const char *kind = raw_scalar(v);
            size_t i;
            for (i = 0; kind && i < e->n_exts; i++)
                if (strcmp(rspg_ext_kind_name(e->exts[i].kind), kind) == 0)
                    break;
            if (kind == NULL || i == e->n_exts)
                return fail(ld, v, "remove: the entity has no extension '%s'",
                            kind ? kind : type_name(v));
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

static int check_reason(struct loader *ld, yaml_node_t *n, const char *reason)
{
    /* SGP.22 ES10b AuthenticateErrorCode (§5.7.13), ES9+ AuthenticateClient errors (§5.6.3),
     * ES10b LoadCRL and v3 CRL errors; see docs/invalid-cases.md */
    static const char *const known[] = {
        "invalidCertificate", "invalidSignature", "unsupportedCurve", "invalidOid",
        "ciPKUnknown", "eumCertificateInvalid", "eumCertificateExpired",
        "euiccCertificateInvalid", "euiccCertificateExpired", "eidMismatch",
        "certificateExpired", "revokedCert", "invalidCrlSignature", "invalidCertOrCrlTime",
        NULL,
    };
    for (size_t i = 0; known[i]; i++)
        if (strcmp(known[i], reason) == 0)
            return 0;
    return fail(ld, n,
                "unknown reason '%s' (expected invalidCertificate, invalidSignature, "
                "unsupportedCurve, invalidOid, ciPKUnknown, eumCertificateInvalid, "
                "eumCertificateExpired, euiccCertificateInvalid, euiccCertificateExpired, "
                "eidMismatch, certificateExpired, revokedCert, invalidCrlSignature or "
                "invalidCertOrCrlTime)",
                reason);
}

static int load_exts(struct loader *ld, yaml_node_t *n, rspg_entity *e)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ld, n, "extensions must be a list, not %s", type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (size_t i = 0; i < e->n_exts; i++)
        rspg_ext_clear(&e->exts[i]);
    free(e->exts);
    e->exts = rspg_xcalloc(len ? len : 1, sizeof(rspg_ext));
    e->n_exts = len;
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = node(ld, n->data.sequence.items.start[i]);
        if (load_ext(ld, item, &e->exts[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (e->exts[j].kind == e->exts[i].kind && e->exts[i].kind != RSPG_EXT_RAW)
                return fail(ld, item, "extension %s appears twice (RFC 5280 §4.2)",
                            rspg_ext_kind_name(e->exts[i].kind));
    }
    return 0;
}

/* ---- per-curve values ---- */

static int load_per_curve(struct loader *ld, yaml_node_t *n, const char *what, rspg_per_curve *v)
{
    rspg_per_curve_clear(v);
    v->loc = at(ld, n);
    if (n->type == YAML_SCALAR_NODE)
        return want_string(ld, n, what, &v->value);
    if (n->type != YAML_MAPPING_NODE)
        return fail(ld, n, "%s must be a string or a mapping from curve to string", what);
    size_t len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    v->keys = rspg_xcalloc(len ? len : 1, sizeof(char *));
    v->values = rspg_xcalloc(len ? len : 1, sizeof(char *));
    v->n = len;
    for (size_t i = 0; i < len; i++) {
        yaml_node_pair_t *pr = &n->data.mapping.pairs.start[i];
        yaml_node_t *k = node(ld, pr->key);
        if (unique_key(ld, n, pr, what) != 0)
            return -1;
        if (want_string(ld, k, "a curve key", &v->keys[i]) != 0 ||
            want_string(ld, node(ld, pr->value), what, &v->values[i]) != 0)
            return -1;
        if (rspg_profile_curve(ld->p, v->keys[i]) == NULL)
            return fail(ld, k, "unknown curve key '%s' in %s (define it under 'curves')",
                        v->keys[i], what);
    }
    return 0;
}

static int check_serial_text(struct loader *ld, const rspg_per_curve *v, yaml_node_t *n)
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
            return fail(ld, n, "serial '%s' is negative; serials are positive (RFC 5280 §4.1.2.2)", s);
        if (bad)
            return fail(ld, n, "serial '%s' is not hex digits of even length", s);
        if (mag == 0)
            return fail(ld, n, "serial is zero; serials are positive (RFC 5280 §4.1.2.2)");
        if (mag + (size_t)top > 20)
            return fail(ld, n, "serial '%s' is longer than 20 octets (RFC 5280 §4.1.2.2)", s);
    }
    return 0;
}

static int check_time_text(struct loader *ld, const rspg_per_curve *v, yaml_node_t *n,
                           const char *what)
{
    for (size_t i = 0; i < (v->value ? 1 : v->n); i++) {
        const char *s = v->value ? v->value : v->values[i];
        int64_t t;
        if (rspg_parse_rfc3339(s, &t) != 0)
            return fail(ld, n, "%s '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)", what, s);
        if (t < rspg_days_from_civil(1950, 1, 1) * 86400)
            return fail(ld, n, "%s '%s' is before 1950 (RFC 5280 §4.1.2.5)", what, s);
    }
    return 0;
}

/* ---- entities ---- */

static int validity_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                         void *ctx)
{
    rspg_entity *e = ctx;
    (void)k;
    if (strcmp(key, "days") == 0) {
        long long days;
        if (want_int(ld, v, "days", 1, 3000000, &days) != 0)
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
        return want_int(ld, v, "offset_days", -3000000, 3000000, &e->offset_days);
    }
    e->validity_days = 0;
    return load_per_curve(ld, v, "not_after", &e->not_after) ||
           check_time_text(ld, &e->not_after, v, "not_after");
}

static int key_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    rspg_entity *e = ctx;
    (void)k;
    if (strcmp(key, "file") == 0) {
        e->key.source = RSPG_KEY_FILE;
        return want_string(ld, v, "file", &e->key.file);
    }
    if (strcmp(key, "from") == 0) {
        e->key.source = RSPG_KEY_FROM;
        return want_string(ld, v, "from", &e->key.from);
    }
    if (strcmp(key, "pkcs11") == 0) {
        e->key.source = RSPG_KEY_PKCS11;
        if (want_string(ld, v, "pkcs11", &e->key.pkcs11) != 0)
            return -1;
        if (strncmp(e->key.pkcs11, "pkcs11:", 7) != 0)
            return fail(ld, v, "a PKCS#11 key is an RFC 7512 URI starting with 'pkcs11:'");
        return 0;
    }
    if (e->key.curve == NULL)
        e->key.curve = rspg_xcalloc(1, sizeof(rspg_per_curve));
    if (load_per_curve(ld, v, "curve", e->key.curve) != 0)
        return -1;
    for (size_t i = 0; i < (e->key.curve->value ? 1 : e->key.curve->n); i++) {
        const char *c = e->key.curve->value ? e->key.curve->value : e->key.curve->values[i];
        if (rspg_curve_find(c) == NULL)
            return fail(ld, v, "unknown curve '%s' (expected one of %s)", c, rspg_curve_names());
    }
    return 0;
}

static int output_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx)
{
    rspg_entity *e = ctx;
    (void)k;
    if (strcmp(key, "dir") == 0)
        return want_string(ld, v, "dir", &e->dir);
    if (strcmp(key, "cert") == 0) {
        if (want_string_or_list(ld, v, "cert", &e->cert_files, &e->n_cert_files) != 0)
            return -1;
        for (size_t i = 0; i < e->n_cert_files; i++) {
            size_t n = strlen(e->cert_files[i]);
            if (n < 5 || (strcmp(e->cert_files[i] + n - 4, ".der") != 0 &&
                          strcmp(e->cert_files[i] + n - 4, ".pem") != 0 &&
                          strcmp(e->cert_files[i] + n - 4, ".cvc") != 0 &&
                          strcmp(e->cert_files[i] + n - 4, ".hex") != 0))
                return fail(ld, v, "certificate file '%s' must end in .der or .pem",
                            e->cert_files[i]);
        }
        return 0;
    }
    if (strcmp(key, "key") == 0)
        return want_string(ld, v, "key", &e->key_file);
    if (strcmp(key, "tbs") == 0)
        return want_string(ld, v, "tbs", &e->tbs_file);
    return want_string(ld, v, "pubkey", &e->pubkey_file);
}

/* cvc: the fields of an SGP.02 card certificate (cvc_spec.h; values checked there) */
static int cvc_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    rspg_cvc_spec *s = ctx;
    char msg[256];
    (void)k;
    if (strcmp(key, "discretionary") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return fail(ld, v, "cvc.discretionary must be a list of {TAG: HEX|auto}");
        size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        s->discretionary = rspg_xcalloc(n ? n : 1, sizeof(*s->discretionary));
        s->has_discretionary = 1;
        for (size_t i = 0; i < n; i++) {
            s->n_discretionary = i + 1;
            yaml_node_t *item = node(ld, v->data.sequence.items.start[i]), *kn = NULL, *vn = NULL;
            rspg_cvc_spec_item *it = &s->discretionary[i];
            const char *tag;
            it->loc = at(ld, item);
            if (single_pair(ld, item, "discretionary data object", &tag, &kn, &vn) != 0 ||
                want_string(ld, vn, "a discretionary data value", &it->value) != 0)
                return -1;
            it->tag = rspg_xstrdup(tag);
            if (rspg_cvc_spec_check("item", it->tag, it->value, msg, sizeof(msg)) != 0)
                return fail(ld, item, "%s", msg);
        }
        return 0;
    }
    if (strcmp(key, "effective") == 0) {
        const char *r = raw_scalar(v);
        if (r && (strcmp(r, "true") == 0 || strcmp(r, "false") == 0 || strcmp(r, "True") == 0 ||
                  strcmp(r, "False") == 0))
            return want_bool(ld, v, "cvc.effective", &s->effective);
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
    if (want_string(ld, v, what, slot) != 0)
        return -1;
    if (rspg_cvc_spec_check(key, NULL, *slot, msg, sizeof(msg)) != 0)
        return fail(ld, v, "%s", msg);
    return 0;
}

static int load_cvc(struct loader *ld, yaml_node_t *n, rspg_entity *e)
{
    static const char *const cvc_keys[] = {"serial",     "ca_id",    "subject_id",    "key_usage",
                                           "effective",  "expiration", "sd_image",
                                           "discretionary", "key_parameter", NULL};
    rspg_cvc_spec_free(e->cvc); /* a derived entity gives the whole mapping */
    e->cvc = rspg_xcalloc(1, sizeof(*e->cvc));
    e->cvc->loc = at(ld, n);
    e->cvc->effective = 1;
    return each_pair(ld, n, "cvc", cvc_keys, cvc_pair, e->cvc);
}

static int check_rel_path(struct loader *ld, yaml_node_t *n, const char *p)
{
    if (p == NULL)
        return 0;
    if (p[0] == '/' || strstr(p, "..") != NULL)
        return fail(ld, n, "output path '%s' must stay inside the output folder", p);
    return 0;
}

static int entity_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx);

static int load_entity_node(struct loader *ld, yaml_node_t *n, rspg_entity *e, int depth);

static int entity_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx)
{
    static const char *const validity_keys[] = {"not_before", "offset_days", "days", "not_after",
                                                NULL};
    static const char *const key_keys[] = {"file", "from", "curve", "pkcs11", NULL};
    static const char *const output_keys[] = {"dir", "cert", "key", "pubkey", "tbs", NULL};
    rspg_entity *e = ctx;
    (void)k;
    if (strcmp(key, "id") == 0 || strcmp(key, "base") == 0)
        return 0; /* handled by the caller */
    if (strcmp(key, "role") == 0) {
        const char *s = raw_scalar(v);
        if (s == NULL || rspg_role_parse(s, &e->role) != 0)
            return fail(ld, v,
                        "unknown role '%s' (expected ci, ci-subca, eum, eum-subca, euicc, "
                        "dp-subca, ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, ds-tls, eim-sign "
                        "or eim-tls)",
                        s ? s : type_name(v));
        return 0;
    }
    if (strcmp(key, "variant") == 0) {
        if (want_string_or_list(ld, v, "variant", &e->variants, &e->n_variants) != 0)
            return -1;
        for (size_t i = 0; i < e->n_variants; i++) {
            const char *s = e->variants[i];
            if (strcmp(s, "O") && strcmp(s, "Ov3") && strcmp(s, "A") && strcmp(s, "B") &&
                strcmp(s, "C"))
                return fail(ld, v, "unknown variant '%s' (expected O, Ov3, A, B or C)", s);
        }
        return e->n_variants ? 0 : fail(ld, v, "variant is empty");
    }
    if (strcmp(key, "name") == 0)
        return want_string(ld, v, "name", &e->name);
    if (strcmp(key, "note") == 0)
        return want_string(ld, v, "note", &e->note);
    if (strcmp(key, "expect") == 0) {
        if (want_string(ld, v, "expect", &e->expect) != 0)
            return -1;
        if (strcmp(e->expect, "valid") != 0 && strcmp(e->expect, "invalid") != 0)
            return fail(ld, v, "expect must be valid or invalid, not '%s'", e->expect);
        return 0;
    }
    if (strcmp(key, "case") == 0)
        return want_string(ld, v, "case", &e->case_id);
    if (strcmp(key, "reason") == 0)
        return want_string(ld, v, "reason", &e->reason) || check_reason(ld, v, e->reason);
    if (strcmp(key, "twin") == 0)
        return want_string(ld, v, "twin", &e->twin);
    if (strcmp(key, "corrupt") == 0) {
        const char *c = raw_scalar(v);
        if (c == NULL || strcmp(c, "signature") != 0)
            return fail(ld, v, "corrupt takes 'signature'");
        e->corrupt_signature = 1;
        return 0;
    }
    if (strcmp(key, "beyond_sgp26") == 0)
        return want_bool(ld, v, "beyond_sgp26", &e->beyond_sgp26);
    if (strcmp(key, "trusted") == 0) {
        int t;
        if (want_bool(ld, v, "trusted", &t) != 0)
            return -1;
        e->untrusted = !t;
        return 0;
    }
    if (strcmp(key, "patch_extensions") == 0)
        return 0; /* applied after the other keys, by load_entity_node */
    if (strcmp(key, "curves") == 0) {
        if (want_string_or_list(ld, v, "curves", &e->curves, &e->n_curves) != 0)
            return -1;
        for (size_t i = 0; i < e->n_curves; i++)
            if (rspg_profile_curve(ld->p, e->curves[i]) == NULL)
                return fail(ld, v, "unknown curve key '%s' (define it under 'curves')",
                            e->curves[i]);
        return e->n_curves ? 0 : fail(ld, v, "curves is empty");
    }
    if (strcmp(key, "issuer") == 0) {
        e->issuer_loc = at(ld, v);
        if (want_string(ld, v, "issuer", &e->issuer) != 0)
            return -1;
        if (strcmp(e->issuer, "self") == 0) {
            free(e->issuer);
            e->issuer = NULL;
        }
        return 0;
    }
    if (strcmp(key, "subject") == 0)
        return load_dn(ld, v, "subject", &e->subject);
    if (strcmp(key, "serial") == 0)
        return load_per_curve(ld, v, "serial", &e->serial) || check_serial_text(ld, &e->serial, v);
    if (strcmp(key, "validity") == 0)
        return each_pair(ld, v, "validity", validity_keys, validity_pair, e);
    if (strcmp(key, "key") == 0) {
        free(e->key.file);
        free(e->key.from);
        free(e->key.pkcs11);
        if (e->key.curve) {
            rspg_per_curve_clear(e->key.curve);
            free(e->key.curve);
        }
        memset(&e->key, 0, sizeof(e->key));
        e->key.loc = at(ld, v);
        if (v->type == YAML_SCALAR_NODE) {
            if (strcmp(raw_scalar(v), "generate") != 0)
                return fail(ld, v, "key must be 'generate' or a mapping with file, from or curve");
            return 0;
        }
        if (each_pair(ld, v, "key", key_keys, key_pair, e) != 0)
            return -1;
        if (!!e->key.file + !!e->key.from + !!e->key.pkcs11 > 1)
            return fail(ld, v, "key takes one of 'file', 'from' or 'pkcs11'");
        return 0;
    }
    if (strcmp(key, "extensions") == 0)
        return load_exts(ld, v, e);
    if (strcmp(key, "cvc") == 0)
        return load_cvc(ld, v, e);
    if (strcmp(key, "output") == 0) {
        if (each_pair(ld, v, "output", output_keys, output_pair, e) != 0)
            return -1;
        int rc = check_rel_path(ld, v, e->dir) || check_rel_path(ld, v, e->key_file) ||
                 check_rel_path(ld, v, e->pubkey_file) || check_rel_path(ld, v, e->tbs_file);
        for (size_t i = 0; i < e->n_cert_files && !rc; i++)
            rc = check_rel_path(ld, v, e->cert_files[i]);
        return rc;
    }
    return fail(ld, k, "unhandled key '%s'", key);
}

static int find_entity_index(struct loader *ld, const char *id)
{
    for (size_t i = 0; i < ld->p->n_entities; i++)
        if (ld->p->entities[i].id && strcmp(ld->p->entities[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int load_entity_node(struct loader *ld, yaml_node_t *n, rspg_entity *e, int depth)
{
    static const char *const entity_keys[] = {
        "id",      "base",     "role",   "variant",    "name",   "note",   "curves",
        "issuer",  "subject",  "serial", "validity",   "key",    "extensions", "output",
        "expect",  "case",     "reason", "twin",       "corrupt", "beyond_sgp26", "trusted",
        "patch_extensions", "cvc", NULL,
    };
    if (n->type != YAML_MAPPING_NODE)
        return fail(ld, n, "an entity must be a mapping, not %s", type_name(n));
    /* base: apply the base entity's keys first, then ours */
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *key = raw_scalar(node(ld, pr->key));
        if (key && strcmp(key, "base") == 0) {
            yaml_node_t *v = node(ld, pr->value);
            const char *base = raw_scalar(v);
            int idx = base ? find_entity_index(ld, base) : -1;
            if (base == NULL)
                return fail(ld, v, "base must be an entity id");
            if (idx < 0)
                return fail(ld, v, "base '%s' is not an entity defined earlier in the list", base);
            if (depth > RSPG_MAX_DEPTH)
                return fail(ld, v, "base chain deeper than %d", RSPG_MAX_DEPTH);
            if (load_entity_node(ld, node(ld, ld->entity_nodes[idx]), e, depth + 1) != 0)
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
    if (each_pair(ld, n, "entity", entity_keys, entity_pair, e) != 0)
        return -1;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *key = raw_scalar(node(ld, pr->key));
        if (key && strcmp(key, "patch_extensions") == 0 &&
            patch_exts(ld, node(ld, pr->value), e) != 0)
            return -1;
    }
    return 0;
}

static int load_entity(struct loader *ld, yaml_node_t *n, rspg_entity *e)
{
    yaml_node_t *id_node = NULL;
    if (n->type != YAML_MAPPING_NODE)
        return fail(ld, n, "an entity must be a mapping, not %s", type_name(n));
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        const char *key = raw_scalar(node(ld, pr->key));
        if (key && strcmp(key, "id") == 0)
            id_node = node(ld, pr->value);
    }
    e->loc = at(ld, n);
    if (id_node == NULL)
        return fail(ld, n, "entity has no 'id'");
    const char *id = raw_scalar(id_node);
    if (id == NULL || *id == '\0' || strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                "0123456789._-") != strlen(id))
        return fail(ld, id_node, "entity id must be letters, digits, '.', '_' or '-'");
    if (strcmp(id, "self") == 0)
        return fail(ld, id_node, "'self' is reserved for self-signed issuers");
    int dup = find_entity_index(ld, id);
    if (dup >= 0)
        return fail(ld, id_node, "duplicate entity id '%s' (first at line %u)", id,
                    ld->p->entities[dup].loc.line);
    e->id = rspg_xstrdup(id);
    return 0;
}

/* ---- CRLs ---- */

static const char *const crl_reasons[] = {
    /* RFC 5280 §5.3.1 CRLReason; 7 is unused */
    "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
    "cessationOfOperation", "certificateHold", NULL, "removeFromCRL", "privilegeWithdrawn",
    "aACompromise",
};

static int revoked_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                        void *ctx)
{
    rspg_revocation *r = ctx;
    (void)k;
    if (strcmp(key, "entity") == 0)
        return want_string(ld, v, "entity", &r->entity);
    if (strcmp(key, "date") == 0) {
        int64_t t;
        if (want_string(ld, v, "date", &r->date) != 0)
            return -1;
        return rspg_parse_rfc3339(r->date, &t) == 0
                   ? 0
                   : fail(ld, v, "date '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)", r->date);
    }
    if (want_string(ld, v, "reason", &r->reason) != 0)
        return -1;
    for (size_t i = 0; i < sizeof(crl_reasons) / sizeof(crl_reasons[0]); i++)
        if (crl_reasons[i] && strcmp(crl_reasons[i], r->reason) == 0) {
            r->reason_code = (int)i;
            return 0;
        }
    return fail(ld, v,
                "unknown revocation reason '%s' (expected a CRLReason of RFC 5280 §5.3.1, e.g. "
                "keyCompromise, cACompromise, superseded, cessationOfOperation)",
                r->reason);
}

static int crl_output_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                           void *ctx)
{
    rspg_crl_def *c = ctx;
    (void)k;
    if (strcmp(key, "dir") == 0)
        return want_string(ld, v, "dir", &c->dir) || check_rel_path(ld, v, c->dir);
    if (want_string_or_list(ld, v, "crl", &c->files, &c->n_files) != 0)
        return -1;
    for (size_t i = 0; i < c->n_files; i++)
        if (check_rel_path(ld, v, c->files[i]) != 0)
            return -1;
    return 0;
}

static int crl_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    static const char *const rev_keys[] = {"entity", "date", "reason", NULL};
    static const char *const out_keys[] = {"dir", "crl", NULL};
    rspg_crl_def *c = ctx;
    (void)k;
    if (strcmp(key, "id") == 0)
        return want_string(ld, v, "id", &c->id);
    if (strcmp(key, "issuer") == 0) {
        c->issuer_loc = at(ld, v);
        return want_string(ld, v, "issuer", &c->issuer);
    }
    if (strcmp(key, "curves") == 0)
        return want_string_or_list(ld, v, "curves", &c->curves, &c->n_curves);
    if (strcmp(key, "number") == 0)
        return want_int(ld, v, "number", 0, 1LL << 62, &c->number);
    if (strcmp(key, "this_update") == 0) {
        int64_t t;
        if (want_string(ld, v, "this_update", &c->this_update) != 0)
            return -1;
        return rspg_parse_rfc3339(c->this_update, &t) == 0
                   ? 0
                   : fail(ld, v, "this_update '%s' is not a date", c->this_update);
    }
    if (strcmp(key, "offset_days") == 0) {
        c->has_offset = 1;
        return want_int(ld, v, "offset_days", -3000000, 3000000, &c->offset_days);
    }
    if (strcmp(key, "next_update_days") == 0)
        return want_int(ld, v, "next_update_days", 1, 3000000, &c->next_update_days);
    if (strcmp(key, "revoked") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return fail(ld, v, "revoked must be a list, not %s", type_name(v));
        size_t len = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        c->revoked = rspg_xcalloc(len ? len : 1, sizeof(rspg_revocation));
        c->n_revoked = len;
        for (size_t i = 0; i < len; i++) {
            yaml_node_t *item = node(ld, v->data.sequence.items.start[i]);
            c->revoked[i].loc = at(ld, item);
            if (each_pair(ld, item, "revoked entry", rev_keys, revoked_pair, &c->revoked[i]) != 0)
                return -1;
            if (c->revoked[i].entity == NULL)
                return fail(ld, item, "revoked entry needs 'entity'");
        }
        return 0;
    }
    if (strcmp(key, "output") == 0)
        return each_pair(ld, v, "output", out_keys, crl_output_pair, c);
    if (strcmp(key, "corrupt") == 0) {
        const char *x = raw_scalar(v);
        if (x == NULL || strcmp(x, "signature") != 0)
            return fail(ld, v, "corrupt takes 'signature'");
        c->corrupt_signature = 1;
        return 0;
    }
    if (strcmp(key, "expect") == 0) {
        if (want_string(ld, v, "expect", &c->expect) != 0)
            return -1;
        if (strcmp(c->expect, "valid") != 0 && strcmp(c->expect, "invalid") != 0)
            return fail(ld, v, "expect must be valid or invalid, not '%s'", c->expect);
        return 0;
    }
    if (strcmp(key, "case") == 0)
        return want_string(ld, v, "case", &c->case_id);
    if (strcmp(key, "reason") == 0)
        return want_string(ld, v, "reason", &c->reason) || check_reason(ld, v, c->reason);
    return want_string(ld, v, "note", &c->note);
}

static int load_crls(struct loader *ld, yaml_node_t *n)
{
    static const char *const crl_keys[] = {
        "id",      "issuer",  "curves", "number", "this_update", "offset_days", "next_update_days",
        "revoked", "output",  "corrupt", "expect", "case",       "reason",      "note",
        NULL,
    };
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ld, n, "'crls' must be a list, not %s", type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (len > RSPG_MAX_ENTITIES)
        return fail(ld, n, "more than %d CRLs", RSPG_MAX_ENTITIES);
    rspg_profile *p = ld->p;
    p->crls = rspg_xcalloc(len ? len : 1, sizeof(rspg_crl_def));
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = node(ld, n->data.sequence.items.start[i]);
        rspg_crl_def *c = &p->crls[p->n_crls++];
        c->loc = at(ld, item);
        c->next_update_days = 0;
        if (each_pair(ld, item, "CRL", crl_keys, crl_pair, c) != 0)
            return -1;
        if (c->id == NULL)
            return fail(ld, item, "CRL has no 'id'");
        if (c->issuer == NULL)
            return fail(ld, item, "CRL '%s' has no 'issuer'", c->id);
        if (c->n_files == 0)
            return fail(ld, item, "CRL '%s' has no output.crl file", c->id);
        if (c->next_update_days == 0)
            return fail(ld, item, "CRL '%s' has no 'next_update_days'", c->id);
        for (size_t j = 0; j + 1 < p->n_crls; j++)
            if (strcmp(p->crls[j].id, c->id) == 0)
                return fail(ld, item, "duplicate CRL id '%s'", c->id);
    }
    return 0;
}

static int validate_crls(struct loader *ld)
{
    rspg_profile *p = ld->p;
    int rc = 0;
    for (size_t i = 0; i < p->n_crls; i++) {
        rspg_crl_def *c = &p->crls[i];
        const rspg_entity *iss = rspg_profile_find(p, c->issuer);
        if (iss == NULL) {
            rc = rspg_fail_at(ld->d, c->issuer_loc, "issuer '%s' of CRL '%s' is not an entity",
                              c->issuer, c->id);
            continue;
        }
        if (!rspg_role_is_ca(iss->role))
            rc = rspg_fail_at(ld->d, c->issuer_loc, "issuer '%s' has role %s, which issues no CRL",
                              c->issuer, rspg_role_name(iss->role));
        if (c->n_curves == 0) {
            c->curves = rspg_xcalloc(iss->n_curves ? iss->n_curves : 1, sizeof(char *));
            for (size_t j = 0; j < iss->n_curves; j++)
                c->curves[j] = rspg_xstrdup(iss->curves[j]);
            c->n_curves = iss->n_curves;
        }
        for (size_t j = 0; j < c->n_curves; j++) {
            size_t k;
            for (k = 0; k < iss->n_curves; k++)
                if (strcmp(iss->curves[k], c->curves[j]) == 0)
                    break;
            if (k == iss->n_curves)
                rc = rspg_fail_at(ld->d, c->issuer_loc, "issuer '%s' is not issued on curve '%s'",
                                  c->issuer, c->curves[j]);
        }
        for (size_t j = 0; j < c->n_revoked; j++) {
            const rspg_entity *r = rspg_profile_find(p, c->revoked[j].entity);
            if (r == NULL)
                rc = rspg_fail_at(ld->d, c->revoked[j].loc, "revoked entity '%s' is not an entity",
                                  c->revoked[j].entity);
            else if (r->issuer == NULL || strcmp(r->issuer, c->issuer) != 0)
                rc = rspg_fail_at(ld->d, c->revoked[j].loc,
                                  "revoked entity '%s' is not issued by '%s', the CRL's issuer",
                                  c->revoked[j].entity, c->issuer);
        }
    }
    return rc;
}

/* ---- top level ---- */

static int vars_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    (void)ctx;
    if (strcmp(key, "CURVE") == 0 || strcmp(key, "VARIANT") == 0)
        return fail(ld, k, "'%s' is a built-in variable and cannot be set", key);
    char *value = NULL;
    int rc = want_string(ld, v, "a variable", &value);
    for (size_t i = 0; rc == 0 && ld->opts && i < ld->opts->n_vars; i++) {
        const char *ov = ld->opts->vars[i], *eq = strchr(ov, '=');
        if (eq && (size_t)(eq - ov) == strlen(key) && strncmp(ov, key, strlen(key)) == 0) {
            free(value);
            value = NULL;
            rc = expand(ld, v, eq + 1, &value);
            ld->override_used[i] = 1;
        }
    }
    /* a refused value is still defined (as NULL), so that its uses are not reported again
     * as unknown variables */
    ld->vars = rspg_xrealloc(ld->vars, (ld->n_vars + 1) * sizeof(*ld->vars));
    ld->vars[ld->n_vars].name = rspg_xstrdup(key);
    ld->vars[ld->n_vars].value = rc == 0 ? value : NULL;
    if (rc != 0)
        free(value);
    ld->n_vars++;
    return rc;
}

static int curve_def_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                          void *ctx)
{
    rspg_curve_def *c = ctx;
    (void)k;
    if (strcmp(key, "suffix") == 0) {
        if (want_string(ld, v, "suffix", &c->suffix) != 0)
            return -1;
        if (strstr(c->suffix, "..") != NULL) /* ${CURVE} is used in output paths */
            return fail(ld, v, "suffix '%s' must not contain '..' (it is used in output paths)",
                        c->suffix);
        return 0;
    }
    char *name = NULL;
    if (want_string(ld, v, "curve", &name) != 0)
        return -1;
    c->curve = rspg_curve_find(name);
    if (c->curve == NULL)
        fail(ld, v, "unknown curve '%s' (expected one of %s)", name, rspg_curve_names());
    free(name);
    return c->curve ? 0 : -1;
}

static int curves_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx)
{
    static const char *const keys[] = {"curve", "suffix", NULL};
    rspg_profile *p = ctx;
    p->curves = rspg_xrealloc(p->curves, (p->n_curves + 1) * sizeof(*p->curves));
    rspg_curve_def *c = &p->curves[p->n_curves++];
    memset(c, 0, sizeof(*c));
    c->key = rspg_xstrdup(key);
    c->loc = at(ld, k);
    if (each_pair(ld, v, "curve definition", keys, curve_def_pair, c) != 0)
        return -1;
    if (c->curve == NULL)
        return fail(ld, v, "curve '%s' needs 'curve' (an OpenSSL curve name)", key);
    if (c->suffix == NULL)
        c->suffix = rspg_xstrdup(key);
    return 0;
}

static int defaults_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                         void *ctx)
{
    rspg_profile *p = ctx;
    (void)k;
    if (strcmp(key, "curves") == 0) {
        if (want_string_or_list(ld, v, "curves", &p->default_curves, &p->n_default_curves) != 0)
            return -1;
        for (size_t i = 0; i < p->n_default_curves; i++)
            if (rspg_profile_curve(p, p->default_curves[i]) == NULL)
                return fail(ld, v, "unknown curve key '%s' (define it under 'curves' first)",
                            p->default_curves[i]);
        return 0;
    }
    if (strcmp(key, "clock") == 0) {
        int64_t t;
        if (want_string(ld, v, "clock", &p->clock) != 0)
            return -1;
        if (rspg_parse_rfc3339(p->clock, &t) != 0)
            return fail(ld, v, "clock '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)", p->clock);
        return 0;
    }
    return want_int(ld, v, "validity_days", 1, 3000000, &p->default_validity_days);
}

static int top_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    static const char *const defaults_keys[] = {"curves", "clock", "validity_days", NULL};
    rspg_profile *p = ctx;
    (void)k;
    if (strcmp(key, "schema") == 0) {
        const char *s = raw_scalar(v);
        if (s == NULL || strcmp(s, SCHEMA_ID) != 0)
            return fail(ld, v, "unsupported schema '%s' (expected " SCHEMA_ID ")",
                        s ? s : type_name(v));
        return 0;
    }
    (void)p;
    (void)defaults_keys;
    return 0; /* name, description (which may use vars), vars, curves, defaults and entities
               * are loaded in order by the caller */
}

static yaml_node_t *top_value(struct loader *ld, yaml_node_t *root, const char *key)
{
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        const char *k = raw_scalar(node(ld, pr->key));
        if (k && strcmp(k, key) == 0)
            return node(ld, pr->value);
    }
    return NULL;
}

/* ---- cross-entity checks ---- */

static int validate(struct loader *ld)
{
    rspg_profile *p = ld->p;
    int rc = 0;
    for (size_t i = 0; i < p->n_entities; i++) {
        rspg_entity *e = &p->entities[i];
        if (e->n_curves == 0) {
            if (p->n_default_curves == 0) {
                rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no curves and there is no "
                                                 "defaults.curves", e->id);
                continue;
            }
            e->curves = rspg_xcalloc(p->n_default_curves, sizeof(char *));
            for (size_t j = 0; j < p->n_default_curves; j++)
                e->curves[j] = rspg_xstrdup(p->default_curves[j]);
            e->n_curves = p->n_default_curves;
        }
        if (e->n_variants == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'variant'", e->id);
        if (e->subject.count == 0 && !rspg_role_is_cvc(e->role)) /* card certificates have none */
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'subject'", e->id);
        if (rspg_cvc_validate_entity(p, e, ld->d) != 0)
            rc = -1;
        if (e->serial.value == NULL && e->serial.n == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'serial'", e->id);
        if (e->issuer_loc.line == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no 'issuer' (an entity id, or "
                                             "'self')", e->id);
        if (e->validity_days == 0 && e->not_after.value == NULL && e->not_after.n == 0)
            e->validity_days = p->default_validity_days;
        if (e->validity_days == 0 && e->not_after.value == NULL && e->not_after.n == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no validity (days or not_after) "
                                             "and there is no defaults.validity_days", e->id);
        if (e->n_cert_files == 0)
            rc = rspg_fail_at(ld->d, e->loc, "entity '%s' has no output.cert file", e->id);
        for (size_t c = 0; c < e->n_curves; c++) {
            if (!e->serial.value && e->serial.n && !rspg_per_curve_get(&e->serial, e->curves[c]))
                rc = rspg_fail_at(ld->d, e->serial.loc, "serial has no value for curve '%s'",
                                  e->curves[c]);
            if (!e->not_before.value && e->not_before.n &&
                !rspg_per_curve_get(&e->not_before, e->curves[c]))
                rc = rspg_fail_at(ld->d, e->not_before.loc,
                                  "not_before has no value for curve '%s'", e->curves[c]);
            if (!e->not_after.value && e->not_after.n &&
                !rspg_per_curve_get(&e->not_after, e->curves[c]))
                rc = rspg_fail_at(ld->d, e->not_after.loc,
                                  "not_after has no value for curve '%s'", e->curves[c]);
        }
        if (e->twin && rspg_profile_find(p, e->twin) == NULL)
            rc = rspg_fail_at(ld->d, e->loc, "twin '%s' of '%s' is not an entity", e->twin, e->id);
        if (e->expect && strcmp(e->expect, "invalid") == 0 && e->reason == NULL)
            rc = rspg_fail_at(ld->d, e->loc, "invalid entity '%s' needs a 'reason' (the SGP.22 "
                                             "error a validator must return)", e->id);
        if (e->key.source == RSPG_KEY_FROM) {
            const rspg_entity *src = rspg_profile_find(p, e->key.from);
            if (src == NULL)
                rc = rspg_fail_at(ld->d, e->key.loc, "key source '%s' is not an entity", e->key.from);
            else if (src == e)
                rc = rspg_fail_at(ld->d, e->key.loc, "an entity cannot take its key from itself");
            else if (src->key.source == RSPG_KEY_FROM)
                rc = rspg_fail_at(ld->d, e->key.loc, "key source '%s' itself takes its key from "
                                                     "another entity; name that one",
                                  e->key.from);
        }
    }
    if (rc != 0)
        return -1;
    /* issuers: exist, are CAs, cover the curves, and form no cycle */
    for (size_t i = 0; i < p->n_entities; i++) {
        rspg_entity *e = &p->entities[i];
        if (e->issuer == NULL)
            continue;
        const rspg_entity *iss = rspg_profile_find(p, e->issuer);
        if (iss == NULL) {
            rc = rspg_fail_at(ld->d, e->issuer_loc, "issuer '%s' of '%s' is not an entity",
                              e->issuer, e->id);
            continue;
        }
        if (!rspg_role_is_ca(iss->role))
            rc = rspg_fail_at(ld->d, e->issuer_loc, "issuer '%s' has role %s, which cannot issue "
                                                    "certificates",
                              e->issuer, rspg_role_name(iss->role));
        for (size_t c = 0; c < e->n_curves; c++) {
            size_t j;
            for (j = 0; j < iss->n_curves; j++)
                if (strcmp(iss->curves[j], e->curves[c]) == 0)
                    break;
            if (j == iss->n_curves)
                rc = rspg_fail_at(ld->d, e->issuer_loc, "issuer '%s' is not issued on curve '%s' "
                                                        "that '%s' needs",
                                  e->issuer, e->curves[c], e->id);
        }
        size_t steps = 0;
        for (const rspg_entity *x = iss; x && x->issuer; x = rspg_profile_find(p, x->issuer)) {
            if (x == e || ++steps > p->n_entities) {
                rc = rspg_fail_at(ld->d, e->issuer_loc, "issuer cycle: '%s' is its own ancestor",
                                  e->id);
                break;
            }
        }
    }
    return rc;
}

/* ---- first pass: aliases and depth ---- */

static int scan_events(struct loader *ld, const char *buf, size_t len, const char *name)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int depth = 0, rc = 0, done = 0;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rspg_loc loc = {name, (unsigned)parser.problem_mark.line + 1,
                            (unsigned)parser.problem_mark.column + 1};
            if (parser.error == YAML_READER_ERROR) {
                /* reader errors (bad UTF-8, control characters) carry a byte offset, not
                 * a mark: count the lines up to it */
                loc.line = 1;
                loc.col = 1;
                for (size_t i = 0; i < parser.problem_offset && i < len; i++) {
                    if (buf[i] == '\n') {
                        loc.line++;
                        loc.col = 1;
                    } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
                        loc.col++;
                    }
                }
            }
            rspg_fail_at(ld->d, loc, "YAML syntax error: %s%s%s",
                         parser.problem ? parser.problem : "unknown problem",
                         parser.context ? " " : "", parser.context ? parser.context : "");
            rc = -1;
            break;
        }
        rspg_loc loc = {name, (unsigned)ev.start_mark.line + 1,
                        (unsigned)ev.start_mark.column + 1};
        switch (ev.type) {
        case YAML_ALIAS_EVENT:
            rspg_fail_at(ld->d, loc, "YAML aliases are not supported (use 'base:' or 'vars:')");
            rc = -1;
            done = 1;
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (++depth > RSPG_MAX_DEPTH) {
                rspg_fail_at(ld->d, loc, "nesting deeper than %d levels", RSPG_MAX_DEPTH);
                rc = -1;
                done = 1;
            }
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            break;
        case YAML_SCALAR_EVENT:
            if (ev.data.scalar.length > RSPG_MAX_STRING) {
                rspg_fail_at(ld->d, loc, "string longer than %u characters", RSPG_MAX_STRING);
                rc = -1;
                done = 1;
            }
            break;
        case YAML_DOCUMENT_START_EVENT:
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

rspg_status rspg_profile_load_string(const char *buf, size_t len, const char *name, rspg_diag *d,
                                     rspg_profile **out)
{
    return rspg_profile_load_string_ex(buf, len, name, NULL, d, out);
}

static int check_file(void *ctx, const char *buf, size_t len, const char *name)
{
    struct loader *ld = ctx;
    if (len > RSPG_MAX_PROFILE_BYTES) {
        rspg_fail(ld->d, RSPG_E_PROFILE, "%s: profile larger than %u bytes", name,
                  RSPG_MAX_PROFILE_BYTES);
        return -1;
    }
    return scan_events(ld, buf, len, name);
}

static rspg_status load_internal(const char *buf, size_t len, const char *name, const char *base_dir,
                                 const rspg_load_options *o, rspg_diag *d, rspg_profile **out);

rspg_status rspg_profile_load_string_ex(const char *buf, size_t len, const char *name,
                                        const rspg_load_options *o, rspg_diag *d,
                                        rspg_profile **out)
{
    return load_internal(buf, len, name, ".", o, d, out);
}

static rspg_status load_internal(const char *buf, size_t len, const char *name, const char *base_dir,
                                 const rspg_load_options *o, rspg_diag *d, rspg_profile **out)
{
    struct loader ld;
    int rc = 0;

    *out = NULL;
    memset(&ld, 0, sizeof(ld));
    ld.name = name;
    ld.d = d;
    ld.opts = o;
    for (size_t i = 0; o && i < o->n_vars; i++)
        if (strchr(o->vars[i], '=') == NULL || o->vars[i][0] == '=')
            return rspg_fail(d, RSPG_E_USAGE, "--var '%s' is not NAME=VALUE", o->vars[i]);
    if (rspg_compose_load(&ld.comp, buf, len, name, base_dir, check_file, &ld, d, &ld.doc, 0) != 0) {
        rspg_composed_fini(&ld.comp);
        return RSPG_E_PROFILE;
    }
    for (size_t i = 0; o && i < o->n_sets; i++) {
        if (rspg_compose_set(&ld.comp, &ld.doc, o->sets[i], d) != 0) {
            yaml_document_delete(&ld.doc);
            rspg_composed_fini(&ld.comp);
            return RSPG_E_USAGE;
        }
    }

    ld.p = rspg_xcalloc(1, sizeof(rspg_profile));
    ld.p->path = rspg_xstrdup(name);
    yaml_node_t *root = yaml_document_get_root_node(&ld.doc);
    if (root == NULL) {
        rspg_fail_at(d, (rspg_loc){name, 1, 1}, "the profile is empty");
        rc = -1;
        goto out;
    }
    static const char *const top_keys[] = {"schema",   "name",     "description", "vars",    "curves",
                                           "defaults", "entities", "crls",        "extends", NULL};
    if (each_pair(&ld, root, "the profile", top_keys, top_pair, ld.p) != 0) {
        rc = -1;
        goto out;
    }
    if (top_value(&ld, root, "schema") == NULL) {
        rspg_fail_at(d, at(&ld, root), "missing 'schema: " SCHEMA_ID "'");
        rc = -1;
        goto out;
    }
    yaml_node_t *n;
    ld.override_used = rspg_xcalloc(o && o->n_vars ? o->n_vars : 1, sizeof(int));
    if ((n = top_value(&ld, root, "vars")) && each_pair(&ld, n, "vars", NULL, vars_pair, NULL)) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; o && i < o->n_vars; i++) {
        if (!ld.override_used[i]) {
            const char *eq = strchr(o->vars[i], '=');
            rspg_fail(d, RSPG_E_USAGE, "--var: the profile %s defines no variable '%.*s'", name,
                      (int)(eq - o->vars[i]), o->vars[i]);
            rc = -1;
        }
    }
    if (rc != 0)
        goto out;
    if (((n = top_value(&ld, root, "name")) && want_string(&ld, n, "name", &ld.p->name) != 0) ||
        ((n = top_value(&ld, root, "description")) &&
         want_string(&ld, n, "description", &ld.p->description) != 0)) {
        rc = -1;
        goto out;
    }
    if ((n = top_value(&ld, root, "curves")) &&
        each_pair(&ld, n, "curves", NULL, curves_pair, ld.p)) {
        rc = -1;
        goto out;
    }
    if (ld.p->n_curves == 0) {
        rspg_fail_at(d, at(&ld, root), "missing 'curves' (e.g. nist: {curve: prime256v1, suffix: NIST})");
        rc = -1;
        goto out;
    }
    if ((n = top_value(&ld, root, "defaults"))) {
        static const char *const defaults_keys[] = {"curves", "clock", "validity_days", NULL};
        if (each_pair(&ld, n, "defaults", defaults_keys, defaults_pair, ld.p) != 0) {
            rc = -1;
            goto out;
        }
    }
    n = top_value(&ld, root, "entities");
    if (n == NULL || n->type != YAML_SEQUENCE_NODE) {
        rspg_fail_at(d, n ? at(&ld, n) : at(&ld, root), "'entities' must be a list of entities");
        rc = -1;
        goto out;
    }
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count > RSPG_MAX_ENTITIES) {
        rspg_fail_at(d, at(&ld, n), "more than %d entities", RSPG_MAX_ENTITIES);
        rc = -1;
        goto out;
    }
    ld.p->entities = rspg_xcalloc(count ? count : 1, sizeof(rspg_entity));
    ld.entity_nodes = rspg_xcalloc(count ? count : 1, sizeof(int));
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *en = node(&ld, n->data.sequence.items.start[i]);
        rspg_entity *e = &ld.p->entities[ld.p->n_entities];
        if (load_entity(&ld, en, e) != 0 || load_entity_node(&ld, en, e, 0) != 0) {
            rc = -1;
            if (e->id == NULL) {
                rspg_entity_clear(e);
                continue;
            }
        }
        ld.entity_nodes[ld.p->n_entities] = n->data.sequence.items.start[i];
        ld.p->n_entities++;
        if (d->errors >= 20)
            break;
    }
    if (rc == 0 && count == 0) {
        rspg_fail_at(d, at(&ld, n), "the profile has no entities");
        rc = -1;
    }
    if (rc == 0 && (n = top_value(&ld, root, "crls")) != NULL)
        rc = load_crls(&ld, n);
    if (rc == 0)
        rc = validate(&ld);
    if (rc == 0)
        rc = validate_crls(&ld);
out:
    yaml_document_delete(&ld.doc);
    for (size_t i = 0; i < ld.n_vars; i++) {
        free(ld.vars[i].name);
        free(ld.vars[i].value);
    }
    free(ld.vars);
    free(ld.entity_nodes);
    free(ld.override_used);
    if (ld.p) {
        /* the model's locations point at the composed file names: the profile keeps them */
        ld.p->files = ld.comp.names;
        ld.p->n_files = ld.comp.n_names;
        ld.comp.names = NULL;
        ld.comp.n_names = 0;
    }
    rspg_composed_fini(&ld.comp);
    if (rc != 0) {
        rspg_profile_free(ld.p);
        return RSPG_E_PROFILE;
    }
    *out = ld.p;
    return RSPG_OK;
}

rspg_status rspg_profile_load_file(const char *path, rspg_diag *d, rspg_profile **out)
{
    return rspg_profile_load_file_ex(path, NULL, d, out);
}

rspg_status rspg_profile_load_file_ex(const char *path, const rspg_load_options *o, rspg_diag *d,
                                      rspg_profile **out)
{
    rspg_buf b;
    rspg_buf_init(&b);
    *out = NULL;
    if (rspg_read_file(path, RSPG_MAX_PROFILE_BYTES, &b) != 0) {
        rspg_buf_free(&b);
        if (errno == EFBIG)
            return rspg_fail(d, RSPG_E_PROFILE, "%s: profile larger than %u bytes", path,
                             RSPG_MAX_PROFILE_BYTES);
        return rspg_fail(d, RSPG_E_IO, "%s: cannot open the profile: %s", path, strerror(errno));
    }
    char *dir = rspg_xstrdup(path);
    rspg_status rc = load_internal(b.data ? (const char *)b.data : "", b.len, path, dirname(dir), o,
                                   d, out);
    free(dir);
    rspg_buf_free(&b);
    return rc;
}
