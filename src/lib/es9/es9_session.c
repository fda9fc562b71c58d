/*
 * es9_session.c: one ES9+ download as an LPA + software eUICC (SGP.22 §3.1.3), checking the
 * SM-DP+ as an eUICC must (ES10b.AuthenticateServer §5.7.13, PrepareDownload §5.7.5, the BPP
 * of §2.5.4/§5.5) with rsp-pkigen's verifier, so a server fault is named by its SGP.22 reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "rspg/check/verify.h"
#include "rspg/crypto/sign.h"
#include "rspg/es9/es9_session.h"
#include "rspg/es9/sgp22.h"
#include "rspg/rsp/role.h"
#include "rspg/x509/x509.h"

typedef struct sess {
    rspg_es9_client *c;
    const rspg_es9_euicc *e;
    rspg_es9_session_result *r;
    rspg_diag *d;
    uint8_t ci_pkid[20];
    rspg_sgp22_server_signed1 ss1;
    char *tid; /* transactionId as the JSON carries it (hex) */
    uint8_t euicc_sig1[RSPG_SGP22_SIG_LEN];
    rspg_buf smdp_sig2; /* smdpSignature2 data object ('5F37 40' || r||s) */
    rspg_key dppb;      /* PK.DPpb.ECDSA */
    int have_dppb;
} sess;

static int fault(sess *s, const char *fmt, ...) RSPG_PRINTF(2, 3);
static int fault(sess *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!s->r->server_fault[0])
        vsnprintf(s->r->server_fault, sizeof(s->r->server_fault), fmt, ap);
    va_end(ap);
    return -1;
}

/* The public key of a DER certificate; -1 when it has none rsp-pkigen knows. */
static int cert_key(const uint8_t *der, size_t n, rspg_key *out)
{
    rspg_x509 x;
    rspg_diag tmp;
    rspg_diag_init(&tmp);
    int rc = -1;
    if (rspg_x509_read(der, n, &x, NULL) == RSPG_OK) {
        const rspg_curve *cv = rspg_curve_by_oid_der(x.spki_curve_oid.value, x.spki_curve_oid.len);
        if (cv && rspg_key_from_public(cv, x.pub, x.pub_len, &tmp, out) == RSPG_OK)
            rc = 0;
    }
    rspg_diag_fini(&tmp);
    return rc;
}

/* Verifies the r||s signature SIG over MSG with KEY. */
static int sig_ok(const rspg_key *key, const uint8_t *msg, size_t n, const uint8_t *sig)
{
    rspg_buf der;
    rspg_buf_init(&der);
    rspg_sgp22_sig_from_raw(sig, &der);
    int ok = rspg_verify_sig(key, msg, n, der.data, der.len) == 1;
    rspg_buf_free(&der);
    return ok;
}

/* Validates a server certificate of ROLE under the eUICC's CI, as the eUICC does; on success
 * its public key in *KEY. */
static int check_server_cert(sess *s, const rspg_buf *der, rspg_role role, const char *what,
                             rspg_key *key)
{
    rspg_verifier *v = rspg_verifier_new(s->e->now);
    rspg_diag tmp;
    rspg_diag_init(&tmp);
    rspg_verdict vd;
    memset(&vd, 0, sizeof(vd));
    int ok = -1;
    if (rspg_verifier_add_cert(v, "CI", s->e->ci_cert, s->e->ci_len, 1, RSPG_ROLE_CI, &tmp) < 0) {
        fault(s, "the eUICC's CI certificate cannot be read");
    } else {
        int i = rspg_verifier_add_cert(v, what, der->data, der->len, 0, (int)role, &tmp);
        if (i < 0)
            fault(s, "%s is not a certificate (an eUICC answers invalidCertificate)", what);
        else if (rspg_verifier_check(v, i, &vd), !vd.valid)
            fault(s, "%s is invalid: an eUICC answers %s (%s: %s)", what, vd.reason, vd.check,
                  vd.message);
        else if (cert_key(der->data, der->len, key) != 0)
            fault(s, "%s has no usable public key", what);
        else
            ok = 0;
    }
    rspg_diag_fini(&tmp);
    rspg_verifier_free(v);
    return ok;
}

/* ---- InitiateAuthentication (SGP.22 §5.6.1) and the eUICC's AuthenticateServer checks ---- */

