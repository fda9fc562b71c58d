# tests/cli/build.sh: `rsp-pkigen build` and `verify` end to end with the real binary: a
# broken profile (exit 2, "rsp-pkigen: error: FILE:LINE:COL: ..." on stderr, no output
# folder); an existing folder (refused without --force and left untouched; with --force
# replaced only when it is a previous output or empty, with --force-any whatever it holds); a full profiles/sgp26.yaml build that `verify` accepts; 0600 private keys;
# SOURCE_DATE_EPOCH as the clock; byte-identical builds with --seed and --clock (and other
# keys with another seed); filters; key files (--key-dir, a missing one); verify
# reporting a damaged certificate; the build's self-check (a bad EID: exit 1, the located
# error, no folder, no temporary folder); exit codes in --help; a missing profile: exit 2.
# Run by ctest as: bash build.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

P=$SRC/profiles/sgp26.yaml
FIXED=(--seed 00112233 --clock 2025-01-01T00:00:00Z)

# ---- a broken profile ----
cat >"$T/bad.yaml" <<'YAML'
schema: rsp-pkigen/profile/1
curves:
  nist: {curve: p385, suffix: NIST}
entities: []
YAML
run "$CLI" build "$T/bad.yaml" -o "$T/out-bad"
check "broken profile: exit 2" rc_is 2
check "broken profile: FILE:LINE:COL on stderr" err_is "rsp-pkigen: error: $T/bad.yaml:3:17: unknown curve 'p385' (expected one of prime256v1 (nist), brainpoolP256r1 (brp), prime192v1, brainpoolP192r1, secp384r1)"
check "broken profile: nothing on stdout" out_empty
check "broken profile: no output folder" absent "$T/out-bad"
check "broken profile: no temporary folder" no_leftovers "$T/out-bad"

# several errors: one line each
cat >"$T/bad2.yaml" <<'YAML'
schema: rsp-pkigen/profile/1
curves: {nist: {curve: prime256v1}}
entities:
  - {id: a, role: root}
  - {id: b, variant: Z}
YAML
run "$CLI" build "$T/bad2.yaml" -o "$T/out-bad"
check "two broken entities: two located errors" eval 'rc_is 2 && [ "$(cat "$T/err")" = "rsp-pkigen: error: $T/bad2.yaml:4:19: unknown role '"'"'root'"'"' (expected ci, ci-subca, eum, eum-subca, euicc, dp-subca, ds-subca, dp-auth, dp-pb, dp-tls, ds-auth, ds-tls, eim-sign or eim-tls)
rsp-pkigen: error: $T/bad2.yaml:5:22: unknown variant '"'"'Z'"'"' (expected O, Ov3, A, B or C)" ]'

# ---- key files: --key-dir, and a missing one located in the profile ----
mkdir "$T/keys"
cat >"$T/k.yaml" <<'YAML'
schema: rsp-pkigen/profile/1
curves: {nist: {curve: prime256v1, suffix: NIST}}
defaults: {curves: [nist], validity_days: 30}
entities:
  - id: ci
    role: ci
    variant: O
    issuer: self
    subject: [{CN: Test CI}]
    serial: "01"
    key: {file: "SK_${CURVE}.pem"}
    output: {cert: CERT_CI.der, key: SK_CI.pem}
    extensions:
      - subject_key_identifier: {}
      - basic_constraints: {critical: true, ca: true}
      - certificate_policies: {critical: true, policies: [2.23.146.1.2.1.0]}
      - key_usage: {critical: true, usage: [keyCertSign, cRLSign]}
YAML
run "$CLI" build "$T/k.yaml" -o "$T/out-k" --key-dir "$T/keys"
check "missing key file: exit 2" rc_is 2
check "missing key file: the reason, then where the profile asks for it" err_is "rsp-pkigen: error: $T/keys/SK_NIST.pem: cannot read the key file: No such file or directory
rsp-pkigen: note: $T/k.yaml:11:10: the key of entity 'ci' is read from '$T/keys/SK_NIST.pem'"
check "missing key file: no output folder" absent "$T/out-k"
openssl ecparam -name prime256v1 -genkey -noout -out "$T/keys/SK_NIST.pem" 2>/dev/null
run "$CLI" build "$T/k.yaml" -o "$T/out-k" --key-dir "$T/keys" -q
check "--key-dir: the key is taken from there" eval 'rc_is 0 && [ "$(openssl pkey -in "$T/keys/SK_NIST.pem" -pubout)" = "$(openssl x509 -inform DER -in "$T/out-k/CERT_CI.der" -noout -pubkey)" ]'

