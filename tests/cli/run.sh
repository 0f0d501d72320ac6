#!/usr/bin/env bash
# Golden tests of the khomun command line: one data file per case, tests/cli/NNNN-name.t (curl
# tests/data style; the format is in tests/cli/README.md). Each case runs the binary in a fresh
# temporary working directory, so the ./khomun-data default never touches the repository.
#
#   bash tests/cli/run.sh                 every case
#   bash tests/cli/run.sh 0007 0012       only the cases whose names start with these
#   KHOMUN_BIN=build/asan/khomun bash tests/cli/run.sh
#
# Prints "ok N - name" / "not ok N - name" (with the reasons as "#" lines), then exactly one
# summary line "cli: N passed, M failed"; exits 1 when any case failed.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${KHOMUN_BIN:-build/khomun}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
limit=${KHOMUN_CLI_TIMEOUT:-10} # seconds per command; a case that hangs (e.g. a server) fails

if [[ ! -x $bin ]]; then
    echo "cli: $bin not found or not executable (run make, or set KHOMUN_BIN)" >&2
    echo "cli: 0 passed, 1 failed"
    exit 1
fi

# stdout must be exactly one JSON document
json_ok() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json,sys; json.load(sys.stdin)' <"$1" 2>/dev/null
    elif command -v node >/dev/null 2>&1; then
        node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' <"$1" 2>/dev/null
    else
        [[ $(jq -s length <"$1" 2>/dev/null) == 1 ]]
    fi
}

# Print a captured stream as "#   | line" (first 15 lines), for the reasons of a failure.
show() {
    local label=$1 file=$2
    echo "#   $label:"
    if [[ ! -s $file ]]; then
        echo "#   | (empty)"
        return
    fi
    head -n 15 "$file" | sed 's/^/#   | /'
    local n
    n=$(wc -l <"$file")
    ((n > 15)) && echo "#   | ... ($n lines)"
    return 0
}

# run_khomun OUT ERR STDIN_LINE ARGS...: run the binary in the case's cwd with a time limit
run_khomun() {
    local out=$1 err=$2 in=$3
    shift 3
    if [[ -n $in ]]; then
        (cd "$cwd" && printf '%s\n' "$in" | env "${envs[@]}" timeout "$limit" "$bin" "$@") \
            >"$out" 2>"$err"
    else
        (cd "$cwd" && env "${envs[@]}" timeout "$limit" "$bin" "$@" </dev/null) >"$out" 2>"$err"
    fi
}

