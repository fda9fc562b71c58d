/*
 * probe_flow.c: the conformance run of `rsp-pkigen probe` (SGP.22 §5.6.3): the cases of the
 * build (probe_cases.c), one ES9+ session each (es9/es9_session.c), and each verdict
 * (es9/probe_verdict.c). A server that cannot be reached or does not speak ES9+ stops the run
 * at the first case.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe_internal.h"
#include "rspg/es9/es9_client.h"

/* The TLS trust anchors: --ca, else a bundle of the chosen CI certificates (SGP.22 §2.6.6). */
static char *ca_bundle(const rspg_probe_options *o, const probe_cases *pc, rspg_diag *d)
{
    if (o->ca_file)
        return rspg_xstrdup(o->ca_file);
    if (!pc->ci_pem[0] || !pc->ci_pem[1])
        return rspg_xstrdup(pc->ci_pem[0] ? pc->ci_pem[0] : pc->ci_pem[1]);
    char tmpl[] = "/tmp/rsp-pkigen-probe-ca-XXXXXX";
    int fd = mkstemp(tmpl);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    for (int i = 0; f && i < 2; i++) {
        FILE *in = fopen(pc->ci_pem[i], "r");
        char buf[4096];
        size_t n;
        while (in && (n = fread(buf, 1, sizeof(buf), in)) > 0)
            fwrite(buf, 1, n, f);
        if (in)
            fclose(in);
    }
    if (!f || fclose(f) != 0) {
        rspg_fail(d, RSPG_E_IO, "cannot write a CA bundle in /tmp");
        return NULL;
    }
    return rspg_xstrdup(tmpl);
}

static void judge(rspg_probe_row *r)
{
    const rspg_es9_session_result *g = &r->got;
    if (g->server_fault[0] && (!g->answered || g->auth.success)) {
        r->verdict = RSPG_PROBE_SERVER_FAULT;
        snprintf(r->note + strlen(r->note), sizeof(r->note) - strlen(r->note), "%s%s",
                 r->note[0] ? "; " : "", g->server_fault);
        return;
    }
    r->verdict = rspg_probe_compare(&r->expect, &g->auth);
    const char *what = g->downloaded ? g->detail : NULL;
    if (r->verdict == RSPG_PROBE_SERVER_FAULT && !r->expect.accept)
        what = "the server accepted what SGP.22 requires it to reject";
    else if (r->verdict == RSPG_PROBE_SERVER_FAULT)
        what = "the server rejected a valid eUICC";
    else if (r->expect.accept && !g->auth.success)
        what = "authenticated; no profile for this matchingId (8.2)";
    if (what)
        snprintf(r->note + strlen(r->note), sizeof(r->note) - strlen(r->note), "%s%s",
                 r->note[0] ? "; " : "", what);
}

/* Runs case C into row R; RSPG_E_IO stops the run. */
static rspg_status run_case(rspg_es9_client *cl, const rspg_probe_options *o, int64_t now,
                            const probe_case *c, rspg_probe_row *r, rspg_diag *d)
{
    r->case_id = rspg_xstrdup(c->id);
    r->curve = c->curve;
    r->euicc = rspg_xstrdup(c->euicc_path);
    probe_case_expect(c, now, &r->expect, r->note, sizeof(r->note));
    rspg_key key = {0};
    rspg_status rc = c->key_path
                         ? rspg_key_load_file(c->key_path, d, &key)
                         : rspg_fail(d, RSPG_E_INPUT, "%s: no key in the manifest", c->euicc_path);
    if (rc != RSPG_OK)
        return rc;
    rspg_es9_euicc e = {c->euicc.data,
                        c->eum.data,
                        c->ci.data,
                        c->euicc.len,
                        c->eum.len,
                        c->ci.len,
                        &key,
                        o->matching_id,
                        c->corrupt_signature1,
                        c->wrong_challenge,
                        now};
    rc = rspg_es9_session_run(cl, &e, &r->got, d);
    rspg_key_free(&key);
    if (rc == RSPG_OK) {
        r->ran = 1;
        judge(r);
    } else if (rc != RSPG_E_IO) {
        r->verdict = RSPG_PROBE_ERROR;
        rc = RSPG_OK;
    }
    return rc;
}

/* Moves the messages of FROM into D; FROM is emptied. */
static void take_diag(rspg_diag *d, rspg_diag *from)
{
    for (size_t i = 0; i < from->count; i++)
        rspg_diag_add(d, from->entries[i].severity, (rspg_loc){0}, "%s", from->entries[i].message);
    rspg_diag_fini(from);
}

