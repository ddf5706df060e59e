// For preprocessing: any date or timestamp column as Int64 microseconds since the Unix epoch.

extension ColumnData {
  /// Microseconds since 1970-01-01T00:00:00 for DATE, TIMESTAMP (any unit) and INT96 columns; nil for other
  /// columns. Null slots hold 0 (see `validity`). Nanoseconds floor to microseconds.
  public func epochMicroseconds() -> [Int64]? {
    switch (values, descriptor.interpretation) {
    case (.int32(let days), .date): return days.map { CivilTime.micros(days: $0) }
    case (.int64(let raw), .timestamp(let unit, _)): return raw.map { CivilTime.micros($0, unit: unit) }
    case (.int96(let raw), _): return raw.map { CivilTime.micros($0) }
    default: return nil
    }
  }
}
