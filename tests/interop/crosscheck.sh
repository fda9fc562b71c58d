#!/usr/bin/env bash
# tests/interop/crosscheck.sh CLI SRCDIR: builds the whole profiles/sgp26.yaml (clock: now,
# so Botan and GnuTLS, which validate at the current time, see what OpenSSL sees at the
# manifest's clock) and runs scripts/crosscheck.py on it: OpenSSL, Botan and GnuTLS must
# agree with the manifest's `expect` on every chain and CRL, apart from the limitations
# listed in docs/crosscheck.md. Skipped (exit 77) when a validator is missing (install them
# with scripts/crosscheck.sh or apt-get install botan gnutls-bin). About 5 s.
set -u
if [ $# -lt 2 ]; then
    echo "usage: bash $0 CLI SRCDIR" >&2
    exit 2
fi
CLI=$1
SRC=$2
for tool in openssl botan certtool python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIPPED: $tool is not installed (scripts/crosscheck.sh installs botan and gnutls-bin)"
        exit 77
    fi
done
T=$(mktemp -d "${TMPDIR:-/tmp}/rspg-interop-XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
unset SOURCE_DATE_EPOCH
"$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/out" -q || exit 1
python3 "$SRC/scripts/crosscheck.py" "$T/out"
