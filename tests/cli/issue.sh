# tests/cli/issue.sh: `rsp-pkigen issue` and `key: {csr: ...}` as a lab uses them (issue 17
# item 1). CSRs are made with `openssl req -new` (P-256, brainpoolP256r1, one with a tampered
# signature, one on secp384r1) and checked with `openssl req -verify`; a private root built
# with rsp-pkigen is the issuer. The issued certificates must lint clean (`rsp-pkigen lint`),
# verify under their CI (`rsp-pkigen verify --ci`, `openssl verify`), carry the request's
# subject (the TLS SAN follows the CN) and key, and come without an SK_ file, the manifest
# saying where the key lives. Bad input: exit 4 with one precise line; an issuer that cannot
# issue the role: exit 2.
# Run by ctest as: bash issue.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

if ! command -v openssl >/dev/null; then
    skip "openssl is not installed"
    finish
fi

P=$SRC/profiles/private-root.yaml
run "$CLI" build "$P" -o "$T/lab" --seed 0017 --clock 2026-01-01T00:00:00Z -q
check "private root built" rc_is 0
CI="$T/lab/Valid Test Cases/Variant O/CI"
DPTLS="Valid Test Cases/Variant O/SM-DP+/SM_DPtls"

# ---- CSRs made by openssl ----
csr() { # csr NAME CURVE SUBJECT
    openssl req -new -newkey ec -pkeyopt "ec_paramgen_curve:$2" -nodes -keyout "$T/$1.key" \
        -subj "$3" -out "$T/$1.csr" 2>/dev/null
}
csr p256 P-256 "/O=ACME Lab/CN=smdp.acme.test"
csr brp brainpoolP256r1 "/O=ACME Lab/CN=smdp-brp.acme.test"
csr p384 secp384r1 "/O=ACME Lab/CN=smdp384.acme.test"
openssl req -in "$T/p256.csr" -outform DER -out "$T/tampered.der"
python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[-1]^=1; open(sys.argv[1],"wb").write(b)' "$T/tampered.der"
for c in p256 brp p384; do
    run openssl req -in "$T/$c.csr" -verify -noout
    check "openssl req -verify accepts $c.csr" rc_is 0
done
run openssl req -in "$T/tampered.der" -inform DER -verify -noout
check "openssl req -verify refuses the tampered CSR" eval '! rc_is 0 || err_has "verify failure"'

ISSUE=(--issuer-cert "$CI/CERT_CI_SIG_NIST.der" --issuer-key "$CI/SK_CI_SIG_NIST.pem" --profile "$P")

# ---- a P-256 CSR becomes an SM-DP+ TLS certificate ----
run "$CLI" issue dp-tls --csr "$T/p256.csr" "${ISSUE[@]}" -o "$T/i1" --clock 2026-02-01T00:00:00Z
check "issue dp-tls --csr P-256: exit 0" rc_is 0
check "issue: names the certificate written" out_has "$T/i1/$DPTLS/CERT_S_SM_DP_VARO_TLS_NIST.der"
C1="$T/i1/$DPTLS/CERT_S_SM_DP_VARO_TLS_NIST.der"
run "$CLI" lint "$C1"
check "issued certificate lints clean" rc_is 0
run "$CLI" verify --ci "$CI/CERT_CI_SIG_NIST.der" --at 2026-02-02T00:00:00Z "$C1"
check "issued certificate verifies under its CI (rsp-pkigen verify)" rc_is 0
run openssl verify -CAfile "$CI/CERT_CI_SIG_NIST.pem" -attime 1770000000 <(openssl x509 -inform DER -in "$C1")
check "issued certificate verifies under its CI (openssl verify)" rc_is 0
run openssl x509 -inform DER -in "$C1" -noout -subject -ext subjectAltName -nameopt compat
check "the CSR's subject is used" out_has "subject=/O=ACME Lab/CN=smdp.acme.test"
check "the TLS SAN dNSName follows the CN" out_has "DNS:smdp.acme.test"
cmp -s <(openssl req -in "$T/p256.csr" -pubkey -noout | openssl pkey -pubin -outform DER) \
    <(openssl x509 -inform DER -in "$C1" -pubkey -noout | openssl pkey -pubin -outform DER)
