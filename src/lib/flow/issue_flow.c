/*
 * issue_flow.c: `issue` (issue_flow.h): the request or public key is read and its curve
 * checked (SGP.22 §2.6.5), the issuer read and its key checked, the template entity found in
 * the profile, its subject, serial and validity set for this certificate, the certificate
 * issued by the build's code (issue/reissue.h), linted against its role (check/lint.h), and
 * written with a manifest, atomically (issue/output.h).
 */
#include "rspg/flow/issue_flow.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/dn_attr.h"
#include "rspg/asn1/oid.h"
#include "rspg/base/clock.h"
#include "rspg/check/lint.h"
#include "rspg/flow/mint_flow.h"
#include "rspg/issue/manifest.h"
#include "rspg/issue/mint_cert.h"
#include "rspg/issue/mint_issuer.h"
#include "rspg/issue/output.h"
#include "rspg/issue/reissue.h"
#include "rspg/profile/cvc_spec.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/csr.h"

typedef struct issue_ctx {
    const rspg_issue_flow_options *o;
    rspg_diag *d;
    const char *key_file; /* the request or public-key file */
    rspg_csr csr;
    rspg_mint_issuer iss;
    int iss_role, iss_v3; /* the issuer certificate's role (-1: none) and arc */
    rspg_role role;
    const char *variant;
    char *profile_path;
    rspg_profile *p;
    rspg_entity *tpl;
    const rspg_curve_def *cd;
    int64_t nb, na;
    char *serial;
    rspg_build_result r;
} issue_ctx;

static char *escape_value(const char *s, size_t n)
{
    rspg_buf b;
    rspg_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '$' && i + 1 < n && s[i + 1] == '{')
            rspg_buf_push(&b, '$');
        rspg_buf_push(&b, (uint8_t)s[i]);
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

/* One "KEY=VALUE" of a subject (escapes already removed) appended to DN. */
static rspg_status subject_attr(const char *text, const char *kv, rspg_diag *d, rspg_dn *dn)
{
    const char *eq = strchr(kv, '=');
    char *key = eq ? rspg_xstrndup(kv, (size_t)(eq - kv)) : NULL;
    const rspg_dn_attr *a = key ? rspg_dn_attr_by_name(key) : NULL;
    if (a == NULL || eq[1] == '\0') {
        rspg_status rc =
            rspg_fail(d, RSPG_E_USAGE,
                      key ? "--subject '%s': unknown attribute or empty value in '%s' (known: CN, "
                            "O, OU, C, L, ST, serialNumber, ...)"
                          : "--subject '%s': '%s' is not KEY=VALUE",
                      text, kv);
        free(key);
        return rc;
    }
    dn->attrs = rspg_xrealloc(dn->attrs, (dn->count + 1) * sizeof(*dn->attrs));
    rspg_attr *at = &dn->attrs[dn->count++];
    memset(at, 0, sizeof(*at));
    at->key = key;
    at->oid = rspg_xstrdup(a->oid);
    at->value = escape_value(eq + 1, strlen(eq + 1));
    at->type = a->der_tag == RSPG_DER_PRINTABLESTRING ? RSPG_STR_PRINTABLE
               : a->der_tag == RSPG_DER_IA5STRING     ? RSPG_STR_IA5
                                                      : RSPG_STR_UTF8;
    return RSPG_OK;
}

rspg_status rspg_issue_parse_subject(const char *text, rspg_diag *d, rspg_dn *dn)
{
    rspg_dn out = {NULL, 0};
    rspg_status rc = RSPG_OK;
    if (text[0] != '/' || text[1] == '\0')
        return rspg_fail(d, RSPG_E_USAGE, "--subject '%s' must look like /O=ACME/CN=name", text);
    rspg_buf cur;
    rspg_buf_init(&cur);
    for (const char *p = text + 1; rc == RSPG_OK; p++) {
        if (*p == '\\' && p[1]) {
            rspg_buf_push(&cur, (uint8_t) * ++p);
            continue;
        }
        if (*p != '/' && *p != '\0') {
            rspg_buf_push(&cur, (uint8_t)*p);
            continue;
        }
        rspg_buf_push(&cur, 0);
        rc = subject_attr(text, (const char *)cur.data, d, &out);
        rspg_buf_reset(&cur);
        if (*p == '\0')
            break;
    }
    rspg_buf_free(&cur);
    if (rc != RSPG_OK) {
        rspg_dn_free(&out);
        return rc;
    }
    rspg_dn_free(dn);
    *dn = out;
    return RSPG_OK;
}

