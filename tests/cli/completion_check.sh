#!/bin/bash
# completion_check.sh SETT SOURCE_DIR: the bash completion (completions/sett) offers what the
# built program's help says: its commands, every option in its context, the statuses, the
# themes and the fixed values; before the command word as after it. Only the completion file is
# sourced (plain bash, no bash-completion package).
set -u
sett=${1:?usage: completion_check.sh SETT SOURCE_DIR}
src=${2:?usage: completion_check.sh SETT SOURCE_DIR}
failures=0
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

fail()
{
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Help text in a private home, so no configuration file changes it.
help_of()
{
    HOME=$work/home XDG_CONFIG_HOME=$work/home/.config "$sett" "$@" || fail "sett $* failed"
}

# The long options a help text defines (its lines "  --name ..."), and those taking a value
# ("  --name VALUE").
options_in() { grep -oE '^  --[a-z][a-z-]*' <<<"$1" | sed 's/^  //' | sort -u; }
valued_in() { grep -oE '^  --[a-z][a-z-]* [^ ]' <<<"$1" | sed 's/^  //; s/ .*//' | sort -u; }

mkdir -p "$work/home/.config"
# shellcheck source=/dev/null
source "$src/completions/sett" || fail "sourcing completions/sett"
func=$(complete -p sett 2>/dev/null | sed -n 's/.*-F \([^ ]*\).*/\1/p')
[[ -n $func ]] || {
    echo "FAIL: completions/sett does not register a completion function for sett"
    exit 1
}

# The words offered for the command line "$@", whose last word is the one being completed
# (as bash splits it: "--theme=d" is "--theme" "=" "d"), one a line.
offered()
{
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$func" sett "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | sort -u
}

# expect_all "LINE" "WORDS" [options...]: every one of WORDS is offered for LINE.
expect_all()
{
    local line=$1 want=$2 got w
    read -ra words <<<"$line"
    [[ $line == *" " ]] && words+=("")
    got=$(offered "${words[@]}")
    for w in $want; do
        grep -qxF -- "$w" <<<"$got" ||
            fail "${line}<TAB> does not offer $w (offers: ${got//$'\n'/ })"
    done
}

# expect_only "LINE" "WORDS": exactly WORDS are offered for LINE.
expect_only()
{
    local line=$1 want got
    read -ra words <<<"$line"
    [[ $line == *" " ]] && words+=("")
    want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort -u)
    got=$(offered "${words[@]}")
    [[ $got == "$want" ]] || fail "${line}<TAB> offers [${got//$'\n'/ }], not [${want//$'\n'/ }]"
}

# expect_none_of "LINE" "WORDS": none of WORDS is offered for LINE.
expect_none_of()
{
    local line=$1 got w
    read -ra words <<<"$line"
    [[ $line == *" " ]] && words+=("")
    got=$(offered "${words[@]}")
    for w in $2; do
        grep -qxF -- "$w" <<<"$got" && fail "${line}<TAB> offers $w"
    done
}

