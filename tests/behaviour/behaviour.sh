#!/usr/bin/env bash
# Behaviour fixtures: runs a fixed set of commands (estimate as table, JSON, CSV and --breakdown, sweeps,
# capacity, plan, the report's data files and `validate --published`) and compares each output and exit
# status byte for byte with tests/behaviour/fixtures/. The fixtures were captured from commit e3f82c1,
# the last commit before the restructure of the source tree; a change that alters one of these outputs on
# purpose regenerates them (`tests/behaviour/behaviour.sh --capture build/infersim`) in the same commit
# and says why in its message.
#
# usage: behaviour.sh --check|--capture INFERSIM_BINARY
set -uo pipefail
mode=${1:?--check or --capture}
bin=$(realpath "${2:?path to the infersim binary}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fixtures=$here/fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# case NAME ARGS...: stdout, stderr and the exit status of `infersim ARGS...`, run from the repository
# root (so shipped names resolve the same way wherever the test runs), into $work/NAME.*.
case_() {
  local name=$1
  shift
  (cd "$root" && "$bin" --config-dir "$root" "$@" >"$work/$name.out" 2>"$work/$name.err")
  echo $? >"$work/$name.status"
}

case_ estimate_table estimate -m llama-2-7b -g a100-80gb-sxm
case_ estimate_json estimate -m llama-2-70b -g h200-sxm -b 16 --input 2048 --output 512 --format json
case_ estimate_csv estimate -m mixtral-8x7b -g h100-sxm --tp 2 -b 8 --format csv
case_ estimate_breakdown estimate -m mistral-7b -g h100-sxm --breakdown
case_ estimate_breakdown_json estimate -m llama-2-70b -g h200-sxm --format json --breakdown
case_ estimate_mla_fp8 estimate -m deepseek-v3 -g h200-sxm --tp 8 --weights fp8 --activations fp8 -b 32 --format json
case_ estimate_quant_pp estimate -m llama-3-70b -g a100-80gb-sxm --tp 2 --pp 2 --quant w4a16 -b 4
case_ estimate_runtime estimate -m llama-3-8b -g l40s --runtime eager --attention unfused -b 2
case_ estimate_too_big estimate -m llama-3.1-405b -g a100-40gb-sxm
case_ sweep_flags sweep -m llama-2-7b,llama-3-70b -g h100-sxm,h200-sxm -b 1,8,64 --tp 1,4 \
  --weights bf16,int4 --quiet -o "$work/sweep_flags.csv"
case_ sweep_spec sweep "$root/tests/sweep/small_spec.yaml" --quiet -o "$work/sweep_spec.csv"
case_ capacity capacity -m llama-2-70b -g h100-sxm --tp 8 --input 2048 --output 256 --ttft-slo 1 --tpot-slo 0.05
case_ capacity_moe capacity -m mixtral-8x7b -g a100-80gb-sxm --input 1024 --output 128
case_ plan plan -m llama-3-70b -g a100-80gb-sxm,h100-sxm,h200-sxm,mi300x --input 2048 --output 256 --rate 10 \
  --ttft-slo 1 --tpot-slo 0.05
case_ plan_json plan -m llama-2-7b -g l40s,a100-80gb-pcie --rate 3 --ttft-slo 2 --tpot-slo 0.05 --format json
case_ report report -m llama-2-7b -g a100-80gb-sxm --ttft-slo 500ms --tpot-slo 30ms -o "$work/report"
for f in batches.dat decode_ops.dat prefill_ops.dat rates.dat latency.gp memory.gp roofline.gp serving.gp; do
  cp "$work/report/$f" "$work/report_$f" 2>/dev/null || echo missing >"$work/report_$f"
done
rm -rf "$work/report"
case_ validate_published validate --published -o "$work/validate_published.csv"

if [ "$mode" = --capture ]; then
  rm -rf "$fixtures" && mkdir -p "$fixtures"
  # Paths of the scratch folder appear in some messages; fixtures hold them as @WORK@.
  for f in "$work"/*; do sed "s|$work|@WORK@|g" "$f" >"$fixtures/$(basename "$f")"; done
  echo "behaviour: captured $(ls "$fixtures" | wc -l) files into $fixtures"
  exit 0
fi

failed=0
for f in "$fixtures"/*; do
  name=$(basename "$f")
  if [ ! -e "$work/$name" ]; then
    echo "behaviour: $name: no such output now"
    failed=$((failed + 1))
  elif ! diff -u "$f" <(sed "s|$work|@WORK@|g" "$work/$name") >"$work/diff" 2>&1; then
    echo "behaviour: $name differs from its fixture:"
    head -40 "$work/diff"
    failed=$((failed + 1))
  fi
done
for f in "$work"/*; do
  [ "$(basename "$f")" = diff ] || [ -e "$fixtures/$(basename "$f")" ] || {
    echo "behaviour: $(basename "$f"): output without a fixture (run --capture)"
    failed=$((failed + 1))
  }
done
total=$(ls "$fixtures" | wc -l)
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
