#!/usr/bin/env bash
# The status page at `/` rendered by headless Chromium while jobs run (docs/images/status-page.png): a finished
# embed job (tokens/s), a predict job over explicit seeds with a 3 s SLA (running, at risk, cells/s) and a queued
# predict job with a one-hour SLA.
# Usage: tools/status_page_screenshot.sh BIN CHECKPOINT DATABASE TASK SEEDS.parquet [OUT.png]
#   SEEDS.parquet: seeds of TASK (e.g. the key and time columns of an earlier `tributary predict` file).
set -euo pipefail
BIN=$(realpath "$1"); CHECKPOINT=$(realpath "$2"); DATABASE=$(realpath "$3"); TASK=$4; SEEDS=$(realpath "$5")
OUT=$(realpath -m "${6:-status-page.png}")
WORK=$(mktemp -d); PORT=18082
trap 'kill $SERVE 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BIN" serve --port $PORT --workers 1 --queue "sqlite:$WORK/queue.sqlite" --data-root "$WORK" \
  --data-root "$(dirname "$CHECKPOINT")" --data-root "$DATABASE" --data-root "$(dirname "$SEEDS")" 2>"$WORK/serve.log" &
SERVE=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
submit() { curl -sf -XPOST "http://127.0.0.1:$PORT/v1/jobs" -d "$1" >/dev/null; }
submit '{"kind": "embed", "embed": {"texts": ["the quick brown fox", "jumps over the lazy dog", "relational databases"], "embedder": "hashing"}}'
sleep 1
submit "{\"kind\": \"predict\", \"sla_seconds\": 3, \"chunk_size\": 128, \"predict\": {\"checkpoint\": \"$CHECKPOINT\",
  \"database\": \"$DATABASE\", \"task\": \"$TASK\", \"seeds_path\": \"$SEEDS\"}}"
submit "{\"kind\": \"predict\", \"priority\": -1, \"sla_seconds\": 3600, \"predict\": {\"checkpoint\": \"$CHECKPOINT\",
  \"database\": \"$DATABASE\", \"task\": \"$TASK\", \"split\": \"test\"}}"
sleep 3
chromium --headless --no-sandbox --disable-gpu --window-size=1200,500 --screenshot="$OUT" "http://127.0.0.1:$PORT/" 2>/dev/null
echo "wrote $OUT"