/* Case I of PC into a new row of RES. A transport failure (RSPG_E_IO) stops the run; when
 * libcurl refused a TLS certificate that rsp-pkigen rejected too, the failure is the tls
 * row's (its note gets libcurl's words), the row is dropped and the run stops with
 * RSPG_E_VERIFY. */
static rspg_status run_one(rspg_es9_client *cl, const rspg_probe_options *o, int64_t now,
                           const probe_case *c, rspg_diag *d, rspg_probe_result *res)
{
    rspg_probe_row *r = &res->rows[res->n++];
    rspg_diag cd;
    rspg_diag_init(&cd);
    rspg_status rc = run_case(cl, o, now, c, r, &cd);
    rspg_probe_tls *t = &res->tls;
    if (rc == RSPG_E_IO && t->checked && !t->verdict.valid && rspg_es9_client_tls_refused(cl)) {
        t->libcurl_refused = 1;
        size_t n = strlen(t->note);
        snprintf(t->note + n, sizeof(t->note) - n,
                 "; libcurl refused the handshake too (%s): no eUICC case was run",
                 cd.count ? cd.entries[0].message : "?");
        free(r->case_id);
        free(r->euicc);
        memset(r, 0, sizeof(*r));
        res->n--;
        rspg_diag_fini(&cd);
        return RSPG_E_VERIFY;
    }
    take_diag(d, &cd);
    res->pass += r->ran && r->verdict == RSPG_PROBE_PASS;
    res->other_code += r->ran && r->verdict == RSPG_PROBE_OTHER_CODE;
    res->server_faults += r->ran && r->verdict == RSPG_PROBE_SERVER_FAULT;
    res->errors += !r->ran || r->verdict == RSPG_PROBE_ERROR;
    return rc;
}

static rspg_status run_all(const rspg_probe_options *o, int64_t now, const probe_cases *pc,
                           const char *ca, rspg_diag *d, rspg_probe_result *res)
{
    unsigned curves = o->curves ? o->curves : RSPG_PROBE_NIST;
    rspg_es9_options eo = {o->url, ca, o->insecure_http, curves == RSPG_PROBE_BRP, o->timeout_s};
    rspg_es9_client *cl = NULL;
    rspg_status rc = rspg_es9_client_new(&eo, d, &cl);
    if (rc == RSPG_OK)
        rc = probe_tls_run(o, &eo, now, d, &res->tls);
    res->rows = rspg_xcalloc(pc->n ? pc->n : 1, sizeof(*res->rows));
    for (size_t i = 0; rc == RSPG_OK && i < pc->n; i++)
        if (!pc->v[i].template_only)
            rc = run_one(cl, o, now, &pc->v[i], d, res);
    rspg_es9_client_free(cl);
    int tls_fault = res->tls.checked && res->tls.result == RSPG_PROBE_SERVER_FAULT;
    if (rc == RSPG_OK && (res->server_faults || res->errors || tls_fault))
        rc = RSPG_E_VERIFY;
    return rc;
}

rspg_status rspg_probe_run(const rspg_probe_options *o, rspg_diag *d, rspg_probe_result *res)
{
    memset(res, 0, sizeof(*res));
    rspg_probe_options opt = *o;
    if (!opt.variant)
        opt.variant = "O";
    int64_t now = o->has_time ? o->time : (int64_t)time(NULL);
    probe_cases pc;
    rspg_status rc = probe_cases_load(&opt, now, d, &pc);
    if (rc == RSPG_E_IO)
        rc = RSPG_E_INPUT; /* a file of the build: RSPG_E_IO is kept for the server */
    char *ca = rc == RSPG_OK ? ca_bundle(&opt, &pc, d) : NULL;
    if (rc == RSPG_OK && !ca)
        rc = RSPG_E_IO;
    if (rc == RSPG_OK)
        rc = run_all(&opt, now, &pc, ca, d, res);
    if (ca && !opt.ca_file && pc.ci_pem[0] && pc.ci_pem[1])
        remove(ca);
    free(ca);
    probe_cases_free(&pc);
    return rc;
}

void rspg_probe_result_free(rspg_probe_result *res)
{
    for (size_t i = 0; i < res->n; i++) {
        free(res->rows[i].case_id);
        free(res->rows[i].euicc);
    }
    free(res->rows);
    memset(res, 0, sizeof(*res));
}
