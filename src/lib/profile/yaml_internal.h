/*
 * yaml_internal.h: the profile loader's shared state and the functions its files share
 * (internal to src/lib/profile; the only header besides profile_compose.h that includes
 * <yaml.h>). The loader reads a composed libyaml document into an rspg_profile:
 *   yaml_read.c      node getters: located errors, ${var} expansion, typed scalars, lists,
 *                    mappings checked against their keys
 *   yaml_names.c     distinguished names and general names
 *   yaml_ext.c       extensions and patch_extensions
 *   yaml_entity.c    entities (per-curve values, validity, key, output, cvc, base:)
 *   yaml_crl.c       CRLs and their checks against the entities
 *   yaml_validate.c  cross-entity checks
 *   yaml_profile.c   the top level and the public rspg_profile_load_* functions
 * Every getter returns 0, or -1 after recording a located error in the loader's diag.
 * A loader is used by one thread; the getters borrow the nodes and allocate the results
 * (the model owns them).
 */
#ifndef RSPG_YAML_INTERNAL_H
#define RSPG_YAML_INTERNAL_H

#include <stddef.h>

#include <yaml.h>

#include "profile/profile_compose.h"
#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"

#define RSPG_YAML_SCHEMA_ID "rsp-pkigen/profile/1"

/* A profile variable (vars:); VALUE is NULL when its value was refused (already reported). */
struct rspg_yaml_var {
    char *name, *value;
};

typedef struct rspg_yaml_loader {
    const char *name;
    rspg_diag *d;
    yaml_document_t doc;
    rspg_profile *p;
    struct rspg_yaml_var *vars;
    size_t n_vars;
    int *entity_nodes; /* mapping node index per loaded entity, for base: */
    const rspg_load_options *opts;
    int *override_used;
    rspg_composed comp; /* which file each node came from (extends:, --set) */
} rspg_yaml_loader;

/* ---- yaml_read.c: nodes and errors ---- */

/* The location of node N (its file after composition, line and column). */
rspg_loc rspg_yaml_at(const rspg_yaml_loader *ld, const yaml_node_t *n);
yaml_node_t *rspg_yaml_node(rspg_yaml_loader *ld, int index);
/* "a scalar", "a list", "a mapping" or "nothing", for messages. */
const char *rspg_yaml_type_name(const yaml_node_t *n);
/* Records an error located at N; returns -1. */
int rspg_yaml_fail(rspg_yaml_loader *ld, const yaml_node_t *n, const char *fmt, ...)
    RSPG_PRINTF(3, 4);
/* The text of a scalar node, or NULL for any other node. */
const char *rspg_yaml_scalar(const yaml_node_t *n);
/* Expands ${var} in S (a value of node N) into a new string; keeps ${CURVE} and ${VARIANT}
 * for the builder and $${ as it is. */
int rspg_yaml_expand(rspg_yaml_loader *ld, const yaml_node_t *n, const char *s, char **out);

/* ---- yaml_read.c: typed values (WHAT names the value in messages) ---- */

/* A string (expanded); replaces *OUT. */
int rspg_yaml_want_string(rspg_yaml_loader *ld, const yaml_node_t *n, const char *what, char **out);
int rspg_yaml_want_bool(rspg_yaml_loader *ld, const yaml_node_t *n, const char *what, int *out);
/* A decimal integer in [MIN, MAX] (expanded). */
int rspg_yaml_want_int(rspg_yaml_loader *ld, const yaml_node_t *n, const char *what, long long min,
                       long long max, long long *out);
/* A list of strings, or a string or a list of strings; replaces *OUT and *COUNT. */
int rspg_yaml_want_string_list(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, char ***out,
                               size_t *count);
int rspg_yaml_want_string_or_list(rspg_yaml_loader *ld, yaml_node_t *n, const char *what,
                                  char ***out, size_t *count);
/* OID is dotted decimal that DER can encode. */
int rspg_yaml_check_oid(rspg_yaml_loader *ld, yaml_node_t *n, const char *oid);
/* An output path P (may be NULL) stays inside the output folder. */
int rspg_yaml_check_rel_path(rspg_yaml_loader *ld, yaml_node_t *n, const char *p);

/* ---- yaml_read.c: mappings ---- */

/* Called for each pair of a mapping; CTX is the caller's. */
typedef int (*rspg_yaml_pair_fn)(rspg_yaml_loader *ld, const char *key, yaml_node_t *k,
                                 yaml_node_t *v, void *ctx);
/* Iterates over mapping MAP, checking keys against ALLOWED (NULL-terminated; NULL: any)
 * and for duplicates; calls FN for each pair. Keeps going after an unknown key or a
 * failing FN (to report more), stops at a duplicate key; -1 if anything failed. */
int rspg_yaml_each_pair(rspg_yaml_loader *ld, yaml_node_t *map, const char *what,
                        const char *const *allowed, rspg_yaml_pair_fn fn, void *ctx);
/* A one-key mapping (subject attributes, extensions, general names): its key and nodes. */
int rspg_yaml_single_pair(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, const char **key,
                          yaml_node_t **knode, yaml_node_t **value);
/* Fails when the key of pair PR of MAP appeared earlier in MAP (for mappings not read
 * with rspg_yaml_each_pair). */
int rspg_yaml_unique_key(rspg_yaml_loader *ld, yaml_node_t *map, yaml_node_pair_t *pr,
                         const char *what);

/* ---- yaml_names.c ---- */

/* A distinguished name: a list of one-key mappings; replaces DN. */
int rspg_yaml_load_dn(rspg_yaml_loader *ld, yaml_node_t *n, const char *what, rspg_dn *dn);
/* A list of general names; replaces *OUT and *COUNT (also on error: the caller frees). */
int rspg_yaml_load_general_names(rspg_yaml_loader *ld, yaml_node_t *n, const char *what,
                                 rspg_general_name **out, size_t *count);

/* ---- yaml_ext.c ---- */

/* extensions: replaces E's extensions; patch_extensions: edits them in place. */
int rspg_yaml_load_exts(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e);
int rspg_yaml_patch_exts(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e);

/* ---- yaml_entity.c ---- */

/* REASON is an SGP.22 error a validator returns for an invalid case. */
int rspg_yaml_check_reason(rspg_yaml_loader *ld, yaml_node_t *n, const char *reason);
/* The id of entity node N into E (unique, well-formed); the rest by load_entity_node. */
int rspg_yaml_load_entity(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e);
/* The keys of entity node N into E, its base's first (DEPTH: base: nesting, 0 at the top). */
int rspg_yaml_load_entity_node(rspg_yaml_loader *ld, yaml_node_t *n, rspg_entity *e, int depth);

/* ---- yaml_validate.c, yaml_crl.c ---- */

int rspg_yaml_validate_entities(rspg_yaml_loader *ld);
/* crls: into the profile; then their checks against the entities. */
int rspg_yaml_load_crls(rspg_yaml_loader *ld, yaml_node_t *n);
int rspg_yaml_validate_crls(rspg_yaml_loader *ld);

#endif
