/*
 * profile_compose.h: `extends:` and `--set` at the YAML document level (see
 * profile_compose.c). Internal to the loader.
 */
#ifndef RSPG_PROFILE_COMPOSE_H
#define RSPG_PROFILE_COMPOSE_H

#include <stddef.h>

#include <yaml.h>

#include "rspg/base/diag.h"
#include "rspg/profile/profile.h"

/* Which file each node of a composed document came from. */
typedef struct rspg_composed {
    const char **files; /* files[i]: the file of node i+1 (interned) */
    size_t n_files;
    char **names; /* interned file names */
    size_t n_names;
    int depth;    /* nesting of the copy or merge in progress */
    int too_deep; /* a copy or merge went deeper than RSPG_COMPOSE_MAX_DEPTH */
} rspg_composed;

/* How deep copied and merged YAML may nest: deeper means an alias that refers to itself
 * or a hostile value; refused, never a stack overflow. */
#define RSPG_COMPOSE_MAX_DEPTH 64

/* Checks one file's raw text before parsing (aliases, depth); 0 ok, -1 refused. */
typedef int (*rspg_compose_check)(void *ctx, const char *buf, size_t len, const char *name);

/* Parses BUF (named NAME) into OUT, following `extends:` relative to BASE_DIR. */
int rspg_compose_load(rspg_composed *c, const char *buf, size_t len, const char *name,
                      const char *base_dir, rspg_compose_check check, void *check_ctx, rspg_diag *d,
                      yaml_document_t *out, int depth);
/* Applies one "PATH=VALUE" to DOC; 0 ok, -1 with a message in D. */
int rspg_compose_set(rspg_composed *c, yaml_document_t *doc, const char *assignment, rspg_diag *d);
/* The file node N of DOC came from, or FALLBACK. */
const char *rspg_composed_file(const rspg_composed *c, const yaml_document_t *doc,
                               const yaml_node_t *n, const char *fallback);
void rspg_composed_fini(rspg_composed *c);

#endif
