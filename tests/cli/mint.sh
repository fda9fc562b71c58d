# tests/cli/mint.sh: `mint euicc` end to end, for what the unit tests cannot see: the
# default profile whatever the working directory, the clock rule (an invalid
# SOURCE_DATE_EPOCH is exit 2 with nothing written), the self-check (a template whose
# eUICC would be invalid is exit 1 naming the check, nothing written), the note when no
# chain up to a CI is known, --count (digits only, up to the EIDs left in the EIN range,
# the free space, the size note), --resume onto foreign files and other runs' bundles
# (exit 2, not a byte changed), the lock on a bundle being written, and the HSM rule with an
# EUM key in a SoftHSM2 token (one thread whatever -j, the token's own nonces, reported by
# the CLI; every certificate it signed verifies; skipped without SoftHSM2, pkcs11-tool and the OpenSSL pkcs11 engine: tests/cli/hsm.sh
# installs them).
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
check "the header and five records" test "$(wc -l <"$T/elsewhere/b.jsonl")" -eq 6
check "the summary names the run" err_has "rsp-pkigen: minted 5 eUICC certificates in"

# ---- --count: digits only, 1 up to the EIDs left in the EIN range; the free space ----
for bad in ' 10' '10 ' -5 +5 0x10 ''; do
    run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count "$bad" -o "$T/count.jsonl"
    check "--count '$bad': exit 2, says digits only" eval '[ "$rc" -eq 2 ] && err_has "--count takes decimal digits only"'
done
run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 0 -o "$T/count.jsonl"
check "--count 0: exit 2" eval '[ "$rc" -eq 2 ] && err_has "--count must be 1 or more"'
run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 18446744073709551616 -o "$T/count.jsonl"
check "--count 2^64: exit 2, no wrap-around" eval '[ "$rc" -eq 2 ] && err_has "is more than 18446744073709551615"'
# o-eum's EIN is 89049032 (10^22 EIDs); with the EIN 8904903212345123451234 there are
# 10^8 - 56789012 = 43210988 EIDs from $EID
cat >"$T/narrow.yaml" <<EOF
extends: $SRC/profiles/sgp26.yaml
vars:
  ein: "8904903212345123451234"
EOF
run "$CLI" mint euicc --profile "$T/narrow.yaml" --issuer o-eum --first-eid $EID --count 43210989 -o "$T/count.jsonl" "${FIXED[@]}"
check "--count beyond the EIN range: exit 2, names the limit" eval '[ "$rc" -eq 2 ] && err_has "--count 43210989 is more than the 43210988 EIDs left in the issuer'"'"'s EIN prefix 8904903212345123451234"'
for big in 18446744073709551615 9223372036854775807; do
    run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count $big -o "$T/count.jsonl" "${FIXED[@]}"
    check "--count $big: refused by the free space (exit 2), nothing written" eval '[ "$rc" -eq 2 ] && err_has "free (--no-space-check writes anyway); nothing was written" && absent "$T/count.jsonl"'
done
run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 300 -o "$T/size.jsonl" "${FIXED[@]}"
check "the size note comes before minting" eval '[ "$rc" -eq 0 ] && head -1 "$T/err" | grep -q "^rsp-pkigen: note: 300 records, about [0-9.]* kB ([0-9.]* [kMGT]B free)$"'
size=$(stat -c %s "$T/size.jsonl")
check "the estimate is close ($size bytes written)" eval 'e=$(sed -n "s/.*about \([0-9.]*\) kB.*/\1/p" "$T/err"); awk -v e="$e" -v s="$size" "BEGIN{exit !(e*1000 >= s && e*1000 < s*1.1)}"'
run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 3 -o "$T/quiet.jsonl" -q "${FIXED[@]}"
check "-q: no note" eval '[ "$rc" -eq 0 ] && err_empty'

