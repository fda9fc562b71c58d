/*
 * test_profile.c: the YAML profile loader (src/lib/profile/yaml_*.c).
 *
 * A table of broken profiles, each given as a string to rspg_profile_load_string (name
 * "t.yaml"), pins the EXACT first diagnostic as rspg_diag_format prints it, with its
 * line and column: YAML syntax, schema, unknown keys at every level, duplicate keys,
 * wrong types, unknown names (role, variant, curve, extension, key usage, EKU,
 * attribute), OIDs, booleans, integers, serials, dates, PrintableString rules, the
 * cross-entity checks (ids, issuers, cycles, curves, key sources), variables and --var,
 * the hostile-input limits (aliases, depth, string length), output path traversal,
 * base: order and duplicated extensions. Then valid profiles: the model's fields
 * (subject order and string types, per-curve values, base: inheritance, vars and --var,
 * default curves, path_len, criticality), and profiles/sgp26.yaml loads cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rspg/profile/profile.h"
#include "test_util.h"

/* ---- building blocks with known line numbers ---- */

#define HDR                                                                                        \
    "schema: rsp-pkigen/profile/1\n"                        /* 1 */                                \
    "curves:\n"                                             /* 2 */                                \
    "  nist: {curve: prime256v1, suffix: NIST}\n"           /* 3 */                                \
    "  brp: {curve: brainpoolP256r1, suffix: BRP}\n"        /* 4 */                                \
    "defaults: {curves: [nist, brp], validity_days: 365}\n" /* 5 */                                \
    "entities:\n"                                           /* 6 */

#define CI                                                                                         \
    "  - id: ci\n"                              /* 7 */                                            \
    "    role: ci\n"                            /* 8 */                                            \
    "    variant: O\n"                          /* 9 */                                            \
    "    issuer: self\n"                        /* 10 */                                           \
    "    subject: [{CN: Test CI}]\n"            /* 11 */                                           \
    "    serial: \"01\"\n"                      /* 12 */                                           \
    "    output: {cert: \"ci_${CURVE}.der\"}\n" /* 13 */

/* An entity 'x' issued by ci; cases add subject, serial and more from line 19. */
#define X                                                                                          \
    "  - id: x\n"                              /* 14 */                                            \
    "    role: dp-tls\n"                       /* 15 */                                            \
    "    variant: O\n"                         /* 16 */                                            \
    "    issuer: ci\n"                         /* 17 */                                            \
    "    output: {cert: \"x_${CURVE}.der\"}\n" /* 18 */

#define SUBJ "    subject: [{CN: x}]\n" /* 19 when right after X */
#define SER "    serial: \"02\"\n"      /* 20 when after X SUBJ */

/* ---- helpers ---- */

/* Loads TEXT as "t.yaml" (with --var VAR when not NULL); requires failure with STATUS
 * and returns the first diagnostic, formatted (free it). */
static char *first_error(const char *text, const char *var, rspg_status status)
{
    rspg_diag d;
    rspg_profile *p = (rspg_profile *)1;
    rspg_diag_init(&d);
    const char *vars[1] = {var};
    rspg_load_options o = {vars, var ? 1 : 0};
    rspg_status rc = rspg_profile_load_string_ex(text, strlen(text), "t.yaml", &o, &d, &p);
    if (rc != status) {
        for (size_t i = 0; i < d.count; i++) {
            char *m = rspg_diag_format(&d.entries[i]);
            print_message("  diag: %s\n", m);
            free(m);
        }
    }
    assert_int_equal(rc, status);
    assert_null(p);
    assert_true(d.count >= 1);
    assert_true(d.errors >= 1);
    char *msg = rspg_diag_format(&d.entries[0]);
    rspg_diag_fini(&d);
    return msg;
}

