/*
 * export.c: `export osmo-smdpp` (export.h): a build's SM-DP+ certificates and keys and its
 * CI, found through the build's manifest.json, written as pySim's smdpp-data/certs tree.
 * The file names are pySim's (osmo-smdpp.py opens DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der,
 * DPtls/SK_S_SM_DP_TLS_BRP.pem, ... by name); the writing is output.h's, as for a build.
 */
#include "rspg/flow/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <dirent.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "rspg/asn1/pem.h"
#include "rspg/base/file.h"
#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"

enum { SLOT_CI, SLOT_AUTH, SLOT_PB, SLOT_TLS, N_SLOTS };
enum { N_CURVES = 2 };
#define MAX_FILE (1u << 20) /* bytes of a certificate or key file */

/* pySim's folder and file names per slot (osmo-smdpp.py, SmDppHttpServer.__init__, main):
 * certificates STEM_{NIST,BRP}.der, keys STEM_{NIST,BRP}.pem. */
static const struct {
    const char *role, *folder, *cert, *key;
} slots[N_SLOTS] = {
    {"ci", "CertificateIssuer", "CERT_CI_ECDSA", NULL},
    {"dp-auth", "DPauth", "CERT_S_SM_DPauth_ECDSA", "SK_S_SM_DPauth_ECDSA"},
    {"dp-pb", "DPpb", "CERT_S_SM_DPpb_ECDSA", "SK_S_SM_DPpb_ECDSA"},
    {"dp-tls", "DPtls", "CERT_S_SM_DP_TLS", "SK_S_SM_DP_TLS"},
};
static const struct {
    const char *openssl, *tag;
} curves[N_CURVES] = {{"prime256v1", "NIST"}, {"brainpoolP256r1", "BRP"}};

/* What an osmo-smdpp certs folder may hold, for --force (pySim's tree, plus the DH
 * parameters osmo-smdpp writes there on its first TLS start). */
static const char *const certs_entries[] = {
    "CertificateIssuer", "DPauth", "DPpb", "DPtls", "README", "dhparam2048.pem", NULL};

typedef struct ectx {
    const rspg_export_options *o;
    const char *variant;
    const char *dp_name;
    json_t *arts;                   /* the manifest's artifacts (borrowed from root) */
    json_t *sel[N_SLOTS][N_CURVES]; /* the chosen certificate rows */
    rspg_diag *d;
} ectx;

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int in_variant(json_t *a, const char *v)
{
    const char *one = jstr(a, "variant");
    json_t *vs = json_object_get(a, "variants");
    for (size_t i = 0; i < json_array_size(vs); i++)
        if (json_string_value(json_array_get(vs, i)) &&
            strcmp(json_string_value(json_array_get(vs, i)), v) == 0)
            return 1;
    return one && strcmp(one, v) == 0;
}

/* A valid certificate row of ROLE (NULL: any role) in the variant, on a curve pySim names;
 * returns the curve index or -1. */
static int usable(const ectx *x, json_t *a, const char *role)
{
    const char *kind = jstr(a, "kind"), *r = jstr(a, "role"), *e = jstr(a, "expect");
    const char *c = jstr(a, "curve");
    if (!kind || strcmp(kind, "certificate") != 0 || !r || (role && strcmp(r, role) != 0) ||
        (e && strcmp(e, "valid") != 0) || !c || !in_variant(a, x->variant))
        return -1;
    for (int i = 0; i < N_CURVES; i++)
        if (strcmp(curves[i].openssl, c) == 0)
            return i;
    return -1;
}

