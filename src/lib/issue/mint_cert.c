/*
 * mint_cert.c: what minting needs to know about a CA certificate (mint_cert.h), taken from
 * the single certificate reader (x509/cert_info.h): its RSP role and arc, the EIN prefixes
 * it permits (the v3 permittedEins when present, else the Variant O nameConstraints
 * serialNumber, SGP.22 §4.5.2.1.0.2), and whether it is self-signed.
 */
#include "rspg/issue/mint_cert.h"

#include <string.h>

#include "rspg/x509/cert_info.h"

/* Copies the prefixes PS (N views) into OUT->eins; -1 when one is too long or there are
 * too many for the struct. */
static int copy_eins(const rspg_der_tlv *ps, size_t n, rspg_mint_cert_info *out)
{
    for (size_t i = 0; i < n; i++) {
        if (out->n_eins == RSPG_MINT_MAX_EINS ||
            rspg_cert_info_text(&ps[i], out->eins[out->n_eins], RSPG_MINT_EIN_CAP) != 0)
            return -1;
        out->n_eins++;
    }
    return 0;
}

rspg_status rspg_mint_read_cert(const uint8_t *der, size_t len, const char *what, rspg_diag *d,
                                rspg_mint_cert_info *out)
{
    rspg_cert_info ci;
    rspg_diag rd;
    memset(out, 0, sizeof(*out));
    out->role = -1;
    rspg_diag_init(&rd);
    rspg_status rc = rspg_cert_info_read(der, len, RSPG_CI_STRICT, &ci, &rd);
    rspg_diag_take_prefixed(d, &rd, what);
    rspg_diag_fini(&rd);
    if (rc != RSPG_OK)
        return rc;
    out->x = ci.x;
    out->role = ci.role;
    out->v3 = ci.role_v3;
    int bad = ci.n_eins ? copy_eins(ci.eins, ci.n_eins, out)
                        : copy_eins(ci.nc_prefixes, ci.n_nc_prefixes, out);
    if (bad)
        return rspg_fail(d, RSPG_E_INPUT,
                         "%s: more EIN prefixes, or longer ones, than minting "
                         "supports (%d of at most %d digits)",
                         what, RSPG_MINT_MAX_EINS, RSPG_MINT_EIN_CAP - 1);
    out->self_signed = ci.x.subject.len == ci.x.issuer.len &&
                       memcmp(ci.x.subject.value, ci.x.issuer.value, ci.x.subject.len) == 0;
    return RSPG_OK;
}
