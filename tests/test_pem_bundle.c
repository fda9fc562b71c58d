/*
 * test_pem_bundle.c: PEM bundles (asn1/pem_bundle.c): three certificates in one file are
 * three DER objects in order, text and other labels between blocks are skipped, a file
 * without the label gives 0, a broken block (bad base64, no END line) gives -1 and leaves
 * the list as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rspg/asn1/pem.h"
#include "rspg/asn1/pem_bundle.h"

static void encode(rspg_buf *b, const char *label, const char *der)
{
    rspg_pem_encode(label, (const uint8_t *)der, strlen(der), b);
}

static void test_three_blocks(void **state)
{
    (void)state;
    rspg_buf text;
    rspg_buf_init(&text);
    rspg_buf_puts(&text, "Bag Attributes: a comment\n");
    encode(&text, "CERTIFICATE", "first");
    encode(&text, "EC PRIVATE KEY", "not a certificate");
    rspg_buf_puts(&text, "subject=CN = x\n");
    encode(&text, "CERTIFICATE", "second");
    encode(&text, "CERTIFICATE", "third, longer than one line of base64 by a good stretch");
    rspg_der_list l = {0};
    assert_int_equal(rspg_pem_split(text.data, text.len, "CERTIFICATE", &l), 3);
    assert_int_equal(l.n, 3);
    assert_memory_equal(l.items[0].data, "first", 5);
    assert_memory_equal(l.items[1].data, "second", 6);
    assert_int_equal(l.items[2].len, strlen("third, longer than one line of base64 by a good "
                                            "stretch"));
    /* appending to a list that holds items already */
    assert_int_equal(rspg_pem_split(text.data, text.len, "EC PRIVATE KEY", &l), 1);
    assert_int_equal(l.n, 4);
    rspg_der_list_free(&l);
    assert_int_equal(l.n, 0);
    rspg_buf_free(&text);
}

static void test_none_and_broken(void **state)
{
    (void)state;
    rspg_der_list l = {0};
    const char *plain = "no armour here";
    assert_int_equal(rspg_pem_split((const uint8_t *)plain, strlen(plain), "CERTIFICATE", &l), 0);
    rspg_buf text;
    rspg_buf_init(&text);
    encode(&text, "CERTIFICATE", "good");
    rspg_buf_puts(&text, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    assert_int_equal(rspg_pem_split(text.data, text.len, "CERTIFICATE", &l), -1);
    assert_int_equal(l.n, 0);
    rspg_buf_reset(&text);
    encode(&text, "CERTIFICATE", "good");
    rspg_buf_puts(&text, "-----BEGIN CERTIFICATE-----\nZm9v\n");
    assert_int_equal(rspg_pem_split(text.data, text.len, "CERTIFICATE", &l), -1);
    assert_int_equal(l.n, 0);
    rspg_buf_free(&text);
    rspg_der_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_blocks),
        cmocka_unit_test(test_none_and_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
