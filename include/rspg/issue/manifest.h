/*
 * manifest.h: manifest.json, the machine interface of a build: every file, what it is,
 * and how it must validate ({"schema": "rsp-pkigen/manifest/1", "artifacts": [...]}).
 * Written with jansson: a maintained JSON library gets escaping and number formatting
 * right, and reads the manifest back for `verify`.
 */
#ifndef RSPG_MANIFEST_H
#define RSPG_MANIFEST_H

#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

#define RSPG_MANIFEST_SCHEMA "rsp-pkigen/manifest/1"

/* Returns the manifest text (a new string, free with free()), keys in a fixed order and
 * artifacts sorted by path, so that equal builds give equal bytes. */
char *rspg_manifest_json(const rspg_build_result *r, const rspg_profile *p);

/* What a build was made from, beyond the profile model (issue 17: enough to redo it, and
 * for `renew`): the profile as named and the digests of its files, --var and --set as
 * given, --key-dir, the filters and the seed (docs/manifest.md, "build"). */
typedef struct rspg_manifest_provenance {
    const char *profile_path; /* as given on the command line */
    const char *const *vars;  /* "NAME=VALUE" */
    size_t n_vars;
    const char *const *sets; /* "PATH=VALUE" */
    size_t n_sets;
    const rspg_build_options *build; /* key_dir, filters, seed (NULL: none recorded) */
} rspg_manifest_provenance;

/* rspg_manifest_json with the "build" object of PROV (NULL: none). */
char *rspg_manifest_json_ex(const rspg_build_result *r, const rspg_profile *p,
                            const rspg_manifest_provenance *prov);

/* The SHA-256 of DATA as 64 lowercase hex digits into HEX. */
void rspg_manifest_sha256_hex(const uint8_t *data, size_t len, char hex[65]);

#endif
