/*
 * cvc.h: SGP.02 (M2M) card-verifiable certificates in the GlobalPlatform '7F21' format
 * (GP Card Specification Amendment A v1.2 Table 3-6 / Amendment E; SGP.02 v4.x Tables 77/78
 * for CERT.DP.ECDSA and CERT.SR.ECDSA, the CASD certificate for CERT.ECASD.ECKA):
 *
 *   7F21 L  Certificate
 *     93   L  Certificate Serial Number                                         M
 *     42   L  CA Identifier                                                     M
 *     5F20 L  Subject Identifier                                                M
 *     95   L  Key Usage (GPC v2.3.1 §11.1.9: '82'/'88' signature, '00 80' ECKA)  M
 *     5F25 04 Effective Date, BCD YYYYMMDD                                      O
 *     5F24 04 Expiration Date, BCD YYYYMMDD                                     M
 *     45   L  SD Image Number (CASD certificates only)                          O
 *     73   L  Discretionary Data {C8 01 certType, C9 L CI SKI, ...} (or 53)      O (M in SGP.02)
 *     7F49 L  Public Key {B0 uncompressed point, F0 key parameter reference}    M
 *     5F37 L  Signature: plain r||s (64 bytes for 256-bit curves), always last  M
 *
 * The signature is ECDSA over the bytes of every TLV before 5F37, exactly as encoded
 * (not the 7F21 header), with SHA-256 for the 256-bit curves (GPC Table B-3). See
 * docs/sgp02-cvc.md for the sources, the confidence of each fact and the open questions.
 *
 * The library never prints: verdicts and summaries come back in buffers and structs.
 *
 * Ownership: decoded certificates are views into the caller's buffer; encoders append to
 * caller-owned buffers. Thread safety: no shared state.
 */
#ifndef RSPG_CVC_H
#define RSPG_CVC_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"
#include "rspg/rsp/verdict.h"

/* Tags (BER-TLV, ISO/IEC 7816-4 coding; 1 or 2 bytes). */
enum {
    RSPG_CVC_TAG_CERT = 0x7F21,
    RSPG_CVC_TAG_SERIAL = 0x93,
    RSPG_CVC_TAG_CA_ID = 0x42,
    RSPG_CVC_TAG_SUBJECT_ID = 0x5F20,
    RSPG_CVC_TAG_KEY_USAGE = 0x95,
    RSPG_CVC_TAG_EFFECTIVE = 0x5F25,
    RSPG_CVC_TAG_EXPIRATION = 0x5F24,
    RSPG_CVC_TAG_SD_IMAGE = 0x45,
    RSPG_CVC_TAG_DISCRETIONARY_53 = 0x53,
    RSPG_CVC_TAG_DISCRETIONARY = 0x73,
    RSPG_CVC_TAG_PUBLIC_KEY = 0x7F49,
    RSPG_CVC_TAG_POINT = 0xB0,
    RSPG_CVC_TAG_KEY_PARAM = 0xF0,
    RSPG_CVC_TAG_SIGNATURE = 0x5F37,
    RSPG_CVC_TAG_CERT_TYPE = 0xC8, /* in 73: 01 SM-DP, 02 SM-SR (SGP.02) */
    RSPG_CVC_TAG_CI_KEY_ID = 0xC9, /* in 73: the issuer's key identifier (Njiwa: AKI) */
};

/* certType values of C8 (SGP.02; WHTY test vectors and Njiwa agree). */
#define RSPG_CVC_TYPE_SM_DP 0x01
#define RSPG_CVC_TYPE_SM_SR 0x02

#define RSPG_CVC_MAX_ITEMS 16 /* TLVs inside 73 that the decoder records */
#define RSPG_CVC_MAX_FIELDS 16

/* A calendar date (BCD YYYYMMDD on the card). */
typedef struct rspg_cvc_date {
    int year, month, day;
} rspg_cvc_date;

/* One TLV of the input to the encoder (a discretionary data object). */
typedef struct rspg_cvc_item {
    unsigned tag; /* e.g. 0xC8, or a 2-byte tag such as 0xDF20 */
    const uint8_t *value;
    size_t len;
} rspg_cvc_item;

