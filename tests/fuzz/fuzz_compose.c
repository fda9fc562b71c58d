/*
 * fuzz_compose.c: libFuzzer target for profile composition: `extends:` and `--set`
 * (profile_compose.c, through rspg_profile_load_string_ex).
 *
 * Input: one mode byte, then a profile, a NUL byte, and a second part. Mode bit 0 clear:
 * the second part is the file every `extends:` of the profile names (so a base that
 * extends itself, or a chain, is composed until the depth limit); set: the second part is
 * up to four `--set PATH=VALUE` assignments, one per line, applied after extends:. Without
 * a NUL the whole input is the profile. The loader must return (no crash, no hang, no
 * unbounded recursion: issue 14, the self-referring --set value), with a diagnostic when
 * it refuses.
 *
 * No disk: the target is linked with -Wl,--wrap=rspg_read_file; the wrapper hands out the
 * second part for every path.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/buf.h"
#include "rspg/base/file.h"
#include "rspg/profile/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_rspg_read_file(const char *path, size_t max, rspg_buf *out);

static const uint8_t *base_file; /* the second part while a mode-0 input runs */
static size_t base_len;

int __wrap_rspg_read_file(const char *path, size_t max, rspg_buf *out)
{
    (void)path;
    if (base_file == NULL || base_len > max) {
        errno = base_file ? EFBIG : ENOENT;
        return -1;
    }
    rspg_buf_reset(out);
    rspg_buf_append(out, base_file, base_len);
    return 0;
}

#define FUZZ_MAX_SETS 4

/* Splits TEXT (N bytes, no NUL) into at most FUZZ_MAX_SETS lines in SETS (copies). */
static size_t split_sets(const uint8_t *text, size_t n, char **sets)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= n && count < FUZZ_MAX_SETS; i++) {
        if (i == n || text[i] == '\n') {
            if (i > start)
                sets[count++] = rspg_xstrndup((const char *)text + start, i - start);
            start = i + 1;
        }
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] & 1;
    const uint8_t *profile = data + 1, *nul = memchr(profile, 0, size - 1);
    size_t plen = nul ? (size_t)(nul - profile) : size - 1;
    const uint8_t *second = nul ? nul + 1 : NULL;
    size_t slen = nul ? size - 1 - plen - 1 : 0;
    char *sets[FUZZ_MAX_SETS];
    size_t n_sets = 0;
    base_file = NULL;
    base_len = 0;
    if (second && mode == 0) {
        base_file = second;
        base_len = slen;
    } else if (second && memchr(second, 0, slen) == NULL) {
        n_sets = split_sets(second, slen, sets);
    }
    rspg_load_options o = {NULL, 0, (const char *const *)sets, n_sets};
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_status rc =
        rspg_profile_load_string_ex((const char *)profile, plen, "fuzz.yaml", &o, &d, &p);
    if (rc != RSPG_OK && d.count == 0)
        abort(); /* a refusal always says why */
    for (size_t i = 0; i < d.count; i++)
        free(rspg_diag_format(&d.entries[i]));
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    for (size_t i = 0; i < n_sets; i++)
        free(sets[i]);
    base_file = NULL;
    return 0;
}
