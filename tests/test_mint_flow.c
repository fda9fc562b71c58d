/*
 * test_mint_flow.c: a mint run as a library flow (flow/mint_flow.h). The self-check
 * refuses a run whose first certificate would not validate (a template whose O is not the
 * EUM's: SGP.22 EUM constraint) and writes nothing; a key of another certificate is
 * refused before anything is written; SOURCE_DATE_EPOCH that is not plain digits is
 * refused (exit 2) and a good one is recorded as the clock's source; the default profile
 * is found from the executable, whatever the working directory, and a binary with no
 * profile near it says where it looked; the size note comes before the first record and
 * --resume continues only a bundle of this very run (another seed: refused, unchanged);
 * shard ranges cover a run in order, and shards concatenate into the single run's bundle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rspg/flow/mint_flow.h"
#include "rspg/issue/build.h"
#include "test_util.h"

#define FIRST_EID "89049032123451234512345678901235"

/* A Variant O CI and EUM as in profiles/sgp26.yaml, the eUICC template of sgp26.yaml, and
 * an eUICC template whose O differs from its EUM's (an EUM may only certify its own eUICCs). */
static const char profile_yaml[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: mint-flow\n"
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "defaults:\n"
    "  curves: [nist]\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: O\n"
    "    issuer: self\n"
    "    subject: [{CN: Test CI}, {O: RSPTEST}, {C: IT}]\n"
    "    serial: \"01\"\n"
    "    validity: {days: 3650}\n"
    "    extensions:\n"
    "      - subject_key_identifier: {}\n"
    "      - basic_constraints: {critical: true, ca: true}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "      - subject_alt_name: {names: [{rid: 2.999.1}]}\n"
    "    output: {dir: ci, cert: ci.der, key: ci.pem}\n"
    "  - id: eum\n"
    "    role: eum\n"
    "    variant: O\n"
    "    issuer: ci\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {CN: EUM Test}]\n"
    "    serial: \"0101\"\n"
    "    validity: {days: 3650}\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign]}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.2]}\n"
    "      - subject_alt_name: {names: [{rid: 2.999.5}]}\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"
    "      - name_constraints: {critical: true, permitted: [{dir: [{O: RSP Test EUM}, "
    "{serialNumber: \"89049032\"}]}]}\n"
    "    output: {dir: eum, cert: eum.der, key: eum.pem}\n"
    "  - id: euicc\n"
    "    role: euicc\n"
    "    variant: O\n"
    "    issuer: eum\n"
    "    subject: [{C: ES}, {O: RSP Test EUM}, {serialNumber: \"" FIRST_EID
    "\"}, {CN: Test eUICC}]\n"
    "    serial: \"01\"\n"
    "    validity: {days: 3650}\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.1]}\n"
    "    output: {dir: euicc, cert: euicc.der}\n"
    "  - id: foreign-euicc\n"
    "    role: euicc\n"
    "    variant: O\n"
    "    issuer: eum\n"
    "    expect: invalid\n"
    "    reason: euiccCertificateInvalid\n"
    "    subject: [{C: ES}, {O: Another EUM}, {serialNumber: \"" FIRST_EID
    "\"}, {CN: Test eUICC}]\n"
    "    serial: \"01\"\n"
    "    validity: {days: 3650}\n"
    "    extensions:\n"
    "      - authority_key_identifier: {}\n"
    "      - subject_key_identifier: {}\n"
    "      - key_usage: {critical: true, usage: [digitalSignature]}\n"
    "      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.1]}\n"
    "    output: {dir: foreign, cert: euicc.der}\n";

static char *write_profile(const char *dir)
{
    char *path = rspg_xasprintf("%s/mint-flow.yaml", dir);
    assert_int_equal(tu_write_file(path, profile_yaml, strlen(profile_yaml)), 0);
    return path;
}

static rspg_mint_flow_options flow_options(const char *profile, const char *out)
{
    static const uint8_t seed[] = {0x42};
    rspg_mint_flow_options o;
    memset(&o, 0, sizeof(o));
    o.profile = profile;
    o.issuer_id = "eum";
    o.first_eid = FIRST_EID;
    o.count = 10;
    o.threads = 2;
    o.seed = seed;
    o.seed_len = sizeof(seed);
    o.has_clock = 1;
    o.clock = 1790000000;
    o.output = out;
    return o;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int has_message(const rspg_diag *d, const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, text))
            return 1;
    return 0;
}

