/*
 * cvc_spec.c: the profile side of SGP.02 card-verifiable certificates: the `cvc:` spec of
 * an entity (freeing, value checks) and the rules an SGP.02 entity follows in a profile.
 * No libyaml and no OpenSSL here; the loader (yaml_entity.c, yaml_validate.c) calls in.
 */
#include "rspg/profile/cvc_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/base/buf.h"
#include "rspg/rsp/rulebook.h"

void rspg_cvc_spec_free(rspg_cvc_spec *s)
{
    if (s == NULL)
        return;
    free(s->serial);
    free(s->ca_id);
    free(s->subject_id);
    free(s->key_usage);
    free(s->effective_date);
    free(s->expiration_date);
    free(s->sd_image);
    for (size_t i = 0; i < s->n_discretionary; i++) {
        free(s->discretionary[i].tag);
        free(s->discretionary[i].value);
    }
    free(s->discretionary);
    free(s->key_parameter);
    free(s);
}

int rspg_role_is_cvc(rspg_role role)
{
    return role == RSPG_ROLE_SGP02_DP || role == RSPG_ROLE_SGP02_SR ||
           role == RSPG_ROLE_SGP02_ECASD;
}

/* The length in bytes of hex text S, or -1 when it is not hex of even length. */
static long hex_len(const char *s)
{
    rspg_buf b;
    rspg_buf_init(&b);
    long n = rspg_unhex(s, &b) == 0 ? (long)b.len : -1;
    rspg_buf_free(&b);
    return n;
}

static int hex_field(const char *what, const char *v, long min, long max, int auto_ok, char *msg,
                     size_t n)
{
    if (auto_ok && strcmp(v, "auto") == 0)
        return 0;
    long len = hex_len(v);
    if (len < 0) {
        snprintf(msg, n, "%s '%s' is not hex digits of even length%s", what, v,
                 auto_ok ? " (or 'auto')" : "");
        return -1;
    }
    if (len < min || len > max) {
        snprintf(msg, n, "%s is %ld bytes; %ld to %ld expected", what, len, min, max);
        return -1;
    }
    return 0;
}

/* A BER tag of 1 or 2 bytes (ISO/IEC 7816-4 §5.2) written in hex. */
static int tag_value(const char *s, unsigned *out)
{
    rspg_buf b;
    rspg_buf_init(&b);
    int ok = rspg_unhex(s, &b) == 0 && (b.len == 1 || b.len == 2);
    unsigned tag = 0;
    if (ok && b.len == 1) {
        tag = b.data[0];
        ok = tag != 0x00 && tag != 0xFF && (tag & 0x1F) != 0x1F;
    } else if (ok) {
        tag = (unsigned)b.data[0] << 8 | b.data[1];
        ok = (b.data[0] & 0x1F) == 0x1F && b.data[0] != 0xFF && b.data[1] >= 0x1F &&
             b.data[1] < 0x80;
    }
    rspg_buf_free(&b);
    *out = tag;
    return ok ? 0 : -1;
}

