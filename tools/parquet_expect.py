#!/usr/bin/env python3
"""Renders the flat columns of Parquet files in Tributary's canonical rendering, with pyarrow, as JSON
expectations for Tests/ParquetTests.

Usage:
  tools/parquet_expect.py FILE.parquet... --out DIR       # writes DIR/<file name>.json per file
  tools/parquet_expect.py --corpus DIR --out DIR          # every *.parquet under DIR (sub/x -> sub__x)

Canonical rendering (shared with `tributary parquet cat --format jsonl`): null -> null; BOOLEAN -> true/false;
integers -> JSON integers (exact, unsigned too); FLOAT/DOUBLE/FLOAT16 -> shortest round-trip double
(NaN/Infinity/-Infinity as strings); strings -> JSON strings; binary and FLBA without logical type -> base64;
DATE -> "YYYY-MM-DD"; TIMESTAMP and INT96 -> "YYYY-MM-DDTHH:MM:SS.ffffff" (+ "Z" when UTC-adjusted; INT96 is
UTC-adjusted; nanoseconds floor to microseconds); DECIMAL -> string with exactly `scale` fraction digits;
UUID -> lowercase 8-4-4-4-12; TIME -> "HH:MM:SS.ffffff".

Columns with more than SMALL values are stored as count, first/last HEAD values and a SHA-256 of the whole
column's rendering (one JSON value per line, each followed by "\n"). Nested columns (repetition level > 0 or a
group parent) are listed with "unsupported": true. Files pyarrow cannot read get {"error": "..."}.
"""
import argparse
import base64
import datetime
import decimal
import hashlib
import json
import math
import os
import sys
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

SMALL = 64
HEAD = 8
EPOCH = datetime.datetime(1970, 1, 1)


def render_float(x):
    x = float(x)
    if math.isnan(x):
        return '"NaN"'
    if math.isinf(x):
        return '"Infinity"' if x > 0 else '"-Infinity"'
    return repr(x)


def render_string(s):
    return json.dumps(s, ensure_ascii=False)


def civil_from_days(days):
    """(year, month, day) of the proleptic Gregorian calendar; datetime where it reaches, else arithmetic."""
    try:
        date = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
        return date.year, date.month, date.day
    except OverflowError:
        z = days + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        d = doy - (153 * mp + 2) // 5 + 1
        m = mp + 3 if mp < 10 else mp - 9
        return yoe + era * 400 + (1 if m <= 2 else 0), m, d


def render_ymd(days):
    y, m, d = civil_from_days(days)
    return "%s%04d-%02d-%02d" % ("-" if y < 0 else "", abs(y), m, d)


def render_micros(micros, utc):
    day, rest = divmod(micros, 86_400_000_000)
    secs, frac = divmod(rest, 1_000_000)
    h, m, s = secs // 3600, secs // 60 % 60, secs % 60
    return '"%sT%02d:%02d:%02d.%06d%s"' % (render_ymd(day), h, m, s, frac, "Z" if utc else "")


