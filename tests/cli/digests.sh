# tests/cli/digests.sh: behaviour is unchanged by refactoring. With a fixed --seed and
# --clock, `build` of every profile in profiles/ and `mint euicc --count 1000` must write
# exactly the files listed, with exactly the SHA-256 digests, in tests/data/output-digests.txt.
#
# When a change is meant to alter the output (a new field, a fixed encoding), regenerate the
# list with `bash tests/cli/digests.sh CLI SRCDIR SHAREDDIR --update` and say why in the
# commit message; every other difference is a regression.
# Run by ctest as: bash digests.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

LIST=$SRC/tests/data/output-digests.txt
UPDATE=0
[ "${4:-}" = "--update" ] && UPDATE=1
CI_KEYS=shared/reference/sgp26/1oT-YggdraSIM/Valid\ Test\ Cases/Variant\ O/CI
# relative to --key-dir (CI_KEYS), where a relative key file is looked up
BRP_KEY=../../../../osmo-ttcn3-hacks/CertificateIssuer/SK_CI_ECDSA_BRP.pem
if [ ! -d "$SHARED/reference/sgp26" ]; then
    echo "SKIPPED: $SHARED/reference/sgp26 (GSMA's published keys) is missing"
    exit 77
fi

FIXED=(--seed 00112233 --clock 2025-01-01T00:00:00Z)
mkdir "$T/o"
# built with relative paths through two links (src -> the checkout, shared -> SHAREDDIR): a
# manifest records the profile, --key-dir and --var as named (build.profile, build.key_dir,
# key_source), and must not depend on where the tree or ../shared is
mkdir "$T/w" && ln -s "$SRC" "$T/w/src" && ln -s "$SHARED" "$T/w/shared" && cd "$T/w" || exit 2
run "$CLI" build "src/profiles/sgp26.yaml" -o "$T/o/sgp26" "${FIXED[@]}"
check "build sgp26.yaml" rc_is 0
run "$CLI" build "src/profiles/private-root.yaml" -o "$T/o/private-root" "${FIXED[@]}"
check "build private-root.yaml" rc_is 0
run "$CLI" build "src/profiles/sgp02.yaml" -o "$T/o/sgp02" "${FIXED[@]}"
check "build sgp02.yaml" rc_is 0
# GSMA's dates are pinned: built at the profile's own clock (another --clock is refused)
run "$CLI" build "src/profiles/gsma-sgp26-v3.yaml" --key-dir shared/reference/sgp26 -o "$T/o/gsma-sgp26-v3" --seed 00112233
check "build gsma-sgp26-v3.yaml (GSMA's keys)" rc_is 0
run "$CLI" build "src/profiles/sgp26-renew-tls.yaml" --key-dir "$CI_KEYS" --var "ci_key_brp=$BRP_KEY" -o "$T/o/sgp26-renew-tls" "${FIXED[@]}"
check "build sgp26-renew-tls.yaml (GSMA's CI keys)" rc_is 0
mkdir "$T/o/mint"
for c in NIST BRP; do
    run "$CLI" mint euicc --profile "$SRC/profiles/sgp26.yaml" --issuer o-eum --curve "${c,,}" \
        --first-eid 89049032123451234512345678901235 --count 1000 -j 2 -q -o "$T/o/mint/euicc-$c.jsonl" "${FIXED[@]}"
    check "mint euicc --count 1000 ($c)" rc_is 0
done

# every profile of profiles/ is covered
for p in "$SRC"/profiles/*.yaml; do
    n=$(basename "$p" .yaml)
    check "profiles/$n.yaml is covered" test -d "$T/o/$n"
done

tree_sums "$T/o" >"$T/sums"
if [ "$UPDATE" = 1 ]; then
    cp "$T/sums" "$LIST"
    echo "updated $LIST ($(wc -l <"$LIST") files)"
fi
check "$(wc -l <"$T/sums") files, byte-identical to tests/data/output-digests.txt" cmp -s "$T/sums" "$LIST"
if ! cmp -s "$T/sums" "$LIST"; then
    diff "$LIST" "$T/sums" | head -20
fi
finish
