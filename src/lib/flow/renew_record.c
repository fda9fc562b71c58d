/*
 * renew_record.c: the build as the folder's manifest.json records it (docs/manifest.md,
 * "build"), read for `renew`, and the manifest updated after a renewal: the renewed files'
 * serials, dates and digests (a CRL's number and dates), the clock, a "renewals" entry. Everything
 * else of the manifest is written back as it was (jansson keeps the order of keys; the format is
 * the builder's).
 */
#include <stdlib.h>
#include <string.h>

#include "flow/renew_internal.h"
#include "rspg/base/file.h"
#include "rspg/base/time.h"
#include "rspg/issue/manifest.h"

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The strings of the array K of O into a new array *OUT (borrowed strings). */
static size_t strings(json_t *o, const char *k, const char ***out)
{
    json_t *a = json_object_get(o, k);
    size_t n = json_array_size(a), m = 0;
    *out = rspg_xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        if (json_string_value(json_array_get(a, i)))
            (*out)[m++] = json_string_value(json_array_get(a, i));
    return m;
}

rspg_status rspg_renew_record_read(const char *dir, rspg_diag *d, rspg_renew_record *rec)
{
    memset(rec, 0, sizeof(*rec));
    rspg_buf_init(&rec->seed);
    char *path = rspg_xasprintf("%s/manifest.json", dir);
    json_error_t jerr;
    rec->root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    rspg_status rc = RSPG_OK;
    json_t *b = json_object_get(rec->root, "build");
    const char *schema = jstr(rec->root, "schema");
    if (rec->root == NULL)
        rc = rspg_fail(d, RSPG_E_INPUT, "%s: cannot read the manifest: %s (is %s a build folder?)",
                       path, jerr.text, dir);
    else if (schema == NULL || strcmp(schema, RSPG_MANIFEST_SCHEMA) != 0)
        rc = rspg_fail(d, RSPG_E_INPUT, "%s: not an rsp-pkigen manifest (schema %s)", path,
                       RSPG_MANIFEST_SCHEMA);
    else if (!json_is_object(b) || jstr(b, "profile") == NULL)
        rc = rspg_fail(d, RSPG_E_INPUT,
                       "%s: the manifest does not record its build (written before builds were "
                       "recorded, or by mint): build the folder again",
                       path);
    free(path);
    if (rc != RSPG_OK)
        return rc;
    rec->profile = jstr(b, "profile");
    rec->n_vars = strings(b, "vars", &rec->vars);
    rec->n_sets = strings(b, "sets", &rec->sets);
    rec->key_dir = jstr(b, "key_dir");
    if (jstr(b, "seed") && rspg_unhex(jstr(b, "seed"), &rec->seed) != 0)
        return rspg_fail(d, RSPG_E_INPUT, "%s/manifest.json: build.seed is not hex", dir);
    const char *sig = jstr(rec->root, "signatures");
    rec->rfc6979 = sig == NULL || strcmp(sig, "random") != 0;
    return RSPG_OK;
}

rspg_status rspg_renew_record_check_files(const rspg_renew_record *rec, const char *profile,
                                          rspg_diag *d)
{
    json_t *files = json_object_get(json_object_get(rec->root, "build"), "files");
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < json_array_size(files) && rc == RSPG_OK; i++) {
        const char *path = jstr(json_array_get(files, i), "path");
        const char *want = jstr(json_array_get(files, i), "sha256");
        if (path == NULL || want == NULL)
            continue;
        if (i == 0 && profile)
            path = profile;
        rspg_buf b;
        char hex[65];
        rspg_buf_init(&b);
        if (rspg_file_read(path, RSPG_MAX_PROFILE_BYTES, "profile", d, &b) != RSPG_OK) {
            rc = rspg_fail(d, RSPG_E_PROFILE,
                           "the build's profile file '%s' is not there (renew from the folder "
                           "the build ran in, or give --profile FILE)",
                           path);
        } else {
            rspg_manifest_sha256_hex(b.data, b.len, hex);
            if (strcmp(hex, want) != 0)
                rc = rspg_fail(d, RSPG_E_PROFILE,
                               "%s: changed since the build (SHA-256 %s, the manifest records "
                               "%s): renew redoes the build from the same profile; build again "
                               "instead",
                               path, hex, want);
        }
        rspg_buf_free(&b);
    }
    return rc;
}

