#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md in one go, each beside its peer, and prints the raw output.
# Release build; the inputs it needs are generated under .tmp/ (not committed). Usage: scripts/bench.sh [section...]
# Sections: parquet gemm embed preprocess sampler (default: all). Quiet the machine first: timings are wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
sections=("${@:-parquet gemm embed preprocess sampler}")
sections=(${sections[*]})
swift build -c release --product tributary >/dev/null
bin=.build/release/tributary
shared=../shared/databases
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

for section in "${sections[@]}"; do
  echo; echo "## $section"
  case "$section" in
  parquet)
    [ -f .tmp/bench/mixed-5m.parquet ] || python3 tools/make_bench_parquet.py .tmp/bench/mixed-5m.parquet
    files=("$shared/nycflights13/flights.parquet" .tmp/bench/mixed-5m.parquet)
    "$bin" bench parquet "${files[@]}" --threads 2
    python3 tools/bench_pyarrow.py "${files[@]}" --threads 2
    ;;
  gemm)
    "$bin" bench gemm
    ;;
  embed)
    for t in 1 2; do "$bin" bench embed --threads "$t"; done
    if [ -x .venv/bin/python ]; then
      for t in 1 2; do .venv/bin/python tools/minilm_bench_torch.py --threads "$t"; done
    else
      echo "(no .venv with torch: see tools/README.md for the PyTorch side)"
    fi
    ;;
  preprocess)
    for db in f1 nycflights13 movielens-small history-meta-stackexchange; do
      /usr/bin/time -f "$db: %e s wall, %M KB peak RSS" "$bin" preprocess "$shared/$db" --out ".tmp/bench/processed-$db" \
        --embedder hashing 2>&1 | grep -E "cells|wall"
    done
    if [ -f .tmp/tpch-sf1/metadata.json ]; then
      for t in 1 2; do
        /usr/bin/time -f "tpch-sf1 threads=$t: %e s wall, %M KB peak RSS" "$bin" preprocess .tmp/tpch-sf1 \
          --out .tmp/bench/processed-tpch --embedder hashing --threads "$t" 2>&1 | grep -E "cells|wall"
      done
    else
      echo "(no .tmp/tpch-sf1: python3 tools/make_tpch.py to generate TPC-H SF1)"
    fi
    ;;
  sampler)
    for db in f1 nycflights13 history-meta-stackexchange; do
      [ -f ".tmp/bench/processed-$db/metadata.json" ] || "$bin" preprocess "$shared/$db" \
        --out ".tmp/bench/processed-$db" --embedder hashing >/dev/null 2>&1
      for t in 1 2; do "$bin" bench sampler ".tmp/bench/processed-$db" --pretrain --threads "$t"; done
    done
    ;;
  esac
done
