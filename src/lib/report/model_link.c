/*
 * model_link.c: the report model's links: each certificate's issuer and valid twin (by the
 * manifest's paths), the group (variant, root curve) of each certificate, and the subject
 * CN and signature of each certificate, decoded once by the single reader (x509/cert_info.h).
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "rspg/asn1/pem.h"
#include "rspg/x509/cert_info.h"

/* The certificate with a file at PATH; -1 when none. */
static int find_path(const rspg_report_model *m, const char *path)
{
    if (path == NULL)
        return -1;
    for (size_t i = 0; i < m->n_certs; i++)
        for (size_t k = 0; k < m->certs[i].n_paths; k++)
            if (strcmp(m->certs[i].paths[k], path) == 0)
                return (int)i;
    return -1;
}

/* The curve of the root C's issuer chain ends in (SGP.22 §2.6.5: one curve per chain). */
static const char *root_curve(const rspg_report_model *m, size_t c)
{
    size_t at = c;
    for (int hops = 0; hops < 32 && m->certs[at].issuer >= 0; hops++)
        at = (size_t)m->certs[at].issuer;
    const char *curve = m->certs[at].curve;
    return curve ? curve : "unknown";
}

static int variant_rank(const char *v)
{
    static const char *const order[] = {"O", "Ov3", "A", "B", "C"};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if (strcmp(v, order[i]) == 0)
            return (int)i;
    return 100;
}

static int curve_rank(const char *c)
{
    return strcmp(c, "prime256v1") == 0 ? 0 : strcmp(c, "brainpoolP256r1") == 0 ? 1 : 2;
}

static int group_cmp(const void *a, const void *b)
{
    const rspg_report_group *x = a, *y = b;
    int d = variant_rank(x->variant) - variant_rank(y->variant);
    if (d == 0)
        d = strcmp(x->variant, y->variant);
    if (d == 0)
        d = curve_rank(x->curve) - curve_rank(y->curve);
    return d ? d : strcmp(x->curve, y->curve);
}

static void add_group(rspg_report_model *m, const char *variant, const char *curve)
{
    for (size_t i = 0; i < m->n_groups; i++)
        if (strcmp(m->groups[i].variant, variant) == 0 && strcmp(m->groups[i].curve, curve) == 0)
            return;
    m->groups = rspg_xrealloc(m->groups, (m->n_groups + 1) * sizeof(*m->groups));
    m->groups[m->n_groups].variant = rspg_xstrdup(variant);
    m->groups[m->n_groups].curve = curve;
    m->n_groups++;
}

void rspg_report_link(rspg_report_model *m)
{
    for (size_t i = 0; i < m->n_certs; i++) {
        rspg_report_cert *c = &m->certs[i];
        int is = find_path(m, c->issuer_path);
        c->issuer = is == (int)i ? -1 : is;
        c->twin = find_path(m, c->twin_path);
    }
    for (size_t i = 0; i < m->n_certs; i++) {
        rspg_report_cert *c = &m->certs[i];
        c->group_curve = root_curve(m, i);
        for (size_t v = 0; v < c->n_variants; v++)
            add_group(m, c->variants[v], c->group_curve);
        if (c->n_variants == 0)
            add_group(m, "-", c->group_curve);
    }
    qsort(m->groups, m->n_groups, sizeof(*m->groups), group_cmp);
}

int rspg_report_in_group(const rspg_report_cert *c, const rspg_report_group *g)
{
    if (strcmp(c->group_curve, g->curve) != 0)
        return 0;
    if (c->n_variants == 0)
        return strcmp(g->variant, "-") == 0;
    for (size_t v = 0; v < c->n_variants; v++)
        if (strcmp(c->variants[v], g->variant) == 0)
            return 1;
    return 0;
}

int rspg_report_parent_in(const rspg_report_model *m, size_t c, const rspg_report_group *g)
{
    int p = m->certs[c].issuer;
    return p >= 0 && rspg_report_in_group(&m->certs[p], g) ? p : -1;
}

static void read_one(rspg_report_cert *c, const char *dir)
{
    char *full = rspg_xasprintf("%s/%s", dir, c->paths[0]);
    rspg_buf der;
    rspg_buf_init(&der);
    rspg_cert_info ci;
    rspg_diag d;
    rspg_diag_init(&d);
    if (strcmp(c->kind, "certificate") == 0 && rspg_read_der_file(full, "CERTIFICATE", &der) == 0 &&
        rspg_cert_info_read(der.data, der.len, RSPG_CI_LENIENT, &ci, &d) == RSPG_OK) {
        char cn[256];
        if (rspg_cert_info_text(&ci.subject_cn, cn, sizeof(cn)) == 0)
            c->cn = rspg_xstrdup(cn);
        if (ci.x.sig.len > 0) {
            c->sig = rspg_xmalloc(ci.x.sig.len);
            memcpy(c->sig, ci.x.sig.value, ci.x.sig.len);
            c->sig_len = ci.x.sig.len;
        }
    }
    if (c->cn == NULL)
        c->cn = rspg_xstrdup(c->name ? c->name : c->paths[0]);
    rspg_diag_fini(&d);
    rspg_buf_free(&der);
    free(full);
}

void rspg_report_read_certs(rspg_report_model *m)
{
    for (size_t i = 0; i < m->n_certs; i++)
        read_one(&m->certs[i], m->dir);
}

static char *join_unique(const rspg_report_model *m, int curves)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (size_t i = 0; i < m->n_groups; i++) {
        const char *s = curves ? m->groups[i].curve : m->groups[i].variant;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(s, curves ? m->groups[k].curve : m->groups[k].variant) == 0;
        if (seen)
            continue;
        if (b.len)
            rspg_buf_puts(&b, ", ");
        rspg_buf_puts(&b, s);
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

char *rspg_report_variants_text(const rspg_report_model *m)
{
    return join_unique(m, 0);
}

char *rspg_report_curves_text(const rspg_report_model *m)
{
    return join_unique(m, 1);
}
