#!/usr/bin/env bash
# The main job, end to end on a shared database (default ../shared/databases/f1): install what is needed, build,
# look at the raw tables, preprocess them with the local embedder (all-MiniLM-L6-v2 in Swift), inspect the result,
# then train a small relational transformer on the database's first task (200 steps), evaluate it on the test split
# and write its predictions as Parquet.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-../shared/databases/f1}"
out="${2:-.tmp/processed/$(basename "$db")}"
scripts/setup.sh
swift build -c release --product tributary
bin=.build/release/tributary
echo "== raw tables ($db)"
"$bin" parquet schema "$db"
echo "== preprocess -> $out"
"$bin" preprocess "$db" --out "$out"
echo "== inspect $out"
"$bin" inspect "$out"
task=$(python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["tasks"]; print(t[0]["name"] if t else "")' \
  "$out/metadata.json")
[ -n "$task" ] || exit 0
run=".tmp/runs/quickstart-$(basename "$out")-$task"
rm -rf "$run"
echo "== train a small model on task $task (200 steps, tools/configs/small.json) -> $run"
"$bin" train --db "$out" --task "$task" --config tools/configs/small.json --steps 200 --out "$run"
echo "== evaluate on the test split (each example averaged over 4 sampled contexts)"
"$bin" evaluate "$run/checkpoint" --db "$out" --task "$task" --samples 4
echo "== predict the test split -> $run/predictions.parquet"
"$bin" predict "$run/checkpoint" --db "$out" --task "$task" --out "$run/predictions.parquet"
"$bin" parquet cat "$run/predictions.parquet" --limit 5