/* Reads BUILD_DIR/manifest.json; RSPG_E_INPUT when it is not a build folder's. */
static rspg_status load_manifest(const char *dir, rspg_diag *d, json_t **root)
{
    char *path = rspg_xasprintf("%s/manifest.json", dir);
    json_error_t err;
    struct stat st;
    rspg_status rc = RSPG_OK;
    *root = NULL;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = rspg_fail(d, RSPG_E_INPUT, "%s: not a folder", dir);
    else if (stat(path, &st) != 0)
        rc = rspg_fail(d, RSPG_E_INPUT,
                       "%s: not a build folder (no manifest.json; `rsp-pkigen build` writes one)",
                       dir);
    else if ((*root = json_load_file(path, 0, &err)) == NULL)
        rc = rspg_fail(d, RSPG_E_INPUT, "%s: cannot read: %s", path, err.text);
    else if (!jstr(*root, "schema") || strcmp(jstr(*root, "schema"), RSPG_MANIFEST_SCHEMA) != 0 ||
             !json_is_array(json_object_get(*root, "artifacts")))
        rc = rspg_fail(d, RSPG_E_INPUT, "%s: not an rsp-pkigen manifest (schema %s)", path,
                       RSPG_MANIFEST_SCHEMA);
    if (rc != RSPG_OK) {
        json_decref(*root);
        *root = NULL;
    }
    free(path);
    return rc;
}

/* Does the SM-DP+ called NAME have DPauth, DPpb and DP TLS certificates in the variant? */
static int complete_dp(const ectx *x, const char *name)
{
    int have[N_SLOTS] = {0};
    for (size_t i = 0; i < json_array_size(x->arts); i++) {
        json_t *a = json_array_get(x->arts, i);
        const char *n = jstr(a, "name");
        for (int s = SLOT_AUTH; s < N_SLOTS; s++)
            if (n && strcmp(n, name) == 0 && usable(x, a, slots[s].role) >= 0)
                have[s] = 1;
    }
    return have[SLOT_AUTH] && have[SLOT_PB] && have[SLOT_TLS];
}

