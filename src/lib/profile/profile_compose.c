/*
 * profile_compose.c: profile composition at the YAML level, before the schema is read.
 *
 * `extends: FILE` loads FILE (relative to the extending profile) and merges the extending
 * document into it: mappings merge key by key, the `entities` and `crls` lists merge by
 * `id` (an entity with a known id changes only the keys it gives; a new id is added), any
 * other value replaces the base's. `--set PATH=VALUE` replaces one value of the composed
 * document; PATH walks mappings by key, the entity and CRL lists by id, one-key lists
 * (subject, extensions, names) by key, and other lists by index. Every node remembers its
 * file, so messages point at the file and line a value came from.
 */
#include "profile/profile_compose.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/buf.h"
#include "rspg/base/file.h"

#define MAX_EXTENDS_DEPTH 8

static void note_file(rspg_composed *c, int index, const char *file)
{
    while ((size_t)index > c->n_files) {
        size_t cap = c->n_files ? c->n_files * 2 : 64;
        while (cap < (size_t)index)
            cap *= 2;
        c->files = rspg_xrealloc(c->files, cap * sizeof(char *));
        for (size_t i = c->n_files; i < cap; i++)
            c->files[i] = NULL;
        c->n_files = cap;
    }
    c->files[index - 1] = file;
}

static const char *intern(rspg_composed *c, const char *name)
{
    for (size_t i = 0; i < c->n_names; i++)
        if (strcmp(c->names[i], name) == 0)
            return c->names[i];
    c->names = rspg_xrealloc(c->names, (c->n_names + 1) * sizeof(char *));
    c->names[c->n_names] = rspg_xstrdup(name);
    return c->names[c->n_names++];
}

const char *rspg_composed_file(const rspg_composed *c, const yaml_document_t *doc,
                               const yaml_node_t *n, const char *fallback)
{
    size_t index = (size_t)(n - doc->nodes.start) + 1;
    if (index >= 1 && index <= c->n_files && c->files[index - 1])
        return c->files[index - 1];
    return fallback;
}

void rspg_composed_fini(rspg_composed *c)
{
    for (size_t i = 0; i < c->n_names; i++)
        free(c->names[i]);
    free(c->names);
    free(c->files);
    memset(c, 0, sizeof(*c));
}

