/*
 * build_filters.c: every --variant, --curve and --only value must name something of the
 * profile (build_filters.h); the error lists what does and suggests the closest.
 */
#include "rspg/flow/build_filters.h"

#include <stdlib.h>
#include <string.h>

#include "rspg/base/suggest.h"

/* A growable list of borrowed words, duplicates kept out. */
typedef struct words {
    const char **v;
    size_t n;
} words;

static void add_word(words *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->v[i], s) == 0)
            return;
    w->v = rspg_xrealloc(w->v, (w->n + 1) * sizeof(char *));
    w->v[w->n++] = s;
}

static int has_word(const words *w, const char *s)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->v[i], s) == 0)
            return 1;
    return 0;
}

/* Other names of the curves, for the "did you mean": NIST's and SEC 2's (RFC 4492 §5.1.1
 * maps them to OpenSSL's prime256v1), and the short brainpool forms (RFC 5639). */
static const char *alias_of(const char *bad, const words *valid)
{
    static const char *const alias[][2] = {
        {"P-256", "prime256v1"},
        {"P256", "prime256v1"},
        {"secp256r1", "prime256v1"},
        {"bp256", "brainpoolP256r1"},
        {"brainpool256", "brainpoolP256r1"},
        {"brainpoolp256r1", "brainpoolP256r1"},
    };
    for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
        if (strcmp(bad, alias[i][0]) == 0 && has_word(valid, alias[i][1]))
            return alias[i][1];
    return NULL;
}

/* One error per value of FILTERS not in VALID; LISTED are the words the message lists
 * (VALID when NULL). */
static rspg_status check(char **filters, size_t n, const char *option, const char *what,
                         const words *valid, const words *listed, rspg_diag *d)
{
    rspg_status rc = RSPG_OK;
    const words *l = listed ? listed : valid;
    for (size_t i = 0; i < n; i++) {
        if (has_word(valid, filters[i]))
            continue;
        char *list = rspg_word_list(l->v, l->n);
        const char *close = alias_of(filters[i], valid);
        if (close == NULL)
            close = rspg_suggest(filters[i], valid->v, valid->n);
        rc = rspg_fail(d, RSPG_E_USAGE, "%s '%s' names no %s of the profile (expected %s%s%s%s)",
                       option, filters[i], what, list, close ? "; did you mean " : "",
                       close ? close : "", close ? "?" : "");
        free(list);
    }
    return rc;
}

rspg_status rspg_build_filters_check(const rspg_profile *p, const rspg_build_options *o,
                                     rspg_diag *d)
{
    words variants = {0}, curves = {0}, roles = {0}, only = {0};
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        for (size_t v = 0; v < e->n_variants; v++)
            add_word(&variants, e->variants[v]);
        add_word(&roles, rspg_role_name(e->role));
    }
    for (size_t i = 0; i < roles.n; i++)
        add_word(&only, roles.v[i]);
    for (size_t i = 0; i < p->n_entities; i++)
        add_word(&only, p->entities[i].id);
    for (size_t i = 0; i < p->n_curves; i++) {
        add_word(&curves, p->curves[i].key);
        if (p->curves[i].suffix)
            add_word(&curves, p->curves[i].suffix);
        add_word(&curves, p->curves[i].curve->name);
    }
    rspg_status a = check(o->variants, o->n_variants, "--variant", "variant", &variants, NULL, d);
    rspg_status b = check(o->curves, o->n_curves, "--curve", "curve", &curves, NULL, d);
    rspg_status c = check(o->roles, o->n_roles, "--only", "role or entity", &only, &roles, d);
    free(variants.v);
    free(curves.v);
    free(roles.v);
    free(only.v);
    return a != RSPG_OK ? a : b != RSPG_OK ? b : c;
}