/* The request or public key, on a curve SGP.22 §2.6.5 allows. */
static rspg_status read_key(issue_ctx *c)
{
    const rspg_issue_flow_options *o = c->o;
    c->key_file = o->csr ? o->csr : o->public_key;
    rspg_status rc =
        rspg_csr_read_file(c->key_file, o->csr ? RSPG_CSR_REQUEST : RSPG_CSR_PUBLIC, c->d, &c->csr);
    if (rc == RSPG_E_IO)
        return RSPG_E_USAGE;
    if (rc == RSPG_OK && !rspg_rule_curve_allowed(c->csr.key.curve->oid))
        rc = rspg_fail(c->d, RSPG_E_INPUT,
                       "%s: the key is on %s; a %s certificate must be on prime256v1 or "
                       "brainpoolP256r1 (SGP.22 section 2.6.5)",
                       c->key_file, c->csr.key.curve->name, rspg_role_name(c->role));
    return rc;
}

/* The issuer: certificate and key, the key its certificate's, on the request's curve, of a
 * role that may issue ROLE on the variant's arc. */
static rspg_status read_issuer(issue_ctx *c)
{
    const rspg_issue_flow_options *o = c->o;
    rspg_mint_cert_info info;
    rspg_status rc = rspg_mint_issuer_from_files(o->issuer_cert, o->issuer_key, c->d, &c->iss);
    if (rc == RSPG_OK)
        rc = rspg_mint_issuer_check_key(&c->iss, c->d);
    if (rc == RSPG_OK)
        rc = rspg_mint_read_cert(c->iss.cert.data, c->iss.cert.len, o->issuer_cert, c->d, &info);
    if (rc != RSPG_OK)
        return rc;
    c->iss_role = info.role;
    c->iss_v3 = info.v3;
    if (c->iss.key.curve != c->csr.key.curve)
        return rspg_fail(c->d, RSPG_E_INPUT,
                         "%s: the key is on %s but the issuer's is on %s (one curve per chain, "
                         "SGP.22 section 4.5.2.2)",
                         c->key_file, c->csr.key.curve->name, c->iss.key.curve->name);
    if (info.role >= 0 && !rspg_role_may_issue((rspg_role)info.role, c->role))
        return rspg_fail(c->d, RSPG_E_USAGE, "%s: a %s certificate cannot issue a %s certificate",
                         o->issuer_cert, rspg_role_name((rspg_role)info.role),
                         rspg_role_name(c->role));
    int v3 = strcmp(c->variant, "O") != 0;
    if (info.role >= 0 && info.v3 != v3)
        return rspg_fail(c->d, RSPG_E_USAGE,
                         "%s: the issuer's policy is on the %s arc, but Variant %s uses the %s "
                         "arc (--variant %s)",
                         o->issuer_cert, info.v3 ? "v3" : "v2", c->variant, v3 ? "v3" : "v2",
                         info.v3 ? "Ov3, A, B or C" : "O");
    return RSPG_OK;
}

static int has_variant(const rspg_entity *e, const char *v)
{
    for (size_t i = 0; i < e->n_variants; i++)
        if (strcmp(e->variants[i], v) == 0)
            return 1;
    return 0;
}

/* Is E a template for the certificate: the role, the variant, valid, issued by an entity
 * of the issuer certificate's role? */
