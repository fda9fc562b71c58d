/*
 * yaml_profile.c: YAML (libyaml document API) -> profile model, the top level: the public
 * load functions, a first pass over libyaml's events that refuses aliases (no billion
 * laughs) and limits nesting depth and string length, composition (extends:, --set), then
 * schema, vars (and --var overrides), name, curves, defaults, entities and CRLs in that
 * order, and the cross-entity checks last. The format is docs/profile-format.md.
 */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile_internal.h"
#include "profile/yaml_internal.h"
#include "rspg/base/file.h"
#include "rspg/base/time.h"

static int vars_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                     void *ctx)
{
    (void)ctx;
    if (strcmp(key, "CURVE") == 0 || strcmp(key, "VARIANT") == 0)
        return rspg_yaml_fail(ld, k, "'%s' is a built-in variable and cannot be set", key);
    char *value = NULL;
    int rc = rspg_yaml_want_string(ld, v, "a variable", &value);
    for (size_t i = 0; rc == 0 && ld->opts && i < ld->opts->n_vars; i++) {
        const char *ov = ld->opts->vars[i], *eq = strchr(ov, '=');
        if (eq && (size_t)(eq - ov) == strlen(key) && strncmp(ov, key, strlen(key)) == 0) {
            free(value);
            value = NULL;
            rc = rspg_yaml_expand(ld, v, eq + 1, &value);
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

static int curve_def_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                          void *ctx)
{
    rspg_curve_def *c = ctx;
    (void)k;
    if (strcmp(key, "suffix") == 0) {
        if (rspg_yaml_want_string(ld, v, "suffix", &c->suffix) != 0)
            return -1;
        if (strstr(c->suffix, "..") != NULL) /* ${CURVE} is used in output paths */
            return rspg_yaml_fail(
                ld, v, "suffix '%s' must not contain '..' (it is used in output paths)", c->suffix);
        return 0;
    }
    char *name = NULL;
    if (rspg_yaml_want_string(ld, v, "curve", &name) != 0)
        return -1;
    c->curve = rspg_curve_find(name);
    if (c->curve == NULL)
        rspg_yaml_fail(ld, v, "unknown curve '%s' (expected one of %s)", name, rspg_curve_names());
    free(name);
    return c->curve ? 0 : -1;
}

static int curves_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                       void *ctx)
{
    static const char *const keys[] = {"curve", "suffix", NULL};
    rspg_profile *p = ctx;
    p->curves = rspg_xrealloc(p->curves, (p->n_curves + 1) * sizeof(*p->curves));
    rspg_curve_def *c = &p->curves[p->n_curves++];
    memset(c, 0, sizeof(*c));
    c->key = rspg_xstrdup(key);
    c->loc = rspg_yaml_at(ld, k);
    if (rspg_yaml_each_pair(ld, v, "curve definition", keys, curve_def_pair, c) != 0)
        return -1;
    if (c->curve == NULL)
        return rspg_yaml_fail(ld, v, "curve '%s' needs 'curve' (an OpenSSL curve name)", key);
    if (c->suffix == NULL)
        c->suffix = rspg_xstrdup(key);
    return 0;
}

static int defaults_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                         void *ctx)
{
    rspg_profile *p = ctx;
    (void)k;
    if (strcmp(key, "curves") == 0) {
        if (rspg_yaml_want_string_or_list(ld, v, "curves", &p->default_curves,
                                          &p->n_default_curves) != 0)
            return -1;
        for (size_t i = 0; i < p->n_default_curves; i++)
            if (rspg_profile_curve(p, p->default_curves[i]) == NULL)
                return rspg_yaml_fail(ld, v,
                                      "unknown curve key '%s' (define it under 'curves' first)",
                                      p->default_curves[i]);
        return 0;
    }
    if (strcmp(key, "clock") == 0) {
        int64_t t;
        if (rspg_yaml_want_string(ld, v, "clock", &p->clock) != 0)
            return -1;
        if (rspg_parse_rfc3339(p->clock, &t) != 0)
            return rspg_yaml_fail(ld, v, "clock '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)",
                                  p->clock);
        return 0;
    }
    return rspg_yaml_want_int(ld, v, "validity_days", 1, 3000000, &p->default_validity_days);
}

