/*
 * test_util.h: helpers shared by the unit tests: paths into the source tree and into
 * ../shared, file reading, temporary folders, and running the CLI.
 */
#ifndef RSPG_TEST_UTIL_H
#define RSPG_TEST_UTIL_H

#include <stddef.h>

#include <openssl/evp.h>

#include "rspg/base/buf.h"
#include "rspg/crypto/key.h"
#include "rspg/profile/profile.h"

/* RSPG_SOURCE_DIR/REL and RSPG_SHARED_DIR/REL as new strings. */
char *tu_src(const char *rel);
char *tu_shared(const char *rel);
/* Reads a whole file; returns 0 or -1. */
int tu_read_file(const char *path, rspg_buf *out);
/* Writes a whole file; returns 0 or -1. */
int tu_write_file(const char *path, const void *data, size_t len);
/* A new empty temporary folder (free the string; remove with tu_rmtree). */
char *tu_mkdtemp(void);
void tu_rmtree(const char *path);
/* Runs CMD with /bin/sh; captures stdout and stderr (new strings, may be NULL args);
 * returns the exit status, or -1 if it could not run. */
int tu_run(const char *cmd, char **out, char **err);
/* A scratch root for a test group: tu_scratch_setup/teardown are cmocka group fixtures
 * (the teardown removes everything, even after a failed test); tu_scratch() makes a new
 * folder under it (free the string). */
int tu_scratch_setup(void **state);
int tu_scratch_teardown(void **state);
char *tu_scratch(void);
/* A key pair on CURVE (OpenSSL name) with the private scalar HEX; fails the test on error. */
EVP_PKEY *tu_pkey_from_scalar(const char *curve, const char *hex);
void tu_key_from_scalar(const char *curve, const char *hex, rspg_key *out);

/* Extension values for encoder tests (items and names are borrowed, not freed). */
rspg_ext tu_ext(rspg_ext_kind kind, int critical);
rspg_ext tu_ext_bc(int critical, int ca, long path_len);
rspg_ext tu_ext_ku(int critical, unsigned bits);
rspg_ext tu_ext_items(rspg_ext_kind kind, int critical, char **items, size_t n);
rspg_ext tu_ext_names(rspg_ext_kind kind, int critical, rspg_general_name *names, size_t n);

/* The rsp-pkigen binary under test. */
const char *tu_cli(void);
/* Does the shared reference data exist? (tests that need it skip when not) */
int tu_have_shared(void);

/* Visible skips. A case that cannot run (missing data or tool) calls tu_skip(WHY) instead
 * of cmocka's skip(): it prints WHY, records the skip and skips the case. main returns
 * tu_exit(cmocka_run_group_tests(...)): the failure count when a case failed, else 77 when
 * any case was skipped (ctest's SKIP_RETURN_CODE: "Not Run", never "Passed"), else 0.
 * tu_skip needs <cmocka.h> included before it is used. */
void tu_note_skip(const char *why, const char *file, int line);
int tu_skipped(void);
int tu_exit(int failures);
#define tu_skip(why)                                                                               \
    do {                                                                                           \
        tu_note_skip((why), __FILE__, __LINE__);                                                   \
        skip();                                                                                    \
    } while (0)
/* Skips the current case when the shared reference data (RSPG_SHARED_DIR) is missing. */
#define tu_require_shared()                                                                        \
    do {                                                                                           \
        if (!tu_have_shared())                                                                     \
            tu_skip("no shared reference data at " RSPG_SHARED_DIR);                               \
    } while (0)

#endif
