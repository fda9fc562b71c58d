#!/usr/bin/env bash
# gen-man.sh: regenerates the man pages share/man/*.[15] from docs/man/*.md with pandoc
# (Debian: pandoc). The generated pages are checked in, so building and installing need no
# pandoc; tests/cli/install.sh checks them with `groff -ww -z`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p share/man
for md in docs/man/*.md; do
    page=$(basename "$md" .md)
    pandoc -f markdown-tex_math_dollars -s -t man "$md" -o "share/man/$page"
    groff -ww -z -man "share/man/$page"
    echo "share/man/$page"
done
