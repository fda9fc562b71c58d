# tests/cli/hsm.sh: CA keys in a PKCS#11 token, end to end with SoftHSM2.
#
# Starts SoftHSM2 in a temporary folder (its own softhsm2.conf and token directory, so
# nothing outside $T is touched), makes a token, generates the CI and EUM keys of both
# variants of profiles/private-root.yaml in it (NIST P-256 and brainpoolP256r1) with
# pkcs11-tool, and builds the profile with those keys in the token through a generated
# extending profile (and once more through --set with the PIN in the URI). Checks: no
# SK_ file is written for a token key, the certificate's public key is the token's, the
# manifest marks exactly what the token signed `"signed_by": "pkcs11"`, the PIN appears
# nowhere in the output folder, the manifest or the messages, `rsp-pkigen verify` agrees
# on every chain (and stock `openssl verify` on the TLS chains); a wrong PIN and a key
# missing from the token fail with exit status 1, a key on the wrong curve with 2, each
# with a clear message and no output.
#
# Needs softhsm2-util, pkcs11-tool and the OpenSSL pkcs11 engine (Debian: softhsm2, opensc,
# libengine-pkcs11-openssl; scripts/deps.sh RSPG_HSM_PACKAGES). When they are missing the
# script installs them like scripts/test.sh (root or password-less sudo), and prints
# "SKIPPED: ..." and exits 77 (ctest: Not Run) only if that is not possible.
# Run by ctest as: bash hsm.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

SRC=$(cd "$SRC" && pwd)
P=$SRC/profiles/private-root.yaml
CLOCK=2025-01-01T00:00:00Z
AT=1735776000 # CLOCK + 1 day, for openssl verify -attime
VO="Valid Test Cases/Variant O"
VA="Valid Test Cases/Variants A_B_C"
PIN='Lab-PIN-4729#q'
SO_PIN='so-PIN-8613'
LABEL=rspg-lab

# ---- the tools: present, installable, or skip ----
find_module() {
    local m
    for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so \
        /usr/local/lib/softhsm/libsofthsm2.so /usr/lib64/pkcs11/libsofthsm2.so; do
        if [ -f "$m" ]; then
            echo "$m"
            return 0
        fi
    done
    return 1
}
engine_ok() { openssl engine -t pkcs11 2>/dev/null | grep -q '\[ available \]'; }
missing_tools() {
    local m=()
    command -v softhsm2-util >/dev/null || m+=(softhsm2-util)
    command -v pkcs11-tool >/dev/null || m+=(pkcs11-tool)
    find_module >/dev/null || m+=(libsofthsm2.so)
    engine_ok || m+=("the OpenSSL pkcs11 engine")
    echo "${m[*]}"
}
if [ -n "$(missing_tools)" ]; then
    echo "missing: $(missing_tools); installing them as scripts/test.sh does"
    if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
        # a subshell: deps.sh sets -euo pipefail
        (. "$SRC/scripts/deps.sh" && rspg_install_missing "${RSPG_HSM_PACKAGES[@]}") </dev/null ||
            echo "installing failed"
    fi
    if [ -n "$(missing_tools)" ]; then
        skip "$(missing_tools) not found, and installing softhsm2 opensc libengine-pkcs11-openssl did not provide them (it needs root or password-less sudo and a Debian package source)"
        finish
    fi
fi
MODULE=$(find_module)

# Under AddressSanitizer (the second run of scripts/test.sh): libp11's pkcs11 engine
# (0.4.12) leaks its method tables when a key load fails (a wrong PIN, a missing object).
# rsp-pkigen never calls these three functions, so suppressing them hides the engine's
# leaks only; the slow unwinder is needed to see them (libcrypto has no frame pointers).
printf 'leak:EVP_PKEY_meth_new\nleak:EC_KEY_METHOD_new\nleak:RSA_meth_dup\n' >"$T/lsan.supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$T/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"

# ---- a private SoftHSM2 with one token and the CA keys ----
mkdir -p "$T/hsm/tokens"
printf 'directories.tokendir = %s/hsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" \
    >"$T/hsm/softhsm2.conf"
export SOFTHSM2_CONF=$T/hsm/softhsm2.conf
unset RSPG_PKCS11_PIN RSPG_PKCS11_MODULE
run softhsm2-util --init-token --free --label "$LABEL" --pin "$PIN" --so-pin "$SO_PIN"
check "softhsm2-util --init-token: a token in $T/hsm" rc_is 0
# object labels: <ca>-<variant>-<curve suffix>, the profile's ${CURVE}
keygen_ok=0
id=1
for ca in ci eum; do
    for v in O A; do
        for c in NIST:prime256v1 BRP:brainpoolP256r1; do
            run pkcs11-tool --module "$MODULE" --token-label "$LABEL" --login --pin "$PIN" \
                --keypairgen --key-type "EC:${c#*:}" --label "$ca-$v-${c%%:*}" --id "$(printf '%02x' $id)"
            [ "$rc" -eq 0 ] && keygen_ok=$((keygen_ok + 1))
            id=$((id + 1))
        done
    done