check "the certificate holds the CSR's key" [ $? -eq 0 ]
check "no SK_ file for a key held elsewhere" [ -z "$(find "$T/i1" -name 'SK_*')" ]
check "manifest: key_source csr with the file" grep -q '"source": "csr"' "$T/i1/manifest.json"
# same extensions, in the same order, as the profile's own dp-tls certificate
ext_order() { openssl x509 -inform DER -in "$1" -noout -text | grep -E '^ {12}X509v3|critical' | sed 's/: critical//;s/ *$//'; }
run "$CLI" build "$P" -o "$T/ref" --seed 0017 --clock 2026-01-01T00:00:00Z --only o-dp-tls --curve nist -q
check "the template's extensions, in its order" [ "$(ext_order "$C1")" = "$(ext_order "$T/ref/$DPTLS/CERT_S_SM_DP_VARO_TLS_NIST.der")" ]

# ---- brainpool, with --subject and --days; and a public key ----
run "$CLI" issue dp-tls --csr "$T/brp.csr" --issuer-cert "$CI/CERT_CI_SIG_BRP.der" \
    --issuer-key "$CI/SK_CI_SIG_BRP.pem" --profile "$P" --subject "/O=Other/CN=brp.acme.test" --days 90 -o "$T/i2" -q \
    --clock 2026-02-01T00:00:00Z
check "issue dp-tls --csr brainpool: exit 0, quiet" eval 'rc_is 0 && out_empty'
C2="$T/i2/$DPTLS/CERT_S_SM_DP_VARO_TLS_BRP.der"
run "$CLI" lint "$C2"
check "brainpool certificate lints clean" rc_is 0
run "$CLI" verify --ci "$CI/CERT_CI_SIG_BRP.der" --at 2026-02-02T00:00:00Z "$C2"
check "brainpool certificate verifies under its CI" rc_is 0
run openssl x509 -inform DER -in "$C2" -noout -subject -dates -nameopt compat
check "--subject replaces the CSR's" out_has "subject=/O=Other/CN=brp.acme.test"
check "--days 90" out_has "notAfter=May  2 00:00:00 2026 GMT"
openssl pkey -in "$T/p256.key" -pubout -out "$T/p256.pub" 2>/dev/null
run "$CLI" issue dp-auth --public-key "$T/p256.pub" "${ISSUE[@]}" -o "$T/i3"
check "issue dp-auth --public-key: exit 0" rc_is 0
run "$CLI" lint "$T/i3/Valid Test Cases/Variant O/SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_NIST.der"
check "dp-auth from a public key lints clean" rc_is 0
check "manifest: key_source public" grep -q '"source": "public"' "$T/i3/manifest.json"

# ---- bad input: exit 4, one precise line, nothing written ----
run "$CLI" issue dp-tls --csr "$T/tampered.der" "${ISSUE[@]}" -o "$T/bad1"
check "tampered CSR: exit 4" rc_is 4
check "tampered CSR: one line naming the self-signature" err_is "rsp-pkigen: error: $T/tampered.der: the request's self-signature does not verify (altered, or not signed by the private key of its public key)"
check "tampered CSR: nothing written" absent "$T/bad1"
run "$CLI" issue dp-tls --csr "$T/p384.csr" "${ISSUE[@]}" -o "$T/bad2"
check "secp384r1 CSR: exit 4" rc_is 4
check "secp384r1 CSR: names the curve and the rule" err_is "rsp-pkigen: error: $T/p384.csr: the key is on secp384r1; a dp-tls certificate must be on prime256v1 or brainpoolP256r1 (SGP.22 section 2.6.5)"
run "$CLI" issue dp-tls --csr "$T/p256.key" "${ISSUE[@]}" -o "$T/bad3"
check "a key file given as CSR: exit 4" rc_is 4
check "a key file given as CSR: one line" err_is "rsp-pkigen: error: $T/p256.key: no PEM block 'CERTIFICATE REQUEST' (a PKCS#10 request is expected)"
run "$CLI" issue dp-tls --csr "$T/brp.csr" "${ISSUE[@]}" -o "$T/bad4"
check "brainpool CSR under the NIST CI: exit 4 (one curve per chain)" eval 'rc_is 4 && err_has "one curve per chain"'

