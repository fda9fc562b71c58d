/*
 * oid.h: the object identifiers and named bits that rsp-pkigen reads and writes, as
 * dotted text (the form rspg_der_put_oid_text / rspg_der_oid_is take). Every module uses
 * these names; no extension, EKU, algorithm or DN attribute OID is spelled as a string
 * literal elsewhere (scripts may grep for '"2.5.29' to check it). The RSP role policy
 * OIDs (SGP.22 §4.5.2.1) belong to the rulebook (rsp/rulebook.c), which is their table.
 */
#ifndef RSPG_OID_H
#define RSPG_OID_H

/* Certificate extensions, RFC 5280 §4.2.1 */
#define RSPG_OID_SUBJECT_KEY_ID "2.5.29.14"
#define RSPG_OID_KEY_USAGE "2.5.29.15"
#define RSPG_OID_SUBJECT_ALT_NAME "2.5.29.17"
#define RSPG_OID_BASIC_CONSTRAINTS "2.5.29.19"
#define RSPG_OID_NAME_CONSTRAINTS "2.5.29.30"
#define RSPG_OID_CRL_DISTRIBUTION_POINTS "2.5.29.31"
#define RSPG_OID_CERTIFICATE_POLICIES "2.5.29.32"
#define RSPG_OID_AUTHORITY_KEY_ID "2.5.29.35"
#define RSPG_OID_EXT_KEY_USAGE "2.5.29.37"
/* SGP.22 v3 id-rsp-permittedEins (SEQUENCE OF PrintableString EIN prefixes) */
#define RSPG_OID_PERMITTED_EINS "2.23.146.1.2.2.0"

/* CRL and CRL entry extensions, RFC 5280 §5.2 / §5.3 */
#define RSPG_OID_CRL_NUMBER "2.5.29.20"
#define RSPG_OID_CRL_REASON "2.5.29.21"

/* Extended key usages, RFC 5280 §4.2.1.12 */
#define RSPG_OID_EKU_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define RSPG_OID_EKU_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"
#define RSPG_OID_EKU_CODE_SIGNING "1.3.6.1.5.5.7.3.3"
#define RSPG_OID_EKU_EMAIL_PROTECTION "1.3.6.1.5.5.7.3.4"
#define RSPG_OID_EKU_TIME_STAMPING "1.3.6.1.5.5.7.3.8"
#define RSPG_OID_EKU_OCSP_SIGNING "1.3.6.1.5.5.7.3.9"

/* Algorithms: RFC 5480 §2.1.1 (id-ecPublicKey), RFC 5758 §3.2 (ecdsa-with-SHA256) */
#define RSPG_OID_EC_PUBLIC_KEY "1.2.840.10045.2.1"
#define RSPG_OID_ECDSA_WITH_SHA256 "1.2.840.10045.4.3.2"

/* Named curves: RFC 5480 §2.1.1.1, RFC 5639 §4.1 (brainpool), SEC 2 */
#define RSPG_OID_CURVE_PRIME192V1 "1.2.840.10045.3.1.1"
#define RSPG_OID_CURVE_PRIME256V1 "1.2.840.10045.3.1.7"
#define RSPG_OID_CURVE_SECP384R1 "1.3.132.0.34"
#define RSPG_OID_CURVE_BRAINPOOLP256R1 "1.3.36.3.3.2.8.1.1.7"
#define RSPG_OID_CURVE_BRAINPOOLP192R1 "1.3.36.3.3.2.8.1.1.3"

/* Distinguished name attributes, X.520 / RFC 4519 / RFC 5280 Appendix A */
#define RSPG_OID_AT_CN "2.5.4.3"
#define RSPG_OID_AT_SERIAL_NUMBER "2.5.4.5"
#define RSPG_OID_AT_C "2.5.4.6"
#define RSPG_OID_AT_L "2.5.4.7"
#define RSPG_OID_AT_ST "2.5.4.8"
#define RSPG_OID_AT_STREET "2.5.4.9"
#define RSPG_OID_AT_O "2.5.4.10"
#define RSPG_OID_AT_OU "2.5.4.11"
#define RSPG_OID_AT_EMAIL "1.2.840.113549.1.9.1"
#define RSPG_OID_AT_UID "0.9.2342.19200300.100.1.1"
#define RSPG_OID_AT_DC "0.9.2342.19200300.100.1.25"

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
