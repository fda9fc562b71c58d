/*
 * verify_dir.c: `rsp-pkigen verify DIR`: every certificate, CRL and card certificate of a
 * build folder is validated (verify.c, cvc.h) and the verdict compared with the manifest's
 * expectation (expect: valid | invalid, and the SGP.22 reason when given). With an expiry
 * window, the files expected valid that expire within it are listed too (verify.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rspg/issue/manifest.h"
#include "rspg/sgp02/cvc.h"
#include "verify_internal.h"

void rspg_verify_result_free(rspg_verify_result *res)
{
    for (size_t i = 0; i < res->n_items; i++) {
        free(res->items[i].path);
        free(res->items[i].expect);
        free(res->items[i].expect_reason);
    }
    free(res->items);
    for (size_t i = 0; i < res->n_expiring; i++)
        free(res->expiring[i].path);
    free(res->expiring);
    memset(res, 0, sizeof(*res));
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Reads DIR/manifest.json; its artifacts array in *ARTS. */
static json_t *load_manifest(const char *dir, const char *mpath, json_t **arts, rspg_diag *d,
                             rspg_status *rc)
{
    json_error_t jerr;
    json_t *root = json_load_file(mpath, 0, &jerr);
    (void)dir;
    if (root == NULL) {
        /* jansson gives line -1 when the file cannot be opened: no position then */
        unsigned line = jerr.line > 0 ? (unsigned)jerr.line : 0;
        rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){mpath, line, line ? (unsigned)jerr.column : 0},
                      "cannot read the manifest: %s", jerr.text);
        *rc = RSPG_E_IO;
        return NULL;
    }
    const char *schema = jstr(root, "schema");
    *arts = json_object_get(root, "artifacts");
    if (schema == NULL || strcmp(schema, RSPG_MANIFEST_SCHEMA) != 0 || !json_is_array(*arts)) {
        json_decref(root);
        *rc = rspg_fail(d, RSPG_E_IO, "%s: not an rsp-pkigen manifest (schema %s)", mpath,
                        RSPG_MANIFEST_SCHEMA);
        return NULL;
    }
    return root;
}

/* Loads certificates (DER copies only; PEM twins are the same certificate) and CRLs into
 * V; INDEX[i] is the pool index, -2 for a card certificate, -1 for anything else. */
static rspg_status load_artifacts(rspg_verifier *v, const char *dir, json_t *arts, int *index,
                                  rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const char *kind = jstr(a, "kind"), *path = jstr(a, "path"), *role = jstr(a, "role");
        index[i] = -1;
        if (kind == NULL || path == NULL)
            continue;
        char *full = rspg_xasprintf("%s/%s", dir, path);
        int got = -1;
        if (strcmp(kind, "certificate") == 0) {
            rspg_role r;
            int role_i = role && rspg_role_parse(role, &r) == 0 ? (int)r : -1;
            json_t *ta = json_object_get(a, "trust_anchor");
            got = rspg_verifier_add_cert_file(v, full, json_is_true(ta), role_i, d);
        } else if (strcmp(kind, "crl") == 0) {
            got = rspg_verifier_add_crl_file(v, full, d);
        } else if (strcmp(kind, "cvc") == 0) {
            got = -2; /* an SGP.02 card certificate (binary or hex): checked below (cvc.h) */
        }
        if (got < 0 && (strcmp(kind, "certificate") == 0 || strcmp(kind, "crl") == 0)) {
            rc = RSPG_E_IO;
            got = -1;
        }
        index[i] = got;
        free(full);
    }
    return rc;
}

/* Pins the issuer of every certificate of the folder to the one its manifest entry names
 * ("issuer": the issuing certificate's file): each case is judged with the chain the
 * manifest says it has, not with any path through the folder. An invalid case may share
 * its issuer's name, SKI and key with a valid CA (an EUM twin with a wrong policy): the
 * eUICC below it also verifies under the valid EUM, so a path search over the whole
 * folder (RFC 4158) would find a valid path the case does not mean. A self-issued root, or
 * an issuer that is not a certificate of the folder, is not pinned. */
static void pin_issuers(rspg_verifier *v, json_t *arts, const int *index)
{
    json_t *by_path = json_object(); /* certificate file -> pool index */
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        if (index[i] >= 0 && jstr(a, "path") && strcmp(jstr(a, "kind"), "certificate") == 0)
            json_object_set_new(by_path, jstr(a, "path"), json_integer(index[i]));
    }
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        const char *issuer = jstr(a, "issuer");
        json_t *ix = issuer && index[i] >= 0 && strcmp(jstr(a, "kind"), "certificate") == 0
                         ? json_object_get(by_path, issuer)
                         : NULL;
        if (ix && json_integer_value(ix) != index[i])
            v->certs[index[i]]->issuer_pin = v->certs[json_integer_value(ix)];
    }
    json_decref(by_path);
}

