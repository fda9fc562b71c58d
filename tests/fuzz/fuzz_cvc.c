/*
 * fuzz_cvc.c: libFuzzer target for the SGP.02 card-verifiable certificate reader
 * (include/rspg/cvc.h): sniffing, loading (binary or hex text), the strict decoder, the
 * kind and dates of a decoded certificate, the signature conversions, `show` (text and
 * JSON) and verification against two fixed issuer keys (P-256 and brainpoolP256r1, derived
 * from a constant seed, so runs are reproducible). A certificate that decodes is also
 * re-encoded from its own fields and must decode again.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rspg/base/buf.h"
#include "rspg/crypto/curve.h"
#include "rspg/crypto/key.h"
#include "rspg/sgp02/cvc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int64_t fuzz_time = 1735689600; /* 2025-01-01T00:00:00Z */
static rspg_key issuer_keys[2];
static int have_keys = -1;

static void init_keys(void)
{
    static const uint8_t seed[] = {0x5e, 0xed};
    rspg_diag d;
    rspg_diag_init(&d);
    have_keys = rspg_key_derive(rspg_curve_find("prime256v1"), seed, sizeof(seed), "ci", &d,
                                &issuer_keys[0]) == RSPG_OK &&
                rspg_key_derive(rspg_curve_find("brainpoolP256r1"), seed, sizeof(seed), "ci", &d,
                                &issuer_keys[1]) == RSPG_OK;
    rspg_diag_fini(&d);
}

/* Re-encodes a decoded certificate from its own fields (its subject key taken from B0
 * when the curve is known) and requires the result to decode. */
static void reencode(const rspg_cvc *c)
{
    if (c->curve == NULL || c->n_items > RSPG_CVC_MAX_ITEMS)
        return;
    rspg_diag d;
    rspg_key subject;
    rspg_diag_init(&d);
    if (rspg_key_from_public(c->curve, c->point.value, c->point.len, &d, &subject) != RSPG_OK) {
        rspg_diag_fini(&d);
        return;
    }
    rspg_cvc_item items[RSPG_CVC_MAX_ITEMS];
    for (size_t i = 0; i < c->n_items; i++) {
        items[i].tag = c->items[i].tag;
        items[i].value = c->items[i].value;
        items[i].len = c->items[i].len;
    }
    rspg_cvc_fields f;
    memset(&f, 0, sizeof(f));
    f.serial = c->serial.value;
    f.serial_len = c->serial.len;
    f.ca_id = c->ca_id.value;
    f.ca_id_len = c->ca_id.len;
    f.subject_id = c->subject_id.value;
    f.subject_id_len = c->subject_id.len;
    f.key_usage = c->key_usage.value;
    f.key_usage_len = c->key_usage.len;
    f.has_effective = c->has_effective;
    f.effective = c->effective_date;
    f.expiration = c->expiration_date;
    if (c->has_sd_image) {
        f.sd_image = c->sd_image.value;
        f.sd_image_len = c->sd_image.len;
    }
    f.has_discretionary =
        c->has_discretionary && c->discretionary.tag == RSPG_CVC_TAG_DISCRETIONARY;
    f.discretionary = items;
    f.n_discretionary = f.has_discretionary ? c->n_items : 0;
    f.key_param = c->key_param.value;
    f.key_param_len = c->key_param.len;
    rspg_buf out;
    rspg_buf_init(&out);
    const rspg_key *issuer = &issuer_keys[c->curve == issuer_keys[1].curve ? 1 : 0];
    if (have_keys &&
        rspg_cvc_encode(&f, &subject, issuer, RSPG_NONCE_RFC6979, &d, &out) == RSPG_OK) {
        rspg_cvc again;
        if (rspg_cvc_decode(out.data, out.len, &again, NULL) != 0 ||
            rspg_cvc_verify_signature(&again, issuer) != 1)
            __builtin_trap(); /* what the encoder writes, the decoder must read */
    }
    rspg_buf_free(&out);
    rspg_key_free(&subject);
    rspg_diag_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (have_keys < 0)
        init_keys();
    (void)rspg_cvc_sniff(data, size);

    rspg_buf bin;
    rspg_buf_init(&bin);
    if (rspg_cvc_load(data, size, &bin) == 0) {
        rspg_cvc c;
        if (rspg_cvc_decode(bin.data, bin.len, &c, NULL) == 0) {
            (void)rspg_cvc_kind(&c);
            (void)rspg_cvc_check_dates(&c, fuzz_time);
            uint8_t plain[132];
            rspg_buf der;
            rspg_buf_init(&der);
            if (rspg_cvc_sig_to_der(c.signature.value, c.signature.len, &der) == 0)
                (void)rspg_cvc_sig_to_plain(der.data, der.len, 32, plain);
            rspg_buf_free(&der);
            reencode(&c);
        }
    }
    rspg_buf_free(&bin);

    rspg_diag d;
    rspg_diag_init(&d);
    rspg_buf out;
    rspg_buf_init(&out);
    (void)rspg_cvc_show(data, size, 0, &out, &d);
    rspg_buf_reset(&out);
    (void)rspg_cvc_show(data, size, 1, &out, &d);
    rspg_buf_free(&out);
    rspg_diag_fini(&d);

    if (have_keys) {
        rspg_cvc_issuer issuers[2] = {
            {&issuer_keys[0], issuer_keys[0].ski, sizeof(issuer_keys[0].ski), "ci-nist"},
            {&issuer_keys[1], issuer_keys[1].ski, sizeof(issuer_keys[1].ski), "ci-brp"},
        };
        rspg_cvc_verdict v;
        rspg_cvc_verify(data, size, issuers, 2, fuzz_time, &v);
    }
    return 0;
}