/* Checks the answer of initiateAuthentication as ES10b.AuthenticateServer does. */
static void check_initiate(sess *s, json_t *resp, const uint8_t challenge[16])
{
    rspg_key dpauth = {0};
    rspg_buf b, cert, sig1;
    rspg_buf_init(&b);
    rspg_buf_init(&cert);
    rspg_buf_init(&sig1);
    const char *tid = json_string_value(json_object_get(resp, "transactionId"));
    uint8_t sig[RSPG_SGP22_SIG_LEN];
    char *hex = NULL;
    if (rspg_es9_b64_member(resp, "serverSigned1", &b) != 0 ||
        rspg_sgp22_decode_server_signed1(b.data, b.len, &s->ss1) != 0 || !tid)
        fault(s, "initiateAuthentication: serverSigned1 or transactionId missing or malformed");
    else if (memcmp(s->ss1.euicc_challenge, challenge, 16) != 0)
        fault(s, "serverSigned1 does not echo the euiccChallenge (an eUICC answers "
                 "invalidServerSignature, SGP.22 §5.7.13)");
    else if (hex = rspg_hex(s->ss1.tid, s->ss1.tid_len), strcasecmp(hex, tid) != 0)
        fault(s, "transactionId %s is not serverSigned1's %s (SGP.22 §5.6.1)", tid, hex);
    else if (rspg_es9_b64_member(resp, "serverCertificate", &cert) != 0 ||
             rspg_es9_b64_member(resp, "serverSignature1", &sig1) != 0 ||
             rspg_sgp22_sig_unwrap(sig1.data, sig1.len, sig) != 0)
        fault(s, "initiateAuthentication: serverCertificate or serverSignature1 missing or "
                 "malformed");
    else if (check_server_cert(s, &cert, RSPG_ROLE_DP_AUTH, "serverCertificate (CERT.DPauth.SIG)",
                               &dpauth) == 0 &&
             !sig_ok(&dpauth, b.data, b.len, sig))
        fault(s, "serverSignature1 does not verify with CERT.DPauth.SIG (an eUICC answers "
                 "invalidServerSignature, SGP.22 §5.7.13)");
    if (tid && !s->tid)
        s->tid = rspg_xstrdup(tid);
    free(hex);
    rspg_key_free(&dpauth);
    rspg_buf_free(&cert);
    rspg_buf_free(&sig1);
    rspg_buf_free(&b);
}

static rspg_status initiate(sess *s)
{
    static const uint8_t svn[3] = {2, 2, 2};
    uint8_t challenge[16];
    rspg_buf info1;
    rspg_buf_init(&info1);
    RAND_bytes(challenge, sizeof(challenge));
    rspg_sgp22_encode_euicc_info1(svn, s->ci_pkid, &info1);
    char *b64c = rspg_es9_b64(challenge, 16), *b64i = rspg_es9_b64(info1.data, info1.len);
    json_t *req = json_pack("{s:s, s:s, s:s}", "euiccChallenge", b64c, "euiccInfo1", b64i,
                            "smdpAddress", rspg_es9_client_address(s->c));
    json_t *resp = NULL;
    rspg_es9_status st;
    rspg_status rc = rspg_es9_call(s->c, "initiateAuthentication", req, &resp, &st, s->d);
    if (rc == RSPG_OK && st.http_status != 200) {
        rc = rspg_fail(s->d, RSPG_E_IO,
                       "%s: not an ES9+ server: initiateAuthentication "
                       "answered %s",
                       rspg_es9_client_address(s->c), st.status);
    } else if (rc == RSPG_OK && !st.success) {
        s->r->auth = st;
        fault(s, "initiateAuthentication refused the eUICC's CI: %s/%s %s", st.subject_code,
              st.reason_code, st.message);
    } else if (rc == RSPG_OK) {
        check_initiate(s, resp, challenge);
    }
    json_decref(resp);
    json_decref(req);
    free(b64c);
    free(b64i);
    rspg_buf_free(&info1);
    return rc;
}

/* ---- AuthenticateClient (SGP.22 §5.6.3) and the eUICC's PrepareDownload checks ---- */

/* euiccSigned1 signed by the eUICC, in an AuthenticateServerResponse (base64). */
static char *auth_server_response(sess *s)
{
    uint8_t wrong[16];
    rspg_sgp22_euicc_signed1 in = {
        s->ss1.tid, s->ss1.tid_len,   s->ss1.server_address, s->ss1.server_challenge,
        s->ci_pkid, s->e->matching_id};
    if (s->e->wrong_challenge) {
        memcpy(wrong, s->ss1.server_challenge, 16);
        wrong[0] ^= 0xFF;
        in.server_challenge = wrong;
    }
    rspg_buf signed1, der, out;
    rspg_buf_init(&signed1);
    rspg_buf_init(&der);
    rspg_buf_init(&out);
    rspg_sgp22_encode_euicc_signed1(&in, &signed1);
    char *b64 = NULL;
    if (rspg_sign(s->e->key, RSPG_NONCE_RANDOM, signed1.data, signed1.len, s->d, &der) == RSPG_OK &&
        rspg_sgp22_sig_to_raw(der.data, der.len, s->euicc_sig1) == 0) {
        uint8_t sig[RSPG_SGP22_SIG_LEN];
        memcpy(sig, s->euicc_sig1, sizeof(sig));
        if (s->e->corrupt_signature1)
            sig[RSPG_SGP22_SIG_LEN - 1] ^= 0x01;
        rspg_sgp22_encode_auth_server_response(&signed1, sig, s->e->euicc_cert, s->e->euicc_len,
                                               s->e->eum_cert, s->e->eum_len, &out);
        b64 = rspg_es9_b64(out.data, out.len);
    }
    rspg_buf_free(&signed1);
    rspg_buf_free(&der);
    rspg_buf_free(&out);
    return b64;
}

