/*
 * verify_internal.h: what the parts of the validator share (verify.c: the pool and the
 * API; verify_chain.c: path building and per-certificate checks; verify_eum.c: the EID and
 * the EUM constraint; verify_dir.c: a build folder against its manifest). Not installed.
 */
#ifndef RSPG_VERIFY_INTERNAL_H
#define RSPG_VERIFY_INTERNAL_H

#include "rspg/base/buf.h"
#include "rspg/check/verify.h"
#include "rspg/crypto/key.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/cert_info.h"

#define RSPG_VERIFY_MAX_CHAIN 10

struct vcert {
    char *name;
    rspg_buf der;
    rspg_cert_info ci; /* decoded once, views into der */
    int trust_anchor;
    int expected_role; /* -1: none given */
    rspg_key key;      /* the public key, built on first use */
    int key_state;     /* 0 not built, 1 built, -1 unusable */
    /* the issuer a build folder's manifest names (verify_dir.c): path building then takes
     * only it (or a copy of it) above this certificate; NULL: any issuer of the pool */
    const struct vcert *issuer_pin;
    /* its signature checked against these issuers (path building may try several twins
     * that carry one name, and a certificate is on the path of everything below it) */
    struct vcert_memo {
        const struct vcert *issuer;
        int ok;
    } * sig_memo;
    size_t n_sig_memo;
};

struct vcrl {
    char *name;
    rspg_buf der;
    rspg_x509_crl c;
    /* signature checks already made, per issuer tried: a CRL is checked for every
     * certificate its issuer signed, and each check is a full ECDSA verification */
    struct vcrl_memo {
        const struct vcert *issuer;
        int ok;
    } * memo;
    size_t n_memo;
};

struct rspg_verifier {
    int64_t time;
    struct vcert **certs; /* each allocated alone: a cert_info is large */
    size_t n_certs, cap_certs;
    struct vcrl *crls;
    size_t n_crls, cap_crls;
    size_t paths_tried; /* candidate paths judged by the last rspg_verifier_check */
};

/* One validation in progress: the candidate path being judged and where its verdict goes. */
struct vctx {
    rspg_verifier *v;
    rspg_verdict *out;   /* the verdict of the path being judged: the caller's for the first
                            path, ALT for the others */
    rspg_verdict *first; /* the caller's verdict (the first path's, unless another validates) */
    rspg_verdict alt;
    struct vcert *chain[RSPG_VERIFY_MAX_CHAIN];
    size_t len;   /* chain[0] = leaf, chain[len-1] = root */
    size_t paths; /* candidate paths judged so far */
    rspg_role leaf_role;
    int leaf_role_known;
    int v3; /* the chain uses the v3 arc */
};

/* The role C is judged as: the one given, else its policy's; -1 none. */
int rspg_vx_role_of(const struct vcert *c);
/* Records the failure (violation F in certificate C) in the verdict; returns -1. */
int rspg_vx_fail(struct vctx *x, rspg_violation f, const struct vcert *c, const char *fmt, ...)
    RSPG_PRINTF(4, 5);
/* Does CRL's signature verify under the key of certificate ISSUER? (remembered per CRL) */
int rspg_vx_crl_signed_by(struct vcrl *crl, struct vcert *issuer);
/* Does SIG (DER ECDSA-Sig-Value) over MSG verify under the key of certificate K? */
int rspg_vx_verify_under(struct vcert *k, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                         size_t sig_len);
/* Are two TLVs byte for byte equal? */
int rspg_vx_same_tlv(const rspg_der_tlv *a, const rspg_der_tlv *b);
/* Validates LEAF (verify_chain.c): builds its candidate paths to a self-issued root depth
 * first and judges each (rspg_vx_check_path) until one validates; *X->first holds the
 * verdict: the valid path's, else the first path's. */
void rspg_vx_validate(struct vctx *x, struct vcert *leaf);
/* Judges the complete path in X (trust anchor, the checks of every certificate from the
 * root down, the eUICC's); the verdict in *X->out; 0 when it validates, -1 otherwise. */
int rspg_vx_check_path(struct vctx *x);
/* The checks of chain[I] (verify_chain.c); -1 on failure. */
int rspg_vx_check_cert(struct vctx *x, size_t i);
/* The EID and the EUM constraint of an eUICC leaf (verify_eum.c); -1 on failure. */
int rspg_vx_check_euicc(struct vctx *x);

#endif