/* What the encoder writes. Pointers are borrowed. */
typedef struct rspg_cvc_fields {
    const uint8_t *serial; /* 93 (at least 1 byte) */
    size_t serial_len;
    const uint8_t *ca_id; /* 42 */
    size_t ca_id_len;
    const uint8_t *subject_id; /* 5F20 */
    size_t subject_id_len;
    const uint8_t *key_usage; /* 95: 1 or 2 bytes */
    size_t key_usage_len;
    int has_effective; /* write 5F25 */
    rspg_cvc_date effective;
    rspg_cvc_date expiration; /* 5F24 */
    const uint8_t *sd_image;  /* 45, or NULL when absent */
    size_t sd_image_len;
    int has_discretionary; /* write 73 (with the items, possibly none) */
    const rspg_cvc_item *discretionary;
    size_t n_discretionary;
    const uint8_t *key_param; /* F0, or NULL: the reference of the subject key's curve */
    size_t key_param_len;
} rspg_cvc_fields;

/* A TLV found by the decoder: a view into the caller's buffer. */
typedef struct rspg_cvc_tlv {
    unsigned tag;
    const uint8_t *hdr; /* first tag byte */
    size_t hdr_len;     /* tag and length bytes */
    const uint8_t *value;
    size_t len;
} rspg_cvc_tlv;

/* A decoded certificate (views into the caller's buffer, which must outlive it). */
typedef struct rspg_cvc {
    rspg_cvc_tlv cert; /* 7F21 */
    rspg_cvc_tlv serial, ca_id, subject_id, key_usage;
    int has_effective;
    rspg_cvc_tlv effective;
    rspg_cvc_date effective_date;
    rspg_cvc_tlv expiration;
    rspg_cvc_date expiration_date;
    int has_sd_image;
    rspg_cvc_tlv sd_image;
    int has_discretionary;
    rspg_cvc_tlv discretionary;             /* 73 or 53 */
    rspg_cvc_tlv items[RSPG_CVC_MAX_ITEMS]; /* the TLVs inside 73 */
    size_t n_items;
    rspg_cvc_tlv public_key, point, key_param;
    const rspg_curve *curve; /* from F0; NULL for a reference rsp-pkigen lacks */
    rspg_cvc_tlv signature;
    const uint8_t *signed_data; /* 93 .. end of 7F49 */
    size_t signed_len;
    rspg_cvc_tlv fields[RSPG_CVC_MAX_FIELDS]; /* every TLV of 7F21, in order */
    size_t n_fields;
} rspg_cvc;

/* The key parameter reference of CURVE (GP Amendment E Table 4-3 / GPC Table B-2 /
 * SGP.02 Table 24): 00 P-256, 01 P-384, 03 brainpoolP256r1; -1 when it has none. */
int rspg_cvc_key_param_of(const rspg_curve *curve);
/* The curve of key parameter reference REF, or NULL when rsp-pkigen does not know it. */
const rspg_curve *rspg_cvc_curve_of_param(unsigned ref);
/* The human name of a reference (also the ones rsp-pkigen has no curve for). */
const char *rspg_cvc_param_name(unsigned ref);

/* Calendar date of Unix time T (UTC), and the Unix time of the start of date D. */
rspg_cvc_date rspg_cvc_date_of(int64_t t);
int64_t rspg_cvc_date_start(rspg_cvc_date d);
/* Is D a real date in the years 0000-9999? 1 yes, 0 no. */
int rspg_cvc_date_valid(rspg_cvc_date d);

/* The signed data (93 .. 7F49) of F with the subject key's point in B0. */
rspg_status rspg_cvc_encode_body(const rspg_cvc_fields *f, const rspg_key *subject, rspg_diag *d,
                                 rspg_buf *out);
/* The whole certificate: 7F21 { body, 5F37 r||s }, signed with ISSUER (ECDSA-SHA256; the
 * nonce per NONCE, RFC 6979 for reproducible output). ISSUER must be on a 256-bit curve.
 * Appends to OUT. */
rspg_status rspg_cvc_encode(const rspg_cvc_fields *f, const rspg_key *subject,
                            const rspg_key *issuer, rspg_nonce nonce, rspg_diag *d, rspg_buf *out);

/* DER ECDSA-Sig-Value <-> plain r||s of 2*FIELD_BYTES bytes (BSI TR-03111 §5.2.1, the
 * form GP uses). 0 on success, -1 when malformed (or r, s do not fit). The DER form is
 * appended to OUT. */
int rspg_cvc_sig_to_plain(const uint8_t *der, size_t der_len, size_t field_bytes, uint8_t *plain);
int rspg_cvc_sig_to_der(const uint8_t *plain, size_t plain_len, rspg_buf *out);

