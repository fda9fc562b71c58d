/*
 * model_details.c: what the report tells of each certificate beyond the manifest: the text
 * `show` prints (check/show.h), the lint findings against its role and variant
 * (check/lint.h), and the verdict of rsp-pkigen's verifier over the whole folder
 * (check/verify.h, rspg_verify_dir: SGP.22 §4.5.2.2 path validation with the SGP.22 reason).
 * Nothing is decoded here: these modules read the certificates through x509/cert_info.h.
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "rspg/check/show.h"
#include "rspg/check/verify.h"
#include "rspg/rsp/role.h"

static char *first_message(const rspg_diag *d)
{
    return d->count ? rspg_diag_format(&d->entries[0]) : rspg_xstrdup("cannot be decoded");
}

static void show_one(rspg_report_cert *c, const char *full)
{
    rspg_show_options so = {0};
    rspg_buf out;
    rspg_diag d;
    rspg_buf_init(&out);
    rspg_diag_init(&d);
    if (rspg_show_file(full, &so, &out, &d) == RSPG_OK) {
        rspg_buf_push(&out, 0);
        c->show = (char *)out.data;
    } else {
        c->show_error = first_message(&d);
        rspg_buf_free(&out);
    }
    rspg_diag_fini(&d);
}

/* SGP.22 §4.5.2 profiles apply to X.509 certificates; card certificates are not linted. */
static void lint_one(rspg_report_cert *c, const char *full)
{
    if (strcmp(c->kind, "certificate") != 0)
        return;
    rspg_role role;
    rspg_lint_options lo = {.role = -1, .variant = c->n_variants ? c->variants[0] : NULL};
    if (c->role && rspg_role_parse(c->role, &role) == 0)
        lo.role = (int)role;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_status rc = rspg_lint_file(full, &lo, &c->lint, &d);
    if (rc == RSPG_E_USAGE) { /* a variant lint does not know: lint by the policy's arc */
        rspg_lint_result_free(&c->lint);
        lo.variant = NULL;
        rc = rspg_lint_file(full, &lo, &c->lint, &d);
    }
    c->linted = 1;
    if (rc != RSPG_OK && c->show_error == NULL)
        c->show_error = first_message(&d);
    rspg_diag_fini(&d);
}

static void take_verdicts(rspg_report_model *m, const rspg_verify_result *res)
{
    for (size_t i = 0; i < res->n_items; i++) {
        const rspg_verify_item *it = &res->items[i];
        int done = 0;
        for (size_t c = 0; c < m->n_certs && !done; c++)
            for (size_t k = 0; k < m->certs[c].n_paths && !done; k++)
                if (strcmp(m->certs[c].paths[k], it->path) == 0 && !m->certs[c].has_verdict) {
                    m->certs[c].has_verdict = 1;
                    m->certs[c].agrees = it->agrees;
                    m->certs[c].verdict = it->verdict;
                    done = 1;
                }
        for (size_t r = 0; r < m->n_crls && !done; r++)
            if (strcmp(m->crls[r].path, it->path) == 0) {
                m->crls[r].has_verdict = 1;
                m->crls[r].agrees = it->agrees;
                m->crls[r].verdict = it->verdict;
                done = 1;
            }
    }
    m->verified = res->certificates;
    m->agreed = res->agreed;
    m->disagreed = res->disagreed;
}

void rspg_report_details(rspg_report_model *m, int has_at, int64_t at)
{
    for (size_t i = 0; i < m->n_certs; i++) {
        char *full = rspg_xasprintf("%s/%s", m->dir, m->certs[i].paths[0]);
        show_one(&m->certs[i], full);
        lint_one(&m->certs[i], full);
        free(full);
    }
    rspg_verify_options vo = {.has_time = has_at, .time = at};
    rspg_verify_result res = {0};
    rspg_diag d; /* disagreements are shown on the page, not reported as errors */
    rspg_diag_init(&d);
    rspg_verify_dir(m->dir, &vo, &d, &res);
    take_verdicts(m, &res);
    rspg_verify_result_free(&res);
    rspg_diag_fini(&d);
}
