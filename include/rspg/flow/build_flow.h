/*
 * build_flow.h: the `build` command as one library call, a build that checks itself:
 * load the profile -> check its rules -> build in memory (build.h) -> manifest
 * (manifest.h) -> write a temporary folder (output.h) -> verify it (verify.h) -> rename
 * it into place.
 *
 * The self-check runs the folder verifier (rspg_verify_dir) over the temporary folder.
 * When a certificate's or CRL's verdict differs from what the manifest says of it
 * (expect, reason), the build is refused with RSPG_E_VERIFY: one located error per such
 * file (the profile line of its entity or CRL, the verifier's rule and reason) and
 * nothing written, neither the destination nor a temporary folder.
 *
 * Validity depends on the time. The verdicts are taken at the build clock (the manifest's
 * clock.time, as `verify DIR` will): a profile that pins its dates (gsma-sgp26-v3.yaml) built
 * with another --clock is refused when a certificate it calls valid is not valid then. A
 * build the verifier cannot read is refused too: nothing unchecked is written.
 *
 * The destination (issue 14, output.h): checked and locked (DEST.lock, flock) right after
 * the profile is loaded, released when the run ends; a run that finds it locked fails
 * with RSPG_E_IO naming the holder's pid, with nothing done. Every output path is checked
 * after substitution (RSPG_E_PROFILE at its entity) before anything is written.
 */
#ifndef RSPG_BUILD_FLOW_H
#define RSPG_BUILD_FLOW_H

#include <stddef.h>

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"
#include "rspg/issue/output_format.h"
#include "rspg/profile/profile.h"

typedef struct rspg_build_flow_options {
    const char *profile_path;      /* the YAML profile */
    const rspg_load_options *load; /* --var and --set, or NULL */
    rspg_build_options build;      /* filters, keys, clock, nonces; profile_dir may be NULL
                                      (then: the profile's folder) */
    const char *output;            /* the destination folder */
    int force;                     /* replace an existing previous output (or empty folder) */
    int force_any;                 /* with force: replace any folder (output.h lists the
                                      ones never replaced) */
    /* --format, --key-format, --pkcs12 (output_format.h), or NULL for the profile's */
    const rspg_output_format *format;
    /* the profile's text instead of the file (e.g. from stdin; profile_path names it) */
    const char *profile_text;
    size_t profile_len;
} rspg_build_flow_options;

typedef struct rspg_build_flow_summary {
    size_t files;        /* files written, without manifest.json */
    size_t certificates; /* X.509 certificates among them */
    size_t checked;      /* certificates and CRLs the self-check judged */
} rspg_build_flow_summary;

/* Runs a whole build into O->output. Statuses: RSPG_OK; RSPG_E_PROFILE when the profile
 * cannot be read (a missing file included) or is wrong, an output path outside the
 * folder included; RSPG_E_USAGE for a refused destination or filters that select nothing;
 * RSPG_E_IO when the destination is locked by another run; RSPG_E_VERIFY when the self-check
 * refuses the build; RSPG_E_IO, RSPG_E_CRYPTO, RSPG_E_INPUT from issuing or writing. SUMMARY (may
 * be NULL) is filled on success only. Not thread-safe with respect to the PKCS#11 PIN callback
 * (pkcs11.h); otherwise every call is independent. */
rspg_status rspg_build_flow_run(const rspg_build_flow_options *o, rspg_diag *d,
                                rspg_build_flow_summary *summary);

#endif
