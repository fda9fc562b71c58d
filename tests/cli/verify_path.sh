# tests/cli/verify_path.sh: `rsp-pkigen verify CERT` builds its paths with backtracking
# (RFC 4158; RFC 5280 §6: valid if any path validates). tests/data/verify-twins.yaml holds
# an EUM and two invalid twins with its name, SKI and key (a wrong policy; nameConstraints
# for another O). An eUICC given the policy twin before the valid EUM (--untrusted, also as
# one PEM bundle) is valid and its chain names the valid EUM; with the twin alone it stays
# invalid with the twin's reason; with both twins the first path's verdict stands. The
# built folder agrees with its manifest (each case judged with the chain it names).
# Run by ctest as: bash verify_path.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

O=$T/o
run "$CLI" build "$SRC/tests/data/verify-twins.yaml" -o "$O" --seed 01 --clock 2026-01-01T00:00:00Z -q
check "build verify-twins.yaml (its self-check agrees with the manifest)" rc_is 0

AT=(--at 2026-06-01T00:00:00Z)
CI=(--ci "$O/CI/CERT_CI_SIG_NIST.der")
EUICC=$O/eUICC/CERT_EUICC_SIG_NIST.der
EUM=$O/EUM/CERT_EUM_SIG_NIST.der
POL=$O/EUM\ policy\ twin/CERT_EUM_SIG_NIST.der
NC=$O/EUM\ nameConstraints\ twin/CERT_EUM_SIG_NIST.der

run "$CLI" verify "$EUICC" "${CI[@]}" --untrusted "$POL" --untrusted "$EUM" "${AT[@]}" -v
check "the policy twin listed first: the eUICC is valid (exit 0)" rc_is 0
check "the chain names the valid EUM" out_has "valid (chain: $EUICC <- $EUM <- $O/CI/CERT_CI_SIG_NIST.der)"

run "$CLI" verify "$EUICC" "${CI[@]}" --untrusted "$NC" --untrusted "$POL" --untrusted "$EUM" "${AT[@]}" --json
check "both twins listed first: valid, --json chain names the valid EUM" eval \
    'rc_is 0 && out_has "\"verdict\": \"valid\"" && out_has "\"chain\": \"$EUICC <- $EUM <- "'

{ openssl x509 -inform DER -in "$POL" && openssl x509 -inform DER -in "$EUM"; } >"$T/bundle.pem" 2>/dev/null
if [ -s "$T/bundle.pem" ]; then
    run "$CLI" verify "$EUICC" "${CI[@]}" --untrusted "$T/bundle.pem" "${AT[@]}" -q
    check "a PEM bundle, the twin first: valid" eval 'rc_is 0 && out_empty'
else
    skip "openssl is not installed: the PEM bundle case"
fi

run "$CLI" verify "$EUICC" "${CI[@]}" --untrusted "$POL" "${AT[@]}"
check "the twin alone: invalid (exit 1) with the twin's reason, the twin named" eval \
    'rc_is 1 && out_has "[basic-constraints, SGP.22 eumCertificateInvalid]" && out_has "chain: $EUICC <- $POL <- "'

run "$CLI" verify "$EUICC" "${CI[@]}" --untrusted "$NC" --untrusted "$POL" "${AT[@]}"
check "two twins, no valid EUM: the first path's verdict (the nameConstraints twin's)" eval \
    'rc_is 1 && out_has "[name-constraints, SGP.22 euiccCertificateInvalid]" && out_has "chain: $EUICC <- $NC <- "'

run "$CLI" verify "$O"
check "verify DIR: every case as the manifest expects (exit 0)" rc_is 0
run "$CLI" verify "$O" --json
check "verify DIR: the policy twin's eUICC is judged under the twin" eval \
    'out_has "\"chain\": \"$O/EUM policy twin/eUICC/CERT_EUICC_SIG_NIST.der <- $POL <- "'

finish