/* Loads TEXT; requires success without any diagnostic. */
static rspg_profile *load_ok_ex(const char *text, const char *const *vars, size_t n_vars)
{
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_load_options o = {vars, n_vars};
    rspg_status rc = rspg_profile_load_string_ex(text, strlen(text), "t.yaml", &o, &d, &p);
    for (size_t i = 0; i < d.count; i++) {
        char *m = rspg_diag_format(&d.entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.count, 0);
    assert_non_null(p);
    rspg_diag_fini(&d);
    return p;
}

static rspg_profile *load_ok(const char *text)
{
    return load_ok_ex(text, NULL, 0);
}

/* ---- the catalogue of broken profiles ---- */

struct bad_case {
    const char *name;
    const char *yaml;
    const char *expect; /* the first diagnostic, as rspg_diag_format prints it */
    const char *var;    /* one --var NAME=VALUE, or NULL */
    rspg_status status; /* 0 means RSPG_E_PROFILE */
};

#define CURVE_NAMES                                                                                \
    "prime256v1 (nist), brainpoolP256r1 (brp), prime192v1, brainpoolP192r1, secp384r1"
#define S20 "0102030405060708090A0B0C0D0E0F1011121314"

static const struct bad_case bad_cases[] = {
    /* ---- YAML itself ---- */
    {"yaml syntax: unclosed flow list", HDR CI "    note: [a, b\n",
     "t.yaml:14:11: YAML syntax error: the '[' list opened here is not closed (did not find "
     "expected ',' or ']' at 15:1)"},
    {"yaml syntax: unclosed quote", HDR CI "    note: \"abc\n",
     "t.yaml:14:11: YAML syntax error: the quoted string opened here is not closed (found "
     "unexpected end of stream at 15:1)"},
    {"yaml syntax: unclosed flow mapping", HDR CI "    note: {a: b\n",
     "t.yaml:14:11: YAML syntax error: the '{' mapping opened here is not closed (did not find "
     "expected ',' or '}' at 15:1)"},
    {"NUL in a subject name",
     HDR CI "    note: x\n  - {id: e, role: eum, variant: O, issuer: ci, "
            "subject: [{CN: \"A\\0B\"}], serial: \"02\", output: {cert: e.der}}\n",
     "t.yaml:15:63: a NUL character (\\0) in a string is not allowed"},
    {"control character in a subject name",
     HDR CI
     "    note: x\n  - {id: e, role: eum, "
     "variant: O, issuer: ci, subject: [{CN: \"A\\nB\"}], serial: \"02\", output: {cert: e.der}}\n",
     "t.yaml:15:63: control character 0x0A in attribute CN: names carry no control characters "
     "(X.680 §41.4; RFC 4518 §2.2)"},
    {"yaml syntax: bad indentation", "schema: rsp-pkigen/profile/1\n  curves: x\n",
     "t.yaml:2:9: YAML syntax error: mapping values are not allowed in this context"},
    {"yaml syntax: tab indentation", "schema: rsp-pkigen/profile/1\ncurves:\n\tnist: x\n",
     "t.yaml:3:1: YAML syntax error: found character that cannot start any token while scanning "
     "for the next token"},
    {"empty document", "", "t.yaml:1:1: the profile is empty"},
    {"top level is a list", "- schema\n- curves\n",
     "t.yaml:1:1: the profile must be a mapping, not a list"},
    {"alias refused (billion laughs)",
     "schema: rsp-pkigen/profile/1\n"
     "vars:\n"
     "  a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
     "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
     "t.yaml:4:10: YAML aliases are not supported (use 'base:' or 'vars:')"},
    {"alias of a scalar refused", HDR "  - &e {id: a}\n  - *e\n",
     "t.yaml:8:5: YAML aliases are not supported (use 'base:' or 'vars:')"},
    {"nesting deeper than the limit",
     "schema: rsp-pkigen/profile/1\nnote: [[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]\n",
     "t.yaml:2:22: nesting deeper than 16 levels"},
    /* ---- schema ---- */
    {"missing schema", "curves: {nist: {curve: prime256v1}}\nentities: []\n",
     "t.yaml:1:1: missing 'schema: rsp-pkigen/profile/1'"},
    {"unsupported schema", "schema: rsp-pkigen/profile/2\n",
     "t.yaml:1:9: unsupported schema 'rsp-pkigen/profile/2' (expected rsp-pkigen/profile/1)"},
    {"schema is a list", "schema: [rsp-pkigen/profile/1]\n",
     "t.yaml:1:9: unsupported schema 'a list' (expected rsp-pkigen/profile/1)"},
    {"missing curves", "schema: rsp-pkigen/profile/1\nentities: []\n",
     "t.yaml:1:1: missing 'curves' (e.g. nist: {curve: prime256v1, suffix: NIST})"},
    {"no entities",
     "schema: rsp-pkigen/profile/1\ncurves: {nist: {curve: prime256v1}}\nentities: []\n",
     "t.yaml:3:11: the profile has no entities"},
    {"entities is a mapping (list expected)",
     "schema: rsp-pkigen/profile/1\ncurves: {nist: {curve: prime256v1}}\nentities: {a: 1}\n",
     "t.yaml:3:11: 'entities' must be a list of entities"},
    /* ---- unknown keys at every level ---- */
    {"unknown top-level key", HDR CI "colour: red\n",
     "t.yaml:14:1: unknown key 'colour' in the profile (expected one of: schema, name, "
     "description, "
     "vars, curves, defaults, entities, crls, extends)"},
    {"unknown key in defaults",
     "schema: rsp-pkigen/profile/1\ncurves: {nist: {curve: prime256v1}}\n"
     "defaults: {curves: [nist], validty_days: 3}\n",
     "t.yaml:3:28: unknown key 'validty_days' in defaults (expected one of: curves, clock, "
     "validity_days)"},
    {"unknown key in a curve definition",
     "schema: rsp-pkigen/profile/1\ncurves:\n"
     "  nist: {curve: prime256v1, sufix: NIST}\n",
     "t.yaml:3:29: unknown key 'sufix' in curve definition (expected one of: curve, suffix)"},
    {"unknown key in an entity", HDR CI "    colour: red\n",
     "t.yaml:14:5: unknown key 'colour' in entity (expected one of: id, base, role, variant, name, "
     "note, curves, issuer, subject, serial, validity, key, extensions, output, expect, case, "
     "reason, twin, corrupt, beyond_sgp26, trusted, patch_extensions, cvc)"},
    {"unknown key in validity", HDR CI "    validity: {days: 3, not_befor: 2024-01-01T00:00:00Z}\n",
     "t.yaml:14:25: unknown key 'not_befor' in validity (expected one of: not_before, offset_days, "
     "days, not_after)"},
    {"unknown key in key", HDR CI "    key: {fiel: k.pem}\n",
     "t.yaml:14:11: unknown key 'fiel' in key (expected one of: file, csr, public, from, curve, "
     "pkcs11)"},
    {"unknown key in output",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: {cert: a.der, keys: k.pem}\n",
     "t.yaml:13:27: unknown key 'keys' in output (expected one of: dir, cert, key, pubkey, tbs)"},
    {"unknown extension parameter",
     HDR CI "    extensions:\n      - basic_constraints: {ca: true, pathlen: 0}\n",
     "t.yaml:15:39: unknown key 'pathlen' in extension basic_constraints (expected one of: "
     "critical, ca, path_len)"},
    {"unknown key in a subject attribute (long form)",
     HDR CI X "    subject: [{CN: {value: x, typ: utf8}}]\n",
     "t.yaml:19:31: unknown key 'typ' in subject attribute (expected one of: value, type)"},
    /* ---- duplicate keys ---- */
    {"duplicate top-level key", HDR CI "schema: rsp-pkigen/profile/1\n",
     "t.yaml:14:1: duplicate key 'schema' in the profile (first at line 1)"},
    {"duplicate entity key", HDR CI "    serial: \"03\"\n",
     "t.yaml:14:5: duplicate key 'serial' in entity (first at line 12)"},
    {"duplicate var", "schema: rsp-pkigen/profile/1\nvars:\n  a: x\n  a: y\n",
     "t.yaml:4:3: duplicate key 'a' in vars (first at line 3)"},
    {"duplicate curve key",
     "schema: rsp-pkigen/profile/1\ncurves:\n"
     "  nist: {curve: prime256v1}\n  nist: {curve: brainpoolP256r1}\n",
     "t.yaml:4:3: duplicate key 'nist' in curves (first at line 3)"},
    {"duplicate extension parameter",
     HDR CI "    extensions:\n      - basic_constraints: {ca: true, ca: false}\n",
     "t.yaml:15:39: duplicate key 'ca' in extension basic_constraints (first at line 15)"},
    {"duplicate key in a subject attribute (long form)",
     HDR CI X "    subject: [{CN: {value: x, value: y}}]\n",
     "t.yaml:19:31: duplicate key 'value' in subject attribute (first at line 19)"},
    {"duplicate curve in a per-curve serial",
     HDR CI X SUBJ "    serial: {nist: \"02\", nist: \"03\"}\n",
     "t.yaml:20:26: duplicate key 'nist' in serial (first at line 20)"},
    /* ---- wrong types ---- */
    {"entity is a list", HDR "  - [id, ci]\n",
     "t.yaml:7:5: an entity must be a mapping, not a list"},
    {"validity is a list", HDR CI "    validity: [365]\n",
     "t.yaml:14:15: validity must be a mapping, not a list"},
    {"subject is a mapping", HDR CI X "    subject: {CN: x}\n",
     "t.yaml:19:14: subject must be a list of one-key mappings (e.g. '- CN: Test CI'), not a "
     "mapping"},
    {"subject attribute with two keys", HDR CI X "    subject: [{CN: x, O: y}]\n",
     "t.yaml:19:15: each subject attribute must be a mapping with exactly one key"},
    {"key usage is a string", HDR CI "    extensions:\n      - key_usage: {usage: keyCertSign}\n",
     "t.yaml:15:28: usage must be a list, not a scalar"},
    {"extensions is a mapping", HDR CI "    extensions: {key_usage: {usage: [keyCertSign]}}\n",
     "t.yaml:14:17: extensions must be a list, not a mapping"},
    {"extension parameters are a scalar",
     HDR CI "    extensions:\n      - basic_constraints: true\n",
     "t.yaml:15:28: extension basic_constraints must be a mapping, not a scalar"},
    {"output is a string",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: ci.der\n",
     "t.yaml:13:13: output must be a mapping, not a scalar"},
    {"key is a list", HDR CI "    key: [generate]\n",
     "t.yaml:14:10: key must be a mapping, not a list"},
    {"key is an unknown word", HDR CI "    key: random\n",
     "t.yaml:14:10: key must be 'generate' or a mapping with file, csr, public, from, pkcs11 or "
     "curve"},
    {"name is a mapping", HDR CI "    name: {a: b}\n",
     "t.yaml:14:11: name must be a string, not a mapping"},
    {"vars value is a list", "schema: rsp-pkigen/profile/1\nvars: {a: [1]}\n",
     "t.yaml:2:11: a variable must be a string, not a list"},
    /* ---- unknown names ---- */
    {"unknown role", HDR "  - id: ci\n    role: root\n",
     "t.yaml:8:11: unknown role 'root' (expected ci, ci-subca, eum, eum-subca, euicc, dp-subca, "
     "ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, ds-tls, eim-sign or eim-tls)"},
    {"unknown variant", HDR "  - id: ci\n    variant: [O, D]\n",
     "t.yaml:8:14: unknown variant 'D' (expected O, Ov3, A, B or C)"},
    {"unknown curve",
     "schema: rsp-pkigen/profile/1\ncurves:\n  nist: {curve: p385, suffix: NIST}\n",
     "t.yaml:3:17: unknown curve 'p385' (expected one of " CURVE_NAMES ")"},
    {"curve definition without curve",
     "schema: rsp-pkigen/profile/1\ncurves:\n  nist: {suffix: NIST}\n",
     "t.yaml:3:9: curve 'nist' needs 'curve' (an OpenSSL curve name)"},
    {"unknown curve key in an entity", HDR "  - id: ci\n    curves: [nist, p384]\n",
     "t.yaml:8:13: unknown curve key 'p384' (define it under 'curves')"},
    {"unknown curve key in defaults",
     "schema: rsp-pkigen/profile/1\ncurves: {nist: {curve: prime256v1}}\n"
     "defaults: {curves: [nist, brp]}\n",
     "t.yaml:3:20: unknown curve key 'brp' (define it under 'curves' first)"},
    {"unknown key curve", HDR CI "    key: {curve: secp999r1}\n",
     "t.yaml:14:18: unknown curve 'secp999r1' (expected one of " CURVE_NAMES ")"},
    {"unknown extension", HDR CI "    extensions:\n      - basic_constraint: {ca: true}\n",
     "t.yaml:15:9: unknown extension 'basic_constraint' (expected subject_key_identifier, "
     "authority_key_identifier, basic_constraints, key_usage, extended_key_usage, "
     "certificate_policies, subject_alt_name, crl_distribution_points, name_constraints, "
     "permitted_eins or raw)"},
    {"unknown key usage",
     HDR CI "    extensions:\n      - key_usage: {usage: [keyCertSign, crlSign]}\n",
     "t.yaml:15:42: unknown key usage 'crlSign' (expected digitalSignature, nonRepudiation, "
     "keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly or "
     "decipherOnly)"},
    {"unknown extended key usage",
     HDR CI "    extensions:\n      - extended_key_usage: {usage: [serverAuth, tlsClient]}\n",
     "t.yaml:15:50: unknown extended key usage 'tlsClient' (expected serverAuth, clientAuth, "
     "codeSigning, emailProtection, timeStamping, ocspSigning or an OID)"},
    {"unknown subject attribute", HDR CI X "    subject: [{CN: x}, {SN: y}]\n",
     "t.yaml:19:25: unknown attribute 'SN' (expected CN, O, OU, C, L, ST, serialNumber, "
     "emailAddress, DC or a dotted OID)"},
    {"unknown string type", HDR CI X "    subject: [{CN: {value: x, type: bmp}}]\n",
     "t.yaml:19:37: unknown string type 'bmp' (expected utf8, printable or ia5)"},
    {"unknown general name type",
     HDR CI "    extensions:\n      - subject_alt_name: {names: [{ip: 10.0.0.1}]}\n",
     "t.yaml:15:37: unknown name type 'ip' (expected dns, uri, email, rid or dir)"},
    /* ---- OIDs ---- */
    {"bad policy OID",
     HDR CI "    extensions:\n      - certificate_policies: {policies: [2.23.146.x]}\n",
     "t.yaml:15:43: '2.23.146.x' is not an object identifier (dotted decimal expected)"},
    {"bad policy OID (first arc 3)",
     HDR CI "    extensions:\n      - certificate_policies: {policies: [3.1]}\n",
     "t.yaml:15:43: '3.1' is not an object identifier (dotted decimal expected)"},
    {"bad rid OID", HDR CI "    extensions:\n      - subject_alt_name: {names: [{rid: 2.999.}]}\n",
     "t.yaml:15:42: '2.999.' is not an object identifier (dotted decimal expected)"},
    {"bad attribute OID", HDR CI X "    subject: [{2.5..4: x}]\n",
     "t.yaml:19:16: '2.5..4' is not an object identifier (dotted decimal expected)"},
    {"bad raw OID", HDR CI "    extensions:\n      - raw: {oid: 1, value: \"0500\"}\n",
     "t.yaml:15:20: '1' is not an object identifier (dotted decimal expected)"},
    /* ---- booleans and integers ---- */
    {"bad boolean",
     HDR CI "    extensions:\n      - basic_constraints: {critical: yes, ca: true}\n",
     "t.yaml:15:39: critical must be true or false"},
    {"bad boolean (number)", HDR CI "    extensions:\n      - basic_constraints: {ca: 1}\n",
     "t.yaml:15:33: ca must be true or false"},
    {"bad integer",
     HDR CI "    extensions:\n      - basic_constraints: {ca: true, path_len: one}\n",
     "t.yaml:15:49: path_len must be an integer, not 'one'"},
    {"negative integer",
     HDR CI "    extensions:\n      - basic_constraints: {ca: true, path_len: -1}\n",
     "t.yaml:15:49: path_len must be between 0 and 1000000, not -1"},
    {"validity days zero", HDR CI "    validity: {days: 0}\n",
     "t.yaml:14:22: days must be between 1 and 3000000, not 0"},
    {"validity days not a number", HDR CI "    validity: {days: 10y}\n",
     "t.yaml:14:22: days must be an integer, not '10y'"},
    {"path_len without ca",
     HDR CI "    extensions:\n      - basic_constraints: {ca: false, path_len: 0}\n",
     "t.yaml:15:28: path_len is only allowed with ca: true (RFC 5280 §4.2.1.9)"},
    {"basic_constraints without ca",
     HDR CI "    extensions:\n      - basic_constraints: {critical: true}\n",
     "t.yaml:15:28: extension basic_constraints needs 'ca'"},
    {"key_id not hex", HDR CI "    extensions:\n      - subject_key_identifier: {key_id: xyz}\n",
     "t.yaml:15:42: key_id must be hex digits"},
    {"EIN not digits", HDR CI "    extensions:\n      - permitted_eins: {eins: [\"8904903A\"]}\n",
     "t.yaml:15:33: an EIN is 1 to 32 decimal digits, not '8904903A'"},
    {"empty key usage", HDR CI "    extensions:\n      - key_usage: {usage: []}\n",
     "t.yaml:15:28: key usage needs at least one bit (RFC 5280 §4.2.1.3)"},
    /* ---- serials ---- */
    {"serial zero", HDR CI X SUBJ "    serial: \"0000\"\n",
     "t.yaml:20:13: serial is zero; serials are positive (RFC 5280 §4.1.2.2)"},
    {"serial negative", HDR CI X SUBJ "    serial: \"-01\"\n",
     "t.yaml:20:13: serial '-01' is negative; serials are positive (RFC 5280 §4.1.2.2)"},
    {"serial odd-length hex", HDR CI X SUBJ "    serial: \"123\"\n",
     "t.yaml:20:13: serial '123' is not hex digits of even length"},
    {"serial not hex", HDR CI X SUBJ "    serial: \"0G\"\n",
     "t.yaml:20:13: serial '0G' is not hex digits of even length"},
    {"serial longer than 20 bytes", HDR CI X SUBJ "    serial: \"01" S20 "\"\n",
     "t.yaml:20:13: serial '01" S20 "' is longer than 20 octets (RFC 5280 §4.1.2.2)"},
    {"serial of 20 bytes with the top bit set (21 content bytes)",
     HDR CI X SUBJ "    serial: \"8102030405060708090A0B0C0D0E0F1011121314\"\n",
     "t.yaml:20:13: serial '8102030405060708090A0B0C0D0E0F1011121314' is longer than 20 octets "
     "(RFC 5280 §4.1.2.2)"},
    {"per-curve serial missing a curve", HDR CI X SUBJ "    serial: {nist: \"02\"}\n",
     "t.yaml:20:13: serial has no value for curve 'brp'"},
    {"per-curve serial on an unknown curve",
     HDR CI X SUBJ "    serial: {nist: \"02\", p384: \"03\"}\n",
     "t.yaml:20:26: unknown curve key 'p384' in serial (define it under 'curves')"},
    {"missing serial", HDR CI X SUBJ, "t.yaml:14:5: entity 'x' has no 'serial'"},
    /* ---- dates ---- */
    {"impossible date (February 30)",
     HDR CI "    validity: {not_before: 2024-02-30T00:00:00Z, days: 1}\n",
     "t.yaml:14:28: not_before '2024-02-30T00:00:00Z' is not a date (YYYY-MM-DDTHH:MM:SSZ "
     "expected)"},
    {"impossible time (24:00:00)", HDR CI "    validity: {not_after: 2030-01-01T24:00:00Z}\n",
     "t.yaml:14:27: not_after '2030-01-01T24:00:00Z' is not a date (YYYY-MM-DDTHH:MM:SSZ "
     "expected)"},
    {"date with an offset", HDR CI "    validity: {not_after: 2030-01-01T00:00:00+01:00}\n",
     "t.yaml:14:27: not_after '2030-01-01T00:00:00+01:00' is not a date (YYYY-MM-DDTHH:MM:SSZ "
     "expected)"},
    {"date before 1950", HDR CI "    validity: {not_before: 1949-12-31T23:59:59Z, days: 1}\n",
     "t.yaml:14:28: not_before '1949-12-31T23:59:59Z' is before 1950 (RFC 5280 §4.1.2.5)"},
    {"bad default clock",
     "schema: rsp-pkigen/profile/1\ncurves: {nist: {curve: prime256v1}}\n"
     "defaults: {clock: 2024-13-01T00:00:00Z}\n",
     "t.yaml:3:19: clock '2024-13-01T00:00:00Z' is not a date (YYYY-MM-DDTHH:MM:SSZ expected)"},
    /* ---- PrintableString ---- */
    {"'@' in C", HDR CI X "    subject: [{C: \"E@\"}]\n",
     "t.yaml:19:19: character '@' is not allowed in a PrintableString (C)"},
    {"'_' in serialNumber", HDR CI X "    subject: [{serialNumber: \"8904_9032\"}]\n",
     "t.yaml:19:30: character '_' is not allowed in a PrintableString (serialNumber)"},
    {"'@' in a printable CN (long form)",
     HDR CI X "    subject: [{CN: {value: \"a@b\", type: printable}}]\n",
     "t.yaml:19:20: character '@' is not allowed in a PrintableString (CN)"},
    {"C of three letters", HDR CI X "    subject: [{C: ESP}]\n",
     "t.yaml:19:19: country (C) must be two letters, not 'ESP'"},
    {"C of two digits", HDR CI X "    subject: [{C: \"12\"}]\n",
     "t.yaml:19:19: country (C) must be two letters, not '12'"},
    {"non-ASCII in an IA5String",
     HDR CI X "    subject: [{emailAddress: \"t\xc3\xa9st@example.com\"}]\n",
     "t.yaml:19:30: non-ASCII character in an IA5String (emailAddress)"},
    {"empty attribute", HDR CI X "    subject: [{O: \"\"}]\n",
     "t.yaml:19:19: attribute O is empty"},
    /* ---- entities and issuers ---- */
    {"entity without id", HDR "  - role: ci\n", "t.yaml:7:5: entity has no 'id'"},
    {"entity id with a space", HDR "  - id: my ci\n",
     "t.yaml:7:9: entity id must be letters, digits, '.', '_' or '-'"},
    {"entity id 'self'", HDR "  - id: self\n",
     "t.yaml:7:9: 'self' is reserved for self-signed issuers"},
    {"duplicate entity id", HDR CI "  - id: ci\n",
     "t.yaml:14:9: duplicate entity id 'ci' (first at line 7)"},
    {"missing issuer",
     HDR CI "  - id: x\n    role: dp-tls\n    variant: O\n"
            "    subject: [{CN: x}]\n    serial: \"02\"\n    output: {cert: x.der}\n",
     "t.yaml:14:5: entity 'x' has no 'issuer' (an entity id, or 'self')"},
    {"unknown issuer",
     HDR CI "  - id: x\n    role: dp-tls\n    variant: O\n    issuer: cj\n"
            "    subject: [{CN: x}]\n    serial: \"02\"\n    output: {cert: x.der}\n",
     "t.yaml:17:13: issuer 'cj' of 'x' is not an entity"},
    {"issuer cycle a->b->a",
     HDR "  - id: a\n    role: ci\n    variant: O\n    issuer: b\n    subject: [{CN: a}]\n"
         "    serial: \"01\"\n    output: {cert: a.der}\n"
         "  - id: b\n    role: ci-subca\n    variant: O\n    issuer: a\n    subject: [{CN: b}]\n"
         "    serial: \"02\"\n    output: {cert: b.der}\n",
     "t.yaml:10:13: issuer cycle: 'a' is its own ancestor"},
    {"issuer is itself",
     HDR "  - id: a\n    role: ci\n    variant: O\n    issuer: a\n    subject: [{CN: a}]\n"
         "    serial: \"01\"\n    output: {cert: a.der}\n",
     "t.yaml:10:13: issuer cycle: 'a' is its own ancestor"},
    {"issuer is not a CA",
     HDR CI X SUBJ SER
     "  - id: y\n    role: euicc\n    variant: O\n    issuer: x\n    subject: [{CN: y}]\n"
     "    serial: \"03\"\n    output: {cert: y.der}\n",
     "t.yaml:24:13: issuer 'x' has role dp-tls, which cannot issue certificates"},
    {"issuer is not on the curve",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    curves: [nist]\n    issuer: self\n"
         "    subject: [{CN: c}]\n    serial: \"01\"\n    output: {cert: ci.der}\n" X SUBJ SER,
     "t.yaml:18:13: issuer 'ci' is not issued on curve 'brp' that 'x' needs"},
    {"key from an unknown entity", HDR CI X SUBJ SER "    key: {from: xx}\n",
     "t.yaml:21:10: key source 'xx' is not an entity"},
    {"key from itself", HDR CI X SUBJ SER "    key: {from: x}\n",
     "t.yaml:21:10: an entity cannot take its key from itself"},
    {"key from both file and entity", HDR CI "    key: {file: k.pem, from: x}\n",
     "t.yaml:14:10: key takes one of 'file', 'csr', 'public', 'from' or 'pkcs11'"},
    {"missing output.cert",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: {dir: d}\n",
     "t.yaml:7:5: entity 'ci' has no output.cert file"},
    {"certificate file with another extension",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: {cert: ci.crt}\n",
     "t.yaml:13:20: certificate file 'ci.crt' must end in .der or .pem"},
    /* ---- variables ---- */
    {"unknown ${var}", HDR CI X "    subject: [{CN: \"${host}\"}]\n",
     "t.yaml:19:20: unknown variable '${host}' (define it under 'vars')"},
    {"unterminated ${", HDR CI X "    subject: [{CN: \"${host\"}]\n",
     "t.yaml:19:20: unterminated '${' in '${host'"},
    {"built-in variable set", "schema: rsp-pkigen/profile/1\nvars: {CURVE: NIST}\n",
     "t.yaml:2:8: 'CURVE' is a built-in variable and cannot be set"},
    {"--var of an unknown variable",
     "schema: rsp-pkigen/profile/1\nvars: {ein: \"89049032\"}\n"
     "curves: {nist: {curve: prime256v1}}\n",
     "--var: the profile t.yaml defines no variable 'eid'", "eid=1", 0},
    {"--var without '='", "schema: rsp-pkigen/profile/1\nvars: {ein: \"89049032\"}\n",
     "--var 'ein' is not NAME=VALUE", "ein", RSPG_E_USAGE},
    /* ---- limits ---- */
    {"string over RSPG_MAX_STRING", NULL, "t.yaml:2:7: string longer than 4096 characters"},
    {"string over RSPG_MAX_STRING after ${var}", NULL,
     "t.yaml:5:14: string longer than 4096 characters"},
    /* ---- output paths ---- */
    {"path traversal in output.dir",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: {dir: ../x, cert: ci.der}\n",
     "t.yaml:13:13: output path '../x' must stay inside the output folder"},
    {"path traversal in output.cert",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: {cert: ../x.der}\n",
     "t.yaml:13:13: output path '../x.der' must stay inside the output folder"},
    {"absolute output.key",
     HDR "  - id: ci\n    role: ci\n    variant: O\n    issuer: self\n    subject: [{CN: c}]\n"
         "    serial: \"01\"\n    output: {cert: ci.der, key: /etc/k.pem}\n",
     "t.yaml:13:13: output path '/etc/k.pem' must stay inside the output folder"},
    {"curve suffix that climbs out of the output folder",
     "schema: rsp-pkigen/profile/1\ncurves:\n  nist: {curve: prime256v1, suffix: ../..}\n",
     "t.yaml:3:37: suffix '../..' must not contain '..' (it is used in output paths)"},
    /* ---- base: and extensions ---- */
    {"base: refers to a later entity", HDR "  - id: x\n    base: ci\n" CI,
     "t.yaml:8:11: base 'ci' is not an entity defined earlier in the list"},
    {"base: refers to itself", HDR CI "  - id: x\n    base: x\n",
     "t.yaml:15:11: base 'x' is not an entity defined earlier in the list"},
    {"duplicated extension",
     HDR CI "    extensions:\n"
            "      - key_usage: {usage: [keyCertSign]}\n"
            "      - subject_key_identifier: {}\n"
            "      - key_usage: {usage: [cRLSign]}\n",
     "t.yaml:17:9: extension key_usage appears twice (RFC 5280 §4.2)"},
    {"extension given as a plain string", HDR CI "    extensions: [subject_key_identifier]\n",
     "t.yaml:14:18: each extension must be a mapping with exactly one key"},
};

/* The two cases with long strings are built at run time. */
static char *long_case(size_t i)
{
    const char *name = bad_cases[i].name;
    char *big = rspg_xmalloc(RSPG_MAX_STRING + 2);
    memset(big, 'a', RSPG_MAX_STRING + 1);
    big[RSPG_MAX_STRING + 1] = '\0';
    char *text;
    if (strstr(name, "after")) {
        /* two vars of 2049 and 2048 characters: each is fine, together 4097 */
        big[2049] = '\0';
        char *half = rspg_xstrndup(big, 2048);
        text = rspg_xasprintf("schema: rsp-pkigen/profile/1\nvars:\n  a: %s\n  b: %s\n"
                              "description: \"${a}${b}\"\n",
                              big, half);
        free(half);
    } else {
        text = rspg_xasprintf("schema: rsp-pkigen/profile/1\nname: %s\n", big);
    }
    free(big);
    return text;
}

static void test_bad_profiles(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        char *owned = c->yaml ? NULL : long_case(i);
        const char *text = c->yaml ? c->yaml : owned;
        char *got = first_error(text, c->var, c->status ? c->status : RSPG_E_PROFILE);
        if (strcmp(got, c->expect) != 0) {
            print_message("case '%s':\n  expected: %s\n  got:      %s\n", c->name, c->expect, got);
            failed++;
        }
        free(got);
        free(owned);
    }
    print_message("%zu broken profiles checked, %zu mismatched\n",
                  sizeof(bad_cases) / sizeof(bad_cases[0]), failed);
    assert_int_equal(failed, 0);
}

