/*
 * bundle.c: the CA bundles and TLS full chains of a build (bundle.h), made from the
 * certificates rspg_build issued: nothing is signed here, files are only put together.
 * A chain follows each certificate's issuer file (the manifest's "issuer") up to the root,
 * which it leaves out (RFC 8446 §4.4.2: the root "MAY be omitted", the client has it).
 */
#include "rspg/issue/bundle.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/pem.h"
#include "rspg/rsp/rulebook.h"

#define MAX_CHAIN 16 /* CAs followed above a TLS certificate */

static int cmp_path(const void *key, const void *item)
{
    return strcmp((const char *)key, ((const rspg_artifact *)item)->path);
}

/* The artifact at PATH in the sorted R, or NULL. */
static const rspg_artifact *at(const rspg_build_result *r, const char *path)
{
    return path ? bsearch(path, r->items, r->n, sizeof(*r->items), cmp_path) : NULL;
}

/* The certificate file an instance is known by (DER preferred), not its PEM twin. */
static int own_cert(const rspg_artifact *a)
{
    return a->kind == RSPG_ART_CERT && a->cert_path && strcmp(a->path, a->cert_path) == 0;
}

static int is_root(const rspg_artifact *a)
{
    return a->entity->issuer == NULL || (a->issuer_path && strcmp(a->issuer_path, a->path) == 0);
}

static void add_member(rspg_artifact *b, const rspg_artifact *c)
{
    b->members = rspg_xrealloc(b->members, (b->n_members + 1) * sizeof(*b->members));
    b->members[b->n_members++] = rspg_xstrdup(c->path);
    if (c->pem)
        rspg_buf_append(&b->data, c->data.data, c->data.len);
    else
        rspg_pem_encode("CERTIFICATE", c->data.data, c->data.len, &b->data);
}

/* ${CURVE} of the curve named NAME (OpenSSL name) in P: its suffix, else its key. */
static const char *curve_suffix(const rspg_profile *p, const char *name)
{
    for (size_t i = 0; i < p->n_curves; i++)
        if (p->curves[i].curve && strcmp(p->curves[i].curve->name, name) == 0)
            return p->curves[i].suffix ? p->curves[i].suffix : p->curves[i].key;
    return name;
}

/* The bundle at PATH among the new artifacts NB, or NULL. */
static rspg_artifact *find_new(rspg_build_result *nb, const char *path)
{
    for (size_t i = 0; i < nb->n; i++)
        if (strcmp(nb->items[i].path, path) == 0)
            return &nb->items[i];
    return NULL;
}

/* CI A joins the bundle of each of its variants on its curve. */
static void add_to_bundles(rspg_build_result *nb, const rspg_profile *p, const rspg_artifact *a)
{
    const rspg_entity *e = a->entity;
    size_t nv = e->n_variants ? e->n_variants : 1;
    for (size_t v = 0; v < nv; v++) {
        const char *variant = e->n_variants ? e->variants[v] : a->variant;
        if (variant == NULL)
            continue;
        char *path = rspg_xasprintf("%s/CA_BUNDLE_%s_%s.pem", RSPG_BUNDLE_DIR, variant,
                                    curve_suffix(p, a->curve));
        rspg_artifact *b = find_new(nb, path);
        if (b == NULL) {
            b = rspg_build_result_add(nb, RSPG_ART_CA_BUNDLE, rspg_xstrdup(path));
            b->entity = e;
            b->curve = a->curve;
            b->variant = rspg_xstrdup(variant);
        }
        add_member(b, a);
        free(path);
    }
}

/* PATH without its extension (".der", ".pem", ...), a new string. */
static char *strip_ext(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    size_t n = dot && (slash == NULL || dot > slash) ? (size_t)(dot - path) : strlen(path);
    return rspg_xstrndup(path, n);
}