# ---- an existing folder ----
mkdir "$T/existing"
echo keep >"$T/existing/mine.txt"
before=$(tree_sums "$T/existing")
run "$CLI" build "$P" -o "$T/existing" "${FIXED[@]}" --only o-ci --curve nist
check "existing folder without --force: exit 2" rc_is 2
check "existing folder without --force: says why" err_is "rsp-pkigen: error: $T/existing: already exists (use --force to replace it)"
check "existing folder without --force: left untouched" eval '[ "$(tree_sums "$T/existing")" = "$before" ]'
check "existing folder without --force: no temporary folder" no_leftovers "$T/existing"
run "$CLI" build "$P" -o "$T/existing" "${FIXED[@]}" --only o-ci --curve nist --force
check "foreign folder with --force: exit 2" rc_is 2
check "foreign folder with --force: says why" err_is "rsp-pkigen: error: $T/existing: not a previous rsp-pkigen output (it has no manifest.json); --force replaces only those, --force-any replaces any folder"
check "foreign folder with --force: left untouched" eval '[ "$(tree_sums "$T/existing")" = "$before" ] && no_leftovers "$T/existing" && absent "$T/existing.lock"'
run "$CLI" build "$P" -o "$T/existing" "${FIXED[@]}" --only o-ci --curve nist --force-any -q
check "existing folder with --force-any: exit 0, quiet" eval 'rc_is 0 && out_empty && err_empty'
check "existing folder with --force-any: replaced" eval 'absent "$T/existing/mine.txt" && [ -f "$T/existing/manifest.json" ]'
check "existing folder with --force-any: nothing left aside, no lock" eval 'no_leftovers "$T/existing" && absent "$T/existing.lock"'
run "$CLI" build "$P" -o "$T/existing" "${FIXED[@]}" --only o-ci --curve brp --force -q
check "previous output with --force: replaced" eval 'rc_is 0 && [ -n "$(find "$T/existing" -name "*BRP*")" ] && [ -z "$(find "$T/existing" -name "*NIST*")" ]'
mkdir "$T/empty"
run "$CLI" build "$P" -o "$T/empty" "${FIXED[@]}" --only o-ci --curve nist --force -q
check "empty folder with --force: replaced" eval 'rc_is 0 && [ -f "$T/empty/manifest.json" ]'
echo '{"schema": "other/1"}' >"$T/empty/manifest.json"
run "$CLI" build "$P" -o "$T/empty" "${FIXED[@]}" --only o-ci --curve nist --force
check "foreign manifest with --force: refused" eval 'rc_is 2 && err_has "the schema of its manifest.json is not rsp-pkigen/manifest/1"' 

# ---- a full build, then verify ----
run "$CLI" build "$P" -o "$T/a" "${FIXED[@]}"
check "build sgp26: exit 0, nothing on stderr" eval 'rc_is 0 && err_empty'
check "build sgp26: one summary line" eval 'grep -Eq "^rsp-pkigen: wrote [0-9]+ files \([0-9]+ certificates\) and manifest.json to $T/a in [0-9]+ ms$" "$T/out" && [ "$(wc -l <"$T/out")" -eq 1 ]'
nfiles=$(find "$T/a" -type f ! -name manifest.json | wc -l)
check "build sgp26: the summary counts the files ($nfiles)" out_has "wrote $nfiles files"
check "build sgp26: the GSMA layout" eval '[ -f "$T/a/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der" ] && [ -f "$T/a/Valid Test Cases/Variants A_B_C/Variant B/EUM/CERT_EUM_VARB_SIG_BRP.der" ]'
run "$CLI" verify "$T/a"
check "verify: exit 0" eval 'rc_is 0 && err_empty'
check "verify: the summary agrees" eval 'grep -Eq "^rsp-pkigen: verified ([0-9]+) certificates and CRLs in $T/a: ([0-9]+) as the manifest expects, 0 not$" "$T/out"'
# the valid Variant O set, smaller, for the other verify checks
VALID_O=o-ci,o-eum,o-euicc,o-dp-auth,o-dp-pb,o-dp-tls,o-ds-auth,o-ds-tls,o-eim-sign,o-eim-tls
run "$CLI" build "$P" -o "$T/o" "${FIXED[@]}" -q --only "$VALID_O"
check "build the valid Variant O set: exit 0" rc_is 0
run "$CLI" verify -q "$T/o"
check "verify -q: silent" eval 'rc_is 0 && out_empty && err_empty'
run "$CLI" verify --json "$T/o"
check "verify --json: JSON with 0 disagreed" eval 'rc_is 0 && out_has "\"disagreed\": 0" && err_empty'

