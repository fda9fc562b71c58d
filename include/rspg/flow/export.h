/*
 * export.h: `rsp-pkigen export osmo-smdpp BUILD_DIR -o DATA_DIR`: the SM-DP+ side of a build
 * laid out as osmo-smdpp's data folder (pySim's smdpp-data), so that Osmocom's SM-DP+ serves
 * it as it is (issue 13):
 *
 *   DATA_DIR/certs/CertificateIssuer/CERT_CI_ECDSA_{NIST,BRP}.der       the CI(s), nothing else
 *   DATA_DIR/certs/DPauth/CERT_S_SM_DPauth_ECDSA_{C}.der + SK_S_SM_DPauth_ECDSA_{C}.pem
 *   DATA_DIR/certs/DPpb/CERT_S_SM_DPpb_ECDSA_{C}.der     + SK_S_SM_DPpb_ECDSA_{C}.pem
 *   DATA_DIR/certs/DPtls/CERT_S_SM_DP_TLS_{C}.der (+ .pem) + SK_S_SM_DP_TLS_{C}.pem
 *
 * ({C} = NIST for prime256v1, BRP for brainpoolP256r1: pySim's names.) osmo-smdpp reads
 * every file of CertificateIssuer/ as a CI certificate, so only the trusted CIs of the
 * variant go there. Only DATA_DIR/certs is written; the rest of DATA_DIR (upp/, the
 * session files) is left alone.
 *
 * Files are found through BUILD_DIR/manifest.json (never by guessing paths), and each one's
 * sha256 is checked against it. Selected: the valid certificates of the variant (default O)
 * of one SM-DP+, by its manifest name (default: the first, in byte order, that has DPauth,
 * DPpb and DP TLS certificates: "SM-DP+" before "SM-DP+2"), on every curve where the CI and
 * all three exist. Each SM-DP+ certificate must be issued by the CI itself: osmo-smdpp sends
 * no intermediate certificate (no otherCertsInChain), and its tree has no place for one.
 *
 * Writing is atomic as a build's (output.h: a stage beside DATA_DIR/certs, then a rename;
 * keys 0600; DATA_DIR/certs.lock). An existing DATA_DIR/certs is replaced only with force,
 * and then only when it looks like an osmo-smdpp certs folder (its entries are among
 * CertificateIssuer, DPauth, DPpb, DPtls, README, dhparam2048.pem); a folder holding the
 * build is never replaced.
 */
#ifndef RSPG_EXPORT_H
#define RSPG_EXPORT_H

#include <stddef.h>

#include "rspg/base/diag.h"

typedef struct rspg_export_options {
    const char *build_dir; /* a folder written by `rsp-pkigen build` */
    const char *output;    /* DATA_DIR (created when missing); DATA_DIR/certs is written */
    const char *variant;   /* NULL: "O" */
    const char *dp_name;   /* the SM-DP+'s manifest "name"; NULL: chosen as above */
    int force;             /* replace an existing DATA_DIR/certs */
} rspg_export_options;

#define RSPG_EXPORT_MAX_FILES 16 /* 2 curves x (CI + 2 x DPauth, DPpb + 3 x DPtls) */

typedef struct rspg_export_summary {
    size_t files;                          /* files written under DATA_DIR/certs */
    char paths[RSPG_EXPORT_MAX_FILES][64]; /* their paths below certs/, sorted */
    char dp_name[64];                      /* the SM-DP+ exported */
    char curves[16];                       /* "NIST", "BRP" or "NIST, BRP" */
} rspg_export_summary;

/* Writes the osmo-smdpp tree. Statuses: RSPG_OK; RSPG_E_INPUT when BUILD_DIR is not a build
 * folder (no or another manifest.json) or a file it names is missing or changed;
 * RSPG_E_USAGE when the variant has no SM-DP+ certificates to export (the message names the
 * variants that have), an SM-DP+ certificate is not issued by the CI, a key is not in a
 * file, or the destination is refused (exists without force, not a certs folder);
 * RSPG_E_IO when DATA_DIR/certs is locked by another run or cannot be written. SUMMARY (may
 * be NULL) is filled on success. */
rspg_status rspg_export_osmo_smdpp(const rspg_export_options *o, rspg_diag *d,
                                   rspg_export_summary *summary);

#endif
