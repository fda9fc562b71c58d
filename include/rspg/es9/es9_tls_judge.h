/*
 * es9_tls_judge.h: judges the certificate chain an SM-DP+ (or SM-DS) sends in its TLS
 * handshake as an LPA must (SGP.22 §2.6.6, §4.5.2.2): with rsp-pkigen's own verifier
 * (check/verify.h), the leaf as a DP TLS (or DS TLS) certificate: it chains to a trusted CI
 * of the build, every signature, validity, curve (P-256 or brainpoolP256r1, one curve per
 * chain), critical extension, key usage, extended key usage (serverAuth), the role's GSMA
 * policy OID; and then the host name of the URL against the leaf's subjectAltName (RFC 6125
 * §6.4: a dNSName, case-insensitive, a wildcard only as the whole leftmost label; an
 * iPAddress for an address; never the CN). The SGP.22 error of a failure comes from the
 * rulebook's LPA TLS reasons (certificateExpired, ciPKUnknown, invalidCertificate).
 *
 * Ownership: everything is borrowed. Thread safety: no shared state.
 */
#ifndef RSPG_ES9_TLS_JUDGE_H
#define RSPG_ES9_TLS_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/es9/es9_tls_peer.h"
#include "rspg/rsp/role.h"
#include "rspg/rsp/verdict.h"

/* A CA certificate of the build: a trust anchor (a CI the LPA trusts) or a pool member. */
typedef struct rspg_tls_ca {
    const char *name; /* its path in the build (the verdict's names) */
    const uint8_t *der;
    size_t len;
    int anchor;
} rspg_tls_ca;

/* Judges PEER's chain (its certificates and its host) as role ROLE (RSPG_ROLE_DP_TLS or
 * RSPG_ROLE_DS_TLS) at TIME, with the CAs of the build, into OUT. The leaf is named
 * "server certificate", the others "sent certificate N". */
void rspg_tls_judge(const rspg_tls_peer *peer, const rspg_tls_ca *cas, size_t n_cas, rspg_role role,
                    int64_t time, rspg_verdict *out);

/* Does the certificate DER name HOST in its subjectAltName (RFC 6125 §6.4)? 1 yes, 0 no
 * (WHY says what it names), -1 not a certificate. */
int rspg_tls_host_matches(const uint8_t *der, size_t len, const char *host, char *why, size_t cap);

#endif