/* ---- valid profiles ---- */

static const rspg_entity *find(const rspg_profile *p, const char *id)
{
    const rspg_entity *e = rspg_profile_find(p, id);
    assert_non_null(e);
    return e;
}

static void test_minimal_profile(void **state)
{
    (void)state;
    rspg_profile *p = load_ok(HDR CI);
    assert_string_equal(p->path, "t.yaml");
    assert_null(p->name);
    assert_null(p->clock);
    assert_int_equal(p->default_validity_days, 365);
    assert_int_equal(p->n_curves, 2);
    assert_string_equal(p->curves[0].key, "nist");
    assert_string_equal(p->curves[0].curve->name, "prime256v1");
    assert_string_equal(p->curves[0].suffix, "NIST");
    assert_string_equal(p->curves[1].curve->name, "brainpoolP256r1");
    assert_int_equal(p->n_entities, 1);
    const rspg_entity *e = find(p, "ci");
    assert_int_equal(e->role, RSPG_ROLE_CI);
    assert_int_equal(e->n_variants, 1);
    assert_string_equal(e->variants[0], "O");
    assert_null(e->issuer); /* self */
    assert_int_equal(e->issuer_loc.line, 10);
    assert_int_equal(e->loc.line, 7);
    assert_int_equal(e->loc.col, 5);
    assert_null(e->name);
    assert_string_equal(e->serial.value, "01");
    assert_string_equal(rspg_per_curve_get(&e->serial, "brp"), "01");
    assert_int_equal(e->validity_days, 365); /* defaults.validity_days */
    assert_int_equal(e->key.source, RSPG_KEY_GENERATE);
    assert_int_equal(e->n_exts, 0);
    assert_null(e->dir);
    assert_int_equal(e->n_cert_files, 1);
    assert_string_equal(e->cert_files[0], "ci_${CURVE}.der"); /* substituted by the builder */
    assert_null(e->key_file);
    assert_null(e->pubkey_file);
    /* default curves */
    assert_int_equal(e->n_curves, 2);
    assert_string_equal(e->curves[0], "nist");
    assert_string_equal(e->curves[1], "brp");
    assert_null(rspg_profile_find(p, "nope"));
    assert_null(rspg_profile_curve(p, "p384"));
    rspg_profile_free(p);
}

