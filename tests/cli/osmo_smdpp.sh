# tests/cli/osmo_smdpp.sh: `rsp-pkigen export osmo-smdpp` is drop-in for a real SM-DP+.
# profiles/sgp26.yaml (Variants O and Ov3) and profiles/private-root.yaml (with
# --var dp_host=testsmdpplus1.example.com, the name osmo-smdpp serves) are built and
# exported; the trees have pySim's exact names and nothing else, keys 0600; the refusals
# (existing folder, foreign folder, not a build folder, a variant without SM-DP+
# certificates) are checked; then osmo-smdpp (SHARED/peers/osmo-smdpp/run.sh) serves each
# tree and pySim's es9p_client completes a profile download (initiateAuthentication,
# authenticateClient, getBoundProfilePackage; it prints SUCCESS) with the build's eUICC:
# Variant O NIST over TLS, Variant O BRP (--brainpool; the client on TLS 1.2 with the
# brainpoolP256r1 group), the
# private root (NIST), and Variant Ov3 NIST against the Ov3 SM-DP+ certificates (beyond
# SGP.26). The client trusts the build's CA bundle (Bundles/CA_BUNDLE_<V>_<C>.pem) for TLS.
# Every file the client needs is found through the build's manifest.json.
# Skipped (77) without the peer, without root (run.sh needs unshare) or without python3.
# Run by ctest as: bash osmo_smdpp.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

PEER=${SHARED:+$SHARED/peers/osmo-smdpp/run.sh}
if [ -z "$PEER" ] || [ ! -x "$PEER" ]; then
    skip "osmo-smdpp peer not found (SHAREDDIR/peers/osmo-smdpp/run.sh)"
    finish
fi
if [ "$(id -u)" != 0 ] || ! command -v python3 >/dev/null; then
    skip "run.sh needs root (unshare) and python3"
    finish
fi

# mf DIR ENTITY CURVE: the DER certificate file of ENTITY on CURVE, from DIR's manifest;
# mf DIR ENTITY CURVE key: its key file (absolute paths).
mf() {
    python3 - "$@" <<'EOF'
import json, sys
d, ent, curve = sys.argv[1:4]
for a in json.load(open(d + "/manifest.json"))["artifacts"]:
    if a["kind"] == "certificate" and a["entity"] == ent and a["curve"] == curve and a["format"] == "der":
        print(d + "/" + (a["key"] if len(sys.argv) > 4 else a["path"]))
        break
EOF
}
# bundle DIR VARIANT TAG: the CA bundle of VARIANT, from DIR's manifest.
bundle() {
    python3 - "$@" <<'EOF'
import json, sys
d, v, tag = sys.argv[1:4]
for a in json.load(open(d + "/manifest.json"))["artifacts"]:
    if a["kind"] == "ca-bundle" and a["variant"] == v and a["path"].endswith("_" + tag + ".pem"):
        print(d + "/" + a["path"])
EOF
}

S=$T/sgp26
P=$T/private
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$S" -q --variant O,Ov3 --seed 0a0b0c
check "build sgp26.yaml (O, Ov3): exit 0" eval 'rc_is 0 && err_empty'
run "$CLI" build "$SRC/profiles/private-root.yaml" -o "$P" -q --variant O --seed 0a0b0c \
    --var dp_host=testsmdpplus1.example.com
check "build private-root.yaml --var dp_host=testsmdpplus1.example.com: exit 0" eval 'rc_is 0 && err_empty'

# ---- the trees ----
run "$CLI" export osmo-smdpp "$S" -o "$T/o"
check "export osmo-smdpp (Variant O): exit 0, one line" \
    eval 'rc_is 0 && err_empty && out_is "rsp-pkigen: wrote 16 files of Variant O (SM-DP+, NIST, BRP) to $T/o/certs for osmo-smdpp"'
