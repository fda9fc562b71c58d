# tests/cli/openssl.sh: the built chains against stock `openssl verify` (OpenSSL 3.x),
# independently of rsp-pkigen's own verifier. The DP TLS chains (CI -> TLS for Variant
# O; CI -> CI SubCA -> TLS for Variant B) verify. The eUICC chain CI -> EUM -> eUICC
# fails with exactly error 47 "permitted subtree violation" at depth 0: the EUM's
# nameConstraints follow GSMA semantics (O equal, EID prefix), not RFC 5280's RDN-prefix
# matching (shared/docs/gsma-cert-rules.md §4). Told to ignore them (the same profile with
# the name_constraints lines removed) the chain verifies; the EUM itself verifies anyway.
# Run by ctest as: bash openssl.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

if ! command -v openssl >/dev/null; then
    skip "openssl not found"
    finish
fi

P=$SRC/profiles/sgp26.yaml
CLOCK=2025-01-01T00:00:00Z
AT=1735776000 # CLOCK + 1 day
VO="Valid Test Cases/Variant O"
VB="Valid Test Cases/Variants A_B_C"

run "$CLI" build "$P" -o "$T/o" --seed 00112233 --clock $CLOCK -q --variant O,B --curve nist \
    --only o-ci,o-eum,o-euicc,o-dp-tls,b-dp-tls
check "build the chains: exit 0" eval 'rc_is 0 && err_empty'

# ---- DP TLS: CI (NIST) -> CERT_S_SM_DP_VARO_TLS_NIST.der ----
leaf="$T/o/$VO/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARO_TLS_NIST.der"
run openssl verify -attime $AT -CAfile "$T/o/$VO/CI/CERT_CI_SIG_NIST.pem" "$leaf"
check "openssl verify: CI -> DP TLS (Variant O) is OK" eval 'rc_is 0 && out_is "$leaf: OK"'
run openssl verify -attime $AT -x509_strict -purpose sslserver -CAfile "$T/o/$VO/CI/CERT_CI_SIG_NIST.pem" "$leaf"
check "openssl verify -x509_strict -purpose sslserver: OK" eval 'rc_is 0 && out_is "$leaf: OK"'
run openssl verify -attime $AT -purpose sslclient -CAfile "$T/o/$VO/CI/CERT_CI_SIG_NIST.pem" "$leaf"
check "openssl verify -purpose sslclient: OK (EKU serverAuth and clientAuth)" eval 'rc_is 0 && out_is "$leaf: OK"'
# not before the clock
run openssl verify -attime 1735689599 -CAfile "$T/o/$VO/CI/CERT_CI_SIG_NIST.pem" "$leaf"
check "openssl verify one second before the clock: not yet valid" eval '! rc_is 0 && grep -q "certificate is not yet valid" "$T/out" "$T/err"'

# ---- DP TLS, Variant B: CI -> CI SubCA -> TLS ----
leaf_b="$T/o/$VB/Variant B/SM-DP+/SM_DPtls/CERT_S_SM_DP_VARB_TLS_NIST.der"
run openssl verify -attime $AT -CAfile "$T/o/$VB/CI/CERT_CI_SIG_NIST.pem" \
    -untrusted "$T/o/$VB/CI_subCA/CERT_CISubCA_SIG_NIST.pem" "$leaf_b"
check "openssl verify: CI -> CI SubCA -> DP TLS (Variant B) is OK" eval 'rc_is 0 && out_is "$leaf_b: OK"'
run openssl verify -attime $AT -CAfile "$T/o/$VB/CI/CERT_CI_SIG_NIST.pem" "$leaf_b"
check "openssl verify without the CI SubCA: unable to get the issuer" eval '! rc_is 0 && grep -q "error 20 at 0 depth lookup: unable to get local issuer certificate" "$T/out" "$T/err"'

