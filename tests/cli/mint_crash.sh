# tests/cli/mint_crash.sh: a mint bundle survives kill -9 and a full disk.
#
# 1. kill -9 at random points of a seeded NIST mint (random byte offsets of the bundle, and
#    one random moment that may fall before the first record), each followed by
#    `--resume`; the final bundle must be identical (cmp) to an uninterrupted run, have the
#    header and N records, every line a well-formed record with a valid EID (MOD 97-10),
#    indexes 0..N-1 and EIDs consecutive with no gap or duplicate.
# 2. A full disk (a 2 MiB tmpfs; needs root and mount, else this part is skipped and the
#    script ends with 77): the free-space check refuses a run too large for it (exit 2,
#    nothing written); with --no-space-check the write fails with a clear error (exit 1)
#    and the bundle ends with a complete record; --resume then refuses by the free space
#    without changing a byte.
# Small scale (ctest): 20 000 records, 5 kills. RSPG_FULL=1: 2 000 000 records, 20 kills
# (prints the timings). RSPG_CRASH_COUNT / RSPG_CRASH_KILLS override both.
# Run by ctest as: bash mint_crash.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

if [ "${RSPG_FULL:-0}" = 1 ]; then N=2000000 KILLS=20; else N=20000 KILLS=5; fi
N=${RSPG_CRASH_COUNT:-$N}
KILLS=${RSPG_CRASH_KILLS:-$KILLS}
EID=89049032123451234512345678901235
ARGS=(mint euicc --issuer o-eum --curve nist --first-eid $EID --count "$N" -j 2
    --seed 5eed --clock 2025-01-01T00:00:00Z -q)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b - a}'; }

# ---- 1. kill -9 and --resume ----
t0=$(now)
run "$CLI" "${ARGS[@]}" -o "$T/ref.jsonl"
check "the uninterrupted run ($N records): exit 0" rc_is 0
t1=$(now)
size=$(stat -c %s "$T/ref.jsonl")
echo "info   uninterrupted: $N records, $size bytes in $(secs "$t0" "$t1") s"

# the kill points: KILLS-1 random byte offsets of the bundle, sorted, and one random
# moment (0 to 0.5 s after the start) first
mapfile -t points < <(awk -v n="$((KILLS - 1))" -v size="$size" -v seed="${RSPG_CRASH_SEED:-$RANDOM}" \
    'BEGIN{srand(seed); for (i = 0; i < n; i++) printf "%d\n", 1 + rand() * (size - 1)}' | sort -n)
killed=0
resumed=0
first=1
for p in early "${points[@]}"; do
    "$CLI" "${ARGS[@]}" -o "$T/killed.jsonl" --resume 2>>"$T/resume.log" &
    pid=$!
    if [ "$p" = early ]; then
        sleep "$(awk -v s="$RANDOM" 'BEGIN{srand(s); printf "%.2f", rand() * 0.5}')"
    else
        while kill -0 "$pid" 2>/dev/null && [ "$(stat -c %s "$T/killed.jsonl" 2>/dev/null || echo 0)" -lt "$p" ]; do
            sleep 0.02
        done
    fi
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null
    [ "$first" = 1 ] || resumed=$((resumed + 1))
    first=0