static int is_template(const issue_ctx *c, const rspg_entity *e)
{
    if (e->role != c->role || !has_variant(e, c->variant) || e->issuer == NULL || e->untrusted ||
        (e->expect && strcmp(e->expect, "valid") != 0))
        return 0;
    const rspg_entity *ie = rspg_profile_find(c->p, e->issuer);
    return ie && (c->iss_role < 0 || (int)ie->role == c->iss_role);
}

/* The first template entity of the profile with an instance on the key's curve. */
static rspg_status find_template(issue_ctx *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->p->n_entities && c->tpl == NULL; i++) {
        rspg_entity *e = &c->p->entities[i];
        if (!is_template(c, e))
            continue;
        n++;
        for (size_t k = 0; k < e->n_curves && c->tpl == NULL; k++) {
            const rspg_curve_def *cd = rspg_profile_curve(c->p, e->curves[k]);
            if (cd && cd->curve == c->csr.key.curve) {
                c->tpl = e;
                c->cd = cd;
            }
        }
    }
    if (c->tpl)
        return RSPG_OK;
    if (n == 0)
        return rspg_fail(c->d, RSPG_E_PROFILE,
                         "%s: no valid %s certificate of Variant %s issued by a %s to take as "
                         "the template",
                         c->profile_path, rspg_role_name(c->role), c->variant,
                         c->iss_role >= 0 ? rspg_role_name((rspg_role)c->iss_role) : "CA");
    return rspg_fail(c->d, RSPG_E_INPUT, "%s: the profile's %s of Variant %s is not issued on %s",
                     c->key_file, rspg_role_name(c->role), c->variant, c->csr.key.curve->name);
}

/* The template's CN value, or NULL. */
static const char *cn_of(const rspg_dn *dn)
{
    for (size_t i = 0; i < dn->count; i++)
        if (strcmp(dn->attrs[i].oid, RSPG_OID_AT_CN) == 0)
            return dn->attrs[i].value;
    return NULL;
}

/* The template's key source: the request or public-key file (for the manifest). */
static void set_key_source(issue_ctx *c)
{
    rspg_key_spec *k = &c->tpl->key;
    free(k->file);
    free(k->from);
    free(k->pkcs11);
    k->from = k->pkcs11 = NULL;
    k->file = rspg_xstrdup(c->key_file);
    k->source = c->o->csr ? RSPG_KEY_CSR : RSPG_KEY_PUBLIC;
}

/* The new subject: --subject, else the request's (when it names one); a subjectAltName
 * dNSName equal to the template's CN follows the new CN. */
static rspg_status set_subject(issue_ctx *c)
{
    set_key_source(c);
    rspg_dn dn = {NULL, 0};
    rspg_status rc = RSPG_OK;
    if (c->o->subject)
        rc = rspg_issue_parse_subject(c->o->subject, c->d, &dn);
    else if (c->csr.subject.len > 2)
        rc = rspg_csr_subject_dn(c->csr.subject.data, c->csr.subject.len, c->key_file, c->d, &dn);
    if (rc != RSPG_OK || dn.count == 0)
        return rc;
    const char *old_cn = cn_of(&c->tpl->subject), *new_cn = cn_of(&dn);
    for (size_t i = 0; old_cn && new_cn && i < c->tpl->n_exts; i++) {
        rspg_ext *x = &c->tpl->exts[i];
        for (size_t k = 0; x->kind == RSPG_EXT_SAN && k < x->n_names; k++)
            if (x->names[k].kind == RSPG_GN_DNS && strcmp(x->names[k].value, old_cn) == 0) {
                free(x->names[k].value);
                x->names[k].value = rspg_xstrdup(new_cn);
            }
    }
    rspg_dn_free(&c->tpl->subject);
    c->tpl->subject = dn;
    return RSPG_OK;
}