static void test_self_check_passes_a_valid_run(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    char *out = rspg_xasprintf("%s/good.jsonl", dir);
    rspg_mint_flow_options o = flow_options(profile, out);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    assert_int_equal(res.self_checked, 1); /* the profile built the chain up to its CI */
    assert_true(res.verdict.valid);
    assert_int_equal(res.made, 10);
    assert_string_equal(res.clock.source, "option");
    assert_true(exists(out));
    rspg_mint_flow_result_free(&res);
    rspg_diag_fini(&d);
    free(out);
    free(profile);
    free(dir);
}

struct note {
    int calls;
    uint64_t start, count, bytes, avail;
    int records_before; /* the progress callback ran before the note */
};

static void on_note(void *ctx, uint64_t start, uint64_t count, uint64_t bytes, uint64_t avail)
{
    struct note *n = ctx;
    n->calls++;
    n->start = start;
    n->count = count;
    n->bytes = bytes;
    n->avail = avail;
}

static int on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct note *n = ctx;
    (void)done;
    (void)total;
    if (n->calls == 0)
        n->records_before = 1;
    return 0;
}

/* The size note comes before the first record; --resume continues only this run's bundle:
 * another seed is refused naming it, and the bundle keeps every byte. */
static void test_size_note_and_resume_of_this_run_only(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    char *out = rspg_xasprintf("%s/run.jsonl", dir);
    rspg_mint_flow_options o = flow_options(profile, out);
    struct note n;
    memset(&n, 0, sizeof(n));
    o.size_note = on_note;
    o.progress = on_progress;
    o.progress_ctx = &n;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    rspg_mint_flow_result_free(&res);
    assert_int_equal(n.calls, 1);
    assert_int_equal(n.records_before, 0);
    assert_int_equal(n.start, 0);
    assert_int_equal(n.count, 10);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_true(n.bytes >= (uint64_t)st.st_size && n.bytes < (uint64_t)st.st_size * 2);
    assert_true(n.avail > 0 && n.avail != UINT64_MAX);
    /* the same run resumed: nothing more to do, not a byte changed */
    rspg_buf before, after;
    rspg_buf_init(&before);
    rspg_buf_init(&after);
    assert_int_equal(tu_read_file(out, &before), 0);
    o.resume = 1;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    assert_int_equal(res.start, 10);
    assert_int_equal(res.made, 0);
    rspg_mint_flow_result_free(&res);
    /* another seed: refused, named, unchanged */
    static const uint8_t other[] = {0x43};
    o.seed = other;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_E_USAGE);
    assert_true(has_message(&d, "run.jsonl: the bundle was made by another run: its seed is"));
    rspg_mint_flow_result_free(&res);
    assert_int_equal(tu_read_file(out, &after), 0);
    assert_int_equal(before.len, after.len);
    assert_memory_equal(before.data, after.data, before.len);
    rspg_buf_free(&before);
    rspg_buf_free(&after);
    rspg_diag_fini(&d);
    free(out);
    free(profile);
    free(dir);
}

static void test_shard_ranges_cover_the_run(void **state)
{
    (void)state;
    static const uint64_t counts[] = {1, 7, 8, 1000, 1001, 18446744073709551615ULL};
    static const uint64_t ns[] = {1, 2, 3, 4, 7};
    for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
        for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
            uint64_t n = ns[k], next = 0, first, end;
            if (n > counts[c])
                continue;
            for (uint64_t i = 0; i < n; i++) {
                rspg_mint_shard_range(counts[c], i, n, &first, &end);
                assert_true(first == next); /* consecutive, in order */
                assert_true(end - first >= counts[c] / n && end - first - counts[c] / n <= 1);
                next = end;
            }
            assert_true(next == counts[c]); /* the whole run */
        }
}

