/*
 * yaml_read.c: the YAML node getters of the profile loader: located errors, ${var}
 * expansion, typed scalars (string, bool, bounded integer, OID, relative path), lists, and
 * mappings checked against the keys of their context (unknown and duplicate keys are
 * errors located by libyaml's marks). docs/profile-format.md describes the format.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/yaml_internal.h"
#include "rspg/asn1/der.h"

rspg_loc rspg_yaml_at(const rspg_yaml_loader *ld, const yaml_node_t *n)
{
    return (rspg_loc){rspg_composed_file(&ld->comp, &ld->doc, n, ld->name),
                      (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};
}

yaml_node_t *rspg_yaml_node(rspg_yaml_loader *ld, int index)
{
    return yaml_document_get_node(&ld->doc, index);
}

const char *rspg_yaml_type_name(const yaml_node_t *n)
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

int rspg_yaml_fail(rspg_yaml_loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rspg_fail_at(ld->d, rspg_yaml_at(ld, n), "%s", msg);
    return -1;
}

const char *rspg_yaml_scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Expands ${var}; keeps ${CURVE} and ${VARIANT} for the builder. */
int rspg_yaml_expand(rspg_yaml_loader *ld, const yaml_node_t *n, const char *s, char **out)
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
                return rspg_yaml_fail(ld, n, "unterminated '${' in '%s'", s);
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
                    rspg_yaml_fail(ld, n, "unknown variable '${%s}' (define it under 'vars')",
                                   name);
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
        return rspg_yaml_fail(ld, n, "string longer than %u characters", RSPG_MAX_STRING);
    }
    rspg_buf_push(&b, 0);
    *out = (char *)b.data;
    return 0;
}

int rspg_yaml_want_string(rspg_yaml_loader *ld, const yaml_node_t *n, const char *what, char **out)
{
    const char *s = rspg_yaml_scalar(n);
    if (s == NULL)
        return rspg_yaml_fail(ld, n, "%s must be a string, not %s", what, rspg_yaml_type_name(n));
    char *v = NULL;
    if (rspg_yaml_expand(ld, n, s, &v) != 0)
        return -1;
    free(*out);
    *out = v;
    return 0;
}

int rspg_yaml_want_bool(rspg_yaml_loader *ld, const yaml_node_t *n, const char *what, int *out)
{
    const char *s = rspg_yaml_scalar(n);
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0)) {
        *out = 1;
        return 0;
    }
    if (s && (strcmp(s, "false") == 0 || strcmp(s, "False") == 0)) {
        *out = 0;
        return 0;
    }
    return rspg_yaml_fail(ld, n, "%s must be true or false", what);
}

int rspg_yaml_want_int(rspg_yaml_loader *ld, const yaml_node_t *n, const char *what, long long min,
                       long long max, long long *out)
{
    const char *raw = rspg_yaml_scalar(n);
    char *s = NULL, *end = NULL;
    if (raw == NULL || *raw == '\0')
        return rspg_yaml_fail(ld, n, "%s must be an integer", what);
    if (rspg_yaml_expand(ld, n, raw, &s) != 0)
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    int rc = 0;
    if (*s == '\0' || *end != '\0' || errno)
        rc = rspg_yaml_fail(ld, n, "%s must be an integer, not '%s'", what, s);
    else if (v < min || v > max)
        rc = rspg_yaml_fail(ld, n, "%s must be between %lld and %lld, not %lld", what, min, max, v);
    else
        *out = v;
    free(s);
    return rc;
}

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