done
run "$CLI" "${ARGS[@]}" -o "$T/killed.jsonl" --resume
check "the last --resume: exit 0" rc_is 0
check "no resume was refused" eval '! grep -q error "$T/resume.log"'
t2=$(now)
echo "info   $killed kill -9 (of $KILLS points), $((resumed + 1)) resumes: $(secs "$t1" "$t2") s"
check "$killed processes killed with SIGKILL (at least $((KILLS - 1)))" test "$killed" -ge $((KILLS - 1))
check "the resumed bundle is identical to the uninterrupted run (cmp)" cmp -s "$T/killed.jsonl" "$T/ref.jsonl"
check "the header and $N records" test "$(wc -l <"$T/killed.jsonl")" -eq $((N + 1))
check "the bundle ends with a complete record" test "$(tail -c 1 "$T/killed.jsonl" | od -An -c | tr -d ' ')" = '\n'
# every record well-formed, index = line - 2, a valid EID (MOD 97-10) following the last
# one; the 30-digit EID body is compared in two halves of 15 digits (exact in a double)
awk '
NR == 1 { if ($0 !~ /^\{"rsp-pkigen-mint":1,"run":\{.*\}\}$/) { print "line 1: no header"; bad++ } next }
{
    if ($0 !~ /^\{"index":[0-9]+,"eid":"[0-9]+","serial":"00[0-9]+","certificate":"-----BEGIN CERTIFICATE-----\\n[A-Za-z0-9+\/=\\n]+-----END CERTIFICATE-----\\n","private_key":"-----BEGIN EC PRIVATE KEY-----\\n[A-Za-z0-9+\/=\\n]+-----END EC PRIVATE KEY-----\\n"\}$/) {
        print "line " NR ": not a record"; bad++; next
    }
    split($0, f, "\"")
    idx = substr(f[3], 2, length(f[3]) - 2) + 0
    eid = f[6]
    if (length(eid) != 32 || f[10] != "00" eid) { print "line " NR ": EID " eid " or serial " f[10]; bad++ }
    if (idx != NR - 2) { print "line " NR ": index " idx; bad++ }
    r = 0
    for (i = 1; i <= 32; i++) r = (r * 10 + substr(eid, i, 1)) % 97
    if (r != 1) { print "line " NR ": EID " eid " has wrong check digits"; bad++ }
    hi = substr(eid, 1, 15); lo = substr(eid, 16, 15) + 0
    if (NR > 2 && !((hi == phi && lo == plo + 1) || (hi == phi + 1 && lo == 0 && plo == 999999999999999))) {
        print "line " NR ": EID " eid " does not follow " peid; bad++
    }
    phi = hi; plo = lo; peid = eid
    if (bad > 10) exit 1
}
END { exit bad > 0 }' "$T/killed.jsonl" >"$T/awk.log" 2>&1
awk_rc=$?
check "every line a valid record, EIDs consecutive, no gap or duplicate" eval '[ "$awk_rc" -eq 0 ] || { head -5 "$T/awk.log"; false; }'
echo "info   checks: $(secs "$t2" "$(now)") s"
rm -f "$T/ref.jsonl" "$T/killed.jsonl"

# ---- 2. a full disk ----
disk_skipped=0
mkdir "$T/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m rspg-mint-full "$T/full" 2>/dev/null; then
    trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
    D=(mint euicc --issuer o-eum --curve nist --first-eid $EID --count 5000 -j 2 --seed 5eed
        --clock 2025-01-01T00:00:00Z)
    run "$CLI" "${D[@]}" -o "$T/full/b.jsonl"
    check "5000 records on a 2 MiB filesystem: refused (exit 2)" rc_is 2
    check "the message gives the estimate and the free space" err_has "5000 records need about 5."
    check "nothing written" absent "$T/full/b.jsonl"
    run "$CLI" "${D[@]}" -o "$T/full/b.jsonl" --no-space-check -q
    check "--no-space-check on a full disk: exit 1" rc_is 1
    check "a clear error" err_has "cannot write the bundle $T/full/b.jsonl: No space left on device; it ends with the last complete record"
    check "the bundle ends with a complete record" test "$(tail -c 1 "$T/full/b.jsonl" | od -An -c | tr -d ' ')" = '\n'
    lines=$(wc -l <"$T/full/b.jsonl")
    check "the header and whole records only ($((lines - 1)) records)" eval \
        'tail -n +2 "$T/full/b.jsonl" | grep -vc "^{\"index\":[0-9]*,\"eid\":\"[0-9]*\",.*\"}$" | grep -qx 0'
    cp "$T/full/b.jsonl" "$T/partial.jsonl"
    run "$CLI" "${D[@]}" -o "$T/full/b.jsonl" --resume
    check "--resume on the full disk: refused by the free space (exit 2)" eval '[ "$rc" -eq 2 ] && err_has "free (--no-space-check writes anyway)"'
    check "--resume on the full disk: not a byte changed" cmp -s "$T/full/b.jsonl" "$T/partial.jsonl"
    umount "$T/full"
else
    echo "skip   the full disk: mounting a tmpfs needs root (mount -t tmpfs)"
    disk_skipped=1
fi
if [ "$failed" -eq 0 ] && [ "$disk_skipped" = 1 ]; then
    echo "$passed passed, 0 failed; the full-disk part was skipped"
    exit 77
fi
finish
