/*
 * diff.c: the difference between an invalid case and its valid twin (SGP.26 builds each
 * invalid case as a copy of a valid certificate with one thing changed), read from what
 * `show` prints of both: the fields whose text differs, the twin's value beside the
 * invalid one's. When every printed field is equal the difference is in the signature
 * (compared bit for bit) or outside the certificate (its issuer's CRL, its trust anchor).
 */
#include <string.h>

#include "report_internal.h"
#include "rspg/report/escape.h"

typedef struct field {
    const char *label; /* points into the text; not NUL-terminated */
    size_t label_len;
    const char *value;
    size_t value_len; /* the rest of the line and its continuation lines */
} field;

#define MAX_FIELDS 64

/* Splits show's text ("  label:   value" lines, continuation lines indented deeper). */
static size_t split_fields(const char *text, field *f, size_t cap)
{
    size_t n = 0;
    const char *p = text;
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        int starts = len > 2 && p[0] == ' ' && p[1] == ' ' && p[2] != ' ' && colon;
        if (starts && n < cap) {
            const char *v = colon + 1;
            while (v < p + len && *v == ' ')
                v++;
            f[n++] = (field){p + 2, (size_t)(colon - p - 2), v, (size_t)(p + len - v)};
        } else if (!starts && n > 0 && len > 0) {
            f[n - 1].value_len = (size_t)(p + len - f[n - 1].value);
        }
        p = eol ? eol + 1 : NULL;
    }
    return n;
}

static const field *find_field(const field *f, size_t n, const field *like)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].label_len == like->label_len &&
            memcmp(f[i].label, like->label, like->label_len) == 0)
            return &f[i];
    return NULL;
}

static void row(rspg_buf *out, const field *label, const field *twin, const field *inv)
{
    rspg_buf_puts(out, "<tr><th>");
    rspg_html_escape(out, label->label, label->label_len);
    rspg_buf_puts(out, "</th><td class=\"was\">");
    if (twin)
        rspg_html_escape(out, twin->value, twin->value_len);
    else
        rspg_buf_puts(out, "<i>absent</i>");
    rspg_buf_puts(out, "</td><td class=\"now\">");
    if (inv)
        rspg_html_escape(out, inv->value, inv->value_len);
    else
        rspg_buf_puts(out, "<i>absent</i>");
    rspg_buf_puts(out, "</td></tr>\n");
}

static int same(const field *a, const field *b)
{
    return a && b && a->value_len == b->value_len && memcmp(a->value, b->value, a->value_len) == 0;
}

/* Fields that change along with another key or issuer (RFC 5280 §4.2.1.1, §4.2.1.2) or a
 * new serial: shown only when nothing else differs, else just named. */
static int secondary(const field *f)
{
    static const char *const names[] = {"serial", "SKI", "AKI"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (f->label_len == strlen(names[i]) && memcmp(f->label, names[i], f->label_len) == 0)
            return 1;
    return 0;
}

/* Writes the differing fields of pass PASS (0 primary, 1 secondary) as rows, or (NAMES) as a
 * list of labels; returns how many differ. */
static size_t emit(const field *ft, size_t nt, const field *fi, size_t ni, int pass, int names,
                   rspg_buf *out)
{
    size_t n = 0;
    for (size_t k = 0; k < nt + ni; k++) {
        const field *f = k < nt ? &ft[k] : &fi[k - nt];
        const field *other = k < nt ? find_field(fi, ni, f) : find_field(ft, nt, f);
        if (secondary(f) != pass || (k < nt ? same(f, other) : other != NULL))
            continue; /* equal, or (second half) present in the twin: seen in the first */
        if (names) {
            rspg_buf_puts(out, n ? ", " : "");
            rspg_html_escape(out, f->label, f->label_len);
        } else {
            row(out, f, k < nt ? f : NULL, k < nt ? other : f);
        }
        n++;
    }
    return n;
}

size_t rspg_report_diff(const rspg_report_cert *twin, const rspg_report_cert *inv, rspg_buf *out)
{
    if (twin->show == NULL || inv->show == NULL)
        return 0;
    field ft[MAX_FIELDS], fi[MAX_FIELDS];
    size_t nt = split_fields(twin->show, ft, MAX_FIELDS);
    size_t ni = split_fields(inv->show, fi, MAX_FIELDS);
    size_t n = emit(ft, nt, fi, ni, 0, 0, out);
    if (n == 0) {
        n = emit(ft, nt, fi, ni, 1, 0, out);
    } else {
        rspg_buf more;
        rspg_buf_init(&more);
        if (emit(ft, nt, fi, ni, 1, 1, &more)) {
            rspg_buf_puts(out, "<tr><td colspan=\"3\"><small>also differs (another key or "
                               "serial): ");
            rspg_buf_append(out, more.data, more.len);
            rspg_buf_puts(out, "</small></td></tr>\n");
        }
        rspg_buf_free(&more);
    }
    if (n == 0 && twin->sig && inv->sig &&
        (twin->sig_len != inv->sig_len || memcmp(twin->sig, inv->sig, twin->sig_len) != 0)) {
        rspg_buf_puts(out, "<tr><th>signatureValue</th><td class=\"was\">the issuer's signature"
                           "</td><td class=\"now\">another value (the fields above are equal)"
                           "</td></tr>\n");
        n++;
    }
    return n;
}
