#!/usr/bin/env bash
# quickstart.sh: from a fresh Debian 12 checkout to a verified SGP.26 test PKI.
# Installs what is missing, builds rsp-pkigen, builds profiles/sgp26.yaml into out/sgp26,
# verifies every chain, and prints where it went.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
rspg_install_missing "${RSPG_BUILD_PACKAGES[@]}"

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

out=${1:-out/sgp26}
mkdir -p "$(dirname "$out")"
./build/rsp-pkigen build profiles/sgp26.yaml -o "$out" --force
./build/rsp-pkigen verify "$out"
echo
echo "The SGP.26 test PKI is in $(cd "$out" && pwd)"
echo "  manifest: $out/manifest.json (what each file is and how it must validate)"
echo "  binary:   ./build/rsp-pkigen (see ./build/rsp-pkigen --help)"