# ---- --resume: only this run's bundle; anything else untouched ----
R=(--issuer o-eum --first-eid $EID --count 40 -j 2)
"$CLI" mint euicc "${R[@]}" -o "$T/run.jsonl" -q "${FIXED[@]}"
check "the header is the first line" eval 'head -1 "$T/run.jsonl" | grep -q "^{\"rsp-pkigen-mint\":1,\"run\":{\"issuer\":\"[0-9a-f]\{64\}\",\"template\":\"o-euicc\",.*\"count\":40,\"seed\":\"[0-9a-f]\{64\}\",\"clock\":\"2025-01-01T00:00:00Z\",\"signatures\":\"rfc6979\"}}$"'
head -c 20000 "$T/run.jsonl" >"$T/part.jsonl"
head -c 3000 /dev/urandom >"$T/random.bin"
printf '{"my": "data", "list": [1, 2]}' >"$T/nonl.json"
printf 'line one\nline two\n' >"$T/text.txt"
cp "$T/part.jsonl" "$T/part.orig"
try_resume() { # NAME WHY EXTRA...: --resume onto $T/NAME refused with WHY (exit 2), not a byte changed
    local name=$1 why=$2
    shift 2
    cp "$T/$name" "$T/$name.before"
    run "$CLI" mint euicc "${R[@]}" -o "$T/$name" --resume "$@"
    check "--resume onto $name $*: exit 2" rc_is 2
    check "--resume onto $name $*: says '$why'" err_has "$why"
    check "--resume onto $name $*: unchanged (cmp)" cmp -s "$T/$name" "$T/$name.before"
}
try_resume random.bin "is not a mint bundle" "${FIXED[@]}"
try_resume nonl.json "is not a mint bundle" "${FIXED[@]}"
try_resume text.txt "is not a mint bundle" "${FIXED[@]}"
try_resume part.jsonl "its seed is" --seed 02 --clock 2025-01-01T00:00:00Z
try_resume part.jsonl "its clock is" --seed 01 --clock 2025-01-01T00:00:01Z
try_resume part.jsonl "its clock is" --seed 01
try_resume part.jsonl "its signatures is" "${FIXED[@]}" --signatures random
try_resume part.jsonl "its curve is" "${FIXED[@]}" --curve nist
run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 41 -j 2 -o "$T/part.jsonl" --resume "${FIXED[@]}"
check "--resume with another --count: exit 2, names it" eval '[ "$rc" -eq 2 ] && err_has "its count is 40, this run'"'"'s is 41" && cmp -s "$T/part.jsonl" "$T/part.orig"'

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
if command -v flock >/dev/null; then
    flock -n "$T/sde" sleep 5 &
    fl=$!
    sleep 0.3
    run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 2 --layout files -o "$T/sde" --force -q
    kill "$fl" 2>/dev/null
    wait "$fl" 2>/dev/null
    check "--layout files onto a folder another process locks: exit 2, names the holder" eval '[ "$rc" -eq 2 ] && err_has "sde: another mint (pid $fl) is writing it"'
    check "the folder is untouched" test -f "$T/sde/manifest.json"
fi


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

run "$CLI" mint euicc --issuer-cert "$E/EUM/CERT_EUM_SIG_NIST.der" --issuer-key "$E/EUM/SK_EUM_SIG_NIST.pem" \
    --curve brp --first-eid $EID --count 40 -o "$T/part.jsonl" --resume "${FIXED[@]}"
check "--resume with another issuer: exit 2, names it, unchanged" eval '[ "$rc" -eq 2 ] && err_has "its issuer is" && cmp -s "$T/part.jsonl" "$T/part.orig"'
run "$CLI" mint euicc "${R[@]}" -o "$T/part.jsonl" --resume "${FIXED[@]}"
check "--resume of the same run: exit 0" rc_is 0
check "--resume of the same run: identical to the uninterrupted bundle" cmp -s "$T/part.jsonl" "$T/run.jsonl"

# ---- two runs on one bundle: the second is refused and told who holds it ----
"$CLI" mint euicc --issuer o-eum --first-eid $EID --count 5000000 -j 1 -o "$T/busy.jsonl" -q --no-space-check "${FIXED[@]}" 2>/dev/null &
holder=$!
for _ in $(seq 300); do [ "$({ wc -l <"$T/busy.jsonl"; } 2>/dev/null || echo 0)" -gt 1 ] && break; sleep 0.1; done
run "$CLI" mint euicc --issuer o-eum --first-eid $EID --count 5000000 -j 1 -o "$T/busy.jsonl" --resume --no-space-check "${FIXED[@]}"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
check "a second mint --resume on a bundle being written: exit 2" rc_is 2
check "it names the holder's pid" err_has "busy.jsonl: another mint (pid $holder) is writing it"

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
    check "the header and 600 records" test "$(wc -l <"$T/hsm.jsonl" 2>/dev/null || echo 0)" -eq 601
    check "the PIN is in no message" eval '! grep -qF "$PIN" "$T/err"'
    check "600 distinct certificates" test "$(grep -o '"certificate":"[^"]*"' "$T/hsm.jsonl" | sort -u | wc -l)" -eq 600
    RSPG_PKCS11_PIN=$PIN run "$CLI" mint euicc --profile "$T/hsm.yaml" --issuer o-eum --curve nist \
        --first-eid $EID --count 300 -j 2 --layout files -o "$T/hsm-files"
    check "the files layout with the token's EUM: exit 0" rc_is 0
    run "$CLI" verify "$T/hsm-files"
    check "verify DIR: every certificate the token signed verifies up to the CI" \
        eval '[ "$rc" -eq 0 ] && out_has "302 as the manifest expects, 0 not"'
else
    echo "skip   the HSM rule: SoftHSM2, pkcs11-tool or the OpenSSL pkcs11 engine is missing"
fi
finish
