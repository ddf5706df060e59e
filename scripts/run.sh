#!/usr/bin/env bash
# The main job, end to end on a shared database (default ../shared/databases/f1): install what is needed, build,
# look at the raw tables, preprocess them with the local embedder (all-MiniLM-L6-v2 in Swift) and inspect the result.
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
