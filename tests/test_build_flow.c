/*
 * test_build_flow.c: the build that checks itself (flow/build_flow.h).
 *
 * A bad EID (--var eid=..., wrong check digits) is refused: RSPG_E_VERIFY, nothing
 * written (no destination, no temporary folder; an existing destination with --force is
 * left as it was), one error per disagreeing certificate at the profile line of its
 * entity, naming the file, the verifier's rule and reason. A certificate the manifest
 * calls invalid but that verifies is refused too. The invalid-case set of
 * profiles/sgp26.yaml builds (its certificates say expect: invalid); every profile in
 * profiles/ builds, with the arguments tests/cli/digests.sh gives (those of
 * gsma-sgp26-v3.yaml and sgp26-renew-tls.yaml need GSMA's keys from the shared folder:
 * without it those are not run and the test exits 77, SKIPPED); the SGP.02 card
 * certificates of profiles/sgp02.yaml, filtered, do not fail the check; a missing profile
 * is a bad profile.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rspg/base/time.h"
#include "rspg/flow/build_flow.h"
#include "rspg/issue/output.h"
#include "test_util.h"

#define BAD_EID "eid=89049032123451234512345678901236"
/* a valid eUICC whose O is not the one its EUM's name constraints permit: only the verifier
 * (the self-check) sees it */
#define FOREIGN_O "o-euicc.subject.O=Another EUM"
#define CLOCK "2025-01-01T00:00:00Z"

static const uint8_t seed[] = {0x00, 0x11, 0x22, 0x33};

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The number of entries of DIR (without . and ..). */
static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* Flow options as `build PROFILE -o OUT --seed 00112233 --clock 2025-01-01T00:00:00Z`. */
static rspg_build_flow_options flow_opts(const char *profile, const char *out)
{
    rspg_build_flow_options o;
    memset(&o, 0, sizeof(o));
    o.profile_path = profile;
    o.output = out;
    o.build.nonce = RSPG_NONCE_RFC6979;
    o.build.seed = seed;
    o.build.seed_len = sizeof(seed);
    o.build.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339(CLOCK, &o.build.clock), 0);
    return o;
}

/* The location of entity ID in PROFILE (loaded with LO). */
static rspg_loc entity_loc(const char *profile, const rspg_load_options *lo, const char *id,
                           rspg_profile **keep)
{
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_profile_load_file_ex(profile, lo, &d, keep), RSPG_OK);
    const rspg_entity *e = rspg_profile_find(*keep, id);
    assert_non_null(e);
    rspg_diag_fini(&d);
    return e->loc;
}

/* The error of D about FILE (a substring of its message), or NULL. */
static const rspg_diag_entry *error_about(const rspg_diag *d, const char *file)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->entries[i].severity == RSPG_SEV_ERROR && strstr(d->entries[i].message, file))
            return &d->entries[i];
    return NULL;
}

static void assert_located(const rspg_diag_entry *e, rspg_loc loc)
{
    assert_non_null(e);
    assert_non_null(e->file);
    assert_string_equal(e->file, loc.file);
    assert_int_equal(e->line, loc.line);
    assert_int_equal(e->col, loc.col);
}

/* --var eid=<wrong check digits>: refused by the rulebook's profile check before anything is
 * issued: a bad profile, one error per eUICC entity at the serialNumber attribute, naming the
 * rule; nothing written. */
static void test_bad_eid_refused(void **state)
{
    (void)state;
    char *profile = tu_src("profiles/sgp26.yaml");
    char *tmp = tu_scratch();
    char *out = rspg_xasprintf("%s/out", tmp);
    const char *vars[] = {BAD_EID};
    rspg_load_options lo = {vars, 1, NULL, 0};
    rspg_build_flow_options o = flow_opts(profile, out);
    o.load = &lo;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_PROFILE);
    assert_false(exists(out));
    assert_int_equal(entries(tmp), 0);
    assert_int_equal(d.errors, 5); /* o-, ov3-, a-, b-, c-euicc */
    rspg_profile *p = NULL;
    entity_loc(profile, &lo, "o-euicc", &p);
    const rspg_entity *e = rspg_profile_find(p, "o-euicc");
    rspg_loc attr = e->subject.attrs[2].loc; /* - serialNumber: ${eid} */
    assert_string_equal(e->subject.attrs[2].key, "serialNumber");
    const rspg_diag_entry *first = &d.entries[0];
    assert_located(first, attr);
    assert_non_null(strstr(first->message, "entity 'o-euicc': EID 89049032123451234512345678901236 "
                                           "has wrong check digits (rule eid-check-digits"));
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    tu_rmtree(out);
    free(out);
    free(tmp);
    free(profile);
}

