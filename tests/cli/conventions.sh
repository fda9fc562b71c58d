# tests/cli/conventions.sh: the CLI conventions of issue 17 (item 5) as a user meets them:
# '-' for standard input where one file goes in (show -, lint -, verify -, eid -, build -)
# and a clear refusal where it cannot work (build -o -); -q, -v and --json on every
# subcommand; filter and enum errors that name the bad value, list the valid ones and
# suggest the closest; the documented exit codes (2 for a missing or bad profile, 2 and
# "folder" for a missing folder, 3 for the expiry watch, 1 winning over 3); a profile
# found by name from another folder; verify DIR --expiring-within in text and JSON.
# Run by ctest as: bash conventions.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

P="$SRC/profiles/private-root.yaml"
FIX=(--seed 17 --clock 2026-01-01T00:00:00Z)
O="Valid Test Cases/Variant O"
"$CLI" build "$P" -o "$T/lab" "${FIX[@]}" -q || exit 1
CI="$T/lab/$O/CI/CERT_CI_SIG_NIST.der"
DPTLS="$T/lab/$O/SM-DP+/SM_DPtls/CERT_S_SM_DP_TLS_NIST.der"
[ -f "$DPTLS" ] || DPTLS=$(find "$T/lab/$O" -name '*TLS*NIST.der' | head -1)

# ---- '-' for standard input ----
"$CLI" show - <"$CI" >"$T/out" 2>"$T/err"; rc=$?
check "show - reads standard input" eval 'rc_is 0 && out_has "<stdin>" && out_has "role:"'
"$CLI" lint -v - <"$CI" >"$T/out" 2>"$T/err"; rc=$?
check "lint - reads standard input" eval 'rc_is 0 && out_has "<stdin>: linted as ci"'
"$CLI" verify - --ci "$CI" --at 2026-06-01T00:00:00Z <"$DPTLS" >"$T/out" 2>"$T/err"; rc=$?
check "verify - (CERT from standard input)" eval 'rc_is 0 && out_has "<stdin>: valid"'
echo 890490321234512345123456789012 | "$CLI" eid complete - >"$T/out" 2>"$T/err"; rc=$?
check "eid complete - reads standard input" eval 'rc_is 0 && out_is 89049032123451234512345678901235'
"$CLI" build - -o "$T/stdin" "${FIX[@]}" -q <"$P" >"$T/out" 2>"$T/err"; rc=$?
check "build - reads the profile from standard input: the same output as from the file" eval \
    'rc_is 0 && cmp -s "$T/stdin/$O/CI/CERT_CI_SIG_NIST.der" "$CI"'
printf 'schema: rsp-pkigen/profile/1\nname: x\nentities: [\n' | "$CLI" build - -o "$T/x" >"$T/out" 2>"$T/err"; rc=$?
check "build -: a bad profile is located at <stdin>, exit 2" eval 'rc_is 2 && err_has "<stdin>" && absent "$T/x"'
(cd "$T" && "$CLI" build "$P" -o - >"$T/out" 2>"$T/err"); rc=$?
check "build -o - is refused (a folder cannot go to stdout), exit 2, no folder '-'" eval \
    'rc_is 2 && err_has "-o -" && absent "$T/-"'

# ---- -q, -v, --json on every subcommand ----
run "$CLI" build "$P" -o "$T/q" "${FIX[@]}" -q
check "build -q: silent" eval 'rc_is 0 && out_empty && err_empty'
run "$CLI" build "$P" -o "$T/v" "${FIX[@]}" -v --only o-ci
check "build -v: lists every file" eval 'rc_is 0 && out_has "CERT_CI_SIG_NIST.der (certificate, der)"'
run "$CLI" build "$P" -o "$T/j" "${FIX[@]}" --json --only o-ci
check "build --json: the manifest's summary" eval \
    'rc_is 0 && python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j[\"certificates\"] >= 2 and all(\"path\" in w for w in j[\"written\"])" "$T/out"'
run "$CLI" verify "$T/lab" -q
check "verify -q: silent" eval 'rc_is 0 && out_empty'
run "$CLI" verify "$T/lab" -v
check "verify -v: a line per file" eval 'rc_is 0 && [ "$(grep -c "as the manifest expects)" "$T/out")" -ge 90 ]'
run "$CLI" show -q "$CI"
check "show -q: silent, exit 0" eval 'rc_is 0 && out_empty'
run "$CLI" show -v "$CI"
check "show -v: the fingerprint" eval "rc_is 0 && out_has \"sha256 fingerprint: $(openssl dgst -sha256 -r "$CI" | cut -c1-64)\""
run "$CLI" lint -q "$CI"
check "lint -q: silent on a clean certificate" eval 'rc_is 0 && out_empty'
run "$CLI" eid check -q --json 89049032123451234512345678901235
check "eid takes -q and --json" eval 'rc_is 0 && out_has "\"valid\":true"'
EID=89049032123451234512345678901235
run "$CLI" mint euicc --issuer o-eum --curve nist --first-eid $EID --count 2 -o "$T/m.jsonl" --json "${FIX[@]}"
check "mint --json: the summary on stdout" eval \
    'rc_is 0 && python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j[\"minted\"] == 2 and j[\"clock\"][\"source\"] == \"option\"" "$T/out"'
run "$CLI" mint euicc --issuer o-eum --curve nist --first-eid $EID --count 2 -o "$T/m2.jsonl" -v "${FIX[@]}"
check "mint -v: the profile and clock" eval 'rc_is 0 && err_has "clock 2026-01-01T00:00:00Z (option)"'
for cmd in build verify show lint eid mint; do
    run "$CLI" $cmd --help
    check "$cmd --help documents -q, -v and --json" eval 'rc_is 0 && out_has "-q, --quiet" && out_has "-v, --verbose" && out_has "--json"'
