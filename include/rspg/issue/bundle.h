/*
 * bundle.h: the trust bundles and full chains of a build (issue 13), what a TLS server and
 * an LPA or test client load, derived from the certificates a build issued:
 *
 *   - one CA bundle per trust anchor set, variant x curve: Bundles/CA_BUNDLE_<V>_<SUFFIX>.pem
 *     (kind "ca-bundle"): the trusted CIs (roots not marked `trusted: false`) of variant V
 *     on that curve, PEM, nothing else. SubCAs are not in it: SGP.22 §2.6 makes the CI the
 *     only trust anchor (the eUICC's and LPA's pkId lists name CIs); a SubCA is sent by the
 *     server in its chain, and a bundle holding it would hide a server that forgets to.
 *   - one full chain per TLS certificate (DP, DS, eIM TLS, invalid cases included), beside
 *     it: <leaf name without .der/.pem>.fullchain.pem (kind "fullchain"): the leaf, then the
 *     CAs from its issuer up to, not including, the root (the order RFC 8446 §4.4.2 and
 *     RFC 5246 §7.4.2 ask of a server); its key is the leaf's SK_ file when that is PEM, else
 *     a PEM copy <key name without extension>.pem (an HSM key has none). An invalid TLS
 *     certificate's chain carries its expect/case/reason: a server presents it to test
 *     that clients reject it.
 *
 * The manifest lists every file ("certificates": the member files in order; "key").
 */
#ifndef RSPG_BUNDLE_H
#define RSPG_BUNDLE_H

#include "rspg/base/diag.h"
#include "rspg/issue/build.h"
#include "rspg/profile/profile.h"

#define RSPG_BUNDLE_DIR "Bundles"

/* Adds the CA bundles and full chains of the certificates in R (a result of rspg_build,
 * sorted by path) to R and sorts it again. RSPG_E_PROFILE (at the entity) when a new file
 * would take the path of another one. */
rspg_status rspg_bundle_add(rspg_build_result *r, const rspg_profile *p, rspg_diag *d);

#endif
