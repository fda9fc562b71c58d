/*
 * cmd_show.c: `rsp-pkigen show`: a readable summary of RSP certificates (RFC 5280 §4.1
 * fields, the SGP.22 §4.5.2 extensions, the role of the policy OID and its arc, the EUM
 * constraint and the eUICC's EID). The text and JSON come from the library (show.h).
 *   show CERT... [--json] [-q] [-v]   (CERT may be '-'; a PEM bundle shows every certificate)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "cli.h"
#include "cli_inputs.h"
#include "rspg/asn1/pem.h"
#include "rspg/base/buf.h"
#include "rspg/check/show.h"

static const char show_usage[] =
    "Usage: rsp-pkigen show CERT... [--json] [-q] [-v]\n"
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
    "CERT may be '-' for standard input. A PEM file of several certificates (a CA bundle, a\n"
    "full chain) shows every one of them, named CERT#1, CERT#2, ...\n"
    "\n"
    "Options:\n"
    "      --json             print the same facts as JSON on stdout\n"
    "  -q, --quiet            print nothing; the exit status tells whether all are readable\n"
    "  -v, --verbose          also print each certificate's SHA-256 fingerprint\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 all shown, 2 bad usage or unreadable input, 4 an input that is not a\n"
    "certificate.\n";

/* What the command line asks for. */
struct show_args {
    rspg_show_options so;
    cli_common common;
};

/* SHA-256 of DATA as lower-case hex into HEX (65 bytes). */
static void fingerprint(const rspg_buf *data, char *hex)
{
    rspg_buf der;
    rspg_buf_init(&der);
    uint8_t h[SHA256_DIGEST_LENGTH];
    if (rspg_pem_or_der(data->data, data->len, "CERTIFICATE", &der) != 0)
        rspg_buf_append(&der, data->data, data->len);
    SHA256(der.data, der.len, h);
    for (size_t j = 0; j < sizeof(h); j++)
        snprintf(hex + 2 * j, 3, "%02x", h[j]);
    rspg_buf_free(&der);
}

/* Shows object O; returns 0, or the exit code of its failure. */
static int show_one(const struct show_args *a, const cli_object *o, json_t *arr, int *shown)
{
    rspg_diag sub;
    rspg_buf out;
    rspg_diag_init(&sub);
    rspg_buf_init(&out);
    rspg_status rc = rspg_show_cert(o->data.data, o->data.len, &a->so, &out, &sub);
    cli_print_diag_prefixed(&sub, o->name);
    rspg_diag_fini(&sub);
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    if (rc == RSPG_OK && a->common.verbose)
        fingerprint(&o->data, hex);
    if (rc != RSPG_OK) {
        /* not a certificate: 4 (RSPG_E_INPUT); anything else: 2 */
        rspg_buf_free(&out);
        return rc == RSPG_E_INPUT ? cli_exit_code(rc) : EXIT_USAGE;
    }
    if (a->so.json) {
        json_t *j = json_loadb((const char *)out.data, out.len, 0, NULL);
        if (j) {
            json_t *w = json_object();
            json_object_set_new(w, "path", json_string(o->name));
            if (a->common.verbose)
                json_object_set_new(w, "sha256", json_string(hex));
            json_object_update(w, j);
            json_decref(j);
            json_array_append_new(arr, w);
        }
    } else if (!a->common.quiet) {
        printf("%s%s\n", *shown ? "\n" : "", o->name);
        if (a->common.verbose)
            printf("  sha256 fingerprint: %s\n", hex);
        fwrite(out.data, 1, out.len, stdout);
        *shown = 1;
    }
    rspg_buf_free(&out);
    return 0;
}

static int parse_args(int argc, char **argv, struct show_args *a)
{
    static const cli_command cmd = {"show", show_usage, NULL, NULL, 1};
    int code = cli_parse_options(argc, argv, &cmd, NULL, NULL, &a->common);
    if (code != CLI_PROCEED)
        return code;
    a->so.json = a->common.json;
    if (optind >= argc)
        return cli_usage_error(
            "show needs at least one certificate (see 'rsp-pkigen show --help')");
    return CLI_PROCEED;
}

int cmd_show(int argc, char **argv)
{
    struct show_args a = {0};
    int code = parse_args(argc, argv, &a);
    if (code != CLI_PROCEED)
        return code;
    json_t *arr = a.so.json ? json_array() : NULL;
    int bad = 0, shown = 0;
    for (int i = optind; i < argc; i++) {
        cli_objects objs = {0};
        if (cli_read_objects(argv[i], &objs) != 0 && !bad)
            bad = EXIT_USAGE;
        for (size_t k = 0; k < objs.n; k++) {
            int rc = show_one(&a, &objs.v[k], arr, &shown);
            if (rc && !bad)
                bad = rc;
        }
        cli_objects_free(&objs);
    }
    if (a.so.json) {
        json_t *root = json_object();
        json_object_set_new(root, "certificates", arr);
        cli_print_json(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    }
    return bad ? bad : EXIT_OK;
}