static const char full_text[] =
    "schema: rsp-pkigen/profile/1\n"
    "name: lab\n"
    "description: \"a lab PKI (EIN ${ein})\"\n"
    "vars:\n"
    "  ein: \"89049032\"\n"
    "  crl: http://ci.example.com\n"
    "  o: ACME ${ein}\n" /* a var may use an earlier var */
    "curves:\n"
    "  nist: {curve: prime256v1, suffix: NIST}\n"
    "  brp: {curve: brainpoolP256r1}\n" /* suffix defaults to the key */
    "defaults:\n"
    "  curves: [nist, brp]\n"
    "  clock: 2024-07-16T09:52:05Z\n"
    "  validity_days: 30\n"
    "entities:\n"
    "  - id: ci\n"
    "    role: ci\n"
    "    variant: [A, B, C]\n"
    "    name: The CI\n"
    "    issuer: self\n"
    "    subject:\n"
    "      - CN: Test CI ${CURVE}\n"
    "      - C: IT\n"
    "      - O: \"${o}\"\n"
    "      - serialNumber: \"${ein}\"\n"
    "      - emailAddress: ci@example.com\n"
    "      - DC: example\n"
    "      - OU: {value: TESTCERT, type: printable}\n"
    "      - 2.5.4.97: {value: VATES-1, type: ia5}\n"
    "      - 2.5.4.12: Title\n"
    "    serial: {nist: \"0100\", brp: \"0101\"}\n"
    "    validity:\n"
    "      not_before: {nist: 2020-04-01T08:31:30Z, brp: 2020-04-01T08:31:31Z}\n"
    "      not_after: 2030-03-30T08:31:30Z\n"
    "    extensions:\n"
    "      - subject_key_identifier:\n"
    "      - basic_constraints: {critical: true, ca: true, path_len: 0}\n"
    "      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}\n"
    "      - certificate_policies: {critical: false, policies: [2.23.146.1.2.1.0]}\n"
    "      - crl_distribution_points: {uris: [\"${crl}/CRL-1.crl\", \"$${crl}/x\"]}\n"
    "      - raw: {oid: 1.2.3.4, value: \"0500\"}\n"
    "      - raw: {oid: 1.2.3.5, value: \"0101FF\", critical: true}\n"
    "    output:\n"
    "      dir: CI/${VARIANT}\n"
    "      cert: [\"CERT_CI_${CURVE}.der\", \"CERT_CI_${CURVE}.pem\"]\n"
    "      key: SK_CI_${CURVE}.pem\n"
    "      pubkey: PK_CI_${CURVE}.pem\n"
    "    note: shared CI\n"
    "  - id: tls\n"
    "    role: dp-tls\n"
    "    variant: A\n"
    "    curves: nist\n"
    "    issuer: ci\n"
    "    subject: [{CN: tls}]\n"
    "    serial: \"0102030405060708090A0B0C0D0E0F1011121314\"\n" /* 20 bytes, top bit clear */
    "    validity: {days: 398}\n"
    "    key: {curve: secp384r1}\n"
    "    extensions:\n"
    "      - basic_constraints: {ca: false}\n"
    "      - extended_key_usage: {usage: [serverAuth, 1.2.3.4.5]}\n"
    "      - subject_alt_name: {names: [{dns: a.example.com}, {rid: 2.999.10}, {dir: [{O: x}]}]}\n"
    "      - authority_key_identifier: {key_id: \"00112233\"}\n"
    "    output: {cert: tls.der}\n"
    "  - id: tls2\n"
    "    base: tls\n"
    "    name: TLS 2\n"
    "    serial: \"8F\"\n"
    "    key: {from: tls}\n"
    "    output: {cert: tls2.der}\n";

