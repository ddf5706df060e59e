#!/usr/bin/env python3
"""Generates TPC-H (default scale factor 1: 8.7 million rows) as a Tributary database: one zstd Parquet file per
table plus metadata.json, for the preprocessing benchmark. Needs `pip install duckdb==1.5.5 duckdb-extension-tpch`.

Usage: tools/make_tpch.py [OUT_DIR] [--scale 1]     (default OUT_DIR: .tmp/tpch-sf1; not committed)
Comments and names are Ignored (free text of no signal that would only time the embedder); flags, modes, segments,
priorities and types are Categorical; dates are Timestamps; orders and lineitem have time columns.
"""
import argparse
import json
import os

import duckdb

TABLES = {
    "region": (["r_regionkey"], None, [], {"r_name": "Categorical"}),
    "nation": (["n_nationkey"], None, [(["n_regionkey"], "region", ["r_regionkey"])], {"n_name": "Categorical"}),
    "supplier": (["s_suppkey"], None, [(["s_nationkey"], "nation", ["n_nationkey"])], {"s_acctbal": "Numerical"}),
    "customer": (["c_custkey"], None, [(["c_nationkey"], "nation", ["n_nationkey"])],
                 {"c_acctbal": "Numerical", "c_mktsegment": "Categorical"}),
    "part": (["p_partkey"], None, [], {"p_mfgr": "Categorical", "p_brand": "Categorical", "p_type": "Categorical",
                                       "p_size": "Numerical", "p_container": "Categorical",
                                       "p_retailprice": "Numerical"}),
    "partsupp": (["ps_partkey", "ps_suppkey"], None,
                 [(["ps_partkey"], "part", ["p_partkey"]), (["ps_suppkey"], "supplier", ["s_suppkey"])],
                 {"ps_availqty": "Numerical", "ps_supplycost": "Numerical"}),
    "orders": (["o_orderkey"], "o_orderdate", [(["o_custkey"], "customer", ["c_custkey"])],
               {"o_orderstatus": "Categorical", "o_totalprice": "Numerical", "o_orderdate": "Timestamp",
                "o_orderpriority": "Categorical", "o_shippriority": "Numerical"}),
    "lineitem": (["l_orderkey", "l_linenumber"], "l_shipdate",
                 [(["l_orderkey"], "orders", ["o_orderkey"]),
                  (["l_partkey", "l_suppkey"], "partsupp", ["ps_partkey", "ps_suppkey"])],
                 {"l_quantity": "Numerical", "l_extendedprice": "Numerical", "l_discount": "Numerical",
                  "l_tax": "Numerical", "l_returnflag": "Categorical", "l_linestatus": "Categorical",
                  "l_shipdate": "Timestamp", "l_commitdate": "Timestamp", "l_receiptdate": "Timestamp",
                  "l_shipinstruct": "Categorical", "l_shipmode": "Categorical"}),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default=".tmp/tpch-sf1")
    parser.add_argument("--scale", type=float, default=1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    con = duckdb.connect()
    import duckdb_extension_tpch  # the extension binary ships in this PyPI package; no download
    extension = os.path.join(os.path.dirname(duckdb_extension_tpch.__file__), "extensions", f"v{duckdb.__version__}",
                             "tpch.duckdb_extension")
    con.execute(f"LOAD '{extension}'")
    con.execute(f"CALL dbgen(sf={args.scale})")
    tables = []
    for name, (key, time, fks, signal) in TABLES.items():
        con.execute(f"COPY {name} TO '{os.path.join(args.out, name + '.parquet')}' (FORMAT parquet, COMPRESSION zstd)")
        columns = [row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()]
        identifiers = set(key) | {c for cols, _, _ in fks for c in cols}
        specs = [{"name": c, "type": "Identifier" if c in identifiers else signal.get(c, "Ignored")} for c in columns]
        entry = {"name": name, "primary_key": key, "columns": specs,
                 "foreign_keys": [{"columns": cols, "references": {"table": t, "columns": ref}} for cols, t, ref in fks]}
        if time:
            entry["time_column"] = time
        tables.append(entry)
        print(name, con.execute(f"SELECT count(*) FROM {name}").fetchone()[0], "rows")
    metadata = {"format": 1, "name": f"tpch-sf{args.scale:g}", "tables": tables, "tasks": [
        {"name": "order-total", "table": "orders", "target": "o_totalprice",
         "split": {"validation_start": "1997-01-01", "test_start": "1998-01-01"}}]}
    with open(os.path.join(args.out, "metadata.json"), "w") as f:
        json.dump(metadata, f, indent=1)


if __name__ == "__main__":
    main()
