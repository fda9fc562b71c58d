/*
 * graph.h: `rsp-pkigen graph`: the hierarchy of a build folder in Graphviz DOT, one cluster
 * per variant and curve (model.h groups), an edge from each issuer to what it signed; invalid
 * cases drawn dashed red, with the SGP.22 reason a validator must reach. Labels are DOT
 * strings with " and \ escaped, so `dot -Tsvg` accepts any subject name.
 */
#ifndef RSPG_REPORT_GRAPH_H
#define RSPG_REPORT_GRAPH_H

#include "rspg/base/buf.h"
#include "rspg/base/diag.h"

/* Appends the DOT text of DIR to OUT, only variant VARIANT and curve CURVE when not NULL
 * (CURVE: an OpenSSL name such as prime256v1, or an alias such as nist, P-256, brp).
 * Returns RSPG_OK; RSPG_E_USAGE when VARIANT or CURVE is not one of the build (the message
 * names the valid ones); RSPG_E_IO when DIR has no readable manifest. */
rspg_status rspg_report_dot(const char *dir, const char *variant, const char *curve, rspg_buf *out,
                            rspg_diag *d);

#endif
