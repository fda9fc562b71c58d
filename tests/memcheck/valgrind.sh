#!/usr/bin/env bash
# tests/memcheck/valgrind.sh CLI SRCDIR: valgrind memcheck of the real binary on the whole
# profiles/sgp26.yaml: `build` (every certificate, key and CRL, NIST and brainpool) and
# `verify` of the result, then `lint` and `show --json` of a few certificates and a small
# threaded `mint euicc`. Each run must be clean: no invalid read or write, no use of
# uninitialised memory, no definite, indirect or possible leak (--error-exitcode=99).
# Skipped (exit 77) when valgrind is missing or the binary is built with ASan (the two
# cannot run together). Takes about a minute on the 2-core reference machine; no filter.
set -u
if [ $# -lt 2 ]; then
    echo "usage: bash $0 CLI SRCDIR" >&2
    exit 2
fi
CLI=$1
SRC=$2
if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIPPED: valgrind is not installed (apt-get install valgrind)"
    exit 77
fi
if { ldd "$CLI" 2>/dev/null; nm "$CLI" 2>/dev/null; } | grep -q '__asan_init\|libasan'; then
    echo "SKIPPED: $CLI is built with AddressSanitizer; valgrind cannot run it"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/rspg-memcheck-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
export LC_ALL=C
unset SOURCE_DATE_EPOCH

passed=0
failed=0
# memcheck DESC ARGS...: runs the CLI under valgrind; the run must exit 0 and be clean.
memcheck() {
    local desc=$1
    shift
    valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
        --error-exitcode=99 --log-file="$T/vg.log" "$CLI" "$@" >"$T/out" 2>"$T/err" </dev/null
    local rc=$?
    if [ $rc -eq 0 ] && grep -q 'ERROR SUMMARY: 0 errors' "$T/vg.log"; then
        passed=$((passed + 1))
        echo "ok     $desc ($(grep -o 'total heap usage: .*' "$T/vg.log"))"
    else
        failed=$((failed + 1))
        echo "FAILED $desc: exit $rc"
        grep -E 'ERROR SUMMARY|definitely|indirectly|possibly|Invalid|uninitialised' "$T/vg.log" | head -20 | sed 's/^/       /'
        sed 's/^/       stderr: /' "$T/err" | head -5
    fi
}

memcheck "build profiles/sgp26.yaml (whole profile)" \
    build "$SRC/profiles/sgp26.yaml" -o "$T/out-sgp26" --seed 00112233 --clock 2025-01-01T00:00:00Z -q
memcheck "verify the whole build" verify "$T/out-sgp26" -q
V="$T/out-sgp26/Valid Test Cases"
certs=("$V/Variant O/CI/CERT_CI_SIG_NIST.der" "$V/Variant O/eUICC/CERT_EUICC_SIG_BRP.der"
       "$V/Variants A_B_C/Variant A/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARA_TLS_NIST.der")
memcheck "lint three certificates" lint "${certs[@]}"
memcheck "show --json three certificates" show --json "${certs[@]}"
memcheck "mint euicc (20, 2 threads)" mint euicc --profile "$SRC/profiles/sgp26.yaml" --issuer o-eum \
    --seed 00 --first-eid 89049032123451234512345678901235 --count 20 -j 2 -o "$T/bundle.jsonl" -q
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
