# tests/cli/renew.sh: `rsp-pkigen renew` end to end (issue 17 item 2). A private root is
# built; its TLS certificates are renewed with --days 90: every other file stays
# byte-identical (cmp), the renewed certificates keep their keys, subject and extensions and
# get a fresh serial and the new validity, the folder verifies and they lint clean, the
# manifest's digests and dates follow. docs/renewal.md section 2 as written (with --clock):
# the TLS certificates renewed 80 days after the build, when every CRL (crl_days: 30) is
# stale: the CRLs are signed again (thisUpdate the renewal's time, nextUpdate 30 days later,
# cRLNumber + 1, under the unchanged CAs) and `verify lab/` exits 0; `--only crl` renews the
# CRLs alone. Refusals (exit 2, nothing changed): a CA, an --only that names nothing, a
# profile changed since the build, a folder without a build record.
# The renewal of a build under GSMA's published test CI key (sgp26-renew-tls.yaml) runs when
# ../shared holds the key.
# Run by ctest as: bash renew.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

if ! command -v openssl >/dev/null; then
    skip "openssl is not installed"
    finish
fi

cp "$SRC/profiles/private-root.yaml" "$T/private-root.yaml"
P=$T/private-root.yaml
D=$T/lab
run "$CLI" build "$P" -o "$D" --seed 5eed --clock 2026-01-01T00:00:00Z --var org="Renew Lab" -q
check "private root built" rc_is 0
cp -a "$D" "$T/before"
check "manifest records the build (profile, sha256, vars, seed)" eval \
    'grep -q "\"profile\": \"$P\"" "$D/manifest.json" && grep -q "\"seed\": \"5EED\"" "$D/manifest.json" && grep -q "org=Renew Lab" "$D/manifest.json"'

