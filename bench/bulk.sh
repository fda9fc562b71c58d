#!/usr/bin/env bash
# bulk.sh: `rsp-pkigen mint euicc` against its floor (bench/keygen_sign.c: a libcrypto loop
# that only generates a key pair and signs per eUICC, reused contexts), in one run on this
# machine, with the ratios that issue 15 sets as targets:
#   brainpoolP256r1 mint -j 1 >= 5 x the libcrypto keygen+sign loop (bp256, crypto/bulk_ec.c)
#   mint -j 2 >= 1.8 x mint -j 1 (2 cores)
#   P-256 mint -j 1 >= 0.90 x its floor
#   peak RSS for 1,000,000 eUICCs within a few MiB of 10,000 (memory flat in N)
#   1,000,000 eUICCs with a NIST and a brainpool certificate each in < 2 minutes (-j cores)
# The floors and the mint runs alternate, ROUNDS times each, and each line shows the best
# round, so that load from other processes hits both sides alike. Rates are per wall second
# and per CPU second (user + sys): on a busy machine the CPU ratio is the steadier one; the
# -j 2 / -j 1 ratio can only be measured on the wall clock, and needs idle cores.
# Also shown: mint on brainpool with RSPG_EC_ENGINE=libcrypto (the path before bp256), and
# the openssl CLI (one `req -x509` per card).
#
#   ./bench/bulk.sh            full (1,000,000 eUICCs per curve; a few minutes, ~1.3 GB of
#                              disk per bundle under $TMPDIR, removed after each run)
#   ./bench/bulk.sh --quick    smaller counts (100,000 for the big run, scaled to 1,000,000)
# Run by hand (not in CI); `nice` it on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
N_NIST=100000; N_BRP=50000; N_FLOOR_BRP=5000; N_BIG=1000000; N_SMALL=10000; N_CLI=200; ROUNDS=3
if [ "$quick" = "--quick" ]; then
    N_NIST=20000; N_BRP=10000; N_FLOOR_BRP=1000; N_BIG=100000; N_CLI=50; ROUNDS=2
fi
cores=$(nproc)

cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench -j"$cores" >/dev/null
cli=./build/bench/rsp-pkigen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/keygen_sign" bench/keygen_sign.c -lcrypto -lpthread

"$cli" build profiles/sgp26.yaml -o "$work/pki" --only o-eum --seed 01 -q
eum="$work/pki/Valid Test Cases/Variant O/EUM"

# timed COUNT CMD...: runs CMD, prints "<per wall s> <per CPU s> <peak RSS KiB> <wall s>"
timed() {
    local n=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null
    read -r wall user sys rss <"$work/time"
    echo "$(echo "$n / $wall" | bc -l) $(echo "$n / ($user + $sys)" | bc -l) $rss $wall"
}
# mint CURVE COUNT JOBS [ENV...]: one run with the EUM of CURVE (NIST or BRP), same curve keys
mint() {
    local c=$1 n=$2 j=$3
    shift 3
    timed "$n" env "$@" "$cli" mint euicc --issuer-cert "$eum/CERT_EUM_SIG_$c.der" \
        --issuer-key "$eum/SK_EUM_SIG_$c.pem" --first-eid 89049032000000000000000000000066 \
        --count "$n" -j "$j" -q -o "$work/out.jsonl" --force
    rm -f "$work/out.jsonl"
}
floor() { timed "$2" "$work/keygen_sign" "$1" "$2" 1; }
best() { printf '%s\n' "$@" | sort -g | tail -1; }
ratio() { echo "$1 / $2" | bc -l; }

declare -A W C # best per-wall and per-CPU rate of each measurement
keep() {       # NAME "<wall> <cpu> ..."
    local w c
    read -r w c _ <<<"$2"
    W[$1]=$(best "${W[$1]:-0}" "$w")
    C[$1]=$(best "${C[$1]:-0}" "$c")
}
for r in $(seq 1 "$ROUNDS"); do
    keep floor_nist "$(floor prime256v1 "$N_NIST")"
    keep mint_nist_1 "$(mint NIST "$N_NIST" 1)"
    keep floor_brp "$(floor brainpoolP256r1 "$N_FLOOR_BRP")"
    keep mint_brp_1 "$(mint BRP "$N_BRP" 1)"
    keep mint_brp_lc "$(mint BRP "$N_FLOOR_BRP" 1 RSPG_EC_ENGINE=libcrypto)"
    keep mint_brp_n "$(mint BRP "$N_BRP" "$cores")"
    keep mint_nist_n "$(mint NIST "$N_NIST" "$cores")"
done

# the openssl CLI: one key and one req -x509 signed by the EUM per card (its fast way)
openssl ec -in "$eum/SK_EUM_SIG_NIST.pem" -out "$work/eum.key" 2>/dev/null
openssl x509 -inform der -in "$eum/CERT_EUM_SIG_NIST.der" -out "$work/eum.pem"
t0=$(date +%s.%N)
for i in $(seq 1 "$N_CLI"); do
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/k.pem" \
        -subj "/C=ES/O=RSP Test EUM/serialNumber=8904903200000000000000000000$i/CN=Test eUICC" \
        -x509 -CA "$work/eum.pem" -CAkey "$work/eum.key" -days 3650 -out "$work/c.pem" 2>/dev/null