/* The variants of the build that have an SM-DP+ to export, for the error message. */
static void variants_with_dp(const rspg_export_options *o, json_t *arts, char *out, size_t cap)
{
    static const char *const all[] = {"O", "Ov3", "A", "B", "C"};
    size_t n = 0;
    out[0] = '\0';
    for (size_t v = 0; v < sizeof(all) / sizeof(all[0]); v++) {
        ectx y = {o, all[v], NULL, arts, {{0}}, NULL};
        int found = 0;
        for (size_t i = 0; i < json_array_size(arts) && !found; i++) {
            json_t *a = json_array_get(arts, i);
            found = usable(&y, a, "dp-auth") >= 0 && complete_dp(&y, jstr(a, "name"));
        }
        if (found && n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", all[v]);
    }
    if (n == 0)
        snprintf(out, cap, "none");
}

/* Picks the SM-DP+: the option's name, else the first complete one in byte order. */
static rspg_status pick_dp(ectx *x)
{
    const char *best = NULL;
    for (size_t i = 0; i < json_array_size(x->arts); i++) {
        json_t *a = json_array_get(x->arts, i);
        const char *n = jstr(a, "name");
        if (usable(x, a, "dp-auth") >= 0 && n &&
            (!x->o->dp_name || strcmp(n, x->o->dp_name) == 0) && (!best || strcmp(n, best) < 0) &&
            complete_dp(x, n))
            best = n;
    }
    x->dp_name = best;
    if (best)
        return RSPG_OK;
    char have[64];
    variants_with_dp(x->o, x->arts, have, sizeof(have));
    if (x->o->dp_name)
        return rspg_fail(x->d, RSPG_E_USAGE,
                         "%s: Variant %s has no SM-DP+ named '%s' with DPauth, DPpb and DP TLS "
                         "certificates",
                         x->o->build_dir, x->variant, x->o->dp_name);
    return rspg_fail(x->d, RSPG_E_USAGE,
                     "%s: Variant %s has no SM-DP+ certificates (DPauth, DPpb and DP TLS) to "
                     "export; variants that have: %s",
                     x->o->build_dir, x->variant, have);
}

/* Fills X->sel: per slot and curve the row of the chosen CI / SM-DP+ (the DER file when a
 * certificate has two). Two different entities for one slot: RSPG_E_USAGE. */
static rspg_status select_rows(ectx *x)
{
    for (size_t i = 0; i < json_array_size(x->arts); i++) {
        json_t *a = json_array_get(x->arts, i);
        for (int s = 0; s < N_SLOTS; s++) {
            int c = usable(x, a, slots[s].role);
            if (c < 0)
                continue;
            if (s == SLOT_CI ? !json_is_true(json_object_get(a, "trust_anchor"))
                             : strcmp(jstr(a, "name") ? jstr(a, "name") : "", x->dp_name) != 0)
                continue;
            json_t *old = x->sel[s][c];
            if (old && strcmp(jstr(old, "entity"), jstr(a, "entity")) != 0)
                return rspg_fail(x->d, RSPG_E_USAGE,
                                 "%s: two %s certificates for Variant %s on %s ('%s' and '%s'); "
                                 "pySim's tree has one",
                                 x->o->build_dir, slots[s].role, x->variant, curves[c].tag,
                                 jstr(old, "path"), jstr(a, "path"));
            if (!old || strcmp(jstr(a, "format"), "der") == 0)
                x->sel[s][c] = a;
        }
    }
    return RSPG_OK;
}

/* Is curve C complete (the CI and the three SM-DP+ certificates), and does each SM-DP+
 * certificate hang directly under that CI? */
static rspg_status check_curve(const ectx *x, int c, int *complete)
{
    *complete = 1;
    for (int s = 0; s < N_SLOTS; s++)
        *complete &= x->sel[s][c] != NULL;
    if (!*complete)
        return RSPG_OK;
    const char *ci = jstr(x->sel[SLOT_CI][c], "path");
    for (int s = SLOT_AUTH; s < N_SLOTS; s++) {
        const char *iss = jstr(x->sel[s][c], "issuer");
        if (!iss || strcmp(iss, ci) != 0)
            return rspg_fail(x->d, RSPG_E_USAGE,
                             "%s: '%s' is issued by '%s', not by the CI '%s': osmo-smdpp sends no "
                             "intermediate certificate and pySim's tree has no place for one",
                             x->o->build_dir, jstr(x->sel[s][c], "path"), iss ? iss : "?", ci);
    }
    return RSPG_OK;
}

/* Reads the build's file PATH and checks it against the manifest's SHA256 (if any). */
static rspg_status read_checked(const ectx *x, const char *path, const char *sha256, rspg_buf *out)
{
    char *full = rspg_xasprintf("%s/%s", x->o->build_dir, path);
    rspg_buf_init(out);
    rspg_status rc = RSPG_OK;
    if (rspg_read_file(full, MAX_FILE, out) != 0) {
        rc = rspg_fail(x->d, RSPG_E_INPUT, "%s: cannot read (the manifest lists it): %s", full,
                       rspg_read_error(errno));
    } else if (sha256) {
        uint8_t h[SHA256_DIGEST_LENGTH];
        char hex[2 * SHA256_DIGEST_LENGTH + 1];
        SHA256(out->data, out->len, h);
        for (size_t j = 0; j < sizeof(h); j++)
            snprintf(hex + 2 * j, 3, "%02x", h[j]);
        if (strcmp(hex, sha256) != 0)
            rc = rspg_fail(x->d, RSPG_E_INPUT,
                           "%s: changed since the build (its sha256 is not the manifest's)", full);
    }
    free(full);
    return rc;
}

/* The manifest row of the file at PATH, or NULL. */
static json_t *row_at(const ectx *x, const char *path)
{
    for (size_t i = 0; path && i < json_array_size(x->arts); i++)
        if (jstr(json_array_get(x->arts, i), "path") &&
            strcmp(jstr(json_array_get(x->arts, i), "path"), path) == 0)
            return json_array_get(x->arts, i);
    return NULL;
}

/* A new file FOLDER/STEM_TAG.EXT of slot SLOT in R. */
static rspg_artifact *add_file(rspg_build_result *r, int slot, const char *stem, const char *tag,
                               const char *ext)
{
    return rspg_build_result_add(r, RSPG_ART_CERT,
                                 rspg_xasprintf("%s/%s_%s.%s", slots[slot].folder, stem, tag, ext));
}

/* The key of ROW as PEM (a DER SEC 1 key is armoured) into A. */
static rspg_status add_key(const ectx *x, rspg_build_result *r, int s, int c, json_t *row)
{
    json_t *k = row_at(x, jstr(row, "key"));
    if (k == NULL)
        return rspg_fail(x->d, RSPG_E_USAGE,
                         "%s: '%s' has no key file (a PKCS#11 key?); osmo-smdpp needs the key "
                         "in a PEM file",
                         x->o->build_dir, jstr(row, "path"));
    rspg_buf data;
    rspg_status rc = read_checked(x, jstr(k, "path"), jstr(k, "sha256"), &data);
    if (rc == RSPG_OK) {
        rspg_artifact *a = add_file(r, s, slots[s].key, curves[c].tag, "pem");
        a->kind = RSPG_ART_PRIVATE_KEY;
        a->secret = 1;
        if (rspg_pem_present(data.data, data.len))
            rspg_buf_append(&a->data, data.data, data.len);
        else
            rspg_pem_encode("EC PRIVATE KEY", data.data, data.len, &a->data);
    }
    if (data.data)
        OPENSSL_cleanse(data.data, data.len);
    rspg_buf_free(&data);
    return rc;
}

/* The files of slot S on curve C: the certificate (DER), its key, and for TLS a PEM copy of
 * the certificate (osmo-smdpp would otherwise write one into the tree when it starts). */
static rspg_status add_slot(const ectx *x, rspg_build_result *r, int s, int c)
{
    json_t *row = x->sel[s][c];
    rspg_buf data, der;
    rspg_status rc = read_checked(x, jstr(row, "path"), jstr(row, "sha256"), &data);
    rspg_buf_init(&der);
    if (rc == RSPG_OK && rspg_pem_or_der(data.data, data.len, "CERTIFICATE", &der) != 0)
        rc = rspg_fail(x->d, RSPG_E_INPUT, "%s/%s: not a certificate", x->o->build_dir,
                       jstr(row, "path"));
    if (rc == RSPG_OK) {
        rspg_artifact *a = add_file(r, s, slots[s].cert, curves[c].tag, "der");
        rspg_buf_append(&a->data, der.data, der.len);
        if (s == SLOT_TLS) {
            a = add_file(r, s, slots[s].cert, curves[c].tag, "pem");
            rspg_pem_encode("CERTIFICATE", der.data, der.len, &a->data);
        }
        if (slots[s].key)
            rc = add_key(x, r, s, c, row);
    }
    rspg_buf_free(&data);
    rspg_buf_free(&der);
    return rc;
}

/* Collects every file of the tree into R; SUMMARY gets the curves. */
static rspg_status collect(ectx *x, rspg_build_result *r, rspg_export_summary *sum)
{
    rspg_status rc = pick_dp(x);
    if (rc == RSPG_OK)
        rc = select_rows(x);
    size_t n = 0;
    for (int c = 0; c < N_CURVES && rc == RSPG_OK; c++) {
        int complete;
        rc = check_curve(x, c, &complete);
        for (int s = 0; s < N_SLOTS && rc == RSPG_OK && complete; s++)
            rc = add_slot(x, r, s, c);
        if (rc == RSPG_OK && complete)
            n += (size_t)snprintf(sum->curves + n, sizeof(sum->curves) - n, "%s%s", n ? ", " : "",
                                  curves[c].tag);
    }
    if (rc == RSPG_OK && r->n == 0)
        rc = rspg_fail(x->d, RSPG_E_USAGE,
                       "%s: Variant %s: no curve has the CI and the DPauth, DPpb and DP TLS "
                       "certificates of '%s'",
                       x->o->build_dir, x->variant, x->dp_name);
    return rc;
}

/* Why the existing folder PATH is not an osmo-smdpp certs folder (NULL when it is). */
static const char *foreign_certs(const char *path, char *buf, size_t cap)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return "it cannot be read";
    const char *why = NULL;
    for (struct dirent *de; why == NULL && (de = readdir(dir)) != NULL;) {
        int ok = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
        for (size_t i = 0; certs_entries[i] && !ok; i++)
            ok = strcmp(de->d_name, certs_entries[i]) == 0;
        if (!ok) {
            snprintf(buf, cap, "it holds '%s'", de->d_name);
            why = buf;
        }
    }
    closedir(dir);
    return why;
}