done
check "pkcs11-tool --keypairgen: 8 CA keys (CI, EUM; O, A; NIST, brainpool) in the token" test "$keygen_ok" -eq 8

uri() { # uri CA VARIANT [QUERY]: the key's RFC 7512 URI, ${CURVE} left for the profile
    echo "pkcs11:token=$LABEL;object=$1-$2-\${CURVE}?module-path=$MODULE${3:+&$3}"
}
cat >"$T/hsm.yaml" <<EOF
# private-root.yaml with its CI and EUM keys in the token
extends: $P
entities:
  - {id: o-ci, key: {pkcs11: "$(uri ci O)"}}
  - {id: o-eum, key: {pkcs11: "$(uri eum O)"}}
  - {id: a-ci, key: {pkcs11: "$(uri ci A)"}}
  - {id: a-eum, key: {pkcs11: "$(uri eum A)"}}
EOF
HSM_ENTITIES=" o-ci o-eum a-ci a-eum "

# ---- build with the PIN from RSPG_PKCS11_PIN ----
O=$T/lab
RSPG_PKCS11_PIN=$PIN run "$CLI" build "$T/hsm.yaml" -o "$O" --clock $CLOCK
cp "$T/out" "$T/build.out"
cp "$T/err" "$T/build.err"
check "build with the CI and EUM keys in the token: exit 0" rc_is 0
check "build: nothing on stderr" err_empty
check "build: the summary line" eval 'grep -Eq "^rsp-pkigen: wrote [0-9]+ files \([0-9]+ certificates\) and manifest.json to $O in [0-9]+ ms$" "$T/out"'

# no private key file for a token key (and the others are written)
sk_found=""
for f in "$VO/CI/SK_CI_SIG" "$VO/EUM/SK_EUM_SIG" "$VA/CI/SK_CI_SIG" "$VA/Variant A/EUM/SK_EUM_SIG"; do
    for c in NIST BRP; do
        [ -e "$O/${f}_$c.pem" ] && sk_found="$sk_found ${f}_$c.pem"
    done
done
check "no SK_ file for the 8 token keys" test -z "$sk_found"
check "no SK_CI* or SK_EUM_* file anywhere in the output" \
    eval '[ -z "$(find "$O" \( -name "SK_CI*" -o -name "SK_EUM_*" \) -print -quit)" ]'
check "the keys of the other entities are written (SK_EUMSubCA, SK_S_SM_DP_TLS, ...)" eval '
    [ -f "$O/$VA/Variant A/EUM_SUB_CA/SK_EUMSubCA_SIG_NIST.pem" ] &&
    [ -f "$O/$VO/SM-DP+/SM_DPtls/SK_S_SM_DP_TLS_BRP.pem" ] &&
    [ "$(find "$O" -name "SK_*" | wc -l)" -eq 34 ]'
check "the public keys of the token keys are written (PK_CI_SIG_*, PK_EUM_SIG_*)" eval '
    [ -f "$O/$VO/CI/PK_CI_SIG_NIST.pem" ] && [ -f "$O/$VA/Variant A/EUM/PK_EUM_SIG_BRP.pem" ]'

# the certificates carry the token's public keys
same_pub() { # same_pub LABEL CERT.pem
    pkcs11-tool --module "$MODULE" --token-label "$LABEL" --read-object --type pubkey --label "$1" \
        -o "$T/tok.der" >/dev/null 2>&1 &&
        [ "$(openssl pkey -pubin -inform der -in "$T/tok.der")" = "$(openssl x509 -in "$2" -noout -pubkey)" ]
}
check "CERT_CI_SIG_NIST (Variant O) has the token's ci-O-NIST public key" same_pub ci-O-NIST "$O/$VO/CI/CERT_CI_SIG_NIST.pem"
check "CERT_EUM_SIG_BRP (Variant O) has the token's eum-O-BRP public key" same_pub eum-O-BRP "$O/$VO/EUM/CERT_EUM_SIG_BRP.pem"
check "CERT_CI_SIG_BRP (Variant A) has the token's ci-A-BRP public key" same_pub ci-A-BRP "$O/$VA/CI/CERT_CI_SIG_BRP.pem"
check "CERT_EUM_VARA_SIG_NIST has the token's eum-A-NIST public key" same_pub eum-A-NIST "$O/$VA/Variant A/EUM/CERT_EUM_VARA_SIG_NIST.pem"

