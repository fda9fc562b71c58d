/*
 * verdict.h: the outcome of validating one certificate or CRL as an eUICC, SM-DP+ or LPA
 * would: valid, or the SGP.22 error (reason) with the rule (check) that failed.
 */
#ifndef RSPG_VERDICT_H
#define RSPG_VERDICT_H

typedef struct rspg_verdict {
    int valid;
    const char *reason; /* the SGP.22 error name (NULL when valid) */
    const char *check;  /* the failed check, e.g. "key-usage", "signature" (NULL when valid) */
    char message[512];  /* in plain words */
    char cert[512];     /* the certificate that failed the check */
    char chain[2048];   /* the path, leaf first, names joined by " <- " */
} rspg_verdict;

#endif
