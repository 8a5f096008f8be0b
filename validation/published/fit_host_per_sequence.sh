#!/usr/bin/env bash
# Fits one runtime profile's host_per_sequence_us (the host's work per running sequence per step: the
# scheduler's and sampler's bookkeeping, docs/formulas.md#runtime_overhead) to that profile's
# pre-registered fit rows (validation/published/fit_split.md, section 2), and to no other row. With
# FIT_KEY=step_overhead_us (and FIT_MAX_US, the search's upper end) it fits the profile's host time per
# step instead, the one term fit_split.md allows for trtllm-python.
#
# The value is the one minimising the sum over the fit rows of ln(predicted / published)^2, found by a
# golden-section search over [0, FIT_MAX_US] us (200 unless given; Kiefer 1953); each evaluation is one
# `infersim validate --published` run with the shipped profile copied into a temporary --config-dir that
# sets the term.
# The error of a rate is inverted into the time domain first, so that the fit does not lean either way.
# Prints the value (rounded to 0.1 us) and each fit row's error at it; it changes no file: copy the
# value into runtime_profiles/RUNTIME.yaml with this command in its comment.
#
# Usage: validation/published/fit_host_per_sequence.sh build/infersim RUNTIME LINE [LINE...]
#        FIT_KEY=step_overhead_us FIT_MAX_US=N validation/published/fit_host_per_sequence.sh ...
#   LINE: a line of validation/published/published_measurements.csv listed for RUNTIME in fit_split.md
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 INFERSIM RUNTIME LINE [LINE...]" >&2
  exit 2
fi
infersim=$1
runtime=$2
shift 2
lines=" $* "
key=${FIT_KEY:-host_per_sequence_us}
case "$key" in
  host_per_sequence_us | step_overhead_us) ;;
  *) echo "$0: FIT_KEY must be host_per_sequence_us or step_overhead_us, not '$key'" >&2; exit 2 ;;
esac
max_us=${FIT_MAX_US:-200}
awk -v m="$max_us" 'BEGIN { exit !(m ~ /^[0-9]+(\.[0-9]+)?$/ && m > 0) }' ||
  { echo "$0: FIT_MAX_US must be a positive number of microseconds, not '$max_us'" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
profile="$root/runtime_profiles/$runtime.yaml"
[ -r "$profile" ] || { echo "$0: no runtime profile $profile" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/runtime_profiles"
# Every profile, so that a `base:` the fitted one names is found beside it.
cp "$root"/runtime_profiles/*.yaml "$work/runtime_profiles/"

# loss VALUE_US: the sum of squared log errors of the fit rows (time domain), with the term at VALUE_US.
loss() {
  grep -v "^$key:" "$profile" >"$work/runtime_profiles/$runtime.yaml"
  echo "$key: $1" >>"$work/runtime_profiles/$runtime.yaml"
  "$infersim" --config-dir "$work" validate --published >"$work/report.txt" || [ $? -eq 3 ]
  awk -v lines="$lines" -v runtime="$runtime" '
    $NF == "(fit)" && index(lines, " " $1 " ") > 0 && $5 == runtime {
      for (i = NF; i > 0; --i) if ($i ~ /^[+-][0-9.]+%$/) { e = substr($i, 1, length($i) - 1) / 100; break }
      # A rate (throughput) predicted (1 + e) times the published one is a time 1 / (1 + e) as long.
      l = log(1 + e); sum += l * l; ++n
      rows = rows sprintf("  line %s: %+.1f%%\n", $1, 100 * e)
    }
    END {
      if (n == 0) { print "no fit row of runtime " runtime " among lines" lines > "/dev/stderr"; exit 1 }
      printf "%.10g\n", sum
      printf "%s", rows > "/dev/stderr"
    }' "$work/report.txt" 2>"$work/rows.txt"
}

lo=0
hi=$max_us
ratio=0.6180339887498949
a=$(awk -v l=$lo -v h=$hi -v r=$ratio 'BEGIN { printf "%.6f", h - r * (h - l) }')
b=$(awk -v l=$lo -v h=$hi -v r=$ratio 'BEGIN { printf "%.6f", l + r * (h - l) }')
fa=$(loss "$a")
fb=$(loss "$b")
while awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(h - l > 0.05) }'; do
  if awk -v x="$fa" -v y="$fb" 'BEGIN { exit !(x < y) }'; then
    hi=$b; b=$a; fb=$fa
    a=$(awk -v l="$lo" -v h="$hi" -v r=$ratio 'BEGIN { printf "%.6f", h - r * (h - l) }')
    fa=$(loss "$a")
  else
    lo=$a; a=$b; fa=$fb
    b=$(awk -v l="$lo" -v h="$hi" -v r=$ratio 'BEGIN { printf "%.6f", l + r * (h - l) }')
    fb=$(loss "$b")
  fi
done
best=$(awk -v l="$lo" -v h="$hi" 'BEGIN { printf "%.1f", (l + h) / 2 }')
loss "$best" >/dev/null
echo "$key: $best  # $runtime, fitted on lines$lines"
cat "$work/rows.txt"
