/*
 * renew_internal.h: what the parts of `renew` share (internal to the library): the folder as
 * it is (renew_folder.c: every file read, none followed through a link) and the manifest's
 * record of the build (renew_record.c).
 */
#ifndef RSPG_RENEW_INTERNAL_H
#define RSPG_RENEW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

/* Reads every regular file under DIR except the top manifest.json into R (path relative to
 * DIR, data; secret when the file is not readable by group or others, as SK_ files are).
 * RSPG_E_IO for a symbolic link, a special file, or a file that cannot be read. */
rspg_status rspg_renew_read_folder(const char *dir, rspg_diag *d, rspg_build_result *r);
/* The file at PATH in R (sorted by path), or NULL. */
rspg_artifact *rspg_renew_file(rspg_build_result *r, const char *path);

/* The build as manifest.json records it ("build"): the options of the loader and builder. */
typedef struct rspg_renew_record {
    json_t *root;        /* the whole manifest (owned) */
    const char *profile; /* borrowed from ROOT */
    const char **vars;   /* owned array, borrowed strings */
    const char **sets;
    size_t n_vars, n_sets;
    rspg_buf seed;       /* empty: random keys */
    const char *key_dir; /* or NULL */
    int rfc6979;         /* signatures */
} rspg_renew_record;

/* Reads DIR/manifest.json and its "build" record; RSPG_E_INPUT when it is not one of ours or
 * records no build (an older manifest). Free with rspg_renew_record_free, also on failure. */
rspg_status rspg_renew_record_read(const char *dir, rspg_diag *d, rspg_renew_record *rec);
/* Every profile file the record names must have the recorded SHA-256 (PROFILE: the path
 * used for the main file instead of the recorded one, or NULL). RSPG_E_PROFILE otherwise. */
rspg_status rspg_renew_record_check_files(const rspg_renew_record *rec, const char *profile,
                                          rspg_diag *d);
void rspg_renew_record_free(rspg_renew_record *rec);

/* The certificate entry of the manifest for ENTITY on curve CURVE (OpenSSL name), its DER
 * file preferred; NULL when none. */
json_t *rspg_renew_record_cert(const rspg_renew_record *rec, const char *entity, const char *curve);
/* Updates the entry of PATH (serial, dates, sha256; a CRL's number, this_update and
 * next_update; whatever of them it has). */
void rspg_renew_record_update(rspg_renew_record *rec, const rspg_artifact *a);
/* The manifest's clock becomes TIME (source "renew"); a "renewals" entry lists the
 * certificates PATHS and the CRLs CRLS ("crls", only when there are any). */
void rspg_renew_record_note(rspg_renew_record *rec, int64_t time, long long days,
                            const char *const *paths, size_t n, const char *const *crls,
                            size_t n_crls);
/* The manifest text (as rspg_manifest_json writes it: 2-space indent, ASCII, newline). */
char *rspg_renew_record_text(const rspg_renew_record *rec);

#endif
