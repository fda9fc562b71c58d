# tests/cli/compose.sh: profile composition and the lab profiles, end to end.
#
# - `extends:`: a profile that extends profiles/sgp26.yaml with two overrides (the SM-DP+
#   TLS host var dp1_host, and o-dp-tls's validity days), built with the same --seed and
#   --clock as sgp26.yaml itself: exactly those fields change (host name in subject and
#   subjectAltName, notAfter, and with them the signature) in exactly the certificates
#   that use them, and every other file is byte-identical.
# - `--set PATH=VALUE`: a known path changes that field (and nothing else); an unknown
#   path fails with exit 2 and a clear message; `--var` on an unknown variable fails.
# - profiles/private-root.yaml: builds, `verify` and `lint` agree, every certificate has
#   the certificate profile (role, policy, extension order and criticality, key usage,
#   basic constraints, SAN registeredID) of the sgp26.yaml certificate at the same path,
#   and a 10-line extending profile (docs/private-root-lab.md) changes the lab's names.
# - profiles/sgp26-renew-tls.yaml with GSMA's published SGP.26 CI keys (SHAREDDIR): the CI
#   certificates are GSMA's (TBS byte for byte), the renewed certificates verify under
#   GSMA's real CI certificates; skipped without ../shared.
# Run by ctest as: bash compose.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

SRC=$(cd "$SRC" && pwd)
[ -n "$SHARED" ] && [ -d "$SHARED" ] && SHARED=$(cd "$SHARED" && pwd)
P=$SRC/profiles/sgp26.yaml
FIXED=(--seed 00112233 --clock 2025-01-01T00:00:00Z)
VO="Valid Test Cases/Variant O"
VA="Valid Test Cases/Variants A_B_C"
OLD_HOST=testsmdpplus1.example.com
NEW_HOST=smdp.lab.example

# manifest_tsv FILE: one line per artifact: path, kind, entity, role, variant (tab-separated)
manifest_tsv() {
    awk '
        function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?$/, "", s); return s }
        /^    \{/ { p = k = e = r = v = ""; next }
        /^      "path": /    { p = val($0) }
        /^      "kind": /    { k = val($0) }
        /^      "entity": /  { e = val($0) }
        /^      "role": /    { r = val($0) }
        /^      "variant": / { v = val($0) }
        /^    \}/ { printf "%s\t%s\t%s\t%s\t%s\n", p, k, e, r, v }
    ' "$1"
}
form() { case $1 in *.pem) echo PEM ;; *) echo DER ;; esac; }
# cert_text FILE: the certificate as text, without the signature
cert_text() { openssl x509 -in "$1" -inform "$(form "$1")" -noout -text -certopt no_sigdump; }
# names_host FILE: does the certificate name $OLD_HOST (a DER file holds it as ASCII)
names_host() {
    case $1 in
    *.pem) cert_text "$1" | grep -qF "$OLD_HOST" ;;
    *) grep -qaF "$OLD_HOST" "$1" ;;
    esac
}
# days FILE: the validity length `rsp-pkigen show` reports
days() { "$CLI" show "$1" | sed -n 's/^  validity: .*(\([0-9]*\) days)$/\1/p'; }
# profile_of FILE: what makes a certificate's GSMA profile (show's role, policies, SAN
# registeredIDs, basicConstraints, keyUsage, extKeyUsage and extension order/criticality)
profile_of() {
    "$CLI" show "$1" | grep -E '^  (role|policies|basicConstraints|keyUsage|extKeyUsage|extensions):'
    "$CLI" show "$1" | grep -oE 'RID:[0-9.]+'
}

# =====================================================================================
# extends: sgp26.yaml with two overrides
# =====================================================================================
cat >"$T/lab.yaml" <<EOF
# sgp26.yaml with the lab's SM-DP+ TLS host name and a 90-day SM-DP+ TLS validity
extends: $P
vars:
  dp1_host: $NEW_HOST
entities:
  - id: o-dp-tls
    validity: {days: 90}
EOF
run "$CLI" build "$P" -o "$T/a" "${FIXED[@]}" -q
check "build sgp26.yaml (seed, clock): exit 0" eval 'rc_is 0 && err_empty'
run "$CLI" build "$T/lab.yaml" -o "$T/b" "${FIXED[@]}" -q
check "build the extending profile (seed, clock): exit 0" eval 'rc_is 0 && err_empty'
check "the extending profile writes the same files" \
    eval '[ "$(cd "$T/a" && find . -type f | sort)" = "$(cd "$T/b" && find . -type f | sort)" ]'