static const rspg_ext *ext_of(const rspg_entity *e, rspg_ext_kind k, size_t nth)
{
    for (size_t i = 0; i < e->n_exts; i++)
        if (e->exts[i].kind == k && nth-- == 0)
            return &e->exts[i];
    fail_msg("no extension %s", rspg_ext_kind_name(k));
    return NULL;
}

static void test_full_profile(void **state)
{
    (void)state;
    rspg_profile *p = load_ok(full_text);
    assert_string_equal(p->name, "lab");
    assert_string_equal(p->description, "a lab PKI (EIN 89049032)"); /* vars apply */
    assert_string_equal(p->clock, "2024-07-16T09:52:05Z");
    assert_int_equal(p->default_validity_days, 30);
    assert_string_equal(p->curves[1].suffix, "brp");
    assert_int_equal(p->n_entities, 3);

    const rspg_entity *ci = find(p, "ci");
    assert_string_equal(ci->name, "The CI");
    assert_int_equal(ci->n_variants, 3);
    assert_string_equal(ci->variants[2], "C");
    assert_string_equal(ci->note, "shared CI");
    /* subject: order as written, default and explicit string types */
    static const struct {
        const char *key, *oid, *value;
        rspg_string_type type;
    } want[] = {
        {"CN", "2.5.4.3", "Test CI ${CURVE}", RSPG_STR_UTF8},
        {"C", "2.5.4.6", "IT", RSPG_STR_PRINTABLE},
        {"O", "2.5.4.10", "ACME 89049032", RSPG_STR_UTF8},
        {"serialNumber", "2.5.4.5", "89049032", RSPG_STR_PRINTABLE},
        {"emailAddress", "1.2.840.113549.1.9.1", "ci@example.com", RSPG_STR_IA5},
        {"DC", "0.9.2342.19200300.100.1.25", "example", RSPG_STR_IA5},
        {"OU", "2.5.4.11", "TESTCERT", RSPG_STR_PRINTABLE},
        {"2.5.4.97", "2.5.4.97", "VATES-1", RSPG_STR_IA5},
        {"2.5.4.12", "2.5.4.12", "Title", RSPG_STR_UTF8},
    };
    assert_int_equal(ci->subject.count, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < ci->subject.count; i++) {
        assert_string_equal(ci->subject.attrs[i].key, want[i].key);
        assert_string_equal(ci->subject.attrs[i].oid, want[i].oid);
        assert_string_equal(ci->subject.attrs[i].value, want[i].value);
        assert_int_equal(ci->subject.attrs[i].type, want[i].type);
        assert_int_equal(ci->subject.attrs[i].loc.line, 22 + i);
    }
    /* per-curve serial and not_before; a single not_after */
    assert_null(ci->serial.value);
    assert_int_equal(ci->serial.n, 2);
    assert_string_equal(rspg_per_curve_get(&ci->serial, "nist"), "0100");
    assert_string_equal(rspg_per_curve_get(&ci->serial, "brp"), "0101");
    assert_null(rspg_per_curve_get(&ci->serial, "p384"));
    assert_string_equal(rspg_per_curve_get(&ci->not_before, "nist"), "2020-04-01T08:31:30Z");
    assert_string_equal(rspg_per_curve_get(&ci->not_before, "brp"), "2020-04-01T08:31:31Z");
    assert_string_equal(rspg_per_curve_get(&ci->not_after, "brp"), "2030-03-30T08:31:30Z");
    assert_int_equal(ci->validity_days, 0); /* not_after given */
    /* extensions in order, criticality, path_len */
    assert_int_equal(ci->n_exts, 7);
    assert_int_equal(ci->exts[0].kind, RSPG_EXT_SKI);
    assert_false(ci->exts[0].critical);
    assert_int_equal(ci->exts[0].value.len, 0);
    const rspg_ext *bc = &ci->exts[1];
    assert_int_equal(bc->kind, RSPG_EXT_BASIC_CONSTRAINTS);
    assert_true(bc->critical);
    assert_true(bc->ca);
    assert_int_equal(bc->path_len, 0);
    assert_int_equal(bc->loc.line, 37);
    assert_int_equal(bc->loc.col, 9);
    const rspg_ext *ku = &ci->exts[2];
    assert_true(ku->critical);
    assert_int_equal(ku->key_usage, RSPG_KU_KEY_CERT_SIGN | RSPG_KU_CRL_SIGN);
    const rspg_ext *cp = &ci->exts[3];
    assert_false(cp->critical);
    assert_int_equal(cp->n_items, 1);
    assert_string_equal(cp->items[0], "2.23.146.1.2.1.0");
    const rspg_ext *dp = &ci->exts[4];
    assert_int_equal(dp->n_items, 2);
    assert_string_equal(dp->items[0], "http://ci.example.com/CRL-1.crl");
    assert_string_equal(dp->items[1], "$${crl}/x"); /* literal, unescaped by the builder */
    const rspg_ext *raw = ext_of(ci, RSPG_EXT_RAW, 1);
    assert_string_equal(raw->oid, "1.2.3.5");
    assert_true(raw->critical);
    assert_int_equal(raw->value.len, 3);
    assert_false(ext_of(ci, RSPG_EXT_RAW, 0)->critical);
    assert_string_equal(ci->dir, "CI/${VARIANT}");
    assert_int_equal(ci->n_cert_files, 2);
    assert_string_equal(ci->cert_files[1], "CERT_CI_${CURVE}.pem");
    assert_string_equal(ci->key_file, "SK_CI_${CURVE}.pem");
    assert_string_equal(ci->pubkey_file, "PK_CI_${CURVE}.pem");

    const rspg_entity *tls = find(p, "tls");
    assert_string_equal(tls->issuer, "ci");
    assert_int_equal(tls->n_curves, 1); /* a single string */
    assert_string_equal(tls->curves[0], "nist");
    assert_string_equal(tls->serial.value, "0102030405060708090A0B0C0D0E0F1011121314");
    assert_int_equal(tls->validity_days, 398);
    assert_int_equal(tls->key.source, RSPG_KEY_GENERATE);
    assert_non_null(tls->key.curve); /* {curve: secp384r1} */
    const rspg_ext *bc2 = ext_of(tls, RSPG_EXT_BASIC_CONSTRAINTS, 0);
    assert_false(bc2->ca);
    assert_int_equal(bc2->path_len, -1);
    assert_false(bc2->critical);
    const rspg_ext *eku = ext_of(tls, RSPG_EXT_EXT_KEY_USAGE, 0);
    assert_int_equal(eku->n_items, 2);
    assert_string_equal(eku->items[0], "1.3.6.1.5.5.7.3.1");
    assert_string_equal(eku->items[1], "1.2.3.4.5");
    const rspg_ext *san = ext_of(tls, RSPG_EXT_SAN, 0);
    assert_int_equal(san->n_names, 3);
    assert_int_equal(san->names[0].kind, RSPG_GN_DNS);
    assert_string_equal(san->names[0].value, "a.example.com");
    assert_int_equal(san->names[1].kind, RSPG_GN_RID);
    assert_int_equal(san->names[2].kind, RSPG_GN_DIRNAME);
    assert_int_equal(san->names[2].dn.count, 1);
    const rspg_ext *aki = ext_of(tls, RSPG_EXT_AKI, 0);
    assert_int_equal(aki->value.len, 4);

    /* base: inherits everything but what tls2 restates */
    const rspg_entity *tls2 = find(p, "tls2");
    assert_string_equal(tls2->name, "TLS 2");
    assert_string_equal(tls2->serial.value, "8F");
    assert_int_equal(tls2->role, RSPG_ROLE_DP_TLS);
    assert_string_equal(tls2->variants[0], "A");
    assert_string_equal(tls2->issuer, "ci");
    assert_int_equal(tls2->n_curves, 1);
    assert_string_equal(tls2->subject.attrs[0].value, "tls");
    assert_int_equal(tls2->validity_days, 398);
    assert_int_equal(tls2->n_exts, tls->n_exts);
    assert_int_equal(tls2->key.source, RSPG_KEY_FROM);
    assert_string_equal(tls2->key.from, "tls");
    assert_null(tls2->key.curve); /* key: replaced as a whole */
    assert_string_equal(tls2->cert_files[0], "tls2.der");
    assert_string_equal(tls->cert_files[0], "tls.der"); /* the base is untouched */
    assert_string_equal(tls->serial.value, "0102030405060708090A0B0C0D0E0F1011121314");
    rspg_profile_free(p);
}

