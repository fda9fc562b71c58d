/*
 * oid.h: the object identifiers and named bits of RFC 5280 that rsp-pkigen reads and
 * writes. Every module uses these names; no OID is spelled as a string literal elsewhere.
 */
#ifndef RSPG_OID_H
#define RSPG_OID_H

/* keyUsage bits, RFC 5280 §4.2.1.3 (bit 0 = digitalSignature). */
enum {
    RSPG_KU_DIGITAL_SIGNATURE = 1u << 0,
    RSPG_KU_NON_REPUDIATION = 1u << 1,
    RSPG_KU_KEY_ENCIPHERMENT = 1u << 2,
    RSPG_KU_DATA_ENCIPHERMENT = 1u << 3,
    RSPG_KU_KEY_AGREEMENT = 1u << 4,
    RSPG_KU_KEY_CERT_SIGN = 1u << 5,
    RSPG_KU_CRL_SIGN = 1u << 6,
    RSPG_KU_ENCIPHER_ONLY = 1u << 7,
    RSPG_KU_DECIPHER_ONLY = 1u << 8,
};

#endif