/* Strict decoder: exactly one 7F21 TLV (nothing after it), the fields in the GP order, each
 * at most once; tags of 1 or 2 bytes; lengths in the minimal 1-byte, 81 or 82 form;
 * dates in valid BCD; B0 an uncompressed point of F0's curve (when known). Returns RSPG_OK,
 * or RSPG_E_INPUT with the reason (naming the offset) in D (which may be NULL). */
rspg_status rspg_cvc_decode(const uint8_t *data, size_t len, rspg_cvc *out, rspg_diag *d);

/* Does the signature verify under ISSUER over the signed data? 1 yes, 0 no. */
int rspg_cvc_verify_signature(const rspg_cvc *c, const rspg_key *issuer);
/* The dates at Unix time T: 0 current, -1 not yet effective, 1 expired. A date counts as
 * a whole day (UTC): effective from its start, expired after its end [INFERRED]. */
int rspg_cvc_check_dates(const rspg_cvc *c, int64_t t);

/* The kind of certificate: C8 = 01 "sm-dp", 02 "sm-sr"; key usage 00 80 "ecasd"; NULL. */
const char *rspg_cvc_kind(const rspg_cvc *c);

/* A candidate issuer for verification. */
typedef struct rspg_cvc_issuer {
    const rspg_key *key;
    const uint8_t *ski; /* its subject key identifier (to compare with C9), or NULL */
    size_t ski_len;
    const char *name;
} rspg_cvc_issuer;

typedef struct rspg_cvc_verdict {
    int valid;
    const char *check; /* the failed check: "format", "signature", "validity", "key-usage",
                          "issuer-key-id", "curve" (NULL when valid) */
    char message[512];
    int issuer;       /* index of the issuer whose key verified the signature, or -1 */
    const char *kind; /* as rspg_cvc_kind */
} rspg_cvc_verdict;

/* Verifies the certificate DATA: decoded strictly, signed by one of ISSUERS (the CI for
 * SM-DP/SM-SR, the EUM for ECASD), C9 (when present) equal to that issuer's SKI, key usage
 * fitting the kind ('82' or '88' for SM-DP/SM-SR, '00 80' for ECASD), the dates at AT. */
void rspg_cvc_verify(const uint8_t *data, size_t len, const rspg_cvc_issuer *issuers,
                     size_t n_issuers, int64_t at, rspg_cvc_verdict *out);

/* Is DATA a certificate of this format: binary starting with 7F 21, or hex text of one? */
int rspg_cvc_sniff(const uint8_t *data, size_t len);
/* The binary form of DATA (binary as is; hex text, whitespace allowed, decoded) appended
 * to OUT; -1 when hex text is malformed. */
int rspg_cvc_load(const uint8_t *data, size_t len, rspg_buf *out);
/* "hex" for a .hex file name, else "tlv": the manifest's format of a CVC file. */
const char *rspg_cvc_file_format(const char *path);

/* Appends a tag-by-tag summary of DATA (binary or hex) to OUT (text, or JSON when JSON is
 * set); OUT stays NUL-terminated. RSPG_E_PROFILE with a message in D when malformed. */
rspg_status rspg_cvc_show(const uint8_t *data, size_t len, int json, rspg_buf *out, rspg_diag *d);

/* Reads the certificate at PATH (binary or hex) and the issuer certificates (X.509, DER or
 * PEM) at ISSUER_PATHS, and verifies it at AT. RSPG_OK when the files could be read
 * (the verdict says whether it is valid); RSPG_E_IO otherwise, with a message in D. */
rspg_status rspg_cvc_verify_file(const char *path, const char *const *issuer_paths,
                                 size_t n_issuers, int64_t at, rspg_cvc_verdict *out, rspg_diag *d);

/* For `verify DIR`: verifies the card certificate DIR/PATH against the issuer certificate
 * DIR/ISSUER (as the manifest names them) at AT, as an rspg_verdict whose reason is the
 * nearest SGP.22 error name, as the manifest's reasons use them: signature ->
 * invalidSignature, validity -> certificateExpired, curve -> unsupportedCurve, anything
 * else (and unreadable files) -> invalidCertificate. */
void rspg_cvc_verify_item(const char *dir, const char *path, const char *issuer, int64_t at,
                          rspg_verdict *out);

#endif
