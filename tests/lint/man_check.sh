#!/usr/bin/env bash
# man_check.sh: the man pages pass mandoc's lint and name every option and command the programs'
# own help prints.
#
#   man_check.sh SOURCE_DIR SETT SETTD BILLINGD
#
# 1. `mandoc -T lint -W warning` must print nothing for each page (and groff -ww, when installed).
# 2. Every long option in `sett --help`, `sett help`, `sett help COMMAND`, `settd --help` and
#    `sett-billingd --help` must be in its page, every command of `sett help` in sett.1 (as
#    `Cm NAME`), and every long option a page names must be one that a program accepts.
# Options are looked for as mdoc writes them: `Fl -api` (each argument of Fl up to the next
# macro), or `\-\-api` / `--api` in text and literal blocks; comments do not count.
set -euo pipefail

if [[ $# -ne 4 ]]; then
    echo "usage: man_check.sh SOURCE_DIR SETT SETTD BILLINGD" >&2
    exit 2
fi
src=$1
sett=$2
settd=$3
billingd=$4
mandir=$src/docs/man
pages=(sett.1 settd.8 sett-billingd.8 sett-config.5)

problems=0
problem() {
    echo "man_check: $*"
    problems=$((problems + 1))
}

if ! command -v mandoc >/dev/null 2>&1; then
    echo "man_check: mandoc is not installed (Debian package mandoc); cannot check the pages"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The programs run with a fresh HOME and none of sett's variables, so no local configuration
# changes what they print.
run() {
    env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u SETT_API -u SETT_THEME -u SETT_DATA_DIR \
        -u SETT_API_KEY -u SETT_KIOSK_EMAIL -u SETT_KIOSK_PASSWORD -u SETT_SESSION_FD \
        -u SETT_SERVICE_KEY HOME="$tmp" LC_ALL=C.UTF-8 "$@"
}

# The long options a help text names, one a line, sorted and unique.
long_options() {
    { grep -oE -- '(^|[^[:alnum:]-])--[a-z][a-z0-9-]*' || true; } |
        sed -E 's/^[^-]*--/--/; s/-+$//' | sort -u
}

# A page's source as its reader sees the options: comments dropped, `\-` as `-`, `\&` gone,
# and on macro lines every argument of `Fl` given its hyphen (`Fl -api | -json` becomes
# `Fl --api | --json`), up to the next callable macro.
normalise() {
    sed -e '/^[.'"'"']\\"/d' -e 's/\\".*$//' -e 's/\\-/-/g' -e 's/\\&//g' "$1" |
        awk '
        /^[.\047]/ {
            n = split($0, t, /[ \t]+/)
            out = ""
            infl = 0
            for (i = 1; i <= n; i++) {
                w = t[i]
                if (w == "Fl" || w == ".Fl") {
                    infl = 1
                } else if (infl && w ~ /^[A-Z][a-z][a-z]?$/) {
                    infl = 0
                } else if (infl && w !~ /^[|,;:.()\[\]]$/ && w != "") {
                    w = "-" w
                }
                out = out (i > 1 ? " " : "") w
            }
            print out
            next
        }
        { print }'
}

has_option() { # normalised page, option (with its --)
    grep -qE -- "(^|[^[:alnum:]-])$2([^[:alnum:]-]|\$)" "$1"
}

# --- collect what the programs print ------------------------------------------------------

help_of() { # file to append the text to, then the program and its arguments
    local file=$1 out
    shift
    if ! out=$(run "$@" 2>&1); then
        problem "\`${*##*/}\` failed: $out"
        return 0
    fi
    printf '%s\n' "$out" >>"$file"
}

help_of "$tmp/help.sett.1" "$sett" --help
help_of "$tmp/overview" "$sett" help
touch "$tmp/overview"
commands=$(awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }' \
    "$tmp/overview")
if [[ -z $commands ]]; then
    problem "\`sett help\` lists no commands"
fi
cat "$tmp/overview" >>"$tmp/help.sett.1"
for cmd in $commands; do
    [[ $cmd == help ]] && continue
    help_of "$tmp/help.sett.1" "$sett" help "$cmd"
done
help_of "$tmp/help.settd.8" "$settd" --help
help_of "$tmp/help.sett-billingd.8" "$billingd" --help
: >"$tmp/help.sett-config.5" # names sett's options: the reverse check below covers it

for page in "${pages[@]}"; do
    touch "$tmp/help.$page"
    long_options <"$tmp/help.$page" >"$tmp/opts.$page"
done
sort -u "$tmp"/opts.* >"$tmp/known"
help_problems=$problems # with a help missing, every page would seem to name unknown options
for f in sett.1 settd.8 sett-billingd.8; do
    if [[ ! -s $tmp/opts.$f ]]; then
        problem "no long options found in the help of the program of $f"
    fi
done

# --- check each page ------------------------------------------------------------------------

checked=0
for page in "${pages[@]}"; do
    path=$mandir/$page
    if [[ ! -f $path ]]; then
        problem "$page: missing ($path)"
        continue
    fi
    before=$problems
    tools=mandoc

    lint=$(mandoc -T lint -W warning "$path" 2>&1) || true
    if [[ -n $lint ]]; then
        problem "$page: mandoc -T lint -W warning reports:"
        printf '%s\n' "$lint"
    fi
    if command -v groff >/dev/null 2>&1; then
        tools+=", groff"
        lint=$(groff -ww -mandoc -Tutf8 -z "$path" 2>&1) || true
        if [[ -n $lint ]]; then
            problem "$page: groff -ww -mandoc reports:"
            printf '%s\n' "$lint"
        fi
    fi

    normalise "$path" >"$tmp/norm"
    n=0
    while read -r opt; do
        [[ -z $opt ]] && continue
        n=$((n + 1))
        if ! has_option "$tmp/norm" "$opt"; then
            problem "$page: option $opt is missing (the program's help names it)"
        fi
    done <"$tmp/opts.$page"
    checked=$((checked + n))

    # Every option the page names is one that some program accepts: none is invented.
    while [[ $help_problems -eq 0 ]] && read -r opt; do
        if ! grep -qxF -- "$opt" "$tmp/known"; then
            problem "$page: names $opt, which no program's help knows"
        fi
    done < <(long_options <"$tmp/norm")

    what="$n options"
    if [[ $page == sett.1 ]]; then
        c=0
        for cmd in $commands; do
            c=$((c + 1))
            if ! grep -qE "^[.].*(^|[[:space:]])Cm $cmd([[:space:]]|\$)" "$tmp/norm"; then
                problem "$page: command $cmd is missing (\`sett help\` lists it; write it as Cm $cmd)"
            fi
        done
        what+=", $c commands"
    fi
    if [[ $problems -eq $before ]]; then
        echo "man_check: $page ok ($tools clean; $what)"
    fi
done

if [[ $problems -ne 0 ]]; then
    echo "man_check: FAILED, $problems problems"
    exit 1
fi
echo "man_check: ${#pages[@]} pages, $checked options checked"
