#!/usr/bin/env bash
# Service throughput and latency on loopback (docs/benchmarks.md, "Batch service"): a predict job against
# `tributary predict` on the same split, with 1 and 2 in-process workers; GET /v1/jobs/{id} latency under wrk while
# a predict job runs; a bounded burst of submissions and polls with the job throughput (tools/service_load.py);
# with EMBED_TEXTS=N (default 2000, 0 to skip), an N-text MiniLM embedding job against `tributary embed`.
# Wall time and CPU time (user + sys of the process doing the work) are both reported: on a shared machine the
# CPU time is the steadier figure.
# Usage: tools/bench_service.sh BIN CHECKPOINT DATABASE TASK SPLIT [WORKDIR]
#   BIN: a tributary binary (release: swift build -c release --product tributary). Needs wrk and python3.
set -euo pipefail
BIN=$(realpath "$1"); CHECKPOINT=$(realpath "$2"); DATABASE=$(realpath "$3"); TASK=$4; SPLIT=$5
WORK=$(realpath -m "${6:-/tmp/tributary-bench-service}")
TOOLS=$(dirname "$(realpath "$0")")
PORT=18080
rm -rf "$WORK"; mkdir -p "$WORK"; export TRIBUTARY_HOME=$WORK/home
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }  # utime + stime in s (CLK_TCK = 100)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(date -u +%F\ %H:%M) UTC"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/time -f "direct: %e s wall, %U+%S s CPU" "$BIN" predict "$CHECKPOINT" --db "$DATABASE" --task "$TASK" \
  --split "$SPLIT" --batch-size 16 --threads 2 --out "$WORK/direct.parquet" 2>&1 | grep -E "direct:|wrote"

EMBED_TEXTS=${EMBED_TEXTS:-2000}
if [ "$EMBED_TEXTS" != 0 ]; then
  python3 -c "import sys; [print(f'row {i}: the quick brown fox {i % 7} jumps over {i * 31 % 97} lazy dogs')
    for i in range(int(sys.argv[1]))]" "$EMBED_TEXTS" >"$WORK/texts.txt"
  /usr/bin/time -f "embed direct: %e s wall, %U+%S s CPU" "$BIN" embed --threads 2 <"$WORK/texts.txt" 2>&1 \
    >/dev/null | grep "embed direct"
fi

for WORKERS in 1 2; do
  THREADS=$((2 / WORKERS))
  DATA=$WORK/data$WORKERS
  "$BIN" serve --port $PORT --workers $WORKERS --predict-threads $THREADS --predict-batch-size 16 \
    --embed-threads $THREADS \
    --queue "sqlite:$DATA/queue.sqlite" --data-root "$WORK" --data-root "$(dirname "$CHECKPOINT")" \
    --data-root "$DATABASE" 2>"$WORK/serve$WORKERS.log" &
  SERVE=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  BEFORE=$(cpu $SERVE)
  echo "--- $WORKERS worker(s), $THREADS model thread(s) each"
  python3 "$TOOLS/service_load.py" --url "http://127.0.0.1:$PORT" --submits 0 --chunk 256 \
    --predict "$CHECKPOINT,$DATABASE,$TASK,$SPLIT" | grep -v '^$'
  echo "service CPU for the predict job: $(echo "$(cpu $SERVE) - $BEFORE" | bc) s"
  if [ "$EMBED_TEXTS" != 0 ]; then
    BEFORE=$(cpu $SERVE)
    python3 "$TOOLS/service_load.py" --url "http://127.0.0.1:$PORT" --submits 0 --embed "$EMBED_TEXTS" \
      --embedder minilm --chunk 256 | grep -v '^$'
    echo "service CPU for the embed job: $(echo "$(cpu $SERVE) - $BEFORE" | bc) s"
  fi
  if [ "$WORKERS" = 1 ]; then
    # Status-poll latency while a predict job keeps the worker busy.
    ID=$(curl -s -XPOST "http://127.0.0.1:$PORT/v1/jobs" -d "{\"kind\": \"predict\", \"chunk_size\": 256,
      \"predict\": {\"checkpoint\": \"$CHECKPOINT\", \"database\": \"$DATABASE\", \"task\": \"$TASK\",
      \"split\": \"$SPLIT\"}}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    wrk -t2 -c8 -d10s --latency "http://127.0.0.1:$PORT/v1/jobs/$ID" | grep -E "Latency|50%|90%|99%|Requests/sec"
    curl -s -XDELETE "http://127.0.0.1:$PORT/v1/jobs/$ID" >/dev/null
    python3 "$TOOLS/service_load.py" --url "http://127.0.0.1:$PORT" --submits 200 --polls 2000 --clients 8 \
      | grep -v '^$'
  fi
  kill -TERM $SERVE; wait $SERVE || true
done
python3 - "$WORK" <<'PY'
import sys, pyarrow.parquet as pq, glob
work = sys.argv[1]
direct = pq.read_table(f"{work}/direct.parquet")
for path in sorted(glob.glob(f"{work}/data*/results/*.parquet")):
    t = pq.read_table(path)
    if t.schema.names == direct.schema.names and t.num_rows == direct.num_rows:
        print(path.split("/")[-3], "predict result equals tributary predict's:", t.equals(direct))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
