/*
 * test_report.c: the report layer (src/lib/report: escape, model, diff, html).
 *
 * The one escape function on every kind of hostile byte; then real builds made by the
 * build flow: the private-root profile (Variant O) with a CI whose CN holds <script>,
 * quotes and an ampersand, which the page must show escaped and never raw; PEM copies
 * merged with their DER file; the page names every certificate of the manifest, is
 * byte-identical for equal inputs, marks what expires within the window, and shows a
 * verdict that disagrees with the manifest in red. SGP.26's invalid EKU case beside its
 * twin shows the one field that differs (extKeyUsage).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/report_internal.h"
#include "rspg/base/time.h"
#include "rspg/flow/build_flow.h"
#include "rspg/report/escape.h"
#include "rspg/report/html.h"
#include "rspg/report/model.h"
#include "test_util.h"

#define HOSTILE_CN "<script>alert(\"x\")</script> it's & more"
#define CLOCK "2026-01-01T00:00:00Z"

static char *hostile_dir; /* private-root, Variant O, the hostile CI CN */
static char *tls_dir;     /* sgp26, Variant A, NIST, dp-tls only (with the invalid cases) */

static void print_diag(const rspg_diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
}

static char *escaped(const char *s, size_t n)
{
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_html_escape(&b, s, n);
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

static void test_escape(void **state)
{
    (void)state;
    char *e = escaped("<a href=\"x\">'&'</a>", 19);
    assert_string_equal(e, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    free(e);
    e = escaped("caf\xC3\xA9 \xE2\x82\xAC\tend\n", 14); /* UTF-8, tab, newline kept */
    assert_string_equal(e, "caf\xC3\xA9 \xE2\x82\xAC\tend\n");
    free(e);
    e = escaped("a\x01"
                "b\x7F"
                "c",
                5); /* control characters replaced */
    assert_string_equal(e, "a\xEF\xBF\xBD"
                           "b\xEF\xBF\xBD"
                           "c");
    free(e);
    /* invalid UTF-8: a lone continuation byte, an overlong '<', a surrogate, a cut sequence */
    e = escaped("\x80|\xC0\xBC|\xED\xA0\x80|\xE2\x82", 11);
    assert_null(strchr(e, '<'));
    assert_string_equal(e, "\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF"
                           "\xBD|\xEF\xBF\xBD\xEF\xBF\xBD");
    free(e);
    e = escaped("a\0b", 3); /* an embedded NUL cannot end the text early */
    assert_string_equal(e, "a\xEF\xBF\xBD"
                           "b");
    free(e);
    rspg_buf b;
    rspg_buf_init(&b);
    rspg_html_puts(&b, NULL);
    assert_int_equal(b.len, 0);
    rspg_buf_free(&b);
}

static char *build(const char *profile_rel, const char *variant, const char *curve,
                   const char *only, const char *const *sets, size_t n_sets)
{
    char *profile = tu_src(profile_rel);
    char *scratch = tu_scratch();
    char *out = rspg_xasprintf("%s/out", scratch);
    free(scratch);
    char *v[] = {(char *)variant}, *c[] = {(char *)curve}, *r[] = {(char *)only};
    rspg_load_options lo = {NULL, 0, sets, n_sets};
    rspg_build_flow_options o = {.profile_path = profile, .load = &lo, .output = out};
    o.build.variants = v;
    o.build.n_variants = 1;
    o.build.curves = c;
    o.build.n_curves = curve ? 1 : 0;
    o.build.roles = r;
    o.build.n_roles = only ? 1 : 0;
    o.build.has_clock = 1;
    assert_int_equal(rspg_parse_rfc3339(CLOCK, &o.build.clock), 0);
    o.build.nonce = RSPG_NONCE_RFC6979;
    static const uint8_t seed[] = {1};
    o.build.seed = seed;
    o.build.seed_len = 1;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_build_flow_run(&o, &d, NULL);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    free(profile);
    return out;
}

static int setup(void **state)
{
    if (tu_scratch_setup(state) != 0)
        return -1;
    static const char *const sets[] = {"o-ci.subject.CN=" HOSTILE_CN};
    hostile_dir = build("profiles/private-root.yaml", "O", NULL, NULL, sets, 1);
    tls_dir = build("profiles/sgp26.yaml", "A", "nist", "dp-tls", NULL, 0);
    return 0;
}

static int teardown(void **state)
{
    free(hostile_dir);
    free(tls_dir);
    return tu_scratch_teardown(state);
}

static char *page_of(const char *dir, const rspg_report_options *o, rspg_report_summary *s)
{
    rspg_buf page;
    rspg_diag d;
    rspg_buf_init(&page);
    rspg_diag_init(&d);
    rspg_status rc = rspg_report_html(dir, o, &page, s, &d);
    print_diag(&d);
    assert_int_equal(rc, RSPG_OK);
    rspg_diag_fini(&d);
    rspg_buf_push(&page, 0);
    return (char *)page.data;
}

static void test_hostile_subject_escaped(void **state)
{
    (void)state;
    rspg_report_options o = {0};
    assert_int_equal(rspg_parse_rfc3339(CLOCK, &o.now), 0);
    rspg_report_summary s;
    char *page = page_of(hostile_dir, &o, &s);
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "alert(\""));
    assert_null(strstr(page, "it's"));
    assert_non_null(strstr(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s "
                                 "&amp; more"));
    assert_int_equal(s.disagreed, 0);
    assert_int_equal(s.agreed, s.verified);
    assert_true(s.certificates >= 10);
    free(page);
}

