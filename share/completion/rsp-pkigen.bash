# bash completion for rsp-pkigen (installed as share/bash-completion/completions/rsp-pkigen)
_rsp_pkigen()
{
    local cur prev words cword
    _init_completion || return
    local commands="build verify mint lint show eid issue renew report graph export probe help"
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local cmd=${words[1]}
    if [[ ($cmd == report || $cmd == graph) && ($prev == -o || $prev == --output) ]]; then
        _filedir
        return
    fi
    case $prev in
    -o | --output | --key-dir)
        _filedir -d
        return
        ;;
    --pki)
        _filedir -d
        return
        ;;
    --variant)
        COMPREPLY=($(compgen -W "O Ov3 A B C" -- "$cur"))
        return
        ;;
    --curve)
        COMPREPLY=($(compgen -W "nist brp" -- "$cur"))
        return
        ;;
    --role | --only)
        COMPREPLY=($(compgen -W "ci ci-subca eum eum-subca euicc dp-subca ds-subca dp-auth dp-pb dp-tls ds-auth ds-tls eim-sign eim-tls" -- "$cur"))
        return
        ;;
    --signatures)
        COMPREPLY=($(compgen -W "rfc6979 random" -- "$cur"))
        return
        ;;
    --layout)
        COMPREPLY=($(compgen -W "jsonl files" -- "$cur"))
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W "der pem both" -- "$cur"))
        return
        ;;
    --key-format)
        COMPREPLY=($(compgen -W "sec1 pkcs8" -- "$cur"))
        return
        ;;
    --expiring-within)
        COMPREPLY=($(compgen -W "12h 7d 30d 90d 2w" -- "$cur"))
        return
        ;;
    --ci | --untrusted | --crl | --issuer-cert | --issuer-key | --profile | --chain | --csr | --public-key | --ca)
        _filedir
        return
        ;;
    esac
    local opts
    case $cmd in
    build) opts="-o --output --variant --curve --only --var --set --key-dir --seed --clock --signatures --force --force-any --format --key-format --pkcs12 --pkcs12=env: --pkcs12=file: --json -q --quiet -v --verbose -h --help" ;;
    verify) opts="--ci --untrusted --crl --at --role --expiring-within --json -q --quiet -v --verbose -h --help" ;;
    mint) opts="euicc --issuer-cert --issuer-key --issuer --profile --template --first-eid --count --shard --curve -j --jobs --seed --clock --signatures -o --output --layout --resume --chain --force -q --quiet -v --verbose --json -h --help" ;;
    lint) opts="--role --variant --json -q --quiet -v --verbose -h --help" ;;
    show) opts="--json -q --quiet -v --verbose -h --help" ;;
    eid) opts="check complete --json -q --quiet -v --verbose -h --help" ;;
    report) opts="-o --output --clock --at --expiring-within --json -q --quiet -v --verbose -h --help" ;;
    graph) opts="--variant --curve -o --output -q --quiet -v --verbose -h --help" ;;
    export) opts="osmo-smdpp -o --output --variant --dp --force --json -q --quiet -v --verbose -h --help" ;;
    issue) opts="--csr --public-key --issuer-cert --issuer-key -o --output --variant --profile --subject --var --set --days --serial --clock --signatures --force --json -q --quiet -v --verbose -h --help" ;;
    renew) opts="--only --days --clock --profile --key-dir --json -q --quiet -v --verbose -h --help" ;;
    probe) opts="--pki --variant --curve --case --matching-id --insecure-http --ca --timeout --json -q --quiet -v --verbose -h --help" ;;
    esac
    if [[ $cur == -* ]] || { [ "$cmd" = eid ] && [ "$cword" -eq 2 ]; } || { [ "$cmd" = mint ] && [ "$cword" -eq 2 ]; } || { [ "$cmd" = export ] && [ "$cword" -eq 2 ]; }; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    if [ "$cmd" = build ]; then
        local dir
        for dir in "$(dirname "$(command -v rsp-pkigen 2>/dev/null || echo /usr/bin/x)")/../share/rsp-pkigen/profiles"; do
            [ -d "$dir" ] && COMPREPLY+=($(compgen -W "$(cd "$dir" && ls *.yaml 2>/dev/null | sed 's/\.yaml$//')" -- "$cur"))
        done
    fi
    _filedir
}
complete -F _rsp_pkigen rsp-pkigen
