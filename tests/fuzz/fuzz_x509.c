/*
 * fuzz_x509.c: libFuzzer target for the certificate and CRL readers and for what reads
 * certificates after them: the verifier, the linter and `show`.
 *
 * The input is taken three ways:
 *  - whole, as a certificate (rspg_x509_parse and its accessors) and as a CRL
 *    (rspg_crl_parse, rspg_crl_lists), then through lint and show (text and JSON), which
 *    also accept PEM;
 *  - split after its first DER TLV into a leaf and the rest, so that a seed made of
 *    leaf.der || issuer.der (|| crl.der) exercises path building: the rest is added as a
 *    trust anchor (and as a CRL), the leaf is checked against it;
 *  - whole, as a self-signed trust anchor checked on its own.
 * The verifier's clock is fixed (2025-01-01T00:00:00Z) so runs are reproducible.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"
#include "rspg/check/lint.h"
#include "rspg/check/show.h"
#include "rspg/check/verify.h"
#include "rspg/x509/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int64_t fuzz_time = 1735689600; /* 2025-01-01T00:00:00Z */

static void readers(const uint8_t *data, size_t size)
{
    rspg_x509 x;
    if (rspg_x509_read(data, size, &x, NULL) == 0) {
        size_t n;
        (void)rspg_x509_ski(&x, &n);
        (void)rspg_x509_aki(&x, &n);
        (void)rspg_x509_sig_value(&x, &n);
        (void)rspg_x509_find_ext(&x, "2.5.29.32");
        (void)rspg_x509_find_ext(&x, "2.23.146.1.2.2.0");
    }
    rspg_x509_crl c;
    if (rspg_crl_read(data, size, &c, NULL) == 0) {
        static const uint8_t serial[] = {0x01};
        (void)rspg_crl_lists(&c, serial, sizeof(serial));
        (void)rspg_crl_lists(&c, data, size < 20 ? size : 20);
    }
}

static void lint_and_show(const uint8_t *data, size_t size)
{
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_lint_options lo = {.role = -1, .variant = NULL};
    rspg_lint_result lr;
    (void)rspg_lint_cert(data, size, &lo, &lr, &d);
    rspg_lint_result_free(&lr);
    lo.role = (int)RSPG_ROLE_EUICC; /* the EID and EUM-constraint checks */
    lo.variant = "A";
    (void)rspg_lint_cert(data, size, &lo, &lr, &d);
    rspg_lint_result_free(&lr);

    rspg_show_options so = {0};
    rspg_buf out;
    rspg_buf_init(&out);
    (void)rspg_show_cert(data, size, &so, &out, &d);
    rspg_buf_reset(&out);
    so.json = 1;
    (void)rspg_show_cert(data, size, &so, &out, &d);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);
}

static void verifier(const uint8_t *leaf, size_t leaf_len, const uint8_t *rest, size_t rest_len)
{
    rspg_diag d;
    rspg_verdict vd;
    rspg_diag_init(&d);
    rspg_verifier *v = rspg_verifier_new(fuzz_time);
    if (rest_len > 0) {
        /* the rest: an issuer (trust anchor), then a CRL; extra TLVs are more issuers */
        rspg_der_cursor cur;
        rspg_der_tlv t;
        rspg_der_cursor_init(&cur, rest, rest_len);
        while (rspg_der_read(&cur, &t) == 0) {
            size_t n = t.hdr_len + t.len;
            if (rspg_verifier_add_cert(v, "issuer", t.hdr, n, 1, -1, &d) < 0) {
                int ci = rspg_verifier_add_crl(v, "crl", t.hdr, n, &d);
                if (ci >= 0)
                    rspg_verifier_check_crl(v, ci, &vd);
            }
        }
    }
    int li = rspg_verifier_add_cert(v, "leaf", leaf, leaf_len, 0, -1, &d);
    if (li >= 0)
        rspg_verifier_check(v, li, &vd);
    rspg_verifier_free(v);

    /* the leaf as a self-signed trust anchor, and as an eUICC */
    v = rspg_verifier_new(fuzz_time);
    int ti = rspg_verifier_add_cert(v, "root", leaf, leaf_len, 1, -1, &d);
    if (ti >= 0)
        rspg_verifier_check(v, ti, &vd);
    int ei = rspg_verifier_add_cert(v, "euicc", leaf, leaf_len, 0, (int)RSPG_ROLE_EUICC, &d);
    if (ei >= 0)
        rspg_verifier_check(v, ei, &vd);
    rspg_verifier_free(v);
    rspg_diag_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    readers(data, size);
    lint_and_show(data, size);

    rspg_der_cursor cur;
    rspg_der_tlv first;
    rspg_der_cursor_init(&cur, data, size);
    if (rspg_der_read(&cur, &first) == 0) {
        size_t n = first.hdr_len + first.len;
        readers(data, n);
        if (n < size)
            lint_and_show(data, n);
        verifier(data, n, data + n, size - n);
    } else {
        verifier(data, size, NULL, 0); /* PEM, or garbage */
    }
    return 0;
}
