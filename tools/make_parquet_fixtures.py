#!/usr/bin/env python3
"""Writes small Parquet files with pyarrow into Tests/ParquetTests/Fixtures/generated/, covering every
codec x encoding x data page version x nullability combination pyarrow can write, plus files of every logical type,
then checks each file's footer (its own Thrift decoding, not pyarrow's summary) and writes generated/MANIFEST.md.

Usage: python3 tools/make_parquet_fixtures.py   (deterministic: fixed seeds, no timestamps in the files)
No expected-value files are written here: tools/parquet_expect.py renders them from these files.
"""
import datetime
import decimal
import io
import pathlib
import uuid

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/ParquetTests/Fixtures/generated"
ROWS = 300
PAGE = dict(data_page_size=512, write_batch_size=64)  # several data pages per column
CODECS = {"none": "NONE", "snappy": "SNAPPY", "gzip": "GZIP", "brotli": "BROTLI", "zstd": "ZSTD", "lz4": "LZ4"}
VERSIONS = {"v1": "1.0", "v2": "2.0"}
NULL_FRACTION = 0.2
POOL = 40  # distinct values per column, so that dictionaries stay small and deltas still vary


def rng_for(name: str) -> np.random.Generator:
    return np.random.default_rng(sum(name.encode()) * 7919 + 20261123)


def pooled(rng, pool):
    """ROWS values drawn from `pool` (a list), deterministic."""
    return [pool[i] for i in rng.integers(0, len(pool), ROWS)]


def int_pool(rng, dtype):
    info = np.iinfo(dtype)
    extremes = [info.min, info.max, 0, 1, -1 if info.min < 0 else 2]
    body = rng.integers(info.min, info.max, POOL - len(extremes), dtype=dtype, endpoint=True).tolist()
    return [int(v) for v in extremes + body]


def float_pool(rng, dtype):
    special = [0.0, -0.0, 1.0, -1.5, float(np.finfo(dtype).max), float(np.finfo(dtype).tiny)]
    body = (rng.standard_normal(POOL - len(special)) * 1000).astype(dtype).tolist()
    return [float(np.array(v, dtype=dtype)) for v in special + body]


def string_pool(rng):
    prefixes = ["", "a", "tributary", "tributary/", "relational", "ü€𝄞"]
    pool = [""]
    while len(pool) < POOL:
        stem = prefixes[rng.integers(len(prefixes))]
        pool.append(stem + "".join(chr(97 + c) for c in rng.integers(0, 26, rng.integers(0, 12))))
    return pool


def binary_pool(rng):
    return [bytes(rng.integers(0, 256, rng.integers(0, 16), dtype=np.uint8)) for _ in range(POOL)]


def fixed_pool(rng, width):
    return [bytes(rng.integers(0, 256, width, dtype=np.uint8)) for _ in range(POOL)]


def values(kind: str, rng):
    """(pyarrow type, python values) for one column kind."""
    if kind in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        return getattr(pa, kind)(), pooled(rng, int_pool(rng, np.dtype(kind)))
    if kind in ("float", "double", "float16"):
        dtype = {"float": np.float32, "double": np.float64, "float16": np.float16}[kind]
        pool = float_pool(rng, dtype)
        if kind == "float16":
            return pa.float16(), [np.float16(v) for v in pooled(rng, pool)]
        return (pa.float32() if kind == "float" else pa.float64()), pooled(rng, pool)
    if kind == "bool":
        return pa.bool_(), [bool(v) for v in rng.integers(0, 2, ROWS)]
    if kind == "string":
        return pa.string(), pooled(rng, string_pool(rng))
    if kind == "binary":
        return pa.binary(), pooled(rng, binary_pool(rng))
    if kind == "fixed_size_binary":
        return pa.binary(5), pooled(rng, fixed_pool(rng, 5))
    if kind == "date32":
        pool = [datetime.date(1970, 1, 1) + datetime.timedelta(days=int(d)) for d in rng.integers(-30000, 30000, POOL)]
        return pa.date32(), pooled(rng, pool)
    if kind.startswith("timestamp_"):
        _, unit, tz = (kind.split("_") + [None])[:3]
        scale = {"s": 1, "ms": 1000, "us": 10**6, "ns": 10**9}[unit]
        pool = [int(v) * scale + int(f) % scale for v, f in zip(rng.integers(-2 * 10**9, 4 * 10**9, POOL),
                                                               rng.integers(0, 10**9, POOL))]
        return pa.timestamp(unit, tz="UTC" if tz else None), pooled(rng, pool)
    if kind.startswith("decimal_"):
        precision, scale = map(int, kind.split("_")[1:])
        digits = rng.integers(0, 10, (POOL, precision))
        pool = []
        for row in digits:
            sign = "-" if row[0] % 2 else ""
            pool.append(decimal.Decimal(sign + "".join(map(str, row))).scaleb(-scale))
        return pa.decimal128(precision, scale), pooled(rng, pool)
    if kind == "uuid":
        pool = [uuid.UUID(bytes=bytes(rng.integers(0, 256, 16, dtype=np.uint8))).bytes for _ in range(POOL)]
        return pa.uuid(), pooled(rng, pool)
    raise ValueError(kind)


