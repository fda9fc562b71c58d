/*
 * sgp22.h: the few SGP.22 ASN.1 structures an ES9+ client exchanges (SGP.22 v2.x §5.6 and
 * the ASN.1 module of its Annex H, RSPDefinitions, AUTOMATIC TAGS), encoded and decoded with
 * the project's DER code: EUICCInfo1, ServerSigned1, EUICCInfo2, EuiccSigned1 and
 * AuthenticateServerResponse (authenticateResponseOk), SmdpSigned2, EUICCSigned2 and
 * PrepareDownloadResponse (downloadResponseOk), and the outer structure of a
 * BoundProfilePackage with its InitialiseSecureChannelRequest.
 *
 * SGP.22 signatures (serverSignature1, euiccSignature1, smdpSignature2, smdpSign, ...) are
 * [APPLICATION 55] '5F37' octet strings holding r||s (BSI TR-03111, 64 bytes for the 256-bit
 * curves, SGP.22 §2.6.9); rspg_sgp22_sig_* convert them from and to DER ECDSA-Sig-Value.
 *
 * Ownership: decoders return views into the caller's buffer. Thread safety: no state.
 */
#ifndef RSPG_SGP22_H
#define RSPG_SGP22_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"

/* Tags of more than one octet are written as their octets, e.g. 0xBF20, 0x5F37. */
enum {
    RSPG_SGP22_TAG_SIGNATURE = 0x5F37, /* [APPLICATION 55] */
    RSPG_SGP22_TAG_OTPK = 0x5F49,      /* [APPLICATION 73] */
    RSPG_SGP22_TAG_EUICC_INFO1 = 0xBF20,
    RSPG_SGP22_TAG_PREPARE_DL = 0xBF21,
    RSPG_SGP22_TAG_EUICC_INFO2 = 0xBF22,
    RSPG_SGP22_TAG_ISCR = 0xBF23,
    RSPG_SGP22_TAG_BPP = 0xBF36,
    RSPG_SGP22_TAG_AUTH_SERVER_RESP = 0xBF38,
};

#define RSPG_SGP22_TID_MAX 16
#define RSPG_SGP22_SIG_LEN 64 /* r||s of a 256-bit curve */

/* One BER-TLV with a tag of one or two octets and a definite length. */
typedef struct rspg_sgp22_tlv {
    unsigned tag;
    const uint8_t *hdr;   /* the first tag octet */
    const uint8_t *value; /* the contents */
    size_t len;           /* contents length */
    size_t total;         /* tag + length + contents */
} rspg_sgp22_tlv;

/* Reads the next TLV at C; -1 when malformed (indefinite or overlong length, truncated). */
int rspg_sgp22_tlv_read(rspg_der_cursor *c, rspg_sgp22_tlv *out);
/* Reads the next TLV and requires TAG; -1 otherwise. */
int rspg_sgp22_tlv_expect(rspg_der_cursor *c, unsigned tag, rspg_sgp22_tlv *out);
/* Opens a constructed TLV with a tag of one or two octets (close with rspg_der_end). */
size_t rspg_sgp22_begin(rspg_buf *b, unsigned tag);
/* Appends a primitive TLV. */
void rspg_sgp22_put(rspg_buf *b, unsigned tag, const void *p, size_t n);

/* r||s (SIG_LEN octets) of a DER ECDSA-Sig-Value; -1 when malformed or too large. */
int rspg_sgp22_sig_to_raw(const uint8_t *der, size_t n, uint8_t raw[RSPG_SGP22_SIG_LEN]);
/* The DER ECDSA-Sig-Value of r||s, appended to OUT. */
void rspg_sgp22_sig_from_raw(const uint8_t raw[RSPG_SGP22_SIG_LEN], rspg_buf *out);
/* Strips the '5F37 40' header of a signature data object; -1 unless it is exactly one. */
int rspg_sgp22_sig_unwrap(const uint8_t *p, size_t n, uint8_t raw[RSPG_SGP22_SIG_LEN]);

