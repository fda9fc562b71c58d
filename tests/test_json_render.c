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

static void test_json(void **state)
{
    (void)state;
    rspg_buf out;
    rspg_buf_init(&out);
    rspg_buf_puts(&out, "before\n");
    rspg_json_render(model(), 1, name_line, &out);
    assert_int_equal(out.len, strlen((const char *)out.data));
    assert_string_equal((const char *)out.data, "before\n{\n  \"z\": 1,\n  \"name\": \"ci\"\n}");
    rspg_buf_free(&out);
}

static void test_text(void **state)
{
    (void)state;
    rspg_buf out;
    rspg_buf_init(&out);
    rspg_buf_puts(&out, "before\n");
    rspg_json_render(model(), 0, name_line, &out);
    assert_int_equal(out.len, strlen((const char *)out.data));
    assert_string_equal((const char *)out.data, "before\nname=ci\n");
    rspg_buf_free(&out);
}

static void test_empty_text(void **state)
{
    (void)state;
    rspg_buf out;
    rspg_buf_init(&out);
    rspg_json_render(model(), 0, nothing, &out);
    assert_non_null(out.data);
    assert_int_equal(out.len, 0);
    assert_int_equal(out.data[0], '\0');
    rspg_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_empty_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
