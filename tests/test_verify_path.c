/*
 * test_verify_path.c: path building with backtracking (src/lib/check/verify_chain.c;
 * RFC 5280 §6: a certificate is valid if any path validates; RFC 4158 depth-first search).
 *
 * tests/data/verify-twins.yaml is built with a fixed seed and clock: a CI, an EUM, two
 * invalid twins of the EUM (same name, SKI and key: a wrong role policy, and
 * nameConstraints for another O) and the valid eUICC, also issued by each twin. Pools are
 * made of these in chosen orders: an invalid twin before the valid EUM no longer hides the
 * valid path, and the chain text names it; a twin alone keeps its reason; with two twins
 * and no valid EUM the verdict is the first (preferred) path's; copies of one certificate
 * are judged once. The built folder is verified against its manifest (each case with the
 * chain the manifest names). A pool of 12 same-name, same-key CAs on each of 4 levels
 * (12^4 paths) is judged within RSPG_VERIFY_MAX_PATHS.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/check/verify.h"
#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/output.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

#define CLOCK 1767225600 /* 2026-01-01T00:00:00Z */
#define AT (CLOCK + 86400)

struct built {
    rspg_profile *p;
    rspg_build_result r;
};

static struct built twins;

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

/* Builds profile text TEXT (NAME for messages) into B with a fixed seed and clock. */
static void build_text(const char *text, const char *name, struct built *b)
{
    static const uint8_t seed[] = {0x01};
    rspg_diag d;
    rspg_diag_init(&d);
    memset(b, 0, sizeof(*b));
    rspg_status rc = rspg_profile_load_string(text, strlen(text), name, &d, &b->p);
    if (rc == RSPG_OK) {
        rspg_build_options o;
        memset(&o, 0, sizeof(o));
        o.profile_dir = ".";
        o.has_clock = 1;
        o.clock = CLOCK;
        o.nonce = RSPG_NONCE_RFC6979;
        o.seed = seed;
        o.seed_len = sizeof(seed);
        rc = rspg_build(b->p, &o, &d, &b->r);
    }
    print_diag(&d);
    rspg_diag_fini(&d);
    assert_int_equal(rc, RSPG_OK);
}

static void free_built(struct built *b)
{
    rspg_build_result_free(&b->r);
    rspg_profile_free(b->p);
}

static int setup(void **state)
{
    char *path = tu_src("tests/data/verify-twins.yaml");
    rspg_buf text;
    rspg_buf_init(&text);
    int rc = tu_read_file(path, &text);
    free(path);
    if (rc != 0)
        return -1;
    rspg_buf_push(&text, 0);
    build_text((const char *)text.data, "verify-twins.yaml", &twins);
    rspg_buf_free(&text);
    return tu_scratch_setup(state);
}

static int teardown(void **state)
{
    free_built(&twins);
    return tu_scratch_teardown(state);
}

/* The DER certificate of entity ID in B. */
static const rspg_artifact *cert_of(const struct built *b, const char *id)
{
    for (size_t i = 0; i < b->r.n; i++) {
        const rspg_artifact *a = &b->r.items[i];
        if (a->kind == RSPG_ART_CERT && !a->pem && a->entity && strcmp(a->entity->id, id) == 0)
            return a;
    }
    fail_msg("no certificate of entity %s", id);
    return NULL;
}

/* Validates entity LEAF with a pool of the entities IDS (named by their ids, in that
 * order; "ci" and "root" are trust anchors); returns the number of paths judged. */
