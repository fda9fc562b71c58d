#!/usr/bin/env bash
# bulk.sh: measures `rsp-pkigen mint euicc` against the floor (a keygen + sign loop on
# libcrypto) and against the openssl CLI, in one run on this machine, and prints
# certificates per second and the ratios the bulk-minting issue sets as targets:
#   -j 1 >= 70% of the keygen+sign loop; -j 2 >= 1.8 x -j 1; 1,000,000 NIST in < 60 s;
#   peak memory for N = 1,000,000 <= N = 10,000 + a few MiB.
# Run by hand (not in CI): ./bench/bulk.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
N_NIST=100000; N_BRP=10000; N_BIG=1000000; N_CLI=200
if [ "$quick" = "--quick" ]; then N_NIST=20000; N_BRP=2000; N_BIG=100000; N_CLI=50; fi
cores=$(nproc)

cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench -j"$cores" >/dev/null
cli=./build/bench/rsp-pkigen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/keygen_sign" bench/keygen_sign.c -lcrypto -lpthread

"$cli" build profiles/sgp26.yaml -o "$work/pki" --only o-eum --seed 01 -q
eum="$work/pki/Valid Test Cases/Variant O/EUM"
mint() { # curve count jobs
    local crt="$eum/CERT_EUM_SIG_$1.der" key="$eum/SK_EUM_SIG_$1.pem" t0 t1
    t0=$(date +%s.%N)
    "$cli" mint euicc --issuer-cert "$crt" --issuer-key "$key" --first-eid 89049032000000000000000000000066 \
        --count "$2" -j "$3" -q -o "$work/out.jsonl" --force
    t1=$(date +%s.%N)
    echo "$2 / ($t1 - $t0)" | bc -l
}
rate() { printf '%8.0f' "$1"; }

floor_nist_1=$("$work/keygen_sign" prime256v1 "$N_NIST" 1)
floor_nist_n=$("$work/keygen_sign" prime256v1 "$N_NIST" "$cores")
floor_brp_1=$("$work/keygen_sign" brainpoolP256r1 "$N_BRP" 1)
mint_nist_1=$(mint NIST "$N_NIST" 1)
mint_nist_n=$(mint NIST "$N_NIST" "$cores")
mint_brp_1=$(mint BRP "$N_BRP" 1)
mint_brp_n=$(mint BRP "$N_BRP" "$cores")

# the openssl CLI: one key and one req -x509 signed by the EUM per card (the fast way)
openssl ec -in "$eum/SK_EUM_SIG_NIST.pem" -out "$work/eum.key" 2>/dev/null
openssl x509 -inform der -in "$eum/CERT_EUM_SIG_NIST.der" -out "$work/eum.pem"
t0=$(date +%s.%N)
for i in $(seq 1 "$N_CLI"); do
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/k.pem" \
        -subj "/C=ES/O=RSP Test EUM/serialNumber=8904903200000000000000000000$i/CN=Test eUICC" \
        -x509 -CA "$work/eum.pem" -CAkey "$work/eum.key" -days 3650 -out "$work/c.pem" 2>/dev/null
done
t1=$(date +%s.%N)
cli_rate=$(echo "$N_CLI / ($t1 - $t0)" | bc -l)

# a million (or the quick count), and peak memory against a small run
big_t0=$(date +%s.%N)
/usr/bin/time -f %M -o "$work/mem_big" "$cli" mint euicc --issuer-cert "$eum/CERT_EUM_SIG_NIST.der" \
    --issuer-key "$eum/SK_EUM_SIG_NIST.pem" --first-eid 89049032000000000000000000000066 \
    --count "$N_BIG" -q -o "$work/big.jsonl" --force
big_t1=$(date +%s.%N)
/usr/bin/time -f %M -o "$work/mem_small" "$cli" mint euicc --issuer-cert "$eum/CERT_EUM_SIG_NIST.der" \
    --issuer-key "$eum/SK_EUM_SIG_NIST.pem" --first-eid 89049032000000000000000000000066 \
    --count 10000 -q -o "$work/small.jsonl" --force
big_s=$(echo "$big_t1 - $big_t0" | bc -l)

echo "rsp-pkigen bulk minting, $(nproc) cores, $(openssl version | cut -d' ' -f1-2)"
echo
printf '%-44s %10s\n' "what" "certs/s"
printf '%-44s %10s\n' "keygen+sign loop, P-256, 1 thread (floor)" "$(rate "$floor_nist_1")"
printf '%-44s %10s\n' "keygen+sign loop, P-256, $cores threads" "$(rate "$floor_nist_n")"
printf '%-44s %10s\n' "keygen+sign loop, brainpoolP256r1, 1 thread" "$(rate "$floor_brp_1")"
printf '%-44s %10s\n' "mint euicc NIST -j 1 (N=$N_NIST)" "$(rate "$mint_nist_1")"
printf '%-44s %10s\n' "mint euicc NIST -j $cores" "$(rate "$mint_nist_n")"
printf '%-44s %10s\n' "mint euicc BRP -j 1 (N=$N_BRP)" "$(rate "$mint_brp_1")"
printf '%-44s %10s\n' "mint euicc BRP -j $cores" "$(rate "$mint_brp_n")"
printf '%-44s %10s\n' "openssl CLI, req -x509 per card (N=$N_CLI)" "$(rate "$cli_rate")"
echo
printf 'ratio mint -j1 / floor (NIST):   %.2f   (target >= 0.70)\n' "$(echo "$mint_nist_1 / $floor_nist_1" | bc -l)"
printf 'ratio mint -j1 / floor (BRP):    %.2f\n' "$(echo "$mint_brp_1 / $floor_brp_1" | bc -l)"
printf 'ratio mint -j%s / -j1 (NIST):     %.2f   (target >= 1.80 on 2 cores)\n' "$cores" "$(echo "$mint_nist_n / $mint_nist_1" | bc -l)"
printf 'ratio mint -j%s / openssl CLI:    %.0f\n' "$cores" "$(echo "$mint_nist_n / $cli_rate" | bc -l)"
printf '%s NIST certificates: %.1f s (target < 60 s for 1,000,000)\n' "$N_BIG" "$big_s"
printf 'peak RSS: N=%s %s KiB, N=10000 %s KiB (target: within a few MiB)\n' "$N_BIG" "$(cat "$work/mem_big")" "$(cat "$work/mem_small")"
