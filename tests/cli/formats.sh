# tests/cli/formats.sh: the file formats of `build` as a user sees them (issue 17, item 3):
# --format der|pem|both for certificates (same certificate bytes, references in the
# manifest follow renamed files, the build verifies itself), --key-format pkcs8 read back
# by openssl, --pkcs12 opened by `openssl pkcs12 -info` with the password from env: and
# file: (a password on the command line is refused), the default output unchanged, and PEM
# bundles read whole by show, lint and verify (--ci, --untrusted, CERT).
# Run by ctest as: bash formats.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

P="$SRC/profiles/private-root.yaml"
FIX=(--seed 17 --clock 2026-01-01T00:00:00Z)
AT=2026-06-01T00:00:00Z
O="Valid Test Cases/Variant O"
A="Valid Test Cases/Variants A_B_C/Variant A"

# ---- the default is the profile's ----
run "$CLI" build "$P" -o "$T/def" "${FIX[@]}" -q
check "default build" rc_is 0
run "$CLI" build "$P" -o "$T/def2" "${FIX[@]}" -q --format der --key-format sec1
check "--key-format sec1 changes no key; --format der keeps the DER files" eval \
    'rc_is 0 && cmp -s "$T/def/$O/CI/SK_CI_SIG_NIST.pem" "$T/def2/$O/CI/SK_CI_SIG_NIST.pem" && cmp -s "$T/def/$O/CI/CERT_CI_SIG_NIST.der" "$T/def2/$O/CI/CERT_CI_SIG_NIST.der"'
check "the default keys are SEC1 (EC PRIVATE KEY)" grep -q "BEGIN EC PRIVATE KEY" "$T/def/$O/CI/SK_CI_SIG_NIST.pem"

# ---- --format pem: every certificate a .pem, the same certificate ----
run "$CLI" build "$P" -o "$T/pem" "${FIX[@]}" --format pem -q
check "--format pem builds (and verifies itself)" rc_is 0
check "no .der certificate is left" eval '[ -z "$(find "$T/pem" -name "CERT_*.der" -print -quit)" ]'
check "CERT_CI_SIG_NIST.pem is the DER file's certificate" eval \
    'openssl x509 -in "$T/pem/$O/CI/CERT_CI_SIG_NIST.pem" -outform DER | cmp -s - "$T/def/$O/CI/CERT_CI_SIG_NIST.der"'
check "the manifest's issuer and key fields point at existing files" python3 - "$T/pem" <<'PY'
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
paths = {a["path"] for a in m["artifacts"]}
bad = [a["path"] for a in m["artifacts"] for k in ("issuer", "key", "certificate", "twin")
       if k in a and a[k] not in paths]
assert not bad, bad
assert all(a["format"] == "pem" for a in m["artifacts"] if a["kind"] == "certificate")
PY
run "$CLI" verify "$T/pem" -q
check "verify reads the PEM-only folder" rc_is 0

# ---- --format both: each certificate as .der and .pem ----
run "$CLI" build "$P" -o "$T/both" "${FIX[@]}" --format both --json
check "--format both: --json lists what was written" eval \
    'rc_is 0 && python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j[\"output\"] and j[\"files\"] == len(j[\"written\"])" "$T/out"'
check "a DER-only certificate of the profile gets its PEM twin, the same certificate" eval \
    'absent "$T/def/$O/eUICC/CERT_EUICC_SIG_NIST.pem" && openssl x509 -in "$T/both/$O/eUICC/CERT_EUICC_SIG_NIST.pem" -outform DER | cmp -s - "$T/both/$O/eUICC/CERT_EUICC_SIG_NIST.der"'
check "a certificate the profile writes twice is not written a third time" eval \
    '[ "$(ls "$T/both/$O/EUM/" | grep -c "^CERT_EUM_SIG_NIST")" -eq 2 ]'
check "the manifest lists both twins" eval \
    '[ "$(grep -c "\"path\": \".*eUICC/CERT_EUICC_SIG_NIST\.\(der\|pem\)\"," "$T/both/manifest.json")" -eq 2 ]'

# ---- --key-format pkcs8 ----
run "$CLI" build "$P" -o "$T/p8" "${FIX[@]}" --key-format pkcs8 -q
check "--key-format pkcs8 builds" rc_is 0
K="$T/p8/$O/CI/SK_CI_SIG_BRP.pem"
check "the key is PKCS#8 (PRIVATE KEY)" eval 'head -1 "$K" | grep -qx -- "-----BEGIN PRIVATE KEY-----"'
check "openssl reads the PKCS#8 key back: the same key as the SEC1 one" eval \
    '[ "$(openssl pkey -in "$K" -pubout)" = "$(openssl pkey -in "$T/def/$O/CI/SK_CI_SIG_BRP.pem" -pubout)" ]'
check "openssl pkcs8 -nocrypt parses it" eval 'openssl pkcs8 -in "$K" -nocrypt -topk8 >/dev/null 2>&1'
check "the manifest says encoding pkcs8" grep -q '"encoding": "pkcs8"' "$T/p8/manifest.json"
check "the key stays 0600" eval '[ "$(stat -c %a "$K")" = 600 ]'

# ---- --pkcs12 ----
export RSPG_TEST_P12=s3cret
run "$CLI" build "$P" -o "$T/p12" "${FIX[@]}" --only dp-tls --pkcs12=env:RSPG_TEST_P12 -q
check "--pkcs12=env:VAR builds" rc_is 0
F="$T/p12/$O/SM-DP+/SM_DPtls/CERT_S_SM_DP_TLS_NIST.p12"
[ -f "$F" ] || F=$(find "$T/p12" -name '*.p12' | head -1)
check "a .p12 beside the TLS certificate, 0600" eval '[ -f "$F" ] && [ "$(stat -c %a "$F")" = 600 ]'
check "openssl pkcs12 -info opens it with the password" eval \
    'openssl pkcs12 -info -noout -passin env:RSPG_TEST_P12 -in "$F" 2>/dev/null'