static size_t check_pool(const struct built *b, const char *const *ids, size_t n, const char *leaf,
                         rspg_verdict *out)
{
    rspg_verifier *v = rspg_verifier_new(AT);
    rspg_diag d;
    rspg_diag_init(&d);
    int leaf_ix = -1;
    for (size_t i = 0; i < n; i++) {
        const rspg_artifact *a = cert_of(b, ids[i]);
        int anchor = strcmp(ids[i], "ci") == 0;
        int ix = rspg_verifier_add_cert(v, ids[i], a->data.data, a->data.len, anchor, -1, &d);
        assert_true(ix >= 0);
        if (strcmp(ids[i], leaf) == 0)
            leaf_ix = ix;
    }
    assert_true(leaf_ix >= 0);
    rspg_verifier_check(v, leaf_ix, out);
    size_t paths = rspg_verifier_paths_tried(v);
    rspg_verifier_free(v);
    rspg_diag_fini(&d);
    return paths;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_same_verdict(const rspg_verdict *a, const rspg_verdict *b)
{
    assert_int_equal(a->valid, b->valid);
    assert_string_equal(a->reason, b->reason);
    assert_string_equal(a->check, b->check);
    assert_string_equal(a->message, b->message);
    assert_string_equal(a->cert, b->cert);
    assert_string_equal(a->chain, b->chain);
}

/* The policy twin listed before the valid EUM: its path is tried first and fails; the
 * valid EUM's path validates and is the one the verdict names. */
static void test_twin_first(void **state)
{
    (void)state;
    static const char *const pool[] = {"ci", "eum-policy", "eum", "euicc"};
    rspg_verdict vd;
    size_t paths = check_pool(&twins, pool, N(pool), "euicc", &vd);
    assert_true(vd.valid);
    assert_string_equal(vd.chain, "euicc <- eum <- ci");
    assert_int_equal(paths, 2);
}

/* Listed after the valid EUM, the twin is never tried. */
static void test_twin_second(void **state)
{
    (void)state;
    static const char *const pool[] = {"ci", "eum", "eum-policy", "euicc"};
    rspg_verdict vd;
    size_t paths = check_pool(&twins, pool, N(pool), "euicc", &vd);
    assert_true(vd.valid);
    assert_string_equal(vd.chain, "euicc <- eum <- ci");
    assert_int_equal(paths, 1);
}

/* A twin whose fault shows only in the eUICC's own checks (the EUM constraint): the eUICC
 * checks are part of judging a path, so the valid EUM's path is still found. */
static void test_constraint_twin_first(void **state)
{
    (void)state;
    static const char *const pool[] = {"ci", "eum-nc", "eum", "euicc"};
    rspg_verdict vd;
    size_t paths = check_pool(&twins, pool, N(pool), "euicc", &vd);
    assert_true(vd.valid);
    assert_string_equal(vd.chain, "euicc <- eum <- ci");
    assert_int_equal(paths, 2);
}

/* The eUICC issued by the twin, with only the twin as its issuer: invalid, the twin's
 * reason, the twin named. */
static void test_only_twin(void **state)
{
    (void)state;
    static const char *const pool[] = {"ci", "eum-policy", "euicc-policy"};
    rspg_verdict vd;
    size_t paths = check_pool(&twins, pool, N(pool), "euicc-policy", &vd);
    assert_false(vd.valid);
    assert_string_equal(vd.reason, "eumCertificateInvalid");
    assert_string_equal(vd.cert, "eum-policy");
    assert_string_equal(vd.chain, "euicc-policy <- eum-policy <- ci");
    assert_int_equal(paths, 1);
}

/* Two invalid twins and no valid EUM: both paths are judged, the verdict is the first's,
 * exactly the verdict of a pool holding the first twin alone. */
static void test_two_twins(void **state)
{
    (void)state;
    static const char *const nc_first[] = {"ci", "eum-nc", "eum-policy", "euicc"};
    static const char *const nc_alone[] = {"ci", "eum-nc", "euicc"};
    static const char *const pol_first[] = {"ci", "eum-policy", "eum-nc", "euicc"};
    static const char *const pol_alone[] = {"ci", "eum-policy", "euicc"};
    rspg_verdict got, want;
    assert_int_equal(check_pool(&twins, nc_first, N(nc_first), "euicc", &got), 2);
    assert_int_equal(check_pool(&twins, nc_alone, N(nc_alone), "euicc", &want), 1);
    assert_false(got.valid);
    assert_string_equal(got.reason, "euiccCertificateInvalid");
    assert_string_equal(got.check, "name-constraints");
    assert_same_verdict(&got, &want);
    assert_int_equal(check_pool(&twins, pol_first, N(pol_first), "euicc", &got), 2);
    assert_int_equal(check_pool(&twins, pol_alone, N(pol_alone), "euicc", &want), 1);
    assert_false(got.valid);
    assert_string_equal(got.reason, "eumCertificateInvalid");
    assert_string_equal(got.cert, "eum-policy");
    assert_same_verdict(&got, &want);
}

/* Copies of one certificate (a folder's DER and PEM files) give one path, not two. */
static void test_copies_judged_once(void **state)
{
    (void)state;
    rspg_verifier *v = rspg_verifier_new(AT);
    rspg_diag d;
    rspg_diag_init(&d);
    const rspg_artifact *ci = cert_of(&twins, "ci"), *eum = cert_of(&twins, "eum-policy");
    const rspg_artifact *leaf = cert_of(&twins, "euicc");
    assert_int_equal(rspg_verifier_add_cert(v, "ci", ci->data.data, ci->data.len, 1, -1, &d), 0);
    assert_int_equal(
        rspg_verifier_add_cert(v, "twin.der", eum->data.data, eum->data.len, 0, -1, &d), 1);
    assert_int_equal(
        rspg_verifier_add_cert(v, "twin.pem", eum->data.data, eum->data.len, 0, -1, &d), 2);
    int ix = rspg_verifier_add_cert(v, "euicc", leaf->data.data, leaf->data.len, 0, -1, &d);
    rspg_verdict vd;
    rspg_verifier_check(v, ix, &vd);
    assert_false(vd.valid);
    assert_string_equal(vd.chain, "euicc <- twin.der <- ci");
    assert_int_equal(rspg_verifier_paths_tried(v), 1);
    rspg_verifier_check(v, 99, &vd); /* no such certificate: no path */
    assert_false(vd.valid);
    assert_int_equal(rspg_verifier_paths_tried(v), 0);
    rspg_verifier_free(v);
    rspg_diag_fini(&d);
}

/* The folder against its manifest: the eUICCs of the twins verify under the valid EUM too,
 * but each is judged with the chain its manifest names (verify_dir.c pins the issuer), so
 * every expectation holds and the policy twin's eUICC names the twin. */
static void test_folder(void **state)
{
    (void)state;
    char *tmp = tu_scratch(), *dir = rspg_xasprintf("%s/out", tmp);
    rspg_diag d;
    rspg_diag_init(&d);
    char *m = rspg_manifest_json(&twins.r, twins.p);
    rspg_output_options oo = {0, m};
    assert_int_equal(rspg_output_write(dir, &twins.r, &oo, &d), RSPG_OK);
    free(m);
    rspg_verify_result res;
    rspg_status rc = rspg_verify_dir(dir, NULL, &d, &res);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(res.certificates, 7);
    assert_int_equal(res.agreed, 7);
    int seen = 0;
    for (size_t i = 0; i < res.n_items; i++) {
        const rspg_verify_item *it = &res.items[i];
        if (strcmp(it->path, "EUM policy twin/eUICC/CERT_EUICC_SIG_NIST.der") != 0)
            continue;
        seen = 1;
        assert_false(it->verdict.valid);
        assert_string_equal(it->verdict.reason, "eumCertificateInvalid");
        assert_non_null(strstr(it->verdict.chain, "/EUM policy twin/CERT_EUM_SIG_NIST.der <- "));
    }
    assert_true(seen);
    rspg_verify_result_free(&res);
    rspg_diag_fini(&d);
    free(dir);
    free(tmp);
}

/* A profile of LEVELS levels of WIDTH CAs each below a CI: the CAs of a level share one
 * subject name and one key, so each is an issuer of every CA of the level below; all are
 * expired, so no path validates. The leaf is a TLS certificate under the last level. */
static char *explosion_profile(int levels, int width)
{
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_buf_puts(&b, "schema: rsp-pkigen/profile/1\n"
                      "curves:\n  nist: {curve: prime256v1, suffix: NIST}\n"
                      "defaults: {curves: [nist], validity_days: 365}\n"
                      "entities:\n"
                      "  - {id: root, role: ci, variant: O, issuer: self, subject: [{CN: Root}],"
                      " serial: \"01\", extensions: [{subject_key_identifier: {}},"
                      " {basic_constraints: {critical: true, ca: true}},"
                      " {certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}},"
                      " {key_usage: {critical: true, usage: [keyCertSign, cRLSign]}}],"
                      " output: {cert: \"root.der\"}}\n");
    for (int k = 1; k <= levels; k++)
        for (int j = 0; j < width; j++) {
            char issuer[16], key[32];
            snprintf(issuer, sizeof(issuer), k == 1 ? "root" : "l%d-0", k - 1);
            snprintf(key, sizeof(key), j == 0 ? "generate" : "{from: l%d-0}", k);
            char *e = rspg_xasprintf(
                "  - {id: l%d-%d, role: ci-subca, variant: O, issuer: %s, subject: [{CN: Level "
                "%d}], serial: \"%02X%02X\", key: %s, validity: {offset_days: -400, days: 100}, "
                "expect: invalid, reason: invalidCertificate, extensions: "
                "[{authority_key_identifier: {}}, {subject_key_identifier: {}}, "
                "{basic_constraints: {critical: true, ca: true}}, {certificate_policies: "
                "{critical: true, policies: [2.23.146.1.2.1.0]}}, {key_usage: {critical: true, "
                "usage: [keyCertSign]}}], output: {cert: \"l%d-%d.der\"}}\n",
                k, j, issuer, k, k, j, key, k, j);
            rspg_buf_puts(&b, e);
            free(e);
        }
    char *leaf = rspg_xasprintf(
        "  - {id: leaf, role: dp-tls, variant: O, issuer: l%d-0, subject: [{CN: leaf}], serial: "
        "\"09\", extensions: [{key_usage: {critical: true, usage: [digitalSignature]}}, "
        "{extended_key_usage: {critical: true, usage: [serverAuth]}}, {certificate_policies: "
        "{policies: [2.23.146.1.2.1.3]}}, {subject_key_identifier: {}}, "
        "{authority_key_identifier: {}}], output: {cert: \"leaf.der\"}}\n",
        levels);
    rspg_buf_puts(&b, leaf);
    free(leaf);
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

/* 12 same-name CAs per level over 4 levels: 20736 paths, of which RSPG_VERIFY_MAX_PATHS
 * are judged; the verdict is the first path's (the first CA of each level). */
static void test_explosion_bounded(void **state)
{
    (void)state;
    enum { LEVELS = 4, WIDTH = 12 };
    char *text = explosion_profile(LEVELS, WIDTH);
    struct built b;
    build_text(text, "explosion.yaml", &b);
    free(text);
    const char *ids[1 + LEVELS * WIDTH + 1];
    char names[LEVELS * WIDTH][16];
    size_t n = 0;
    ids[n++] = "root";
    for (int k = 1; k <= LEVELS; k++)
        for (int j = 0; j < WIDTH; j++) {
            snprintf(names[(k - 1) * WIDTH + j], sizeof(names[0]), "l%d-%d", k, j);
            ids[n++] = names[(k - 1) * WIDTH + j];
        }
    ids[n++] = "leaf";
    /* the root is the trust anchor: named "ci" in check_pool's sense */
    rspg_verifier *v = rspg_verifier_new(AT);
    rspg_diag d;
    rspg_diag_init(&d);
    int leaf_ix = -1;
    for (size_t i = 0; i < n; i++) {
        const rspg_artifact *a = cert_of(&b, ids[i]);
        leaf_ix = rspg_verifier_add_cert(v, ids[i], a->data.data, a->data.len, i == 0, -1, &d);
        assert_true(leaf_ix >= 0);
    }
    rspg_verdict vd;
    rspg_verifier_check(v, leaf_ix, &vd);
    assert_false(vd.valid);
    assert_int_equal(rspg_verifier_paths_tried(v), RSPG_VERIFY_MAX_PATHS);
    assert_string_equal(vd.chain, "leaf <- l4-0 <- l3-0 <- l2-0 <- l1-0 <- root");
    assert_string_equal(vd.check, "validity");
    assert_string_equal(vd.cert, "l1-0");
    rspg_verifier_free(v);
    rspg_diag_fini(&d);
    free_built(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twin_first),
        cmocka_unit_test(test_twin_second),
        cmocka_unit_test(test_constraint_twin_first),
        cmocka_unit_test(test_only_twin),
        cmocka_unit_test(test_two_twins),
        cmocka_unit_test(test_copies_judged_once),
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_explosion_bounded),
    };
    return tu_exit(cmocka_run_group_tests(tests, setup, teardown));
}