/* Checks a successful authenticateClient as ES10b.PrepareDownload does (SGP.22 §5.7.5). */
static void check_authenticated(sess *s, json_t *resp)
{
    rspg_buf cert, signed2;
    rspg_buf_init(&cert);
    rspg_buf_init(&signed2);
    rspg_sgp22_smdp_signed2 sd2;
    uint8_t sig[RSPG_SGP22_SIG_LEN];
    if (rspg_es9_b64_member(resp, "smdpSigned2", &signed2) != 0 ||
        rspg_sgp22_decode_smdp_signed2(signed2.data, signed2.len, &sd2) != 0 ||
        rspg_es9_b64_member(resp, "smdpSignature2", &s->smdp_sig2) != 0 ||
        rspg_sgp22_sig_unwrap(s->smdp_sig2.data, s->smdp_sig2.len, sig) != 0 ||
        rspg_es9_b64_member(resp, "smdpCertificate", &cert) != 0) {
        fault(s, "authenticateClient: smdpSigned2, smdpSignature2 or smdpCertificate missing or "
                 "malformed");
    } else if (sd2.tid_len != s->ss1.tid_len || memcmp(sd2.tid, s->ss1.tid, sd2.tid_len) != 0) {
        fault(s, "smdpSigned2 carries another transactionId (SGP.22 §5.7.5)");
    } else if (check_server_cert(s, &cert, RSPG_ROLE_DP_PB, "smdpCertificate (CERT.DPpb.SIG)",
                                 &s->dppb) == 0) {
        s->have_dppb = 1;
        /* smdpSignature2 covers smdpSigned2 || euiccSignature1 ('5F37 40' r||s) */
        rspg_sgp22_put(&signed2, RSPG_SGP22_TAG_SIGNATURE, s->euicc_sig1, RSPG_SGP22_SIG_LEN);
        if (!sig_ok(&s->dppb, signed2.data, signed2.len, sig))
            fault(s, "smdpSignature2 does not verify with CERT.DPpb.SIG (an eUICC answers "
                     "invalidSignature, SGP.22 §5.7.5)");
        if (sd2.cc_required)
            fault(s, "the order needs a Confirmation Code; probe has none");
    }
    rspg_buf_free(&cert);
    rspg_buf_free(&signed2);
}

static rspg_status authenticate(sess *s)
{
    char *asr = auth_server_response(s);
    if (!asr)
        return RSPG_E_CRYPTO;
    json_t *req =
        json_pack("{s:s, s:s}", "transactionId", s->tid, "authenticateServerResponse", asr);
    json_t *resp = NULL;
    rspg_status rc = rspg_es9_call(s->c, "authenticateClient", req, &resp, &s->r->auth, s->d);
    if (rc == RSPG_OK) {
        s->r->answered = 1;
        if (s->r->auth.success)
            check_authenticated(s, resp);
    }
    json_decref(resp);
    json_decref(req);
    free(asr);
    return rc;
}

/* ---- GetBoundProfilePackage (SGP.22 §5.6.2) and the BPP's outer structure ---- */

/* Checks the BPP as ES10b.LoadBoundProfilePackage begins to (SGP.22 §5.5.1, §5.7.6). */
static void check_bpp(sess *s, const rspg_buf *bpp, const rspg_key *otk)
{
    rspg_sgp22_bpp b;
    const char *why = NULL;
    if (rspg_sgp22_decode_bpp(bpp->data, bpp->len, &b, &why) != 0) {
        fault(s, "boundProfilePackage: %s (SGP.22 §2.5.4)", why);
        return;
    }
    if (b.remote_op_id != 1 || b.tid_len != s->ss1.tid_len ||
        memcmp(b.tid, s->ss1.tid, b.tid_len) != 0) {
        fault(s, "InitialiseSecureChannelRequest: remoteOpId or transactionId is not this "
                 "session's (SGP.22 §5.5.1)");
        return;
    }
    /* smdpSign covers remoteOpId .. smdpOtpk followed by '5F49' otPK.EUICC.ECKA */
    rspg_buf msg;
    rspg_buf_init(&msg);
    rspg_buf_append(&msg, b.signed_part, b.signed_len);
    rspg_sgp22_put(&msg, RSPG_SGP22_TAG_OTPK, otk->pub, otk->pub_len);
    if (!sig_ok(&s->dppb, msg.data, msg.len, b.smdp_sign))
        fault(s, "InitialiseSecureChannelRequest.smdpSign does not verify with CERT.DPpb.SIG "
                 "(an eUICC answers invalidSignature, SGP.22 §5.7.6)");
    else if (b.n88 == 0 || b.n86 == 0)
        fault(s, "boundProfilePackage has no StoreMetadata ('88') or no profile ('86')");
    else {
        s->r->downloaded = 1;
        snprintf(s->r->detail, sizeof(s->r->detail),
                 "BPP: smdpSign verified, %zu x '87', %zu x '88', %zu x '87', %zu x '86'",
                 b.n87_first, b.n88, b.n87_second, b.n86);
    }
    rspg_buf_free(&msg);
}

