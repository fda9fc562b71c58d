/*
 * test_curve.c: the curve table (src/lib/curve.c): look-ups by OpenSSL short name and by
 * every alias (case-insensitively), by NID and by the content octets of the namedCurve OID
 * (pinned hex for all five curves), NULL for unknown names, NIDs and OIDs; the table itself
 * cross-checked against libcrypto (NID <-> short name <-> dotted OID, coordinate and order
 * size); the rsp_supported flag set for exactly P-256 and brainpoolP256r1 (SGP.22 §2.6.5);
 * and the names list used in messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include "rspg/base/buf.h"
#include "rspg/crypto/curve.h"

static const struct {
    const char *name;
    const char *oid;
    const char *oid_hex; /* content octets */
    int nid;
    size_t field_bytes;
    int rsp;
} known[] = {
    {"prime256v1", "1.2.840.10045.3.1.7", "2A8648CE3D030107", NID_X9_62_prime256v1, 32, 1},
    {"brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7", "2B2403030208010107", NID_brainpoolP256r1, 32, 1},
    {"prime192v1", "1.2.840.10045.3.1.1", "2A8648CE3D030101", NID_X9_62_prime192v1, 24, 0},
    {"brainpoolP192r1", "1.3.36.3.3.2.8.1.1.3", "2B2403030208010103", NID_brainpoolP192r1, 24, 0},
    {"secp384r1", "1.3.132.0.34", "2B81040022", NID_secp384r1, 48, 0},
};
#define N_KNOWN (sizeof(known) / sizeof(known[0]))

static void test_by_name(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++) {
        const rspg_curve *c = rspg_curve_find(known[i].name);
        assert_non_null(c);
        assert_string_equal(c->name, known[i].name);
        assert_string_equal(c->oid, known[i].oid);
        assert_int_equal(c->nid, known[i].nid);
        assert_int_equal(c->field_bytes, known[i].field_bytes);
        assert_int_equal(c->rsp_supported, known[i].rsp);
    }
    /* short names are matched case-insensitively */
    assert_ptr_equal(rspg_curve_find("PRIME256V1"), rspg_curve_find("prime256v1"));
    assert_ptr_equal(rspg_curve_find("BrainpoolP256R1"), rspg_curve_find("brainpoolP256r1"));
}

static void test_aliases(void **state)
{
    static const struct {
        const char *alias;
        const char *name;
    } al[] = {
        {"nist", "prime256v1"},
        {"NIST", "prime256v1"},
        {"p256", "prime256v1"},
        {"P256", "prime256v1"},
        {"p-256", "prime256v1"},
        {"P-256", "prime256v1"},
        {"secp256r1", "prime256v1"},
        {"nist-p256", "prime256v1"},
        {"brp", "brainpoolP256r1"},
        {"BRP", "brainpoolP256r1"},
        {"brainpool", "brainpoolP256r1"},
        {"bp256", "brainpoolP256r1"},
        {"brainpool-p256r1", "brainpoolP256r1"},
        {"p192", "prime192v1"},
        {"P-192", "prime192v1"},
        {"secp192r1", "prime192v1"},
        {"nist192", "prime192v1"},
        {"brp192", "brainpoolP192r1"},
        {"BP192", "brainpoolP192r1"},
        {"p384", "secp384r1"},
        {"P-384", "secp384r1"},
        {"nist384", "secp384r1"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(al) / sizeof(al[0]); i++) {
        const rspg_curve *c = rspg_curve_find(al[i].alias);
        if (c == NULL)
            print_error("alias '%s' not found\n", al[i].alias);
        assert_non_null(c);
        assert_string_equal(c->name, al[i].name);
        /* an alias gives the very same table entry as the name */
        assert_ptr_equal(c, rspg_curve_find(al[i].name));
    }
}

static void test_unknown(void **state)
{
    static const char *const unknown[] = {
        "",
        "p521",
        "P-521",
        "secp521r1",
        "prime256v2",
        "brainpoolP256t1",
        "brainpoolP384r1",
        "nist ",
        " nist",
        "nist256x",
        "ed25519",
        "X25519",
        "secp256k1",
        "1.2.840.10045.3.1.7",
        "curve",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        if (rspg_curve_find(unknown[i]) != NULL)
            print_error("'%s' was found\n", unknown[i]);
        assert_null(rspg_curve_find(unknown[i]));
    }
}

static void test_by_nid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++) {
        const rspg_curve *c = rspg_curve_by_nid(known[i].nid);
        assert_non_null(c);
        assert_ptr_equal(c, rspg_curve_find(known[i].name));
    }
    assert_null(rspg_curve_by_nid(NID_undef));
    assert_null(rspg_curve_by_nid(NID_secp521r1));
    assert_null(rspg_curve_by_nid(NID_brainpoolP256t1));
    assert_null(rspg_curve_by_nid(NID_secp256k1));
    assert_null(rspg_curve_by_nid(-1));
}