/* The top-level keys: only the schema is read here; the others are read in order by
 * load_head and load_internal (name and description may use vars). */
static int top_pair(rspg_yaml_loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v,
                    void *ctx)
{
    (void)k;
    (void)ctx;
    if (strcmp(key, "schema") != 0)
        return 0;
    const char *s = rspg_yaml_scalar(v);
    if (s == NULL || strcmp(s, RSPG_YAML_SCHEMA_ID) != 0)
        return rspg_yaml_fail(ld, v, "unsupported schema '%s' (expected " RSPG_YAML_SCHEMA_ID ")",
                              s ? s : rspg_yaml_type_name(v));
    return 0;
}

static yaml_node_t *top_value(rspg_yaml_loader *ld, yaml_node_t *root, const char *key)
{
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        const char *k = rspg_yaml_scalar(rspg_yaml_node(ld, pr->key));
        if (k && strcmp(k, key) == 0)
            return rspg_yaml_node(ld, pr->value);
    }
    return NULL;
}

/* ---- first pass: aliases and depth ---- */

/* The bracketed or quoted construct libyaml's context CONTEXT ("while scanning a quoted
 * scalar") is about; NULL for other contexts. */
static const char *opened_what(const char *context)
{
    static const struct {
        const char *context, *what;
    } names[] = {
        {"while scanning a quoted scalar", "the quoted string"},
        {"while parsing a flow sequence", "the '[' list"},
        {"while parsing a flow mapping", "the '{' mapping"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(context, names[i].context) == 0)
            return names[i].what;
    return NULL; /* a block construct: the problem mark is the better place */
}

/* Reports the YAML syntax error PARSER stopped at, in BUF (LEN bytes) of file NAME. */
static void syntax_error(rspg_yaml_loader *ld, const yaml_parser_t *p, const char *buf, size_t len,
                         const char *name)
{
    rspg_loc loc = {name, (unsigned)p->problem_mark.line + 1, (unsigned)p->problem_mark.column + 1};
    if (p->error == YAML_READER_ERROR) {
        /* reader errors (bad UTF-8, control characters) carry a byte offset, not
         * a mark: count the lines up to it */
        loc.line = 1;
        loc.col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (buf[i] == '\n') {
                loc.line++;
                loc.col = 1;
            } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
                loc.col++;
            }
        }
    }
    if (p->error != YAML_READER_ERROR && p->context && opened_what(p->context) != NULL) {
        /* an unclosed quote or bracket: located where it was opened (libyaml's
         * context mark); where the parser gave up is said in words */
        loc.line = (unsigned)p->context_mark.line + 1;
        loc.col = (unsigned)p->context_mark.column + 1;
        rspg_fail_at(ld->d, loc, "YAML syntax error: %s opened here is not closed (%s at %u:%u)",
                     opened_what(p->context), p->problem ? p->problem : "unknown problem",
                     (unsigned)p->problem_mark.line + 1, (unsigned)p->problem_mark.column + 1);
    } else {
        rspg_fail_at(ld->d, loc, "YAML syntax error: %s%s%s",
                     p->problem ? p->problem : "unknown problem", p->context ? " " : "",
                     p->context ? p->context : "");
    }
}

static int scan_events(rspg_yaml_loader *ld, const char *buf, size_t len, const char *name)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int depth = 0, rc = 0, done = 0;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(ld, &parser, buf, len, name);
            rc = -1;
            break;
        }
        rspg_loc loc = {name, (unsigned)ev.start_mark.line + 1, (unsigned)ev.start_mark.column + 1};
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
    rspg_yaml_loader *ld = ctx;
    if (len > RSPG_MAX_PROFILE_BYTES) {
        rspg_fail(ld->d, RSPG_E_PROFILE, "%s: profile larger than %u bytes", name,
                  RSPG_MAX_PROFILE_BYTES);
        return -1;
    }
    return scan_events(ld, buf, len, name);
}