# ---- the manifest: signed_by pkcs11 on exactly what the token signed ----
# manifest_tsv FILE: one line per artifact: path, kind, entity, issuer, signed_by (tab-separated)
manifest_tsv() {
    awk '
        function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?$/, "", s); return s }
        /^    \{/ { p = k = e = i = s = ""; next }
        /^      "path": /      { p = val($0) }
        /^      "kind": /      { k = val($0) }
        /^      "entity": /    { e = val($0) }
        /^      "issuer": /    { i = val($0) }
        /^      "signed_by": / { s = val($0) }
        /^    \}/ { printf "%s\t%s\t%s\t%s\t%s\n", p, k, e, i, s }
    ' "$1"
}
manifest_tsv "$O/manifest.json" >"$T/m.tsv"
# the token keys' certificates (the issuer paths that name them)
awk -F'\t' -v set="$HSM_ENTITIES" 'index(set, " " $3 " ") && $2 == "certificate" { print $1 }' "$T/m.tsv" \
    | sort >"$T/hsm-certs"
signed_by_errors() {
    awk -F'\t' -v set="$HSM_ENTITIES" '
        NR == FNR { hsm[$1] = 1; next }
        {
            want = ($2 == "certificate" && ($4 in hsm)) || ($2 == "crl" && index(set, " " $3 " ")) ? "pkcs11" : ""
            if ($5 != want) printf "%s: signed_by \"%s\", expected \"%s\"\n", $1, $5, want
        }' "$T/hsm-certs" "$T/m.tsv"
}
n_art=$(wc -l <"$T/m.tsv")
n_pkcs11=$(grep -c $'\tpkcs11$' "$T/m.tsv")
check "manifest: $n_art artifacts read (190 files, 14 of them bundles and full chains, but the 8 SK_ of the token keys)" test "$n_art" -eq 182
check "manifest: signed_by pkcs11 on exactly the certificates and CRLs the token keys signed" \
    eval '[ -z "$(signed_by_errors | tee "$T/err")" ]'
check "manifest: 68 artifacts signed in the token (48 certificate files, 20 CRL files)" test "$n_pkcs11" -eq 68
check "manifest: the self-signed CI and the token-signed eUICC (Variant O) say pkcs11" eval '
    grep -q $'"'"'^Valid Test Cases/Variant O/CI/CERT_CI_SIG_NIST.der\tcertificate\t.*\tpkcs11$'"'"' "$T/m.tsv" &&
    grep -q $'"'"'^Valid Test Cases/Variant O/eUICC/CERT_EUICC_SIG_BRP.der\tcertificate\to-euicc\t.*\tpkcs11$'"'"' "$T/m.tsv"'
check "manifest: the Variant A eUICC (signed by the EUM SubCA, a file key) does not" \
    grep -q $'^Valid Test Cases/Variants A_B_C/Variant A/EUICC/CERT_EUICC_VARA_SIG_NIST.der\tcertificate\ta-euicc\t[^\t]*\t$' "$T/m.tsv"
check "manifest: no private_key artifact for a token key" \
    eval '! awk -F"\t" -v set="$HSM_ENTITIES" '"'"'$2 == "private_key" && index(set, " " $3 " ")'"'"' "$T/m.tsv" | grep -q .'

# ---- the PIN is nowhere ----
check "the PIN is in no file of the output folder (manifest included)" eval '! grep -rqaF -- "$PIN" "$O"'
check "the SO PIN neither" eval '! grep -rqaF -- "$SO_PIN" "$O"'
check "the PIN is not in the build's messages" eval '! grep -qaF -- "$PIN" "$T/build.out" "$T/build.err"'
check "the manifest names no token, module or URI" eval '! grep -qE "pkcs11:|$LABEL|softhsm" "$O/manifest.json"'

# ---- verify agrees on every chain ----
run "$CLI" verify "$O"
check "rsp-pkigen verify: exit 0" eval 'rc_is 0 && err_empty'
check "rsp-pkigen verify: 92 certificates and CRLs, all as the manifest expects" \
    out_has "verified 92 certificates and CRLs in $O: 92 as the manifest expects, 0 not"
for c in NIST BRP; do
    leaf="$O/$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_$c.der"
    run openssl verify -attime $AT -CAfile "$O/$VO/CI/CERT_CI_SIG_$c.pem" "$leaf"
    check "openssl verify: token CI ($c) -> SM-DP+ TLS (Variant O) is OK" eval 'rc_is 0 && out_is "$leaf: OK"'
    leaf="$O/$VA/Variant A/SM-DS/SM_DStls/CERT_S_SM_DS_VARA_TLS_$c.der"
    run openssl verify -attime $AT -CAfile "$O/$VA/CI/CERT_CI_SIG_$c.pem" "$leaf"
    check "openssl verify: token CI ($c) -> SM-DS TLS (Variant A) is OK" eval 'rc_is 0 && out_is "$leaf: OK"'
