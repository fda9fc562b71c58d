# tests/cli/build_hostile.sh: `build` against a hostile or careless file system (issue 14,
# docs/hardening.md): two builds to one -o at once (exactly one writes; the other is
# refused with exit 1 naming the lock, or finds the finished folder); a lock held by
# another process (exit 1, its pid named, nothing touched); --force over a previous output
# that holds symbolic links (the links are removed, what they point to is not); an output
# path that escapes only after substitution (exit 2, nothing written anywhere); disk full
# during the build (a 1 MiB tmpfs, when we may mount one: exit 1, a clear error, no output
# folder, no temporary folder, no lock left).
# Run by ctest as: bash build_hostile.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

P=$SRC/profiles/sgp26.yaml
FIXED=(--seed 00112233 --clock 2025-01-01T00:00:00Z)
ONE=(--only o-ci --curve nist)
# no_leftovers DIR: nothing beside DIR but DIR itself (no .tmp-, .old- or .lock)
only_itself() { [ -z "$(find "$(dirname "$1")" -mindepth 1 -maxdepth 1 -name "$(basename "$1")?*")" ]; }

# ---- a lock held by another process ----
mkdir "$T/held"
exec 9>"$T/held/out.lock"
echo 31337 >&9
flock -n 9
run "$CLI" build "$P" "${ONE[@]}" "${FIXED[@]}" -o "$T/held/out"
check "lock held: exit 1" rc_is 1
check "lock held: the holder's pid named" err_is "rsp-pkigen: error: $T/held/out: another rsp-pkigen run (pid 31337) is writing it ($T/held/out.lock); nothing was done"
check "lock held: nothing written, the lock file untouched" eval '[ "$(ls -A "$T/held")" = out.lock ] && [ "$(cat "$T/held/out.lock")" = 31337 ]'
exec 9>&-
run "$CLI" build "$P" "${ONE[@]}" "${FIXED[@]}" -o "$T/held/out" -q
check "lock released: the build runs, the stale lock file is removed" eval 'rc_is 0 && [ "$(ls -A "$T/held")" = out ]'

# ---- two builds at once ----
mkdir "$T/race"
for i in 1 2 3; do
    rm -rf "$T/race/out"
    "$CLI" build "$P" "${FIXED[@]}" -o "$T/race/out" -q >"$T/race.1" 2>"$T/race.1e" &
    a=$!
    "$CLI" build "$P" "${FIXED[@]}" -o "$T/race/out" -q >"$T/race.2" 2>"$T/race.2e" &
    b=$!
    wait $a; ra=$?
    wait $b; rb=$?
    errs=$(cat "$T/race.1e" "$T/race.2e")
    check "race $i: one build writes, the other is refused" eval '[ $((ra + rb)) -ge 1 ] && { [ $ra -eq 0 ] || [ $rb -eq 0 ]; } && { [[ $errs == *"is writing it"* ]] || [[ $errs == *"already exists"* ]]; }'
    check "race $i: the folder is complete and verifies" eval '"$CLI" verify "$T/race/out" >/dev/null 2>&1 && [ "$(ls -A "$T/race")" = out ]'
done

# ---- --force over a previous output that holds symbolic links ----
mkdir -p "$T/links" "$T/precious"
echo keep >"$T/precious/file"
"$CLI" build "$P" "${ONE[@]}" "${FIXED[@]}" -o "$T/links/out" -q
ln -s "$T/precious" "$T/links/out/link-to-dir"
ln -s "$T/precious/file" "$T/links/out/link-to-file"
run "$CLI" build "$P" "${ONE[@]}" "${FIXED[@]}" -o "$T/links/out" --force -q
check "--force over links: replaced" eval 'rc_is 0 && [ ! -L "$T/links/out/link-to-dir" ] && only_itself "$T/links/out"'
check "--force over links: what they point to is kept" eval '[ "$(cat "$T/precious/file")" = keep ]'

# ---- an escape after substitution: nothing written anywhere ----
mkdir -p "$T/esc/w"
sed 's/suffix: NIST/suffix: "."/' "$P" >"$T/esc/p.yaml"
if grep -q 'suffix: "\."' "$T/esc/p.yaml"; then
    sed -i 's|cert: CERT_CI_SIG_${CURVE}.der|cert: ".${CURVE}/CERT_CI.der"|' "$T/esc/p.yaml"
    run "$CLI" build "$T/esc/p.yaml" "${FIXED[@]}" -o "$T/esc/w/out"
    check "escape via the suffix: exit 2, located" eval 'rc_is 2 && err_has "output path" && err_has "has a '"'"'.'"'"' or '"'"'..'"'"' component"'
    check "escape via the suffix: nothing written" eval '[ -z "$(ls -A "$T/esc/w")" ] && [ "$(ls -A "$T/esc")" = "p.yaml
w" ]'
fi

# ---- disk full: a 1 MiB tmpfs (root only) ----
mkdir "$T/full"
if mount -t tmpfs -o size=1m tmpfs "$T/full" 2>/dev/null; then
    run "$CLI" build "$P" "${FIXED[@]}" -o "$T/full/out"
    check "disk full: exit 1" rc_is 1
    check "disk full: a clear error" err_has "No space left on device"
    check "disk full: nothing torn (no folder, no temporary folder, no lock)" eval '[ -z "$(ls -A "$T/full")" ]'
    umount "$T/full"
else
    echo "skip   disk full (cannot mount a tmpfs here)"
fi

finish
