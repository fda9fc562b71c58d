#!/usr/bin/env bash
# crosscheck.sh OUTDIR [--table=FILE]: checks every chain and CRL of an `rsp-pkigen build`
# output with independent validators (OpenSSL `openssl verify`, Botan `botan cert_verify`,
# GnuTLS `certtool --verify` for the NIST chains) and the GSMA EUM name-constraint rule,
# compares each verdict with the manifest's `expect`, and prints a summary table, the
# documented validator limitations met and every disagreement (docs/crosscheck.md).
# Installs what is missing (openssl, botan, gnutls-bin, python3) with apt-get, as
# scripts/deps.sh does. Build with the default clock (now): Botan and GnuTLS cannot be told
# another time, so chains whose validity differs between the manifest's clock and now are
# n/a for them.
# Exit status: 0 no disagreement beyond the documented limitations, 1 some, 2 bad usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || [ ! -f "$1/manifest.json" ]; then
    echo "usage: scripts/crosscheck.sh OUTDIR [--table=FILE]  (OUTDIR written by rsp-pkigen build)" >&2
    exit 2
fi
. "$here/deps.sh"
rspg_install_missing openssl botan gnutls-bin python3
exec python3 "$here/crosscheck.py" "$@"