# ---- file modes ----
nsk=$(find "$T/a" -type f -name 'SK_*' | wc -l)
check "private keys written ($nsk SK_* files)" test "$nsk" -gt 50
check "every SK_* file is 0600" eval '[ -z "$(find "$T/a" -type f -name "SK_*" ! -perm 600 -print -quit)" ]'
check "every other file is 0644 (umask 022)" eval '[ -z "$(cd "$T" && umask 022 && find "$T/a" -type f ! -name "SK_*" ! -perm 644 -print -quit)" ]'
mkdir "$T/umask"
(umask 077 && "$CLI" build "$P" -o "$T/umask/u" "${FIXED[@]}" -q --only o-ci --curve nist)
check "with umask 077 keys are 0600 too" eval '[ "$(stat -c %a "$T/umask/u/Valid Test Cases/Variant O/CI/SK_CI_SIG_NIST.pem")" = 600 ]'
(umask 000 && "$CLI" build "$P" -o "$T/umask/z" "${FIXED[@]}" -q --only o-ci --curve nist)
check "with umask 000 keys stay 0600" eval '[ "$(stat -c %a "$T/umask/z/Valid Test Cases/Variant O/CI/SK_CI_SIG_NIST.pem")" = 600 ]'

# ---- SOURCE_DATE_EPOCH ----
SOURCE_DATE_EPOCH=1700000000 run "$CLI" build "$P" -o "$T/sde" -q --only o-ci --curve nist
check "SOURCE_DATE_EPOCH: exit 0" rc_is 0
check "SOURCE_DATE_EPOCH: the manifest's clock" eval 'grep -q "\"time\": \"2023-11-14T22:13:20Z\"" "$T/sde/manifest.json" && grep -q "\"source\": \"SOURCE_DATE_EPOCH\"" "$T/sde/manifest.json"'
check "SOURCE_DATE_EPOCH: notBefore" eval '[ "$(openssl x509 -inform DER -in "$T/sde/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der" -noout -startdate)" = "notBefore=Nov 14 22:13:20 2023 GMT" ]'
SOURCE_DATE_EPOCH=1700000000 run "$CLI" build "$P" -o "$T/sde2" -q --only o-ci --curve nist --clock 2025-01-01T00:00:00Z
check "--clock wins over SOURCE_DATE_EPOCH" eval '[ "$(openssl x509 -inform DER -in "$T/sde2/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der" -noout -startdate)" = "notBefore=Jan  1 00:00:00 2025 GMT" ]'
SOURCE_DATE_EPOCH=soon run "$CLI" build "$P" -o "$T/sde3" -q
check "a bad SOURCE_DATE_EPOCH: exit 2" eval 'rc_is 2 && err_is "rsp-pkigen: error: SOURCE_DATE_EPOCH '"'"'soon'"'"' is not a number of seconds since 1970" && absent "$T/sde3"'

# ---- reproducible builds ----
run "$CLI" build "$P" -o "$T/b" "${FIXED[@]}" -q
check "second seeded build: exit 0" rc_is 0
check "two builds with --seed and --clock are byte-identical" eval '[ "$(tree_sums "$T/a")" = "$(tree_sums "$T/b")" ]'
run "$CLI" build "$P" -o "$T/c" --seed 00112234 --clock 2025-01-01T00:00:00Z -q --only "$VALID_O"
same_keys() {
    (cd "$T/c" && find . -type f \( -name "SK_*" -o -name "PK_*" \) -print0 |
        while IFS= read -r -d "" f; do cmp -s "$f" "$T/o/$f" && echo "$f"; done)
}
check "another seed: every key differs" eval '[ -z "$(same_keys)" ] && [ "$(find "$T/c" -name "SK_*" | wc -l)" -gt 10 ]'
check "another seed: the same files" eval '[ "$(cd "$T/o" && find . -type f | sort)" = "$(cd "$T/c" && find . -type f | sort)" ]'

