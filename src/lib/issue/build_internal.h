/*
 * build_internal.h: what the parts of rspg_build share (internal to the library).
 *
 * A build is planned (plan.c: one instance per entity x curve, the selected ones and the
 * issuer chains and key sources they need), then each needed instance gets its key
 * (keys.c) and is issued, issuer first (issue.c: TBS, signature, artifacts), then the
 * CRLs of the issued CAs are signed (crl_build.c). build.c is the driver.
 *
 * Not thread-safe: a builder belongs to one rspg_build call.
 */
#ifndef RSPG_BUILD_INTERNAL_H
#define RSPG_BUILD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"
#include "rspg/crypto/key.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"
#include "rspg/x509/cert.h"

/* One entity on one curve. */
typedef struct rspg_inst {
    const rspg_entity *e;
    const rspg_curve_def *cd;
    int needed; /* selected, or an issuer or key source of a selected instance */
    int state;  /* 0 new, 1 issuing, 2 issued */
    int has_key;
    rspg_key key;
    rspg_buf cert;         /* Certificate DER */
    rspg_buf subject_name; /* Name DER */
    char *variant;
    char *cert_path; /* the DER file if any, else the first file */
    char *key_path;
    char *key_origin; /* the file the key was read from, or NULL */
    int public_only;  /* the key came from a CSR or public-key file: it cannot sign */
} rspg_inst;

typedef struct rspg_builder {
    const rspg_profile *p;
    const rspg_build_options *o;
    rspg_diag *d;
    rspg_build_result *r;
    rspg_inst *insts; /* owned */
    size_t n;
} rspg_builder;

/* plan.c: creates every instance of the profile and marks the needed ones; RSPG_E_USAGE
 * when the filters select nothing. rspg_plan_free releases the instances. */
rspg_status rspg_plan(rspg_builder *b);
void rspg_plan_free(rspg_builder *b);
/* The instance of entity ID on curve CURVE_KEY, or NULL. */
rspg_inst *rspg_plan_find(const rspg_builder *b, const char *id, const char *curve_key);
/* ${CURVE} and ${VARIANT} of an instance. */
rspg_subst rspg_plan_subst(const rspg_inst *in);
/* DIR/FILE ('/'-separated; FILE alone when DIR is NULL or empty); a new string. */
char *rspg_plan_join(const char *dir, const char *file);
/* The output path of FILE (substituted, under the entity's dir); a new string. */
char *rspg_plan_out_path(const rspg_inst *in, const char *file);
int rspg_plan_ends_with(const char *s, const char *suffix);

/* keys.c: the instance's key from its source (generated, derived, file, PKCS#11, other
 * entity); memoised. */
rspg_status rspg_inst_key(rspg_builder *b, rspg_inst *in);

/* issue.c: issues the instance (its issuer first) and, when needed, adds its artifacts. */
rspg_status rspg_inst_issue(rspg_builder *b, rspg_inst *in);
/* A new artifact of the instance in R, with the instance's common fields; takes PATH. */
rspg_artifact *rspg_inst_artifact(rspg_build_result *r, rspg_artifact_kind kind, char *path,
                                  const rspg_inst *in);
/* The serial as the hex of its DER INTEGER contents (minimal, 00 when the top bit is
 * set); a new string. */
char *rspg_serial_hex(const uint8_t *serial, size_t len);

/* crl_build.c: signs CRL C of the issued CA instance and adds its artifacts. */
rspg_status rspg_crl_issue(rspg_builder *b, const rspg_crl_def *c, rspg_inst *ca);

#endif