def column(kind: str, name: str, nullable: bool):
    rng = rng_for(name)
    arrow_type, data = values(kind, rng)
    if nullable:
        mask = rng.random(ROWS) < NULL_FRACTION
        data = [None if m else v for v, m in zip(data, mask)]
    if arrow_type == pa.uuid():
        storage = pa.array(data, pa.binary(16))
        return pa.field(name, arrow_type, nullable), pa.ExtensionArray.from_storage(arrow_type, storage)
    if arrow_type == pa.float16():
        return pa.field(name, arrow_type, nullable), pa.array(np.array([0 if v is None else v for v in data],
                                                                        dtype=np.float16),
                                                               mask=np.array([v is None for v in data]))
    return pa.field(name, arrow_type, nullable), pa.array(data, arrow_type)


def table(kinds, nullable: bool):
    fields, arrays = [], []
    for kind in kinds:
        field, array = column(kind, kind, nullable)
        fields.append(field)
        arrays.append(array)
    if nullable:  # a column with no value at all, of the first kind
        field, _ = column(kinds[0], "all_null", True)
        fields.append(field)
        arrays.append(pa.nulls(ROWS, field.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


CORE = ["int32", "int64", "float", "double", "bool", "string", "binary", "fixed_size_binary"]
# encoding name -> (column kinds, extra write_table arguments, expected value encodings of the data pages)
ENCODINGS = {
    "plain": (CORE, dict(use_dictionary=False), None),
    "dict": (CORE, dict(use_dictionary=True), None),
    "plaindict": (CORE, dict(use_dictionary=True, version="1.0"), None),
    "deltabinarypacked": (["int32", "int64"], dict(column_encoding="DELTA_BINARY_PACKED", data_page_size=16), "DELTA_BINARY_PACKED"),
    "deltalengthbytearray": (["string", "binary"], dict(column_encoding="DELTA_LENGTH_BYTE_ARRAY"),
                             "DELTA_LENGTH_BYTE_ARRAY"),
    "deltabytearray": (["string", "binary", "fixed_size_binary"], dict(column_encoding="DELTA_BYTE_ARRAY"),
                       "DELTA_BYTE_ARRAY"),
    "bytestreamsplit": (["float", "double", "int32", "int64", "fixed_size_binary", "float16"],
                        dict(column_encoding="BYTE_STREAM_SPLIT", data_page_size=256), "BYTE_STREAM_SPLIT"),
    "rle": (["bool"], dict(column_encoding="RLE", data_page_size=8), "RLE"),
}

LOGICAL = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float", "double",
           "bool", "string", "binary", "fixed_size_binary", "date32",
           "timestamp_s", "timestamp_ms", "timestamp_us", "timestamp_ns",
           "timestamp_s_tz", "timestamp_ms_tz", "timestamp_us_tz", "timestamp_ns_tz",
           "decimal_5_2", "decimal_38_10", "uuid"]
# Extra single files: (name, kinds, codec, write_table arguments).
EXTRAS = [
    ("zstd-dictfallback-v1-optional", ["int64", "string"], "ZSTD",
     dict(use_dictionary=True, dictionary_pagesize_limit=128, data_page_version="1.0")),
    ("zstd-dictfallback-v2-optional", ["int64", "string"], "ZSTD",
     dict(use_dictionary=True, dictionary_pagesize_limit=128, data_page_version="2.0")),
    ("snappy-types-decimalint-v1-optional", ["decimal_5_2", "decimal_15_3", "decimal_30_4"], "SNAPPY",
     dict(use_dictionary=False, store_decimal_as_integer=True, data_page_version="1.0")),
    ("snappy-types-int96-v1-optional", ["timestamp_ns", "timestamp_ms_tz"], "SNAPPY",
     dict(use_dictionary=False, use_deprecated_int96_timestamps=True, data_page_version="1.0")),
    ("none-multirowgroup-v1-optional", CORE, "NONE",
     dict(use_dictionary=True, row_group_size=128, data_page_version="1.0")),
]


def write(name: str, tbl: pa.Table, **kwargs) -> pathlib.Path:
    path = OUT / f"{name}.parquet"
    args = dict(PAGE)
    args.update(kwargs)
    buffer = io.BytesIO()
    pq.write_table(tbl, buffer, **args)
    path.write_bytes(buffer.getvalue())
    return path


def matrix():
    """codec x encoding x page version x nullability."""
    written = []
    for codec_name, codec in CODECS.items():
        for encoding, (kinds, kwargs, _) in ENCODINGS.items():
            for version, page_version in VERSIONS.items():
                for nullability in ("required", "optional"):
                    name = f"{codec_name}-{encoding}-{version}-{nullability}"
                    tbl = table(kinds, nullability == "optional")
                    args = dict(kwargs, compression=codec, data_page_version=page_version)
                    if "column_encoding" in args:
                        args["use_dictionary"] = False
                    written.append((write(name, tbl, **args), encoding))
    return written


def logical_types():
    """Every logical type, PLAIN and dictionary, both page versions, both nullabilities (ZSTD)."""
    written = []
    for encoding, dictionary in (("plain", False), ("dict", True)):
        for version, page_version in VERSIONS.items():
            for nullability in ("required", "optional"):
                name = f"zstd-types-{encoding}-{version}-{nullability}"
                tbl = table(LOGICAL, nullability == "optional")
                written.append((write(name, tbl, compression="ZSTD", use_dictionary=dictionary,
                                      data_page_version=page_version), encoding))
    legacy = table(LOGICAL, True)
    written.append((write("snappy-types-plaindict-v1-optional", legacy, compression="SNAPPY", use_dictionary=True,
                          version="1.0", data_page_version="1.0", coerce_timestamps="us",
                          allow_truncated_timestamps=True), "plaindict"))
    for name, kinds, codec, kwargs in EXTRAS:
        written.append((write(name, table(kinds, name.endswith("optional")), compression=codec, **kwargs), None))
    return written


# --- Verification: a minimal Thrift compact decoder for the footer, independent of pyarrow's summary. ---

CODEC_NAMES = {0: "UNCOMPRESSED", 1: "SNAPPY", 2: "GZIP", 3: "LZO", 4: "BROTLI", 5: "LZ4", 6: "ZSTD", 7: "LZ4_RAW"}
ENCODING_NAMES = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
                  6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}
