/*
 * test_mint_cert.c: the decoding of a CA certificate for minting (issue/mint_cert.h): the
 * role and arc from certificatePolicies, the EIN prefix from nameConstraints (Variant O)
 * and from permittedEins (v3), roots, and malformed extension values refused (not skipped
 * or guessed at by a byte scan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rspg/issue/build.h"
#include "rspg/issue/mint_cert.h"
#include "rspg/profile/profile.h"
#include "test_util.h"

struct fixture {
    rspg_profile *p;
    rspg_build_result r;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    rspg_diag d;
    rspg_diag_init(&d);
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_status rc = rspg_profile_load_file(path, &d, &f->p);
    free(path);
    if (rc != RSPG_OK)
        return -1;
    char *only[] = {"o-eum", "ov3-eum"}, *curves[] = {"nist"};
    rspg_build_options bo = {0};
    bo.profile_dir = RSPG_SOURCE_DIR "/profiles";
    bo.roles = only;
    bo.n_roles = 2;
    bo.curves = curves;
    bo.n_curves = 1;
    bo.has_clock = 1;
    bo.clock = 1790000000;
    bo.seed = (const uint8_t *)"\x07";
    bo.seed_len = 1;
    if (rspg_build(f->p, &bo, &d, &f->r) != RSPG_OK)
        return -1;
    rspg_diag_fini(&d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    rspg_build_result_free(&f->r);
    rspg_profile_free(f->p);
    free(f);
    return 0;
}

static const rspg_artifact *cert_of(struct fixture *f, const char *id)
{
    for (size_t i = 0; i < f->r.n; i++) {
        const rspg_artifact *a = &f->r.items[i];
        if (a->kind == RSPG_ART_CERT && !a->pem && strcmp(a->entity->id, id) == 0)
            return a;
    }
    fail_msg("no DER certificate of %s", id);
    return NULL;
}

static void test_variant_o_eum(void **state)
{
    const rspg_artifact *a = cert_of(*state, "o-eum");
    rspg_mint_cert_info info;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint_read_cert(a->data.data, a->data.len, "eum", &d, &info), RSPG_OK);
    assert_int_equal(info.role, RSPG_ROLE_EUM);
    assert_int_equal(info.v3, 0);
    assert_int_equal(info.n_eins, 1); /* the serialNumber of the permitted directoryName */
    assert_string_equal(info.eins[0], "89049032");
    assert_int_equal(info.self_signed, 0);
    rspg_diag_fini(&d);
}

static void test_v3_eum_and_ci(void **state)
{
    const rspg_artifact *a = cert_of(*state, "ov3-eum");
    rspg_mint_cert_info info;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint_read_cert(a->data.data, a->data.len, "eum", &d, &info), RSPG_OK);
    assert_int_equal(info.role, RSPG_ROLE_EUM);
    assert_int_equal(info.v3, 1);
    assert_int_equal(info.n_eins, 1); /* permittedEins; its nameConstraints has O only */
    assert_string_equal(info.eins[0], "89049032");
    const rspg_artifact *ci = cert_of(*state, "o-ci");
    assert_int_equal(rspg_mint_read_cert(ci->data.data, ci->data.len, "ci", &d, &info), RSPG_OK);
    assert_int_equal(info.role, RSPG_ROLE_CI);
    assert_int_equal(info.n_eins, 0);
    assert_int_equal(info.self_signed, 1);
    rspg_diag_fini(&d);
}

/* Retags the first byte of the value of extension OID (its outer SEQUENCE) as a SET. */
static void retag_ext(rspg_buf *der, const char *oid)
{
    rspg_x509 x;
    assert_int_equal(rspg_x509_read(der->data, der->len, &x, NULL), 0);
    const rspg_x509_ext *e = rspg_x509_find_ext(&x, oid);
    assert_non_null(e);
    assert_int_equal(e->value.value[0], 0x30);
    der->data[e->value.value - der->data] = 0x31;
}

static void test_malformed_extensions_are_refused(void **state)
{
    static const char *const oids[] = {"2.5.29.30", "2.5.29.32"};
    static const char *const names[] = {"malformed nameConstraints",
                                        "malformed certificatePolicies"};
    for (size_t i = 0; i < 2; i++) {
        const rspg_artifact *a = cert_of(*state, "o-eum");
        rspg_buf der;
        rspg_buf_init(&der);
        rspg_buf_append(&der, a->data.data, a->data.len);
        retag_ext(&der, oids[i]);
        rspg_mint_cert_info info;
        rspg_diag d;
        rspg_diag_init(&d);
        assert_int_equal(rspg_mint_read_cert(der.data, der.len, "eum", &d, &info), RSPG_E_INPUT);
        assert_non_null(strstr(d.entries[0].message, names[i]));
        rspg_diag_fini(&d);
        rspg_buf_free(&der);
    }
    /* not a certificate at all */
    rspg_mint_cert_info info;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint_read_cert((const uint8_t *)"\x30\x00", 2, "junk", &d, &info),
                     RSPG_E_INPUT);
    assert_non_null(strstr(d.entries[0].message, "junk: "));
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_o_eum),
        cmocka_unit_test(test_v3_eum_and_ci),
        cmocka_unit_test(test_malformed_extensions_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
