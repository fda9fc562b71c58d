/*
 * consumer.c: a program built against the installed librspg (tests/install/install.sh), once
 * with pkg-config (rspg.pc) and once with CMake (find_package(rspg), rspg::rspg): it uses the
 * public API of several layers: EID check digits (rsp/eid.h, SGP.29 §10), a build of a profile
 * (flow/build_flow.h: YAML, keys, issuing, the self-check) and the DOT graph of that build
 * (report/graph.h, which reads the manifest with jansson).
 *   consumer PROFILE OUTDIR   prints "eid EID, N certificates, M bytes of DOT"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/base/time.h"
#include "rspg/flow/build_flow.h"
#include "rspg/report/graph.h"
#include "rspg/rsp/eid.h"

static int fail(rspg_diag *d, const char *what)
{
    fprintf(stderr, "consumer: %s failed\n", what);
    for (size_t i = 0; i < d->count; i++) {
        char *m = rspg_diag_format(&d->entries[i]);
        fprintf(stderr, "  %s\n", m);
        free(m);
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: consumer PROFILE OUTDIR\n");
        return 2;
    }
    char eid[RSPG_EID_LEN + 1];
    if (rspg_eid_complete("890490321234512345123456789012", eid) != 0 ||
        strcmp(eid, "89049032123451234512345678901235") != 0)
        return 1;
    char *variants[] = {"O"}, *curves[] = {"nist"};
    static const uint8_t seed[] = {1};
    rspg_build_flow_options o = {.profile_path = argv[1], .output = argv[2]};
    o.build.variants = variants;
    o.build.n_variants = 1;
    o.build.curves = curves;
    o.build.n_curves = 1;
    o.build.seed = seed;
    o.build.seed_len = sizeof(seed);
    o.build.has_clock = rspg_parse_rfc3339("2026-01-01T00:00:00Z", &o.build.clock) == 0;
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_build_flow_summary sum = {0};
    if (rspg_build_flow_run(&o, &d, &sum) != RSPG_OK)
        return fail(&d, "the build");
    rspg_buf dot;
    rspg_buf_init(&dot);
    if (rspg_report_dot(argv[2], "O", "nist", &dot, &d) != RSPG_OK)
        return fail(&d, "the graph");
    printf("eid %s, %zu certificates, %zu bytes of DOT\n", eid, sum.certificates, dot.len);
    rspg_buf_free(&dot);
    rspg_diag_fini(&d);
    return 0;
}