done
cli_rate=$(echo "$N_CLI / ($(date +%s.%N) - $t0)" | bc -l)

# the big runs: N_BIG NIST and N_BIG brainpool eUICCs on every core, and a small run of each
# for the peak memory
read -r _ cr_big_nist rss_big_nist s_big_nist <<<"$(mint NIST "$N_BIG" "$cores")"
read -r _ cr_big_brp rss_big_brp s_big_brp <<<"$(mint BRP "$N_BIG" "$cores")"
read -r _ _ rss_small_nist _ <<<"$(mint NIST "$N_SMALL" "$cores")"
read -r _ _ rss_small_brp _ <<<"$(mint BRP "$N_SMALL" "$cores")"
s_big=$(echo "$s_big_nist + $s_big_brp" | bc -l)
s_million=$(echo "$s_big * 1000000 / $N_BIG" | bc -l)
# CPU seconds of the two big runs, and that over the cores: what an idle machine needs at
# least (perfect scaling), for a busy machine whose wall clock says little
cpu_big=$(echo "$N_BIG / $cr_big_nist + $N_BIG / $cr_big_brp" | bc -l)

echo "rsp-pkigen bulk minting, $cores cores, $(openssl version | cut -d' ' -f1-2)," \
    "load $(cut -d' ' -f1 /proc/loadavg) (best of $ROUNDS alternating rounds)"
echo
printf '%-50s %10s %10s\n' "what" "per s" "per CPU-s"
line() { printf '%-50s %10.0f %10.0f\n' "$1" "${W[$2]}" "${C[$2]}"; }
line "keygen+sign loop, P-256, 1 thread (floor)" floor_nist
line "mint euicc NIST -j 1 (N=$N_NIST)" mint_nist_1
line "mint euicc NIST -j $cores" mint_nist_n
line "keygen+sign loop, brainpoolP256r1, 1 thread (floor)" floor_brp
line "mint euicc BRP -j 1, libcrypto (N=$N_FLOOR_BRP)" mint_brp_lc
line "mint euicc BRP -j 1, bp256 (N=$N_BRP)" mint_brp_1
line "mint euicc BRP -j $cores, bp256" mint_brp_n
printf '%-50s %10.0f\n' "openssl CLI, req -x509 per card, NIST (N=$N_CLI)" "$cli_rate"
echo
# target: ratio check, printed as "ok" or "MISSED"
verdict() { if [ "$(echo "$1 >= $2" | bc -l)" = 1 ]; then echo ok; else echo MISSED; fi; }
pr() { # text value target
    printf '%-46s %6.2f   (target >= %s: %s)\n' "$1" "$2" "$3" "$(verdict "$2" "$3")"
}
pr "BRP mint -j1 / libcrypto loop (wall)" "$(ratio "${W[mint_brp_1]}" "${W[floor_brp]}")" 5
pr "BRP mint -j1 / libcrypto loop (CPU)" "$(ratio "${C[mint_brp_1]}" "${C[floor_brp]}")" 5
pr "BRP mint -j$cores / -j1 (wall)" "$(ratio "${W[mint_brp_n]}" "${W[mint_brp_1]}")" 1.8
pr "NIST mint -j$cores / -j1 (wall)" "$(ratio "${W[mint_nist_n]}" "${W[mint_nist_1]}")" 1.8
pr "NIST mint -j1 / its floor (wall)" "$(ratio "${W[mint_nist_1]}" "${W[floor_nist]}")" 0.90
pr "NIST mint -j1 / its floor (CPU)" "$(ratio "${C[mint_nist_1]}" "${C[floor_nist]}")" 0.90
printf '%-46s %6.2f\n' "BRP mint bp256 / mint libcrypto, -j1 (CPU)" "$(ratio "${C[mint_brp_1]}" "${C[mint_brp_lc]}")"
echo
mib() { echo "($1 - $2) / 1024" | bc -l; }
printf 'peak RSS NIST: N=%s %s KiB, N=%s %s KiB: %+.1f MiB (target: a few MiB)\n' \
    "$N_BIG" "$rss_big_nist" "$N_SMALL" "$rss_small_nist" "$(mib "$rss_big_nist" "$rss_small_nist")"
printf 'peak RSS BRP:  N=%s %s KiB, N=%s %s KiB: %+.1f MiB (target: a few MiB)\n' \
    "$N_BIG" "$rss_big_brp" "$N_SMALL" "$rss_small_brp" "$(mib "$rss_big_brp" "$rss_small_brp")"
printf '%s eUICCs, NIST + BRP, -j%s: %.1f s + %.1f s = %.1f s' "$N_BIG" "$cores" "$s_big_nist" "$s_big_brp" "$s_big"
if [ "$N_BIG" -ne 1000000 ]; then printf ' (x %s: %.1f s)' "$(echo "1000000 / $N_BIG" | bc)" "$s_million"; fi
printf '   (target < 120 s for 1,000,000: %s)\n' "$(verdict 120 "$s_million")"
printf '%s eUICCs, NIST + BRP: %.1f CPU-s, / %s cores = %.1f s on an idle machine at best\n' \
    "$N_BIG" "$cpu_big" "$cores" "$(echo "$cpu_big / $cores" | bc -l)"
