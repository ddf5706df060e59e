#!/usr/bin/env bash
# The model rows of docs/results.md, end to end: preprocess the four shared databases with the local embedder,
# pretrain one model per held-out database on the other three (masked cells), evaluate it zero-shot on the held-out
# database's tasks, fine-tune it on each task's train split and evaluate again (test split).
# Usage: tools/model_results.sh [OUT_DIR]   (PRETRAIN_STEPS, FINETUNE_STEPS, CONFIG, BIN override the defaults;
# HOLD_OUT="db ..." runs only those held-out databases, e.g. one process per database in parallel)
# Outputs: OUT_DIR/eval/<task>-{zeroshot,finetuned}.tsv (metric<TAB>value) and OUT_DIR/times.tsv (wall seconds).
# Re-running skips finished runs and resumes interrupted ones (`train --resume`).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.tmp/results}"
pretrain_steps="${PRETRAIN_STEPS:-1000}"
finetune_steps="${FINETUNE_STEPS:-300}"
config="${CONFIG:-tools/configs/small.json}"
bin="${BIN:-.build/release/tributary}"
shared=../shared/databases
databases=(f1 history-meta-stackexchange movielens-small nycflights13)
mkdir -p "$out/processed" "$out/runs" "$out/eval"

tasks_of() { python3 -c "import json,sys; print(' '.join(t['name'] for t in json.load(open(sys.argv[1]))['tasks']))" "$shared/$1/metadata.json"; }
finished() { [ -f "$1/metrics.jsonl" ] && tail -1 "$1/metrics.jsonl" | grep -Eq "\"step\":$2[,}]"; }

# train RUN_DIR STEPS ARGS...: trains unless finished, resuming a run that was cut short; logs its wall time.
train() {
  local run="$1" steps="$2"; shift 2
  finished "$run" "$steps" && return 0
  local resume=()
  [ -f "$run/checkpoint/model.safetensors" ] && resume=(--resume)
  local start=$SECONDS
  "$bin" train "$@" --config "$config" --steps "$steps" --out "$run" --name "$(basename "$run")" "${resume[@]}"
  echo -e "$(basename "$run")\t$((SECONDS - start))" >>"$out/times.tsv"
}

for db in "${databases[@]}"; do
  [ -f "$out/processed/$db/metadata.json" ] || "$bin" preprocess "$shared/$db" --out "$out/processed/$db"
done

for held in ${HOLD_OUT:-${databases[*]}}; do
  others=()
  for db in "${databases[@]}"; do [ "$db" = "$held" ] || others+=(--db "$out/processed/$db"); done
  pre="$out/runs/pretrain-without-$held"
  train "$pre" "$pretrain_steps" "${others[@]}"
  for task in $(tasks_of "$held"); do
    db="$out/processed/$held"
    "$bin" evaluate "$pre/checkpoint" --db "$db" --task "$task" >"$out/eval/$task-zeroshot.tsv"
    ft="$out/runs/finetune-$task"
    train "$ft" "$finetune_steps" --db "$db" --task "$task" --init "$pre/checkpoint"
    "$bin" evaluate "$ft/checkpoint" --db "$db" --task "$task" >"$out/eval/$task-finetuned.tsv"
  done
done