/* Three shards of a run of 10 into three files: shard 0 has the header, the others records
 * only, and their concatenation is the single run's bundle; a sharded files layout and a
 * shard index beyond N are usage errors. */
static void test_shards_concatenate_into_the_run(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    char *one = rspg_xasprintf("%s/one.jsonl", dir);
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    rspg_mint_flow_options o = flow_options(profile, one);
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    rspg_mint_flow_result_free(&res);
    rspg_buf whole, cat;
    rspg_buf_init(&whole);
    rspg_buf_init(&cat);
    assert_int_equal(tu_read_file(one, &whole), 0);
    for (uint64_t i = 0; i < 3; i++) {
        char *path = rspg_xasprintf("%s/shard-%d.jsonl", dir, (int)i);
        rspg_mint_flow_options so = flow_options(profile, path);
        so.shard = i;
        so.shards = 3;
        assert_int_equal(rspg_mint_flow(&so, &d, &res), RSPG_OK);
        assert_true(res.first == (i == 0 ? 0 : i == 1 ? 4 : 7) && res.made == (i == 0 ? 4 : 3));
        rspg_mint_flow_result_free(&res);
        rspg_buf part;
        rspg_buf_init(&part);
        assert_int_equal(tu_read_file(path, &part), 0);
        assert_true((part.data[2] == 'r') == (i == 0)); /* {"rsp-pkigen-mint": shard 0 only */
        rspg_buf_append(&cat, part.data, part.len);
        rspg_buf_free(&part);
        free(path);
    }
    assert_int_equal(cat.len, whole.len);
    assert_memory_equal(cat.data, whole.data, whole.len);
    o.shard = 3;
    o.shards = 3;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_E_USAGE);
    rspg_mint_flow_result_free(&res);
    o.shard = 0;
    o.layout = RSPG_MINT_FILES;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_E_USAGE);
    assert_true(has_message(&d, "--shard works with JSON Lines bundles only"));
    rspg_mint_flow_result_free(&res);
    rspg_buf_free(&whole);
    rspg_buf_free(&cat);
    rspg_diag_fini(&d);
    free(one);
    free(profile);
    free(dir);
}

/* --issuer ID with --layout files: the folder gets the profile's chain above the issuer
 * (here chain/ci.der), so that `verify DIR` reaches the CI and agrees with the manifest. */
static void test_files_layout_carries_the_profile_chain(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    char *out = rspg_xasprintf("%s/folder", dir);
    rspg_mint_flow_options o = flow_options(profile, out);
    o.layout = RSPG_MINT_FILES;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    rspg_mint_flow_result_free(&res);
    rspg_diag_fini(&d);
    char *cmd = rspg_xasprintf("ls '%s/chain'", out), *listed = NULL;
    assert_int_equal(tu_run(cmd, &listed, NULL), 0);
    assert_string_equal(listed, "ci.der\n"); /* the CI above the EUM, and only it */
    free(listed);
    free(cmd);
    cmd = rspg_xasprintf("'%s' verify '%s' -q", tu_cli(), out);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    free(out);
    free(profile);
    free(dir);
}

static void test_self_check_refuses_an_invalid_template(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    char *out = rspg_xasprintf("%s/bad.jsonl", dir);
    rspg_mint_flow_options o = flow_options(profile, out);
    o.template_id = "foreign-euicc";
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_E_VERIFY);
    assert_int_equal(res.self_checked, 1);
    assert_false(res.verdict.valid);
    assert_non_null(res.verdict.check);
    assert_non_null(res.verdict.reason);
    print_message("refused: check %s, reason %s\n", res.verdict.check, res.verdict.reason);
    assert_true(has_message(&d, "self-check"));
    assert_true(has_message(&d, res.verdict.check));
    assert_false(exists(out)); /* nothing written, not even an empty bundle */
    rspg_mint_flow_result_free(&res);
    rspg_diag_fini(&d);
    /* the same through the CLI: exit 1, and the files layout writes no folder either */
    char *cmd =
        rspg_xasprintf("'%s' mint euicc --profile '%s' --issuer eum --template foreign-euicc "
                       "--first-eid " FIRST_EID " --count 3 --layout files -o '%s/folder' -q",
                       tu_cli(), profile, dir);
    char *err = NULL;
    assert_int_equal(tu_run(cmd, NULL, &err), 1);
    assert_non_null(strstr(err, "self-check"));
    assert_false(exists(out));
    char *folder = rspg_xasprintf("%s/folder", dir);
    assert_false(exists(folder));
    free(folder);
    free(err);
    free(cmd);
    free(out);
    free(profile);
    free(dir);
}

