#!/usr/bin/env bash
# Regenerates Tests/ParquetTests/Fixtures/writer/: our writer writes the files (WriterFixtureTests, with
# TRIBUTARY_WRITE_FIXTURES=1), then pyarrow reads them into <name>.pyarrow.json (tools/check_written_parquet.py).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p Tests/ParquetTests/Fixtures/writer
TRIBUTARY_WRITE_FIXTURES=1 swift test --filter WriterFixtureTests/writesTheCommittedBytes
python3 tools/check_written_parquet.py
