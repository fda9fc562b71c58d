/*
 * fuzz_key.c: libFuzzer target for private key loading (rspg_key_load: PEM or DER, SEC1
 * or PKCS#8, a leading EC PARAMETERS block skipped). A key that loads is written back in
 * every encoding rsp-pkigen writes (SEC1, SubjectPublicKeyInfo, EC PARAMETERS) and signs
 * a digest, as the builder would.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rspg/base/buf.h"
#include "rspg/crypto/key.h"
#include "rspg/crypto/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rspg_diag d;
    rspg_key k;
    rspg_diag_init(&d);
    if (rspg_key_load(data, size, "fuzz.key", &d, &k) == RSPG_OK) {
        rspg_buf b;
        rspg_buf_init(&b);
        rspg_key_spki_der(&k, &b);
        rspg_buf_reset(&b);
        (void)rspg_key_sec1_der(&k, &d, &b);
        rspg_buf_reset(&b);
        rspg_key_params_der(&k, &b);
        rspg_buf_reset(&b);
        static const uint8_t msg[] = "rsp-pkigen fuzz";
        if (rspg_sign(&k, RSPG_NONCE_RFC6979, msg, sizeof(msg) - 1, &d, &b) == RSPG_OK &&
            rspg_verify_sig(&k, msg, sizeof(msg) - 1, b.data, b.len) != 1)
            __builtin_trap(); /* a key that loads must verify its own signature */
        rspg_buf_free(&b);
        rspg_key_free(&k);
    }
    rspg_diag_fini(&d);
    return 0;
}
