/*
 * probe_cases.c: the cases of a probe run, from a build's manifest.json: every eUICC
 * certificate of the variant and curves (the valid one and the invalid cases, with their
 * EUM and the CI the eUICC trusts), plus the faults probe injects into a valid eUICC's
 * session: a flipped bit in the eUICC certificate's signature, in euiccSignature1, and a
 * wrong serverChallenge. The expected answer of each comes from rsp-pkigen's verifier and the
 * rulebook's ES9+ codes (SGP.22 §5.6.3).
 */
#include <string.h>

#include "probe_internal.h"
#include "rspg/base/file.h"
#include "rspg/check/verify.h"
#include "rspg/rsp/role.h"
#include "rspg/rsp/rulebook.h"

#define MAX_FILE (1u << 20)

static const char *curve_word(const char *curve)
{
    if (!curve)
        return NULL;
    return strcmp(curve, "prime256v1") == 0        ? "NIST"
           : strcmp(curve, "brainpoolP256r1") == 0 ? "BRP"
                                                   : NULL;
}

static const char *str(json_t *a, const char *k)
{
    return json_string_value(json_object_get(a, k));
}

/* The certificate artifact at PATH; NULL when none. */
static json_t *artifact(json_t *arts, const char *path)
{
    size_t i;
    json_t *a;
    json_array_foreach(arts, i, a)
    {
        const char *p = str(a, "path");
        if (p && path && strcmp(p, path) == 0)
            return a;
    }
    return NULL;
}

/* The valid, self-signed CI certificate (DER) of VARIANT and CURVE; NULL when none. */
static json_t *valid_ci(json_t *arts, const char *variant, const char *curve)
{
    size_t i;
    json_t *a;
    json_array_foreach(arts, i, a)
    {
        const char *role = str(a, "role"), *v = str(a, "variant"), *e = str(a, "expect"),
                   *k = str(a, "kind"), *f = str(a, "format");
        if (role && strcmp(role, "ci") == 0 && v && strcmp(v, variant) == 0 && e &&
            strcmp(e, "valid") == 0 && k && strcmp(k, "certificate") == 0 && f &&
            strcmp(f, "der") == 0 && !str(a, "case") && curve_word(str(a, "curve")) &&
            strcmp(curve_word(str(a, "curve")), curve) == 0)
            return a;
    }
    return NULL;
}

static rspg_status read_rel(const char *dir, const char *rel, rspg_diag *d, rspg_buf *out)
{
    if (!rel)
        return rspg_fail(d, RSPG_E_INPUT, "%s/manifest.json: a certificate's issuer is missing",
                         dir);
    char *p = rspg_xasprintf("%s/%s", dir, rel);
    rspg_status rc = rspg_file_read(p, MAX_FILE, "certificate", d, out);
    free(p);
    return rc;
}

/* Fills C's certificates: the eUICC, its issuer (sent as eumCertificate), the issuers above
 * up to a self-signed one (for the verifier), and the CI the eUICC trusts. */
static rspg_status load_case(const char *dir, json_t *arts, json_t *a, json_t *ci, rspg_diag *d,
                             probe_case *c)
{
    const char *issuer = str(a, "issuer");
    c->eum_path = issuer ? rspg_xstrdup(issuer) : NULL;
    rspg_status rc = read_rel(dir, str(a, "path"), d, &c->euicc);
    if (rc == RSPG_OK)
        rc = read_rel(dir, issuer, d, &c->eum);
    if (rc == RSPG_OK)
        rc = read_rel(dir, str(ci, "path"), d, &c->ci);
    json_t *up = artifact(arts, issuer);
    while (rc == RSPG_OK && up && c->n_chain < 4) {
        const char *next = str(up, "issuer");
        if (!next || strcmp(next, str(up, "path")) == 0)
            break; /* self-signed */
        c->chain_path[c->n_chain] = rspg_xstrdup(next);
        rc = read_rel(dir, next, d, &c->chain[c->n_chain++]);
        up = artifact(arts, next);
    }
    return rc;
}

static probe_case *add_case(probe_cases *pc, const char *id, const char *curve)
{
    pc->v = rspg_xrealloc(pc->v, (pc->n + 1) * sizeof(*pc->v));
    probe_case *c = &pc->v[pc->n++];
    memset(c, 0, sizeof(*c));
    c->id = rspg_xstrdup(id);
    c->curve = curve;
    return c;
}

static int wanted(const rspg_probe_options *o, const char *id)
{
    if (o->n_cases == 0)
        return 1;
    for (size_t i = 0; i < o->n_cases; i++)
        if (strcmp(o->cases[i], id) == 0)
            return 1;
    return 0;
}

/* The faults probe injects into the valid eUICC V's session: an expired eUICC certificate
 * (re-signed by the EUM), a bad eUICC certificate signature, a bad euiccSignature1, and a
 * wrong serverChallenge. */
