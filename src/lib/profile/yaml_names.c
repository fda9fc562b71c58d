/*
 * yaml_names.c: distinguished names (subject attributes, their string types and RFC 5280
 * upper bounds) and general names (SAN, name constraints: dns, uri, email, rid, dir) of
 * the profile loader.
 */
#include <ctype.h>
#include <string.h>

#include "profile/profile_internal.h"
#include "profile/yaml_internal.h"
#include "rspg/asn1/dn_attr.h"

/* The profile's string type of a DER string tag (dn_attr.h). */
static rspg_string_type string_type_of(int der_tag)
{
    return der_tag == RSPG_DER_PRINTABLESTRING ? RSPG_STR_PRINTABLE
           : der_tag == RSPG_DER_IA5STRING     ? RSPG_STR_IA5
                                               : RSPG_STR_UTF8;
}

static int printable_char(int c)
{
    /* X.680 §41.4 PrintableString */
    return isalnum(c) || strchr(" '()+,-./:=?", c) != NULL;
}

static int check_attr_value(rspg_yaml_loader *ld, yaml_node_t *n, const rspg_attr *a)
{
    const unsigned char *s = (const unsigned char *)a->value;
    if (*s == '\0')
        return rspg_yaml_fail(ld, n, "attribute %s is empty", a->key);
    if (strlen(a->value) > 64 && strcmp(a->oid, "2.5.4.5") != 0)
        return rspg_yaml_fail(
            ld, n, "attribute %s is longer than 64 characters (RFC 5280 upper bound)", a->key);
    for (const unsigned char *c = s; *c; c++)
        if (*c < 0x20 || *c == 0x7F)
            return rspg_yaml_fail(ld, n,
                                  "control character 0x%02X in attribute %s: names carry no "
                                  "control characters (X.680 §41.4; RFC 4518 §2.2)",
                                  *c, a->key);
    if (strstr(a->value, "${") != NULL)
        return 0; /* checked per curve by the builder */
    if (a->type == RSPG_STR_PRINTABLE) {
        for (; *s; s++)
            if (*s >= 0x80 || !printable_char(*s))
                return rspg_yaml_fail(ld, n,
                                      "character '%c' is not allowed in a PrintableString (%s)",
                                      *s >= 0x20 && *s < 0x7F ? *s : '?', a->key);
    } else if (a->type == RSPG_STR_IA5) {
        for (; *s; s++)
            if (*s >= 0x80)
                return rspg_yaml_fail(ld, n, "non-ASCII character in an IA5String (%s)", a->key);
    }
    if (strcmp(a->oid, "2.5.4.6") == 0 &&
        (strlen(a->value) != 2 || !isalpha((unsigned char)a->value[0]) ||
         !isalpha((unsigned char)a->value[1])))
        return rspg_yaml_fail(ld, n, "country (C) must be two letters, not '%s'", a->value);
    return 0;
}

static int load_attr(rspg_yaml_loader *ld, yaml_node_t *item, rspg_attr *a)
{
    const char *key;
    yaml_node_t *k = NULL, *v = NULL;
    if (rspg_yaml_single_pair(ld, item, "subject attribute", &key, &k, &v) != 0)
        return -1;
    a->key = rspg_xstrdup(key);
    a->loc = rspg_yaml_at(ld, v);
    const rspg_dn_attr *def = rspg_dn_attr_by_name(key);
    if (def && def->profile_key) {
        a->oid = rspg_xstrdup(def->oid);
        a->type = string_type_of(def->der_tag);
    } else if (isdigit((unsigned char)key[0])) {
        if (rspg_yaml_check_oid(ld, k, key) != 0)
            return -1;
        a->oid = rspg_xstrdup(key);
        a->type = RSPG_STR_UTF8;
    } else {
        return rspg_yaml_fail(ld, k,
                              "unknown attribute '%s' (expected CN, O, OU, C, L, ST, serialNumber, "
                              "emailAddress, DC or a dotted OID)",
                              key);
    }
    if (v->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *kk = rspg_yaml_node(ld, pr->key), *vv = rspg_yaml_node(ld, pr->value);
            const char *name = rspg_yaml_scalar(kk);
            if (rspg_yaml_unique_key(ld, v, pr, "subject attribute") != 0)
                return -1;
            if (name && strcmp(name, "value") == 0) {
                if (rspg_yaml_want_string(ld, vv, "value", &a->value) != 0)
                    return -1;
            } else if (name && strcmp(name, "type") == 0) {
                const char *t = rspg_yaml_scalar(vv);
                if (t && strcmp(t, "utf8") == 0)
                    a->type = RSPG_STR_UTF8;
                else if (t && strcmp(t, "printable") == 0)
                    a->type = RSPG_STR_PRINTABLE;
                else if (t && strcmp(t, "ia5") == 0)
                    a->type = RSPG_STR_IA5;
                else
                    return rspg_yaml_fail(
                        ld, vv, "unknown string type '%s' (expected utf8, printable or ia5)",
                        t ? t : rspg_yaml_type_name(vv));
            } else {
                return rspg_yaml_fail(ld, kk,
                                      "unknown key '%s' in subject attribute (expected one of: "
                                      "value, type)",
                                      name ? name : "?");
            }
        }
        if (a->value == NULL)
            return rspg_yaml_fail(ld, v, "attribute %s has no value", key);
    } else if (rspg_yaml_want_string(ld, v, "an attribute value", &a->value) != 0) {
        return -1;
    }
    return check_attr_value(ld, v, a);
}

