# tests/cli/lib.bash: what the CLI test scripts share (sourced by tests/cli/*.sh; it is
# not a test itself). Each script is run by ctest as `bash SCRIPT CLI SRCDIR SHAREDDIR`.
#
# Provides: $CLI, $SRC, $SHARED; $T, a scratch folder removed on exit; run CMD... (sets
# $rc and captures $T/out and $T/err); check DESC CMD... (one line per check); expect_*
# helpers; skip WHY (records that a part could not run: missing data or tool); finish
# (prints "N passed, M failed, K skipped"; exits 1 on any failure, else 77 when anything
# was skipped (ctest's SKIP_RETURN_CODE: "Not Run", never "Passed"), else 0).

set -u
if [ $# -lt 2 ]; then
    echo "usage: bash $0 CLI SRCDIR [SHAREDDIR]" >&2
    exit 2
fi
CLI=$1
SRC=$2
SHARED=${3:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/rspg-cli-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
export LC_ALL=C
unset SOURCE_DATE_EPOCH

passed=0
failed=0
skipped=0

ok() {
    passed=$((passed + 1))
    echo "ok     $*"
}

not_ok() {
    failed=$((failed + 1))
    echo "FAILED $*"
}

# run CMD...: runs CMD with stdout in $T/out and stderr in $T/err; sets $rc.
run() {
    "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
}

# check DESC CMD...: one check.
check() {
    local desc=$1
    shift
    if "$@"; then
        ok "$desc"
    else
        not_ok "$desc"
        if [ -s "$T/err" ]; then sed 's/^/       stderr: /' "$T/err" | head -5; fi
    fi
}

# Predicates for check.
rc_is() { [ "$rc" -eq "$1" ]; }
out_empty() { [ ! -s "$T/out" ]; }
err_empty() { [ ! -s "$T/err" ]; }
out_has() { grep -qF -- "$1" "$T/out"; }
err_has() { grep -qF -- "$1" "$T/err"; }
out_is() { [ "$(cat "$T/out")" = "$1" ]; }
err_is() { [ "$(cat "$T/err")" = "$1" ]; }
absent() { [ ! -e "$1" ]; }
# no FOLDER.tmp-* / FOLDER.old-* beside FOLDER
no_leftovers() { [ -z "$(find "$(dirname "$1")" -maxdepth 1 -name "$(basename "$1").*-*" -print -quit)" ]; }

# tree_sums DIR: sha256 of every file, sorted by path (names have spaces)
tree_sums() {
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# skip WHY: a part of the script that cannot run here (say why); finish then exits 77.
skip() {
    skipped=$((skipped + 1))
    echo "SKIPPED: $*"
}

finish() {
    echo "$passed passed, $failed failed, $skipped skipped"
    if [ "$failed" -ne 0 ]; then exit 1; fi
    if [ "$skipped" -ne 0 ]; then exit 77; fi
    exit 0
}
