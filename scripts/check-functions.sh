#!/usr/bin/env bash
# scripts/check-functions.sh [-n N] [--list] [FILE|DIR...]: no C function in src/ longer than N
# lines (default 80), apart from those named in scripts/long-functions.allow.
#
# A function's length is the number of lines strictly between the opening and the closing
# brace of a top-level function definition (its body; the signature and the two brace lines
# are not counted). Functions are found as the repository's .clang-format writes them
# (BreakBeforeBraces: Linux): the body opens with a `{` alone in column 0 (or a signature
# line in column 0 ending in `) {`) and closes at the next `}` in column 0. Tables, structs
# and enums open with `= {` / `struct x {` and are not functions.
#
# scripts/long-functions.allow: one `path:function reason...` per line (# comments); the
# reason is required. An entry that no longer names a long function is reported as stale
# (a warning: delete it).
#   -n N      the limit (default 80)
#   --list    prints every function as `path:line: function: N lines` (longest first) and
#             exits 0: to see the sizes, and to check the finder on known functions
# Exit status: 0 when every long function is allowed, 1 otherwise, 2 on usage errors.
set -euo pipefail
cd "$(dirname "$0")/.."

max=80
list=0
allow=scripts/long-functions.allow
while [ $# -gt 0 ]; do
    case $1 in
    -n)
        max=${2:?-n needs a number}
        shift 2
        ;;
    --list)
        list=1
        shift
        ;;
    -*)
        echo "usage: scripts/check-functions.sh [-n N] [--list] [FILE|DIR...]" >&2
        exit 2
        ;;
    *) break ;;
    esac
done
case $max in '' | *[!0-9]*)
    echo "check-functions: -n wants a number of lines, not '$max'" >&2
    exit 2
    ;;
esac
[ $# -gt 0 ] || set -- src

files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$@" -type f -name '*.c' -print0 | sort -z)
[ ${#files[@]} -gt 0 ] || { echo "check-functions: no C files under $*" >&2; exit 2; }

# One line per function: PATH<TAB>LINE<TAB>NAME<TAB>BODY_LINES.
measure() {
    awk '
    FNR == 1 { sig = ""; in_body = 0; in_comment = 0 }
    # Comments (block comments may span lines) do not start signatures.
    {
        line = $0
        if (in_comment) {
            if (line ~ /\*\//) { in_comment = 0; sub(/.*\*\//, "", line) } else next
        }
        gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", line)
        if (line ~ /\/\*/) { in_comment = 1; sub(/\/\*.*/, "", line) }
        sub(/\/\/.*/, "", line)
    }
    in_body {
        if ($0 ~ /^}/) {
            print FILENAME "\t" start "\t" name "\t" (FNR - start - 1)
            in_body = 0; sig = ""
        }
        next
    }
    # A top-level statement ends: a blank line, a preprocessor line, `;` or `}` at the end.
    line ~ /^[ \t]*$/ || line ~ /^#/ { sig = ""; next }
    line ~ /^{[ \t]*$/ && sig ~ /\(/ { name = fname(sig); if (name != "") { start = FNR; in_body = 1 }; sig = ""; next }
    line ~ /^[A-Za-z_].*\)[ \t]*{[ \t]*$/ && line !~ /=/ && line !~ /^(struct|union|enum|typedef)[ \t]/ {
        name = fname(sig " " line); sig = ""
        if (name != "") { start = FNR; in_body = 1 }
        next
    }
    line ~ /[;}][ \t]*$/ { sig = ""; next }
    { sig = sig " " line }
    # The function name: the identifier before the first parenthesis that is not an attribute.
    # (a type before a parenthesis, as in `void (*f(void))(int)`, is skipped).
    function fname(s,    t, id) {
        t = s
        gsub(/__attribute__[ \t]*\(\([^)]*\)\)/, "", t)
        if (t ~ /=/) return ""
        while (match(t, /[A-Za-z_][A-Za-z_0-9]*[ \t]*\(/)) {
            id = substr(t, RSTART, RLENGTH)
            sub(/[ \t]*\($/, "", id)
            t = substr(t, RSTART + RLENGTH)
            if (id !~ /^(void|char|short|int|long|float|double|signed|unsigned|const|static|inline|extern|struct|union|enum|_Bool|bool|size_t)$/)
                return id
        }
        return ""
    }
    ' "${files[@]}"
}

if [ "$list" = 1 ]; then
    measure | sort -t$'\t' -k4,4nr | awk -F'\t' '{ printf "%s:%s: %s: %d lines\n", $1, $2, $3, $4 }'
    exit 0
fi

declare -A allowed=()
if [ -f "$allow" ]; then
    n=0
    while IFS= read -r entry; do
        n=$((n + 1))
        case $entry in '' | '#'*) continue ;; esac
        key=${entry%%[[:space:]]*}
        reason=${entry#"$key"}
        if [ -z "${reason//[[:space:]]/}" ] || [[ $key != *:* ]]; then
            echo "check-functions: $allow:$n: wants 'path:function reason', got '$entry'" >&2
            exit 2
        fi
        allowed[$key]=0
    done <"$allow"
fi

bad=0
long=0
while IFS=$'\t' read -r path line name len; do
    [ "$len" -gt "$max" ] || continue
    long=$((long + 1))
    if [ -n "${allowed[$path:$name]+x}" ]; then
        allowed[$path:$name]=1
        continue
    fi
    echo "check-functions: $path:$line: $name is $len lines long (the limit is $max; split it)" >&2
    bad=$((bad + 1))
done < <(measure)
for key in "${!allowed[@]}"; do
    if [ "${allowed[$key]}" = 0 ]; then
        echo "check-functions: warning: $allow names $key, which is not a function over $max lines: delete the entry" >&2
    fi
done
if [ "$bad" -ne 0 ]; then
    echo "check-functions: $bad function(s) over $max lines not in $allow" >&2
    exit 1
fi
echo "check-functions: ${#files[@]} files; no function over $max lines apart from $long allowed in $allow"