/* Writes the EUM and the CI of the profile (the same seed as flow_options) to DIR. */
static void write_issuer_files(const char *dir, const char *profile)
{
    char *cmd =
        rspg_xasprintf("'%s' build '%s' --seed 42 --clock 2026-09-21T14:13:20Z -q -o '%s/pki'",
                       tu_cli(), profile, dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
}

static void test_key_of_another_certificate_writes_nothing(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    write_issuer_files(dir, profile);
    char *cert = rspg_xasprintf("%s/pki/eum/eum.der", dir),
         *key = rspg_xasprintf("%s/pki/ci/ci.pem", dir);
    char *out = rspg_xasprintf("%s/x.jsonl", dir);
    rspg_mint_flow_options o = flow_options(profile, out);
    o.issuer_id = NULL;
    o.issuer_cert = cert;
    o.issuer_key = key;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_E_USAGE);
    assert_true(has_message(&d, "does not belong to the issuer certificate"));
    assert_false(exists(out));
    rspg_mint_flow_result_free(&res);
    rspg_diag_fini(&d);
    /* with its own key and --chain, the run is checked up to the CI and passes */
    free(key);
    key = rspg_xasprintf("%s/pki/eum/eum.pem", dir);
    char *ci = rspg_xasprintf("%s/pki/ci/ci.der", dir);
    const char *chain[] = {ci};
    o.issuer_key = key;
    o.chain = chain;
    o.n_chain = 1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    assert_int_equal(res.self_checked, 1);
    rspg_mint_flow_result_free(&res);
    /* without a chain there is no CI to check up to: it runs, and says so */
    o.n_chain = 0;
    o.force = 1;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    assert_int_equal(res.self_checked, 0);
    rspg_mint_flow_result_free(&res);
    rspg_diag_fini(&d);
    free(ci);
    free(cert);
    free(key);
    free(out);
    free(profile);
    free(dir);
}

static void test_source_date_epoch(void **state)
{
    (void)state;
    char *dir = tu_scratch(), *profile = write_profile(dir);
    char *out = rspg_xasprintf("%s/sde", dir);
    static const char *const bad[] = {" 10", "soon", "10 ", "-5", "1e9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rspg_mint_flow_options o = flow_options(profile, out);
        o.has_clock = 0;
        o.layout = RSPG_MINT_FILES;
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        rspg_diag d;
        rspg_diag_init(&d);
        rspg_mint_flow_result res;
        assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_E_USAGE);
        assert_true(has_message(&d, "SOURCE_DATE_EPOCH"));
        assert_false(exists(out));
        rspg_mint_flow_result_free(&res);
        rspg_diag_fini(&d);
    }
    /* the CLI: exit 2 */
    char *cmd =
        rspg_xasprintf("SOURCE_DATE_EPOCH=' 10' '%s' mint euicc --profile '%s' --issuer eum "
                       "--first-eid " FIRST_EID " --count 1 -o '%s' -q",
                       tu_cli(), profile, out);
    assert_int_equal(tu_run(cmd, NULL, NULL), 2);
    free(cmd);
    cmd = rspg_xasprintf("SOURCE_DATE_EPOCH=soon '%s' mint euicc --profile '%s' --issuer eum "
                         "--first-eid " FIRST_EID " --count 1 -o '%s' -q",
                         tu_cli(), profile, out);
    assert_int_equal(tu_run(cmd, NULL, NULL), 2);
    free(cmd);
    assert_false(exists(out));
    /* a good one is the clock, and the manifest says where it came from */
    setenv("SOURCE_DATE_EPOCH", "1790000000", 1);
    rspg_mint_flow_options o = flow_options(profile, out);
    o.has_clock = 0;
    o.layout = RSPG_MINT_FILES;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_mint_flow_result res;
    assert_int_equal(rspg_mint_flow(&o, &d, &res), RSPG_OK);
    assert_int_equal(res.clock.time, 1790000000);
    assert_string_equal(res.clock.source, "SOURCE_DATE_EPOCH");
    char *manifest = rspg_xasprintf("%s/manifest.json", out);
    rspg_buf m;
    rspg_buf_init(&m);
    assert_int_equal(tu_read_file(manifest, &m), 0);
    rspg_buf_append(&m, "", 1);
    assert_non_null(strstr((const char *)m.data, "\"source\": \"SOURCE_DATE_EPOCH\""));
    rspg_buf_free(&m);
    free(manifest);
    rspg_mint_flow_result_free(&res);
    rspg_diag_fini(&d);
    unsetenv("SOURCE_DATE_EPOCH");
    free(out);
    free(profile);
    free(dir);
}

