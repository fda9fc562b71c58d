# tests/cli/report.sh: `rsp-pkigen report` and `rsp-pkigen graph` as a user runs them, on the
# full SGP.26 build and on the private-root build: the page is written (-o FILE, -o -),
# byte-identical for the same --clock, under 2 MB, self-contained (no script, no external
# resource), and headless Chromium loads it without a console message and its DOM names
# every certificate file of the manifest (the screenshot is kept when RSPG_REPORT_SHOTS
# names a folder); `dot -Tsvg` accepts `graph` for every variant x curve; usage errors.
# SKIPPED (77) when chromium or Graphviz dot is missing (scripts/deps.sh installs both).
# Run by ctest as: bash report.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

CLOCK=2026-01-01T00:00:00Z
TODAY=2026-12-05T00:00:00Z
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
have_dot=1
command -v dot >/dev/null 2>&1 || have_dot=0

for p in sgp26 private-root; do
    run "$CLI" build "$SRC/profiles/$p.yaml" -o "$T/$p" -q --seed 01 --clock "$CLOCK"
    check "build $p" rc_is 0
done

# the page
for p in sgp26 private-root; do
    run "$CLI" report "$T/$p" -o "$T/$p.html" --clock "$TODAY"
    check "report $p: exit 0, one line naming the file" eval 'rc_is 0 && out_has "wrote $T/$p.html: " && err_empty'
    check "report $p: the verifier agrees everywhere" out_has "verifier agrees on"
    run "$CLI" report "$T/$p" -o - --clock "$TODAY"
    check "report $p -o -: the same bytes on stdout" eval 'rc_is 0 && cmp -s "$T/out" "$T/$p.html"'
    check "report $p: no script, no external resource" \
        eval '! grep -qiE "<script|<link|<img|<iframe|src=|url\(|href=\"(https?:)?//" "$T/$p.html"'
done
size=$(stat -c %s "$T/sgp26.html")
check "report of the full SGP.26 build is under 2 MB ($size bytes)" test "$size" -lt 2000000
run "$CLI" report "$T/sgp26" -o - --clock 2027-01-01T00:00:00Z
check "another --clock, another page (today is on it)" eval '! cmp -s "$T/out" "$T/sgp26.html"'

run "$CLI" report "$T/private-root" -o "$T/q.html" -q
check "-q: nothing printed" eval 'rc_is 0 && out_empty && err_empty && test -s "$T/q.html"'
run "$CLI" report "$T/private-root" -o "$T/j.html" --json --clock "$TODAY"
check "--json: the counts" eval 'rc_is 0 && out_has "\"certificates\": 42, \"crls\": 36, \"invalid_cases\": 0" && out_has "\"disagreed\": 0"'
run "$CLI" report "$T/private-root" -o "$T/v.html" -v
check "-v: the size and the time" eval 'rc_is 0 && err_has "bytes in"'

# usage and input errors
run "$CLI" report "$T/sgp26"
check "report without -o: exit 2" eval 'rc_is 2 && err_has "report needs -o FILE"'
run "$CLI" report "$T/sgp26" -o - --json
check "--json with -o -: exit 2" eval 'rc_is 2 && err_has "cannot go with -o -"'
run "$CLI" report "$T/sgp26" -o "$T/x.html" --clock yesterday
check "a bad --clock: exit 2" eval 'rc_is 2 && err_has "--clock '"'yesterday'"' is not a date"'
run "$CLI" report "$T/sgp26" -o "$T/x.html" --expiring-within 0
check "a bad --expiring-within: exit 2" eval 'rc_is 2 && err_has "--expiring-within takes a number of days"'
mkdir "$T/empty"
run "$CLI" report "$T/empty" -o "$T/x.html"
check "a folder without manifest: exit 1, named, nothing written" \
    eval 'rc_is 1 && err_has "empty/manifest.json: cannot read the manifest" && absent "$T/x.html"'
run "$CLI" report "$T/sgp26" -o "$T/no/such/dir/x.html"
check "an unwritable output: exit 1" eval 'rc_is 1 && err_has "cannot write the report"'

