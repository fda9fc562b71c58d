/*
 * cert_info.c: decodes a certificate once into rspg_cert_info (see cert_info.h): the
 * strict x509.c parse, then each extension the rulebook knows (RFC 5280 §4.2.1), the EUM
 * constraint as SGP.22 §4.5.2.1.0.2 reads it, and the subject attributes. The only place
 * in the project that decodes extension values of a certificate.
 */
#include "rspg/x509/cert_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/asn1/der.h"
#include "rspg/asn1/oid.h"

/* The first attribute OID's value TLV in the Name TLV N; 0 when found. */
static int name_attr(const rspg_der_tlv *n, const char *oid, rspg_der_tlv *out)
{
    rspg_der_cursor rdns, set, atv;
    rspg_der_tlv s, a, o, val;
    rspg_der_cursor_init(&rdns, n->value, n->len);
    while (rspg_der_expect(&rdns, RSPG_DER_SET, &s) == 0) {
        rspg_der_cursor_init(&set, s.value, s.len);
        while (rspg_der_expect(&set, RSPG_DER_SEQUENCE, &a) == 0) {
            rspg_der_cursor_init(&atv, a.value, a.len);
            if (rspg_der_expect(&atv, RSPG_DER_OID, &o) != 0 || rspg_der_read(&atv, &val) != 0)
                continue;
            if (rspg_der_oid_is(&o, oid)) {
                *out = val;
                return 0;
            }
        }
    }
    return -1;
}

/* The contents of extension E's OCTET STRING as one TLV of TAG, with nothing after it. */
static int ext_body(const rspg_x509_ext *e, uint8_t tag, rspg_der_tlv *out)
{
    rspg_der_cursor cur;
    rspg_der_cursor_init(&cur, e->value.value, e->value.len);
    return rspg_der_expect(&cur, tag, out) == 0 && rspg_der_cursor_done(&cur) ? 0 : -1;
}

/* A cursor over the contents of extension E's value, a SEQUENCE (basicConstraints,
 * nameConstraints, cRLDistributionPoints, authorityKeyIdentifier: RFC 5280 §4.2.1; SGP.22's
 * permittedEins). 0, or -1 when the value is not one SEQUENCE. */
static int ext_seq(const rspg_x509_ext *e, rspg_der_cursor *cur)
{
    rspg_der_tlv seq;
    if (ext_body(e, RSPG_DER_SEQUENCE, &seq) != 0)
        return -1;
    rspg_der_cursor_init(cur, seq.value, seq.len);
    return 0;
}

static int read_ku(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_tlv t;
    if (ext_body(e, RSPG_DER_BIT_STRING, &t) != 0 || t.len < 1 || t.len > 3 || t.value[0] > 7)
        return -1;
    /* DER (X.690 §11.2.1, §11.2.2): the unused bits are zero and, a named bit list having
     * no trailing 0 bits, the last bit is set; an empty list has no unused bits */
    uint8_t unused = t.value[0], last = t.value[t.len - 1];
    if (t.len == 1 ? unused != 0 : (last & ((1u << unused) - 1)) != 0 || !(last & (1u << unused)))
        return -1;
    for (size_t i = 1; i < t.len; i++)
        for (int b = 0; b < 8; b++)
            if (t.value[i] & (0x80 >> b))
                ci->ku |= 1u << ((i - 1) * 8 + (size_t)b);
    return 0;
}

static int read_bc(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur;
    rspg_der_tlv t;
    if (ext_seq(e, &cur) != 0)
        return -1;
    if (rspg_der_peek_tag(&cur) == RSPG_DER_BOOLEAN) {
        /* DER: cA DEFAULT FALSE is encoded only when TRUE, as FF (X.690 §11.1, §11.5) */
        if (rspg_der_read(&cur, &t) != 0 || t.len != 1 || t.value[0] != 0xFF)
            return -1;
        ci->ca = 1;
    }
    if (rspg_der_peek_tag(&cur) == RSPG_DER_INTEGER) {
        if (rspg_der_read(&cur, &t) != 0 || t.len == 0 || t.len > 4 || (t.value[0] & 0x80) ||
            (t.len > 1 && t.value[0] == 0 && !(t.value[1] & 0x80)))
            return -1; /* a non-negative, minimal INTEGER (X.690 §8.3.2) */
        long pl = 0;
        for (size_t i = 0; i < t.len; i++)
            pl = pl << 8 | t.value[i];
        ci->path_len = pl;
    }
    return rspg_der_cursor_done(&cur) ? 0 : -1;
}

