/*
 * role.h: the certificate roles of the RSP PKI (SGP.22 §4.5.2 and SGP.32 §2.7.3 for X.509,
 * SGP.02 §2.3 for the card-verifiable certificates) and their names in profiles and the
 * manifest. What each role requires lives in the rulebook (rulebook.h).
 */
#ifndef RSPG_ROLE_H
#define RSPG_ROLE_H

typedef enum rspg_role {
    RSPG_ROLE_CI,
    RSPG_ROLE_CI_SUBCA,
    RSPG_ROLE_EUM,
    RSPG_ROLE_EUM_SUBCA,
    RSPG_ROLE_EUICC,
    RSPG_ROLE_DP_SUBCA,
    RSPG_ROLE_DS_SUBCA,
    RSPG_ROLE_DP_AUTH,
    RSPG_ROLE_DP_PB,
    RSPG_ROLE_DP_TLS,
    RSPG_ROLE_DS_AUTH,
    RSPG_ROLE_DS_TLS,
    RSPG_ROLE_EIM_SIGN,
    RSPG_ROLE_EIM_TLS,
    /* SGP.02 card-verifiable certificates (GP '7F21', not X.509; see cvc.h) */
    RSPG_ROLE_SGP02_DP,    /* CERT.DP.ECDSA, signed by the CI */
    RSPG_ROLE_SGP02_SR,    /* CERT.SR.ECDSA, signed by the CI */
    RSPG_ROLE_SGP02_ECASD, /* CERT.ECASD.ECKA, signed by the EUM */
    RSPG_ROLE_COUNT
} rspg_role;

const char *rspg_role_name(rspg_role r);
int rspg_role_parse(const char *s, rspg_role *out);
/* Is the role a CA? Defined by the rulebook (rulebook.c), which holds the rule. */
int rspg_role_is_ca(rspg_role r);

#endif
