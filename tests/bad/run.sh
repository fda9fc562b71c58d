#!/usr/bin/env bash
# tests/bad/run.sh CLI SRCDIR [CASE...]: the catalogue of bad inputs. Each folder under
# tests/bad/cases/ is one whole-CLI run that must fail cleanly:
#   cmd      the command (bash; run in an empty scratch folder $W, which must still be
#            empty afterwards: no output, no temporary folder, nothing half-written)
#   status   the expected exit status (1 or 2)
#   stderr   the expected stderr, line by line (usually one "rsp-pkigen: error: ..." line,
#            with FILE:LINE:COL when it comes from a profile); a line ending in "..." is a
#            prefix (for messages that list every accepted key)
#   setup    optional (bash): makes large or generated inputs in $IN before the run
#   other    the inputs (profiles, keys, certificates) the command reads from $CASE
# Variables for cmd and setup: $CLI, $SRC, $CASE (the case folder, read-only), $IN (a
# scratch folder for generated inputs), $W (the working folder). In `stderr`, @CASE@, @IN@,
# @W@ and @SRC@ stand for those paths. Every run is limited to 60 s and, unless the binary
# is built with ASan, to 1 GiB of address space, so a case that would exhaust memory fails.
# Checks: the status (a signal is a crash), the stderr, nothing on stdout unless the case
# has a `stdout` file (then the stdout is compared too, in the same way), $W empty, $IN and $CASE unchanged.
# Ends with "N passed, M failed". RSPG_BAD_RECORD=1 rewrites status, stderr and stdout of
# the cases run from what the binary prints (to add a case; review the diff).
set -u
if [ $# -lt 2 ]; then
    echo "usage: bash $0 CLI SRCDIR [CASE...]" >&2
    exit 2
fi
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
shift 2
CASES=$SRC/tests/bad/cases
T=$(mktemp -d "${TMPDIR:-/tmp}/rspg-bad-XXXXXX") || exit 2
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
export LC_ALL=C CLI SRC
unset SOURCE_DATE_EPOCH RSPG_PKCS11_PIN

# A memory limit unless the binary is instrumented (ASan reserves terabytes of address space).
memlimit=""
if (ulimit -v 1048576 && "$CLI" --version) >/dev/null 2>&1; then
    memlimit="ulimit -v 1048576;"
fi

listing() { (cd "$1" && find . -mindepth 1 -printf '%p %s %m\n' | sort); }

# same_text ACTUAL EXPECTED: equal line by line; an expected line ending in "..." matches
# any line that starts with what comes before the "..." (for messages that list every
# accepted key, which grow as the format does).
same_text() {
    local -a got want
    mapfile -t got <<<"$1"
    mapfile -t want <<<"$2"
    [ ${#got[@]} -eq ${#want[@]} ] || return 1
    local i
    for i in "${!want[@]}"; do
        if [[ ${want[$i]} == *... ]]; then
            [[ ${got[$i]} == "${want[$i]%...}"* ]] || return 1
        else
            [ "${got[$i]}" = "${want[$i]}" ] || return 1
        fi
    done
}

passed=0
failed=0
if [ $# -gt 0 ]; then names=("$@"); else
    names=()
    for d in "$CASES"/*/; do names+=("$(basename "$d")"); done
fi
for name in "${names[@]}"; do
    CASE=$CASES/$name
    if [ ! -f "$CASE/cmd" ] || [ ! -f "$CASE/status" ] || [ ! -f "$CASE/stderr" ]; then
        echo "FAILED $name: needs cmd, status and stderr"
        failed=$((failed + 1))
        continue
    fi
    IN=$T/$name/in
    W=$T/$name/w
    mkdir -p "$IN" "$W"
    export CASE IN W
    if [ -f "$CASE/setup" ] && ! (cd "$IN" && bash "$CASE/setup") >"$T/$name/setup.log" 2>&1; then
        echo "FAILED $name: setup failed"
        sed 's/^/       /' "$T/$name/setup.log" | head -5
        failed=$((failed + 1))
        continue
    fi
    before_in=$(listing "$IN")
    before_case=$(listing "$CASE")
    (cd "$W" && eval "$memlimit" && exec timeout -k 5 60 bash "$CASE/cmd") \
        >"$T/$name/out" 2>"$T/$name/err" </dev/null
    rc=$?
    want=$(cat "$CASE/status")
    expected=$(sed -e "s|@CASE@|$CASE|g" -e "s|@IN@|$IN|g" -e "s|@W@|$W|g" -e "s|@SRC@|$SRC|g" \
        "$CASE/stderr")
    if [ -n "${RSPG_BAD_RECORD:-}" ]; then
        # record mode: write what this run printed as the case's expectation (review the diff)
        unsub() { sed -e "s|$IN|@IN@|g" -e "s|$W|@W@|g" -e "s|$CASE|@CASE@|g" -e "s|$SRC|@SRC@|g" "$1"; }
        unsub "$T/$name/err" >"$CASE/stderr"
        if [ -s "$T/$name/out" ]; then unsub "$T/$name/out" >"$CASE/stdout"; fi
        echo "$rc" >"$CASE/status"
        expected=$(sed -e "s|@CASE@|$CASE|g" -e "s|@IN@|$IN|g" -e "s|@W@|$W|g" -e "s|@SRC@|$SRC|g" \
            "$CASE/stderr")
        want=$rc
    fi
    problems=()
    if [ "$rc" -ge 124 ]; then
        problems+=("exit $rc: a crash, a signal or the 60 s time limit (expected $want)")
    elif [ "$rc" != "$want" ]; then
        problems+=("exit $rc, expected $want")
    fi
    same_text "$(cat "$T/$name/err")" "$expected" || problems+=("stderr differs")
    if [ -f "$CASE/stdout" ]; then
        same_text "$(cat "$T/$name/out")" "$(sed -e "s|@CASE@|$CASE|g" -e "s|@IN@|$IN|g" -e "s|@W@|$W|g" "$CASE/stdout")" ||
            problems+=("stdout differs")
    elif [ -s "$T/$name/out" ]; then
        problems+=("unexpected stdout")
    fi
    left=$(cd "$W" && find . -mindepth 1 -maxdepth 3 | head -5 | tr '\n' ' ')
    [ -z "$left" ] && [ -n "$(find "$W" -maxdepth 0 -perm -u+w)" ] || problems+=("left behind in the working folder: $left")
    [ "$(listing "$IN")" = "$before_in" ] || problems+=("the inputs changed")
    [ "$(listing "$CASE")" = "$before_case" ] || problems+=("the case folder changed")
    if [ ${#problems[@]} -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok     $name"
    else
        failed=$((failed + 1))
        echo "FAILED $name: $(IFS=';'; echo "${problems[*]}")"
        echo "       expected stderr: $(echo "$expected" | head -3)"
        sed 's/^/       stderr: /' "$T/$name/err" | head -5
        sed 's/^/       stdout: /' "$T/$name/out" | head -3
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