check "the wrong password is refused" eval '! openssl pkcs12 -info -noout -passin pass:wrong -in "$F" 2>/dev/null'
check "it holds the certificate and its key" eval \
    'openssl pkcs12 -in "$F" -passin env:RSPG_TEST_P12 -nodes 2>/dev/null | grep -q "BEGIN PRIVATE KEY" && openssl pkcs12 -in "$F" -passin env:RSPG_TEST_P12 -nokeys 2>/dev/null | grep -q "BEGIN CERTIFICATE"'
check "the manifest lists it (kind pkcs12)" grep -q '"kind": "pkcs12"' "$T/p12/manifest.json"
PA=$(find "$T/p12/$A" -name '*TLS*NIST*.p12' | head -1)
check "a Variant A TLS PKCS#12 (no intermediate: TLS is under the CI)" eval '[ -n "$PA" ]'
printf 'from-a-file\nsecond line ignored\n' >"$T/pw"
run "$CLI" build "$P" -o "$T/p12f" "${FIX[@]}" --only o-dp-tls --pkcs12=file:"$T/pw" -q
F2=$(find "$T/p12f" -name '*.p12' | head -1)
check "--pkcs12=file:PATH: its first line is the password" eval \
    'rc_is 0 && openssl pkcs12 -info -noout -passin pass:from-a-file -in "$F2" 2>/dev/null'
run "$CLI" build "$P" -o "$T/x" --pkcs12=pass:foo
check "--pkcs12=pass:... is refused (visible in ps), exit 2" eval 'rc_is 2 && err_has "visible" && absent "$T/x"'
run "$CLI" build "$P" -o "$T/x" --pkcs12
check "--pkcs12 without a terminal needs a source, exit 2" eval 'rc_is 2 && err_has "env:VAR"'
run env -u RSPG_TEST_P12 "$CLI" build "$P" -o "$T/x" --pkcs12=env:RSPG_TEST_P12
check "an unset variable is named, exit 2" eval 'rc_is 2 && err_has "RSPG_TEST_P12"'
run "$CLI" build "$P" -o "$T/x" --only o-ci --pkcs12=env:RSPG_TEST_P12
check "no TLS certificate selected: --pkcs12 says so, exit 2" eval 'rc_is 2 && err_has "no TLS certificate" && absent "$T/x"'
run "$CLI" build "$P" -o "$T/x" --format pen
check "--format pen: did you mean pem" eval 'rc_is 2 && err_has "did you mean pem?"'
run "$CLI" build "$P" -o "$T/x" --key-format pkcs12
check "--key-format lists sec1 and pkcs8" eval 'rc_is 2 && err_has "expected sec1 or pkcs8"'

# ---- PEM bundles read whole ----
cat "$T/def/$O/CI/CERT_CI_SIG_NIST.der" | openssl x509 -inform DER >"$T/cis.pem"
openssl x509 -inform DER -in "$T/def/$O/CI/CERT_CI_SIG_BRP.der" >>"$T/cis.pem"
EU="$T/def/$O/eUICC/CERT_EUICC_SIG_BRP.der"
EUM="$T/def/$O/EUM/CERT_EUM_SIG_BRP.der"
{ openssl x509 -inform DER -in "$T/def/$O/EUM/CERT_EUM_SIG_NIST.der"; openssl x509 -inform DER -in "$EUM"; } >"$T/eums.pem"
run "$CLI" verify "$EU" --ci "$T/cis.pem" --untrusted "$T/eums.pem" --at $AT
check "verify: --ci bundle of 2 and --untrusted bundle of 2, the BRP CI (2nd) is found" eval \
    'rc_is 0 && out_has "cis.pem#2"'
run "$CLI" verify "$EU" --ci "$T/def/$O/CI/CERT_CI_SIG_BRP.der" --at $AT
check "verify without the EUM: invalid, with a hint" eval 'rc_is 1 && out_has "--untrusted"'
mkdir -p "$T/side" && cp "$EU" "$EUM" "$T/side/"
run "$CLI" verify "$T/side/CERT_EUICC_SIG_BRP.der" --ci "$T/def/$O/CI/CERT_CI_SIG_BRP.der" --at $AT
check "verify finds the EUM beside the eUICC certificate" eval 'rc_is 0 && out_has "side/CERT_EUM_SIG_BRP.der"'
{ cat "$T/eums.pem"; openssl x509 -inform DER -in "$EU"; } >"$T/chain.pem"
run "$CLI" verify "$T/chain.pem" --ci "$T/cis.pem" --at $AT
check "verify CERT as a bundle: every certificate in it is checked" eval \
    'rc_is 0 && [ "$(grep -c ": valid" "$T/out")" -eq 3 ]'
run "$CLI" show "$T/chain.pem"
check "show: a bundle of 3 shows 3" eval 'rc_is 0 && out_has "chain.pem#3" && [ "$(grep -c "^  subject:" "$T/out")" -eq 3 ]'
run "$CLI" show --json "$T/cis.pem"
check "show --json: one entry per certificate of the bundle" eval \
    'rc_is 0 && python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))[\"certificates\"]) == 2" "$T/out"'
run "$CLI" lint -v "$T/chain.pem"
check "lint: a bundle of 3 lints 3" eval 'rc_is 0 && [ "$(grep -c "linted as" "$T/out")" -eq 3 ]'
run "$CLI" lint --json "$T/cis.pem"
check "lint --json: one result per certificate" eval \
    'rc_is 0 && python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))[\"results\"]) == 2" "$T/out"'

finish