int rspg_yaml_each_pair(rspg_yaml_loader *ld, yaml_node_t *map, const char *what,
                        const char *const *allowed, rspg_yaml_pair_fn fn, void *ctx)
{
    if (map->type != YAML_MAPPING_NODE)
        return rspg_yaml_fail(ld, map, "%s must be a mapping, not %s", what,
                              rspg_yaml_type_name(map));
    int rc = 0;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = rspg_yaml_node(ld, pr->key), *v = rspg_yaml_node(ld, pr->value);
        const char *key = rspg_yaml_scalar(k);
        if (key == NULL) {
            rspg_yaml_fail(ld, k, "keys of %s must be strings", what);
            rc = -1;
            continue;
        }
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
            const char *other = rspg_yaml_scalar(rspg_yaml_node(ld, q->key));
            if (other && strcmp(other, key) == 0) {
                yaml_node_t *first = rspg_yaml_node(ld, q->key);
                rspg_yaml_fail(ld, k, "duplicate key '%s' in %s (first at line %u)", key, what,
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
                rspg_yaml_fail(ld, k, "unknown key '%s' in %s (expected one of: %s)", key, what,
                               list);
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
int rspg_yaml_single_pair(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, const char **key,
                          yaml_node_t **knode, yaml_node_t **value)
{
    if (n->type != YAML_MAPPING_NODE ||
        n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
        return rspg_yaml_fail(ld, n, "each %s must be a mapping with exactly one key", what);
    yaml_node_pair_t *pr = n->data.mapping.pairs.start;
    *knode = rspg_yaml_node(ld, pr->key);
    *value = rspg_yaml_node(ld, pr->value);
    *key = rspg_yaml_scalar(*knode);
    if (*key == NULL)
        return rspg_yaml_fail(ld, *knode, "the key of a %s must be a string", what);
    return 0;
}

/* Fails when the key of pair PR of mapping MAP already appeared before it (for the
 * mappings that are not read with each_pair). */
int rspg_yaml_unique_key(rspg_yaml_loader *ld, yaml_node_t *map, yaml_node_pair_t *pr,
                         const char *what)
{
    const char *key = rspg_yaml_scalar(rspg_yaml_node(ld, pr->key));
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; key && q < pr; q++) {
        const char *other = rspg_yaml_scalar(rspg_yaml_node(ld, q->key));
        if (other && strcmp(other, key) == 0)
            return rspg_yaml_fail(ld, rspg_yaml_node(ld, pr->key),
                                  "duplicate key '%s' in %s (first at line %u)", key, what,
                                  (unsigned)rspg_yaml_node(ld, q->key)->start_mark.line + 1);
    }
    return 0;
}

int rspg_yaml_want_string_list(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, char ***out,
                               size_t *count)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(ld, n, "%s must be a list, not %s", what, rspg_yaml_type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char **v = rspg_xcalloc(len, sizeof(char *));
    for (size_t i = 0; i < len; i++) {
        if (rspg_yaml_want_string(ld, rspg_yaml_node(ld, n->data.sequence.items.start[i]), what,
                                  &v[i]) != 0) {
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
int rspg_yaml_want_string_or_list(rspg_yaml_loader *ld, yaml_node_t *n, const char *what,
                                  char ***out, size_t *count)
{
    if (n->type == YAML_SCALAR_NODE) {
        char *s = NULL;
        if (rspg_yaml_want_string(ld, n, what, &s) != 0)
            return -1;
        for (size_t j = 0; j < *count; j++)
            free((*out)[j]);
        free(*out);
        *out = rspg_xcalloc(1, sizeof(char *));
        (*out)[0] = s;
        *count = 1;
        return 0;
    }
    return rspg_yaml_want_string_list(ld, n, what, out, count);
}

int rspg_yaml_check_oid(rspg_yaml_loader *ld, yaml_node_t *n, const char *oid)
{
    rspg_buf b;
    rspg_buf_init(&b);
    int rc = rspg_der_oid_from_text(oid, &b);
    rspg_buf_free(&b);
    if (rc != 0)
        return rspg_yaml_fail(ld, n, "'%s' is not an object identifier (dotted decimal expected)",
                              oid);
    return 0;
}

int rspg_yaml_check_rel_path(rspg_yaml_loader *ld, yaml_node_t *n, const char *p)
{
    if (p == NULL)
        return 0;
    if (p[0] == '/' || strstr(p, "..") != NULL)
        return rspg_yaml_fail(ld, n, "output path '%s' must stay inside the output folder", p);
    return 0;
}