int rspg_cvc_spec_check(const char *key, const char *tag, const char *value, char *msg,
                        size_t msg_len)
{
    if (strcmp(key, "serial") == 0)
        return hex_field("cvc.serial (93)", value, 1, 127, 0, msg, msg_len);
    if (strcmp(key, "ca_id") == 0)
        return hex_field("cvc.ca_id (42)", value, 1, 127, 1, msg, msg_len);
    if (strcmp(key, "subject_id") == 0)
        return hex_field("cvc.subject_id (5F20)", value, 1, 127, 1, msg, msg_len);
    if (strcmp(key, "key_usage") == 0)
        return hex_field("cvc.key_usage (95)", value, 1, 2, 0, msg, msg_len);
    if (strcmp(key, "sd_image") == 0)
        return hex_field("cvc.sd_image (45)", value, 1, 127, 0, msg, msg_len);
    if (strcmp(key, "key_parameter") == 0)
        return hex_field("cvc.key_parameter (F0)", value, 1, 2, 0, msg, msg_len);
    if (strcmp(key, "effective") == 0 || strcmp(key, "expiration") == 0) {
        int64_t t;
        int y, m, d, hh, mm, ss;
        if (rspg_parse_rfc3339(value, &t) != 0) {
            snprintf(msg, msg_len, "cvc.%s '%s' is not a date (YYYY-MM-DD expected)", key, value);
            return -1;
        }
        rspg_civil_from_unix(t, &y, &m, &d, &hh, &mm, &ss);
        if (y < 1 || y > 9999) {
            snprintf(msg, msg_len, "cvc.%s '%s' does not fit 4-byte BCD YYYYMMDD", key, value);
            return -1;
        }
        return 0;
    }
    /* a discretionary data object */
    unsigned t;
    if (tag_value(tag, &t) != 0) {
        snprintf(msg, msg_len,
                 "cvc.discretionary: '%s' is not a BER tag of 1 or 2 bytes in hex "
                 "(e.g. C8, C9, DF20)",
                 tag);
        return -1;
    }
    if (strcmp(value, "auto") == 0) {
        if (t != 0xC8 && t != 0xC9) {
            snprintf(msg, msg_len,
                     "cvc.discretionary: 'auto' is known for C8 (certificate type) "
                     "and C9 (the issuer's key identifier) only, not %s",
                     tag);
            return -1;
        }
        return 0;
    }
    return hex_field("cvc.discretionary value", value, 0, 255, 0, msg, msg_len);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int rspg_cvc_validate_entity(const rspg_profile *p, const rspg_entity *e, rspg_diag *d)
{
    int rc = 0;
    if (!rspg_role_is_cvc(e->role)) {
        if (e->cvc)
            rc = rspg_fail_at(d, e->cvc->loc,
                              "'cvc' applies to the SGP.02 roles (sgp02-dp, "
                              "sgp02-sr, sgp02-ecasd), not to %s",
                              rspg_role_name(e->role));
        for (size_t i = 0; i < e->n_cert_files; i++)
            if (ends_with(e->cert_files[i], ".cvc") || ends_with(e->cert_files[i], ".hex"))
                rc = rspg_fail_at(d, e->loc,
                                  "'%s' writes '%s': .cvc and .hex files are "
                                  "card-verifiable certificates, which only the SGP.02 "
                                  "roles write (.der or .pem for %s)",
                                  e->id, e->cert_files[i], rspg_role_name(e->role));
        return rc;
    }
    for (size_t i = 0; i < e->n_cert_files; i++)
        if (!ends_with(e->cert_files[i], ".cvc") && !ends_with(e->cert_files[i], ".hex"))
            rc = rspg_fail_at(d, e->loc,
                              "'%s' is an %s card certificate: its files end in .cvc "
                              "(binary TLV) or .hex, not '%s'",
                              e->id, rspg_role_name(e->role), e->cert_files[i]);
    if (e->n_exts)
        rc = rspg_fail_at(d, e->exts[0].loc,
                          "'%s' is an %s card certificate, which has no X.509 "
                          "extensions (its fields go under 'cvc')",
                          e->id, rspg_role_name(e->role));
    /* the issuer role comes from the rulebook's may-issue table (SGP.02 §2.3) */
    rspg_role want = RSPG_ROLE_CI;
    for (int r = RSPG_ROLE_COUNT; r-- > 0;)
        if (rspg_role_may_issue((rspg_role)r, e->role))
            want = (rspg_role)r;
    if (e->issuer == NULL && e->issuer_loc.line) {
        rc = rspg_fail_at(d, e->issuer_loc,
                          "'%s' (%s) cannot be self-signed: its issuer is the "
                          "%s",
                          e->id, rspg_role_name(e->role), want == RSPG_ROLE_EUM ? "EUM" : "CI");
    } else if (e->issuer) {
        const rspg_entity *iss = rspg_profile_find(p, e->issuer);
        /* a missing issuer is reported by the loader */
        if (iss && !rspg_role_may_issue(iss->role, e->role))
            rc = rspg_fail_at(d, e->issuer_loc,
                              "'%s' (%s) is signed by %s, but "
                              "its issuer '%s' has role %s",
                              e->id, rspg_role_name(e->role),
                              want == RSPG_ROLE_EUM ? "an EUM (role eum)" : "the CI (role ci)",
                              e->issuer, rspg_role_name(iss->role));
    }
    if (e->tbs_file && !ends_with(e->tbs_file, ".hex") && !ends_with(e->tbs_file, ".bin"))
        rc = rspg_fail_at(d, e->loc,
                          "'%s': the signed data of a card certificate is written as "
                          ".bin or .hex, not '%s'",
                          e->id, e->tbs_file);
    return rc;
}
