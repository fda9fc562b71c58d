/*
 * cert_info.h: a certificate decoded once into the fields the RSP rules talk about.
 *
 * On top of the strict RFC 5280 §4.1 parse (x509.h), every extension the rulebook knows is
 * decoded here and nowhere else: keyUsage, basicConstraints, extendedKeyUsage,
 * certificatePolicies (with the RSP role and arc of each policy, from the rulebook),
 * nameConstraints (permitted/excluded subtrees and the EUM constraint's O and EIN prefix),
 * the v3 permittedEins, subjectAltName, cRLDistributionPoints, SKI and AKI; plus the subject
 * CN/O/serialNumber (the EID of an eUICC), the curve and the validity. verify, lint, show
 * and cvc_show read certificates through this struct only.
 *
 * Ownership: every rspg_der_tlv and pointer here is a view into the caller's DER buffer,
 * which must outlive the struct; nothing is allocated, nothing needs freeing (the short
 * policy OID texts are copied into the struct).
 *
 * Strictness (RFC 5280): a structure that is not a strict DER Certificate is refused
 * (x509.h lists the rules: "not a DER certificate", "malformed issuer Name", ...); so are,
 * in strict mode, a duplicated extension (§4.2), an empty, overlong or malformed extension
 * OID (X.690 §8.19), a serial that is empty, zero, negative, not minimally encoded or
 * longer than 20 octets (§4.1.2.2), and an extension of the rulebook whose value does not
 * decode as DER ("malformed keyUsage": also a BIT STRING with set padding or trailing zero
 * bits, a cA FALSE encoded, a non-minimal pathLen, an empty list of SIZE (1..MAX)). verify,
 * lint and show read in strict mode (verify keeps malformed extension values, which its
 * rules turn into verdicts); problem_rule names the rule that was broken. With RSPG_CI_LENIENT
 * these are recorded instead (`problem`, ext[].count, ext[].malformed) so that a linter or a
 * validator can report them in its own words.
 */
#ifndef RSPG_CERT_INFO_H
#define RSPG_CERT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/diag.h"
#include "rspg/crypto/curve.h"
#include "rspg/rsp/rulebook.h"
#include "rspg/x509/x509.h"

#define RSPG_CI_MAX 16 /* items kept per list (more are counted, not kept) */

enum {
    RSPG_CI_STRICT = 0,
    RSPG_CI_KEEP_MALFORMED = 1, /* a known extension whose value does not decode is recorded
                                   (ext[].malformed) instead of refused */
    RSPG_CI_LENIENT = 3,        /* also duplicates, bad extension OIDs and bad serials */
};

/* The rule a problem breaks (rspg_cert_info.problem_rule), for linters and reports. */
#define RSPG_CI_RULE_DER_INVALID "der_invalid"                 /* X.690 / RFC 5280 §4.1 */
#define RSPG_CI_RULE_OID_INVALID "oid_invalid"                 /* X.690 §8.19 */
#define RSPG_CI_RULE_EXT_DUPLICATE "ext_duplicate"             /* RFC 5280 §4.2 */
#define RSPG_CI_RULE_EXT_MALFORMED "ext_malformed"             /* RFC 5280 §4.2.1 */
#define RSPG_CI_RULE_SERIAL_NOT_POSITIVE "serial_not_positive" /* RFC 5280 §4.1.2.2 */
#define RSPG_CI_RULE_SERIAL_NOT_MINIMAL "serial_not_minimal"   /* X.690 §8.3.2 */
#define RSPG_CI_RULE_SERIAL_TOO_LONG "serial_too_long"         /* RFC 5280 §4.1.2.2 */

typedef struct rspg_cert_ext_info {
    int present;
    size_t index; /* of the first occurrence in x.exts (the struct may be copied or moved) */
    int critical;
    int count;     /* occurrences; more than 1 is a duplicate (RFC 5280 §4.2) */
    int malformed; /* its value does not decode */
} rspg_cert_ext_info;

typedef struct rspg_cert_policy {
    rspg_der_tlv oid;
    char text[96]; /* dotted; "(malformed OID)" when it is not one */
    int role;      /* rspg_role of an RSP role policy; -1 otherwise */
    int v3;        /* the arc of that role policy */
} rspg_cert_policy;

