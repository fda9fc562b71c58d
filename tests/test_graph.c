/*
 * test_graph.c: the DOT output of a build's hierarchy (src/lib/report/graph.c).
 *
 * A private-root build (Variants O and A) whose CI CN holds <script>, double quotes, a
 * backslash and an ampersand: every label is a valid DOT string (quotes and backslashes
 * escaped), each group is one cluster with one edge per issued certificate, the filters
 * select one cluster and name the valid values when they match none, and `dot -Tsvg`
 * (Graphviz, when installed) accepts the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/time.h"
#include "rspg/flow/build_flow.h"
#include "rspg/report/graph.h"
#include "rspg/report/model.h"
#include "test_util.h"

#define HOSTILE_CN "<script>alert(\"x\")</script> C:\\lab & more"

static char *dir;

static int setup(void **state)
{
    if (tu_scratch_setup(state) != 0)
        return -1;
    char *profile = tu_src("profiles/private-root.yaml");
    char *scratch = tu_scratch();
    dir = rspg_xasprintf("%s/out", scratch);
    free(scratch);
    static const char *const sets[] = {"o-ci.subject.CN=" HOSTILE_CN};
    rspg_load_options lo = {NULL, 0, sets, 1};
    rspg_build_flow_options o = {.profile_path = profile, .load = &lo, .output = dir};
    o.build.has_clock = 1;
    rspg_parse_rfc3339("2026-01-01T00:00:00Z", &o.build.clock);
    o.build.nonce = RSPG_NONCE_RFC6979;
    static const uint8_t seed[] = {1};
    o.build.seed = seed;
    o.build.seed_len = 1;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_build_flow_run(&o, &d, NULL);
    rspg_diag_fini(&d);
    free(profile);
    return rc == RSPG_OK ? 0 : -1;
}

static int teardown(void **state)
{
    free(dir);
    return tu_scratch_teardown(state);
}

static char *dot_of(const char *variant, const char *curve, rspg_status want, rspg_diag *d)
{
    rspg_buf out;
    rspg_buf_init(&out);
    assert_int_equal(rspg_report_dot(dir, variant, curve, &out, d), want);
    rspg_buf_push(&out, 0);
    return (char *)out.data;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* Inside a DOT quoted string a " is always preceded by a backslash (which is escaped). */
static void assert_dot_strings_closed(const char *dot)
{
    int in = 0;
    for (const char *p = dot; *p; p++) {
        if (in && *p == '\\') {
            assert_true(p[1] == '"' || p[1] == '\\' || p[1] == 'n');
            p++;
        } else if (*p == '"') {
            in = !in;
        } else if (in) {
            assert_true(*p != '\n');
        }
    }
    assert_false(in);
}

static void test_escaped_and_structured(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    char *dot = dot_of(NULL, NULL, RSPG_OK, &d);
    assert_non_null(strstr(dot, "<script>alert(\\\"x\\\")</script> C:\\\\lab & more"));
    assert_dot_strings_closed(dot);
    rspg_report_model m;
    assert_int_equal(rspg_report_model_load(dir, 0, 0, 0, &m, &d), RSPG_OK);
    assert_int_equal(m.n_groups, 4); /* O and A, each on NIST and BRP */
    assert_int_equal(count(dot, "subgraph cluster_"), m.n_groups);
    size_t nodes = 0, edges = 0;
    for (size_t g = 0; g < m.n_groups; g++)
        for (size_t c = 0; c < m.n_certs; c++)
            if (rspg_report_in_group(&m.certs[c], &m.groups[g])) {
                nodes++;
                edges += rspg_report_parent_in(&m, c, &m.groups[g]) >= 0;
            }
    assert_int_equal(count(dot, " [label=\""), nodes);
    assert_int_equal(count(dot, " -> "), edges);
    assert_int_equal(edges, nodes - m.n_groups); /* one root (the CI) per group */
    rspg_report_model_free(&m);
    rspg_diag_fini(&d);
    free(dot);
}

static void test_filters(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_diag_init(&d);
    char *dot = dot_of("A", "nist", RSPG_OK, &d); /* an alias of prime256v1 (curve.h) */
    assert_int_equal(count(dot, "subgraph cluster_"), 1);
    assert_non_null(strstr(dot, "label=\"Variant A / prime256v1\""));
    free(dot);
    dot = dot_of(NULL, "brainpoolP256r1", RSPG_OK, &d);
    assert_int_equal(count(dot, "subgraph cluster_"), 2);
    free(dot);
    assert_int_equal(d.count, 0);
    free(dot_of("D", NULL, RSPG_E_USAGE, &d));
    assert_non_null(strstr(d.entries[0].message, "no variant 'D' in this build (valid: O, A)"));
    free(dot_of(NULL, "secp384r1", RSPG_E_USAGE, &d));
    assert_non_null(
        strstr(d.entries[1].message,
               "no curve 'secp384r1' in this build (valid: prime256v1, brainpoolP256r1)"));
    rspg_diag_fini(&d);
}

static void test_dot_accepts(void **state)
{
    (void)state;
    if (tu_run("command -v dot", NULL, NULL) != 0)
        tu_skip("Graphviz dot is not installed");
    rspg_diag d;
    rspg_diag_init(&d);
    char *dot = dot_of(NULL, NULL, RSPG_OK, &d);
    char *scratch = tu_scratch();
    char *path = rspg_xasprintf("%s/g.dot", scratch);
    free(scratch);
    assert_int_equal(tu_write_file(path, dot, strlen(dot)), 0);
    char *cmd = rspg_xasprintf("dot -Tsvg '%s'", path);
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    assert_true(err == NULL || err[0] == '\0');
    assert_non_null(strstr(out, "&lt;script&gt;")); /* dot escapes it for SVG itself */
    assert_null(strstr(out, "<script"));
    free(out);
    free(err);
    free(cmd);
    free(path);
    free(dot);
    rspg_diag_fini(&d);
}

static void test_not_a_build(void **state)
{
    (void)state;
    char *empty = tu_scratch();
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    assert_int_equal(rspg_report_dot(empty, NULL, NULL, &out, &d), RSPG_E_IO);
    assert_int_equal(out.len, 0);
    rspg_diag_fini(&d);
    free(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaped_and_structured),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_dot_accepts),
        cmocka_unit_test(test_not_a_build),
    };
    return tu_exit(cmocka_run_group_tests_name("graph", tests, setup, teardown));
}
