/*
 * fuzz_profile.c: libFuzzer target for the YAML profile loader.
 *
 * The input is a profile given to rspg_profile_load_string (no disk is read). Profiles
 * that load, are small and ask for no key file or PKCS#11 token are also built in memory
 * with a fixed seed and clock (deterministic keys and RFC 6979 signatures) and their
 * manifest is written to a string, so the builder and the encoders see fuzzed models too.
 *
 * No disk: the target is linked with -Wl,--wrap=rspg_read_file, and the wrapper below
 * refuses every path, so `extends: FILE` fails as for a missing file (and a fuzzed
 * `extends: /dev/stdin` cannot block).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rspg/base/buf.h"
#include "rspg/base/file.h"

#include "rspg/issue/build.h"
#include "rspg/issue/manifest.h"
#include "rspg/profile/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_rspg_read_file(const char *path, size_t max, rspg_buf *out);

int __wrap_rspg_read_file(const char *path, size_t max, rspg_buf *out)
{
    (void)path, (void)max, (void)out;
    errno = ENOENT;
    return -1;
}

/* Only small, self-contained profiles are built: every certificate costs a key
 * derivation and a signature, and the loader's limits allow 4096 entities. */
#define FUZZ_MAX_BUILD_CERTS 16

static int buildable(const rspg_profile *p)
{
    size_t certs = 0;
    if (p->n_crls > FUZZ_MAX_BUILD_CERTS)
        return 0;
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        if (e->key.source == RSPG_KEY_FILE || e->key.source == RSPG_KEY_PKCS11)
            return 0;
        certs += e->n_curves ? e->n_curves : p->n_default_curves ? p->n_default_curves : 1;
        if (certs > FUZZ_MAX_BUILD_CERTS)
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t seed[] = {0x00, 0x11, 0x22, 0x33};
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_string((const char *)data, size, "fuzz.yaml", &d, &p);
    for (size_t i = 0; i < d.count; i++)
        free(rspg_diag_format(&d.entries[i]));
    if (rc == RSPG_OK && p != NULL && buildable(p)) {
        rspg_build_options bo = {0};
        rspg_build_result r = {0};
        bo.profile_dir = "/nonexistent";
        bo.has_clock = 1;
        bo.clock = 1735689600; /* 2025-01-01T00:00:00Z */
        bo.nonce = RSPG_NONCE_RFC6979;
        bo.seed = seed;
        bo.seed_len = sizeof(seed);
        if (rspg_build(p, &bo, &d, &r) == RSPG_OK)
            free(rspg_manifest_json(&r, p));
        rspg_build_result_free(&r);
    }
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    return 0;
}
