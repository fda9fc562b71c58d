# tests/install/install.sh BUILDDIR SRCDIR: `cmake --install` into a scratch prefix (as a
# package would into DESTDIR), then the installed tool run from another folder: it finds its
# profiles under PREFIX/share/rsp-pkigen (mint's default template), builds and verifies from the
# installed sgp26.yaml, and the installed man pages render without warnings (groff -ww).
set -u
BUILD=$(cd "$1" && pwd) || exit 2
SRC=$(cd "$2" && pwd) || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/rspg-install-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
check() {
    local desc=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok     $desc"
    else
        failed=$((failed + 1))
        echo "FAILED $desc"
    fi
}
if ! command -v groff >/dev/null 2>&1; then
    echo "SKIPPED: groff is not installed"
    exit 77
fi
P=$T/prefix
cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1
check "cmake --install into a scratch prefix" test $? -eq 0
check "the binary" test -x "$P/bin/rsp-pkigen"
check "the profiles" test -f "$P/share/rsp-pkigen/profiles/sgp26.yaml"
check "rsp-pkigen(1)" test -f "$P/share/man/man1/rsp-pkigen.1"
check "rsp-pkigen-profile(5)" test -f "$P/share/man/man5/rsp-pkigen-profile.5"
check "bash completion" test -f "$P/share/bash-completion/completions/rsp-pkigen"
for page in "$P/share/man/man1/rsp-pkigen.1" "$P/share/man/man5/rsp-pkigen-profile.5"; do
    check "groff -ww renders $(basename "$page") without warnings" \
        eval '[ -z "$(groff -ww -z -man "$page" 2>&1)" ]'
done
check "the completion is valid bash" bash -n "$P/share/bash-completion/completions/rsp-pkigen"

# the installed tool, run from another folder (it looks under its own prefix first:
# flow/mint_default_profile.c, tested in test_mint_flow.c)
mkdir "$T/elsewhere"
cd "$T/elsewhere" || exit 2
"$P/bin/rsp-pkigen" mint euicc --issuer o-eum --first-eid 89049032123451234512345678901235 --count 5 \
    --seed 01 --clock 2025-01-01T00:00:00Z -q -o "$T/elsewhere/lot.jsonl" >"$T/out" 2>&1
check "mint from elsewhere with the installed default profile" eval '[ "$(wc -l <"$T/elsewhere/lot.jsonl")" -eq 6 ]'
"$P/bin/rsp-pkigen" build "$P/share/rsp-pkigen/profiles/sgp26.yaml" --variant O --curve nist -o "$T/elsewhere/o" -q \
    --seed 01 --clock 2025-01-01T00:00:00Z >"$T/out" 2>&1
check "build from the installed profile" test -f "$T/elsewhere/o/manifest.json"
"$P/bin/rsp-pkigen" verify "$T/elsewhere/o" >"$T/out" 2>&1
check "verify of that build" grep -q " 0 not$" "$T/out"
# a profile by name (flow/profile_locate.c): the installed share/rsp-pkigen/profiles
"$P/bin/rsp-pkigen" build private-root -o "$T/elsewhere/by-name" -q --seed 01 --clock 2025-01-01T00:00:00Z >"$T/out" 2>&1
check "build private-root (by name, from the installed profiles)" \
    eval 'grep -q "\"profile\": \"$P/share/rsp-pkigen/profiles/private-root.yaml\"" "$T/elsewhere/by-name/manifest.json"'

# the library, used by a program outside the project (tests/install/consumer/consumer.c)
check "librspg" eval 'ls "$P"/lib*/librspg.* >/dev/null 2>&1'
check "the public headers" test -f "$P/include/rspg/report/graph.h"
pc=$(find "$P" -name rspg.pc -print -quit)
check "rspg.pc" test -n "$pc"
cfg=$(find "$P" -name rspgConfig.cmake -print -quit)
check "rspgConfig.cmake, its version file and targets" \
    eval '[ -n "$cfg" ] && [ -f "$(dirname "$cfg")/rspgConfigVersion.cmake" ] && [ -f "$(dirname "$cfg")/rspgTargets.cmake" ]'
PROFILE=$P/share/rsp-pkigen/profiles/private-root.yaml
if command -v pkg-config >/dev/null 2>&1 && [ -n "$pc" ]; then
    flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs rspg)
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror "$SRC/tests/install/consumer/consumer.c" -o "$T/consumer-pc" $flags >"$T/cc.log" 2>&1
    check "a program compiles and links with pkg-config --cflags --libs rspg" test $? -eq 0
    # a shared librspg outside the loader's paths is found as a user would point at it
    LD_LIBRARY_PATH="$(dirname "$(dirname "$pc")")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$T/consumer-pc" "$PROFILE" "$T/elsewhere/lib-pc" >"$T/out" 2>&1
    check "that program builds private-root and graphs it" grep -q "^eid 89049032123451234512345678901235, 12 certificates, [0-9]* bytes of DOT$" "$T/out"
fi
cmake -S "$SRC/tests/install/consumer" -B "$T/consumer-cmake" -DCMAKE_PREFIX_PATH="$P" >"$T/cmake.log" 2>&1 &&
    cmake --build "$T/consumer-cmake" >>"$T/cmake.log" 2>&1
check "a program builds with find_package(rspg) and rspg::rspg" test $? -eq 0
"$T/consumer-cmake/consumer" "$PROFILE" "$T/elsewhere/lib-cmake" >"$T/out" 2>&1
check "that program runs" grep -q "^eid 89049032123451234512345678901235, 12 certificates" "$T/out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