static rspg_status add_injected(const rspg_probe_options *o, int64_t now, probe_cases *pc, size_t v,
                                rspg_diag *d)
{
    static const char *const ids[] = {"euicc/expired", "euicc/certificate-signature",
                                      "es9/euicc-signature1", "es9/server-challenge"};
    for (int k = 0; k < 4; k++) {
        if (!wanted(o, ids[k]) || (k == 0 && !pc->v[v].eum_key_path))
            continue;
        probe_case *c = add_case(pc, ids[k], pc->v[v].curve);
        const probe_case *src = &pc->v[v];
        c->euicc_path = rspg_xstrdup(src->euicc_path);
        c->key_path = src->key_path ? rspg_xstrdup(src->key_path) : NULL;
        c->eum_path = src->eum_path ? rspg_xstrdup(src->eum_path) : NULL;
        rspg_buf_append(&c->euicc, src->euicc.data, src->euicc.len);
        rspg_buf_append(&c->eum, src->eum.data, src->eum.len);
        rspg_buf_append(&c->ci, src->ci.data, src->ci.len);
        if (k == 0) {
            rspg_status rc = probe_expired_euicc(&src->euicc, src->eum_key_path, now, d, &c->euicc);
            if (rc != RSPG_OK)
                return rc;
        }
        if (k == 1 && c->euicc.len > 0)
            c->euicc.data[c->euicc.len - 1] ^= 0x01; /* the last octet of the signature's s */
        c->v3 = src->v3;
        c->corrupt_signature1 = k == 2;
        c->wrong_challenge = k == 3;
    }
    return RSPG_OK;
}

/* The eUICC cases of one curve, in manifest order, the valid one first. */
static rspg_status load_curve(const rspg_probe_options *o, int64_t now, json_t *arts,
                              const char *curve, rspg_diag *d, probe_cases *pc)
{
    json_t *ci = valid_ci(arts, o->variant, curve), *a;
    if (!ci)
        return rspg_fail(d, RSPG_E_INPUT, "%s: no valid %s CI of Variant %s in manifest.json",
                         o->pki_dir, curve, o->variant);
    pc->ci_pem[strcmp(curve, "BRP") == 0] = rspg_xasprintf(
        "%s/%.*s.pem", o->pki_dir, (int)(strlen(str(ci, "path")) - 4), str(ci, "path"));
    size_t valid = (size_t)-1, i;
    for (int pass = 0; pass < 2; pass++) {
        json_array_foreach(arts, i, a)
        {
            const char *role = str(a, "role"), *v = str(a, "variant"), *k = str(a, "kind"),
                       *f = str(a, "format"), *id = str(a, "case");
            if (!role || strcmp(role, "euicc") != 0 || !v || strcmp(v, o->variant) != 0 || !k ||
                strcmp(k, "certificate") != 0 || !f || strcmp(f, "der") != 0 ||
                !curve_word(str(a, "curve")) || strcmp(curve_word(str(a, "curve")), curve) != 0 ||
                (pass == 0) != (id == NULL))
                continue;
            if (!id)
                id = "valid";
            if (pass == 0 && valid != (size_t)-1)
                continue; /* one valid eUICC per curve */
            if (pass == 1 && !wanted(o, id))
                continue;
            probe_case *c = add_case(pc, id, curve);
            c->euicc_path = rspg_xstrdup(str(a, "path"));
            c->key_path = str(a, "key") ? rspg_xasprintf("%s/%s", o->pki_dir, str(a, "key")) : NULL;
            c->manifest_reason = str(a, "reason") ? rspg_xstrdup(str(a, "reason")) : NULL;
            c->v3 = strcmp(o->variant, "O") != 0;
            rspg_status rc = load_case(o->pki_dir, arts, a, ci, d, c);
            if (rc != RSPG_OK)
                return rc;
            if (pass == 0) {
                const char *ek = str(artifact(arts, str(a, "issuer")), "key");
                c->eum_key_path = ek ? rspg_xasprintf("%s/%s", o->pki_dir, ek) : NULL;
                valid = pc->n - 1;
            }
        }
    }
    if (valid == (size_t)-1)
        return rspg_fail(d, RSPG_E_INPUT, "%s: no valid %s eUICC of Variant %s in manifest.json",
                         o->pki_dir, curve, o->variant);
    pc->v[valid].template_only = !wanted(o, "valid");
    return add_injected(o, now, pc, valid, d);
}

