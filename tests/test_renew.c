/*
 * test_renew.c: `renew` as a library call (flow/renew.h) and its parts (renew_record.c,
 * renew_folder.c). A private root (profiles/private-root.yaml, NIST, Variant O TLS and the CI
 * only) is built in a scratch folder; renewing its dp-tls certificate changes exactly its
 * files and the manifest, records the renewal, and keeps the key; a second renewal gives
 * another serial. Refused: a CA (RSPG_E_USAGE, nothing changed), a folder whose manifest has
 * no build record (RSPG_E_INPUT), a folder holding a symbolic link (RSPG_E_IO).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "flow/renew_internal.h"
#include "rspg/base/time.h"
#include "rspg/flow/build_flow.h"
#include "rspg/flow/renew.h"
#include "test_util.h"

#define TLS "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der"
#define TLS_FULLCHAIN                                                                              \
    "Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.fullchain.pem"

/* A private root (CI and SM-DP+ TLS, NIST) built into a new scratch folder; its path. */
static char *built(void)
{
    char *root = tu_scratch(), *out = rspg_xasprintf("%s/lab", root);
    char *profile = tu_src("profiles/private-root.yaml");
    static const uint8_t seed[] = {7, 7};
    char *curves[] = {"nist"}, *only[] = {"o-dp-tls"};
    rspg_build_flow_options o;
    memset(&o, 0, sizeof(o));
    o.profile_path = profile;
    o.output = out;
    o.build.nonce = RSPG_NONCE_RFC6979;
    o.build.seed = seed;
    o.build.seed_len = sizeof(seed);
    o.build.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339("2026-01-01T00:00:00Z", &o.build.clock), 0);
    o.build.curves = curves;
    o.build.n_curves = 1;
    o.build.roles = only;
    o.build.n_roles = 1;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_build_flow_run(&o, &d, NULL), RSPG_OK);
    rspg_diag_fini(&d);
    free(profile);
    free(root);
    return out;
}

static rspg_status renew(const char *dir, const char *only, rspg_diag *d, rspg_renew_summary *s)
{
    const char *const list[] = {only};
    rspg_renew_options o = {dir, list, 1, 30, 1, 0, NULL, NULL};
    assert_int_equal(rspg_parse_rfc3339("2026-01-10T00:00:00Z", &o.clock), 0);
    return rspg_renew_run(&o, d, s);
}

static void renew_tls(void **state)
{
    (void)state;
    char *dir = built();
    rspg_diag d;
    rspg_build_result before, after;
    rspg_diag_init(&d);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &before), RSPG_OK);
    rspg_renew_summary s;
    assert_int_equal(renew(dir, "dp-tls", &d, &s), RSPG_OK);
    assert_int_equal(s.certificates, 1);
    assert_int_equal(s.files, 2); /* the certificate and its full chain */
    assert_int_equal(s.kept, before.n - 2);
    assert_int_equal(rspg_renew_read_folder(dir, &d, &after), RSPG_OK);
    assert_int_equal(after.n, before.n);
    for (size_t i = 0; i < after.n; i++) {
        int same = after.items[i].data.len == before.items[i].data.len &&
                   memcmp(after.items[i].data.data, before.items[i].data.data,
                          after.items[i].data.len) == 0;
        assert_int_equal(same, strcmp(after.items[i].path, TLS) != 0 &&
                                   strcmp(after.items[i].path, TLS_FULLCHAIN) != 0);
    }
    rspg_renew_record rec;
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    json_t *r = json_array_get(json_object_get(rec.root, "renewals"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "time")), "2026-01-10T00:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(r, "days")), 30);
    json_t *a = rspg_renew_record_cert(&rec, "o-dp-tls", "prime256v1");
    assert_string_equal(json_string_value(json_object_get(a, "not_after")), "2026-02-09T00:00:00Z");
    char *serial = rspg_xstrdup(json_string_value(json_object_get(a, "serial")));
    rspg_renew_record_free(&rec);
    /* again: another serial */
    assert_int_equal(renew(dir, "o-dp-tls", &d, &s), RSPG_OK);
    assert_int_equal(rspg_renew_record_read(dir, &d, &rec), RSPG_OK);
    a = rspg_renew_record_cert(&rec, "o-dp-tls", "prime256v1");
    assert_string_not_equal(json_string_value(json_object_get(a, "serial")), serial);
    assert_int_equal(json_array_size(json_object_get(rec.root, "renewals")), 2);
    rspg_renew_record_free(&rec);
    free(serial);
    rspg_build_result_free(&before);
    rspg_build_result_free(&after);
    rspg_diag_fini(&d);
    free(dir);
}

static void refusals(void **state)
{
    (void)state;
    char *dir = built();
    rspg_diag d;
    rspg_renew_summary s;
    rspg_diag_init(&d);
    assert_int_equal(renew(dir, "ci", &d, &s), RSPG_E_USAGE);
    assert_non_null(strstr(d.entries[d.count - 1].message, "renew refuses CA certificates"));
    /* a symbolic link in the folder */
    char *link = rspg_xasprintf("%s/link", dir);
    assert_int_equal(symlink("/etc/passwd", link), 0);
    assert_int_equal(renew(dir, "dp-tls", &d, &s), RSPG_E_IO);
    assert_non_null(strstr(d.entries[d.count - 1].message, "not a regular file"));
    unlink(link);
    /* a manifest without a build record */
    char *m = rspg_xasprintf("%s/manifest.json", dir);
    const char text[] = "{\"schema\": \"rsp-pkigen/manifest/1\", \"artifacts\": []}\n";
    assert_int_equal(tu_write_file(m, text, sizeof(text) - 1), 0);
    assert_int_equal(renew(dir, "dp-tls", &d, &s), RSPG_E_INPUT);
    assert_non_null(strstr(d.entries[d.count - 1].message, "does not record its build"));
    rspg_diag_fini(&d);
    free(m);
    free(link);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renew_tls),
        cmocka_unit_test(refusals),
    };
    return tu_exit(
        cmocka_run_group_tests_name("renew", tests, tu_scratch_setup, tu_scratch_teardown));
}