# graph: every variant x curve through dot
groups=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
s = set()
for a in m["artifacts"]:
    if a["kind"] == "certificate" and a.get("issuer") == a["path"]:
        for v in a.get("variants", [a.get("variant")]):
            s.add((v, a["curve"]))
print("\n".join(v + " " + c for v, c in sorted(s)))' "$T/sgp26/manifest.json")
check "sgp26 has 10 variant x curve hierarchies" test "$(wc -l <<<"$groups")" -eq 10
if [ "$have_dot" = 1 ]; then
    bad=""
    while read -r v c; do
        "$CLI" graph "$T/sgp26" --variant "$v" --curve "$c" >"$T/g.dot" 2>"$T/err" || bad="$bad $v/$c"
        grep -q "subgraph cluster_" "$T/g.dot" || bad="$bad $v/$c(empty)"
        dot -Tsvg "$T/g.dot" >"$T/g.svg" 2>"$T/dot.err" && [ ! -s "$T/dot.err" ] || bad="$bad $v/$c(dot)"
    done <<<"$groups"
    check "dot -Tsvg accepts graph of every variant x curve${bad:+ (not:$bad)}" test -z "$bad"
    run sh -c "'$CLI' graph '$T/private-root' | dot -Tsvg"
    check "dot -Tsvg accepts the whole private-root graph" eval 'rc_is 0 && out_has "<svg"'
else
    skip "Graphviz dot is not installed (apt-get install graphviz)"
fi
run "$CLI" graph "$T/sgp26" --variant D
check "graph --variant D: exit 2, the valid ones named" \
    eval 'rc_is 2 && err_has "no variant '"'D'"' in this build (valid: O, Ov3, A, B, C)"'
run "$CLI" graph "$T/private-root" --curve P-384
check "graph --curve P-384: exit 2, the valid ones named" \
    eval 'rc_is 2 && err_has "(valid: prime256v1, brainpoolP256r1)"'
run "$CLI" graph "$T/private-root" --variant O --curve nist -o "$T/o.dot"
check "graph -o FILE" eval 'rc_is 0 && out_empty && grep -q "Variant O / prime256v1" "$T/o.dot"'

# headless Chromium: loads without a console message, the DOM names every certificate
if [ -n "$CHROMIUM" ]; then
    browse() { # browse OUT ERR ARGS...: one headless run (no sandbox: tests may run as root)
        local out=$1 err=$2
        shift 2
        timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
            --user-data-dir="$T/chromium-profile" --enable-logging=stderr --v=0 "$@" >"$out" 2>"$err"
    }
    # the console check works: a page with a failing script is caught
    printf '<!DOCTYPE html><p>x</p><script>undefinedFn();</script>' >"$T/bad.html"
    browse "$T/bad.dom" "$T/bad.err" --dump-dom "file://$T/bad.html"
    check "the console check sees a script error" grep -q "CONSOLE.*undefinedFn" "$T/bad.err"
    for p in sgp26 private-root; do
        browse "$T/$p.dom" "$T/$p.browser" --dump-dom "file://$T/$p.html"
        check "chromium loads the $p page without a console message" \
            eval '[ -s "$T/$p.dom" ] && ! grep -q "CONSOLE" "$T/$p.browser"'
        missing=$(python3 -c '
import html, json, sys
m = json.load(open(sys.argv[1]))
dom = open(sys.argv[2], encoding="utf-8").read()
for a in m["artifacts"]:
    if a["kind"] in ("certificate", "cvc") and html.escape(a["path"], quote=False) not in dom:
        print(a["path"])' "$T/$p/manifest.json" "$T/$p.dom")
        check "the $p page (as Chromium built its DOM) names every certificate of the manifest${missing:+: missing $missing}" test -z "$missing"
        browse "$T/$p.shot.out" "$T/$p.shot.err" --screenshot="$T/$p.png" --window-size=1400,1800 "file://$T/$p.html"
        check "chromium screenshot of the $p page" eval '[ "$(head -c 4 "$T/$p.png" | od -An -c | tr -d " ")" = "211PNG" ]'
        if [ -n "${RSPG_REPORT_SHOTS:-}" ]; then cp "$T/$p.png" "$T/$p.html" "$RSPG_REPORT_SHOTS/"; fi
    done
else
    skip "chromium is not installed (apt-get install chromium)"
fi
finish