rspg_status probe_cases_load(const rspg_probe_options *o, int64_t now, rspg_diag *d,
                             probe_cases *out)
{
    memset(out, 0, sizeof(*out));
    char *mpath = rspg_xasprintf("%s/manifest.json", o->pki_dir);
    json_error_t je;
    json_t *m = json_load_file(mpath, 0, &je);
    rspg_status rc = RSPG_OK;
    json_t *arts = json_object_get(m, "artifacts");
    if (!json_is_array(arts))
        rc = rspg_fail(d, RSPG_E_INPUT, "%s: not a build's manifest (%s)", mpath,
                       m ? "no artifacts" : je.text);
    unsigned curves = o->curves ? o->curves : RSPG_PROBE_NIST;
    if (rc == RSPG_OK && (curves & RSPG_PROBE_NIST))
        rc = load_curve(o, now, arts, "NIST", d, out);
    if (rc == RSPG_OK && (curves & RSPG_PROBE_BRP))
        rc = load_curve(o, now, arts, "BRP", d, out);
    for (size_t i = 0; rc == RSPG_OK && i < o->n_cases; i++) {
        size_t k = 0;
        while (k < out->n && (out->v[k].template_only || strcmp(out->v[k].id, o->cases[i]) != 0))
            k++;
        if (k == out->n)
            rc = rspg_fail(d, RSPG_E_USAGE, "--case %s: no such eUICC case of Variant %s in %s",
                           o->cases[i], o->variant, o->pki_dir);
    }
    json_decref(m);
    free(mpath);
    return rc;
}

void probe_cases_free(probe_cases *pc)
{
    for (size_t i = 0; i < pc->n; i++) {
        probe_case *c = &pc->v[i];
        free(c->id);
        free(c->euicc_path);
        free(c->key_path);
        free(c->manifest_reason);
        free(c->eum_key_path);
        rspg_buf_free(&c->euicc);
        rspg_buf_free(&c->eum);
        rspg_buf_free(&c->ci);
        for (size_t k = 0; k < c->n_chain; k++) {
            rspg_buf_free(&c->chain[k]);
            free(c->chain_path[k]);
        }
        free(c->eum_path);
    }
    free(pc->v);
    free(pc->ci_pem[0]);
    free(pc->ci_pem[1]);
    memset(pc, 0, sizeof(*pc));
}

/* The rulebook's ES9+ row of the verdict VD on the chain (SGP.22 §5.6.3). */
static const rspg_reason_row *es9_row(const rspg_verdict *vd, int v3)
{
    rspg_violation v;
    if (rspg_violation_by_check(vd->check, &v) != 0)
        v = RSPG_V_FORMAT;
    unsigned when =
        strcmp(vd->cert, "eUICC") == 0 ? RSPG_WHEN_EUICC | RSPG_WHEN_LEAF : RSPG_WHEN_OTHER;
    if (v3)
        when |= RSPG_WHEN_V3;
    return rspg_rule_reason(RSPG_VALIDATOR_ES9_CLIENT, v, when);
}

static void expect_row(rspg_probe_expect *e, const rspg_reason_row *row)
{
    e->accept = 0;
    e->reason = row->reason;
    e->subject_code = row->subject_code;
    e->reason_code = row->reason_code;
    e->cite = row->cite;
}

void probe_case_expect(const probe_case *c, int64_t time, rspg_probe_expect *e, char *note,
                       size_t cap)
{
    memset(e, 0, sizeof(*e));
    note[0] = 0;
    if (c->corrupt_signature1 || c->wrong_challenge) {
        expect_row(e, rspg_rule_es9_fault(c->corrupt_signature1 ? RSPG_ES9_FAULT_EUICC_SIGNATURE1
                                                                : RSPG_ES9_FAULT_SERVER_CHALLENGE));
        return;
    }
    rspg_verifier *v = rspg_verifier_new(time);
    rspg_diag tmp;
    rspg_diag_init(&tmp);
    rspg_verifier_add_cert(v, "CI", c->ci.data, c->ci.len, 1, RSPG_ROLE_CI, &tmp);
    rspg_verifier_add_cert(v, c->eum_path ? c->eum_path : "EUM", c->eum.data, c->eum.len, 0, -1,
                           &tmp);
    for (size_t k = 0; k < c->n_chain; k++)
        rspg_verifier_add_cert(v, c->chain_path[k], c->chain[k].data, c->chain[k].len, 0, -1, &tmp);
    int i =
        rspg_verifier_add_cert(v, "eUICC", c->euicc.data, c->euicc.len, 0, RSPG_ROLE_EUICC, &tmp);
    rspg_verdict vd;
    memset(&vd, 0, sizeof(vd));
    if (i < 0) {
        snprintf(vd.cert, sizeof(vd.cert), "eUICC");
        vd.check = "format";
    } else {
        rspg_verifier_check(v, i, &vd);
    }
    if (i >= 0 && vd.valid) {
        e->accept = 1;
        e->cite = "SGP.22 §5.6.3 ES9+ AuthenticateClient";
    } else {
        expect_row(e, es9_row(&vd, c->v3));
        snprintf(note, cap, "%s: %s", vd.cert, vd.message[0] ? vd.message : vd.check);
    }
    if (c->manifest_reason && (e->accept || strcmp(e->reason, c->manifest_reason) != 0))
        snprintf(note + strlen(note), cap - strlen(note), "%s(the manifest says %s)",
                 note[0] ? "; " : "", c->manifest_reason);
    rspg_diag_fini(&tmp);
    rspg_verifier_free(v);
}