done

# ---- filter and enum errors: the bad value, the valid ones, did you mean ----
run "$CLI" build "$P" -o "$T/x" --variant D
check "--variant D names D and lists the variants, exit 2" eval \
    'rc_is 2 && err_has "'"'"'D'"'"'" && err_has "expected O or A" && absent "$T/x"'
run "$CLI" build "$P" -o "$T/x" --curve P-256
check "--curve P-256: did you mean prime256v1" eval 'rc_is 2 && err_has "did you mean prime256v1?"'
run "$CLI" build "$P" -o "$T/x" --only dp-tsl
check "--only dp-tsl: did you mean dp-tls" eval 'rc_is 2 && err_has "did you mean dp-tls?"'
run "$CLI" lint --role eucc "$CI"
check "lint --role eucc: did you mean euicc" eval 'rc_is 2 && err_has "did you mean euicc?"'
run "$CLI" verify "$CI" --ci "$CI" --role dp-tsl
check "verify --role dp-tsl: did you mean dp-tls" eval 'rc_is 2 && err_has "did you mean dp-tls?"'
run "$CLI" lint --variant ov3 "$CI"
check "lint --variant ov3: did you mean Ov3" eval 'rc_is 2 && err_has "did you mean Ov3?"'
run "$CLI" eid chek 1
check "eid chek: did you mean check" eval 'rc_is 2 && err_has "did you mean check?"'
run "$CLI" build "$P" -o "$T/x" --signatures rfc6797
check "--signatures rfc6797: did you mean rfc6979" eval 'rc_is 2 && err_has "did you mean rfc6979?"'

# ---- exit codes as documented ----
run "$CLI" build "$T/no-such-profile.yaml" -o "$T/x"
check "a missing profile: exit 2" eval 'rc_is 2 && err_has "no-such-profile.yaml" && absent "$T/x"'
printf 'schema: rsp-pkigen/profile/1\nname: bad\nentities:\n  - {id: a, role: nope}\n' >"$T/bad.yaml"
run "$CLI" build "$T/bad.yaml" -o "$T/x"
check "a bad profile: exit 2" rc_is 2
run "$CLI" verify "$T/no/such/dir"
check "verify of a missing folder says folder, not --ci; exit 2" eval \
    'rc_is 2 && err_has "cannot read the folder" && ! err_has "--ci"'
run "$CLI" verify "$T/no-such.der" --ci "$CI"
check "verify of a missing certificate names it; exit 2" eval 'rc_is 2 && err_has "no-such.der: cannot read the certificate"'

# ---- a profile by name, from another folder ----
mkdir -p "$T/elsewhere"
(cd "$T/elsewhere" && "$CLI" build private-root -o out "${FIX[@]}" -q >"$T/out" 2>"$T/err"); rc=$?
check "build private-root (by name) from another folder" eval \
    'rc_is 0 && cmp -s "$T/elsewhere/out/$O/CI/CERT_CI_SIG_NIST.der" "$CI"'
(cd "$T/elsewhere" && "$CLI" build no-such-name -o out2 >"$T/out" 2>"$T/err"); rc=$?
check "an unknown profile name: where it was looked for, exit 2" eval \
    'rc_is 2 && err_has "no profile '"'"'no-such-name'"'"' (no such file here)" && err_has "profiles/no-such-name.yaml"'

# ---- verify DIR --expiring-within ----
run "$CLI" verify "$T/lab" --expiring-within 30d --at 2026-01-02T00:00:00Z
check "expiring within 30d (the CRLs' nextUpdate): listed, exit 3" eval \
    'rc_is 3 && out_has "CRL.crl: expires 2026-01-31T00:00:00Z" && out_has "files expire within 30d"'
run "$CLI" verify "$T/lab" --expiring-within 12h --at 2026-01-02T00:00:00Z
check "nothing within 12h: exit 0" eval 'rc_is 0 && out_has "0 files expire within 12h"'
run "$CLI" verify "$T/lab" --expiring-within 1w --at 2026-01-28T00:00:00Z --json
check "--json lists the expiring files, exit 3" eval \
    'rc_is 3 && python3 -c "import json,sys; j=json.load(open(sys.argv[1])); e=j[\"expiring\"]; assert e and all(x[\"kind\"]==\"crl\" and not x[\"expired\"] for x in e), e" "$T/out"'
"$CLI" build "$P" -o "$T/old" --seed 17 --clock 2020-01-01T00:00:00Z -q
run "$CLI" verify "$T/old" --expiring-within 2w --json
check "verified at the build's clock, watched from now: expired CRLs count (expired: true)" eval \
    'rc_is 3 && python3 -c "import json,sys; assert any(x[\"expired\"] for x in json.load(open(sys.argv[1]))[\"expiring\"])" "$T/out"'
run "$CLI" verify "$T/lab" --expiring-within 30
check "a window without a unit is refused, exit 2" eval 'rc_is 2 && err_has "12h, 30d or 2w"'
run "$CLI" verify "$CI" --ci "$CI" --expiring-within 30d
check "--expiring-within applies to a folder" eval 'rc_is 2 && err_has "folder"'
cp -r "$T/lab" "$T/lab2"
python3 - "$T/lab2/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for a in m["artifacts"]:
    if a["kind"] == "certificate" and a.get("expect") == "valid":
        a["expect"] = "invalid"
        break
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
run "$CLI" verify "$T/lab2" --expiring-within 30d --at 2026-01-02T00:00:00Z
check "a failure wins over the expiry watch: exit 1" rc_is 1

finish
