#!/usr/bin/env bash
# Documentation examples: runs every command example of README.md (the lines of its ```sh blocks that
# start with `build/infersim `, `\` continuations joined) and every example of the `--help` texts (the
# lines after "Example:" / "Examples:" that start with `infersim `), and fails when one no longer
# works: an exit status other than 0, or other than 3 where the example's own comment says "exits 3".
#
# The examples run one after the other, in the README's order, from a scratch directory holding copies
# of the data files they name, so every `-o` output lands there and never in the source tree, and an
# example may use what an earlier one wrote (import-hf, then estimate -m ./my-mistral.yaml).
#
# usage: readme_examples.sh INFERSIM_BINARY
set -uo pipefail
bin=$(realpath "${1:?path to the infersim binary}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run=$work/run
mkdir -p "$run" "$work/home"

# The files the examples name, copied (small: a few hundred kB).
(cd "$root" && cp -r --parents model_configs hardware_profiles runtime_profiles validation bench \
  tests/hf tests/sweep reports/validation "$run/")

# The --help texts show placeholders for the user's own files; these stand in for them.
cp "$root/tests/sweep/small_spec.yaml" "$run/spec.yaml"
cp "$root/model_configs/llama-2-7b.yaml" "$run/my-model.yaml"
cp "$root/hardware_profiles/a100-80gb-sxm.yaml" "$run/my-gpu.yaml"
mkdir -p "$work/home/models/Qwen2-7B"
cp "$root/tests/hf/meta-llama-3-8b.json" "$work/home/models/Qwen2-7B/config.json"  # any config.json does

# Examples not run here, and why: each measures this host's CPU for tens of seconds to minutes, and
# its answer depends on the machine and its load, not on the documentation.
exempt_reason() {
  local words=" ${1%%#*} "  # the command without its comment
  case "$words" in
    *" calibrate "*) echo "calibrate measures this host (tens of seconds)" ;;
    *" validate "*"--quick "*) echo "validate --quick calibrates and times the CPU suite (a minute a run)" ;;
    *" validate "*"--published "* | *" validate "*"--measured "*) ;;
    *" validate "*) echo "validate without --published or --measured times the full CPU suite (minutes)" ;;
  esac
}

# Prints the examples of a file as one line each (continuations joined); $2 is the command prefix.
readme_examples() {
  awk '
    /^```/ { if (in_sh) in_sh = 0; else if ($0 ~ /^```sh[[:space:]]*$/) in_sh = 1; next }
    !in_sh { next }
    cont { line = line " " $0; sub(/[[:space:]]*$/, "", line) }
    !cont && /^build\/infersim[[:space:]]/ { line = $0; sub(/[[:space:]]*$/, "", line) }
    !cont && !/^build\/infersim[[:space:]]/ { next }
    { if (line ~ /\\$/) { sub(/\\$/, "", line); cont = 1 } else { cont = 0; print line } }
  ' "$1"
}

help_examples() {
  awk '
    /^Examples?:[[:space:]]*$/ { in_ex = 1; next }
    in_ex && cont { line = line " " $0; sub(/[[:space:]]*$/, "", line) }
    in_ex && !cont && /^[[:space:]]+infersim[[:space:]]/ { line = $0; sub(/^[[:space:]]+/, "", line); sub(/[[:space:]]*$/, "", line) }
    in_ex && !cont && !/^[[:space:]]+infersim[[:space:]]/ { in_ex = 0; next }
    in_ex { if (line ~ /\\$/) { sub(/\\$/, "", line); cont = 1 } else { cont = 0; print line } }
  '
}

passed=0
failed=0
skipped=0
# check WHERE COMMAND: runs COMMAND (its first word replaced by the binary) from the scratch directory.
check() {
  local where=$1 cmd=$2 reason args status start allowed=0
  reason=$(exempt_reason "$cmd")
  if [ -n "$reason" ]; then
    echo "skipped ($where): $cmd  [$reason]"
    skipped=$((skipped + 1))
    return
  fi
  args=${cmd#* }
  case "$cmd" in *"#"*"exits 3"*) allowed=3 ;; esac
  start=$SECONDS
  # The limit catches a hang, not slowness: under ASan + UBSan (make sanitize) `validate --published` reads
  # its 1196 rows and runs 355 of them through the serving simulator, in about four and a half minutes
  # on this project's 2-core CI machine alone (268 s), longer beside the rest of the suite (ctest -j 2).
  (cd "$run" && env -u INFERSIM_PATH HOME="$work/home" timeout 600 \
    bash -c "$(printf '%q' "$bin") $args" >"$work/out" 2>"$work/err")
  status=$?
  if [ "$status" -eq 0 ] || { [ "$allowed" -eq 3 ] && [ "$status" -eq 3 ]; }; then
    passed=$((passed + 1))
    [ -z "${DOCS_EXAMPLES_VERBOSE:-}" ] || echo "ok ($where, exit $status, $((SECONDS - start)) s): $cmd"
  else
    echo "FAILED ($where, exit $status): $cmd"
    tail -5 "$work/err" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

readme_count=0
while IFS= read -r cmd; do
  check README.md "$cmd"
  readme_count=$((readme_count + 1))
done < <(readme_examples "$root/README.md")

help_count=0
commands=$("$bin" --help | awk '/^Subcommands:/ { s = 1; next } s && /^  [a-z]/ { print $1 }')
for c in "" $commands; do
  while IFS= read -r cmd; do
    check "infersim $c --help" "$cmd"
    help_count=$((help_count + 1))
  done < <("$bin" $c --help | help_examples)
done

echo "docs examples: $readme_count from README.md, $help_count from --help texts;" \
  "$passed passed, $failed failed, $skipped skipped"
# A parser that finds nothing must not pass.
if [ "$readme_count" -lt 10 ] || [ "$help_count" -lt 1 ]; then
  echo "docs examples: too few examples found; has the README or --help layout changed?"
  exit 1
fi
[ "$failed" -eq 0 ]