static void test_default_profile_whatever_the_working_directory(void **state)
{
    (void)state;
    char *dir = tu_scratch();
    /* the build tree's binary, run elsewhere, finds the source tree's profiles/sgp26.yaml */
    char *cmd = rspg_xasprintf(
        "cd '%s' && '%s' mint euicc --issuer o-eum --curve nist --first-eid " FIRST_EID
        " --count 2 --seed 01 -o out.jsonl -q",
        dir, tu_cli());
    char *err = NULL;
    int st = tu_run(cmd, NULL, &err);
    if (st != 0)
        fail_msg("mint from %s: %s", dir, err);
    free(err);
    free(cmd);
    /* the library's answer for this (build tree) test binary */
    rspg_diag d;
    rspg_diag_init(&d);
    char *found = rspg_mint_default_profile(&d);
    assert_non_null(found);
    char *want = tu_src("profiles/sgp26.yaml");
    assert_string_equal(found, want);
    free(want);
    free(found);
    rspg_diag_fini(&d);
    /* an installed binary: PREFIX/bin/rsp-pkigen reads PREFIX/share/rsp-pkigen/profiles */
    cmd = rspg_xasprintf(
        "mkdir -p '%s/p/bin' '%s/p/share/rsp-pkigen/profiles' '%s/w' && "
        "cp '%s' '%s/p/bin/' && cp '%s/profiles/sgp26.yaml' "
        "'%s/p/share/rsp-pkigen/profiles/' && cd '%s/w' && "
        "'%s/p/bin/rsp-pkigen' mint euicc --issuer o-eum --curve nist --first-eid " FIRST_EID
        " --count 2 -o out.jsonl -q",
        dir, dir, dir, tu_cli(), dir, RSPG_SOURCE_DIR, dir, dir, dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    /* a binary with no profile near it, run from the source tree: not the working
     * directory's profiles/, and the message names where it looked */
    cmd = rspg_xasprintf("rm -r '%s/p/share' && cd '%s' && '%s/p/bin/rsp-pkigen' mint euicc "
                         "--issuer o-eum --first-eid " FIRST_EID " --count 1 -o '%s/none.jsonl'",
                         dir, RSPG_SOURCE_DIR, dir, dir);
    err = NULL;
    assert_int_equal(tu_run(cmd, NULL, &err), 2);
    assert_non_null(strstr(err, "no default profile"));
    assert_non_null(strstr(err, "/p/share/rsp-pkigen/profiles/sgp26.yaml"));
    free(err);
    free(cmd);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_check_passes_a_valid_run),
        cmocka_unit_test(test_size_note_and_resume_of_this_run_only),
        cmocka_unit_test(test_shard_ranges_cover_the_run),
        cmocka_unit_test(test_shards_concatenate_into_the_run),
        cmocka_unit_test(test_files_layout_carries_the_profile_chain),
        cmocka_unit_test(test_self_check_refuses_an_invalid_template),
        cmocka_unit_test(test_key_of_another_certificate_writes_nothing),
        cmocka_unit_test(test_source_date_epoch),
        cmocka_unit_test(test_default_profile_whatever_the_working_directory),
    };
    return cmocka_run_group_tests(tests, tu_scratch_setup, tu_scratch_teardown);
}
