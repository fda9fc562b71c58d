#!/usr/bin/env bash
# scripts/format.sh [--check] [FILE...]: the C sources formatted by clang-format with the
# repository's .clang-format (the reference is Debian's clang-format 14; other versions
# format some constructs differently). Without FILE: every *.c and *.h under src/ include/
# tests/ bench/ (build folders are elsewhere and never looked at).
#   scripts/format.sh            rewrites the files in place
#   scripts/format.sh --check    changes nothing; prints each file that differs from its
#                                formatted form and exits 1 if there is one (scripts/test.sh)
# CLANG_FORMAT names the binary (default: clang-format-14 if installed, else clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
case ${1:-} in -*)
    echo "usage: scripts/format.sh [--check] [FILE...]" >&2
    exit 2
    ;;
esac

cf=${CLANG_FORMAT:-}
if [ -z "$cf" ]; then
    if command -v clang-format-14 >/dev/null 2>&1; then cf=clang-format-14; else cf=clang-format; fi
fi
if ! command -v "$cf" >/dev/null 2>&1; then
    echo "format: $cf not found (Debian: apt-get install clang-format)" >&2
    exit 2
fi
version=$("$cf" --version)
case $version in
*"version 14."*) ;;
*) echo "format: warning: $version is not clang-format 14, the reference; it may disagree" >&2 ;;
esac

files=()
if [ $# -gt 0 ]; then
    files=("$@")
else
    while IFS= read -r -d '' f; do files+=("$f"); done < <(
        find src include tests bench -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | sort -z)
fi

differ=0
for f in "${files[@]}"; do
    if [ "$check" = 1 ]; then
        if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
            echo "$f"
            differ=$((differ + 1))
        fi
    else
        "$cf" --style=file -i "$f"
    fi
done
if [ "$check" = 1 ]; then
    if [ "$differ" -ne 0 ]; then
        echo "format: $differ of ${#files[@]} files differ from clang-format (scripts/format.sh rewrites them)" >&2
        exit 1
    fi
    echo "format: ${#files[@]} files formatted as .clang-format says"
fi
