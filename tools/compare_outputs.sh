#!/usr/bin/env bash
# Runs two archsketch binaries on the same inputs and compares every output byte for byte:
# the 35 templates (as designs, checked, and exported as SVG, PNG, PDF and .drawio) and each
# given template or draw.io file (imported, checked, and its design exported as SVG and
# .drawio). A refactoring that must not change behaviour passes with no difference.
#
#   tools/compare_outputs.sh OLD_BINARY NEW_BINARY [FILE_OR_DIR...]
#
# Prints each difference and, at the end, how many outputs were compared; exits 1 on any
# difference. PDFs are compared line by line in any order (see below).
set -uo pipefail
old=$1
new=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
compared=0
differ=0

# run NAME ARGS...: runs both binaries with ARGS (where @OUT@ is that binary's output file and
# @DIR@ its folder), then compares their standard output, exit code and output file.
run() {
  local name=$1
  shift
  for side in old new; do
    local bin=${!side}
    mkdir -p "$work/$side"
    local args=()
    for a in "$@"; do
      a=${a//@OUT@/$work/$side/$name}
      a=${a//@DIR@/$work/$side}
      args+=("$a")
    done
    "$bin" "${args[@]}" >"$work/$side/$name.stdout" 2>/dev/null
    echo $? >"$work/$side/$name.rc"
  done
  for part in stdout rc ""; do
    local suffix=${part:+.$part}
    local a=$work/old/$name$suffix b=$work/new/$name$suffix
    [ -e "$a" ] || [ -e "$b" ] || continue
    compared=$((compared + 1))
    if [[ $a == *.pdf ]]; then
      # The PDF writer orders the entries of a resource dictionary differently from run to
      # run, so a PDF is compared as the sorted list of its lines: the same lines, any order.
      LC_ALL=C sort "$a" >"$a.sorted"
      LC_ALL=C sort "$b" >"$b.sorted"
      a=$a.sorted
      b=$b.sorted
    fi
    if ! cmp -s "$a" "$b"; then
      differ=$((differ + 1))
      echo "differs: $name$suffix"
    fi
  done
}

for t in $("$old" templates | awk '{print $1}'); do
  run "$t.ron" new --template "$t" @OUT@
  cp "$work/old/$t.ron" "$work/$t.ron" 2>/dev/null || continue
  run "$t.check.json" check --format json "$work/$t.ron"
  for ext in svg png pdf drawio; do
    run "$t.$ext" export "$work/$t.ron" -o @OUT@
  done
done

inputs=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    while IFS= read -r f; do inputs+=("$f"); done < <(find "$arg" -type f | sort)
  else
    inputs+=("$arg")
  fi
done
n=0
for f in "${inputs[@]}"; do
  n=$((n + 1))
  key=in$n
  run "$key.ron" import "$f" -o @OUT@
  run "$key.check.json" check --format json "$f"
  if [ -s "$work/old/$key.ron" ]; then
    cp "$work/old/$key.ron" "$work/$key.ron"
    run "$key.svg" export "$work/$key.ron" -o @OUT@
    run "$key.drawio" export "$work/$key.ron" -o @OUT@
  fi
done

echo "compared $compared outputs (${#inputs[@]} input files and the templates): $differ differ"
[ "$differ" -eq 0 ]