PAGE_NAMES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}


class Compact:
    """Decodes Thrift compact structs into {field id: value} dicts."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def byte(self):
        self.pos += 1
        return self.data[self.pos - 1]

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind):
        if kind in (1, 2):
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return None
        if kind == 8:
            n = self.varint()
            self.pos += n
            return self.data[self.pos - n:self.pos]
        if kind in (9, 10):
            header = self.byte()
            size, elem = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.byte() == 1 if elem in (1, 2) else self.value(elem) for _ in range(size)]
        if kind == 11:
            size = self.varint()
            kinds = self.byte() if size else 0
            return {self.value(kinds >> 4): self.value(kinds & 0x0F) for _ in range(size)}
        if kind == 12:
            return self.struct()
        raise ValueError(f"thrift type {kind} at {self.pos}")

    def struct(self):
        fields, last = {}, 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            last = last + delta if delta else self.zigzag()
            fields[last] = self.value(kind)


def footer(path: pathlib.Path):
    data = path.read_bytes()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1", path
    length = int.from_bytes(data[-8:-4], "little")
    return Compact(data[-8 - length:-8]).struct()


def pages(data: bytes, start: int, end: int):
    """(page type, value encoding) of every page header between start and end of a column chunk."""
    reader, found = Compact(data), []
    reader.pos = start
    while reader.pos < end:
        header = reader.struct()
        page = PAGE_NAMES[header[1]]
        encoding = {"DATA_PAGE": lambda: header[5][2], "DATA_PAGE_V2": lambda: header[8][4],
                    "DICTIONARY_PAGE": lambda: header[7][2]}[page]()
        found.append((page, ENCODING_NAMES[encoding]))
        reader.pos += header[3]
    return found


def describe(path: pathlib.Path):
    """Per column (path, codec, value encodings of data pages, page counts by type) over all row groups,
    from the page headers themselves (Arrow's encoding_stats call every data page DATA_PAGE)."""
    data = path.read_bytes()
    meta = footer(path)
    columns = {}
    for group in meta[4]:
        for chunk in group[1]:
            cmd = chunk[3]
            name = ".".join(p.decode() for p in cmd[3])
            info = columns.setdefault(name, dict(codecs=set(), data_encodings=set(), pages={}))
            info["codecs"].add(CODEC_NAMES[cmd[4]])
            start = cmd.get(11) or cmd[9]
            for page, encoding in pages(data, start, start + cmd[7]):
                info["pages"][page] = info["pages"].get(page, 0) + 1
                if page != "DICTIONARY_PAGE":
                    info["data_encodings"].add(encoding)
    return meta[3], len(meta[4]), columns


def expected_encoding(encoding, column_name, version):
    fixed = ENCODINGS.get(encoding, (None, None, None))[2] if encoding else None
    if fixed:
        return {fixed}
    if column_name == "bool" or (column_name == "all_null" and encoding == "rle"):
        return {"RLE"} if version == "v2" and encoding != "plaindict" else {"PLAIN"}
    return {"plain": {"PLAIN"}, "dict": {"RLE_DICTIONARY"}, "plaindict": {"PLAIN_DICTIONARY"}}.get(encoding)


def verify(path: pathlib.Path, encoding):
    """Checks codec, page version, page count and encodings against the file's name; returns a manifest row."""
    name = path.stem
    parts = name.split("-")
    codec = {"none": "UNCOMPRESSED", "lz4": "LZ4_RAW"}.get(parts[0], parts[0].upper())
    version = next(p for p in parts if p in VERSIONS)
    rows, groups, columns = describe(path)
    problems = []
    for column_name, info in columns.items():
        if info["codecs"] != {codec}:
            problems.append(f"{column_name}: codec {info['codecs']}")
        data_pages = {p: c for p, c in info["pages"].items() if p != "DICTIONARY_PAGE"}
        wanted_page = "DATA_PAGE" if version == "v1" else "DATA_PAGE_V2"
        if set(data_pages) != {wanted_page}:
            problems.append(f"{column_name}: pages {data_pages}")
        single_page_ok = column_name == "all_null" or (column_name in ("bool", "float16") and encoding != "rle")
        if not single_page_ok and sum(data_pages.values()) < 2:
            problems.append(f"{column_name}: only {sum(data_pages.values())} data pages")
        wanted = expected_encoding(encoding, column_name, version)
        if wanted and column_name != "all_null" and info["data_encodings"] != wanted:
            problems.append(f"{column_name}: encodings {info['data_encodings']}, wanted {wanted}")
    if problems:
        print(f"{name}: " + "; ".join(problems))
        return None
    encodings = sorted(set().union(*(i["data_encodings"] for i in columns.values())))
    pages = {}
    for info in columns.values():
        for page, count in info["pages"].items():
            pages[page] = pages.get(page, 0) + count
    page_text = ", ".join(f"{p} x{c}" for p, c in sorted(pages.items()))
    return f"| `{path.name}` | {rows} | {groups} | {len(columns)} | {codec} | {page_text} | {', '.join(encodings)} |"


MANIFEST_HEAD = """# Generated Parquet fixtures

Written by `python3 tools/make_parquet_fixtures.py` (pyarrow {pyarrow}, fixed seeds). Do not edit by hand.
Names read `<codec>-<encoding>-<data page version>-<nullability>.parquet`:

- codecs: `none`, `snappy`, `gzip`, `brotli`, `zstd`, `lz4` (pyarrow's `lz4` writes the LZ4_RAW codec);
- encodings: `plain`; `dict` (RLE_DICTIONARY, format 2.6); `plaindict` (PLAIN_DICTIONARY, format 1.0);
  `deltabinarypacked` (int32, int64); `deltalengthbytearray` and `deltabytearray` (string, binary; the latter also
  fixed_size_binary); `bytestreamsplit` (float, double, int32, int64, fixed_size_binary, float16); `rle` (booleans);
- `v1`/`v2`: DataPageHeader or DataPageHeaderV2; `required`: every column non-nullable; `optional`: about 20%
  nulls per column plus an `all_null` column of the first column's type.

Core columns (`plain`, `dict`, `plaindict`): int32, int64, float, double, bool, string, binary,
fixed_size_binary (5 bytes). Each file has {rows} rows, pages of at most 64 rows / 512 bytes (so several data pages
per column; booleans, float16 and the all-null column may have one page except in `rle` files). Values come from a pool of 40 per column, including the integer extremes (min, max, 0, 1, -1),
-0.0, the largest and smallest normal float, the empty string and empty binary, and multi-byte UTF-8. No NaN or
infinity (JSON expectations cannot carry them).

Logical types (`zstd-types-{{plain,dict}}-{{v1,v2}}-{{required,optional}}`, `snappy-types-plaindict-v1-optional`):
{logical}. Seconds timestamps are stored as milliseconds (Parquet has no seconds unit); format 1.0
(`plaindict`) also turns uint32 into int64 and nanosecond timestamps into microseconds.

Other files: `zstd-dictfallback-*` (dictionary page limit of 128 bytes, so each column chunk holds dictionary
pages followed by PLAIN pages), `snappy-types-decimalint-*` (decimals of precision 5/15/30 as int32/int64/FLBA via
`store_decimal_as_integer`), `snappy-types-int96-*` (timestamps as deprecated INT96), `none-multirowgroup-*`
(row groups of 128 rows: 3 row groups).

## What pyarrow cannot write (so no file here)
- LZ4 with Hadoop framing (Parquet codec LZ4): pyarrow's `lz4` writes LZ4_RAW; see parquet-testing's
  `hadoop_lz4_compressed*.parquet`. LZO: no writer in Arrow.
- Dictionary encoding of booleans: Arrow always writes booleans PLAIN (v1) or RLE (v2); so `dict`/`plaindict` files
  have a PLAIN or RLE bool column.
- DELTA_BINARY_PACKED for floats, DELTA_*_BYTE_ARRAY for numbers, BYTE_STREAM_SPLIT for strings/booleans, RLE for
  anything but booleans: refused by Arrow (and mostly by the spec).
- BIT_PACKED levels (deprecated): Arrow writes RLE levels only.
- Data page v2 with compression switched off per page (`is_compressed=false`): Arrow does not expose it.

## Footer check (decoded by the script's own Thrift reader)
Page counts are summed over columns, from walking every page header; encodings are those of data pages.

| file | rows | row groups | columns | codec | pages | data page encodings |
| --- | ---: | ---: | ---: | --- | --- | --- |
"""


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.parquet"):
        old.unlink()
    written = matrix() + logical_types()
    rows = [verify(path, encoding) for path, encoding in sorted(written)]
    if None in rows:
        raise SystemExit("some files do not have the intended layout (see above)")
    total = sum(path.stat().st_size for path, _ in written)
    head = MANIFEST_HEAD.format(pyarrow=pa.__version__, rows=ROWS, logical=", ".join(LOGICAL))
    (OUT / "MANIFEST.md").write_text(head + "\n".join(rows) + f"\n\n{len(written)} files, {total} bytes.\n")
    print(f"wrote {len(written)} files ({total} bytes) and MANIFEST.md to {OUT}")


if __name__ == "__main__":
    main()