static rspg_status load_internal(const char *buf, size_t len, const char *name,
                                 const char *base_dir, const rspg_load_options *o, rspg_diag *d,
                                 rspg_profile **out);

rspg_status rspg_profile_load_string_ex(const char *buf, size_t len, const char *name,
                                        const rspg_load_options *o, rspg_diag *d,
                                        rspg_profile **out)
{
    return load_internal(buf, len, name, ".", o, d, out);
}

/* Is P..END valid UTF-8 (RFC 3629: no overlong forms, surrogates or values past
 * U+10FFFF)? */
static int utf8_ok(const unsigned char *p, const unsigned char *end)
{
    while (p < end) {
        unsigned c = *p++, n = c < 0x80                ? 0
                               : c >= 0xC2 && c < 0xE0 ? 1
                               : c >= 0xE0 && c < 0xF0 ? 2
                               : c >= 0xF0 && c < 0xF5 ? 3
                                                       : 4;
        if (n == 4 || (size_t)(end - p) < n)
            return 0;
        unsigned v = c & (0x3F >> n);
        for (unsigned i = 0; i < n; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return 0;
            v = v << 6 | (*p & 0x3F);
        }
        if ((n == 2 && (v < 0x800 || (v >= 0xD800 && v < 0xE000))) ||
            (n == 3 && (v < 0x10000 || v > 0x10FFFF)))
            return 0;
    }
    return 1;
}

/* The PATH of a --set PATH=VALUE names keys and ids: UTF-8 text without control
 * characters (libyaml would refuse it as a key later, without saying so). */
static int set_path_text_ok(const char *assignment, rspg_diag *d)
{
    const char *eq = strchr(assignment, '=');
    const unsigned char *p = (const unsigned char *)assignment,
                        *end = eq ? (const unsigned char *)eq : p + strlen(assignment);
    for (const unsigned char *c = p; c < end; c++)
        if (*c < 0x20 || *c == 0x7F)
            return rspg_fail(d, RSPG_E_USAGE, "--set: the path has a control character (0x%02X)",
                             *c),
                   -1;
    if (!utf8_ok(p, end))
        return rspg_fail(d, RSPG_E_USAGE, "--set: the path is not valid UTF-8"), -1;
    return 0;
}

/* A "\0" in a quoted scalar of any file or --set value: every string of the profile is
 * a C string, so a subject name or a DER string would silently end there. Refused at the
 * scalar (FILE:LINE:COL) wherever it is, used or not. */
static int refuse_nul(rspg_yaml_loader *ld)
{
    for (yaml_node_t *n = ld->doc.nodes.start; n < ld->doc.nodes.top; n++)
        if (n->type == YAML_SCALAR_NODE &&
            memchr(n->data.scalar.value, 0, n->data.scalar.length) != NULL)
            return rspg_yaml_fail(ld, n, "a NUL character (\\0) in a string is not allowed");
    return 0;
}

