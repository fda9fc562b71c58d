#!/usr/bin/env bash
# report.sh: the time `rsp-pkigen report` takes for the full SGP.26 build (issue 16's target:
# under 1 s, and a page under 2 MB), beside the time `rsp-pkigen verify DIR` alone takes on the
# same folder (the report runs the same verifier for its green/red verdicts), best of ROUNDS
# runs each, wall clock and CPU (user+sys). Run by hand (not in CI: timings on a shared
# machine are not a test).
#
#   ./bench/report.sh [BUILD-DIR] [ROUNDS]     BUILD-DIR: a CMake build folder (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
ROUNDS=${2:-5}
CLI=$BUILD/rsp-pkigen
[ -x "$CLI" ] || { echo "bench/report.sh: no $CLI (build first)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/rspg-bench-report-XXXXXX")
trap 'rm -rf "$T"' EXIT
"$CLI" build profiles/sgp26.yaml -o "$T/sgp26" -q --seed 01 --clock 2026-01-01T00:00:00Z

# best ROUNDS: prints "wall_ms cpu_ms" of the fastest (by wall) run of CMD...
best() {
    local best_wall=999999 best_cpu=0 i
    for i in $(seq "$ROUNDS"); do
        /usr/bin/time -f "%e %U %S" -o "$T/time" "$@" >/dev/null 2>&1
        read -r wall user sys <"$T/time"
        local w c
        w=$(awk -v x="$wall" 'BEGIN{printf "%d", x*1000}')
        c=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%d", (u+s)*1000}')
        if [ "$w" -lt "$best_wall" ]; then best_wall=$w; best_cpu=$c; fi
    done
    echo "$best_wall $best_cpu"
}
read -r rw rc < <(best "$CLI" report "$T/sgp26" -o "$T/r.html" -q --clock 2026-12-05T00:00:00Z)
read -r vw vc < <(best "$CLI" verify "$T/sgp26" -q)
size=$(stat -c %s "$T/r.html")
certs=$(grep -c '<section class="cert"' "$T/r.html")
printf '%-34s %10s %10s\n' "full SGP.26 build ($certs certificates)" "wall ms" "CPU ms"
printf '%-34s %10d %10d\n' "rsp-pkigen report" "$rw" "$rc"
printf '%-34s %10d %10d\n' "  of which the verifier (verify DIR)" "$vw" "$vc"
printf '%-34s %10d %10d\n' "  the rest (show, lint, page)" "$((rw > vw ? rw - vw : 0))" "$((rc > vc ? rc - vc : 0))"
printf 'page: %d bytes (target < 2000000): %s\n' "$size" "$([ "$size" -lt 2000000 ] && echo met || echo NOT met)"
printf 'time: %d ms (target < 1000, best of %d, load average %s): %s\n' "$rw" "$ROUNDS" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$([ "$rw" -lt 1000 ] && echo met || echo NOT met)"
