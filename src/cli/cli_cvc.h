/*
 * cli_cvc.h: `rsp-pkigen verify` for SGP.02 GP card certificates (cmd_verify_cvc.c).
 */
#ifndef RSPG_CLI_CVC_H
#define RSPG_CLI_CVC_H

#include <stddef.h>

#include "rspg/check/verify.h"

/* Is any of the N files a GP card certificate (binary 7F21 or its hex)? */
int cli_cvc_any(int n, char **files);
/* verify CARD-CERT... --ci ISSUER... [--at TIME] [--json] [-q]: each file checked against
 * the issuers' keys (the CI for SM-DP/SM-SR, the EUM for ECASD). X509_ONLY counts the
 * options that apply to X.509 certificates only (a usage error here). Returns the exit code. */
int cli_verify_cvc(int n, char **files, const char **cis, size_t n_ci, size_t x509_only,
                   const rspg_verify_options *vo, int json, int quiet);

#endif