/* Validates artifact A (pool index IX) and compares the verdict with the manifest. */
static void judge(rspg_verifier *v, const char *dir, json_t *a, int ix, int64_t at,
                  rspg_verify_result *res, rspg_diag *d)
{
    const char *kind = jstr(a, "kind");
    rspg_verify_item *it = &res->items[res->n_items++];
    it->path = rspg_xstrdup(jstr(a, "path"));
    it->expect = rspg_xstrdup(jstr(a, "expect") ? jstr(a, "expect") : "valid");
    it->expect_reason = jstr(a, "reason") ? rspg_xstrdup(jstr(a, "reason")) : NULL;
    if (ix == -2)
        rspg_cvc_verify_item(dir, it->path, jstr(a, "issuer"), at, &it->verdict);
    else if (strcmp(kind, "crl") == 0)
        rspg_verifier_check_crl(v, ix, &it->verdict);
    else
        rspg_verifier_check(v, ix, &it->verdict);
    const char *got = it->verdict.valid ? "valid" : "invalid";
    it->agrees =
        strcmp(got, it->expect) == 0 && (it->verdict.valid || it->expect_reason == NULL ||
                                         strcmp(it->expect_reason, it->verdict.reason) == 0);
    res->certificates++;
    if (it->agrees) {
        res->agreed++;
        return;
    }
    res->disagreed++;
    if (it->verdict.valid)
        rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0},
                      "%s: the manifest expects invalid (%s), but it verifies", it->path,
                      it->expect_reason ? it->expect_reason : "no reason");
    else
        rspg_diag_add(d, RSPG_SEV_ERROR, (rspg_loc){0},
                      "%s: the manifest expects %s%s%s, but it is invalid (%s, %s): %s", it->path,
                      it->expect, it->expect_reason ? " " : "",
                      it->expect_reason ? it->expect_reason : "", it->verdict.reason,
                      it->verdict.check, it->verdict.message);
}

/* The kind of artifact A the expiry watch looks at (static), or NULL. */
static const char *watched_kind(json_t *a, const char **until_key)
{
    static const char *const kinds[] = {"certificate", "cvc", "crl"};
    const char *kind = jstr(a, "kind"), *expect = jstr(a, "expect");
    if (kind == NULL || (expect && strcmp(expect, "valid") != 0))
        return NULL;
    for (size_t k = 0; k < 3; k++)
        if (strcmp(kind, kinds[k]) == 0) {
            *until_key = k == 2 ? "next_update" : "not_after";
            return kinds[k];
        }
    return NULL;
}

/* The expiry watch (SGP.22 §4.5.2.2 checks validity; renewal must come before): every file
 * the manifest expects valid whose notAfter (nextUpdate) is before NOW + WITHIN. */
static void watch_expiry(json_t *arts, const rspg_verify_options *o, rspg_verify_result *res)
{
    size_t n = json_array_size(arts);
    res->expiring = rspg_xcalloc(n ? n : 1, sizeof(*res->expiring));
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(arts, i);
        const char *key = NULL, *kind = watched_kind(a, &key);
        int64_t until;
        if (kind == NULL || jstr(a, "path") == NULL || jstr(a, key) == NULL ||
            rspg_parse_rfc3339(jstr(a, key), &until) != 0 || until >= o->now + o->expiring_within)
            continue;
        rspg_expiring *e = &res->expiring[res->n_expiring++];
        e->path = rspg_xstrdup(jstr(a, "path"));
        e->kind = kind;
        e->until = until;
    }
}

rspg_status rspg_verify_dir(const char *dir, const rspg_verify_options *o, rspg_diag *d,
                            rspg_verify_result *res)
{
    memset(res, 0, sizeof(*res));
    char *mpath = rspg_xasprintf("%s/manifest.json", dir);
    json_t *arts = NULL;
    rspg_status rc = RSPG_OK;
    json_t *root = load_manifest(dir, mpath, &arts, d, &rc);
    if (root == NULL) {
        free(mpath);
        return rc;
    }
    int64_t at = 0;
    if (o && o->has_time) {
        at = o->time;
    } else {
        const char *t = jstr(json_object_get(root, "clock"), "time");
        if (t == NULL || rspg_parse_rfc3339(t, &at) != 0) {
            json_decref(root);
            free(mpath);
            return rspg_fail(d, RSPG_E_IO, "%s: no clock.time; give the time with --at", dir);
        }
    }
    rspg_verifier *v = rspg_verifier_new(at);
    size_t n = json_array_size(arts);
    int *index = rspg_xcalloc(n ? n : 1, sizeof(int));
    rc = load_artifacts(v, dir, arts, index, d);
    if (rc == RSPG_OK) {
        pin_issuers(v, arts, index);
        res->items = rspg_xcalloc(n ? n : 1, sizeof(*res->items));
        for (size_t i = 0; i < n; i++) {
            json_t *a = json_array_get(arts, i);
            if ((index[i] < 0 && index[i] != -2) || jstr(a, "kind") == NULL)
                continue;
            judge(v, dir, a, index[i], at, res, d);
        }
        if (res->disagreed)
            rc = RSPG_E_VERIFY;
        if (o && o->expiring_within > 0)
            watch_expiry(arts, o, res);
    }
    free(index);
    rspg_verifier_free(v);
    json_decref(root);
    free(mpath);
    return rc;
}
