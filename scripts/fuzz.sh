#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS [LIBFUZZER-OPTIONS...]: builds the libFuzzer targets with clang
# (build/fuzz, -DRSPG_FUZZ=ON: ASan + UBSan + coverage) and runs TARGET (profile, x509,
# key, cvc, bp256, compose, mint_resume: tests/fuzz/fuzz_TARGET.c) for SECONDS on its seed
# corpus tests/fuzz/corpus/TARGET. New inputs go to build/fuzz/corpus/TARGET (the seeds
# are not touched); a crash is written to build/fuzz/crashes/TARGET/ and makes the script
# fail. Exit status: 0 no crash, 1 a crash or leak was found, 2 bad usage or no clang.
#
# fuzz.sh --long [SECONDS] [--report FILE]: every target, one after the other, for SECONDS
# each (default and minimum 300), then a report (Markdown; default build/fuzz/long-report.md)
# with, per target, the executions, the coverage (cov: edges, ft: features) at the end, the
# corpus size and the findings. Exit 1 when any target found something.
#   RSPG_FUZZ_JOBS=N  build jobs (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--long" ]; then
    shift
    seconds=300
    report=build/fuzz/long-report.md
    if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
        seconds=$1
        shift
    fi
    if [ $# -eq 2 ] && [ "$1" = "--report" ]; then
        report=$2
        shift 2
    fi
    if [ $# -ne 0 ] || [ "$seconds" -lt 300 ]; then
        echo "usage: scripts/fuzz.sh --long [SECONDS >= 300] [--report FILE]" >&2
        exit 2
    fi
    mkdir -p "$(dirname "$report")"
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    {
        echo "# rsp-pkigen long fuzz run"
        echo
        echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')," \
            "$seconds s per target, clang -fsanitize=fuzzer,address,undefined"
        echo
        echo "| target | seconds | execs | exec/s | cov | ft | corpus | findings |"
        echo "|---|---|---|---|---|---|---|---|"
    } >"$tmp"
    found=0
    for f in tests/fuzz/fuzz_*.c; do
        t=${f##*/fuzz_}
        t=${t%.c}
        rc=0
        "$0" "$t" "$seconds" >/dev/null 2>&1 || rc=$?
        log=build/fuzz/fuzz_$t.log
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
        last=$(grep -E '^#[0-9]+' "$log" | grep -E ' cov: ' | tail -1 || true)
        cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
        ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
        corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
        crashes=$(find "build/fuzz/crashes/$t" -type f 2>/dev/null | wc -l)
        if [ "$rc" -eq 0 ]; then
            what="none"
        else
            found=1
            what="exit $rc, $crashes input(s) in build/fuzz/crashes/$t/: $(grep -m1 -E 'ERROR|runtime error' "$log" | cut -c1-120)"
        fi
        echo "| $t | $seconds | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $what |" >>"$tmp"
        echo "fuzz_$t: execs ${execs:-?}, cov ${cov:-?}, ft ${ft:-?}, findings: $what"
    done
    cp "$tmp" "$report"
    echo "report: $report"
    exit $found
fi

if [ $# -lt 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTIONS...]" >&2
    echo "       scripts/fuzz.sh --long [SECONDS >= 300] [--report FILE]" >&2
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