static rspg_loc loc_of(const rspg_composed *c, const yaml_document_t *doc, const yaml_node_t *n,
                       const char *file)
{
    return (rspg_loc){rspg_composed_file(c, doc, n, file), (unsigned)n->start_mark.line + 1,
                      (unsigned)n->start_mark.column + 1};
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Copies node SRC_INDEX of SRC (recursively) into DST; returns the new index or 0. */
static int copy_node(rspg_composed *c, yaml_document_t *dst, yaml_document_t *src, int src_index,
                     const char *file);

static int copy_node_body(rspg_composed *c, yaml_document_t *dst, yaml_document_t *src,
                          int src_index, const char *file)
{
    yaml_node_t *s = yaml_document_get_node(src, src_index);
    int idx = 0;
    if (s == NULL)
        return 0;
    yaml_mark_t mark = s->start_mark;
    switch (s->type) {
    case YAML_SCALAR_NODE:
        idx = yaml_document_add_scalar(dst, NULL, s->data.scalar.value, (int)s->data.scalar.length,
                                       s->data.scalar.style);
        break;
    case YAML_SEQUENCE_NODE: {
        idx = yaml_document_add_sequence(dst, NULL, YAML_ANY_SEQUENCE_STYLE);
        size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
        for (size_t i = 0; idx && i < n; i++) {
            s = yaml_document_get_node(src, src_index);
            int item = copy_node(c, dst, src, s->data.sequence.items.start[i], file);
            if (!item || !yaml_document_append_sequence_item(dst, idx, item))
                return 0;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        idx = yaml_document_add_mapping(dst, NULL, YAML_ANY_MAPPING_STYLE);
        size_t n = (size_t)(s->data.mapping.pairs.top - s->data.mapping.pairs.start);
        for (size_t i = 0; idx && i < n; i++) {
            s = yaml_document_get_node(src, src_index);
            yaml_node_pair_t pr = s->data.mapping.pairs.start[i];
            int k = copy_node(c, dst, src, pr.key, file);
            int v = k ? copy_node(c, dst, src, pr.value, file) : 0;
            if (!v || !yaml_document_append_mapping_pair(dst, idx, k, v))
                return 0;
        }
        break;
    }
    default:
        return 0;
    }
    if (idx) {
        yaml_document_get_node(dst, idx)->start_mark = mark;
        note_file(c, idx, file);
    }
    return idx;
}

/* Copies node SRC_INDEX of SRC into DST (deeply); the new node's index, or 0. */
static int copy_node(rspg_composed *c, yaml_document_t *dst, yaml_document_t *src, int src_index,
                     const char *file)
{
    if (c->depth >= RSPG_COMPOSE_MAX_DEPTH) {
        c->too_deep = 1;
        return 0;
    }
    c->depth++;
    int idx = copy_node_body(c, dst, src, src_index, file);
    c->depth--;
    return idx;
}

static const char *id_of(yaml_document_t *doc, yaml_node_t *item)
{
    if (item == NULL || item->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(yaml_document_get_node(doc, p->key));
        if (k && strcmp(k, "id") == 0)
            return scalar(yaml_document_get_node(doc, p->value));
    }
    return NULL;
}

static int merge_mapping(rspg_composed *c, yaml_document_t *dst, int di, yaml_document_t *src,
                         int si, const char *file, int top);

/* Merges the list SI of SRC into the list DI of DST by the items' ids. */
static int merge_by_id(rspg_composed *c, yaml_document_t *dst, int di, yaml_document_t *src, int si,
                       const char *file)
{
    yaml_node_t *s = yaml_document_get_node(src, si);
    size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
    for (size_t i = 0; i < n; i++) {
        s = yaml_document_get_node(src, si);
        int item = s->data.sequence.items.start[i];
        const char *id = id_of(src, yaml_document_get_node(src, item));
        int target = 0;
        yaml_node_t *d = yaml_document_get_node(dst, di);
        for (yaml_node_item_t *it = d->data.sequence.items.start;
             id && it < d->data.sequence.items.top; it++) {
            const char *other = id_of(dst, yaml_document_get_node(dst, *it));
            if (other && strcmp(other, id) == 0)
                target = *it;
        }
        if (target) {
            if (merge_mapping(c, dst, target, src, item, file, 0) != 0)
                return -1;
        } else {
            int copy = copy_node(c, dst, src, item, file);
            if (!copy || !yaml_document_append_sequence_item(dst, di, copy))
                return -1;
        }
    }
    return 0;
}

static int merge_mapping_body(rspg_composed *c, yaml_document_t *dst, int di, yaml_document_t *src,
                              int si, const char *file, int top)
{
    yaml_node_t *s = yaml_document_get_node(src, si);
    size_t n = (size_t)(s->data.mapping.pairs.top - s->data.mapping.pairs.start);
    for (size_t i = 0; i < n; i++) {
        s = yaml_document_get_node(src, si);
        yaml_node_pair_t sp = s->data.mapping.pairs.start[i];
        const char *key = scalar(yaml_document_get_node(src, sp.key));
        if (key == NULL)
            continue; /* the schema check reports it */
        if (top && strcmp(key, "extends") == 0)
            continue;
        yaml_node_t *d = yaml_document_get_node(dst, di);
        yaml_node_pair_t *dp = NULL;
        for (yaml_node_pair_t *p = d->data.mapping.pairs.start; p < d->data.mapping.pairs.top;
             p++) {
            const char *k = scalar(yaml_document_get_node(dst, p->key));
            if (k && strcmp(k, key) == 0)
                dp = p;
        }
        yaml_node_t *sv = yaml_document_get_node(src, sp.value);
        if (dp) {
            int dv_index = dp->value;
            yaml_node_t *dv = yaml_document_get_node(dst, dv_index);
            if (dv->type == YAML_MAPPING_NODE && sv->type == YAML_MAPPING_NODE) {
                if (merge_mapping(c, dst, dv_index, src, sp.value, file, 0) != 0)
                    return -1;
                continue;
            }
            if (top && (strcmp(key, "entities") == 0 || strcmp(key, "crls") == 0) &&
                dv->type == YAML_SEQUENCE_NODE && sv->type == YAML_SEQUENCE_NODE) {
                if (merge_by_id(c, dst, dv_index, src, sp.value, file) != 0)
                    return -1;
                continue;
            }
            ptrdiff_t at = dp - d->data.mapping.pairs.start;
            int copy = copy_node(c, dst, src, sp.value, file);
            if (!copy)
                return -1;
            d = yaml_document_get_node(dst, di); /* the node array may have moved */
            d->data.mapping.pairs.start[at].value = copy;
        } else {
            int k = copy_node(c, dst, src, sp.key, file);
            int v = k ? copy_node(c, dst, src, sp.value, file) : 0;
            if (!v || !yaml_document_append_mapping_pair(dst, di, k, v))
                return -1;
        }
    }
    return 0;
}

static int merge_mapping(rspg_composed *c, yaml_document_t *dst, int di, yaml_document_t *src,
                         int si, const char *file, int top)
{
    if (c->depth >= RSPG_COMPOSE_MAX_DEPTH) {
        c->too_deep = 1;
        return -1;
    }
    c->depth++;
    int rc = merge_mapping_body(c, dst, di, src, si, file, top);
    c->depth--;
    return rc;
}

static int parse(const char *buf, size_t len, const char *name, rspg_diag *d, yaml_document_t *doc)
{
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    int ok = yaml_parser_load(&parser, doc);
    if (!ok) {
        rspg_loc loc = {name, (unsigned)parser.problem_mark.line + 1,
                        (unsigned)parser.problem_mark.column + 1};
        int open = parser.context && (strstr(parser.context, "quoted scalar") ||
                                      strstr(parser.context, "flow")); /* left open: there */
        if (open)
            loc = (rspg_loc){name, (unsigned)parser.context_mark.line + 1,
                             (unsigned)parser.context_mark.column + 1};
        rspg_fail_at(d, loc, "YAML error: %s%s%s", parser.problem ? parser.problem : "unknown",
                     open ? " " : "", open ? parser.context : "");
    }
    yaml_parser_delete(&parser);
    return ok ? 0 : -1;
}

/* The value node of the top-level key `extends` of DOC (root ROOT), or NULL. */
static yaml_node_t *find_extends(yaml_document_t *doc, yaml_node_t *root)
{
    yaml_node_t *found = NULL;
    if (root == NULL || root->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(yaml_document_get_node(doc, p->key));
        if (k && strcmp(k, "extends") == 0)
            found = yaml_document_get_node(doc, p->value);
    }
    return found;
}

int rspg_compose_load(rspg_composed *c, const char *buf, size_t len, const char *name,
                      const char *base_dir, rspg_compose_check check, void *check_ctx, rspg_diag *d,
                      yaml_document_t *out, int depth)
{
    yaml_document_t doc;
    const char *file = intern(c, name);
    if (check && check(check_ctx, buf, len, file) != 0)
        return -1;
    if (parse(buf, len, file, d, &doc) != 0)
        return -1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *ext_node = find_extends(&doc, root);
    const char *extends = ext_node ? scalar(ext_node) : NULL;
    if (ext_node && extends == NULL) {
        rspg_fail_at(d, loc_of(c, &doc, ext_node, file), "extends must be the path of a profile");
        yaml_document_delete(&doc);
        return -1;
    }
    if (extends == NULL) {
        /* no base: this document is the result; record every node's file */
        for (int i = 1; doc.nodes.start + i - 1 < doc.nodes.top; i++)
            note_file(c, i, file);
        *out = doc;
        return 0;
    }
    if (depth >= MAX_EXTENDS_DEPTH) {
        rspg_fail_at(d, loc_of(c, &doc, ext_node, file), "extends chain deeper than %d (a cycle?)",
                     MAX_EXTENDS_DEPTH);
        yaml_document_delete(&doc);
        return -1;
    }
    char *path = extends[0] == '/' ? rspg_xstrdup(extends)
                                   : rspg_xasprintf("%s/%s", base_dir ? base_dir : ".", extends);
    rspg_buf b;
    rspg_buf_init(&b);
    if (rspg_read_file(path, RSPG_MAX_PROFILE_BYTES, &b) != 0) {
        rspg_fail_at(d, loc_of(c, &doc, ext_node, file), "cannot read the base profile '%s': %s",
                     path, rspg_read_error(errno));
        rspg_buf_free(&b);
        free(path);
        yaml_document_delete(&doc);
        return -1;
    }
    char *dir_copy = rspg_xstrdup(path);
    yaml_document_t base;
    /* the base's node files are recorded from index 1; this document's nodes are copied
     * into it and recorded as they are added */
    rspg_composed sub = {0};
    int rc = rspg_compose_load(&sub, b.data ? (const char *)b.data : "", b.len, path,
                               dirname(dir_copy), check, check_ctx, d, &base, depth + 1);
    if (rc == 0) {
        for (size_t i = 0; i < sub.n_files; i++)
            if (sub.files[i])
                note_file(c, (int)i + 1, intern(c, sub.files[i]));
        yaml_node_t *broot = yaml_document_get_root_node(&base);
        if (broot == NULL || broot->type != YAML_MAPPING_NODE || root == NULL) {
            rspg_fail_at(d, loc_of(c, &doc, ext_node, file),
                         "the base profile '%s' is not a mapping", path);
            rc = -1;
        } else if (merge_mapping(c, &base, 1 + (int)(broot - base.nodes.start), &doc,
                                 1 + (int)(root - doc.nodes.start), file, 1) != 0) {
            rspg_fail_at(d, loc_of(c, &doc, root, file), "cannot merge into the base profile%s",
                         c->too_deep ? ": it nests more than 64 levels deep (or an alias refers "
                                       "to itself)"
                                     : "");
            rc = -1;
        }
        if (rc == 0)
            *out = base;
        else
            yaml_document_delete(&base);
    }
    rspg_composed_fini(&sub);
    free(dir_copy);
    free(path);
    rspg_buf_free(&b);
    yaml_document_delete(&doc);
    return rc;
}

/* ---- --set ---- */

static int find_in_sequence(yaml_document_t *doc, yaml_node_t *seq, const char *seg)
{
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    for (size_t i = 0; i < n; i++) {
        int item = seq->data.sequence.items.start[i];
        yaml_node_t *it = yaml_document_get_node(doc, item);
        const char *id = id_of(doc, it);
        if (id && strcmp(id, seg) == 0)
            return item;
        if (it->type == YAML_MAPPING_NODE &&
            it->data.mapping.pairs.top - it->data.mapping.pairs.start == 1) {
            const char *k = scalar(yaml_document_get_node(doc, it->data.mapping.pairs.start->key));
            if (k && strcmp(k, seg) == 0)
                return it->data.mapping.pairs.start->value; /* one-key item: its value */
        }
    }
    char *end;
    unsigned long i = strtoul(seg, &end, 10);
    if (*seg && *end == '\0' && i < n)
        return seq->data.sequence.items.start[i];
    return 0;
}

/* Where a value sits, so that it can be replaced: a mapping pair (by mapping node and
 * pair position: pairs arrays move when their mapping grows) or a list item. */
struct slot {
    int mapping;
    size_t pair;
    int list;
    size_t item;
};

static void slot_set(yaml_document_t *doc, const struct slot *s, int value)
{
    if (s->mapping)
        yaml_document_get_node(doc, s->mapping)->data.mapping.pairs.start[s->pair].value = value;
    else if (s->list)
        yaml_document_get_node(doc, s->list)->data.sequence.items.start[s->item] = value;
}

/* Adds KEY: VALUE to mapping MAP; returns the pair's slot. */
static int add_pair(rspg_composed *c, yaml_document_t *doc, int map, const char *key, int value,
                    const char *label, struct slot *s)
{
    int k = yaml_document_add_scalar(doc, NULL, (yaml_char_t *)key, -1, YAML_ANY_SCALAR_STYLE);
    if (!k || !yaml_document_append_mapping_pair(doc, map, k, value))
        return -1;
    note_file(c, k, label);
    yaml_node_t *m = yaml_document_get_node(doc, map);
    s->mapping = map;
    s->pair = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start) - 1;
    s->list = 0;
    return 0;
}

/* The value of key SEG in mapping N (node CUR); *HERE is its slot. 0 when absent. */
static int find_in_mapping(yaml_document_t *doc, yaml_node_t *n, int cur, const char *seg,
                           struct slot *here)
{
    int next = 0;
    size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    for (size_t i = 0; i < np; i++) {
        const char *k = scalar(yaml_document_get_node(doc, n->data.mapping.pairs.start[i].key));
        if (k && strcmp(k, seg) == 0) {
            next = n->data.mapping.pairs.start[i].value;
            *here = (struct slot){cur, i, 0, 0};
        }
    }
    return next;
}

/* The first segment may be a bare entity or CRL id, or a variable name: looked up in the
 * top-level lists entities, crls and vars of ROOT. */
static int find_top_level(yaml_document_t *doc, yaml_node_t *root, const char *seg,
                          struct slot *here)
{
    static const char *const lists[] = {"entities", "crls", "vars"};
    size_t np = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
    int next = 0;
    for (size_t l = 0; l < 3 && !next; l++) {
        for (size_t i = 0; i < np && !next; i++) {
            yaml_node_pair_t *p = &root->data.mapping.pairs.start[i];
            const char *k = scalar(yaml_document_get_node(doc, p->key));
            yaml_node_t *v = yaml_document_get_node(doc, p->value);
            if (!k || strcmp(k, lists[l]) != 0)
                continue;
            if (v->type == YAML_SEQUENCE_NODE)
                next = find_in_sequence(doc, v, seg);
            else if (v->type == YAML_MAPPING_NODE)
                next = find_in_mapping(doc, v, p->value, seg, here);
        }
    }
    return next;
}

/* The item SEG of sequence N (node CUR) and its slot (the item, or a one-key item's value). */
static int find_in_list(yaml_document_t *doc, yaml_node_t *n, int cur, const char *seg,
                        struct slot *here)
{
    int next = find_in_sequence(doc, n, seg);
    size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    for (size_t i = 0; i < len; i++) {
        int item = n->data.sequence.items.start[i];
        yaml_node_t *it = yaml_document_get_node(doc, item);
        if (item == next)
            *here = (struct slot){0, 0, cur, i};
        else if (it->type == YAML_MAPPING_NODE &&
                 it->data.mapping.pairs.top - it->data.mapping.pairs.start == 1 &&
                 it->data.mapping.pairs.start->value == next)
            *here = (struct slot){item, 0, 0, 0}; /* a one-key item's value */
    }
    return next;
}

/* One --set being applied: the document, the parsed value and where the walk is. */
struct set_walk {
    rspg_composed *c;
    yaml_document_t *doc, *val;
    const char *label, *path;
    int cur;
    struct slot slot;
};

/* Walks one path segment from W->cur. Returns 1 to go on, 0 when the value was stored on
 * the way (a key not set yet, added with the value), -1 on error. */
static int set_step(struct set_walk *w, const char *seg, int first, int last, rspg_diag *d)
{
    yaml_node_t *n = yaml_document_get_node(w->doc, w->cur);
    int next = 0;
    struct slot here = {0, 0, 0, 0};
    if (n && n->type == YAML_SCALAR_NODE && !first) {
        /* a scalar on the way (e.g. key: generate, which means key: {}) becomes a mapping
         * that the rest of the path fills; the schema check judges it */
        int m = yaml_document_add_mapping(w->doc, NULL, YAML_ANY_MAPPING_STYLE);
        if (!m)
            return -1;
        note_file(w->c, m, w->label);
        slot_set(w->doc, &w->slot, m);
        w->cur = m;
        n = yaml_document_get_node(w->doc, w->cur);
    }
    if (n && n->type == YAML_MAPPING_NODE) {
        next = find_in_mapping(w->doc, n, w->cur, seg, &here);
        if (!next && first)
            next = find_top_level(w->doc, n, seg, &here);
        if (!next && !first) {
            /* a key not set here (e.g. inherited through base:): add it */
            int v = last ? copy_node(w->c, w->doc, w->val, 1, w->label)
                         : yaml_document_add_mapping(w->doc, NULL, YAML_ANY_MAPPING_STYLE);
            if (!v || add_pair(w->c, w->doc, w->cur, seg, v, w->label, &here) != 0)
                return -1;
            note_file(w->c, v, w->label);
            if (last)
                return 0;
            next = v;
        }
    } else if (n && n->type == YAML_SEQUENCE_NODE) {
        next = find_in_list(w->doc, n, w->cur, seg, &here);
    }
    if (!next) {
        rspg_fail(d, RSPG_E_USAGE, "--set: unknown path '%s': nothing named '%s' there%s", w->path,
                  seg,
                  first ? " (expected a top-level key, an entity or CRL id, or a variable)" : "");
        return -1;
    }
    w->slot = here;
    w->cur = next;
    return 1;
}

/* Walks PATH in W and stores the value at its end. 0 or -1. */
static int set_path(struct set_walk *w, rspg_diag *d)
{
    char *save = NULL, *segs = rspg_xstrdup(w->path);
    int first = 1, r = 1;
    for (char *seg = strtok_r(segs, ".", &save); seg && r == 1; seg = strtok_r(NULL, ".", &save)) {
        int last = save == NULL || *save == '\0';
        r = set_step(w, seg, first, last, d);
        first = 0;
    }
    free(segs);
    if (r <= 0)
        return r;
    if (!w->slot.mapping && !w->slot.list) {
        rspg_fail(
            d, RSPG_E_USAGE,
            "--set: '%s' names a whole entity or CRL; set one of its fields (e.g. %s.subject)",
            w->path, w->path);
        return -1;
    }
    int copy = copy_node(w->c, w->doc, w->val, 1, w->label);
    if (!copy)
        return -1;
    slot_set(w->doc, &w->slot, copy);
    return 0;
}

int rspg_compose_set(rspg_composed *c, yaml_document_t *doc, const char *assignment, rspg_diag *d)
{
    const char *eq = strchr(assignment, '=');
    if (eq == NULL || eq == assignment) {
        rspg_fail(d, RSPG_E_USAGE, "--set '%s' is not PATH=VALUE", assignment);
        return -1;
    }
    char *path = rspg_xstrndup(assignment, (size_t)(eq - assignment));
    char *tmp = rspg_xasprintf("--set %s", path);
    const char *label = intern(c, tmp);
    free(tmp);
    yaml_document_t val;
    const char *value = eq + 1;
    if (parse(value, strlen(value), label, d, &val) != 0) {
        free(path);
        return -1;
    }
    yaml_node_t *root = yaml_document_get_root_node(doc);
    struct set_walk w = {
        c, doc, &val, label, path, root ? 1 + (int)(root - doc->nodes.start) : 0, {0, 0, 0, 0}};
    int rc = set_path(&w, d);
    if (rc != 0 && c->too_deep)
        rspg_fail(d, RSPG_E_USAGE,
                  "--set %s: the value nests more than %d levels deep (or an alias refers to "
                  "itself)",
                  path, RSPG_COMPOSE_MAX_DEPTH);
    free(path);
    yaml_document_delete(&val);
    return rc;
}