# ---- an issuer that cannot issue the role, bad usage: exit 2 ----
run "$CLI" issue eum --csr "$T/p256.csr" --issuer-cert "$C1" --issuer-key "$T/p256.key" --profile "$P" -o "$T/bad5"
check "a dp-tls certificate as issuer: exit 2" eval 'rc_is 2 && err_has "a dp-tls certificate cannot issue a eum certificate"'
run "$CLI" issue dp-tls --csr "$T/p256.csr" --issuer-cert "$CI/CERT_CI_SIG_NIST.der" --issuer-key "$CI/SK_CI_SIG_BRP.pem" -o "$T/bad6"
check "issuer key of another certificate: exit 2" rc_is 2
run "$CLI" issue dp-tls --csr "$T/p256.csr" --public-key "$T/p256.pub" "${ISSUE[@]}" -o "$T/bad7"
check "--csr and --public-key together: exit 2" rc_is 2
run "$CLI" issue dp-tlz --csr "$T/p256.csr" "${ISSUE[@]}" -o "$T/bad8"
check "unknown role: exit 2, names it" eval 'rc_is 2 && err_has "unknown role '"'"'dp-tlz'"'"'"'
run "$CLI" issue dp-tls --csr "$T/p256.csr" "${ISSUE[@]}" --subject "CN=x" -o "$T/bad9"
check "a subject not in /K=V form: exit 2" rc_is 2

# ---- the default profile (sgp26.yaml) as the template ----
run "$CLI" issue dp-tls --csr "$T/p256.csr" --issuer-cert "$CI/CERT_CI_SIG_NIST.der" --issuer-key "$CI/SK_CI_SIG_NIST.pem" -o "$T/i4"
check "issue with the default profile: exit 0" rc_is 0
run "$CLI" lint "$T/i4/$DPTLS/CERT_S_SM_DP_VARO_TLS_NIST.der"
check "default-profile certificate lints clean" rc_is 0
run "$CLI" issue dp-tls --csr "$T/p256.csr" "${ISSUE[@]}" -o "$T/i5" --json --serial 0A0B
check "issue --json: one object naming the certificate, template and serial" \
    out_is "{\"output\": \"$T/i5\", \"certificate\": \"$DPTLS/CERT_S_SM_DP_VARO_TLS_NIST.der\", \"template\": \"o-dp-tls\", \"serial\": \"0A0B\"}"

# ---- key: {csr: FILE} in a profile ----
run "$CLI" build "$P" -o "$T/b1" --seed 0017 --clock 2026-01-01T00:00:00Z --curve nist --only o-dp-tls \
    --set "o-dp-tls.key={csr: $T/p256.csr}"
check "build with key: {csr: ...}: exit 0 (self-checked)" rc_is 0
check "build with key: {csr: ...}: no SK_ file for it" absent "$T/b1/$DPTLS/SK_S_SM_DP_TLS_NIST.pem"
check "build with key: {csr: ...}: the CI's SK_ file is there" test -f "$T/b1/Valid Test Cases/Variant O/CI/SK_CI_SIG_NIST.pem"
run "$CLI" verify "$T/b1"
check "build with key: {csr: ...}: verify DIR" rc_is 0
run "$CLI" build "$P" -o "$T/b2" --curve nist --only o-dp-tls --set "o-dp-tls.key={csr: $T/tampered.der}"
check "build with a tampered CSR: exit 2 at the profile" eval 'rc_is 2 && err_has "self-signature does not verify"'
run "$CLI" build "$P" -o "$T/b3" --curve nist --only o-dp-tls --set "o-ci.key={csr: $T/p256.csr}"
check "a CA whose key is a CSR cannot sign: exit 2" eval 'rc_is 2 && err_has "its private key is not here"'
finish