static void test_by_oid_der(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        assert_int_equal(rspg_unhex(known[i].oid_hex, &b), 0);
        const rspg_curve *c = rspg_curve_by_oid_der(b.data, b.len);
        assert_non_null(c);
        assert_ptr_equal(c, rspg_curve_find(known[i].name));
        /* one byte short and one byte long are not the curve */
        assert_null(rspg_curve_by_oid_der(b.data, b.len - 1));
        rspg_buf_push(&b, 0x01);
        assert_null(rspg_curve_by_oid_der(b.data, b.len));
        rspg_buf_free(&b);
    }
    static const char *const other[] = {
        "2B81040023",         /* secp521r1 */
        "2B2403030208010108", /* brainpoolP256t1 */
        "2B8104000A",         /* secp256k1 */
        "2A8648CE3D0201",     /* id-ecPublicKey: an OID, but not a curve */
    };
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        assert_int_equal(rspg_unhex(other[i], &b), 0);
        assert_null(rspg_curve_by_oid_der(b.data, b.len));
        rspg_buf_free(&b);
    }
    /* the whole TLV is not the content octets */
    assert_null(
        rspg_curve_by_oid_der((const uint8_t *)"\x06\x08\x2A\x86\x48\xCE\x3D\x03\x01\x07", 10));
    assert_null(rspg_curve_by_oid_der((const uint8_t *)"", 0));
}

/* The table agrees with libcrypto. */
static void test_table_matches_openssl(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++) {
        const rspg_curve *c = rspg_curve_find(known[i].name);
        char txt[64];
        assert_non_null(c);
        assert_int_equal(OBJ_sn2nid(c->name), c->nid);
        assert_int_equal(OBJ_txt2nid(c->oid), c->nid);
        assert_true(OBJ_obj2txt(txt, sizeof(txt), OBJ_nid2obj(c->nid), 1) > 0);
        assert_string_equal(txt, c->oid);
        EC_GROUP *g = EC_GROUP_new_by_curve_name(c->nid);
        assert_non_null(g);
        assert_int_equal((size_t)(EC_GROUP_get_degree(g) + 7) / 8, c->field_bytes);
        assert_int_equal((size_t)BN_num_bytes(EC_GROUP_get0_order(g)), c->field_bytes);
        EC_GROUP_free(g);
    }
}

static void test_rsp_supported(void **state)
{
    size_t n = 0;
    (void)state;
    for (size_t i = 0; i < N_KNOWN; i++) {
        const rspg_curve *c = rspg_curve_find(known[i].name);
        if (c->rsp_supported) {
            n++;
            assert_true(strcmp(c->name, "prime256v1") == 0 ||
                        strcmp(c->name, "brainpoolP256r1") == 0);
        }
    }
    assert_int_equal(n, 2);
    assert_true(rspg_curve_find("nist")->rsp_supported);
    assert_true(rspg_curve_find("brp")->rsp_supported);
    assert_false(rspg_curve_find("p192")->rsp_supported);
    assert_false(rspg_curve_find("brp192")->rsp_supported);
    assert_false(rspg_curve_find("p384")->rsp_supported);
}

static void test_names(void **state)
{
    const char *s = rspg_curve_names();
    (void)state;
    assert_non_null(s);
    for (size_t i = 0; i < N_KNOWN; i++)
        assert_non_null(strstr(s, known[i].name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_name),       cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_unknown),       cmocka_unit_test(test_by_nid),
        cmocka_unit_test(test_by_oid_der),    cmocka_unit_test(test_table_matches_openssl),
        cmocka_unit_test(test_rsp_supported), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
