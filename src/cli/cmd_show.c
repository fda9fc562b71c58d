/*
 * cmd_show.c: `rsp-pkigen show`: a readable summary of RSP certificates (RFC 5280 §4.1
 * fields, the SGP.22 §4.5.2 extensions, the role of the policy OID and its arc, the EUM
 * constraint and the eUICC's EID). The text and JSON come from the library (show.h).
 *   show CERT... [--json]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "rspg/base/buf.h"
#include "rspg/check/show.h"

static const char show_usage[] =
    "Usage: rsp-pkigen show CERT... [--json]\n"
    "\n"
    "Prints a readable summary of each certificate (DER or PEM): its RSP role (from the\n"
    "policy OID) and variant arc, subject and issuer (RFC 4514-like, in DER attribute order),\n"
    "serial, validity (RFC 3339) and its length in days, curve, SKI and AKI, policies with\n"
    "role names, subjectAltName (DNS names, registeredIDs, URIs), CRL distribution points,\n"
    "basicConstraints, key usage and extended key usage, name constraints and the EUM\n"
    "constraint (O and EIN prefix from nameConstraints, or permittedEins), and for eUICCs\n"
    "the EID and whether its check digits are valid. SGP.02 card certificates (GlobalPlatform\n"
    "'7F21' TLV, binary or hex) are decoded tag by tag.\n"
    "\n"
    "Options:\n"
    "      --json             print the same facts as JSON on stdout\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 all shown, 2 bad usage or unreadable input, 4 an input that is not a\n"
    "certificate.\n";

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    rspg_show_options so = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            so.json = 1;
            break;
        case 'h':
            fputs(show_usage, stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s' (see 'rsp-pkigen show --help')",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(
            "show needs at least one certificate (see 'rsp-pkigen show --help')");

    json_t *arr = so.json ? json_array() : NULL;
    int bad = 0, shown = 0;
    for (int i = optind; i < argc; i++) {
        rspg_diag d;
        rspg_buf out;
        rspg_diag_init(&d);
        rspg_buf_init(&out);
        rspg_status rc = rspg_show_file(argv[i], &so, &out, &d);
        cli_print_diag(&d);
        rspg_diag_fini(&d);
        if (rc != RSPG_OK) {
            /* not a certificate: 4 (RSPG_E_INPUT); unreadable: 2 */
            if (!bad)
                bad = rc == RSPG_E_INPUT ? cli_exit_code(rc) : EXIT_USAGE;
        } else if (so.json) {
            json_error_t err;
            json_t *o = json_loadb((const char *)out.data, out.len, 0, &err);
            if (o) {
                json_t *w = json_object();
                json_object_set_new(w, "path", json_string(argv[i]));
                json_object_update(w, o);
                json_decref(o);
                json_array_append_new(arr, w);
            }
        } else {
            printf("%s%s\n", shown ? "\n" : "", argv[i]);
            fwrite(out.data, 1, out.len, stdout);
            shown = 1;
        }
        rspg_buf_free(&out);
    }
    if (so.json) {
        json_t *root = json_object();
        json_object_set_new(root, "certificates", arr);
        char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text)
            puts(text);
        free(text);
        json_decref(root);
    }
    return bad ? bad : EXIT_OK;
}
