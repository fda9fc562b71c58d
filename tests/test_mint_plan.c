/*
 * test_mint_plan.c: the plan of a mint run (issue/mint_plan.h) and its issuer
 * (issue/mint_issuer.h): the eUICC template for each issuer role and arc of sgp26.yaml,
 * --template checks, curves by the curve table with the profile's file-name suffix, an
 * issuer that is not an EUM refused, the in-memory issuer with its chain up to the CI,
 * and issuer files that cannot be read or hold no certificate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rspg/issue/mint_issuer.h"
#include "rspg/issue/mint_plan.h"
#include "test_util.h"

#define FIRST_EID "89049032123451234512345678901235"

static int setup(void **state)
{
    rspg_profile *p = NULL;
    rspg_diag d;
    rspg_diag_init(&d);
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_status rc = rspg_profile_load_file(path, &d, &p);
    free(path);
    rspg_diag_fini(&d);
    *state = p;
    return rc == RSPG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    rspg_profile_free(*state);
    return 0;
}

static void test_template_by_issuer(void **state)
{
    const rspg_profile *p = *state;
    const rspg_entity *e;
    rspg_diag d;
    rspg_diag_init(&d);
    /* Variant O EUM: o-euicc; v3 EUM: Ov3 (the first v3 eUICC issued by an EUM); v3 EUM
     * SubCA: Variant A */
    assert_int_equal(rspg_mint_pick_template(p, NULL, RSPG_ROLE_EUM, 0, &d, &e), RSPG_OK);
    assert_string_equal(e->id, "o-euicc");
    assert_int_equal(rspg_mint_pick_template(p, NULL, RSPG_ROLE_EUM, 1, &d, &e), RSPG_OK);
    assert_string_equal(e->id, "ov3-euicc");
    assert_int_equal(rspg_mint_pick_template(p, NULL, RSPG_ROLE_EUM_SUBCA, 1, &d, &e), RSPG_OK);
    assert_string_equal(e->id, "a-euicc");
    /* --template: an euicc entity, or refused */
    assert_int_equal(rspg_mint_pick_template(p, "b-euicc", RSPG_ROLE_EUM, 0, &d, &e), RSPG_OK);
    assert_string_equal(e->id, "b-euicc");
    assert_int_equal(rspg_mint_pick_template(p, "o-eum", RSPG_ROLE_EUM, 0, &d, &e), RSPG_E_USAGE);
    assert_null(e);
    assert_int_equal(rspg_mint_pick_template(p, "nope", RSPG_ROLE_EUM, 0, &d, &e), RSPG_E_USAGE);
    /* no eUICC for an arc/role pair the profile lacks */
    assert_int_equal(rspg_mint_pick_template(p, NULL, RSPG_ROLE_EUM_SUBCA, 0, &d, &e),
                     RSPG_E_USAGE);
    rspg_diag_fini(&d);
}

static void test_curve_suffix_from_the_profile(void **state)
{
    const rspg_profile *p = *state;
    assert_string_equal(rspg_mint_curve_suffix(p, rspg_curve_find("nist")), "NIST");
    assert_string_equal(rspg_mint_curve_suffix(p, rspg_curve_find("brainpoolP256r1")), "BRP");
    /* a curve the profile does not list: its OpenSSL name */
    const rspg_curve *p384 = rspg_curve_find("secp384r1");
    if (p384)
        assert_string_equal(rspg_mint_curve_suffix(p, p384), p384->name);
    assert_string_equal(rspg_mint_curve_suffix(NULL, rspg_curve_find("brp")), "brainpoolP256r1");
}

static void test_issuer_from_profile_and_plan(void **state)
{
    const rspg_profile *p = *state;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_issuer is;
    rspg_mint_issuer_build b = {RSPG_SOURCE_DIR "/profiles", "brp", 1790000000, RSPG_NONCE_RFC6979,
                                (const uint8_t *)"\x01",     1};
    assert_int_equal(rspg_mint_issuer_from_profile(p, "o-eum", &b, &d, &is), RSPG_OK);
    assert_ptr_equal(is.key.curve, rspg_curve_find("brp"));
    assert_int_equal(rspg_mint_issuer_check_key(&is, &d), RSPG_OK);
    const uint8_t *chain[8];
    size_t lens[8];
    const char *names[8];
    size_t n = rspg_mint_issuer_chain(&is, chain, lens, names, 8);
    assert_int_equal(n, 1); /* the Variant O CI, on the issuer's curve only */
    assert_string_equal(names[0], "Valid Test Cases/Variant O/CI/CERT_CI_SIG_BRP.der");
    rspg_mint_cert_info info;
    assert_int_equal(rspg_mint_read_cert(chain[0], lens[0], "ci", &d, &info), RSPG_OK);
    assert_int_equal(info.role, RSPG_ROLE_CI);
    /* the plan: the issuer's curve by default, or another from the curve table */
    assert_int_equal(rspg_mint_read_cert(is.cert.data, is.cert.len, "eum", &d, &info), RSPG_OK);
    rspg_mint_plan plan;
    assert_int_equal(rspg_mint_plan_make(p, &info, is.cert.data, is.cert.len, &is.key, NULL, NULL,
                                         FIRST_EID, 10, &d, &plan),
                     RSPG_OK);
    assert_string_equal(plan.tmpl->id, "o-euicc");
    assert_string_equal(plan.curve_suffix, "BRP");
    assert_int_equal(rspg_mint_plan_make(p, &info, is.cert.data, is.cert.len, &is.key, NULL,
                                         "P-256", FIRST_EID, 10, &d, &plan),
                     RSPG_OK);
    assert_string_equal(plan.curve_suffix, "NIST");
    assert_int_equal(rspg_mint_plan_make(p, &info, is.cert.data, is.cert.len, &is.key, NULL, "rsa",
                                         FIRST_EID, 10, &d, &plan),
                     RSPG_E_USAGE);
    /* the CI is no EUM */
    rspg_mint_read_cert(chain[0], lens[0], "ci", &d, &info);
    assert_int_equal(rspg_mint_plan_make(p, &info, chain[0], lens[0], &is.key, NULL, NULL,
                                         FIRST_EID, 10, &d, &plan),
                     RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "not an EUM or EUM SubCA"));
    rspg_mint_issuer_free(&is);
    /* not an EUM entity */
    assert_int_equal(rspg_mint_issuer_from_profile(p, "o-ci", &b, &d, &is), RSPG_E_USAGE);
    rspg_mint_issuer_free(&is);
    rspg_diag_fini(&d);
}

static void test_issuer_files(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    char *junk = rspg_xasprintf("%s/junk.der", dir), *missing = rspg_xasprintf("%s/missing", dir);
    assert_int_equal(tu_write_file(junk, "hello", 5), 0);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_issuer is;
    assert_int_equal(rspg_mint_issuer_from_files(missing, junk, &d, &is), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "cannot read"));
    rspg_mint_issuer_free(&is);
    assert_int_equal(rspg_mint_issuer_from_files(junk, junk, &d, &is), RSPG_E_INPUT);
    assert_non_null(strstr(d.entries[d.count - 1].message, "not a certificate"));
    rspg_mint_issuer_free(&is);
    rspg_diag_fini(&d);
    free(junk);
    free(missing);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_by_issuer),
        cmocka_unit_test(test_curve_suffix_from_the_profile),
        cmocka_unit_test(test_issuer_from_profile_and_plan),
        cmocka_unit_test(test_issuer_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
