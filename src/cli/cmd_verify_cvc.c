/*
 * cmd_verify_cvc.c: `rsp-pkigen verify CARD-CERT... --ci ISSUER` for SGP.02 card-verifiable
 * certificates (GP '7F21'): the signature under the issuer's key (the CI for CERT.DP.ECDSA
 * and CERT.SR.ECDSA, the EUM for CERT.ECASD.ECKA), C9 against the issuer's key identifier,
 * the key usage for the kind, the point's curve, and the dates (see rspg_cvc_verify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cli_cvc.h"
#include "rspg/sgp02/cvc.h"

static int is_cvc_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t head[64];
    size_t n = 0;
    if (f) {
        n = fread(head, 1, sizeof(head), f);
        fclose(f);
    }
    return n > 0 && rspg_cvc_sniff(head, n);
}

int cli_cvc_any(int n, char **files)
{
    for (int i = 0; i < n; i++)
        if (is_cvc_file(files[i]))
            return 1;
    return 0;
}

int cli_verify_cvc(int n, char **files, const char **cis, size_t n_ci, size_t x509_only,
                   const rspg_verify_options *vo, int json, int quiet)
{
    if (x509_only)
        return cli_usage_error("--untrusted, --crl and --role apply to X.509 certificates, not to "
                               "GP card certificates");
    for (int i = 0; i < n; i++)
        if (!is_cvc_file(files[i]))
            return cli_usage_error("'%s' is not a GP card certificate: verify X.509 certificates "
                                   "and card certificates separately",
                                   files[i]);
    if (n_ci == 0)
        return cli_usage_error("verify CARD-CERT needs its issuer: --ci CI.der (SM-DP, SM-SR) or "
                               "--ci EUM.der (ECASD)");
    int64_t at = vo->has_time ? vo->time : (int64_t)time(NULL);
    json_t *arr = json ? json_array() : NULL;
    int all_valid = 1, code = EXIT_OK;
    for (int i = 0; i < n && code == EXIT_OK; i++) {
        rspg_diag d;
        rspg_cvc_verdict v;
        rspg_diag_init(&d);
        rspg_status rc = rspg_cvc_verify_file(files[i], (const char *const *)cis, n_ci, at, &v, &d);
        cli_print_diag(&d);
        rspg_diag_fini(&d);
        if (rc != RSPG_OK) {
            code = EXIT_USAGE;
            break;
        }
        all_valid &= v.valid;
        const char *issuer = v.issuer >= 0 ? cis[v.issuer] : NULL;
        if (json) {
            json_t *o = json_object();
            json_object_set_new(o, "path", json_string(files[i]));
            json_object_set_new(o, "verdict", json_string(v.valid ? "valid" : "invalid"));
            json_object_set_new(o, "kind", v.kind ? json_string(v.kind) : json_null());
            json_object_set_new(o, "issuer", issuer ? json_string(issuer) : json_null());
            if (!v.valid) {
                json_object_set_new(o, "check", json_string(v.check));
                json_object_set_new(o, "message", json_string(v.message));
            }
            json_array_append_new(arr, o);
        } else if (v.valid) {
            if (!quiet)
                printf("%s: valid (%s card certificate, signed by %s)\n", files[i],
                       v.kind ? v.kind : "GP", issuer);
        } else {
            printf("%s: invalid: %s [%s]\n", files[i], v.message, v.check);
        }
    }
    if (json) {
        json_t *root = json_object();
        json_object_set_new(root, "results", arr);
        if (code == EXIT_OK)
            cli_print_json(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        else
            json_decref(root);
    }
    if (code != EXIT_OK)
        return code;
    return all_valid ? EXIT_OK : EXIT_FAILURE_RUN;
}
