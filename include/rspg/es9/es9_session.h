/*
 * es9_session.h: one profile download over ES9+ as an LPA with a software eUICC performs it
 * (SGP.22 §3.1.3: InitiateAuthentication, AuthenticateClient, GetBoundProfilePackage), with
 * the checks an eUICC makes of the SM-DP+ done by rsp-pkigen's own verifier (check/verify.h),
 * so that a server fault carries its SGP.22 reason:
 *   - ES10b.AuthenticateServer (§5.7.13): serverCertificate (CERT.DPauth.SIG) chains to the
 *     eUICC's CI, serverSignature1 over serverSigned1, euiccChallenge and transactionId echo;
 *   - ES10b.PrepareDownload (§5.7.5): smdpCertificate (CERT.DPpb.SIG) chains to the CI,
 *     smdpSignature2 over smdpSigned2 || euiccSignature1, transactionId;
 *   - ES10b.LoadBoundProfilePackage (§5.7.6, outer structure): InitialiseSecureChannelRequest
 *     (installBoundProfilePackage, transactionId, CRT), smdpSign over its signed part and
 *     otPK.EUICC.ECKA, and the '87' / '88' / '86' sequences.
 *
 * Ownership: everything is borrowed for the call. Thread safety: one session per client.
 */
#ifndef RSPG_ES9_SESSION_H
#define RSPG_ES9_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/crypto/key.h"
#include "rspg/es9/es9_client.h"

/* The software eUICC of one session. */
typedef struct rspg_es9_euicc {
    const uint8_t *euicc_cert, *eum_cert, *ci_cert; /* DER; the CI is the one the eUICC trusts */
    size_t euicc_len, eum_len, ci_len;
    const rspg_key *key;     /* SK.EUICC.ECDSA */
    const char *matching_id; /* NULL: none */
    int corrupt_signature1;  /* fault: euiccSignature1 with one bit flipped */
    int wrong_challenge;     /* fault: euiccSigned1 with another serverChallenge */
    int64_t now;             /* the time the server's certificates are checked at */
} rspg_es9_euicc;

typedef struct rspg_es9_session_result {
    int answered;               /* authenticateClient answered */
    rspg_es9_status auth;       /* its status */
    int downloaded;             /* getBoundProfilePackage succeeded and its BPP checks */
    rspg_es9_status bpp_status; /* getBoundProfilePackage's status */
    char server_fault[640];     /* what the server did that an eUICC must reject; "" none */
    char detail[256];           /* e.g. the BPP's outline */
} rspg_es9_session_result;

/* Runs a session with C for E. RSPG_OK when the server answered (R says how); RSPG_E_IO
 * (one message in D) when it is unreachable or not an ES9+ server; RSPG_E_INPUT for a bad
 * eUICC certificate or key of the build. */
rspg_status rspg_es9_session_run(rspg_es9_client *c, const rspg_es9_euicc *e,
                                 rspg_es9_session_result *r, rspg_diag *d);

#endif