static int read_eku(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur;
    rspg_der_tlv seq, t;
    if (ext_body(e, RSPG_DER_SEQUENCE, &seq) != 0)
        return -1;
    if (seq.len == 0)
        return -1; /* SIZE (1..MAX) */
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_expect(&cur, RSPG_DER_OID, &t) != 0 || !rspg_x509_oid_ok(t.value, t.len))
            return -1;
        ci->eku_server_auth |= rspg_der_oid_is(&t, RSPG_OID_EKU_SERVER_AUTH);
        ci->eku_client_auth |= rspg_der_oid_is(&t, RSPG_OID_EKU_CLIENT_AUTH);
        if (ci->n_eku < RSPG_CI_MAX)
            ci->eku[ci->n_eku++] = t;
    }
    return 0;
}

static void add_policy(rspg_cert_info *ci, const rspg_der_tlv *oid)
{
    rspg_cert_policy *p = &ci->policies[ci->n_policies++];
    char *text = rspg_der_oid_to_text(oid->value, oid->len);
    rspg_role role;
    p->oid = *oid;
    p->role = -1;
    snprintf(p->text, sizeof(p->text), "%s", text ? text : "(malformed OID)");
    if (text && rspg_role_from_policy(text, &role, &p->v3) == 0) {
        p->role = (int)role;
        if (ci->role < 0) {
            ci->role = (int)role;
            ci->role_v3 = p->v3;
        }
    }
    free(text);
}

static int read_policies(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur, pi;
    rspg_der_tlv seq, info, oid;
    if (ext_body(e, RSPG_DER_SEQUENCE, &seq) != 0)
        return -1;
    if (seq.len == 0)
        return -1; /* SIZE (1..MAX) */
    rspg_der_cursor_init(&cur, seq.value, seq.len);
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &info) != 0)
            return -1;
        rspg_der_cursor_init(&pi, info.value, info.len);
        if (rspg_der_expect(&pi, RSPG_DER_OID, &oid) != 0 || !rspg_x509_oid_ok(oid.value, oid.len))
            return -1;
        rspg_der_tlv quals;
        if (!rspg_der_cursor_done(&pi) &&
            (rspg_der_expect(&pi, RSPG_DER_SEQUENCE, &quals) != 0 || !rspg_der_cursor_done(&pi)))
            return -1; /* policyQualifiers SEQUENCE OPTIONAL, nothing else */
        if (ci->n_policies < RSPG_CI_MAX)
            add_policy(ci, &oid);
    }
    return 0;
}

/* A permitted directoryName of the EUM constraint: its O and serialNumber. */
static void constraint_dirname(rspg_cert_info *ci, const rspg_der_tlv *base)
{
    rspg_der_cursor cur;
    rspg_der_tlv name, v;
    rspg_der_cursor_init(&cur, base->value, base->len);
    if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &name) != 0)
        return;
    ci->nc_dirnames++;
    if (ci->n_nc_orgs < RSPG_CI_MAX && name_attr(&name, RSPG_OID_AT_O, &v) == 0)
        ci->nc_orgs[ci->n_nc_orgs++] = v;
    if (ci->n_nc_prefixes < RSPG_CI_MAX && name_attr(&name, RSPG_OID_AT_SERIAL_NUMBER, &v) == 0)
        ci->nc_prefixes[ci->n_nc_prefixes++] = v;
}

static int read_nc(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur, sub, st;
    rspg_der_tlv trees, tree, base;
    if (ext_seq(e, &cur) != 0)
        return -1;
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_read(&cur, &trees) != 0 || (trees.tag != 0xA0 && trees.tag != 0xA1))
            return -1;
        int permitted = trees.tag == 0xA0;
        rspg_der_cursor_init(&sub, trees.value, trees.len);
        while (!rspg_der_cursor_done(&sub)) {
            if (rspg_der_expect(&sub, RSPG_DER_SEQUENCE, &tree) != 0)
                return -1;
            rspg_der_cursor_init(&st, tree.value, tree.len);
            if (rspg_der_read(&st, &base) != 0)
                return -1;
            if (permitted && ci->n_nc_permitted < RSPG_CI_MAX)
                ci->nc_permitted[ci->n_nc_permitted++] = base;
            else if (!permitted && ci->n_nc_excluded < RSPG_CI_MAX)
                ci->nc_excluded[ci->n_nc_excluded++] = base;
            if (permitted && base.tag == 0xA4)
                constraint_dirname(ci, &base);
        }
    }
    return 0;
}

