#!/usr/bin/env bash
# hsm_mint.sh: what an EUM key in a PKCS#11 token does to `rsp-pkigen mint euicc` (issue 15,
# docs/mint.md "The EUM key in one HSM is the bottleneck"). Makes a private SoftHSM2 token in
# a temporary folder with an EUM key per curve, builds profiles/sgp26.yaml with the
# Variant O EUM keys in the token (the CI stays a file), and mints the same lot twice per
# curve in one run: the EUM key as a file (-j cores, bp256 on brainpool) and the EUM key in
# the token (the HSM rule: one thread, the token's own nonces). Prints eUICCs per wall second and per
# CPU second, and the ratio. SoftHSM2 signs in software inside the process (no network, no
# hardware queue): a real HSM is slower per request and is shared, so read the token line
# as an upper bound for one token; the ratio shows what the single signing thread costs.
#
#   ./bench/hsm_mint.sh [COUNT] [ROUNDS]    COUNT eUICCs per run (default 5000), best of ROUNDS (3)
# Needs softhsm2-util, pkcs11-tool and the OpenSSL pkcs11 engine (scripts/deps.sh
# RSPG_HSM_PACKAGES). Run by hand (not in CI); `nice` it on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
ROUNDS=${2:-3}
cores=$(nproc)
for t in softhsm2-util pkcs11-tool; do
    command -v "$t" >/dev/null || { echo "bench/hsm_mint.sh: $t not found (apt-get install softhsm2 opensc libengine-pkcs11-openssl)" >&2; exit 2; }
done
module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so; do
    [ -f "$m" ] && module=$m && break
done
[ -n "$module" ] || { echo "bench/hsm_mint.sh: libsofthsm2.so not found" >&2; exit 2; }

cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench -j"$cores" >/dev/null
cli=$PWD/build/bench/rsp-pkigen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- a private token with the two EUM keys ----
mkdir -p "$work/hsm/tokens"
printf 'directories.tokendir = %s/hsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$work" \
    >"$work/hsm/softhsm2.conf"
export SOFTHSM2_CONF=$work/hsm/softhsm2.conf
pin=bench-PIN-1
softhsm2-util --init-token --free --label bench --pin "$pin" --so-pin bench-SO-1 >/dev/null
id=1
for c in NIST:prime256v1 BRP:brainpoolP256r1; do
    pkcs11-tool --module "$module" --token-label bench --login --pin "$pin" --keypairgen \
        --key-type "EC:${c#*:}" --label "eum-${c%%:*}" --id "0$id" >/dev/null 2>&1
    id=$((id + 1))
done
uri() { echo "pkcs11:token=bench;object=eum-$1?module-path=$module&pin-value=$pin"; }
cat >"$work/hsm.yaml" <<EOF
extends: $PWD/profiles/sgp26.yaml
entities:
  - {id: o-eum, key: {pkcs11: "pkcs11:token=bench;object=eum-\${CURVE}?module-path=$module"}}
EOF
RSPG_PKCS11_PIN=$pin "$cli" build "$work/hsm.yaml" -o "$work/pki" --only o-eum -q
eum="$work/pki/Valid Test Cases/Variant O/EUM"
"$cli" build profiles/sgp26.yaml -o "$work/soft" --only o-eum -q
soft="$work/soft/Valid Test Cases/Variant O/EUM"
first_eid=89049032000000000000000000000066 # in the SGP.26 EUM's EIN range, as bench/bulk.sh
# mint CERT KEY JOBS: "<per wall s> <per CPU s>" of the best of ROUNDS runs
mint() {
    local best_w=0 best_c=0 r w c
    for r in $(seq "$ROUNDS"); do
        /usr/bin/time -f '%e %U %S' -o "$work/time" "$cli" mint euicc --issuer-cert "$1" \
            --issuer-key "$2" --first-eid "$first_eid" --count "$N" -j "$3" -q \
            -o "$work/out.jsonl" --force >/dev/null
        read -r wall user sys <"$work/time"
        w=$(echo "$N / $wall" | bc -l)
        c=$(echo "$N / ($user + $sys)" | bc -l)
        best_w=$(printf '%s\n%s\n' "$best_w" "$w" | sort -g | tail -1)
        best_c=$(printf '%s\n%s\n' "$best_c" "$c" | sort -g | tail -1)
    done
    rm -f "$work/out.jsonl"
    echo "$best_w $best_c"
}
echo "rsp-pkigen mint euicc with the EUM key in SoftHSM2, $cores cores, N=$N," \
    "load $(cut -d' ' -f1 /proc/loadavg) (best of $ROUNDS)"
echo
printf '%-44s %10s %10s\n' "what" "per s" "per CPU-s"
for c in NIST BRP; do
    read -r sw sc <<<"$(mint "$soft/CERT_EUM_SIG_$c.der" "$soft/SK_EUM_SIG_$c.pem" "$cores")"
    read -r hw hc <<<"$(RSPG_PKCS11_PIN=$pin mint "$eum/CERT_EUM_SIG_$c.der" "$(uri "$c")" 1)"
    printf '%-44s %10.0f %10.0f\n' "$c: EUM key in a file, -j $cores" "$sw" "$sc"
    printf '%-44s %10.0f %10.0f\n' "$c: EUM key in SoftHSM2 (one thread)" "$hw" "$hc"
    printf '%-44s %10.2f\n' "$c: token / file (wall)" "$(echo "$hw / $sw" | bc -l)"
done