static void test_var_override(void **state)
{
    (void)state;
    const char *vars[] = {"ein=12345678", "crl=http://crl.example.org"};
    rspg_profile *p = load_ok_ex(full_text, vars, 2);
    const rspg_entity *ci = find(p, "ci");
    assert_string_equal(ci->subject.attrs[2].value, "ACME 12345678"); /* through ${o} */
    assert_string_equal(ci->subject.attrs[3].value, "12345678");
    assert_string_equal(ext_of(ci, RSPG_EXT_CRL_DP, 0)->items[0],
                        "http://crl.example.org/CRL-1.crl");
    rspg_profile_free(p);

    /* an override value is checked like the profile's own */
    const char *bad[] = {"ein=8904_9032"};
    rspg_diag d;
    rspg_diag_init(&d);
    rspg_load_options o = {bad, 1};
    assert_int_equal(
        rspg_profile_load_string_ex(full_text, strlen(full_text), "t.yaml", &o, &d, &p),
        RSPG_E_PROFILE);
    char *m = rspg_diag_format(&d.entries[0]);
    assert_string_equal(m, "t.yaml:25:23: character '_' is not allowed in a PrintableString "
                           "(serialNumber)");
    free(m);
    rspg_diag_fini(&d);
}

static void test_errors_are_collected(void **state)
{
    (void)state;
    /* two broken entities: both are reported, in order */
    const char *text = HDR "  - id: a\n    role: root\n  - id: b\n    variant: Z\n";
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    assert_int_equal(rspg_profile_load_string(text, strlen(text), "t.yaml", &d, &p),
                     RSPG_E_PROFILE);
    assert_null(p);
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.entries[0].line, 8);
    assert_int_equal(d.entries[1].line, 10);
    rspg_diag_fini(&d);
}