done
for c in NIST BRP; do
    leaf="$O/$VO/EUM/CERT_EUM_SIG_$c.pem"
    run openssl verify -attime $AT -CAfile "$O/$VO/CI/CERT_CI_SIG_$c.pem" "$leaf"
    check "openssl verify: token CI ($c) -> token EUM (Variant O) is OK" eval 'rc_is 0 && out_is "$leaf: OK"'
done

# ---- --set with the PIN in the URI (pin-value), RSPG_PKCS11_PIN unset ----
run "$CLI" build "$P" -o "$T/set" --clock $CLOCK --only o-dp-tls,o-euicc \
    --set "o-ci.key={pkcs11: \"$(uri ci O "pin-value=$PIN")\"}" \
    --set "o-eum.key={pkcs11: \"$(uri eum O "pin-value=$PIN")\"}"
check "--set o-ci.key={pkcs11: URI with pin-value}: exit 0" eval 'rc_is 0 && err_empty'
check "--set: no SK_CI / SK_EUM file" eval '[ -z "$(find "$T/set" \( -name "SK_CI*" -o -name "SK_EUM_*" \) -print -quit)" ]'
tbs() { openssl asn1parse -inform der -in "$1" -strparse 4 -noout -out "$2" >/dev/null 2>&1; }
# the token draws its own ECDSA nonces: the signatures differ, the signed bytes do not
check "--set: the same CI TBSCertificate as the extending profile's (same token key, same clock)" eval '
    tbs "$O/$VO/CI/CERT_CI_SIG_NIST.der" "$T/a.tbs" && tbs "$T/set/$VO/CI/CERT_CI_SIG_NIST.der" "$T/b.tbs" &&
    cmp -s "$T/a.tbs" "$T/b.tbs"'
check "--set: the token signs with a fresh nonce each time (the certificates differ)" \
    eval '! cmp -s "$O/$VO/CI/CERT_CI_SIG_NIST.der" "$T/set/$VO/CI/CERT_CI_SIG_NIST.der"'
check "--set: the PIN from the URI is in no output file and no message" \
    eval '! grep -rqaF -- "$PIN" "$T/set" "$T/out" "$T/err"'
run "$CLI" verify "$T/set"
check "--set: verify agrees" eval 'rc_is 0 && out_has ", 0 not"'

# ---- failures: exit 1, a clear message, no output ----
RSPG_PKCS11_PIN=wrong-pin-0000 run "$CLI" build "$T/hsm.yaml" -o "$T/wrong" --clock $CLOCK
check "wrong PIN: exit 1" rc_is 1
check "wrong PIN: an error naming the key and the incorrect PIN" \
    eval 'grep -q "^rsp-pkigen: error: pkcs11:token=$LABEL;object=ci-[OA]-[A-Z]*: .*PIN incorrect" "$T/err"'
check "wrong PIN: the note points at the profile line of the key" \
    eval 'grep -q "^rsp-pkigen: note: $T/hsm.yaml:[0-9]*:[0-9]*: the key of entity .* is in a PKCS#11 token" "$T/err"'
check "wrong PIN: nothing on stdout" out_empty
check "wrong PIN: no output folder" absent "$T/wrong"
check "wrong PIN: no temporary folder" no_leftovers "$T/wrong"
check "wrong PIN: neither PIN in the messages" eval '! grep -qaF -e wrong-pin-0000 -e "$PIN" "$T/err"'

RSPG_PKCS11_PIN=$PIN run "$CLI" build "$P" -o "$T/nokey" --clock $CLOCK --only o-ci \
    --set "o-ci.key={pkcs11: \"pkcs11:token=$LABEL;object=no-such-key-\${CURVE}?module-path=$MODULE\"}"
check "a key that is not in the token: exit 1, says so, no output" eval '
    rc_is 1 && grep -q "^rsp-pkigen: error: pkcs11:token=$LABEL;object=no-such-key-[A-Z]*: no such private key in the token" "$T/err" &&
    absent "$T/nokey" && no_leftovers "$T/nokey"'

RSPG_PKCS11_PIN=$PIN run "$CLI" build "$P" -o "$T/curve" --clock $CLOCK --only o-ci --curve brp \
    --set "o-ci.key={pkcs11: \"pkcs11:token=$LABEL;object=ci-O-NIST?module-path=$MODULE\"}"
check "a token key on the wrong curve: exit 2 (a profile error), says which, no output" eval '
    rc_is 2 && err_has "the token'"'"'s key is on prime256v1, but '"'"'o-ci'"'"' on '"'"'brp'"'"' needs brainpoolP256r1" &&
    absent "$T/curve"'

finish
