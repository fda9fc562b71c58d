#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages rsp-pkigen needs to build and test, when they are
# missing. Sourced by quickstart.sh and test.sh; needs root (or sudo) only if something is missing.
set -euo pipefail

RSPG_BUILD_PACKAGES=(build-essential cmake pkg-config libssl-dev libyaml-dev libjansson-dev libcmocka-dev openssl
    libcurl4-openssl-dev)
# PKCS#11 CA keys: the OpenSSL pkcs11 engine (run time), and SoftHSM2 + pkcs11-tool for
# tests/cli/hsm.sh and docs/private-root-lab.md.
RSPG_HSM_PACKAGES=(softhsm2 opensc libengine-pkcs11-openssl)
# `rsp-pkigen report` / `graph` tests (tests/cli/report.sh): headless Chromium renders the page,
# Graphviz dot the DOT output.
RSPG_REPORT_PACKAGES=(chromium graphviz)
# GNU parallel: tests/cli/mint_shard.sh runs `mint --shard` side by side (docs/mint.md);
# jq: tests/cli/probe.sh and osmo_smdpp.sh read the manifest and probe's --json.
RSPG_TEST_PACKAGES=(parallel jq)

rspg_install_missing() {
    local missing=()
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "rsp-pkigen: error: missing packages (${missing[*]}) and not root; install them first" >&2
            return 1
        fi
    fi
    echo "rsp-pkigen: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
