#!/usr/bin/env python3
"""Reads the Parquet files our writer produced (Tests/ParquetTests/Fixtures/writer/*.parquet) with pyarrow and
writes, beside each, <name>.pyarrow.json: pyarrow's schema, every value and each row group's statistics, in an
exact rendering of the stored value that the Swift test (WriterFixtureTests) compares with the data it wrote.

Rendering: null -> null; bool -> "true"/"false"; integers (any width, signed or not, dates, times, timestamps,
INT96 timestamps as nanoseconds) -> decimal string of the integer; float16/float/double -> hex of the
little-endian IEEE bytes; strings -> the string; decimals -> the unscaled integer; binary, fixed-size binary and
UUID -> hex of the bytes. Statistics use pyarrow's raw (physical) min/max in the same rendering.

Usage: tools/make_writer_fixtures.sh (writes the files with our writer, then runs this script), or
       python3 tools/check_written_parquet.py [DIR]
"""
import json
import pathlib
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq

DIR = pathlib.Path(__file__).resolve().parent.parent / "Tests/ParquetTests/Fixtures/writer"


def unscaled(value: "decimal.Decimal", scale: int) -> str:
    sign, digits, exponent = value.as_tuple()
    number = int("".join(map(str, digits)) or "0") * 10 ** (exponent + scale)
    return str(-number if sign else number)


def value_renderer(arrow_type: pa.DataType):
    if pa.types.is_boolean(arrow_type):
        return lambda v: "true" if v else "false"
    if pa.types.is_float16(arrow_type):
        return lambda v: struct.pack("<e", v).hex()
    if pa.types.is_float32(arrow_type):
        return lambda v: struct.pack("<f", v).hex()
    if pa.types.is_float64(arrow_type):
        return lambda v: struct.pack("<d", v).hex()
    if pa.types.is_decimal(arrow_type):
        return lambda v: unscaled(v, arrow_type.scale)
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return lambda v: v
    if isinstance(arrow_type, pa.BaseExtensionType):
        return lambda v: v.bytes.hex()
    if pa.types.is_binary(arrow_type) or pa.types.is_fixed_size_binary(arrow_type):
        return lambda v: v.hex()
    return str  # integers, and temporal types after the cast in `physical`


def physical(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Temporal columns as their stored integers."""
    t = column.type
    if pa.types.is_date32(t) or pa.types.is_time32(t):
        return column.cast(pa.int32())
    if pa.types.is_timestamp(t) or pa.types.is_time64(t):
        return column.cast(pa.int64())
    return column


def stat_renderer(arrow_type: pa.DataType, physical_type: str):
    if pa.types.is_unsigned_integer(arrow_type):
        mask = (1 << (32 if physical_type == "INT32" else 64)) - 1
        return lambda v: str(v & mask)
    if pa.types.is_decimal(arrow_type) and physical_type in ("FIXED_LEN_BYTE_ARRAY", "BYTE_ARRAY"):
        return lambda v: str(int.from_bytes(v, "big", signed=True))
    if physical_type == "FLOAT":
        return lambda v: struct.pack("<f", v).hex()
    if physical_type == "DOUBLE":
        return lambda v: struct.pack("<d", v).hex()
    if physical_type == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if pa.types.is_string(arrow_type):
        return lambda v: v.decode("utf-8") if isinstance(v, bytes) else v
    if physical_type in ("FIXED_LEN_BYTE_ARRAY", "BYTE_ARRAY"):
        return lambda v: v.hex()
    return str


def describe(path: pathlib.Path) -> dict:
    parquet = pq.ParquetFile(path)
    table = parquet.read()
    meta = parquet.metadata
    columns = []
    for index, field in enumerate(table.schema):
        render = value_renderer(field.type)
        values = [None if v is None else render(v) for v in physical(table.column(index)).to_pylist()]
        chunk_meta = [meta.row_group(g).column(index) for g in range(meta.num_row_groups)]
        render_stat = stat_renderer(field.type, chunk_meta[0].physical_type)
        statistics = []
        for chunk in chunk_meta:
            s = chunk.statistics
            entry = {"null_count": s.null_count if s is not None and s.has_null_count else None}
            if s is not None and s.has_min_max:
                entry["min"], entry["max"] = render_stat(s.min_raw), render_stat(s.max_raw)
            statistics.append(entry)
        columns.append({
            "name": field.name, "arrow_type": str(field.type), "nullable": field.nullable,
            "codec": chunk_meta[0].compression, "encodings": sorted({e for c in chunk_meta for e in c.encodings}),
            "values": values, "statistics": statistics,
        })
    return {
        "num_rows": meta.num_rows, "num_row_groups": meta.num_row_groups, "created_by": meta.created_by,
        "key_value_metadata": {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()},
        "columns": columns,
    }


def main():
    folder = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DIR
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise SystemExit(f"no .parquet files in {folder}")
    for path in files:
        out = path.with_suffix(".pyarrow.json")
        out.write_text(json.dumps(describe(path), indent=0, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{path.name}: {pq.ParquetFile(path).metadata.num_rows} rows -> {out.name}")


if __name__ == "__main__":
    main()
