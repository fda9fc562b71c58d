# tests/cli/mint.sh: `mint euicc` end to end, for what the unit tests cannot see: the
# default profile whatever the working directory, the clock rule (an invalid
# SOURCE_DATE_EPOCH is exit 2 with nothing written), the self-check (a template whose
# eUICC would be invalid is exit 1 naming the check, nothing written), the note when no
# chain up to a CI is known, and the HSM rule with an EUM key in a SoftHSM2 token (one
# signing thread and the token's nonces, reported by the CLI; skipped without SoftHSM2,
# pkcs11-tool and the OpenSSL pkcs11 engine: tests/cli/hsm.sh installs them).
# Run by ctest as: bash mint.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

SRC=$(cd "$SRC" && pwd)
CLI=$(cd "$(dirname "$CLI")" && pwd)/$(basename "$CLI")
EID=89049032123451234512345678901235
FIXED=(--seed 01 --clock 2025-01-01T00:00:00Z)
mkdir "$T/elsewhere"

# ---- the default profile: next to the executable, not in the working directory ----
run sh -c "cd '$T/elsewhere' && '$CLI' mint euicc --issuer o-eum --curve nist --first-eid $EID --count 5 -o b.jsonl ${FIXED[*]}"
check "mint without --profile from $T/elsewhere: exit 0" rc_is 0
check "five records" test "$(wc -l <"$T/elsewhere/b.jsonl")" -eq 5
check "the summary names the run" err_has "rsp-pkigen: minted 5 eUICC certificates in"

# ---- the clock ----
for bad in ' 10' soon '12h'; do
    SOURCE_DATE_EPOCH=$bad run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 1 -o "$T/sde.jsonl"
    check "SOURCE_DATE_EPOCH='$bad': exit 2" rc_is 2
    check "SOURCE_DATE_EPOCH='$bad': says so" err_has "SOURCE_DATE_EPOCH '$bad' is not a number of seconds"
    check "SOURCE_DATE_EPOCH='$bad': no bundle" absent "$T/sde.jsonl"
done
SOURCE_DATE_EPOCH=1790000000 run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 2 --layout files -o "$T/sde" -q
check "SOURCE_DATE_EPOCH=1790000000: exit 0" rc_is 0
check "the manifest records the clock's source" grep -q '"source": "SOURCE_DATE_EPOCH"' "$T/sde/manifest.json"

# ---- the self-check ----
cat >"$T/foreign.yaml" <<EOF
# sgp26.yaml with an eUICC template whose O is not its EUM's
extends: $SRC/profiles/sgp26.yaml
entities:
  - id: foreign-euicc
    base: o-euicc
    role: euicc
    variant: O
    name: eUICC
    issuer: o-eum
    subject: [{C: ES}, {O: Another EUM}, {serialNumber: "$EID"}, {CN: Test eUICC}]
EOF
run "$CLI" mint euicc --profile "$T/foreign.yaml" --issuer o-eum --template foreign-euicc \
    --first-eid $EID --count 3 -o "$T/foreign.jsonl" "${FIXED[@]}"
check "an eUICC its EUM may not issue: exit 1" rc_is 1
check "the self-check names the rule" err_has "self-check: the first eUICC certificate (EID $EID) would be invalid: check"
check "nothing written" absent "$T/foreign.jsonl"

"$CLI" build "$SRC/profiles/sgp26.yaml" --only o-eum --curve nist -o "$T/pki" -q "${FIXED[@]}"
E="$T/pki/Valid Test Cases/Variant O"
run "$CLI" mint euicc --issuer-cert "$E/EUM/CERT_EUM_SIG_NIST.der" --issuer-key "$E/EUM/SK_EUM_SIG_NIST.pem" \
    --first-eid $EID --count 2 -o "$T/nochain.jsonl" "${FIXED[@]}"
check "--issuer-cert without --chain: exit 0" rc_is 0
check "--issuer-cert without --chain: the note says the check could not run" err_has "no chain up to a CI (--chain)"
run "$CLI" mint euicc --issuer-cert "$E/EUM/CERT_EUM_SIG_NIST.der" --issuer-key "$E/EUM/SK_EUM_SIG_NIST.pem" \
    --chain "$E/CI/CERT_CI_SIG_NIST.der" --first-eid $EID --count 2 -o "$T/chain.jsonl" "${FIXED[@]}"
check "--issuer-cert with --chain: exit 0, no note" eval '[ "$rc" -eq 0 ] && ! grep -q "no chain" "$T/err"'

# ---- the HSM rule ----
find_module() {
    local m
    for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so \
        /usr/local/lib/softhsm/libsofthsm2.so /usr/lib64/pkcs11/libsofthsm2.so; do
        [ -f "$m" ] && { echo "$m"; return 0; }
    done
    return 1
}
if command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null && find_module >/dev/null &&
    openssl engine -t pkcs11 2>/dev/null | grep -q '\[ available \]'; then
    MODULE=$(find_module)
    PIN=mint-PIN-5120
    printf 'leak:EVP_PKEY_meth_new\nleak:EC_KEY_METHOD_new\nleak:RSA_meth_dup\n' >"$T/lsan.supp"
    export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$T/lsan.supp:print_suppressions=0"
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
    mkdir -p "$T/hsm/tokens"
    printf 'directories.tokendir = %s/hsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$T" >"$T/hsm/softhsm2.conf"
    export SOFTHSM2_CONF=$T/hsm/softhsm2.conf
    unset RSPG_PKCS11_MODULE
    softhsm2-util --init-token --free --label mint --pin "$PIN" --so-pin so-7788 >/dev/null
    pkcs11-tool --module "$MODULE" --token-label mint --login --pin "$PIN" --keypairgen \
        --key-type EC:prime256v1 --label eum-NIST --id 01 >/dev/null 2>&1
    cat >"$T/hsm.yaml" <<EOF
extends: $SRC/profiles/sgp26.yaml
entities:
  - {id: o-eum, key: {pkcs11: "pkcs11:token=mint;object=eum-\${CURVE}?module-path=$MODULE"}}
EOF
    RSPG_PKCS11_PIN=$PIN run "$CLI" mint euicc --profile "$T/hsm.yaml" --issuer o-eum --curve nist \
        --first-eid $EID --count 600 -j 2 --seed 01 --signatures rfc6979 -o "$T/hsm.jsonl"
    check "an EUM key in the token: exit 0" rc_is 0
    check "the CLI reports the token's nonces" err_has "the issuer key is in a PKCS#11 token"
    check "one signing thread whatever -j (the summary)" err_has " 1 threads) to $T/hsm.jsonl"
    check "600 records" test "$(wc -l <"$T/hsm.jsonl" 2>/dev/null || echo 0)" -eq 600
    check "the PIN is in no message" eval '! grep -qF "$PIN" "$T/err"'
else
    echo "skip   the HSM rule: SoftHSM2, pkcs11-tool or the OpenSSL pkcs11 engine is missing"
fi
finish
