# tests/cli/eid.sh: `rsp-pkigen eid check|complete` as a user runs it: valid and invalid
# EIDs (status, one located line each), completion of 30 digits, '-' for standard input,
# --json, -q, usage errors.
# Run by ctest as: bash eid.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

GOOD=89049032123451234512345678901235
BAD=89049032123451234512345678901236

run "$CLI" eid check "$GOOD"
check "a valid EID: exit 0, nothing printed" eval 'rc_is 0 && out_empty && err_empty'
run "$CLI" eid check -v "$GOOD"
check "-v prints the valid EID" out_is "$GOOD: valid"
run "$CLI" eid check "$GOOD" "$BAD" 8904
check "invalid EIDs: exit 1, one line each with the reason" eval 'rc_is 1 && err_is "rsp-pkigen: error: EID '"'$BAD'"': wrong check digits (ISO/IEC 7064 MOD 97-10)
rsp-pkigen: error: EID '"'8904'"': an EID has exactly 32 digits"'
run "$CLI" eid check -q "$BAD"
check "-q: exit 1, silent" eval 'rc_is 1 && out_empty && err_empty'

run "$CLI" eid complete 890490321234512345123456789012
check "complete appends the check digits" eval 'rc_is 0 && out_is "$GOOD"'
# every completion checks: 20 random bodies
ok_all=1
for i in $(seq 20); do
    body=89$(od -An -N14 -tu1 /dev/urandom | tr -dc 0-9 | head -c 28)
    [ ${#body} -eq 30 ] || continue
    e=$("$CLI" eid complete "$body")
    "$CLI" eid check "$e" || ok_all=0
    [ "${e:0:30}" = "$body" ] || ok_all=0
done
check "20 random completions check" test "$ok_all" = 1
run "$CLI" eid complete 12345
check "complete of a wrong length: exit 1" eval 'rc_is 1 && err_has "expected 30 decimal digits"'

printf '%s\n%s\n' "$GOOD" "$BAD" >"$T/list"
"$CLI" eid check --json - <"$T/list" >"$T/out" 2>"$T/err"
rc=$?
check "'-' reads standard input; --json: one object per line" eval 'rc_is 1 && [ "$(wc -l <"$T/out")" = 2 ] && grep -q "\"valid\":false" "$T/out" && grep -q "\"reason\":\"wrong check digits" "$T/out"'

run "$CLI" eid
check "no action: usage error, exit 2" eval 'rc_is 2 && err_has "expected '"'check'"' or '"'complete'"'"'
run "$CLI" eid verify "$GOOD"
check "unknown action: exit 2" eval 'rc_is 2 && err_has "unknown action"'
run "$CLI" eid --help
check "--help on stdout" eval 'rc_is 0 && out_has "Usage: rsp-pkigen eid check"'
finish