/* --var syntax, then the composed document (extends:, then each --set). */
static rspg_status compose(rspg_yaml_loader *ld, const char *buf, size_t len, const char *base_dir)
{
    const rspg_load_options *o = ld->opts;
    for (size_t i = 0; o && i < o->n_vars; i++)
        if (strchr(o->vars[i], '=') == NULL || o->vars[i][0] == '=')
            return rspg_fail(ld->d, RSPG_E_USAGE, "--var '%s' is not NAME=VALUE", o->vars[i]);
    if (rspg_compose_load(&ld->comp, buf, len, ld->name, base_dir, check_file, ld, ld->d, &ld->doc,
                          0) != 0) {
        rspg_composed_fini(&ld->comp);
        return RSPG_E_PROFILE;
    }
    for (size_t i = 0; o && i < o->n_sets; i++) {
        size_t before = ld->d->count;
        if (set_path_text_ok(o->sets[i], ld->d) != 0 ||
            rspg_compose_set(&ld->comp, &ld->doc, o->sets[i], ld->d) != 0) {
            if (ld->d->count == before) /* libyaml refused a node, silently */
                rspg_fail(ld->d, RSPG_E_USAGE, "--set '%s' cannot be applied", o->sets[i]);
            yaml_document_delete(&ld->doc);
            rspg_composed_fini(&ld->comp);
            return RSPG_E_USAGE;
        }
    }
    if (refuse_nul(ld) != 0) {
        yaml_document_delete(&ld->doc);
        rspg_composed_fini(&ld->comp);
        return RSPG_E_PROFILE;
    }
    return RSPG_OK;
}

/* vars:, each --var applied to one of them (an unknown one is an error). */
static int load_vars(rspg_yaml_loader *ld, yaml_node_t *root)
{
    const rspg_load_options *o = ld->opts;
    yaml_node_t *n;
    int rc = 0;
    ld->override_used = rspg_xcalloc(o && o->n_vars ? o->n_vars : 1, sizeof(int));
    if ((n = top_value(ld, root, "vars")) &&
        rspg_yaml_each_pair(ld, n, "vars", NULL, vars_pair, NULL))
        return -1;
    for (size_t i = 0; o && i < o->n_vars; i++) {
        if (!ld->override_used[i]) {
            const char *eq = strchr(o->vars[i], '=');
            rspg_fail(ld->d, RSPG_E_USAGE, "--var: the profile %s defines no variable '%.*s'",
                      ld->name, (int)(eq - o->vars[i]), o->vars[i]);
            rc = -1;
        }
    }
    return rc;
}

/* Everything before the entities, in this order: the top-level keys and schema, vars,
 * name and description (which may use vars), curves, defaults. */
static int load_head(rspg_yaml_loader *ld, yaml_node_t *root)
{
    static const char *const top_keys[] = {"schema",  "name",     "description", "vars",
                                           "curves",  "defaults", "entities",    "crls",
                                           "extends", NULL};
    static const char *const defaults_keys[] = {"curves", "clock", "validity_days", NULL};
    rspg_profile *p = ld->p;
    yaml_node_t *n;
    if (rspg_yaml_each_pair(ld, root, "the profile", top_keys, top_pair, NULL) != 0)
        return -1;
    if (top_value(ld, root, "schema") == NULL) {
        rspg_fail_at(ld->d, rspg_yaml_at(ld, root), "missing 'schema: " RSPG_YAML_SCHEMA_ID "'");
        return -1;
    }
    if (load_vars(ld, root) != 0)
        return -1;
    if (((n = top_value(ld, root, "name")) &&
         rspg_yaml_want_string(ld, n, "name", &p->name) != 0) ||
        ((n = top_value(ld, root, "description")) &&
         rspg_yaml_want_string(ld, n, "description", &p->description) != 0))
        return -1;
    if ((n = top_value(ld, root, "curves")) &&
        rspg_yaml_each_pair(ld, n, "curves", NULL, curves_pair, p))
        return -1;
    if (p->n_curves == 0) {
        rspg_fail_at(ld->d, rspg_yaml_at(ld, root),
                     "missing 'curves' (e.g. nist: {curve: prime256v1, suffix: NIST})");
        return -1;
    }
    if ((n = top_value(ld, root, "defaults")) &&
        rspg_yaml_each_pair(ld, n, "defaults", defaults_keys, defaults_pair, p) != 0)
        return -1;
    return 0;
}

/* entities: each one (an entity with an id is kept even when it has errors, for base:
 * and the messages of later ones); stops after 20 errors. */