/* DATA_DIR exists (created when missing); DEST (DATA_DIR/certs) may be replaced. */
static rspg_status check_dest(const rspg_export_options *o, const char *dest, rspg_diag *d)
{
    struct stat st;
    if (mkdir(o->output, 0755) != 0 && errno != EEXIST)
        return rspg_fail(d, RSPG_E_IO, "%s: cannot create: %s", o->output, strerror(errno));
    if (stat(o->output, &st) != 0 || !S_ISDIR(st.st_mode))
        return rspg_fail(d, RSPG_E_USAGE, "%s: not a folder", o->output);
    if (lstat(dest, &st) != 0)
        return RSPG_OK;
    char buf[300];
    const char *why = NULL;
    if (!o->force)
        return rspg_fail(d, RSPG_E_USAGE, "%s: already exists (use --force to replace it)", dest);
    if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
        why = "it is not a folder";
    else
        why = foreign_certs(dest, buf, sizeof(buf));
    if (why)
        return rspg_fail(d, RSPG_E_USAGE, "%s: not an osmo-smdpp certs folder (%s); never replaced",
                         dest, why);
    return RSPG_OK;
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

/* Locks DATA_DIR/certs, checks it, and writes R there atomically. */
static rspg_status write_tree(const rspg_export_options *o, const rspg_build_result *r,
                              rspg_diag *d)
{
    char *dest = rspg_xasprintf("%s/certs", o->output);
    char *keep = rspg_xasprintf("%s/manifest.json", o->build_dir);
    rspg_output_lock *lock = NULL;
    rspg_status rc = check_dest(o, dest, d);
    if (rc == RSPG_OK)
        rc = rspg_output_lock_take(dest, d, &lock);
    if (rc == RSPG_OK)
        rc = check_dest(o, dest, d); /* again, under the lock */
    if (rc == RSPG_OK) {
        rspg_output_options oo = {1, NULL, 1, keep, 1};
        rc = rspg_output_write(dest, r, &oo, d);
    }
    rspg_output_lock_release(lock);
    free(keep);
    free(dest);
    return rc;
}

rspg_status rspg_export_osmo_smdpp(const rspg_export_options *o, rspg_diag *d,
                                   rspg_export_summary *summary)
{
    json_t *root = NULL;
    rspg_build_result r;
    rspg_export_summary sum;
    memset(&r, 0, sizeof(r));
    memset(&sum, 0, sizeof(sum));
    rspg_status rc = load_manifest(o->build_dir, d, &root);
    ectx x = {o, o->variant ? o->variant : "O", NULL, NULL, {{0}}, d};
    if (rc == RSPG_OK) {
        x.arts = json_object_get(root, "artifacts");
        rc = collect(&x, &r, &sum);
    }
    if (rc == RSPG_OK) {
        qsort(r.items, r.n, sizeof(*r.items), cmp_artifact);
        rc = write_tree(o, &r, d);
    }
    if (rc == RSPG_OK && summary) {
        snprintf(sum.dp_name, sizeof(sum.dp_name), "%s", x.dp_name);
        sum.files = r.n;
        for (size_t i = 0; i < r.n && i < RSPG_EXPORT_MAX_FILES; i++)
            snprintf(sum.paths[i], sizeof(sum.paths[i]), "%s", r.items[i].path);
        *summary = sum;
    }
    rspg_build_result_free(&r);
    json_decref(root);
    return rc;
}
