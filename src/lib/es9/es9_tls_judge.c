/*
 * es9_tls_judge.c: the LPA's check of an SM-DP+ TLS chain (SGP.22 §2.6.6, §4.5.2.2) with
 * rsp-pkigen's verifier, and the host name check of RFC 6125 §6.4 on the leaf's
 * subjectAltName.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rspg/check/verify.h"
#include "rspg/es9/es9_tls_judge.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/cert_info.h"

#define SAN_DNS 0x82 /* GeneralName dNSName [2] IA5String */
#define SAN_IP 0x87  /* iPAddress [7] OCTET STRING */

/* One dNSName PAT against HOST (both without a trailing dot): equal ignoring case, or PAT is
 * "*.REST" and HOST is one more label followed by ".REST" (RFC 6125 §6.4.3). */
static int dns_match(const char *pat, size_t pn, const char *host, size_t hn)
{
    if (pn > 0 && pat[pn - 1] == '.')
        pn--;
    if (pn == hn && strncasecmp(pat, host, hn) == 0)
        return 1;
    if (pn < 3 || pat[0] != '*' || pat[1] != '.' || memchr(pat + 1, '*', pn - 1))
        return 0;
    const char *dot = memchr(host, '.', hn);
    if (!dot || dot == host)
        return 0;
    size_t rest = hn - (size_t)(dot - host);
    return rest == pn - 1 && strncasecmp(dot, pat + 1, rest) == 0 && memchr(pat + 2, '.', pn - 2);
}

static void note_name(char *why, size_t cap, const char *kind, const char *v, size_t n)
{
    size_t at = strlen(why);
    if (at < cap)
        snprintf(why + at, cap - at, "%s%s %.*s", at ? ", " : "", kind, (int)n, v);
}

int rspg_tls_host_matches(const uint8_t *der, size_t len, const char *host, char *why, size_t cap)
{
    rspg_cert_info ci;
    if (cap)
        why[0] = 0;
    if (rspg_cert_info_read(der, len, RSPG_CI_LENIENT, &ci, NULL) != RSPG_OK)
        return -1;
    uint8_t ip[16];
    size_t ip_len = inet_pton(AF_INET, host, ip) == 1    ? 4
                    : inet_pton(AF_INET6, host, ip) == 1 ? 16
                                                         : 0;
    size_t hn = strlen(host);
    if (hn > 0 && host[hn - 1] == '.')
        hn--;
    for (size_t i = 0; i < ci.n_san; i++) {
        const rspg_der_tlv *g = &ci.san[i];
        const char *v = (const char *)g->value;
        if (g->tag == SAN_DNS) {
            if (!ip_len && dns_match(v, g->len, host, hn))
                return 1;
            note_name(why, cap, "DNS", v, g->len);
        } else if (g->tag == SAN_IP) {
            if (ip_len && g->len == ip_len && memcmp(g->value, ip, ip_len) == 0)
                return 1;
            note_name(why, cap, "IP", "(address)", 9);
        }
    }
    if (cap && !why[0])
        snprintf(why, cap, "no dNSName or iPAddress");
    return 0;
}

/* A verdict of the LPA TLS validator for a fault that is not a rule of the verifier's
 * violation table (the host name): the validator's default row (invalidCertificate). */
static void fail_out(rspg_verdict *out, const char *check, const char *cert)
{
    out->valid = 0;
    out->check = check;
    out->reason = rspg_rule_reason(RSPG_VALIDATOR_LPA_TLS, RSPG_V_COUNT, RSPG_WHEN_LEAF)->reason;
    snprintf(out->cert, sizeof(out->cert), "%s", cert);
}

void rspg_tls_judge(const rspg_tls_peer *peer, const rspg_tls_ca *cas, size_t n_cas, rspg_role role,
                    int64_t time, rspg_verdict *out)
{
    memset(out, 0, sizeof(*out));
    rspg_verifier *v = rspg_verifier_new(time);
    rspg_diag tmp;
    rspg_diag_init(&tmp);
    for (size_t i = 0; i < n_cas; i++)
        rspg_verifier_add_cert(v, cas[i].name, cas[i].der, cas[i].len, cas[i].anchor,
                               cas[i].anchor ? (int)RSPG_ROLE_CI : -1, &tmp);
    char name[40];
    for (size_t i = 1; i < peer->n; i++) {
        snprintf(name, sizeof(name), "sent certificate %zu", i + 1);
        rspg_verifier_add_cert(v, name, peer->certs[i].data, peer->certs[i].len, 0, -1, &tmp);
    }
    int leaf = -2;
    rspg_diag_fini(&tmp);
    rspg_diag_init(&tmp);
    if (peer->n > 0)
        leaf = rspg_verifier_add_cert(v, "server certificate", peer->certs[0].data,
                                      peer->certs[0].len, 0, (int)role, &tmp);
    if (leaf < 0) {
        fail_out(out, rspg_violation_def_of(RSPG_V_FORMAT)->check, "server certificate");
        snprintf(out->message, sizeof(out->message), "%s",
                 tmp.count ? tmp.entries[0].message : "the server sent no certificate");
    } else {
        rspg_verifier_check(v, leaf, out);
    }
    char why[400];
    if (out->valid && rspg_tls_host_matches(peer->certs[0].data, peer->certs[0].len, peer->host,
                                            why, sizeof(why)) != 1) {
        fail_out(out, "hostname", "server certificate");
        snprintf(out->message, sizeof(out->message),
                 "the host name '%.120s' is not in the subjectAltName of the server "
                 "certificate (%.200s; RFC 6125 §6.4)",
                 peer->host, why);
    }
    rspg_diag_fini(&tmp);
    rspg_verifier_free(v);
}