manifest_tsv "$T/a/manifest.json" >"$T/a.tsv"
check "sgp26.yaml has certificates, keys and CRLs to compare" eval '
    [ "$(grep -c $'"'"'\tcertificate\t'"'"' "$T/a.tsv")" -gt 200 ] && [ "$(grep -c $'"'"'\tcrl\t'"'"' "$T/a.tsv")" -gt 10 ] &&
    [ "$(grep -c $'"'"'\tprivate_key\t'"'"' "$T/a.tsv")" -gt 100 ]'

# every file that is not a certificate (keys, public keys, CRLs) is byte-identical
: >"$T/noncert.diff"
while IFS=$'\t' read -r path kind _; do
    case $kind in certificate | fullchain) continue ;; esac # a full chain holds certificates
    cmp -s "$T/a/$path" "$T/b/$path" || echo "$path" >>"$T/noncert.diff"
done <"$T/a.tsv"
check "every key, public key and CRL is byte-identical" test ! -s "$T/noncert.diff"

# certificates: a file differs iff it names the host or its validity changed, and then
# only in the host name, notAfter and the signature
: >"$T/host"
: >"$T/days"
: >"$T/unexplained"
: >"$T/other-fields"
: >"$T/same-but-host"
while IFS=$'\t' read -r path kind entity role variant; do
    [ "$kind" = certificate ] || continue
    a=$T/a/$path
    b=$T/b/$path
    if cmp -s "$a" "$b"; then
        names_host "$a" && echo "$path" >>"$T/same-but-host"
        continue
    fi
    ta=$(cert_text "$a")
    tb=$(cert_text "$b")
    explained=0
    if grep -qF "$OLD_HOST" <<<"$ta"; then
        echo "$path" >>"$T/host"
        explained=1
    fi
    da=$(days "$a")
    db=$(days "$b")
    if [ "$da" != "$db" ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$path" "$entity" "$role" "$variant" "$da" "$db" >>"$T/days"
        explained=1
    fi
    [ "$explained" -eq 1 ] || echo "$path" >>"$T/unexplained"
    [ "$(grep -v 'Not After' <<<"$ta")" = "$(grep -v 'Not After' <<<"${tb//$NEW_HOST/$OLD_HOST}")" ] ||
        echo "$path" >>"$T/other-fields"
done <"$T/a.tsv"
nhost=$(wc -l <"$T/host")
ndays=$(wc -l <"$T/days")
check "every certificate that differs names the host or has a new validity" test ! -s "$T/unexplained"
check "... and differs in nothing else (subject, SAN, notAfter; the rest of the TBS is equal)" test ! -s "$T/other-fields"
check "every certificate that names $OLD_HOST changed ($nhost)" eval 'test ! -s "$T/same-but-host" && test "$nhost" -gt 20'
check "the host changed in the Variant O, A, B and C SM-DP+ TLS certificates" eval '
    grep -qx "$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der" "$T/host" &&
    grep -qx "$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der" "$T/host" &&
    grep -qx "$VA/Variant A/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARA_TLS_NIST.der" "$T/host" &&
    grep -qx "$VA/Variant C/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARC_TLS_BRP.der" "$T/host"'
check "the new validity: every changed one is now 90 days ($ndays certificates)" \
    eval 'test "$ndays" -gt 0 && awk -F"\t" '"'"'$6 != 90 { bad = 1 } END { exit bad }'"'"' "$T/days"'
check "... on o-dp-tls and the Variant O TLS certificates derived from it (base:) only" eval '
    grep -q $'"'"'^'"$VO"'/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der\to-dp-tls\t'"'"' "$T/days" &&
    awk -F"\t" '"'"'($3 != "dp-tls" && $3 != "ds-tls") || $4 != "O" { bad = 1 } END { exit bad }'"'"' "$T/days"'
check "the Variant A SM-DP+ TLS keeps its 200 days (the override is on o-dp-tls)" \
    eval '[ "$(days "$T/b/$VA/Variant A/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARA_TLS_NIST.der")" = 200 ]'
"$CLI" show "$T/b/$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der" >"$T/show"
check "o-dp-tls: CN and SAN DNS are $NEW_HOST, 90 days from the clock" eval '
    grep -qx "  subject:           O=ACME, CN=$NEW_HOST" "$T/show" &&
    grep -qx "  subjectAltName:    DNS:$NEW_HOST, RID:2.999.10" "$T/show" &&
    grep -qx "  validity:          2025-01-01T00:00:00Z to 2025-04-01T00:00:00Z (90 days)" "$T/show"'
check "unchanged, e.g.: the CI, EUM, eUICC and SM-DP+ auth (Variant O), the Variant B CI SubCA" eval '
    cmp -s "$T/a/$VO/CI/CERT_CI_SIG_NIST.der" "$T/b/$VO/CI/CERT_CI_SIG_NIST.der" &&
    cmp -s "$T/a/$VO/EUM/CERT_EUM_SIG_BRP.pem" "$T/b/$VO/EUM/CERT_EUM_SIG_BRP.pem" &&
    cmp -s "$T/a/$VO/eUICC/CERT_EUICC_SIG_NIST.der" "$T/b/$VO/eUICC/CERT_EUICC_SIG_NIST.der" &&
    cmp -s "$T/a/$VO/SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_NIST.der" "$T/b/$VO/SM-DP+/SM_DPauth/CERT_S_SM_DPauth_VARO_SIG_NIST.der" &&
    cmp -s "$T/a/$VA/CI_subCA/CERT_CISubCA_SIG_BRP.der" "$T/b/$VA/CI_subCA/CERT_CISubCA_SIG_BRP.der"'
run "$CLI" verify "$T/b"
check "verify: the extending profile's build agrees with its manifest" eval 'rc_is 0 && out_has ", 0 not"'
run "$CLI" build "$T/lab.yaml" -o "$T/b2" "${FIXED[@]}" -q --var tls_days=100 --only o-dp-tls,a-dp-tls --curve nist
check "--var sets a variable of the base profile through the extending one" eval '
    rc_is 0 && [ "$(days "$T/b2/$VA/Variant A/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARA_TLS_NIST.der")" = 100 ] &&
    [ "$(days "$T/b2/$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der")" = 90 ]'
cat >"$T/nobase.yaml" <<'EOF'
extends: no-such-base.yaml
EOF
run "$CLI" build "$T/nobase.yaml" -o "$T/nb"
check "extends: a missing base profile: exit 2, located, no output" eval '
    rc_is 2 && err_is "rsp-pkigen: error: $T/nobase.yaml:1:10: cannot read the base profile '"'"'$T/no-such-base.yaml'"'"': No such file or directory" &&
    absent "$T/nb"'

# =====================================================================================
# --set and --var
# =====================================================================================
ONE=(--only o-dp-tls --curve nist)
TLS=$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der
run "$CLI" build "$P" -o "$T/s0" "${FIXED[@]}" -q "${ONE[@]}"
check "build o-dp-tls alone: exit 0" rc_is 0
run "$CLI" build "$P" -o "$T/s1" "${FIXED[@]}" -q "${ONE[@]}" --set o-dp-tls.subject.CN=set.lab.example
check "--set o-dp-tls.subject.CN=set.lab.example: exit 0" eval 'rc_is 0 && err_empty'
check "... the subject CN is set.lab.example" \
    eval '"$CLI" show "$T/s1/$TLS" | grep -qx "  subject:           O=ACME, CN=set.lab.example"'
check "... and nothing else changed (the SAN still names $OLD_HOST)" eval '
    [ "$(cert_text "$T/s0/$TLS" | sed "s/CN = $OLD_HOST/CN = set.lab.example/")" = "$(cert_text "$T/s1/$TLS")" ]'
check "... the issuer (the CI) is byte-identical" cmp -s "$T/s0/$VO/CI/CERT_CI_SIG_NIST.der" "$T/s1/$VO/CI/CERT_CI_SIG_NIST.der"
run "$CLI" build "$P" -o "$T/s2" "${FIXED[@]}" -q "${ONE[@]}" --set o-dp-tls.validity.days=90 \
    --set o-dp-tls.extensions.subject_alt_name.names.0.dns=alt.lab.example --set dp1_host=var.lab.example
check "--set on a validity, a list item by index, and a bare variable name: exit 0" eval 'rc_is 0 && err_empty'
"$CLI" show "$T/s2/$TLS" >"$T/show"
check "... 90 days, SAN DNS alt.lab.example, subject CN var.lab.example" eval '
    grep -q "(90 days)$" "$T/show" && grep -qx "  subjectAltName:    DNS:alt.lab.example, RID:2.999.10" "$T/show" &&
    grep -qx "  subject:           O=ACME, CN=var.lab.example" "$T/show"'

run "$CLI" build "$P" -o "$T/u1" --set o-dp-tls.subjekt.CN=x
check "--set on an unknown key inside an entity: exit 2, one clear line, no output" eval '
    rc_is 2 && out_empty && [ "$(wc -l <"$T/err")" -eq 1 ] &&
    err_has "rsp-pkigen: error: --set o-dp-tls.subjekt.CN:1:1: unknown key '"'"'subjekt'"'"' in entity" &&
    absent "$T/u1" && no_leftovers "$T/u1"'
run "$CLI" build "$P" -o "$T/u2" --set no-such-entity.serial=01
check "--set on an unknown entity: exit 2, says what it expected" eval '
    rc_is 2 && err_is "rsp-pkigen: error: --set: unknown path '"'"'no-such-entity.serial'"'"': nothing named '"'"'no-such-entity'"'"' there (expected a top-level key, an entity or CRL id, or a variable)" &&
    absent "$T/u2"'
run "$CLI" build "$P" -o "$T/u3" --set o-dp-tls.validity.dayz=90
check "--set adding an unknown last key: exit 2, checked against the schema" eval '
    rc_is 2 && err_is "rsp-pkigen: error: --set o-dp-tls.validity.dayz:1:1: unknown key '"'"'dayz'"'"' in validity (expected one of: not_before, offset_days, days, not_after)" &&
    absent "$T/u3"'
run "$CLI" build "$P" -o "$T/u4" --set o-dp-tls.validity.days=soon
check "--set with a value of the wrong type: exit 2, located at the --set" eval '
    rc_is 2 && grep -q "^rsp-pkigen: error: --set o-dp-tls.validity.days:1:1: " "$T/err" && absent "$T/u4"'
run "$CLI" build "$P" -o "$T/u5" --var no_such_var=1
check "--var on an unknown variable: exit 2, names it, no output" eval '
    rc_is 2 && err_is "rsp-pkigen: error: --var: the profile $P defines no variable '"'"'no_such_var'"'"'" && absent "$T/u5"'
run "$CLI" build "$T/lab.yaml" -o "$T/u6" --var no_such_var=1
check "--var on an unknown variable of an extending profile: exit 2" eval 'rc_is 2 && err_has "defines no variable '"'"'no_such_var'"'"'" && absent "$T/u6"'

# =====================================================================================
# profiles/private-root.yaml
# =====================================================================================
PR=$SRC/profiles/private-root.yaml
run "$CLI" build "$PR" -o "$T/pr" "${FIXED[@]}"
check "private-root.yaml: builds" eval 'rc_is 0 && err_empty && out_has "(56 certificates)"'
run "$CLI" verify "$T/pr"
check "private-root.yaml: verify agrees on every certificate and CRL" \
    eval 'rc_is 0 && out_has "verified 92 certificates and CRLs in $T/pr: 92 as the manifest expects, 0 not"'
find "$T/pr" -name 'CERT_*.der' -print0 | sort -z >"$T/pr.ders"
mapfile -d '' ders <"$T/pr.ders"
run "$CLI" lint "${ders[@]}"
check "private-root.yaml: rsp-pkigen lint finds nothing in its ${#ders[@]} certificates" \
    eval 'rc_is 0 && out_empty && err_empty && test "${#ders[@]}" -eq 42'
: >"$T/profile.diff"
n=0
while IFS= read -r -d '' f; do
    rel=${f#"$T/pr/"}
    n=$((n + 1))
    if [ ! -f "$T/a/$rel" ]; then
        echo "$rel: no sgp26.yaml certificate at this path" >>"$T/profile.diff"
    elif [ "$(profile_of "$f")" != "$(profile_of "$T/a/$rel")" ]; then
        echo "$rel: $(diff <(profile_of "$f") <(profile_of "$T/a/$rel") | tr '\n' ' ')" >>"$T/profile.diff"
    fi
done <"$T/pr.ders"
check "private-root.yaml: each of its $n certificates has the GSMA profile of sgp26.yaml's at the same path" \
    eval 'test "$n" -eq 42 && test ! -s "$T/profile.diff" || { head -3 "$T/profile.diff" >"$T/err"; false; }'
check "private-root.yaml: one key per CA (no CA shares a key through base:)" eval '
    [ "$(for f in "$T/pr/$VO/CI/CERT_CI_SIG_NIST.der" "$T/pr/$VO/EUM/CERT_EUM_SIG_NIST.der" "$T/pr/$VA/CI/CERT_CI_SIG_NIST.der" \
        "$T/pr/$VA/Variant A/EUM/CERT_EUM_VARA_SIG_NIST.der" "$T/pr/$VA/Variant A/EUM_SUB_CA/CERT_EUMSubCA_VARA_SIG_NIST.der"; do
        "$CLI" show "$f" | grep "^  SKI:"; done | sort -u | wc -l)" -eq 5 ]'

# the 10-line extending profile of docs/private-root-lab.md
cat >"$T/my-lab.yaml" <<EOF
# my-lab.yaml: our names on top of rsp-pkigen's private-root profile
extends: $PR
name: acme-lab
vars:
  org: ACME Test Lab
  eum_org: ACME Test EUM
  ein: "89033999"
  eid: "89033999000000000000000000000110"
  dp_host: smdp.acme.test
  crl_url: http://pki.acme.test/crl
EOF
run "$CLI" build "$T/my-lab.yaml" -o "$T/my" "${FIXED[@]}" -q
check "a 10-line lab profile extending private-root.yaml: builds" eval 'rc_is 0 && err_empty'
run "$CLI" verify "$T/my"
check "... verify agrees" eval 'rc_is 0 && out_has ", 0 not"'
"$CLI" show "$T/my/$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_BRP.der" "$T/my/$VA/Variant A/EUICC/CERT_EUICC_VARA_SIG_NIST.der" \
    "$T/my/$VO/EUM/CERT_EUM_SIG_NIST.der" >"$T/show"
check "... its names, host, EIN, EID and CRL URL are in the certificates" eval '
    grep -qx "  subject:           O=ACME Test Lab, CN=smdp.acme.test" "$T/show" &&
    grep -qx "  subject:           C=DE, O=ACME Test EUM, serialNumber=89033999000000000000000000000110, CN=Example Lab eUICC" "$T/show" &&
    grep -qx "  nameConstraints:   permitted dirName:O=ACME Test EUM, serialNumber=89033999" "$T/show" &&
    grep -q "http://pki.acme.test/crl/ci/BRP/CRL-1.crl" "$T/show"'
check "... and the profile name in the manifest" grep -q '"name": "acme-lab"' "$T/my/manifest.json"

# =====================================================================================
# profiles/sgp26-renew-tls.yaml under GSMA's published SGP.26 test CI keys
# =====================================================================================
REF=${SHARED:+$SHARED/reference/sgp26}
CI_DIR="$REF/1oT-YggdraSIM/Valid Test Cases/Variant O/CI"
OSMO="$REF/osmo-ttcn3-hacks/CertificateIssuer"
if [ -z "$REF" ] || [ ! -f "$CI_DIR/SK_CI_SIG_NIST.pem" ] || [ ! -f "$OSMO/SK_CI_ECDSA_BRP.pem" ]; then
    skip "sgp26-renew-tls.yaml (no GSMA reference keys under '${REF:-SHAREDDIR}')"
    finish
fi
RT=$SRC/profiles/sgp26-renew-tls.yaml
run "$CLI" build "$RT" -o "$T/rn" --clock 2026-09-01T00:00:00Z --key-dir "$CI_DIR" \
    --var ci_key_brp="$OSMO/SK_CI_ECDSA_BRP.pem" --var dp1_host=smdp.example.net --var ds_root_host=smds.example.net
check "renew-tls: builds with GSMA's CI keys (NIST from --key-dir, BRP by an absolute path)" eval 'rc_is 0 && err_empty'
check "renew-tls: the GSMA CI key is not copied into the output" \
    eval '[ -z "$(find "$T/rn" -name "SK_CI*" -print -quit)" ] && [ -f "$T/rn/$VO/SM-DP+/SM_DPtls/SK_S_SM_DP_TLS_NIST.pem" ]'
tbs() { openssl asn1parse -inform der -in "$1" -strparse 4 -noout -out "$2" >/dev/null 2>&1; }
check "renew-tls: the NIST CI is GSMA's v3.0.2 CERT_CI_SIG_NIST.der (TBS byte for byte)" eval '
    tbs "$CI_DIR/CERT_CI_SIG_NIST.der" "$T/r1" && tbs "$T/rn/$VO/CI/CERT_CI_SIG_NIST.der" "$T/g1" && cmp -s "$T/r1" "$T/g1"'
check "renew-tls: the BRP CI is GSMA's CERT_CI_ECDSA_BRP.der (TBS byte for byte)" eval '
    tbs "$OSMO/CERT_CI_ECDSA_BRP.der" "$T/r2" && tbs "$T/rn/$VO/CI/CERT_CI_SIG_BRP.der" "$T/g2" && cmp -s "$T/r2" "$T/g2"'
: >"$T/rn.bad"
nrn=0
while IFS= read -r -d '' f; do
    case $f in */CI/*) continue ;; *_BRP.der) ci=$OSMO/CERT_CI_ECDSA_BRP.der ;; *) ci=$CI_DIR/CERT_CI_SIG_NIST.der ;; esac
    nrn=$((nrn + 1))
    "$CLI" verify --at 2026-09-02T00:00:00Z --ci "$ci" "$f" >/dev/null 2>&1 || echo "$f" >>"$T/rn.bad"
done < <(find "$T/rn" -name 'CERT_*.der' -print0)
check "renew-tls: all $nrn renewed certificates verify under GSMA's real CI certificates (verify --ci)" \
    eval 'test "$nrn" -eq 18 && test ! -s "$T/rn.bad"'
leaf=$T/rn/$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der
run openssl verify -attime 1788307200 -CAfile "$CI_DIR/CERT_CI_SIG_NIST.pem" "$leaf"
check "renew-tls: openssl verify under GSMA's CERT_CI_SIG_NIST.pem: OK" eval 'rc_is 0 && out_is "$leaf: OK"'
"$CLI" show "$leaf" "$T/rn/$VO/SM-DS/SM_DStls/CERT_S_SM_DS_VARO_TLS_BRP.der" >"$T/show"
check "renew-tls: the user's host names, fresh 200-day validity, AKI = GSMA's CI SKI" eval '
    grep -qx "  subject:           O=ACME, CN=smdp.example.net" "$T/show" &&
    grep -qx "  subjectAltName:    DNS:smds.example.net, RID:2.999.15" "$T/show" &&
    [ "$(grep -c "validity:          2026-09-01T00:00:00Z to 2027-03-20T00:00:00Z (200 days)" "$T/show")" -eq 2 ] &&
    grep -qx "  AKI:               F54172BDF98A95D65CBEB88A38A1C11D800A85C3" "$T/show" &&
    grep -qx "  AKI:               C0BC70BA36929D43B467FF57570530E57AB8FCD8" "$T/show" &&
    grep -qx "  issuer:            CN=Test CI, OU=TESTCERT, O=RSPTEST, C=IT" "$T/show"'
: >"$T/rn.profile"
nrp=0
while IFS= read -r -d '' f; do
    rel=${f#"$T/rn/"}
    nrp=$((nrp + 1))
    [ -f "$T/a/$rel" ] && [ "$(profile_of "$f")" = "$(profile_of "$T/a/$rel")" ] || echo "$rel" >>"$T/rn.profile"
done < <(find "$T/rn" -name 'CERT_*.der' -print0)
check "renew-tls: each of its $nrp certificates has the GSMA profile of sgp26.yaml's at the same path" \
    eval 'test "$nrp" -eq 20 && test ! -s "$T/rn.profile"'
run "$CLI" verify "$T/rn"
check "renew-tls: verify of the folder agrees" eval 'rc_is 0 && out_has "22 as the manifest expects, 0 not"'
run "$CLI" build "$RT" -o "$T/rn-nist" --key-dir "$CI_DIR" --curve nist -q
check "renew-tls --curve nist: the NIST set alone needs only SK_CI_SIG_NIST.pem" eval '
    rc_is 0 && [ -z "$(find "$T/rn-nist" -name "*BRP*" -print -quit)" ] &&
    [ "$(find "$T/rn-nist" -name "CERT_*.der" | wc -l)" -eq 12 ]'
run "$CLI" build "$RT" -o "$T/rn-nokey" --key-dir "$T"
check "renew-tls without the CI key: exit 2, names the missing file" eval '
    rc_is 2 && err_has "$T/SK_CI_SIG_NIST.pem: cannot read the key file" && absent "$T/rn-nokey"'

finish
