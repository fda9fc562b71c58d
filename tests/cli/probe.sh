#!/usr/bin/env bash
# probe.sh: `rsp-pkigen probe` against a real SM-DP+ (osmo-smdpp, ../shared/peers/osmo-smdpp)
# and against servers that are not one.
#   - Variant O NIST (TLS) and BRP (TLS 1.2, brainpoolP256r1): the valid eUICC downloads a
#     profile through getBoundProfilePackage; the verdict table is exactly what osmo-smdpp does
#     (its README): it rejects an unknown CI, bad signatures and an EID outside the EUM's range
#     with SGP.22's codes, and accepts an expired eUICC, an eUICC under an expired EUM and wrong
#     EID check digits (it checks neither), which probe must report as server faults: exit 1,
#     those rows only.
#   - The TLS row (tls/server-certificate): rsp-pkigen's verifier judges the chain osmo-smdpp
#     sends; it passes with the build's DP TLS certificates. With the tree's DPtls replaced by
#     SGP.26's Variant O "Invalid Certificate Policy" case (OpenSSL accepts it) the row is a
#     SERVER FAULT with the manifest's reason and the case still runs (exit 1); with the
#     "Expired Certificate" case (OpenSSL refuses it) the row names certificateExpired, no case
#     runs, exit 1.
#   - `openssl s_server -www` (TLS, not ES9+: it answers no POST, so --timeout ends it), a plain
#     web server (HTTP 501: not ES9+), a server that never answers, a closed port, and an
#     http:// URL without --insecure-http: one-line error, exit 2.
# Skipped (77) without the peer, jq, openssl or unshare (root).
# Usage: probe.sh RSP_PKIGEN SOURCE_DIR SHARED_DIR
set -euo pipefail
BIN=$1 SRC=$2 SHARED=${3:-$2/../shared}
PEER=$SHARED/peers/osmo-smdpp
[ -x "$PEER/run.sh" ] || { echo "SKIP: no osmo-smdpp peer at $PEER"; exit 77; }
for t in jq openssl unshare; do command -v $t >/dev/null || { echo "SKIP: no $t"; exit 77; }; done
[ "$(id -u)" = 0 ] || { echo "SKIP: run.sh needs root (unshare)"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$BIN" build "$SRC/profiles/sgp26.yaml" -o "$T/pki" -q
"$BIN" export osmo-smdpp "$T/pki" -o "$T/tree" -q
# osmo-smdpp makes its DH parameters on every start unless they exist (minutes on a busy
# machine); DSA-style parameters are made in a moment and serve the same purpose here
openssl dhparam -dsaparam -out "$T/tree/certs/dhparam2048.pem" 2048 2>/dev/null || true

# the rows osmo-smdpp gets wrong: accepted although SGP.22 requires a rejection
expected_faults='euicc/eid-check-digits euicc/eum-expired euicc/expired'

# probe_smdpp CURVE [run.sh options]: one conformance run, checked against osmo-smdpp's README
probe_smdpp() {
    local curve=$1; shift
    local out=$T/probe-$curve.json rc=0
    "$PEER/run.sh" "$@" "$T/tree" -- "$BIN" probe https://testsmdpplus1.example.com \
        --pki "$T/pki" --curve "$curve" --matching-id TS48V1-A-UNIQUE --timeout 120 --json \
        >"$out" 2>"$T/err-$curve" || rc=$?
    [ "$rc" = 125 ] && { cat "$T/err-$curve"; echo "SKIP: osmo-smdpp did not start"; exit 77; }
    jq -r '.cases[] | [.case, .curve, (.expected.subjectCode // "success"), .got.status, .verdict] | @tsv' \
        "$out" || { cat "$T/err-$curve" >&2; fail "$curve: no JSON"; }
    [ "$rc" = 1 ] || { cat "$T/err-$curve" >&2; fail "$curve: exit $rc, expected 1 (server faults)"; }
    local faults
    faults=$(jq -r '[.cases[] | select(.verdict == "SERVER FAULT") | .case] | sort | join(" ")' "$out")
    [ "$faults" = "$expected_faults" ] || fail "$curve: server faults '$faults', expected '$expected_faults'"
    jq -e '.cases[] | select(.case == "valid") | .verdict == "pass" and .got.downloaded' "$out" \
        >/dev/null || fail "$curve: the valid eUICC did not download a profile"
    for c in euicc/unknown-ci euicc/eid-outside-ein es9/euicc-signature1 es9/server-challenge; do
        jq -e --arg c "$c" '.cases[] | select(.case == $c) | .verdict == "pass"' "$out" \
            >/dev/null || fail "$curve: $c is not rejected with SGP.22's code"
    done
    [ "$(jq ".cases | length" "$out")" = 10 ] || fail "$curve: fewer cases than expected"
    jq -e '.tls.case == "tls/server-certificate" and .tls.verdict == "pass" and .tls.got.valid
           and .tls.version != "" and .tls.cipher != "" and .summary.tls == "pass"' "$out" \
        >/dev/null || fail "$curve: the TLS row does not pass: $(jq -c .tls "$out")"
}
probe_smdpp nist
probe_smdpp brp --brainpool

# probe_bad_tls CASE REFUSED: osmo-smdpp serving the Variant O SGP.26 invalid DP TLS case CASE
# (its own key); the tls row must be a SERVER FAULT with the manifest's reason; REFUSED 1:
# libcurl refuses the handshake too, so no eUICC case runs
probe_bad_tls() {
    local case=$1 refused=$2 rc=0 out=$T/tls-${1//\//-}.json tree=$T/tree-${1//\//-}
    local sel='.artifacts[] | select(.variant == "O" and .role == "dp-tls" and .case == $c and .format == "der")'
    local cert key reason
    cert=$(jq -r --arg c "$case" "$sel | .path" "$T/pki/manifest.json")
    key=$(jq -r --arg c "$case" "$sel | .key" "$T/pki/manifest.json")
    reason=$(jq -r --arg c "$case" "$sel | .reason" "$T/pki/manifest.json")
    [ -f "$T/pki/$cert" ] && [ -f "$T/pki/$key" ] || fail "$case: not in the build"
    cp -r "$T/tree" "$tree"
    cp "$T/pki/$cert" "$tree/certs/DPtls/CERT_S_SM_DP_TLS_NIST.der"
    openssl x509 -inform DER -in "$T/pki/$cert" -out "$tree/certs/DPtls/CERT_S_SM_DP_TLS_NIST.pem"
    cp "$T/pki/$key" "$tree/certs/DPtls/SK_S_SM_DP_TLS_NIST.pem"
    "$PEER/run.sh" "$tree" -- "$BIN" probe https://testsmdpplus1.example.com --pki "$T/pki" \
        --case valid --timeout 60 --json >"$out" 2>"$T/err-tls" || rc=$?
    [ "$rc" = 125 ] && { cat "$T/err-tls"; echo "SKIP: osmo-smdpp did not start"; exit 77; }
    echo "$case: exit $rc: $(jq -c '[.tls.verdict, .tls.got.reason, .tls.libcurl_refused]' "$out")"
    [ "$rc" = 1 ] || { cat "$T/err-tls" >&2; fail "$case: exit $rc, expected 1"; }
    jq -e --arg r "$reason" '.tls.verdict == "SERVER FAULT" and .tls.got.reason == $r' "$out" \
        >/dev/null || fail "$case: the tls row is not a SERVER FAULT with $reason"
    if [ "$refused" = 1 ]; then
        jq -e '.tls.libcurl_refused and (.cases | length) == 0' "$out" >/dev/null ||
            fail "$case: libcurl did not refuse it, or a case ran"
    else
        jq -e '(.tls.libcurl_refused | not) and .cases[0].verdict == "pass"' "$out" >/dev/null ||
            fail "$case: the valid eUICC did not run to a pass beside the bad TLS certificate"
    fi
}
probe_bad_tls dp-tls/invalid-certificate-policy 0
probe_bad_tls dp-tls/expired 1

# not an ES9+ server, a silent one, and a closed port: exit 2 with one line
tls=$(jq -r '.artifacts[] | select(.entity == "o-dp-tls" and .curve == "prime256v1" and .format == "der") | .path' "$T/pki/manifest.json")
tlskey=$(jq -r '.artifacts[] | select(.entity == "o-dp-tls" and .curve == "prime256v1" and .format == "der") | .key' "$T/pki/manifest.json")
printf '127.0.0.1 localhost\n127.0.0.1 testsmdpplus1.example.com\n' >"$T/hosts"
export BIN T TLS="$T/pki/$tls" TLSKEY="$T/pki/$tlskey"
unshare -n -m bash -c '
    set -u
    ip link set lo up && mount --bind "$T/hosts" /etc/hosts || exit 77
    openssl s_server -www -accept 4431 -cert "$TLS" -certform DER -key "$TLSKEY" -quiet >/dev/null 2>&1 &
    www=$!
    # s_server quits at the end of its input: a sleep holds it open (its pid kept, so that
    # it is stopped with the servers and holds none of the test'"'"'s output open)
    { sleep 400 </dev/null >/dev/null 2>&1 & echo $! >"$T/hold.pid"; wait; } | openssl s_server -accept 4432 -cert "$TLS" -certform DER -key "$TLSKEY" -quiet >/dev/null 2>&1 &
    mute=$!
    (cd "$T" && exec python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1) &
    web=$!
    for i in $(seq 1 50); do
        (exec 3<>/dev/tcp/127.0.0.1/4431 && exec 3<>/dev/tcp/127.0.0.1/4432 &&
         exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break
        sleep 0.1
    done
    rc=0
    run() { local want=$1 name=$2; shift 2; rc=0
        "$BIN" probe "$@" --pki "$T/pki" --case valid >"$T/$name.out" 2>"$T/$name.err" || rc=$?
        echo "$name: exit $rc: $(cat "$T/$name.err")"
        [ "$rc" = "$want" ] && [ "$(wc -l <"$T/$name.err")" = 1 ] && grep -q "^rsp-pkigen: error: " "$T/$name.err"
    }
    ok=0
    # s_server -www answers GET only: a POST waits for the timeout
    run 2 www https://testsmdpplus1.example.com:4431 --timeout 3 || ok=1
    run 2 web http://testsmdpplus1.example.com:8080 --insecure-http && grep -q "not an ES9+ server" "$T/web.err" || ok=1
    run 2 silent https://testsmdpplus1.example.com:4432 --timeout 2 && grep -qi "timeout\|timed out" "$T/silent.err" || ok=1
    run 2 closed https://testsmdpplus1.example.com:4433 || ok=1
    run 2 http http://testsmdpplus1.example.com:4433 || ok=1
    kill $www $mute $web "$(cat "$T/hold.pid")" 2>/dev/null
    exit $ok
' || fail "probe against servers that are not ES9+"
echo "probe.sh: ok"
