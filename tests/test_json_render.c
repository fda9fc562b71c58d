/*
 * test_json_render.c: a model rendered as JSON or text (base/json_render.h): the JSON is
 * indented by two spaces with the keys in the model's order, the text is the renderer's,
 * both are appended after what OUT held and stay NUL-terminated, and an empty text leaves
 * an empty, terminated buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rspg/base/json_render.h"

/* "name=VALUE\n" for the model's "name". */
static void name_line(json_t *m, rspg_buf *out)
{
    rspg_buf_puts(out, "name=");
    rspg_buf_puts(out, json_string_value(json_object_get(m, "name")));
    rspg_buf_puts(out, "\n");
}

static void nothing(json_t *m, rspg_buf *out)
{
    (void)m;
    (void)out;
}

/* {"z": 1, "name": "ci"}: keys not in alphabetical order, to see the model's kept. */
static json_t *model(void)
{
    json_t *m = json_object();
    json_object_set_new(m, "z", json_integer(1));
    json_object_set_new(m, "name", json_string("ci"));
    return m;
}

/* The model rendered (JSON or with TEXT) after PREFIX ("" for an empty buffer): a new
 * string, checked to be NUL-terminated at OUT.len. */
static char *render(const char *prefix, int json, rspg_json_text_fn text)
{
    rspg_buf out;
    rspg_buf_init(&out);
    if (*prefix)
        rspg_buf_puts(&out, prefix);
    rspg_json_render(model(), json, text, &out);
    assert_non_null(out.data);
    assert_int_equal(out.len, strlen((const char *)out.data));
    return (char *)out.data;
}

/* One rendering: what OUT holds before, JSON or TEXT, and OUT after. */
typedef struct render_case {
    const char *prefix;
    int json;
    rspg_json_text_fn text;
    const char *want;
} render_case;

static void test_json_or_text(void **state)
{
    (void)state;
    static const render_case cases[] = {
        {"before\n", 1, name_line, "before\n{\n  \"z\": 1,\n  \"name\": \"ci\"\n}"},
        {"before\n", 0, name_line, "before\nname=ci\n"},
        {"before\n", 0, nothing, "before\n"},
        {"", 0, nothing, ""}, /* nothing into an empty buffer: still a terminated string */
        {"", 1, name_line, "{\n  \"z\": 1,\n  \"name\": \"ci\"\n}"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char *got = render(cases[k].prefix, cases[k].json, cases[k].text);
        assert_string_equal(got, cases[k].want);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_or_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