/* EUICCInfo1 ('BF20', SGP.22 §5.7.8): svn and one CI key id for verification and signing. */
void rspg_sgp22_encode_euicc_info1(const uint8_t svn[3], const uint8_t ci_pkid[20], rspg_buf *out);

/* ServerSigned1 (SGP.22 §5.7.13). */
typedef struct rspg_sgp22_server_signed1 {
    uint8_t tid[RSPG_SGP22_TID_MAX];
    size_t tid_len;
    uint8_t euicc_challenge[16];
    char server_address[256];
    uint8_t server_challenge[16];
} rspg_sgp22_server_signed1;
int rspg_sgp22_decode_server_signed1(const uint8_t *p, size_t n, rspg_sgp22_server_signed1 *out);

/* The input of EuiccSigned1 (SGP.22 §5.7.13): the session values of ServerSigned1, the CI key
 * id the eUICC lists in EUICCInfo2, and the matchingId of ctxParamsForCommonAuthentication
 * (NULL: absent). */
typedef struct rspg_sgp22_euicc_signed1 {
    const uint8_t *tid;
    size_t tid_len;
    const char *server_address;
    const uint8_t *server_challenge; /* 16 octets */
    const uint8_t *ci_pkid;          /* 20 octets */
    const char *matching_id;
} rspg_sgp22_euicc_signed1;
void rspg_sgp22_encode_euicc_signed1(const rspg_sgp22_euicc_signed1 *in, rspg_buf *out);
/* AuthenticateServerResponse ('BF38') / authenticateResponseOk: euiccSigned1 (DER as
 * encoded), euiccSignature1 (r||s) and the eUICC and EUM certificates (DER). */
void rspg_sgp22_encode_auth_server_response(const rspg_buf *signed1,
                                            const uint8_t sig[RSPG_SGP22_SIG_LEN],
                                            const uint8_t *euicc_cert, size_t euicc_len,
                                            const uint8_t *eum_cert, size_t eum_len, rspg_buf *out);

/* SmdpSigned2 (SGP.22 §5.6.3). */
typedef struct rspg_sgp22_smdp_signed2 {
    uint8_t tid[RSPG_SGP22_TID_MAX];
    size_t tid_len;
    int cc_required;
    int has_bpp_otpk;
} rspg_sgp22_smdp_signed2;
int rspg_sgp22_decode_smdp_signed2(const uint8_t *p, size_t n, rspg_sgp22_smdp_signed2 *out);

/* EUICCSigned2 (SGP.22 §5.7.5): transactionId and otPK.EUICC.ECKA. */
void rspg_sgp22_encode_euicc_signed2(const uint8_t *tid, size_t tid_len, const uint8_t *otpk,
                                     size_t otpk_len, rspg_buf *out);
/* PrepareDownloadResponse ('BF21') / downloadResponseOk. */
void rspg_sgp22_encode_prepare_download_response(const rspg_buf *signed2,
                                                 const uint8_t sig[RSPG_SGP22_SIG_LEN],
                                                 rspg_buf *out);

/* The outer structure of a BoundProfilePackage ('BF36', SGP.22 §2.5.4 and §5.5). */
typedef struct rspg_sgp22_bpp {
    long remote_op_id; /* 1: installBoundProfilePackage */
    uint8_t tid[RSPG_SGP22_TID_MAX];
    size_t tid_len;
    uint8_t key_type, key_len; /* controlRefTemplate: '88' (AES), 16 */
    size_t host_id_len;
    const uint8_t *smdp_otpk; /* otPK.DP.ECKA */
    size_t smdp_otpk_len;
    const uint8_t *signed_part; /* remoteOpId .. smdpOtpk, the data smdpSign covers */
    size_t signed_len;
    uint8_t smdp_sign[RSPG_SGP22_SIG_LEN];
    size_t n87_first, n88, n87_second, n86; /* the members of each sequence */
} rspg_sgp22_bpp;
/* Decodes a BPP; -1 and a short reason in *WHY when it is malformed. */
int rspg_sgp22_decode_bpp(const uint8_t *p, size_t n, rspg_sgp22_bpp *out, const char **why);

#endif