/* Validity (the clock plus the days asked, else the template's length) and serial. */
static rspg_status set_dates_serial(issue_ctx *c)
{
    rspg_clock clk;
    rspg_status rc = rspg_clock_resolve(c->o->has_clock, c->o->clock, NULL, c->d, &clk);
    if (rc != RSPG_OK)
        return rc;
    long long days = c->o->days ? c->o->days : c->tpl->validity_days;
    const char *nbs = rspg_per_curve_get(&c->tpl->not_before, c->cd->key);
    const char *nas = rspg_per_curve_get(&c->tpl->not_after, c->cd->key);
    int64_t tnb, tna;
    if (days <= 0 && nbs && nas && rspg_parse_rfc3339(nbs, &tnb) == 0 &&
        rspg_parse_rfc3339(nas, &tna) == 0)
        days = (tna - tnb) / 86400;
    c->nb = clk.time;
    c->na = clk.time + (int64_t)(days > 0 ? days : 365) * 86400;
    rspg_reissue_set_validity(c->tpl, c->cd->key, c->nb, c->na);
    if (c->o->serial) {
        rspg_buf b;
        rspg_buf_init(&b);
        int bad = rspg_unhex(c->o->serial, &b) != 0 || b.len == 0 || b.len > 20;
        rspg_buf_free(&b);
        if (bad)
            return rspg_fail(c->d, RSPG_E_USAGE,
                             "--serial takes 1 to 20 bytes of hex (even number of digits), not "
                             "'%s'",
                             c->o->serial);
        c->serial = rspg_xstrdup(c->o->serial);
    } else {
        c->serial =
            rspg_reissue_serial(c->iss.cert.data, c->iss.cert.len, &c->csr.key, NULL, c->nb, c->na);
    }
    rspg_reissue_set_serial(c->tpl, c->cd->key, c->serial);
    return RSPG_OK;
}

/* The profile (given, or the default one) with --var and --set. */
static rspg_status load_profile(issue_ctx *c)
{
    c->profile_path = c->o->profile ? rspg_xstrdup(c->o->profile) : rspg_mint_default_profile(c->d);
    if (c->profile_path == NULL)
        return RSPG_E_USAGE;
    rspg_status rc = rspg_profile_load_file_ex(c->profile_path, c->o->load, c->d, &c->p);
    return rc == RSPG_E_IO ? RSPG_E_PROFILE : rc;
}

/* The certificate issued from the template under the given issuer. */
static rspg_status issue_it(issue_ctx *c, rspg_build_options *bo)
{
    rspg_reissue_preset presets[2] = {
        {.entity = c->tpl->issuer,
         .curve = c->cd->key,
         .cert = c->iss.cert.data,
         .cert_len = c->iss.cert.len,
         .cert_path = c->o->issuer_cert,
         .key = &c->iss.key},
        {.entity = c->tpl->id,
         .curve = c->cd->key,
         .key = &c->csr.key,
         .public_only = 1,
         .key_origin = c->key_file},
    };
    rspg_reissue_target target = {c->tpl->id, c->cd->key};
    rspg_reissue_options ro = {bo, presets, 2, &target, 1};
    return rspg_reissue(c->p, &ro, c->d, &c->r);
}

/* The issued certificate (its DER file, else the first), or NULL. */
static const rspg_artifact *issued_cert(const rspg_build_result *r)
{
    const rspg_artifact *any = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].kind == RSPG_ART_CERT) {
            if (!r->items[i].pem)
                return &r->items[i];
            any = any ? any : &r->items[i];
        }
    return any;
}

/* Lints the issued certificate against its role and variant: any error refuses it. */
static rspg_status lint_it(issue_ctx *c)
{
    const rspg_artifact *a = issued_cert(&c->r);
    if (a == NULL)
        return rspg_fail(c->d, RSPG_E_PROFILE, "the template '%s' writes no certificate",
                         c->tpl->id);
    rspg_lint_options lo = {(int)c->role, c->variant};
    rspg_lint_result lr;
    rspg_status rc = rspg_lint_cert(a->data.data, a->data.len, &lo, &lr, c->d);
    for (size_t i = 0; rc == RSPG_OK && i < lr.n; i++)
        if (lr.items[i].severity == RSPG_LINT_ERROR)
            rspg_diag_add(c->d, RSPG_SEV_ERROR, (rspg_loc){0}, "%s: lint %s: %s", a->path,
                          lr.items[i].code, lr.items[i].message);
    if (rc == RSPG_OK && lr.errors)
        rc = RSPG_E_VERIFY;
    rspg_lint_result_free(&lr);
    return rc;
}

