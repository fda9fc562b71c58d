# smdpp_tree.sh: sourced by tests that need osmo-smdpp's certificate tree from a build.
#
#   smdpp_tree BUILD_DIR OUT_DIR
#
# Writes OUT_DIR/certs/{CertificateIssuer,DPauth,DPpb,DPtls} with pySim's file names
# (../shared/reference/sgp26/osmocom-pysim/) from the Variant O entities of BUILD_DIR's
# manifest.json: the CI certificates only in CertificateIssuer/, the first SM-DP+'s DPauth, DPpb
# and DP TLS certificates (DER) with their keys (PEM). This is the one place that knows the
# layout; once `rsp-pkigen export osmo-smdpp` exists, this function becomes a call to it.
smdpp_tree() {
    local build=$1 out=$2 role entity curve path key dir stem c
    mkdir -p "$out/certs/CertificateIssuer" "$out/certs/DPauth" "$out/certs/DPpb" "$out/certs/DPtls"
    jq -r '.artifacts[] | select(.kind == "certificate" and .variant == "O" and .format == "der"
            and .expect == "valid" and (.entity == "o-ci" or .entity == "o-dp-auth"
            or .entity == "o-dp-pb" or .entity == "o-dp-tls"))
           | [.entity, .curve, .path, .key] | @tsv' "$build/manifest.json" |
    while IFS=$'\t' read -r entity curve path key; do
        c=NIST; [ "$curve" = brainpoolP256r1 ] && c=BRP
        case $entity in
            o-ci) dir=CertificateIssuer; stem=CI_ECDSA;;
            o-dp-auth) dir=DPauth; stem=S_SM_DPauth_ECDSA;;
            o-dp-pb) dir=DPpb; stem=S_SM_DPpb_ECDSA;;
            o-dp-tls) dir=DPtls; stem=S_SM_DP_TLS;;
        esac
        cp "$build/$path" "$out/certs/$dir/CERT_${stem}_$c.der"
        if [ "$dir" != CertificateIssuer ]; then
            cp "$build/$key" "$out/certs/$dir/SK_${stem}_$c.pem"
            chmod 600 "$out/certs/$dir/SK_${stem}_$c.pem"
        fi
    done
}