static int read_eins(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur;
    rspg_der_tlv s;
    if (ext_seq(e, &cur) != 0)
        return -1;
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_expect(&cur, RSPG_DER_PRINTABLESTRING, &s) != 0)
            return -1;
        if (ci->n_eins < RSPG_CI_MAX)
            ci->eins[ci->n_eins++] = s;
    }
    return 0;
}

/* GeneralNames (the contents P, N of a SEQUENCE or [0]) appended to OUT. */
static int general_names(const uint8_t *p, size_t n, rspg_der_tlv *out, size_t *n_out)
{
    rspg_der_cursor cur;
    rspg_der_tlv g;
    rspg_der_cursor_init(&cur, p, n);
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_read(&cur, &g) != 0)
            return -1;
        if (*n_out < RSPG_CI_MAX)
            out[(*n_out)++] = g;
    }
    return 0;
}

static int read_san(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_tlv seq;
    if (ext_body(e, RSPG_DER_SEQUENCE, &seq) != 0)
        return -1;
    return general_names(seq.value, seq.len, ci->san, &ci->n_san);
}

static int read_crldp(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur, dp, dpn;
    rspg_der_tlv point, name, full;
    if (ext_seq(e, &cur) != 0)
        return -1;
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_expect(&cur, RSPG_DER_SEQUENCE, &point) != 0)
            return -1;
        rspg_der_cursor_init(&dp, point.value, point.len);
        if (rspg_der_peek_tag(&dp) != 0xA0)
            continue; /* no distributionPoint (reasons/cRLIssuer only) */
        if (rspg_der_read(&dp, &name) != 0)
            return -1;
        rspg_der_cursor_init(&dpn, name.value, name.len);
        if (rspg_der_peek_tag(&dpn) != 0xA0)
            continue; /* nameRelativeToCRLIssuer */
        if (rspg_der_read(&dpn, &full) != 0 ||
            general_names(full.value, full.len, ci->crldp, &ci->n_crldp) != 0)
            return -1;
    }
    return 0;
}

static int read_ski(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_tlv t;
    if (ext_body(e, RSPG_DER_OCTET_STRING, &t) != 0)
        return -1;
    ci->ski = t.value;
    ci->ski_len = t.len;
    return 0;
}

static int read_aki(rspg_cert_info *ci, const rspg_x509_ext *e)
{
    rspg_der_cursor cur;
    rspg_der_tlv t;
    int keyid = 0, other = 0;
    if (ext_seq(e, &cur) != 0)
        return -1;
    while (!rspg_der_cursor_done(&cur)) {
        if (rspg_der_read(&cur, &t) != 0)
            return -1;
        if (t.tag == 0x80 && !keyid) {
            ci->aki = t.value;
            ci->aki_len = t.len;
            keyid = t.len > 0;
        } else {
            other++;
        }
    }
    ci->aki_keyid_only = keyid && !other;
    return 0;
}

typedef int (*ext_reader)(rspg_cert_info *, const rspg_x509_ext *);

static const ext_reader readers[RSPG_XID_COUNT] = {
    [RSPG_XID_SKI] = read_ski,   [RSPG_XID_AKI] = read_aki,     [RSPG_XID_BC] = read_bc,
    [RSPG_XID_KU] = read_ku,     [RSPG_XID_EKU] = read_eku,     [RSPG_XID_CP] = read_policies,
    [RSPG_XID_SAN] = read_san,   [RSPG_XID_CRLDP] = read_crldp, [RSPG_XID_NC] = read_nc,
    [RSPG_XID_EINS] = read_eins,
};

static rspg_xid ext_id(const rspg_der_tlv *oid)
{
    for (int i = RSPG_XID_NONE + 1; i < RSPG_XID_COUNT; i++)
        if (rspg_der_oid_is(oid, rspg_ext_def_of((rspg_xid)i)->oid))
            return (rspg_xid)i;
    return RSPG_XID_NONE;
}

