/*
 * escape.h: the one HTML escaping function of the report. Every value that comes from a
 * certificate, the manifest or the profile goes through it before it reaches the page
 * (text and attribute values alike): & < > " ' become entities, and bytes that are not
 * valid UTF-8 or are control characters (other than tab and newline) become U+FFFD, so a
 * subject name cannot open a tag, close an attribute or break the page's encoding.
 *
 * Ownership: appends to a caller-owned buffer. Thread safety: pure.
 */
#ifndef RSPG_REPORT_ESCAPE_H
#define RSPG_REPORT_ESCAPE_H

#include <stddef.h>

#include "rspg/base/buf.h"

/* Appends the N bytes at S to OUT, HTML-escaped (usable in text and in quoted attributes). */
void rspg_html_escape(rspg_buf *out, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL appends nothing. */
void rspg_html_puts(rspg_buf *out, const char *s);

#endif
