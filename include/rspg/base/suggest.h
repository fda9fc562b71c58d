/*
 * suggest.h: "did you mean ...?" for a value that is not one of a known list (a --variant,
 * --curve or --only filter, a role name): the closest known word by Damerau-Levenshtein
 * distance (insertions, deletions, substitutions, adjacent transpositions), compared
 * without regard to case, and the whole list in words for the message.
 *
 * Ownership: returned strings are new (free()); inputs are borrowed. No shared state.
 */
#ifndef RSPG_SUGGEST_H
#define RSPG_SUGGEST_H

#include <stddef.h>

/* The edit distance between A and B (case-insensitive, adjacent transpositions count 1). */
size_t rspg_edit_distance(const char *a, const char *b);

/* The word of WORDS (N of them) closest to BAD, or NULL when none is close enough: equal
 * but for case when the longer is at most 2 characters, a distance of at most 1 up to 4
 * characters, else at most a third of the longer length (so "dp-tsl" suggests "dp-tls",
 * "D" suggests no variant). Ties keep the first word. */
const char *rspg_suggest(const char *bad, const char *const *words, size_t n);

/* "a, b or c" (words in the given order, duplicates dropped), new string. */
char *rspg_word_list(const char *const *words, size_t n);

/* The tail of an error about BAD: " (expected a, b or c; did you mean b?)", or without the
 * "did you mean" part when nothing is close. New string. */
char *rspg_suggest_hint(const char *bad, const char *const *words, size_t n);

#endif
