/*
 * suggest.c: edit distance and "did you mean" hints for values that name nothing known
 * (suggest.h). Used by the CLI and the build flow for filter and enum errors.
 */
#include "rspg/base/suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/buf.h"

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance over three rows (prev2, prev, cur). */
size_t rspg_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    size_t *rows = rspg_xcalloc(3 * (m + 1), sizeof(size_t));
    size_t *p2 = rows, *p1 = rows + m + 1, *cur = rows + 2 * (m + 1);
    for (size_t j = 0; j <= m; j++)
        p1[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t cost = ca == cb ? 0 : 1;
            cur[j] = min3(p1[j] + 1, cur[j - 1] + 1, p1[j - 1] + cost);
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && p2[j - 2] + 1 < cur[j])
                cur[j] = p2[j - 2] + 1;
        }
        size_t *t = p2;
        p2 = p1;
        p1 = cur;
        cur = t;
    }
    size_t dist = p1[m];
    free(rows);
    return dist;
}

const char *rspg_suggest(const char *bad, const char *const *words, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, blen = strlen(bad);
    for (size_t i = 0; i < n; i++) {
        size_t d = rspg_edit_distance(bad, words[i]), wlen = strlen(words[i]);
        size_t longer = blen > wlen ? blen : wlen;
        size_t limit = longer <= 2 ? 0 : longer <= 4 ? 1 : longer / 3;
        if (d <= limit && d < best_d) {
            best = words[i];
            best_d = d;
        }
    }
    return best;
}

static int seen_before(const char *const *words, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(words[j], words[i]) == 0)
            return 1;
    return 0;
}

char *rspg_word_list(const char *const *words, size_t n)
{
    size_t last = 0;
    for (size_t i = 0; i < n; i++)
        if (!seen_before(words, i))
            last = i;
    rspg_buf b;
    rspg_buf_init(&b);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (seen_before(words, i))
            continue;
        if (k > 0)
            rspg_buf_puts(&b, i == last ? " or " : ", ");
        rspg_buf_puts(&b, words[i]);
        k++;
    }
    rspg_buf_push(&b, 0);
    return (char *)b.data;
}

char *rspg_suggest_hint(const char *bad, const char *const *words, size_t n)
{
    char *list = rspg_word_list(words, n);
    const char *close = rspg_suggest(bad, words, n);
    char *out = close ? rspg_xasprintf(" (expected %s; did you mean %s?)", list, close)
                      : rspg_xasprintf(" (expected %s)", list);
    free(list);
    return out;
}
