/*
 * mint_self_check.c: the first certificate of a mint run, validated before anything is
 * written (mint_self_check.h).
 */
#include "rspg/flow/mint_self_check.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/check/verify.h"
#include "rspg/x509/x509.h"

struct first {
    rspg_buf cert;
    char eid[RSPG_EID_LEN + 1];
    size_t line_len;
};

static int keep_first(void *ctx, const rspg_mint_record *recs, size_t n, rspg_diag *d)
{
    struct first *f = ctx;
    (void)d;
    if (n > 0 && f->cert.len == 0) {
        rspg_buf_append(&f->cert, recs[0].cert, recs[0].cert_len);
        memcpy(f->eid, recs[0].eid, sizeof(f->eid));
        f->line_len = recs[0].line_len;
    }
    return 0;
}

/* Reads DER (NAME in messages): raises *LATEST to its notBefore; *SELF: self-signed. */
static int scan(const char *name, const uint8_t *der, size_t len, int64_t *latest, int *self,
                rspg_diag *d)
{
    rspg_x509 x;
    if (rspg_x509_read_named(der, len, name, &x, d) != RSPG_OK)
        return -1;
    *self = x.subject.len == x.issuer.len &&
            memcmp(x.subject.value, x.issuer.value, x.subject.len) == 0;
    if (x.not_before > *latest)
        *latest = x.not_before;
    return 0;
}

/* Validates the certificate F under the issuer and the chain; see the header. */
static rspg_status judge(const rspg_mint_options *o, const struct first *f,
                         const uint8_t *const *chain, const size_t *lens, size_t n, rspg_diag *d,
                         int *checked, rspg_verdict *out)
{
    int64_t at = 0; /* the first moment every certificate of the path is valid */
    int self = 0, root = 0;
    int *anchor = rspg_xcalloc(n + 1, sizeof(int));
    rspg_status rc = RSPG_OK;
    if (scan("the issuer certificate", o->issuer_cert, o->issuer_cert_len, &at, &self, d) != 0 ||
        scan("the first eUICC certificate", f->cert.data, f->cert.len, &at, &self, d) != 0)
        rc = RSPG_E_USAGE;
    for (size_t i = 0; rc == RSPG_OK && i < n; i++) {
        if (scan("a chain certificate", chain[i], lens[i], &at, &anchor[i], d) != 0)
            rc = RSPG_E_USAGE;
        root |= anchor[i];
    }
    if (rc == RSPG_OK && root) {
        rspg_verifier *v = rspg_verifier_new(at);
        int leaf = -1;
        if (rspg_verifier_add_cert(v, "the issuer", o->issuer_cert, o->issuer_cert_len, 0, -1, d) >=
            0)
            leaf =
                rspg_verifier_add_cert(v, f->eid, f->cert.data, f->cert.len, 0, RSPG_ROLE_EUICC, d);
        for (size_t i = 0; i < n; i++)
            if (rspg_verifier_add_cert(v, "a chain certificate", chain[i], lens[i], anchor[i], -1,
                                       d) < 0)
                leaf = -1;
        if (leaf >= 0) {
            rspg_verifier_check(v, leaf, out);
            *checked = 1;
        } else {
            rc = RSPG_E_USAGE;
        }
        rspg_verifier_free(v);
    }
    free(anchor);
    if (rc != RSPG_OK || !*checked || out->valid)
        return rc;
    return rspg_fail(d, RSPG_E_VERIFY,
                     "self-check: the first eUICC certificate (EID %s) would be invalid: check "
                     "%s failed (%s): %s; nothing was written",
                     f->eid, out->check ? out->check : "?", out->reason ? out->reason : "?",
                     out->message);
}

rspg_status rspg_mint_self_check(const rspg_mint_options *o, const uint8_t *const *chain,
                                 const size_t *chain_lens, size_t n_chain, rspg_diag *d,
                                 int *checked, rspg_verdict *out, size_t *record_len)
{
    struct first f;
    memset(&f, 0, sizeof(f));
    memset(out, 0, sizeof(*out));
    *checked = 0;
    rspg_buf_init(&f.cert);
    rspg_mint_options one = *o;
    one.start = 0;
    one.count = 1;
    one.end = 0;
    one.threads = 1;
    one.sink = keep_first;
    one.sink_ctx = &f;
    one.progress = NULL;
    rspg_status rc = rspg_mint(&one, d);
    if (rc == RSPG_OK && f.cert.len == 0)
        rc = rspg_fail(d, RSPG_E_CRYPTO, "self-check: no certificate was minted");
    *record_len = f.line_len;
    if (rc == RSPG_OK)
        rc = judge(o, &f, chain, chain_lens, n_chain, d, checked, out);
    rspg_buf_free(&f.cert);
    return rc;
}
