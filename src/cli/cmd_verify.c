/*
 * cmd_verify.c: `rsp-pkigen verify DIR`: check every chain of a built folder and compare
 * each verdict with the manifest's expectation.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rspg/der.h"
#include "rspg/verify.h"

static const char verify_usage[] =
    "Usage: rsp-pkigen verify DIR [OPTIONS]\n"
    "\n"
    "Verifies every certificate of a folder written by 'rsp-pkigen build': its chain up to\n"
    "the root (issuer names, AKI = issuer SKI, ecdsa-with-SHA256 signatures, validity) and\n"
    "compares each verdict with the manifest's 'expect'. Exit status 1 on any disagreement.\n"
    "\n"
    "Options:\n"
    "      --at TIME   check validity at TIME (YYYY-MM-DDTHH:MM:SSZ); default: the manifest's clock\n"
    "  -q, --quiet     print nothing on success\n"
    "  -h, --help      show this help\n";

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"at", required_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    rspg_verify_options vo = {0};
    int quiet = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (rspg_parse_rfc3339(optarg, &vo.time) != 0)
                return cli_usage_error("--at '%s' is not a date (YYYY-MM-DDTHH:MM:SSZ)", optarg);
            vo.has_time = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(verify_usage, stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s' (see 'rsp-pkigen verify --help')",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("verify takes one folder (see 'rsp-pkigen verify --help')");
    rspg_diag d;
    rspg_verify_result res;
    rspg_diag_init(&d);
    rspg_status rc = rspg_verify_dir(argv[optind], &vo, &d, &res);
    cli_print_diag(&d);
    rspg_diag_fini(&d);
    if (rc == RSPG_OK || rc == RSPG_E_VERIFY) {
        if (!quiet || rc != RSPG_OK)
            printf("rsp-pkigen: verified %zu certificates in %s: %zu as the manifest expects, %zu not\n",
                   res.certificates, argv[optind], res.agreed, res.disagreed);
        return rc == RSPG_OK ? EXIT_OK : EXIT_FAILURE_RUN;
    }
    return cli_exit_code(rc);
}