static rspg_status get_bpp(sess *s)
{
    rspg_key otk = {0};
    rspg_status rc = rspg_key_generate(s->dppb.curve, s->d, &otk); /* otPK/otSK.EUICC.ECKA */
    if (rc != RSPG_OK)
        return rc;
    rspg_buf signed2, der, pdr, bpp;
    rspg_buf_init(&signed2);
    rspg_buf_init(&der);
    rspg_buf_init(&pdr);
    rspg_buf_init(&bpp);
    rspg_sgp22_encode_euicc_signed2(s->ss1.tid, s->ss1.tid_len, otk.pub, otk.pub_len, &signed2);
    /* euiccSignature2 covers euiccSigned2 || smdpSignature2 (SGP.22 §5.7.5) */
    rspg_buf msg;
    rspg_buf_init(&msg);
    rspg_buf_append(&msg, signed2.data, signed2.len);
    rspg_buf_append(&msg, s->smdp_sig2.data, s->smdp_sig2.len);
    uint8_t sig[RSPG_SGP22_SIG_LEN];
    rc = rspg_sign(s->e->key, RSPG_NONCE_RANDOM, msg.data, msg.len, s->d, &der);
    if (rc == RSPG_OK && rspg_sgp22_sig_to_raw(der.data, der.len, sig) == 0) {
        rspg_sgp22_encode_prepare_download_response(&signed2, sig, &pdr);
        char *b64 = rspg_es9_b64(pdr.data, pdr.len);
        json_t *req =
            json_pack("{s:s, s:s}", "transactionId", s->tid, "prepareDownloadResponse", b64);
        json_t *resp = NULL;
        rc = rspg_es9_call(s->c, "getBoundProfilePackage", req, &resp, &s->r->bpp_status, s->d);
        if (rc == RSPG_OK && !s->r->bpp_status.success)
            fault(s, "getBoundProfilePackage refused a valid PrepareDownloadResponse: %s/%s %s",
                  s->r->bpp_status.subject_code, s->r->bpp_status.reason_code,
                  s->r->bpp_status.message);
        else if (rc == RSPG_OK && rspg_es9_b64_member(resp, "boundProfilePackage", &bpp) != 0)
            fault(s, "getBoundProfilePackage: boundProfilePackage missing or not base64");
        else if (rc == RSPG_OK)
            check_bpp(s, &bpp, &otk);
        json_decref(resp);
        json_decref(req);
        free(b64);
    }
    rspg_key_free(&otk);
    rspg_buf_free(&msg);
    rspg_buf_free(&signed2);
    rspg_buf_free(&der);
    rspg_buf_free(&pdr);
    rspg_buf_free(&bpp);
    return rc;
}

rspg_status rspg_es9_session_run(rspg_es9_client *c, const rspg_es9_euicc *e,
                                 rspg_es9_session_result *r, rspg_diag *d)
{
    sess s = {.c = c, .e = e, .r = r, .d = d};
    memset(r, 0, sizeof(*r));
    rspg_buf_init(&s.smdp_sig2);
    rspg_x509 ci;
    size_t ski_len = 0;
    const uint8_t *ski = NULL;
    if (rspg_x509_read(e->ci_cert, e->ci_len, &ci, d) != RSPG_OK ||
        !(ski = rspg_x509_ski(&ci, &ski_len)) || ski_len != 20)
        return rspg_fail(d, RSPG_E_INPUT,
                         "the CI certificate has no 20-octet subjectKeyIdentifier");
    memcpy(s.ci_pkid, ski, 20);
    rspg_status rc = initiate(&s);
    if (rc == RSPG_OK && !r->server_fault[0])
        rc = authenticate(&s);
    if (rc == RSPG_OK && r->auth.success && !r->server_fault[0] && s.have_dppb)
        rc = get_bpp(&s);
    rspg_key_free(&s.dppb);
    rspg_buf_free(&s.smdp_sig2);
    free(s.tid);
    return rc;
}