# ---- renew the TLS certificates ----
run "$CLI" renew "$D" --only dp-tls,ds-tls --days 90 --clock 2026-01-15T00:00:00Z
check "renew --only dp-tls,ds-tls --days 90: exit 0" rc_is 0
check "renew: one summary line (8 certificates, their 8 full chains)" out_has "rsp-pkigen: renewed 8 certificates (16 files) in $D"
tree_sums "$T/before" | grep -v -e '_TLS_' -e 'manifest.json' >"$T/sums-before"
tree_sums "$D" | grep -v -e '_TLS_' -e 'manifest.json' >"$T/sums-after"
check "every file but the TLS certificates and the manifest is byte-identical" cmp -s "$T/sums-before" "$T/sums-after"
changed=0
same=0
while IFS= read -r -d '' f; do
    rel=${f#"$D"/}
    if cmp -s "$f" "$T/before/$rel"; then same=$((same + 1)); else changed=$((changed + 1)); fi
done < <(find "$D" -type f ! -name manifest.json -print0)
check "exactly the 8 TLS certificates and their 8 full chains changed (cmp of every file)" [ "$changed" -eq 16 ]
check "every TLS private key is byte-identical" eval '[ -z "$(cd "$D" && find . -name "SK_*TLS*" -exec cmp -s {} "$T/before/{}" \; -o -name "SK_*TLS*" -print)" ]'

TLS="Valid Test Cases/Variant O/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der"
show() { openssl x509 -inform DER -in "$1" -noout "${@:2}" -nameopt compat; }
check "same subject" [ "$(show "$D/$TLS" -subject)" = "$(show "$T/before/$TLS" -subject)" ]
check "same public key" [ "$(show "$D/$TLS" -pubkey)" = "$(show "$T/before/$TLS" -pubkey)" ]
exts() { openssl x509 -inform DER -in "$1" -noout -text | sed -n '/X509v3 extensions/,/Signature Algorithm/p'; }
check "same extensions (AKI included)" [ "$(exts "$D/$TLS")" = "$(exts "$T/before/$TLS")" ]
check "fresh serial" [ "$(show "$D/$TLS" -serial)" != "$(show "$T/before/$TLS" -serial)" ]
run show "$D/$TLS" -dates
check "new validity: 2026-01-15 + 90 days" eval 'out_has "notBefore=Jan 15 00:00:00 2026 GMT" && out_has "notAfter=Apr 15 00:00:00 2026 GMT"'
sha=$(sha256sum "$D/$TLS" | cut -d' ' -f1)
check "manifest: the renewed file's sha256" grep -q "$sha" "$D/manifest.json"
check "manifest: renewal recorded, clock moved" eval 'grep -q "\"renewals\"" "$D/manifest.json" && grep -q "\"source\": \"renew\"" "$D/manifest.json"'
FC="${TLS%.der}.fullchain.pem"
check "the full chain starts with the renewed certificate" eval \
    '[ "$(openssl x509 -in "$D/$FC" -outform DER | sha256sum)" = "$(sha256sum <"$D/$TLS")" ]'
fcsha=$(sha256sum "$D/$FC" | cut -d' ' -f1)
check "manifest: the full chain's new sha256" grep -q "$fcsha" "$D/manifest.json"
run "$CLI" verify "$D"
check "verify DIR after renew" rc_is 0
lint_ok=1
while IFS= read -r -d '' f; do
    "$CLI" lint "$f" >/dev/null 2>&1 || lint_ok=0
done < <(find "$D" -name 'CERT_*_TLS_*.der' -print0)
check "every renewed certificate lints clean" [ "$lint_ok" -eq 1 ]
run openssl verify -attime 1768900000 -CAfile "$D/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.pem" <(openssl x509 -inform DER -in "$D/$TLS")
check "openssl verifies the renewed certificate under the unchanged CI" rc_is 0
check "no temporary folder left" no_leftovers "$D"

# ---- default: every valid end entity, each keeping its length ----
cp -a "$D" "$T/before2"
run "$CLI" renew "$D" --clock 2026-01-20T00:00:00Z -q
check "renew (all end entities), quiet: exit 0, no output" eval 'rc_is 0 && out_empty'
check "the CI is left as it was" cmp -s "$D/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der" "$T/before2/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der"
run show "$D/$TLS" -dates
check "a renewal keeps the present length (90 days)" out_has "notAfter=Apr 20 00:00:00 2026 GMT"
run "$CLI" verify "$D"
check "verify DIR after a second renew" rc_is 0
run "$CLI" renew "$D" --only o-eim-tls --clock 2026-01-21T00:00:00Z --json
check "renew --json: the counts as one object" out_is "{\"folder\": \"$D\", \"certificates\": 2, \"crls\": 0, \"files\": 4, \"kept\": 186}"

# ---- docs/renewal.md section 2, as written (plus --clock): TLS renewed after 80 days ----
mkdir -p "$T/sec2/profiles" && cp "$SRC/profiles/private-root.yaml" "$T/sec2/profiles/" && cd "$T/sec2" || exit 2
run "$CLI" build profiles/private-root.yaml -o lab/ --var org="ACME Lab" \
    --var dp_host=smdp.acme.test --var tls_days=90 --clock 2026-01-01T00:00:00Z
check "section 2: build" rc_is 0
cp -a lab lab-before
CRL="CRLs/Variant O/CI/NIST/CRL-1.crl"
CI="Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.pem"
crl() { openssl crl -inform DER -in "$1" -noout "${@:2}"; }
run crl "lab/$CRL" -nextupdate
check "section 2: the build's CRLs are stale 80 days later (nextUpdate Jan 31)" out_has "nextUpdate=Jan 31 00:00:00 2026 GMT"
run "$CLI" renew lab/ --only dp-tls,ds-tls,eim-tls --days 90 --clock 2026-03-22T00:00:00Z
check "section 2: renew exit 0, the TLS certificates and every CRL" eval \
    'rc_is 0 && out_has "renewed 10 certificates and 18 CRLs (56 files) in lab/"'
check "section 2: no warning (nothing left stale)" err_empty
run "$CLI" verify lab/
check "section 2: verify lab/ exits 0 after the renewal" rc_is 0
run crl "lab/$CRL" -lastupdate -nextupdate
check "renewed CRL: thisUpdate the renewal's time, nextUpdate 30 days later" eval \
    'out_has "lastUpdate=Mar 22 00:00:00 2026 GMT" && out_has "nextUpdate=Apr 21 00:00:00 2026 GMT"'
run crl "lab/$CRL" -crlnumber
check "renewed CRL: cRLNumber 1 + 1" out_has "crlNumber=0x02"
run crl "lab/$CRL" -CAfile "lab/$CI"
check "renewed CRL: its signature verifies under the unchanged CI (openssl)" err_has "verify OK"
crlbody() { openssl crl -inform DER -in "$1" -noout -text | grep -v -e 'Update:' -e '^ *[0-9a-f:]*$' -e 'CRL Number' -e 'Signature Value'; }
check "renewed CRL: same issuer, AKI and (no) entries" [ "$(crlbody "lab/$CRL")" = "$(crlbody "lab-before/$CRL")" ]
check "renewed CRL: its PEM twin holds the same CRL" eval \
    '[ "$(openssl crl -in "lab/${CRL%.crl}.pem" -outform DER | sha256sum)" = "$(sha256sum <"lab/$CRL")" ]'
check "manifest: the CRL's number, dates and sha256" eval \
    'grep -A12 "\"path\": \"$CRL\"" lab/manifest.json | grep -q "\"number\": 2" && grep -q "$(sha256sum "lab/$CRL" | cut -d" " -f1)" lab/manifest.json'
check "manifest: the renewal lists the CRLs" grep -q '"crls": \[' lab/manifest.json
tree_sums lab-before | grep -v -e '_TLS_' -e 'manifest.json' -e '  \./CRLs/' >"$T/s2-before"
tree_sums lab | grep -v -e '_TLS_' -e 'manifest.json' -e '  \./CRLs/' >"$T/s2-after"
check "section 2: every file but TLS certificates, CRLs and the manifest is byte-identical" cmp -s "$T/s2-before" "$T/s2-after"

# ---- --only crl: the CRLs alone ----
cp -a lab lab-mid
run "$CLI" renew lab/ --only crl --clock 2026-03-23T00:00:00Z --json
check "renew --only crl: 18 CRLs, no certificate" out_is "{\"folder\": \"lab/\", \"certificates\": 0, \"crls\": 18, \"files\": 36, \"kept\": 154}"
tree_sums lab-mid | grep -v -e 'manifest.json' -e '  \./CRLs/' >"$T/s3-before"
tree_sums lab | grep -v -e 'manifest.json' -e '  \./CRLs/' >"$T/s3-after"
check "--only crl: every file but the CRLs and the manifest is byte-identical" cmp -s "$T/s3-before" "$T/s3-after"
run crl "lab/$CRL" -crlnumber
check "--only crl: cRLNumber 3 after a second renewal" out_has "crlNumber=0x03"
run "$CLI" verify lab/
check "verify lab/ after --only crl" rc_is 0
run "$CLI" renew lab/ --only o-ci-crl-1 --clock 2026-03-24T00:00:00Z
check "--only CRL-ID: that CRL alone (on both curves, both files each)" eval \
    'rc_is 0 && out_has "renewed 0 certificates and 2 CRLs (4 files) in lab/"'
cd "$T" || exit 2

# ---- refusals: exit 2, the folder unchanged ----
tree_sums "$D" >"$T/sums-now"
run "$CLI" renew "$D" --only ci
check "renew a CA: exit 2" rc_is 2
check "renew a CA: says why" err_has "renew refuses CA certificates"
run "$CLI" renew "$D" --only dp-tlz
check "--only naming nothing: exit 2, names it" eval 'rc_is 2 && err_has "--only '"'"'dp-tlz'"'"' names no role or entity"'
echo "# changed" >>"$P"
run "$CLI" renew "$D" --only dp-tls
check "a profile changed since the build: exit 2" eval 'rc_is 2 && err_has "changed since the build"'
check "refused renewals change nothing" eval 'tree_sums "$D" | cmp -s - "$T/sums-now"'
run "$CLI" renew "$T/nowhere"
check "not a build folder: exit 4" rc_is 4
mkdir "$T/old"
echo '{"schema": "rsp-pkigen/manifest/1", "artifacts": []}' >"$T/old/manifest.json"
run "$CLI" renew "$T/old"
check "a manifest without a build record: exit 4, says so" eval 'rc_is 4 && err_has "does not record its build"'

# ---- GSMA's test CI key (sgp26-renew-tls.yaml) ----
CI_KEYS=$SHARED/reference/sgp26/1oT-YggdraSIM/Valid\ Test\ Cases/Variant\ O/CI
if [ -f "$CI_KEYS/SK_CI_SIG_NIST.pem" ]; then
    run "$CLI" build "$SRC/profiles/sgp26-renew-tls.yaml" --key-dir "$CI_KEYS" --curve nist -o "$T/gsma" --clock 2026-01-01T00:00:00Z -q
    check "sgp26-renew-tls built under GSMA's CI key" rc_is 0
    cp -a "$T/gsma" "$T/gsma-before"
    run "$CLI" renew "$T/gsma" --only dp-tls --days 90 --clock 2026-01-10T00:00:00Z
    check "renew under GSMA's CI key (read again from --key-dir): exit 0" rc_is 0
    check "GSMA's CI certificate untouched" cmp -s "$T/gsma/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der" "$T/gsma-before/Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der"
    run "$CLI" verify "$T/gsma"
    check "verify the renewed GSMA-CI folder" rc_is 0
else
    skip "GSMA's SGP.26 CI key is not in $SHARED"
fi
finish