storefront_help=$(help_of --help)
overview=$(help_of help)
commands=$(awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' <<<"$overview")
storefront_opts=$(options_in "$storefront_help")
common_opts=$(options_in "$overview")
[[ -n $commands && -n $storefront_opts && -n $common_opts ]] || {
    echo "FAIL: could not read the commands and options from the help of $sett"
    exit 1
}
# the options only the storefront takes: a command cannot follow them
storefront_only=$(comm -23 <(echo "$storefront_opts") <(echo "$common_opts"))

# `sett <TAB>`: every command, every option of the storefront and of the commands
expect_all "sett " "$commands $storefront_opts $common_opts"
expect_all "sett --" "$storefront_opts $common_opts"
expect_only "sett help " "$(grep -vx help <<<"$commands")"

# nothing offered but what the help holds
expect_only "sett --" "$storefront_opts $common_opts"

# the storefront's options that take a value: their value comes next, not an option
for opt in $(valued_in "$storefront_help"); do
    expect_none_of "sett $opt " "$storefront_opts $common_opts $commands"
done
# values a help names as "a|b"
while read -r opt values; do
    expect_only "sett $opt " "${values//|/ }"
    expect_only "sett $opt = " "${values//|/ }"
done < <(grep -oE '^  --[a-z][a-z-]* [a-z]+(\|[a-z]+)+' <<<"$storefront_help" | sed 's/^  //')

# a command never follows an option only the storefront takes; with the others it does
for opt in $storefront_only; do
    if grep -qxF -- "$opt" <<<"$(valued_in "$storefront_help")"; then
        expect_none_of "sett $opt x " "$commands"
    else
        expect_none_of "sett $opt " "$commands"
    fi
done
for opt in $(valued_in "$overview"); do
    expect_only "sett $opt x inv" "invoices"
    expect_only "sett $opt = x inv" "invoices"
    expect_only "sett $opt=x inv" "invoices" # '=' not among COMP_WORDBREAKS
done
expect_only "sett --api http : //127.0.0.1 : 8420 inv" "invoices" # bash splits at ':'
expect_only "sett --json inv" "invoices"

# each command: its options (its own and the common ones), exactly, before and after others
for cmd in $commands; do
    [[ $cmd == help ]] && continue
    cmd_help=$(help_of help "$cmd")
    cmd_opts=$(options_in "$cmd_help")
    [[ -n $cmd_opts ]] || fail "sett help $cmd shows no options"
    expect_only "sett $cmd --" "$cmd_opts"
    expect_only "sett $cmd " "$cmd_opts"
    expect_only "sett --api x $cmd --" "$cmd_opts"
    expect_only "sett --json --data-dir=d $cmd --api x --" "$cmd_opts"
    for opt in $(valued_in "$cmd_help"); do
        expect_none_of "sett $cmd $opt " "$cmd_opts $commands"
        expect_none_of "sett $opt x $cmd $opt " "$cmd_opts $commands"
    done
    # --status STATUS   a, b, c or d
    statuses=$(sed -n 's/^  --status STATUS *//p' <<<"$cmd_help" | sed 's/,/ /g; s/ or / /')
    if [[ -n $statuses ]]; then
        expect_only "sett $cmd --status " "$statuses"
        expect_only "sett --api x $cmd --json --status " "$statuses"
        expect_only "sett $cmd --status = " "$statuses"
        prefixed=$(for s in $statuses; do echo "--status=$s"; done)
        expect_only "sett $cmd --status=" "$prefixed"
    fi
done
expect_only "sett invoices --status p" "paid pending"

# themes: the built-in ones (themes/*.ini), then the user's files
builtin=$(for f in "$src"/themes/*.ini; do basename "$f" .ini; done)
[[ -n $builtin ]] || fail "no themes/*.ini in $src"
HOME=$work/home XDG_CONFIG_HOME=$work/home/.config expect_only "sett --theme " "$builtin"
expect_all "sett --theme " "default dracula mono"
mkdir -p "$work/xdg/sett/themes" "$work/home/.config/sett/themes"
touch "$work/xdg/sett/themes/neon.ini" "$work/home/.config/sett/themes/solar.ini"
XDG_CONFIG_HOME=$work/xdg expect_only "sett --theme " "$builtin neon"
HOME=$work/home XDG_CONFIG_HOME='' expect_only "sett --theme " "$builtin solar"
XDG_CONFIG_HOME=$work/xdg expect_only "sett --no-mouse --theme = n" "neon"

# files for --api-key-file, directories for --data-dir
mkdir -p "$work/files/keys"
touch "$work/files/key.txt"
(
    cd "$work/files" || exit 1
    expect_only "sett --api-key-file k" "key.txt keys"
    expect_only "sett users --api-key-file k" "key.txt keys"
    expect_only "sett --data-dir k" "keys"
    expect_only "sett products --data-dir=k" "--data-dir=keys"
    exit "$failures"
) || failures=$((failures + $?))

if ((failures)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "completion: every command, option and value offered"
