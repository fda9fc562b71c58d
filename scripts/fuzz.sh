#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS [LIBFUZZER-OPTIONS...]: builds the libFuzzer targets with clang
# (build/fuzz, -DRSPG_FUZZ=ON: ASan + UBSan + coverage) and runs TARGET (profile, x509,
# key, or cvc when the library has CVCs) for SECONDS on its seed corpus
# tests/fuzz/corpus/TARGET. New inputs go to build/fuzz/corpus/TARGET (the seeds are not
# touched); a crash is written to build/fuzz/crashes/TARGET/ and makes the script fail.
# Exit status: 0 no crash, 1 a crash or leak was found, 2 bad usage or no clang.
#   RSPG_FUZZ_JOBS=N  build jobs (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTIONS...]" >&2
    echo "  targets: $(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||' | tr '\n' ' ')" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
if [ ! -f "tests/fuzz/fuzz_$target.c" ]; then
    echo "rsp-pkigen: error: no fuzz target '$target' (tests/fuzz/fuzz_$target.c)" >&2
    exit 2
fi
cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cc" ]; then
    echo "rsp-pkigen: error: fuzzing needs clang (apt-get install clang)" >&2
    exit 2
fi

build=build/fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRSPG_FUZZ=ON -DBUILD_TESTING=OFF -DRSPG_WERROR=ON >/dev/null
cmake --build "$build" -j"${RSPG_FUZZ_JOBS:-$(nproc)}" --target "fuzz_$target" >/dev/null
bin=$build/tests/fuzz/fuzz_$target
if [ ! -x "$bin" ]; then
    echo "rsp-pkigen: error: fuzz_$target was not built (does the library have what it needs?)" >&2
    exit 2
fi

seeds=tests/fuzz/corpus/$target
work=$build/corpus/$target
crashes=$build/crashes/$target
mkdir -p "$work" "$crashes"
dict=()
[ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "== fuzz_$target for ${seconds} s (seeds: $seeds, corpus: $work) =="
set +e
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "$@" "$work" "$seeds" \
    </dev/null 2>"$build/fuzz_$target.log"
rc=$?
set -e
grep -E '^(stat::|Done |INFO: Running with entropic|==[0-9]+==ERROR|SUMMARY)' "$build/fuzz_$target.log" || true
if [ $rc -ne 0 ]; then
    echo "rsp-pkigen: error: fuzz_$target found a problem (exit $rc); log: $build/fuzz_$target.log," \
        "input in $crashes/" >&2
    tail -40 "$build/fuzz_$target.log" >&2
    exit 1
fi
echo "fuzz_$target: no crash in ${seconds} s"
