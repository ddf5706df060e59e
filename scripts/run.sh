#!/usr/bin/env bash
# The main job, end to end on a shared database (default ../shared/databases/f1).
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-../shared/databases/f1}"
scripts/setup.sh
swift build -c release --product tributary
.build/release/tributary parquet schema "$db"