# ---- eUICC: CI -> EUM -> eUICC ----
eum="$T/o/$VO/EUM/CERT_EUM_SIG_NIST.pem"
euicc="$T/o/$VO/eUICC/CERT_EUICC_SIG_NIST.der"
run openssl verify -attime $AT -CAfile "$T/o/$VO/CI/CERT_CI_SIG_NIST.pem" "$eum"
check "openssl verify: CI -> EUM is OK" eval 'rc_is 0 && out_is "$eum: OK"'
run openssl verify -attime $AT -CAfile "$T/o/$VO/CI/CERT_CI_SIG_NIST.pem" -untrusted "$eum" "$euicc"
cat "$T/out" "$T/err" >"$T/all"
check "openssl verify: CI -> EUM -> eUICC fails (exit 2)" rc_is 2
check "... with error 47 at depth 0: permitted subtree violation" grep -qx "error 47 at 0 depth lookup: permitted subtree violation" "$T/all"
check "... and no other error" eval '[ "$(grep -c "^error [0-9]* at" "$T/all")" -eq 1 ]'

# told to ignore the GSMA name constraints: the same build with an EUM without them. The
# rulebook refuses such an EUM as valid (SGP.22 §4.5.2.1.0.2); declared invalid, with the
# reason the verifier must give the EUM and the eUICC under it, it builds.
awk '/^  - id: /{f=($0 ~ /id: o-eum$/)} !(f && /^ *- name_constraints:/)' "$P" >"$T/no-nc.yaml"
check "the o-eum entity had a name_constraints line to remove" eval '[ "$(wc -l <"$P")" -eq $(($(wc -l <"$T/no-nc.yaml") + 1)) ]'
run "$CLI" build "$T/no-nc.yaml" -o "$T/n" --seed 00112233 --clock $CLOCK -q --variant O --curve nist \
    --only o-euicc
check "a valid EUM without name constraints is refused at build time (exit 2, the rule named)" \
    eval 'rc_is 2 && err_has "entity '"'o-eum'"': a eum certificate needs nameConstraints" && err_has "rule required-extension" && absent "$T/n"'
run "$CLI" build "$T/no-nc.yaml" -o "$T/n" --seed 00112233 --clock $CLOCK -q --variant O --curve nist \
    --only o-euicc --set o-eum.expect=invalid --set o-eum.reason=eumCertificateInvalid \
    --set o-euicc.expect=invalid --set o-euicc.reason=eumCertificateInvalid
check "declared invalid (eumCertificateInvalid), it builds: exit 0" eval 'rc_is 0 && err_empty'
run openssl verify -attime $AT -CAfile "$T/n/$VO/CI/CERT_CI_SIG_NIST.pem" \
    -untrusted "$T/n/$VO/EUM/CERT_EUM_SIG_NIST.pem" "$T/n/$VO/eUICC/CERT_EUICC_SIG_NIST.der"
check "openssl verify ignoring the GSMA name constraints: CI -> EUM -> eUICC is OK" \
    eval 'rc_is 0 && out_is "$T/n/$VO/eUICC/CERT_EUICC_SIG_NIST.der: OK"'
check "... and it is the same eUICC key (seeded)" cmp -s "$T/o/$VO/eUICC/SK_EUICC_SIG_NIST.pem" "$T/n/$VO/eUICC/SK_EUICC_SIG_NIST.pem"

# the keys are what openssl expects: the private key matches the certificate
run openssl pkey -in "$T/o/$VO/SM-DP+/SM_DPtls/SK_S_SM_DP_TLS_NIST.pem" -pubout
openssl x509 -inform DER -in "$leaf" -noout -pubkey >"$T/cert.pub" 2>/dev/null
check "openssl: SK_S_SM_DP_TLS_NIST.pem fits the TLS certificate" cmp -s "$T/out" "$T/cert.pub"
run openssl ec -in "$T/o/$VO/SM-DP+/SM_DPtls/SK_S_SM_DP_TLS_NIST.pem" -check -noout
check "openssl ec -check: the key is valid" eval 'rc_is 0 && err_has "EC Key valid"'

finish