/* Every certificate file of the manifest is named on the page (escaped like everything). */
static void test_every_certificate_on_page(void **state)
{
    (void)state;
    rspg_report_options o = {0};
    assert_int_equal(rspg_parse_rfc3339(CLOCK, &o.now), 0);
    rspg_report_summary s;
    char *page = page_of(hostile_dir, &o, &s);
    char *mpath = rspg_xasprintf("%s/manifest.json", hostile_dir);
    json_t *root = json_load_file(mpath, 0, NULL);
    assert_non_null(root);
    json_t *arts = json_object_get(root, "artifacts");
    size_t certs = 0, pem = 0;
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        if (strcmp(json_string_value(json_object_get(a, "kind")), "certificate") != 0)
            continue;
        const char *path = json_string_value(json_object_get(a, "path"));
        char *e = escaped(path, strlen(path));
        if (strstr(page, e) == NULL)
            fail_msg("%s is not on the page", path);
        free(e);
        certs++;
        pem += strstr(path, ".pem") != NULL;
    }
    assert_true(pem > 0);
    assert_int_equal(s.certificates, certs - pem); /* each PEM copy merged with its DER */
    json_decref(root);
    free(mpath);
    free(page);
}

static void test_deterministic(void **state)
{
    (void)state;
    rspg_report_options o = {0};
    assert_int_equal(rspg_parse_rfc3339("2026-06-01T00:00:00Z", &o.now), 0);
    char *a = page_of(hostile_dir, &o, NULL), *b = page_of(hostile_dir, &o, NULL);
    assert_string_equal(a, b);
    o.now += 86400;
    char *c = page_of(hostile_dir, &o, NULL);
    assert_string_not_equal(a, c); /* today is on the page */
    free(a);
    free(b);
    free(c);
}

/* dp-tls certificates live 200 days (2026-01-01 .. 2026-07-20): 10 days before, they are in
 * the 30-day window (amber, listed); a day after, expired; with a 5-day window, not listed. */
static void test_expiring_window(void **state)
{
    (void)state;
    rspg_report_options o = {0};
    rspg_report_summary s;
    assert_int_equal(rspg_parse_rfc3339("2026-07-10T00:00:00Z", &o.now), 0);
    char *page = page_of(hostile_dir, &o, &s);
    assert_true(s.expiring >= 2); /* dp-tls, ds-tls, eim-tls */
    assert_non_null(strstr(page, "<tr class=\"soon\">"));
    assert_non_null(strstr(page, "expire within 30 days"));
    free(page);
    o.expiring_days = 5;
    page = page_of(hostile_dir, &o, &s);
    assert_int_equal(s.expiring, 0);
    assert_null(strstr(page, "<tr class=\"soon\">"));
    free(page);
    o.expiring_days = 0;
    o.now += 20 * 86400;
    page = page_of(hostile_dir, &o, &s);
    assert_int_equal(s.expiring, 0);
    assert_true(s.expired >= 2);
    free(page);
}

