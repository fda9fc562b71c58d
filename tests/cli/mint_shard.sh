# tests/cli/mint_shard.sh: `mint euicc --shard I/N` (docs/mint.md, "Sharding"). Four shards
# of 2,000 brainpoolP256r1 eUICCs each, run side by side by GNU parallel as four hosts would
# run them, concatenated with `cat` in shard order, must be byte for byte the bundle of one
# run of 8,000 with the same seed (shard 0 carries the header line, the others records
# only). Also: a shard resumes after a cut (and refuses another shard's file, unchanged),
# and --shard's usage errors (exit 2). Skipped without GNU parallel (scripts/deps.sh).
# Run by ctest as: bash mint_shard.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

RUN=(mint euicc --profile "$SRC/profiles/sgp26.yaml" --issuer o-eum --curve brp
    --first-eid 89049032123451234512345678901235 --count 8000 --seed 5eed --clock 2025-01-01T00:00:00Z -q)

run "$CLI" "${RUN[@]}" -j 2 -o "$T/one.jsonl"
check "one run of 8,000: exit 0" rc_is 0
check "one run: a header and 8,000 records" test "$(wc -l <"$T/one.jsonl")" -eq 8001

if command -v parallel >/dev/null; then
    run parallel --will-cite --halt now,fail=1 -j 4 "$CLI" "${RUN[@]}" -j 1 --shard {}/4 -o "$T/shard-{}.jsonl" ::: 0 1 2 3
    check "4 shards under GNU parallel: exit 0" rc_is 0
    check "shard 0: the header and 2,000 records" test "$(wc -l <"$T/shard-0.jsonl")" -eq 2001
    check "shard 3: 2,000 records from record 6000, no header" eval '[ "$(wc -l <"$T/shard-3.jsonl")" -eq 2000 ] && [ "$(head -1 "$T/shard-3.jsonl")" = "$(sed -n 6002p "$T/one.jsonl")" ] && head -c 14 "$T/shard-3.jsonl" | grep -q "^{\"index\":6000,"'
else
    skip "GNU parallel is not installed (scripts/deps.sh installs it): the shards run one by one"
    for i in 0 1 2 3; do "$CLI" "${RUN[@]}" -j 1 --shard $i/4 -o "$T/shard-$i.jsonl"; done
fi
cat "$T"/shard-{0,1,2,3}.jsonl >"$T/cat.jsonl"
check "cat of the 4 shards = the single run (cmp)" cmp "$T/cat.jsonl" "$T/one.jsonl"

# ---- a shard resumes; another shard's file is refused, unchanged ----
head -c 300000 "$T/shard-2.jsonl" >"$T/cut.jsonl"
run "$CLI" "${RUN[@]}" --shard 2/4 -o "$T/cut.jsonl" --resume
check "shard 2 resumed after a cut: exit 0" rc_is 0
check "the resumed shard = the whole shard (cmp)" cmp "$T/cut.jsonl" "$T/shard-2.jsonl"
cp "$T/shard-1.jsonl" "$T/other.jsonl"
run "$CLI" "${RUN[@]}" --shard 2/4 -o "$T/other.jsonl" --resume
check "--resume of shard 2 onto shard 1's file: exit 2, names the first record" eval '[ "$rc" -eq 2 ] && err_has "does not start with record 4000 of this run"'
check "shard 1's file unchanged" cmp "$T/other.jsonl" "$T/shard-1.jsonl"
cp "$T/one.jsonl" "$T/whole.jsonl"
run "$CLI" "${RUN[@]}" --shard 3/4 -o "$T/whole.jsonl" --resume
check "--resume of shard 3 onto the single run's bundle: exit 2" rc_is 2
check "the single run's bundle unchanged" cmp "$T/whole.jsonl" "$T/one.jsonl"
run "$CLI" "${RUN[@]}" --shard 0/4 -o "$T/shard-0.jsonl" --resume
check "--resume of a complete shard 0: exit 0, nothing added" eval '[ "$rc" -eq 0 ] && [ "$(wc -l <"$T/shard-0.jsonl")" -eq 2001 ]'

# ---- usage ----
for bad in 4/4 1/0 -1/4 a/4 1/4x 1 /4; do
    run "$CLI" "${RUN[@]}" --shard "$bad" -o "$T/bad.jsonl"
    check "--shard '$bad': exit 2, nothing written" eval '[ "$rc" -eq 2 ] && err_has "--shard takes I/N" && [ ! -e "$T/bad.jsonl" ]'
done
run "$CLI" mint euicc --issuer o-eum --first-eid 89049032123451234512345678901235 --count 3 --shard 0/4 -o "$T/bad.jsonl"
check "--shard 0/4 of --count 3: exit 2" eval '[ "$rc" -eq 2 ] && err_has "more shards than --count 3"'
run "$CLI" "${RUN[@]}" --shard 1/4 --layout files -o "$T/dir"
check "--shard with --layout files: exit 2" eval '[ "$rc" -eq 2 ] && err_has "--shard works with JSON Lines bundles only"'
finish