want="CertificateIssuer/CERT_CI_ECDSA_BRP.der
CertificateIssuer/CERT_CI_ECDSA_NIST.der
DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der
DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der
DPauth/SK_S_SM_DPauth_ECDSA_BRP.pem
DPauth/SK_S_SM_DPauth_ECDSA_NIST.pem
DPpb/CERT_S_SM_DPpb_ECDSA_BRP.der
DPpb/CERT_S_SM_DPpb_ECDSA_NIST.der
DPpb/SK_S_SM_DPpb_ECDSA_BRP.pem
DPpb/SK_S_SM_DPpb_ECDSA_NIST.pem
DPtls/CERT_S_SM_DP_TLS_BRP.der
DPtls/CERT_S_SM_DP_TLS_BRP.pem
DPtls/CERT_S_SM_DP_TLS_NIST.der
DPtls/CERT_S_SM_DP_TLS_NIST.pem
DPtls/SK_S_SM_DP_TLS_BRP.pem
DPtls/SK_S_SM_DP_TLS_NIST.pem"
check "the tree has pySim's names and nothing else" \
    eval '[ "$(cd "$T/o/certs" && find . -type f | sed "s|^\./||" | sort)" = "$want" ]'
check "keys are 0600, certificates 0644" eval '
    [ -z "$(find "$T/o/certs" -name "SK_*" ! -perm 600)" ] && [ -z "$(find "$T/o/certs" -name "CERT_*" ! -perm 644)" ]'
check "CertificateIssuer holds the build's CI (DER, same bytes)" \
    cmp "$T/o/certs/CertificateIssuer/CERT_CI_ECDSA_NIST.der" "$(mf "$S" o-ci prime256v1)"
check "DPauth is the build's SM-DP+ (o-dp-auth), its key the build's SK_ file" eval '
    cmp "$T/o/certs/DPauth/CERT_S_SM_DPauth_ECDSA_BRP.der" "$(mf "$S" o-dp-auth brainpoolP256r1)" &&
    cmp "$T/o/certs/DPauth/SK_S_SM_DPauth_ECDSA_BRP.pem" "$(mf "$S" o-dp-auth brainpoolP256r1 key)"'
check "no lock file or stage left" eval '[ "$(ls -A "$T/o")" = certs ]'

run "$CLI" export osmo-smdpp "$S" -o "$T/o"
check "again without --force: exit 2, the tree untouched" eval '
    rc_is 2 && err_is "rsp-pkigen: error: $T/o/certs: already exists (use --force to replace it)" &&
    [ -f "$T/o/certs/DPtls/SK_S_SM_DP_TLS_NIST.pem" ]'
mkdir -p "$T/foreign/certs" && echo keep >"$T/foreign/certs/notes.txt"
run "$CLI" export osmo-smdpp "$S" -o "$T/foreign" --force
check "--force on a certs folder that holds other files: exit 2, kept" eval '
    rc_is 2 && err_has "not an osmo-smdpp certs folder (it holds '"'"'notes.txt'"'"')" && [ -f "$T/foreign/certs/notes.txt" ]'
run "$CLI" export osmo-smdpp "$SRC/profiles" -o "$T/x"
check "a folder without manifest.json: exit 4, not a build folder" eval '
    rc_is 4 && err_has "not a build folder" && absent "$T/x/certs"'
run "$CLI" export osmo-smdpp "$P" -o "$T/x" --variant A
check "a variant the build has no SM-DP+ of: exit 2, names the ones it has" eval '
    rc_is 2 && err_has "Variant A has no SM-DP+ certificates (DPauth, DPpb and DP TLS) to export; variants that have: O"'

run "$CLI" export osmo-smdpp "$S" -o "$T/ov3" --variant Ov3 -q
check "export --variant Ov3 (the SM-DP+ beyond SGP.26): exit 0, quiet" eval 'rc_is 0 && out_empty && err_empty'
check "its DPauth is ov3-dp-auth and its CI the Ov3 CI" eval '
    cmp "$T/ov3/certs/DPauth/CERT_S_SM_DPauth_ECDSA_NIST.der" "$(mf "$S" ov3-dp-auth prime256v1)" &&
    cmp "$T/ov3/certs/CertificateIssuer/CERT_CI_ECDSA_NIST.der" "$(mf "$S" ov3-ci prime256v1)"'
