#!/usr/bin/env bash
# Import throughput (docs/results.md, docs/benchmarks.md): one table of ROWS rows (default 1,000,000; bigint key, int, double,
# timestamp, 32-char text, boolean, smallint) in a PostgreSQL server started here on a loopback port, then, in the
# same run: `tributary import postgres://...`, `psql \copy` of the same table to CSV, `tributary import` of that CSV,
# and pyarrow's CSV reader on it (multi-threaded and one thread). Tributary's times include writing zstd Parquet and
# proposing metadata.json. Usage: tools/bench_import.sh [ROWS]   (needs Debian's postgresql, pyarrow; runs as root
# or as a user who may run initdb)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
swift build -c release --product tributary >/dev/null
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/tributary-bench-import.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" -D "$work/data" -U tributary --auth=trust -E UTF8 --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off" start >/dev/null </dev/null
trap 'as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null; rm -rf "$work"' EXIT
psql() { "$bin/psql" -q -h 127.0.0.1 -p "$port" -U tributary -d postgres "$@"; }
psql -c "CREATE TABLE events AS SELECT g::bigint AS event_id, (g % 50000) AS user_id,
  (random() * 1000)::double precision AS amount, timestamp '2024-01-01' + g * interval '1 second' AS happened_at,
  md5(g::text) AS token, (g % 7 = 0) AS flagged, (g % 13)::smallint AS kind FROM generate_series(1, $rows) g;
  ALTER TABLE events ADD PRIMARY KEY (event_id);"
now() { date +%s.%N; }
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rate() { python3 -c "import sys; n, a, b = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]); print(f'{n:>24}: {b - a:6.2f} s, {$rows / (b - a):>12,.0f} rows/s')" "$1" "$2" "$3"; }
mkdir "$work/csv"
t0=$(now); .build/release/tributary import "postgres://tributary@127.0.0.1:$port/postgres" --out "$work/pg" >/dev/null 2>&1; t1=$(now)
psql -c "\\copy events to '$work/csv/events.csv' with (format csv, header true)"; t2=$(now)
.build/release/tributary import "$work/csv" --out "$work/from-csv" >/dev/null 2>&1; t3=$(now)
python3 -c "import pyarrow.csv as c; c.read_csv('$work/csv/events.csv')"; t4=$(now)
python3 -c "import pyarrow as pa, pyarrow.csv as c; pa.set_cpu_count(1); c.read_csv('$work/csv/events.csv', read_options=c.ReadOptions(use_threads=False))"; t5=$(now)
.build/release/tributary describe "$work/pg" >/dev/null; t6=$(now)
rate "tributary import pg" "$t0" "$t1"; rate "psql \\copy to csv" "$t1" "$t2"; rate "tributary import csv" "$t2" "$t3"
rate "pyarrow read_csv" "$t3" "$t4"; rate "pyarrow read_csv 1 thread" "$t4" "$t5"; rate "(describe alone)" "$t5" "$t6"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
