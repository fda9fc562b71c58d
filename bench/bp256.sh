#!/usr/bin/env bash
# bp256.sh: brainpoolP256r1 keygen + ECDSA-SHA256 signing per second (issue 15), in one run on
# this machine: libcrypto (the floor), the other libraries Debian 12 ships that implement the
# curve (libgcrypt, mbedTLS, Botan 2; each skipped when its -dev package is missing), and our
# module src/lib/crypto/bp256.c. The floor and ours run alternately, ROUNDS times each, so that
# load from other processes hits both; the table shows the best round of each and the ratio
# ours / floor (target >= 5), and ours on 2 threads against ours on 1.
#
#   ./bench/bp256.sh [--quick]     the table (about a minute; --quick: a few seconds)
#   ./bench/bp256.sh --check10m    10,000,000 random scalars: our public point against
#                                  libcrypto's EC_POINT_mul, and every 16th one signs a random
#                                  hash that libcrypto must verify (about 25 CPU-minutes;
#                                  threads: BP256_CHECK_THREADS, default every core; count:
#                                  BP256_CHECK_N, default 10000000)
#   ./bench/bp256.sh --ct          constant time: under valgrind memcheck, with d and k marked
#                                  undefined, lists every branch or memory index that depends
#                                  on them; fails unless each is one of the outcome checks the
#                                  code documents (d, k in range; the never-taken fallback;
#                                  r = 0; s = 0)
# Run by hand (not in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
N_FLOOR=3000; N_OTHER=1500; N_OURS=60000; ROUNDS=3
if [ "$mode" = "--quick" ]; then N_FLOOR=500; N_OTHER=300; N_OURS=10000; ROUNDS=2; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
defs=(-DHAVE_OURS) libs=()
if [ "$mode" = "--ct" ] && [ -f /usr/include/valgrind/memcheck.h ]; then defs+=(-DHAVE_VALGRIND -g); fi
if [ -f /usr/include/gcrypt.h ]; then defs+=(-DHAVE_GCRYPT); libs+=(-lgcrypt); fi
if [ -f /usr/include/mbedtls/ecdsa.h ]; then defs+=(-DHAVE_MBEDTLS); libs+=(-lmbedcrypto); fi
if pkg-config --exists botan-2 2>/dev/null; then
    defs+=(-DHAVE_BOTAN $(pkg-config --cflags botan-2)); libs+=($(pkg-config --libs botan-2))
fi
# -O2 as bench/keygen_sign.c and the RelWithDebInfo library build
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc/lib "${defs[@]}" -o "$work/bp256" bench/bp256.c \
    src/lib/crypto/bp256*.c "${libs[@]}" -lcrypto -lpthread
bench=$work/bp256

if [ "$mode" = "--check10m" ]; then
    t0=$(date +%s)
    n=${BP256_CHECK_N:-10000000}
    "$bench" check "$n" "${BP256_CHECK_THREADS:-$(nproc)}"
    echo "$n random scalars checked against libcrypto in $(($(date +%s) - t0)) s"
    exit 0
fi

if [ "$mode" = "--ct" ]; then
    command -v valgrind >/dev/null || { echo "bp256.sh --ct needs valgrind" >&2; exit 2; }
    valgrind --error-limit=no "$bench" ct 1 1 2>"$work/vg" | grep -qx ok || { echo "the ct harness failed" >&2; exit 1; }
    # the top frame of every report: "at 0x...: FUNCTION (FILE:LINE)"
    sites=$(grep -A1 -E 'Conditional jump|Use of uninitialised value' "$work/vg" |
        sed -nE 's/.* (at|by) 0x[0-9A-F]+: ([a-z_0-9]+) \(([a-z_0-9]+\.c):([0-9]+)\)/\2 \3 \4/p' | sort -u)
    allowed='in_range\(|comb\(&acc, k\) != 0|bp256_is_zero\(rl\)|bp256_is_zero\(sl\)'
    bad=0
    while read -r fn file line; do
        [ -z "$fn" ] && continue
        src=$(sed -n "${line}p" "src/lib/crypto/$file")
        if grep -qE "$allowed" <<<"$src"; then verdict="ok (documented)"; else verdict="SECRET-DEPENDENT"; bad=1; fi
        printf '%-18s %s:%-4s %-18s %s\n' "$fn" "$file" "$line" "$verdict" "$(sed 's/^ *//' <<<"$src")"
    done <<<"$sites"
    grep -q 'ERROR SUMMARY' "$work/vg" || { echo "valgrind did not run" >&2; exit 1; }
    [ $bad = 0 ] && echo "constant time: every secret-dependent branch is a documented outcome check"
    exit $bad
fi

best() { # the largest of the arguments
    printf '%s\n' "$@" | sort -n | tail -1
}
ratio() { echo "$1 / $2" | bc -l; }
# every run prints "<per wall second> <per CPU second>"
fw=() fc=() ow=() oc=() o2w=() rw=() rc=()
for r in $(seq 1 "$ROUNDS"); do
    read -r a b < <("$bench" openssl "$N_FLOOR" 1)
    read -r c d < <("$bench" ours "$N_OURS" 1)
    read -r e _ < <("$bench" ours "$N_OURS" 2)
    fw+=("$a") fc+=("$b") ow+=("$c") oc+=("$d") o2w+=("$e")
    rw+=("$(ratio "$c" "$a")") rc+=("$(ratio "$d" "$b")")
done
others=()
for m in gcrypt mbedtls botan; do
    if "$bench" "$m" 1 1 >/dev/null 2>&1; then
        read -r a b < <("$bench" "$m" "$N_OTHER" 1)
        others+=("$m" "$a" "$b")
    fi
done

f=$(best "${fw[@]}"); fcpu=$(best "${fc[@]}")
o=$(best "${ow[@]}"); ocpu=$(best "${oc[@]}"); o2=$(best "${o2w[@]}")
line() { # what wall cpu
    printf '%-42s %9.0f %9.0f %8.2f %8.2f\n' "$1" "$2" "$3" "$(ratio "$2" "$f")" "$(ratio "$3" "$fcpu")"
}
echo "brainpoolP256r1 keygen + ECDSA-SHA256 sign, $(nproc) cores, $(openssl version | cut -d' ' -f1-2)," \
    "load $(cut -d' ' -f1 /proc/loadavg)"
echo "(best of $ROUNDS alternating rounds for libcrypto and ours; one run for the others)"
echo
printf '%-42s %9s %9s %8s %8s\n' "what" "per s" "per CPU-s" "x floor" "x (CPU)"
line "libcrypto EVP, 1 thread (the floor)" "$f" "$fcpu"
i=0
while [ $i -lt ${#others[@]} ]; do
    line "${others[$i]}, 1 thread" "${others[$((i + 1))]}" "${others[$((i + 2))]}"
    i=$((i + 3))
done
line "ours (src/lib/crypto/bp256.c), 1 thread" "$o" "$ocpu"
printf '%-42s %9.0f %9s %8.2f\n' "ours, 2 threads" "$o2" "" "$(ratio "$o2" "$f")"
echo
printf 'ratio ours / libcrypto per round (wall): '
printf '%.2f ' "${rw[@]}"
printf '\nratio ours / libcrypto per round (CPU):  '
printf '%.2f ' "${rc[@]}"
echo
printf 'ratio ours / libcrypto, best (wall):     %.2f   (target >= 5)\n' "$(ratio "$o" "$f")"
printf 'ratio ours 2 threads / 1 thread (wall):  %.2f\n' "$(ratio "$o2" "$o")"