def render_time(micros):
    secs, frac = divmod(micros, 1_000_000)
    return '"%02d:%02d:%02d.%06d"' % (secs // 3600, secs // 60 % 60, secs % 60, frac)


def render_decimal(unscaled, scale):
    sign = "-" if unscaled < 0 else ""
    digits = str(abs(unscaled))
    if scale <= 0:
        return '"%s%s"' % (sign, digits + "0" * (-scale))
    digits = digits.rjust(scale + 1, "0")
    return '"%s%s.%s"' % (sign, digits[:-scale], digits[-scale:])


UNIT_TO_MICROS = {"s": (1_000_000, 1), "ms": (1000, 1), "us": (1, 1), "ns": (1, 1000)}


def to_micros(value, unit):
    mul, div = UNIT_TO_MICROS[unit]
    return value * mul // div


def column_renderer(pcol, atype):
    """Returns a function of one Python value (from an Arrow array cast to a plain type) to JSON text."""
    logical = str(pcol.logical_type)
    converted = str(pcol.converted_type)
    phys = pcol.physical_type
    if pa.types.is_boolean(atype):
        return lambda v: "true" if v else "false"
    if pa.types.is_integer(atype):
        return lambda v: str(int(v))
    if pa.types.is_floating(atype):
        return render_float
    if pa.types.is_decimal(atype):
        scale = atype.scale
        return lambda v: render_decimal(int(v.scaleb(scale)), scale)
    if pa.types.is_date(atype):
        return lambda v: '"%s"' % v  # pre-cast to int32 days below
    if pa.types.is_timestamp(atype):
        utc = atype.tz is not None or phys == "INT96"
        return lambda v: render_micros(to_micros(v, atype.unit), utc)
    if pa.types.is_time(atype):
        return lambda v: render_time(to_micros(v, atype.unit))
    if pa.types.is_string(atype) or pa.types.is_large_string(atype):
        return render_string
    if "UUID" in logical:
        return lambda v: '"%s"' % (v if isinstance(v, uuid.UUID) else uuid.UUID(bytes=bytes(v)))
    if pa.types.is_binary(atype) or pa.types.is_fixed_size_binary(atype) or pa.types.is_large_binary(atype):
        return lambda v: json.dumps(base64.b64encode(bytes(v)).decode("ascii"))
    raise ValueError("no canonical rendering for %s (%s, %s, %s)" % (atype, phys, logical, converted))


def render_date(days):
    return '"%s"' % render_ymd(days)


def render_column(pcol, array):
    atype = array.type
    if isinstance(atype, pa.ExtensionType):
        if "uuid" in str(atype):
            storage = array.storage if isinstance(array, pa.ExtensionArray) else array.cast(atype.storage_type)
            return [None if v is None else '"%s"' % uuid.UUID(bytes=v) for v in storage.to_pylist()]
        array = array.storage
        atype = array.type
    if pa.types.is_date32(atype):
        return [None if v is None else render_date(v) for v in array.cast(pa.int32()).to_pylist()]
    if pa.types.is_timestamp(atype) or pa.types.is_time(atype):
        raw = array.cast(pa.int64()).to_pylist()
        render = column_renderer(pcol, atype)
        return [None if v is None else render(v) for v in raw]
    if pa.types.is_float16(atype):
        return [None if v is None else render_float(v) for v in array.cast(pa.float32()).to_pylist()]
    render = column_renderer(pcol, atype)
    return [None if v is None else render(v) for v in array.to_pylist()]


def describe(values):
    lines = "".join(("null" if v is None else v) + "\n" for v in values)
    entry = {"count": len(values), "sha256": hashlib.sha256(lines.encode("utf-8")).hexdigest()}
    as_json = [None if v is None else json.loads(v) for v in values]
    if len(values) <= SMALL:
        entry["values"] = as_json
    else:
        entry["first"] = as_json[:HEAD]
        entry["last"] = as_json[-HEAD:]
    return entry


def expectations(path):
    try:
        pf = pq.ParquetFile(path)
    except Exception as error:  # pyarrow refuses the file: the Swift reader must refuse it too
        return {"error": str(error)}
    schema = pf.schema
    flat, columns = [], {}
    for i in range(len(schema)):
        col = schema.column(i)
        nested = col.max_repetition_level > 0 or "." in col.path
        if nested:
            columns[col.path] = {"unsupported": True}
        else:
            flat.append(col)
    result = {"rows": pf.metadata.num_rows, "columns": columns}
    if not flat:
        return result
    try:
        table = pf.read(columns=[c.path for c in flat], coerce_int96_timestamp_unit="us") if hasattr(
            pf, "read") else None
    except TypeError:
        table = pq.read_table(path, columns=[c.path for c in flat], coerce_int96_timestamp_unit="us")
    except Exception as error:
        result["error"] = str(error)
        return result
    for col in flat:
        array = table.column(col.path).combine_chunks()
        columns[col.path] = describe(render_column(col, array))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--corpus", help="render every *.parquet of this directory")
    parser.add_argument("--out", required=True, help="directory for the <file>.json expectations")
    args = parser.parse_args()
    files = list(args.files)
    named = [(path, os.path.basename(path)) for path in files]
    if args.corpus:  # subdirectories too; "a/b.parquet" is written as "a__b.parquet.json"
        for root, _, names in sorted(os.walk(args.corpus)):
            for name in sorted(names):
                if name.endswith(".parquet"):
                    path = os.path.join(root, name)
                    named.append((path, os.path.relpath(path, args.corpus).replace(os.sep, "__")))
    os.makedirs(args.out, exist_ok=True)
    for path, name in named:
        expected = expectations(path)
        target = os.path.join(args.out, name + ".json")
        with open(target, "w") as out:
            json.dump(expected, out, ensure_ascii=False, sort_keys=True)
            out.write("\n")
        print("%s: %s" % (target, expected.get("error", "%d columns" % len(expected.get("columns", {})))), file=sys.stderr)


if __name__ == "__main__":
    main()