# ---- filters ----
run "$CLI" build "$P" -o "$T/f" "${FIXED[@]}" -q --only dp-tls --curve nist --variant O
check "--only dp-tls --curve nist --variant O: exit 0" rc_is 0
check "filters: the DP TLS certificate and its CI only" eval '
    [ -f "$T/f/Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der" ] &&
    [ -f "$T/f/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der" ] &&
    [ -z "$(find "$T/f" -path "*BRP*" -print -quit)" ] &&
    [ -z "$(find "$T/f" -path "*/EUM/*" -print -quit)" ]'

# ---- verify finds damage ----
cp -r "$T/o" "$T/d"
f="$T/d/Valid Test Cases/Variant O/eUICC/CERT_EUICC_SIG_NIST.der"
size=$(stat -c %s "$f")
last=$(od -An -tu1 -j $((size - 1)) -N1 "$f" | tr -d ' ')
head -c $((size - 1)) "$f" >"$T/tmp.der"
printf "\\$(printf '%03o' $((last ^ 1)))" >>"$T/tmp.der"
mv "$T/tmp.der" "$f"
run "$CLI" verify "$T/d"
check "verify of a damaged certificate: exit 1" rc_is 1
check "verify of a damaged certificate: names it" err_has "rsp-pkigen: error: Valid Test Cases/Variant O/eUICC/CERT_EUICC_SIG_NIST.der: the manifest expects valid, but it is invalid ("
check "verify of a damaged certificate: one disagreement" eval 'grep -Eq ": [0-9]+ as the manifest expects, 1 not$" "$T/out"'

# ---- the rulebook's profile check: a bad EID is refused at its profile line, nothing written ----
run "$CLI" build "$P" --var eid=89049032123451234512345678901236 -o "$T/out-eid" "${FIXED[@]}"
check "bad EID: exit 2 (a bad profile)" rc_is 2
check "bad EID: nothing on stdout" out_empty
loc=$(grep -n '^      - serialNumber: ${eid}$' "$P" | head -1 | cut -d: -f1)
check "bad EID: the eUICC at its serialNumber line, the rule and the reason" err_has "rsp-pkigen: error: $P:$loc:23: entity 'o-euicc': EID 89049032123451234512345678901236 has wrong check digits (rule eid-check-digits, SGP.29 §10 / SGP.22 §4.5.2.1.0.2): the certificate would be rejected as euiccCertificateInvalid"
check "bad EID: one error per eUICC entity (5 variants)" eval '[ "$(grep -c "^rsp-pkigen: error: " "$T/err")" = 5 ]'
check "bad EID: no output folder" absent "$T/out-eid"
check "bad EID: no temporary folder" no_leftovers "$T/out-eid"

# ---- the build checks itself: what only the verifier sees (an O outside the EUM's constraint) ----
run "$CLI" build "$P" --set 'o-euicc.subject.O=Another EUM' -o "$T/out-o" "${FIXED[@]}"
check "foreign O: exit 1" rc_is 1
loc=$(grep -n '^  - id: o-euicc$' "$P" | cut -d: -f1)
check "foreign O: the eUICC at its profile line, the verdict's rule and reason" eval 'err_has "rsp-pkigen: error: $P:$loc:5: entity '"'"'o-euicc'"'"' (Valid Test Cases/Variant O/eUICC/CERT_EUICC_SIG_NIST.der): manifest says valid, the verifier says invalid: euiccCertificateInvalid (name-constraints: "'
check "foreign O: one error per eUICC certificate (5 variant sets x 2 curves)" eval '[ "$(grep -c "^rsp-pkigen: error: " "$T/err")" = 10 ]'
check "foreign O: no output folder, no temporary folder" eval 'absent "$T/out-o" && no_leftovers "$T/out-o"'
# an existing folder replaced with --force stays as it was when the build is refused
mkdir "$T/out-eid" && echo old >"$T/out-eid/old.txt"
run "$CLI" build "$P" --only o-euicc --curve nist --set 'o-euicc.subject.O=Another EUM' -o "$T/out-eid" --force-any "${FIXED[@]}"
check "refused with --force-any: exit 1, the old folder untouched" eval 'rc_is 1 && [ "$(ls "$T/out-eid")" = old.txt ] && no_leftovers "$T/out-eid"'
# a good EID builds (the check passes) and --help says what the check does and the exit codes
run "$CLI" build "$P" --only o-euicc --curve nist --var eid=89049032123451234512345678901235 -o "$T/out-eid2" -q "${FIXED[@]}"
check "good EID: exit 0, quiet" eval 'rc_is 0 && out_empty && err_empty && [ -f "$T/out-eid2/manifest.json" ]'
run "$CLI" build --help
check "build --help: the self-check and every exit code" eval 'out_has "verifies what it made" && out_has "  1  failed" && out_has "  2  bad usage or a bad profile" && out_has "  3  verify --expiring-within" && out_has "  4  an input file is not"'
run "$CLI" --help
check "rsp-pkigen --help: the exit codes" out_has "  4  an input file is not a certificate, key, CRL or card certificate"
run "$CLI" build "$T/no-such.yaml" -o "$T/out-none"
check "missing profile: exit 2" eval 'rc_is 2 && err_has "cannot open the profile" && absent "$T/out-none"'

finish
