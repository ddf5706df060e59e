#!/usr/bin/env python3
"""Reference cyclic timestamp features (docs/format.md, "Timestamp features") computed with Python's datetime,
independently of the Swift code, for Tests/PreprocessTests/Fixtures/timestamp_features.json.

Usage: tools/make_timestamp_features.py
"""
import calendar
import json
import math
import os
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
INSTANTS = [
    "1970-01-01T00:00:00", "1950-05-13T14:30:15.250000", "2013-11-15T23:59:59.999999", "2024-02-29T12:00:00",
    "2016-12-31T06:07:08", "1899-12-31T00:00:01", "2000-03-01T00:00:00", "2023-07-04T18:45:30.5",
]


def features(dt: datetime) -> list:
    second_of_day = dt.hour * 3600 + dt.minute * 60 + dt.second + dt.microsecond / 1e6
    day_fraction = second_of_day / 86400
    days_in_month = calendar.monthrange(dt.year, dt.month)[1]
    days_in_year = 366 if calendar.isleap(dt.year) else 365
    month_fraction = (dt.day - 1 + day_fraction) / days_in_month
    fractions = [
        (second_of_day % 60) / 60,
        (second_of_day % 3600) / 3600,
        day_fraction,
        (dt.weekday() + day_fraction) / 7,           # Monday = 0
        month_fraction,
        (dt.month - 1 + month_fraction) / 12,
        (dt.timetuple().tm_yday - 1 + day_fraction) / days_in_year,
    ]
    out = []
    for f in fractions:
        out += [math.sin(2 * math.pi * f), math.cos(2 * math.pi * f)]
    return out


def main() -> None:
    cases = []
    for text in INSTANTS:
        dt = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        micros = (dt - EPOCH) // timedelta(microseconds=1)
        cases.append({"iso": text, "micros": micros, "features": features(dt)})
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "PreprocessTests", "Fixtures",
                       "timestamp_features.json")
    with open(out, "w") as f:
        json.dump(cases, f, indent=1)
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