typedef struct rspg_cert_info {
    rspg_x509 x;                   /* the strict parse: views of every field */
    const char *problem;           /* lenient modes: the first strictness problem; NULL when none */
    const char *problem_rule;      /* its rule (RSPG_CI_RULE_*); also set when refused */
    const char *structure_problem; /* the first duplicate / extension OID / serial problem */
    const char *content_problem;   /* the first malformed extension value */

    rspg_cert_ext_info ext[RSPG_XID_COUNT]; /* indexed by rspg_xid */
    int has_duplicate;                      /* some extension (known or not) appears twice */

    /* keyUsage (§4.2.1.3): RSPG_KU_* bits; 0 when absent or malformed */
    unsigned ku;
    /* basicConstraints (§4.2.1.9) */
    int ca;
    long path_len; /* -1: absent */
    /* extendedKeyUsage (§4.2.1.12) */
    rspg_der_tlv eku[RSPG_CI_MAX];
    size_t n_eku;
    int eku_server_auth, eku_client_auth;
    /* certificatePolicies (§4.2.1.4; SGP.22 §4.5.2.1) */
    rspg_cert_policy policies[RSPG_CI_MAX];
    size_t n_policies;
    int role;    /* the first RSP role policy's role; -1 none */
    int role_v3; /* its arc */
    /* nameConstraints (§4.2.1.10): the base GeneralName TLV of each subtree */
    rspg_der_tlv nc_permitted[RSPG_CI_MAX], nc_excluded[RSPG_CI_MAX];
    size_t n_nc_permitted, n_nc_excluded;
    /* the EUM constraint (SGP.22 §4.5.2.1.0.2): O and serialNumber of the permitted
     * directoryNames (values, views), and the v3 permittedEins prefixes */
    size_t nc_dirnames;
    rspg_der_tlv nc_orgs[RSPG_CI_MAX], nc_prefixes[RSPG_CI_MAX];
    size_t n_nc_orgs, n_nc_prefixes;
    rspg_der_tlv eins[RSPG_CI_MAX];
    size_t n_eins;
    /* subjectAltName (§4.2.1.6): GeneralName TLVs */
    rspg_der_tlv san[RSPG_CI_MAX];
    size_t n_san;
    /* cRLDistributionPoints (§4.2.1.13): the fullName GeneralNames of every point */
    rspg_der_tlv crldp[RSPG_CI_MAX];
    size_t n_crldp;
    /* SKI (§4.2.1.2) and AKI keyIdentifier (§4.2.1.1); NULL when absent */
    const uint8_t *ski, *aki;
    size_t ski_len, aki_len;
    int aki_keyid_only; /* the AKI holds keyIdentifier and nothing else */
    /* subject attributes (the first of each; value TLVs, len 0 and tag 0 when absent) */
    rspg_der_tlv subject_cn, subject_o, subject_serial;
    /* key and signature */
    const rspg_curve *curve; /* NULL: not a curve rsp-pkigen knows */
    int sig_alg_ok;          /* both signature fields: ecdsa-with-SHA256, no parameters */
} rspg_cert_info;

/* Decodes DER (LEN bytes) into CI. FLAGS: RSPG_CI_STRICT or RSPG_CI_LENIENT. Returns
 * RSPG_OK, or RSPG_E_INPUT with the reason (e.g.
 * "malformed keyUsage", "duplicated extension keyUsage (RFC 5280 §4.2)") in D. */
rspg_status rspg_cert_info_read(const uint8_t *der, size_t len, unsigned flags, rspg_cert_info *ci,
                                rspg_diag *d);

/* Copies the contents of a string TLV V into OUT (NUL-terminated); -1 when absent (len 0 and
 * tag 0) or when it does not fit CAP. */
int rspg_cert_info_text(const rspg_der_tlv *v, char *out, size_t cap);

/* The SGP.22 EUM constraint of CA certificate CI is present (nameConstraints with a
 * directoryName, or permittedEins)? */
int rspg_cert_info_constrains(const rspg_cert_info *ci);

/* The first occurrence of extension ID in CI->x.exts; NULL when absent. */
const rspg_x509_ext *rspg_cert_info_ext(const rspg_cert_info *ci, rspg_xid id);

/* Is the named EKU present? */
int rspg_cert_info_has_eku(const rspg_cert_info *ci, const char *oid);

#endif