static int load_entities(rspg_yaml_loader *ld, yaml_node_t *root)
{
    rspg_profile *p = ld->p;
    yaml_node_t *n = top_value(ld, root, "entities");
    int rc = 0;
    if (n == NULL || n->type != YAML_SEQUENCE_NODE) {
        rspg_fail_at(ld->d, n ? rspg_yaml_at(ld, n) : rspg_yaml_at(ld, root),
                     "'entities' must be a list of entities");
        return -1;
    }
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count > RSPG_MAX_ENTITIES) {
        rspg_fail_at(ld->d, rspg_yaml_at(ld, n), "more than %d entities", RSPG_MAX_ENTITIES);
        return -1;
    }
    p->entities = rspg_xcalloc(count ? count : 1, sizeof(rspg_entity));
    ld->entity_nodes = rspg_xcalloc(count ? count : 1, sizeof(int));
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *en = rspg_yaml_node(ld, n->data.sequence.items.start[i]);
        rspg_entity *e = &p->entities[p->n_entities];
        if (rspg_yaml_load_entity(ld, en, e) != 0 ||
            rspg_yaml_load_entity_node(ld, en, e, 0) != 0) {
            rc = -1;
            if (e->id == NULL) {
                rspg_entity_clear(e);
                continue;
            }
        }
        ld->entity_nodes[p->n_entities] = n->data.sequence.items.start[i];
        p->n_entities++;
        if (ld->d->errors >= 20)
            break;
    }
    if (rc == 0 && count == 0) {
        rspg_fail_at(ld->d, rspg_yaml_at(ld, n), "the profile has no entities");
        rc = -1;
    }
    return rc;
}

/* Frees the loader; the profile (if any) keeps the composed file names, which its
 * locations point at. */
static void loader_fini(rspg_yaml_loader *ld)
{
    yaml_document_delete(&ld->doc);
    for (size_t i = 0; i < ld->n_vars; i++) {
        free(ld->vars[i].name);
        free(ld->vars[i].value);
    }
    free(ld->vars);
    free(ld->entity_nodes);
    free(ld->override_used);
    if (ld->p) {
        ld->p->files = ld->comp.names;
        ld->p->n_files = ld->comp.n_names;
        ld->comp.names = NULL;
        ld->comp.n_names = 0;
    }
    rspg_composed_fini(&ld->comp);
}

static rspg_status load_internal(const char *buf, size_t len, const char *name,
                                 const char *base_dir, const rspg_load_options *o, rspg_diag *d,
                                 rspg_profile **out)
{
    rspg_yaml_loader ld;
    int rc = 0;

    *out = NULL;
    memset(&ld, 0, sizeof(ld));
    ld.name = name;
    ld.d = d;
    ld.opts = o;
    rspg_status st = compose(&ld, buf, len, base_dir);
    if (st != RSPG_OK)
        return st;
    ld.p = rspg_xcalloc(1, sizeof(rspg_profile));
    ld.p->path = rspg_xstrdup(name);
    yaml_node_t *root = yaml_document_get_root_node(&ld.doc), *n;
    if (root == NULL) {
        rspg_fail_at(d, (rspg_loc){name, 1, 1}, "the profile is empty");
        rc = -1;
    }
    if (rc == 0)
        rc = load_head(&ld, root);
    if (rc == 0)
        rc = load_entities(&ld, root);
    if (rc == 0 && (n = top_value(&ld, root, "crls")) != NULL)
        rc = rspg_yaml_load_crls(&ld, n);
    if (rc == 0)
        rc = rspg_yaml_validate_entities(&ld);
    if (rc == 0)
        rc = rspg_yaml_validate_crls(&ld);
    loader_fini(&ld);
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
        return rspg_fail(d, RSPG_E_IO, "%s: cannot open the profile: %s", path,
                         rspg_read_error(errno));
    }
    char *dir = rspg_xstrdup(path);
    rspg_status rc =
        load_internal(b.data ? (const char *)b.data : "", b.len, path, dirname(dir), o, d, out);
    free(dir);
    rspg_buf_free(&b);
    return rc;
}