/* A valid eUICC that only the verifier can judge (its O is outside its EUM's constraint):
 * the self-check refuses the build, one located error per eUICC file, nothing written. */
static void test_self_check_refuses(void **state)
{
    (void)state;
    char *profile = tu_src("profiles/sgp26.yaml");
    char *tmp = tu_scratch();
    char *out = rspg_xasprintf("%s/out", tmp);
    const char *sets[] = {FOREIGN_O};
    rspg_load_options lo = {NULL, 0, sets, 1};
    rspg_build_flow_options o = flow_opts(profile, out);
    o.load = &lo;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_build_flow_summary sum = {99, 99, 99};
    assert_int_equal(rspg_build_flow_run(&o, &d, &sum), RSPG_E_VERIFY);
    assert_int_equal(sum.files, 99); /* untouched on failure */
    assert_false(exists(out));
    assert_int_equal(entries(tmp), 0); /* no out.tmp-* either */

    /* one error per eUICC certificate of the five variant sets on two curves */
    assert_int_equal(d.errors, 10);
    rspg_profile *p = NULL;
    rspg_loc loc = entity_loc(profile, &lo, "o-euicc", &p);
    const rspg_diag_entry *e =
        error_about(&d, "(Valid Test Cases/Variant O/eUICC/CERT_EUICC_SIG_NIST.der)");
    assert_located(e, loc);
    assert_non_null(strstr(e->message, "entity 'o-euicc' (Valid Test Cases/Variant O/eUICC/"
                                       "CERT_EUICC_SIG_NIST.der): manifest says valid, the "
                                       "verifier says invalid: "));
    assert_non_null(strstr(e->message, "euiccCertificateInvalid (name-constraints"));
    assert_non_null(strstr(e->message, "the O 'Another EUM'"));
    /* the temporary folder is not named: the destination is */
    assert_null(strstr(e->message, ".tmp-"));
    assert_non_null(strstr(e->message, out));
    rspg_loc cloc = rspg_profile_find(p, "c-euicc")->loc;
    assert_located(error_about(&d, "Variant C/EUICC/CERT_EUICC_VARC_SIG_BRP.der"), cloc);
    rspg_profile_free(p);
    rspg_diag_fini(&d);

    /* with --force over an existing folder: refused, the old folder left as it was */
    assert_int_equal(mkdir(out, 0755), 0);
    char *marker = rspg_xasprintf("%s/old.txt", out);
    assert_int_equal(tu_write_file(marker, "old", 3), 0);
    o.force = o.force_any = 1; /* old.txt alone: not an output of ours */
    o.build.curves = (char *[]){"nist"};
    o.build.n_curves = 1;
    o.build.roles = (char *[]){"o-euicc"};
    o.build.n_roles = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_VERIFY);
    assert_int_equal(d.errors, 1);
    assert_true(exists(marker));
    assert_int_equal(entries(out), 1);
    assert_int_equal(entries(tmp), 1);
    rspg_diag_fini(&d);

    free(marker);
    tu_rmtree(out);
    free(out);
    free(tmp);
    free(profile);
}

static const char expect_invalid_yaml[] =
    "schema: rsp-pkigen/profile/1\n"
    "curves: {nist: {curve: prime256v1, suffix: NIST}}\n"
    "defaults: {curves: [nist], validity_days: 30}\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}]\n"
    "    serial: \"01\"\n"
    "    output: {cert: CERT_CI.der}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "  - id: ci-said-bad\n"
    "    base: ci\n"
    "    expect: invalid\n"
    "    reason: invalidSignature\n"
    "    output: {cert: CERT_CI_BAD.der}\n";

/* A certificate the manifest calls invalid but that verifies is refused as well; the one
 * next to it, which agrees, is not named. */
static void test_expect_invalid_but_valid(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *profile = rspg_xasprintf("%s/p.yaml", tmp);
    char *out = rspg_xasprintf("%s/out", tmp);
    assert_int_equal(tu_write_file(profile, expect_invalid_yaml, strlen(expect_invalid_yaml)), 0);
    rspg_build_flow_options o = flow_opts(profile, out);
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_VERIFY);
    assert_int_equal(d.errors, 1);
    const rspg_diag_entry *e = error_about(&d, "CERT_CI_BAD.der");
    assert_non_null(e);
    assert_int_equal(e->line, 17);
    assert_string_equal(e->message, "entity 'ci-said-bad' (CERT_CI_BAD.der): manifest says "
                                    "invalid (invalidSignature), the verifier says valid");
    assert_false(exists(out));
    assert_int_equal(entries(tmp), 1); /* p.yaml alone */
    rspg_diag_fini(&d);
    free(out);
    free(profile);
    free(tmp);
}