int rspg_yaml_load_dn(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, rspg_dn *dn)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(
            ld, n, "%s must be a list of one-key mappings (e.g. '- CN: Test CI'), not %s", what,
            rspg_yaml_type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (len == 0)
        return rspg_yaml_fail(ld, n, "%s is empty", what);
    rspg_dn_clear(dn);
    dn->attrs = rspg_xcalloc(len, sizeof(rspg_attr));
    dn->count = len;
    for (size_t i = 0; i < len; i++)
        if (load_attr(ld, rspg_yaml_node(ld, n->data.sequence.items.start[i]), &dn->attrs[i]) != 0)
            return -1;
    return 0;
}

/* ---- general names (SAN, name constraints) ---- */

int rspg_yaml_load_general_names(rspg_yaml_loader *ld, yaml_node_t *n, const char *what,
                                 rspg_general_name **out, size_t *count)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return rspg_yaml_fail(ld, n, "%s must be a list, not %s", what, rspg_yaml_type_name(n));
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    rspg_general_name *v = rspg_xcalloc(len ? len : 1, sizeof(*v));
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        yaml_node_t *item = rspg_yaml_node(ld, n->data.sequence.items.start[i]), *k = NULL,
                    *val = NULL;
        const char *key;
        if (rspg_yaml_single_pair(ld, item, "name", &key, &k, &val) != 0) {
            rc = -1;
            break;
        }
        v[i].loc = rspg_yaml_at(ld, val);
        if (strcmp(key, "dns") == 0) {
            v[i].kind = RSPG_GN_DNS;
            rc = rspg_yaml_want_string(ld, val, "dns", &v[i].value);
        } else if (strcmp(key, "uri") == 0) {
            v[i].kind = RSPG_GN_URI;
            rc = rspg_yaml_want_string(ld, val, "uri", &v[i].value);
        } else if (strcmp(key, "email") == 0) {
            v[i].kind = RSPG_GN_EMAIL;
            rc = rspg_yaml_want_string(ld, val, "email", &v[i].value);
        } else if (strcmp(key, "rid") == 0) {
            v[i].kind = RSPG_GN_RID;
            rc = rspg_yaml_want_string(ld, val, "rid", &v[i].value);
            if (rc == 0)
                rc = rspg_yaml_check_oid(ld, val, v[i].value);
        } else if (strcmp(key, "dir") == 0) {
            v[i].kind = RSPG_GN_DIRNAME;
            rc = rspg_yaml_load_dn(ld, val, "dir", &v[i].dn);
        } else {
            rc = rspg_yaml_fail(
                ld, k, "unknown name type '%s' (expected dns, uri, email, rid or dir)", key);
        }
        if (rc == 0 && v[i].value) {
            for (const unsigned char *s = (const unsigned char *)v[i].value; *s; s++)
                if (*s >= 0x80 || *s < 0x20) {
                    rc = rspg_yaml_fail(ld, val, "%s names must be printable ASCII (IA5String)",
                                        key);
                    break;
                }
        }
    }
    rspg_general_names_free(*out, *count);
    *out = v;
    *count = len;
    return rc;
}