# split a line on spaces into the array "words", replacing $DATA and $TMP in each word
split_words() {
    local w
    words=()
    read -ra raw <<<"$1"
    for w in "${raw[@]+"${raw[@]}"}"; do
        w=${w//\$DATA/$data}
        w=${w//\$TMP/$tmp}
        words+=("$w")
    done
}

subst() {
    local s=${1//\$DATA/$data}
    printf '%s' "${s//\$TMP/$tmp}"
}

shopt -s nullglob
files=("$here"/[0-9][0-9][0-9][0-9]-*.t)
if (($# > 0)); then
    sel=()
    for f in "${files[@]}"; do
        for p in "$@"; do [[ $(basename "$f") == "$p"* ]] && sel+=("$f") && break; done
    done
    files=("${sel[@]+"${sel[@]}"}")
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/khomun-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 n=0
echo "1..${#files[@]}"

for f in "${files[@]}"; do
    n=$((n + 1))
    name=$(basename "$f" .t)
    dir=$work/$name
    cwd=$dir/cwd data=$dir/data tmp=$dir/tmp
    mkdir -p "$cwd" "$tmp"
    # a clean environment: no data directory or clock offset from the caller
    envs=(-u KHOMUN_DATA -u KHOMUN_FAKE_NOW_OFFSET LC_ALL=C.UTF-8 "KHOMUN_BIN=$bin")

    args="" stdin="" have_args=0 expect_exit="" json=0
    setups=() befores=() checks=() reasons=()
    while IFS= read -r line || [[ -n $line ]]; do
        [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
        key=${line%%:*}
        val=${line#*:}
        val=${val# }
        case $key in
        args) args=$val have_args=1 ;;
        stdin) stdin=$val ;;
        setup) setups+=("$val") ;;
        before) befores+=("khomun" "$val") ;;
        before-sh) befores+=("sh" "$val") ;;
        env) envs+=("$(subst "$val")") ;;
        exit) expect_exit=$val ;;
        stdout-json) [[ $val == true ]] && json=1 ;;
        stdout-contains | stdout-not-contains | stdout-starts-with | stderr-contains | \
            stderr-not-contains | exists | not-exists)
            checks+=("$key" "$val") ;;
        *) reasons+=("bad line in $name.t: $line") ;;
        esac
    done <"$f"
    ((have_args)) || reasons+=("$name.t has no 'args:' line")
    [[ $expect_exit =~ ^[0-9]+$ ]] || reasons+=("$name.t needs 'exit: N'")

    # setup, then the before steps; each must succeed
    for s in "${setups[@]+"${setups[@]}"}"; do
        split_words "$s"
        case ${words[0]:-none} in
        none) ;;
        init)
            run_khomun "$dir/setup.out" "$dir/setup.err" "" init --data "$data" --format json
            rc=$?
            if ((rc != 0)); then
                reasons+=("setup: init exited $rc")
                reasons+=("$(sed 's/^/  /' "$dir/setup.err")")
            fi
            ;;
        file) for p in "${words[@]:1}"; do mkdir -p "$(dirname "$p")" && : >"$p"; done ;;
        dir) for p in "${words[@]:1}"; do mkdir -p "$p"; done ;;
        *) reasons+=("unknown setup '$s'") ;;
        esac
    done
    # befores holds pairs: kind ("khomun" or "sh") and the line, run in the order written
    for ((i = 0; i < ${#befores[@]}; i += 2)); do
        b=${befores[i + 1]}
        if [[ ${befores[i]} == sh ]]; then
            # a shell command line (quoting works), in the case's cwd and environment
            cmd=$(subst "$b")
            (cd "$cwd" && env "${envs[@]}" timeout "$limit" bash -c "$cmd" </dev/null) \
                >"$dir/before.out" 2>"$dir/before.err"
            rc=$?
            what="before-sh: '$b'"
        else
            split_words "$b"
            run_khomun "$dir/before.out" "$dir/before.err" "" "${words[@]}"
            rc=$?
            what="before: 'khomun $b'"
        fi
        if ((rc != 0)); then
            reasons+=("$what exited $rc: $(head -n 3 "$dir/before.err")")
        fi
    done

    if ((${#reasons[@]} == 0)); then
        split_words "$args"
        run_khomun "$dir/out" "$dir/err" "$stdin" "${words[@]+"${words[@]}"}"
        rc=$?
        if ((rc == 124)); then
            reasons+=("timed out after ${limit}s (did it start serving?)")
        elif [[ $rc != "$expect_exit" ]]; then
            reasons+=("exit status: -$expect_exit +$rc")
        fi
        for ((i = 0; i < ${#checks[@]}; i += 2)); do
            k=${checks[i]}
            v=$(subst "${checks[i + 1]}")
            case $k in
            stdout-contains) grep -qF -- "$v" "$dir/out" || reasons+=("stdout lacks: $v") ;;
            stdout-not-contains) grep -qF -- "$v" "$dir/out" && reasons+=("stdout has: $v") ;;
            stderr-contains) grep -qF -- "$v" "$dir/err" || reasons+=("stderr lacks: $v") ;;
            stderr-not-contains) grep -qF -- "$v" "$dir/err" && reasons+=("stderr has: $v") ;;
            stdout-starts-with)
                head -c "${#v}" "$dir/out" | cmp -s - <(printf '%s' "$v") ||
                    reasons+=("stdout does not start with: $v")
                ;;
            exists) (cd "$cwd" && [[ -e $v ]]) || reasons+=("missing file: $v") ;;
            not-exists) (cd "$cwd" && [[ ! -e $v ]]) || reasons+=("unexpected file: $v") ;;
            esac
        done
        if ((json)) && ! json_ok "$dir/out"; then
            reasons+=("stdout is not one JSON document")
        fi
    fi

    if ((${#reasons[@]} == 0)); then
        echo "ok $n - $name"
        passed=$((passed + 1))
    else
        echo "not ok $n - $name"
        echo "#   khomun $args"
        for r in "${reasons[@]}"; do
            while IFS= read -r l; do echo "#   $l"; done <<<"$r"
        done
        [[ -e $dir/out ]] && show stdout "$dir/out"
        [[ -e $dir/err ]] && show stderr "$dir/err"
        failed=$((failed + 1))
    fi
    rm -rf "$dir"
done

echo "cli: $passed passed, $failed failed"
((failed == 0))