/* The manifest says a valid certificate is invalid: the verifier's verdict is shown in red. */
static void test_disagreement_red(void **state)
{
    (void)state;
    char *scratch = tu_scratch();
    char *copy = rspg_xasprintf("%s/copy", scratch);
    free(scratch);
    char *cmd = rspg_xasprintf("cp -r '%s' '%s'", hostile_dir, copy);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    char *mpath = rspg_xasprintf("%s/manifest.json", copy);
    rspg_buf m;
    rspg_buf_init(&m);
    assert_int_equal(tu_read_file(mpath, &m), 0);
    rspg_buf_push(&m, 0);
    char *at = strstr((char *)m.data, "\"kind\": \"certificate\"");
    assert_non_null(at);
    at = strstr(at, "\"expect\": \"valid\"");
    assert_non_null(at);
    memcpy(at, "\"expect\": \"INVAL\"", 17); /* same length: neither valid nor invalid */
    assert_int_equal(tu_write_file(mpath, m.data, m.len - 1), 0);
    rspg_report_options o = {0};
    rspg_report_summary s;
    char *page = page_of(copy, &o, &s);
    assert_int_equal(s.disagreed, 1);
    assert_non_null(strstr(page, "<td class=\"badc\"><span class=\"bad\">valid</span>"));
    assert_non_null(strstr(page, "not as the manifest says"));
    free(page);
    rspg_buf_free(&m);
    free(mpath);
    free(cmd);
    free(copy);
}

/* SGP.26's dp-tls/invalid-eku beside its twin: the fields that differ are extKeyUsage. */
static void test_invalid_case_difference(void **state)
{
    (void)state;
    rspg_report_model m;
    rspg_diag d;
    rspg_diag_init(&d);
    assert_int_equal(rspg_report_model_load(tls_dir, RSPG_REPORT_DETAILS, 0, 0, &m, &d), RSPG_OK);
    const rspg_report_cert *eku = NULL;
    for (size_t i = 0; i < m.n_certs; i++)
        if (m.certs[i].case_id && strcmp(m.certs[i].case_id, "dp-tls/invalid-eku") == 0)
            eku = &m.certs[i];
    assert_non_null(eku);
    assert_true(eku->twin >= 0);
    assert_string_equal(m.certs[eku->twin].expect, "valid");
    assert_true(eku->has_verdict && eku->agrees);
    assert_string_equal(eku->verdict.reason, eku->reason);
    rspg_buf diff;
    rspg_buf_init(&diff);
    size_t n = rspg_report_diff(&m.certs[eku->twin], eku, &diff);
    rspg_buf_push(&diff, 0);
    assert_int_equal(n, 1);
    assert_non_null(strstr((char *)diff.data, "<th>extKeyUsage</th><td class=\"was\">serverAuth, "
                                              "clientAuth</td><td class=\"now\">clientAuth</td>"));
    rspg_buf_free(&diff);
    /* groups: the shared CI serves Variants A, B and C (manifest "variants"), on NIST only,
     * in the order O, Ov3, A, B, C; each issuer resolved */
    assert_int_equal(m.n_groups, 3);
    assert_string_equal(m.groups[0].variant, "A");
    assert_string_equal(m.groups[2].variant, "C");
    assert_string_equal(m.groups[0].curve, "prime256v1");
    for (size_t i = 0; i < m.n_certs; i++)
        if (strcmp(m.certs[i].role, "ci") != 0)
            assert_true(m.certs[i].issuer >= 0);
    rspg_report_model_free(&m);
    rspg_diag_fini(&d);
}

static void test_not_a_build(void **state)
{
    (void)state;
    char *dir = tu_scratch();
    rspg_buf page;
    rspg_diag d;
    rspg_buf_init(&page);
    rspg_diag_init(&d);
    rspg_report_options o = {0};
    assert_int_equal(rspg_report_html(dir, &o, &page, NULL, &d), RSPG_E_IO);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.entries[0].message, "cannot read the manifest"));
    char *mpath = rspg_xasprintf("%s/manifest.json", dir);
    assert_int_equal(tu_write_file(mpath, "{\"schema\": \"other\"}", 19), 0);
    assert_int_equal(rspg_report_html(dir, &o, &page, NULL, &d), RSPG_E_IO);
    assert_non_null(strstr(d.entries[1].message, "not an rsp-pkigen manifest"));
    rspg_diag_fini(&d);
    rspg_buf_free(&page);
    free(mpath);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_hostile_subject_escaped),
        cmocka_unit_test(test_every_certificate_on_page),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_expiring_window),
        cmocka_unit_test(test_disagreement_red),
        cmocka_unit_test(test_invalid_case_difference),
        cmocka_unit_test(test_not_a_build),
    };
    return tu_exit(cmocka_run_group_tests_name("report", tests, setup, teardown));
}
