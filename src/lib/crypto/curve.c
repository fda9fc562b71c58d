/*
 * curve.c: the curve table. SGP.22 §2.6.5 lets eUICCs and servers use NIST P-256 and
 * brainpoolP256r1; SGP.26 section 4 uses P-192, brainpoolP192r1 and P-384 keys for its
 * "invalid curve" certificates.
 */
#include "rspg/crypto/curve.h"

#include <string.h>
#include <strings.h>

#include <openssl/obj_mac.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"

static const rspg_curve curves[] = {
    {"prime256v1", "1.2.840.10045.3.1.7", NID_X9_62_prime256v1, 32, 1},
    {"brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7", NID_brainpoolP256r1, 32, 1},
    {"prime192v1", "1.2.840.10045.3.1.1", NID_X9_62_prime192v1, 24, 0},
    {"brainpoolP192r1", "1.3.36.3.3.2.8.1.1.3", NID_brainpoolP192r1, 24, 0},
    {"secp384r1", "1.3.132.0.34", NID_secp384r1, 48, 0},
};

static const struct {
    const char *alias;
    size_t index;
} aliases[] = {
    {"nist", 0},  {"p256", 0},      {"p-256", 0},   {"secp256r1", 0},        {"nist-p256", 0},
    {"brp", 1},   {"brainpool", 1}, {"bp256", 1},   {"brainpool-p256r1", 1}, {"p192", 2},
    {"p-192", 2}, {"secp192r1", 2}, {"nist192", 2}, {"brp192", 3},           {"bp192", 3},
    {"p384", 4},  {"p-384", 4},     {"nist384", 4},
};

#define N_CURVES (sizeof(curves) / sizeof(curves[0]))

const rspg_curve *rspg_curve_find(const char *name)
{
    for (size_t i = 0; i < N_CURVES; i++)
        if (strcasecmp(name, curves[i].name) == 0)
            return &curves[i];
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcasecmp(name, aliases[i].alias) == 0)
            return &curves[aliases[i].index];
    return NULL;
}

const rspg_curve *rspg_curve_by_nid(int nid)
{
    for (size_t i = 0; i < N_CURVES; i++)
        if (curves[i].nid == nid)
            return &curves[i];
    return NULL;
}

const rspg_curve *rspg_curve_by_oid_der(const uint8_t *p, size_t n)
{
    const rspg_curve *found = NULL;
    for (size_t i = 0; i < N_CURVES && !found; i++) {
        rspg_buf b;
        rspg_buf_init(&b);
        if (rspg_der_oid_from_text(curves[i].oid, &b) == 0 && b.len == n &&
            memcmp(b.data, p, n) == 0)
            found = &curves[i];
        rspg_buf_free(&b);
    }
    return found;
}

const char *rspg_curve_names(void)
{
    return "prime256v1 (nist), brainpoolP256r1 (brp), prime192v1, brainpoolP192r1, secp384r1";
}
