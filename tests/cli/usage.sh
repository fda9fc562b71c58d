# tests/cli/usage.sh: the command line itself: --help of the program and of every
# subcommand (exit 0, usage on stdout, nothing on stderr), --version, and usage errors
# (unknown command or option, missing arguments, bad option values: exit 2 with one
# "rsp-pkigen: error: ..." line on stderr and nothing on stdout).
# Run by ctest as: bash usage.sh CLI SRCDIR SHAREDDIR
. "$(dirname "$0")/lib.bash"

usage_ok() {
    rc_is 0 && out_has "$1" && err_empty
}
usage_error() {
    rc_is 2 && out_empty && err_is "rsp-pkigen: error: $1"
}

for h in --help -h help; do
    run "$CLI" $h
    check "rsp-pkigen $h: exit 0, usage on stdout" usage_ok "Usage: rsp-pkigen COMMAND [OPTIONS] [ARGS]"
    check "rsp-pkigen $h: lists build and verify" eval 'out_has "  build " && out_has "  verify "'
done

for cmd in build verify; do
    for h in --help -h; do
        run "$CLI" $cmd $h
        check "rsp-pkigen $cmd $h: exit 0, usage on stdout" usage_ok "Usage: rsp-pkigen $cmd "
    done
done
run "$CLI" build --help
check "build --help documents every option" eval 'for o in --output --variant --curve --only --var --key-dir --seed --clock --signatures --force --quiet --help; do out_has "$o" || exit 1; done'
check "build --help documents the exit status" out_has "  2  bad usage or a bad profile (a profile file that cannot be read included)"
run "$CLI" verify --help
check "verify --help documents its options" eval 'for o in --ci --untrusted --crl --at --role --json --quiet --help; do out_has "$o" || exit 1; done'
# --help wins over what else is on the line
run "$CLI" build --help no-such.yaml
check "build --help with a profile still only prints usage" usage_ok "Usage: rsp-pkigen build "

version=$(sed -n 's/^project(rsp-pkigen VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
for v in --version version; do
    run "$CLI" $v
    check "rsp-pkigen $v prints 'rsp-pkigen $version'" eval 'rc_is 0 && out_is "rsp-pkigen $version" && err_empty'
done

run "$CLI"
check "no command: exit 2, usage on stderr" eval 'rc_is 2 && out_empty && err_has "Usage: rsp-pkigen COMMAND"'
run "$CLI" frobnicate
check "unknown command: exit 2" usage_error "unknown command 'frobnicate' (run 'rsp-pkigen --help')"
run "$CLI" --frobnicate
check "unknown top-level option: exit 2" usage_error "unknown command '--frobnicate' (run 'rsp-pkigen --help')"
run "$CLI" build --frobnicate "$SRC/profiles/sgp26.yaml" -o "$T/x"
check "build: unknown option: exit 2" usage_error "unknown option '--frobnicate' (see 'rsp-pkigen build --help')"
run "$CLI" verify --frobnicate "$T"
check "verify: unknown option: exit 2" usage_error "unknown option '--frobnicate' (see 'rsp-pkigen verify --help')"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o
check "build: -o without a value: exit 2" usage_error "option '-o' needs a value"
run "$CLI" build -o "$T/x"
check "build: no profile: exit 2" usage_error "build needs a PROFILE (see 'rsp-pkigen build --help')"
run "$CLI" build a.yaml b.yaml -o "$T/x"
check "build: two profiles: exit 2" usage_error "build takes one PROFILE (see 'rsp-pkigen build --help')"
run "$CLI" build "$SRC/profiles/sgp26.yaml"
check "build: no -o: exit 2" usage_error "build needs an output folder: -o DIR"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/x" --seed 123
check "build: odd --seed: exit 2" usage_error "--seed takes 1 to 64 bytes of hex (even number of digits), not '123'"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/x" --clock 2025-02-30T00:00:00Z
check "build: impossible --clock: exit 2" usage_error "--clock '2025-02-30T00:00:00Z' is not a date (YYYY-MM-DDTHH:MM:SSZ)"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/x" --signatures deterministic
check "build: bad --signatures: exit 2" usage_error "--signatures: unknown kind 'deterministic' (expected rfc6979 or random)"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/x" --var nope=1
check "build: --var of an unknown variable: exit 2" usage_error "--var: the profile $SRC/profiles/sgp26.yaml defines no variable 'nope'"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/x" --var ein
check "build: --var without '=': exit 2" usage_error "--var 'ein' is not NAME=VALUE"
run "$CLI" build "$SRC/profiles/sgp26.yaml" -o "$T/x" --variant D
check "build: a filter that names nothing: exit 2" usage_error "--variant 'D' names no variant of the profile (expected O, Ov3, A, B or C)"
run "$CLI" build "$T/no-such.yaml" -o "$T/x"
check "build: a missing profile: exit 2 (a bad profile)" eval 'rc_is 2 && out_empty && err_has "rsp-pkigen: error: $T/no-such.yaml: cannot open the profile: No such file or directory"'
run "$CLI" verify
check "verify: nothing to verify: exit 2" usage_error "verify needs a folder or certificates (see 'rsp-pkigen verify --help')"
run "$CLI" verify "$T/no-such.der"
check "verify: a missing certificate is named: exit 2" usage_error "$T/no-such.der: cannot read the certificate: No such file or directory"
run "$CLI" verify "$SRC/README.md"
check "verify: a certificate without --ci: exit 2" usage_error "verify CERT needs at least one trusted CI: --ci FILE"
mkdir "$T/empty"
run "$CLI" verify "$T/empty" --ci "$T/no-such.der"
check "verify: --ci with a folder: exit 2" usage_error "--ci, --untrusted, --crl and --role apply to certificates, not to a folder"
run "$CLI" verify "$T/no-such.der" --role root --ci "$T/no-such.der"
check "verify: unknown --role: exit 2" eval 'rc_is 2 && out_empty && err_has "rsp-pkigen: error: unknown role '"'"'root'"'"'"'
run "$CLI" verify "$T/no-such.der" --ci "$T/no-such.der"
check "verify: an unreadable certificate: exit 2" eval 'rc_is 2 && out_empty && err_has "rsp-pkigen: error: $T/no-such.der: cannot read"'

run "$CLI" verify "$T" --at yesterday
check "verify: bad --at: exit 2" usage_error "--at 'yesterday' is not a date (YYYY-MM-DDTHH:MM:SSZ)"
run "$CLI" verify "$T/empty"
check "verify: a folder without a manifest: exit 2 (unreadable input)" eval 'rc_is 2 && out_empty && err_is "rsp-pkigen: error: $T/empty/manifest.json: cannot read the manifest: unable to open $T/empty/manifest.json: No such file or directory"'
check "no usage error wrote an output folder" absent "$T/x"

finish
