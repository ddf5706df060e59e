#!/usr/bin/env python3
"""Writes Tests/StoreTests/Fixtures/container-v1.bin: a container built from docs/format.md alone (not from the
Swift code), so the Swift reader is checked against an independent writer of the documented layout.

Usage: tools/make_store_fixture.py
"""
import os
import struct

import numpy as np

MAGIC, VERSION, KIND_TABLE = b"TRIBUTRY", 1, 1
TYPES = {"uint8": 1, "int32": 6, "int64": 8, "float16": 9, "float32": 11, "float64": 12, "bitmap": 20}


def main() -> None:
    sections = [
        ("values", "float32", [2, 3], np.array([[1.5, -2.25, 3.0], [0.0, 1e-7, -1e30]], dtype="<f4").tobytes()),
        ("ids", "int64", [4], np.array([-1, 0, 2**40, 7], dtype="<i8").tobytes()),
        ("validity", "bitmap", [10], bytes([0b10110101, 0b00000010])),
        ("half", "float16", [3], np.array([0.5, -1.0, 65504.0], dtype="<f2").tobytes()),
    ]
    body = bytearray(b"\0" * 64)
    toc = []
    for name, dtype, shape, data in sections:
        body += b"\0" * (-len(body) % 64)
        toc.append((name, dtype, shape, len(body), len(data)))
        body += data
    body += b"\0" * (-len(body) % 64)
    toc_offset = len(body)
    for name, dtype, shape, offset, size in toc:
        entry = name.encode().ljust(64, b"\0") + struct.pack("<II", TYPES[dtype], len(shape))
        entry += struct.pack("<4Q", *(shape + [0] * (4 - len(shape)))) + struct.pack("<QQ", offset, size)
        body += entry.ljust(128, b"\0")
    header = MAGIC + struct.pack("<IIQQQ", VERSION, KIND_TABLE, len(sections), toc_offset, len(body))
    body[0:64] = header.ljust(64, b"\0")
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "StoreTests", "Fixtures", "container-v1.bin")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(body)
    print(f"wrote {out} ({len(body)} bytes)")


if __name__ == "__main__":
    main()
