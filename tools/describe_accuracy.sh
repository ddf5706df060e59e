#!/usr/bin/env bash
# Accuracy of `tributary describe` against human annotations (docs/results.md): for each database folder given,
# copy its Parquet files (not metadata.json) into a temporary folder, propose, and compare with the original
# metadata.json. Usage: tools/describe_accuracy.sh DB_DIR...   (default: the four shared databases)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product tributary -c release >/dev/null
bin=.build/release/tributary
dbs=("$@")
[ ${#dbs[@]} -gt 0 ] || dbs=(../shared/databases/{f1,history-meta-stackexchange,movielens-small,nycflights13})
for db in "${dbs[@]}"; do
  scratch=$(mktemp -d)
  cp "$db"/*.parquet "$scratch"/
  echo "== $(basename "$db")"
  "$bin" describe "$scratch" --compare "$db/metadata.json" | sed -n '/^semantic types/,$p'
  rm -rf "$scratch"
done
