#!/usr/bin/env bash
# test.sh: installs what is missing, builds with -Werror, runs every test with ctest, then
# builds and runs the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
rspg_install_missing "${RSPG_BUILD_PACKAGES[@]}" "${RSPG_HSM_PACKAGES[@]}" clang valgrind botan gnutls-bin python3

jobs=$(nproc)
echo "== build (RelWithDebInfo, -Werror) =="
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSPG_WERROR=ON >/dev/null
cmake --build build/test -j"$jobs"
echo "== tests =="
ctest --test-dir build/test --output-on-failure -j"$jobs"

echo "== build (ASan + UBSan) =="
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DRSPG_WERROR=ON -DRSPG_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$jobs"
echo "== tests under ASan + UBSan =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/asan --output-on-failure -j"$jobs"

# Fuzz smoke: each libFuzzer target for a short time on its seed corpus (scripts/fuzz.sh;
# longer runs by hand: scripts/fuzz.sh TARGET SECONDS).
if command -v clang >/dev/null 2>&1; then
    for f in tests/fuzz/fuzz_*.c; do
        t=${f##*/fuzz_}
        t=${t%.c}
        scripts/fuzz.sh "$t" "${RSPG_FUZZ_SECONDS:-10}"
    done
fi
echo "== all tests passed (plain and sanitized) =="