run "$CLI" export osmo-smdpp "$P" -o "$T/p" -q
check "export the private root: exit 0" eval 'rc_is 0 && err_empty'

# ---- downloads against osmo-smdpp ----
# DH parameters for osmo-smdpp's TLS (it would generate a 2048-bit safe prime on every start,
# minutes on a loaded machine); --force accepts the file in a certs folder.
for d in o ov3 p; do
    openssl dhparam -dsaparam -out "$T/$d/certs/dhparam2048.pem" 2048 2>/dev/null || true
done

# A brainpool TLS client: TLS 1.2 with the brainpoolP256r1 group (OpenSSL 3.0 has no
# brainpool groups in TLS 1.3, and none in its default TLS 1.2 list); Python's ssl, which
# pySim's client uses, reads it from OPENSSL_CONF (docs/deployment.md).
cat >"$T/brainpool.cnf" <<'EOF'
openssl_conf = rspg_conf
[rspg_conf]
ssl_conf = rspg_ssl
[rspg_ssl]
system_default = rspg_tls
[rspg_tls]
MaxProtocol = TLSv1.2
Groups = brainpoolP256r1:P-256:X25519
EOF

# download TREE BUILD VARIANT PREFIX CURVE TAG [--brainpool]: pySim's client with the
# eUICC PREFIX-euicc of BUILD on CURVE, trusting BUILD's CA bundle for TLS.
download() {
    local tree=$1 b=$2 v=$3 pre=$4 curve=$5 tag=$6
    shift 6
    mkdir -p "$T/dl"
    export CA_PEM EUICC EUICC_SK EUM CI OUT=$T/dl CLIENT_CONF=
    [ "${1:-}" = --brainpool ] && CLIENT_CONF=$T/brainpool.cnf
    CA_PEM=$(bundle "$b" "$v" "$tag")
    EUICC=$(mf "$b" "$pre-euicc" "$curve")
    EUICC_SK=$(mf "$b" "$pre-euicc" "$curve" key)
    EUM=$(mf "$b" "$pre-eum" "$curve")
    CI=$(mf "$b" "$pre-ci" "$curve")
    run timeout 900 "$PEER" "$@" "$tree" -- sh -c '
        if [ -n "$CLIENT_CONF" ]; then export OPENSSL_CONF=$CLIENT_CONF; fi
        exec "$SMDPP_PYTHON" "$ES9P_CLIENT" --url "$SMDPP_URL" \
        --server-ca-cert "$CA_PEM" --certificate-path / \
        --euicc-certificate "$EUICC" --euicc-private-key "$EUICC_SK" \
        --eum-certificate "$EUM" --ci-certificate "$CI" \
        download --matchingId TS48V1-A-UNIQUE --output-path "$OUT/"'
    grep -h "^SUCCESS" "$T/out" "$T/err" | sed 's/^/       /'
}
succeeded() { rc_is 0 && grep -qh "^SUCCESS: Storing files" "$T/out" "$T/err"; }

download "$T/o" "$S" O o prime256v1 NIST
check "sgp26 Variant O NIST, TLS: download SUCCESS" succeeded
download "$T/o" "$S" O o brainpoolP256r1 BRP --brainpool
check "sgp26 Variant O BRP (--brainpool, TLS 1.2 brainpoolP256r1): download SUCCESS" succeeded
download "$T/p" "$P" O o prime256v1 NIST
check "private root NIST (dp_host=testsmdpplus1.example.com): download SUCCESS" succeeded
download "$T/ov3" "$S" Ov3 ov3 prime256v1 NIST
check "sgp26 Variant Ov3 NIST against the Ov3 SM-DP+ (beyond SGP.26): download SUCCESS" succeeded

finish