static rspg_status write_it(issue_ctx *c, const rspg_build_options *bo)
{
    const rspg_load_options *lo = c->o->load;
    rspg_manifest_provenance prov = {c->profile_path,     lo ? lo->vars : NULL,
                                     lo ? lo->n_vars : 0, lo ? lo->sets : NULL,
                                     lo ? lo->n_sets : 0, bo};
    char *manifest = rspg_manifest_json_ex(&c->r, c->p, &prov);
    rspg_output_options oo = {c->o->force, manifest, 0, c->profile_path, 0};
    rspg_status rc = rspg_output_write(c->o->output, &c->r, &oo, c->d);
    free(manifest);
    return rc;
}

/* Role and variant of the options. */
static rspg_status check_role(issue_ctx *c)
{
    static const char *const variants[] = {"O", "Ov3", "A", "B", "C"};
    int known = 0;
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
        known |= strcmp(c->variant, variants[i]) == 0;
    if (!known)
        return rspg_fail(c->d, RSPG_E_USAGE, "unknown variant '%s' (expected O, Ov3, A, B or C)",
                         c->variant);
    if (rspg_role_parse(c->o->role, &c->role) != 0 || rspg_role_is_cvc(c->role))
        return rspg_fail(c->d, RSPG_E_USAGE,
                         "unknown role '%s' (expected ci-subca, eum, eum-subca, euicc, "
                         "dp-subca, ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, ds-tls, eim-sign "
                         "or eim-tls)",
                         c->o->role);
    return RSPG_OK;
}

static void fill_summary(const issue_ctx *c, rspg_issue_flow_summary *s)
{
    const rspg_artifact *a = issued_cert(&c->r);
    s->entity = rspg_xstrdup(c->tpl->id);
    s->cert_path = rspg_xstrdup(a ? a->path : "");
    s->serial = rspg_xstrdup(c->serial);
}

rspg_status rspg_issue_flow_run(const rspg_issue_flow_options *o, rspg_diag *d,
                                rspg_issue_flow_summary *summary)
{
    issue_ctx c;
    memset(&c, 0, sizeof(c));
    c.o = o;
    c.d = d;
    c.variant = o->variant ? o->variant : "O";
    rspg_status rc = check_role(&c);
    if (rc == RSPG_OK)
        rc = read_key(&c);
    if (rc == RSPG_OK)
        rc = read_issuer(&c);
    if (rc == RSPG_OK)
        rc = load_profile(&c);
    if (rc == RSPG_OK)
        rc = find_template(&c);
    if (rc == RSPG_OK)
        rc = set_subject(&c);
    if (rc == RSPG_OK)
        rc = set_dates_serial(&c);
    char *dir_copy = rspg_xstrdup(c.profile_path ? c.profile_path : ".");
    rspg_build_options bo = {
        .profile_dir = dirname(dir_copy), .has_clock = 1, .clock = c.nb, .nonce = o->nonce};
    if (rc == RSPG_OK)
        rc = issue_it(&c, &bo);
    if (rc == RSPG_OK)
        rc = lint_it(&c);
    if (rc == RSPG_OK)
        rc = write_it(&c, &bo);
    if (rc == RSPG_OK && summary)
        fill_summary(&c, summary);
    free(dir_copy);
    rspg_build_result_free(&c.r);
    rspg_profile_free(c.p);
    free(c.profile_path);
    free(c.serial);
    rspg_mint_issuer_free(&c.iss);
    rspg_csr_free(&c.csr);
    return rc;
}

void rspg_issue_flow_summary_free(rspg_issue_flow_summary *s)
{
    free(s->entity);
    free(s->cert_path);
    free(s->serial);
    memset(s, 0, sizeof(*s));
}