void rspg_renew_record_free(rspg_renew_record *rec)
{
    json_decref(rec->root);
    free(rec->vars);
    free(rec->sets);
    rspg_buf_free(&rec->seed);
    memset(rec, 0, sizeof(*rec));
}

json_t *rspg_renew_record_cert(const rspg_renew_record *rec, const char *entity, const char *curve)
{
    json_t *arts = json_object_get(rec->root, "artifacts"), *found = NULL;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const char *kind = jstr(a, "kind"), *e = jstr(a, "entity"), *c = jstr(a, "curve");
        if (!kind || !e || !c || strcmp(kind, "certificate") != 0 || strcmp(e, entity) != 0 ||
            strcmp(c, curve) != 0)
            continue;
        const char *fmt = jstr(a, "format");
        if (fmt && strcmp(fmt, "der") == 0)
            return a;
        found = found ? found : a;
    }
    return found;
}

static json_t *time_json(int64_t t)
{
    char buf[32];
    rspg_format_rfc3339(t, buf, sizeof(buf));
    return json_string(buf);
}

void rspg_renew_record_update(rspg_renew_record *rec, const rspg_artifact *a)
{
    json_t *arts = json_object_get(rec->root, "artifacts");
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *o = json_array_get(arts, i);
        const char *path = jstr(o, "path");
        if (path == NULL || strcmp(path, a->path) != 0)
            continue;
        char hex[65];
        rspg_manifest_sha256_hex(a->data.data, a->data.len, hex);
        if (json_object_get(o, "serial") && a->serial_hex)
            json_object_set_new(o, "serial", json_string(a->serial_hex));
        if (json_object_get(o, "not_before") && a->kind == RSPG_ART_CERT) {
            json_object_set_new(o, "not_before", time_json(a->not_before));
            json_object_set_new(o, "not_after", time_json(a->not_after));
        }
        if (a->kind == RSPG_ART_CRL) {
            if (json_object_get(o, "number"))
                json_object_set_new(o, "number", json_integer((json_int_t)a->crl_number));
            if (json_object_get(o, "this_update"))
                json_object_set_new(o, "this_update", time_json(a->not_before));
            if (json_object_get(o, "next_update"))
                json_object_set_new(o, "next_update", time_json(a->not_after));
        }
        json_object_set_new(o, "sha256", json_string(hex));
    }
}

static json_t *path_list(const char *const *paths, size_t n)
{
    json_t *ps = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ps, json_string(paths[i]));
    return ps;
}

void rspg_renew_record_note(rspg_renew_record *rec, int64_t time, long long days,
                            const char *const *paths, size_t n, const char *const *crls,
                            size_t n_crls)
{
    json_t *clock = json_object();
    json_object_set_new(clock, "time", time_json(time));
    json_object_set_new(clock, "source", json_string("renew"));
    json_object_set_new(rec->root, "clock", clock);
    json_t *list = json_object_get(rec->root, "renewals");
    if (!json_is_array(list)) {
        list = json_array();
        json_object_set_new(rec->root, "renewals", list);
    }
    json_t *r = json_object();
    json_object_set_new(r, "time", time_json(time));
    json_object_set_new(r, "days", days ? json_integer((json_int_t)days) : json_null());
    json_object_set_new(r, "certificates", path_list(paths, n));
    if (n_crls)
        json_object_set_new(r, "crls", path_list(crls, n_crls));
    json_array_append_new(list, r);
}

char *rspg_renew_record_text(const rspg_renew_record *rec)
{
    char *text = json_dumps(rec->root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    char *out = rspg_xasprintf("%s\n", text ? text : "{}");
    free(text);
    return out;
}