static void test_sgp26_loads_cleanly(void **state)
{
    (void)state;
    char *path = tu_src("profiles/sgp26.yaml");
    rspg_diag d;
    rspg_profile *p = NULL;
    rspg_diag_init(&d);
    rspg_status rc = rspg_profile_load_file(path, &d, &p);
    for (size_t i = 0; i < d.count; i++) {
        char *m = rspg_diag_format(&d.entries[i]);
        print_message("  diag: %s\n", m);
        free(m);
    }
    assert_int_equal(rc, RSPG_OK);
    assert_int_equal(d.count, 0);
    assert_string_equal(p->name, "sgp26");
    assert_true(p->n_entities > 50);
    for (size_t i = 0; i < p->n_entities; i++) {
        const rspg_entity *e = &p->entities[i];
        assert_true(e->n_curves >= 1);
        assert_true(e->n_cert_files >= 1);
        assert_true(e->subject.count >= 1);
    }
    /* the crl vars can be overridden, as the profile's comment says */
    const char *vars[] = {"crl_1=CRL-A.crl", "crl_2=CRL-B.crl"};
    rspg_load_options o = {vars, 2};
    rspg_profile *p2 = NULL;
    assert_int_equal(rspg_profile_load_file_ex(path, &o, &d, &p2), RSPG_OK);
    const rspg_entity *ci = rspg_profile_find(p2, "o-ci");
    assert_non_null(ci);
    const rspg_ext *dp = ext_of(ci, RSPG_EXT_CRL_DP, 0);
    assert_string_equal(dp->items[0], "http://ci.test.example.com/CRL-A.crl");
    rspg_profile_free(p2);
    rspg_profile_free(p);
    rspg_diag_fini(&d);
    free(path);
}

static void test_load_file_errors(void **state)
{
    (void)state;
    rspg_diag d;
    rspg_profile *p = (rspg_profile *)1;
    rspg_diag_init(&d);
    assert_int_equal(rspg_profile_load_file("/nonexistent/p.yaml", &d, &p), RSPG_E_IO);
    assert_null(p);
    char *m = rspg_diag_format(&d.entries[0]);
    assert_string_equal(m,
                        "/nonexistent/p.yaml: cannot open the profile: No such file or directory");
    free(m);
    rspg_diag_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_profiles),         cmocka_unit_test(test_minimal_profile),
        cmocka_unit_test(test_full_profile),         cmocka_unit_test(test_var_override),
        cmocka_unit_test(test_errors_are_collected), cmocka_unit_test(test_sgp26_loads_cleanly),
        cmocka_unit_test(test_load_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
