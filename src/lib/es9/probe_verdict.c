/*
 * probe_verdict.c: compares an SM-DP+'s functionExecutionStatus (SGP.22 §6.5.1.4) with what
 * SGP.22 §5.6.3 requires for a conformance case (the rulebook's ES9+ codes).
 */
#include <stdio.h>
#include <string.h>

#include "rspg/es9/probe_verdict.h"

/* subjectCode 8.2 and below: "Profile" (SGP.22 §5.6.3, e.g. 8.2.6/3.8 Refused: no order for
 * this matchingId). The server reached them only after authenticating the eUICC. */
static int profile_subject(const char *subject)
{
    return strcmp(subject, "8.2") == 0 || strncmp(subject, "8.2.", 4) == 0;
}

rspg_probe_verdict rspg_probe_compare(const rspg_probe_expect *e, const rspg_es9_status *got)
{
    if (e->accept)
        return got->success || profile_subject(got->subject_code) ? RSPG_PROBE_PASS
                                                                  : RSPG_PROBE_SERVER_FAULT;
    if (got->success)
        return RSPG_PROBE_SERVER_FAULT;
    if (!e->subject_code)
        return RSPG_PROBE_PASS;
    return strcmp(e->subject_code, got->subject_code) == 0 &&
                   strcmp(e->reason_code, got->reason_code) == 0
               ? RSPG_PROBE_PASS
               : RSPG_PROBE_OTHER_CODE;
}

const char *rspg_probe_verdict_name(rspg_probe_verdict v)
{
    switch (v) {
    case RSPG_PROBE_PASS:
        return "pass";
    case RSPG_PROBE_OTHER_CODE:
        return "other code";
    case RSPG_PROBE_SERVER_FAULT:
        return "SERVER FAULT";
    case RSPG_PROBE_ERROR:
        break;
    }
    return "error";
}

const char *rspg_probe_status_text(const rspg_es9_status *st, char *buf, size_t cap)
{
    if (st->success)
        snprintf(buf, cap, "success");
    else if (st->http_status != 200)
        snprintf(buf, cap, "%s", st->status);
    else
        snprintf(buf, cap, "%s/%s", st->subject_code[0] ? st->subject_code : "-",
                 st->reason_code[0] ? st->reason_code : "-");
    return buf;
}
