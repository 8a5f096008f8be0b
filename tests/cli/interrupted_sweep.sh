#!/usr/bin/env bash
# A sweep interrupted by SIGINT (Ctrl-C) or SIGTERM (kill, a batch system's time limit) leaves no
# temporary file behind, leaves an existing output untouched, and ends as killed by that signal
# (exit status 130 / 143 as a shell reports it). Usage: interrupted_sweep.sh path/to/infersim
set -u
infersim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Job control: without it a non-interactive shell starts background jobs with SIGINT ignored.
set -m
# 3 million configurations (over 1 GB of CSV): runs for seconds, killed long before the end.
printf 'model: [llama-2-7b]\nbatch: {from: 1, to: 1000000, step: 1}\ninput_tokens: [128, 512, 2048]\n' \
  >"$work/big.yaml"
status=0
for signal in INT TERM; do
  echo "old output" >"$work/out.csv"
  "$infersim" sweep "$work/big.yaml" --quiet -o "$work/out.csv" &
  pid=$!
  # Wait for the temporary file (the sweep is writing), then let it write for half a second.
  for _ in $(seq 100); do
    compgen -G "$work/.out.csv.tmp-*" >/dev/null && break
    sleep 0.05
  done
  sleep 0.5
  kill -s "$signal" "$pid"
  wait "$pid"
  code=$?
  expected=$((128 + $(kill -l "$signal")))
  leftover=$(compgen -G "$work/.out.csv.tmp-*")
  if [[ $code -ne $expected ]]; then
    echo "FAIL: SIG$signal: exit status $code, expected $expected"
    status=1
  fi
  if [[ -n $leftover ]]; then
    echo "FAIL: SIG$signal left $leftover behind"
    status=1
  fi
  if [[ $(cat "$work/out.csv") != "old output" ]]; then
    echo "FAIL: SIG$signal changed the existing output"
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "interrupted sweeps: SIGINT -> 130, SIGTERM -> 143, no temporary file left"
exit $status