/* The PEM key of the TLS certificate LEAF: its SK_ file when PEM; else a PEM copy of the
 * DER key (SEC 1) added to NB; NULL when no key was written (a PKCS#11 key). */
static char *leaf_key(const rspg_build_result *r, rspg_build_result *nb, const rspg_artifact *leaf)
{
    const rspg_artifact *k = at(r, leaf->key_path);
    if (k == NULL || k->kind != RSPG_ART_PRIVATE_KEY)
        return NULL;
    if (k->pem)
        return rspg_xstrdup(k->path);
    char *base = strip_ext(k->path);
    char *path = rspg_xasprintf("%s.pem", base);
    free(base);
    if (at(r, path) == NULL && find_new(nb, path) == NULL) {
        rspg_artifact *a =
            rspg_build_result_add_entity(nb, RSPG_ART_PRIVATE_KEY, rspg_xstrdup(path), k->entity,
                                         k->curve, k->variant, leaf->path, NULL);
        a->secret = 1;
        rspg_pem_encode("EC PRIVATE KEY", k->data.data, k->data.len, &a->data);
    }
    return path;
}

/* The full chain of the TLS certificate LEAF (an own certificate file) into NB. */
static void add_fullchain(const rspg_build_result *r, rspg_build_result *nb,
                          const rspg_artifact *leaf)
{
    char *base = strip_ext(leaf->path);
    char *key = leaf_key(r, nb, leaf);
    rspg_artifact *f = rspg_build_result_add_entity(
        nb, RSPG_ART_FULLCHAIN, rspg_xasprintf("%s.fullchain.pem", base), leaf->entity, leaf->curve,
        leaf->variant, NULL, key);
    free(base);
    free(key);
    add_member(f, leaf);
    const rspg_artifact *c = leaf;
    for (int depth = 0; depth < MAX_CHAIN && !is_root(c); depth++) {
        c = at(r, c->issuer_path);
        if (c == NULL || is_root(c))
            break;
        add_member(f, c);
    }
}

static int cmp_artifact(const void *a, const void *b)
{
    return strcmp(((const rspg_artifact *)a)->path, ((const rspg_artifact *)b)->path);
}

/* Moves the artifacts of NB into R (NB is left empty), sorts R and refuses two files at
 * one path. */
static rspg_status merge(rspg_build_result *r, rspg_build_result *nb, rspg_diag *d)
{
    if (r->n + nb->n > r->cap) {
        r->cap = r->n + nb->n;
        r->items = rspg_xrealloc(r->items, r->cap * sizeof(*r->items));
    }
    if (nb->n)
        memcpy(r->items + r->n, nb->items, nb->n * sizeof(*nb->items));
    r->n += nb->n;
    free(nb->items);
    memset(nb, 0, sizeof(*nb));
    qsort(r->items, r->n, sizeof(*r->items), cmp_artifact);
    for (size_t i = 1; i < r->n; i++)
        if (strcmp(r->items[i - 1].path, r->items[i].path) == 0)
            return rspg_fail_at(d, r->items[i].entity->loc,
                                "'%s' and '%s' both write '%s' (a bundle or full chain takes the "
                                "name of another file)",
                                r->items[i - 1].entity->id, r->items[i].entity->id,
                                r->items[i].path);
    return RSPG_OK;
}

rspg_status rspg_bundle_add(rspg_build_result *r, const rspg_profile *p, rspg_diag *d)
{
    rspg_build_result nb;
    memset(&nb, 0, sizeof(nb));
    for (size_t i = 0; i < r->n; i++) {
        const rspg_artifact *a = &r->items[i];
        if (!own_cert(a))
            continue;
        const rspg_role_rule *rule = rspg_rule_for(a->entity->role);
        if (is_root(a) && a->trust_anchor && a->entity->role == RSPG_ROLE_CI)
            add_to_bundles(&nb, p, a);
        else if (rule && rule->tls)
            add_fullchain(r, &nb, a);
    }
    return merge(r, &nb, d);
}