/* The whole of profiles/sgp26.yaml, invalid cases included, builds and is judged. */
static void test_invalid_set_builds(void **state)
{
    (void)state;
    char *profile = tu_src("profiles/sgp26.yaml");
    char *tmp = tu_scratch();
    char *out = rspg_xasprintf("%s/out", tmp);
    rspg_build_flow_options o = flow_opts(profile, out);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_build_flow_summary sum = {0};
    assert_int_equal(rspg_build_flow_run(&o, &d, &sum), RSPG_OK);
    assert_int_equal(d.count, 0);
    assert_true(sum.certificates > 200);
    assert_true(sum.checked >= sum.certificates / 2); /* DER copies and CRLs */
    char *m = rspg_xasprintf("%s/manifest.json", out);
    assert_true(exists(m));
    rspg_buf text;
    rspg_buf_init(&text);
    assert_int_equal(tu_read_file(m, &text), 0);
    rspg_buf_push(&text, 0);
    assert_non_null(strstr((const char *)text.data, "\"expect\": \"invalid\""));
    rspg_buf_free(&text);
    assert_int_equal(entries(tmp), 1); /* out alone: no temporary folder left */
    rspg_diag_fini(&d);
    free(m);
    tu_rmtree(out);
    free(out);
    free(tmp);
    free(profile);
}

/* SGP.02 card certificates, alone or with their issuers, do not fail the check. */
static void test_sgp02_filtered(void **state)
{
    (void)state;
    char *profile = tu_src("profiles/sgp02.yaml");
    char *tmp = tu_scratch();
    static const char *const only[] = {NULL, "ci", "eum", "sgp02-dp", "sgp02-ecasd", "sgp02-sr"};
    for (size_t i = 0; i < sizeof(only) / sizeof(only[0]); i++) {
        char *out = rspg_xasprintf("%s/out%zu", tmp, i);
        rspg_build_flow_options o = flow_opts(profile, out);
        char *role = only[i] ? rspg_xstrdup(only[i]) : NULL;
        o.build.roles = &role;
        o.build.n_roles = role ? 1 : 0;
        rspg_diag d;
        rspg_diag_init(&d);
        rspg_status rc = rspg_build_flow_run(&o, &d, NULL);
        if (rc != RSPG_OK)
            fail_msg("--only %s: status %d, %zu errors", role ? role : "(all)", rc, d.errors);
        assert_int_equal(d.errors, 0);
        assert_true(exists(out));
        rspg_diag_fini(&d);
        free(role);
        tu_rmtree(out);
        free(out);
    }
    free(tmp);
    free(profile);
}

static void test_missing_profile(void **state)
{
    (void)state;
    char *tmp = tu_scratch();
    char *profile = rspg_xasprintf("%s/no-such.yaml", tmp);
    char *out = rspg_xasprintf("%s/out", tmp);
    rspg_build_flow_options o = flow_opts(profile, out);
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_PROFILE);
    assert_int_equal(d.errors, 1);
    assert_int_equal(entries(tmp), 0);
    rspg_diag_fini(&d);
    free(out);
    free(profile);
    free(tmp);
}

/* Issue 14: the flow locks the destination before building (a held lock: RSPG_E_IO,
 * nothing written, the holder's lock untouched), refuses --force over a folder that is not
 * a previous output, and releases the lock when it ends. */
static void test_destination_locked_and_guarded(void **state)
{
    (void)state;
    char *profile = tu_src("profiles/sgp26.yaml");
    char *tmp = tu_scratch();
    char *out = rspg_xasprintf("%s/out", tmp), *lockfile = rspg_xasprintf("%s/out.lock", tmp);
    rspg_build_flow_options o = flow_opts(profile, out);
    o.build.curves = (char *[]){"nist"};
    o.build.n_curves = 1;
    o.build.roles = (char *[]){"o-ci"};
    o.build.n_roles = 1;
    rspg_output_lock *held = NULL;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_output_lock_take(out, &d, &held), RSPG_OK);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_IO);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.entries[0].message, "is writing it"));
    assert_int_equal(entries(tmp), 1); /* the holder's out.lock alone */
    rspg_output_lock_release(held);
    rspg_diag_fini(&d);
    /* a foreign folder with --force: refused before anything is built */
    assert_int_equal(mkdir(out, 0755), 0);
    char *mine = rspg_xasprintf("%s/mine.txt", out);
    assert_int_equal(tu_write_file(mine, "x", 1), 0);
    o.force = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_USAGE);
    assert_true(exists(mine));
    assert_false(exists(lockfile));
    rspg_diag_fini(&d);
    /* --force-any: built, the lock released */
    o.force_any = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_OK);
    assert_false(exists(mine));
    assert_false(exists(lockfile));
    assert_int_equal(entries(tmp), 1);
    rspg_diag_fini(&d);
    assert_int_equal(rspg_remove_tree(tmp, NULL), RSPG_OK);
    free(mine);
    free(lockfile);
    free(out);
    free(tmp);
    free(profile);
}