static int same_oid(const rspg_der_tlv *a, const rspg_der_tlv *b)
{
    return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

/* Records the first strictness problem (static strings) with its rule name
 * (RSPG_CI_RULE_*): of the structure (duplicates, extension OIDs, serial) or of an
 * extension's content. */
static void problem(rspg_cert_info *ci, const char *rule, const char *what)
{
    if (ci->problem == NULL) {
        ci->problem = what;
        ci->problem_rule = rule;
    }
    if (ci->structure_problem == NULL)
        ci->structure_problem = what;
}

static void content_problem(rspg_cert_info *ci, const char *what)
{
    if (ci->problem == NULL) {
        ci->problem = what;
        ci->problem_rule = RSPG_CI_RULE_EXT_MALFORMED;
    }
    if (ci->content_problem == NULL)
        ci->content_problem = what;
}

/* RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets, minimally encoded (X.690). */
static void check_serial(rspg_cert_info *ci)
{
    const rspg_der_tlv *s = &ci->x.serial;
    int zero = 1;
    for (size_t i = 0; i < s->len; i++)
        zero &= s->value[i] == 0;
    if (s->len == 0)
        problem(ci, RSPG_CI_RULE_SERIAL_NOT_POSITIVE,
                "the serial number is empty (RFC 5280 §4.1.2.2)");
    else if (s->value[0] & 0x80)
        problem(ci, RSPG_CI_RULE_SERIAL_NOT_POSITIVE,
                "the serial number is negative (RFC 5280 §4.1.2.2)");
    else if (s->len > 1 && s->value[0] == 0 && !(s->value[1] & 0x80))
        problem(ci, RSPG_CI_RULE_SERIAL_NOT_MINIMAL,
                "the serial number is not minimally encoded (X.690 §8.3.2)");
    else if (s->len > 20)
        problem(ci, RSPG_CI_RULE_SERIAL_TOO_LONG,
                "the serial number is longer than 20 octets (RFC 5280 §4.1.2.2)");
    else if (zero)
        problem(ci, RSPG_CI_RULE_SERIAL_NOT_POSITIVE,
                "the serial number is zero (RFC 5280 §4.1.2.2: positive)");
}

static const char *const malformed_text[RSPG_XID_COUNT] = {
    [RSPG_XID_SKI] = "malformed subjectKeyIdentifier",
    [RSPG_XID_AKI] = "malformed authorityKeyIdentifier",
    [RSPG_XID_BC] = "malformed basicConstraints",
    [RSPG_XID_KU] = "malformed keyUsage",
    [RSPG_XID_EKU] = "malformed extendedKeyUsage",
    [RSPG_XID_CP] = "malformed certificatePolicies",
    [RSPG_XID_SAN] = "malformed subjectAltName",
    [RSPG_XID_CRLDP] = "malformed cRLDistributionPoints",
    [RSPG_XID_NC] = "malformed nameConstraints",
    [RSPG_XID_EINS] = "malformed permittedEins",
};

static const char *const duplicate_text[RSPG_XID_COUNT + 1] = {
    [RSPG_XID_NONE] = "duplicated extension (RFC 5280 §4.2)",
    [RSPG_XID_SKI] = "duplicated extension subjectKeyIdentifier (RFC 5280 §4.2)",
    [RSPG_XID_AKI] = "duplicated extension authorityKeyIdentifier (RFC 5280 §4.2)",
    [RSPG_XID_BC] = "duplicated extension basicConstraints (RFC 5280 §4.2)",
    [RSPG_XID_KU] = "duplicated extension keyUsage (RFC 5280 §4.2)",
    [RSPG_XID_EKU] = "duplicated extension extendedKeyUsage (RFC 5280 §4.2)",
    [RSPG_XID_CP] = "duplicated extension certificatePolicies (RFC 5280 §4.2)",
    [RSPG_XID_SAN] = "duplicated extension subjectAltName (RFC 5280 §4.2)",
    [RSPG_XID_CRLDP] = "duplicated extension cRLDistributionPoints (RFC 5280 §4.2)",
    [RSPG_XID_NC] = "duplicated extension nameConstraints (RFC 5280 §4.2)",
    [RSPG_XID_EINS] = "duplicated extension permittedEins (RFC 5280 §4.2)",
};

/* Every extension: its OID well-formed, not twice, and the value of a known one decoded. */
static void read_extensions(rspg_cert_info *ci)
{
    for (size_t i = 0; i < ci->x.n_exts; i++) {
        const rspg_x509_ext *e = &ci->x.exts[i];
        if (e->oid.len == 0)
            problem(ci, RSPG_CI_RULE_OID_INVALID, "an extension OID is empty (X.690 §8.19)");
        else if (e->oid.len > 64 || !rspg_x509_oid_ok(e->oid.value, e->oid.len))
            problem(ci, RSPG_CI_RULE_OID_INVALID,
                    "an extension OID is overlong or malformed: an arc that does not end, is "
                    "padded or exceeds 63 bits (X.690 §8.19.2)");
        rspg_xid id = ext_id(&e->oid);
        for (size_t j = 0; j < i; j++)
            if (same_oid(&ci->x.exts[j].oid, &e->oid)) {
                ci->has_duplicate = 1;
                problem(ci, RSPG_CI_RULE_EXT_DUPLICATE, duplicate_text[id]);
                break;
            }
        if (id == RSPG_XID_NONE)
            continue;
        rspg_cert_ext_info *x = &ci->ext[id];
        if (x->count++ > 0)
            continue; /* the first occurrence is the one read */
        x->present = 1;
        x->index = i;
        x->critical = e->critical;
        if (readers[id](ci, e) != 0) {
            x->malformed = 1;
            content_problem(ci, malformed_text[id]);
        }
    }
}

static int is_ecdsa_sha256(const rspg_der_tlv *alg)
{
    /* AlgorithmIdentifier { ecdsa-with-SHA256 } with absent parameters (RFC 5758 §3.2) */
    rspg_der_cursor cur;
    rspg_der_tlv oid;
    rspg_der_cursor_init(&cur, alg->value, alg->len);
    return rspg_der_expect(&cur, RSPG_DER_OID, &oid) == 0 && rspg_der_cursor_done(&cur) &&
           rspg_der_oid_is(&oid, RSPG_OID_ECDSA_WITH_SHA256);
}

rspg_status rspg_cert_info_read(const uint8_t *der, size_t len, unsigned flags, rspg_cert_info *ci,
                                rspg_diag *d)
{
    memset(ci, 0, sizeof(*ci));
    rspg_status rc = rspg_x509_read(der, len, &ci->x, d); /* "not a DER certificate", ... */
    ci->role = -1;
    ci->path_len = -1;
    if (rc != RSPG_OK) {
        ci->problem_rule = RSPG_CI_RULE_DER_INVALID;
        return rc;
    }
    check_serial(ci);
    read_extensions(ci);
    name_attr(&ci->x.subject, RSPG_OID_AT_CN, &ci->subject_cn);
    name_attr(&ci->x.subject, RSPG_OID_AT_O, &ci->subject_o);
    name_attr(&ci->x.subject, RSPG_OID_AT_SERIAL_NUMBER, &ci->subject_serial);
    ci->curve = ci->x.spki_curve_oid.len
                    ? rspg_curve_by_oid_der(ci->x.spki_curve_oid.value, ci->x.spki_curve_oid.len)
                    : NULL;
    ci->sig_alg_ok = is_ecdsa_sha256(&ci->x.sig_alg) && is_ecdsa_sha256(&ci->x.tbs_sig_alg);
    if (ci->structure_problem && (flags & RSPG_CI_LENIENT) != RSPG_CI_LENIENT)
        return rspg_fail(d, RSPG_E_INPUT, "%s", ci->structure_problem);
    if (ci->content_problem && !(flags & RSPG_CI_KEEP_MALFORMED))
        return rspg_fail(d, RSPG_E_INPUT, "%s", ci->content_problem);
    return RSPG_OK;
}

int rspg_cert_info_text(const rspg_der_tlv *v, char *out, size_t cap)
{
    if ((v->len == 0 && v->tag == 0) || v->len >= cap)
        return -1;
    memcpy(out, v->value, v->len);
    out[v->len] = '\0';
    return 0;
}

int rspg_cert_info_constrains(const rspg_cert_info *ci)
{
    return ci->nc_dirnames > 0 ||
           (ci->ext[RSPG_XID_EINS].present && !ci->ext[RSPG_XID_EINS].malformed);
}

int rspg_cert_info_has_eku(const rspg_cert_info *ci, const char *oid)
{
    for (size_t i = 0; i < ci->n_eku; i++)
        if (rspg_der_oid_is(&ci->eku[i], oid))
            return 1;
    return 0;
}

const rspg_x509_ext *rspg_cert_info_ext(const rspg_cert_info *ci, rspg_xid id)
{
    if (id <= RSPG_XID_NONE || id >= RSPG_XID_COUNT || !ci->ext[id].present)
        return NULL;
    return &ci->x.exts[ci->ext[id].index];
}