/* Every profile of profiles/ builds with tests/cli/digests.sh's arguments; a new profile
 * without known arguments is built with none. With the build clock before the dates
 * gsma-sgp26-v3.yaml pins, its expectations hold at its own clock: accepted, with a
 * warning. */
static void test_every_profile_builds(void **state)
{
    (void)state;
    char *dir = tu_src("profiles");
    char *tmp = tu_scratch();
    char *keys = tu_shared("reference/sgp26");
    char *ci_keys = tu_shared("reference/sgp26/1oT-YggdraSIM/Valid Test Cases/Variant O/CI");
    char *brp = tu_shared("reference/sgp26/osmo-ttcn3-hacks/CertificateIssuer/SK_CI_ECDSA_BRP.pem");
    char *brp_var = rspg_xasprintf("ci_key_brp=%s", brp);
    const char *renew_vars[] = {brp_var};
    DIR *dd = opendir(dir);
    struct dirent *de;
    size_t built = 0;
    assert_non_null(dd);
    while ((de = readdir(dd)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0)
            continue;
        char *profile = rspg_xasprintf("%s/%s", dir, de->d_name);
        char *out = rspg_xasprintf("%s/%s", tmp, de->d_name);
        rspg_build_flow_options o = flow_opts(profile, out);
        rspg_load_options lo = {renew_vars, 1, NULL, 0};
        int v3 = strcmp(de->d_name, "gsma-sgp26-v3.yaml") == 0;
        if (v3) {
            o.build.key_dir = keys;
            o.build.has_clock = 0; /* its dates are GSMA's: judged at its own clock */
        }
        if (strcmp(de->d_name, "sgp26-renew-tls.yaml") == 0) {
            o.build.key_dir = ci_keys;
            o.load = &lo;
        }
        rspg_diag d;
        rspg_diag_init(&d);
        rspg_status rc = rspg_build_flow_run(&o, &d, NULL);
        if (rc != RSPG_OK) {
            char *m = d.count ? rspg_diag_format(&d.entries[0]) : NULL;
            fail_msg("%s: status %d: %s", de->d_name, rc, m ? m : "");
        }
        assert_int_equal(d.errors, 0);
        if (v3) {
            /* at another clock, GSMA's pinned dates make some "valid" entries untrue: refused */
            rspg_diag_fini(&d);
            rspg_diag_init(&d);
            o.build.has_clock = 1;
            tu_rmtree(out);
            assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_E_VERIFY);
            assert_true(d.errors > 0);
            assert_non_null(strstr(d.entries[0].message, "manifest says valid"));
            assert_int_equal(access(out, F_OK), -1);
        }
        rspg_diag_fini(&d);
        tu_rmtree(out);
        built++;
        free(out);
        free(profile);
    }
    closedir(dd);
    assert_true(built >= 5);
    free(brp_var);
    free(brp);
    free(ci_keys);
    free(keys);
    free(tmp);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_eid_refused),
        cmocka_unit_test(test_self_check_refuses),
        cmocka_unit_test(test_expect_invalid_but_valid),
        cmocka_unit_test(test_invalid_set_builds),
        cmocka_unit_test(test_sgp02_filtered),
        cmocka_unit_test(test_missing_profile),
        cmocka_unit_test(test_destination_locked_and_guarded),
    };
    const struct CMUnitTest shared_tests[] = {
        cmocka_unit_test(test_every_profile_builds),
    };
    int failed =
        cmocka_run_group_tests_name("build_flow", tests, tu_scratch_setup, tu_scratch_teardown);
    if (!tu_have_shared()) {
        printf("SKIPPED: every profile builds (needs GSMA's keys in the shared folder)\n");
        return failed ? 1 : 77;
    }
    failed += cmocka_run_group_tests_name("build_flow_shared", shared_tests, tu_scratch_setup,
                                          tu_scratch_teardown);
    return failed ? 1 : 0;
}
