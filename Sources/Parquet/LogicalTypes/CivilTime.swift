// Calendar arithmetic for dates and timestamps (proleptic Gregorian, any year), and the conversions of every
// date/timestamp encoding to microseconds since the Unix epoch.

enum CivilTime {
  static let microsPerDay: Int64 = 86_400_000_000
  /// Julian day number of 1970-01-01 (INT96 timestamps count days from the Julian epoch).
  static let julianDayOfEpoch: Int64 = 2_440_588

  /// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
  static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = Int(doy - (153 * mp + 2) / 5 + 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  /// "YYYY-MM-DD" ("-YYYY-MM-DD" before year 0).
  static func date(days: Int64) -> String {
    let (year, month, day) = civil(fromDays: days)
    let sign = year < 0 ? "-" : ""
    return "\(sign)\(pad(abs(year), 4))-\(pad(Int64(month), 2))-\(pad(Int64(day), 2))"
  }

  /// "HH:MM:SS.ffffff" of microseconds within a day.
  static func timeOfDay(micros: Int64) -> String {
    let (seconds, fraction) = micros.quotientAndRemainder(dividingBy: 1_000_000)
    return
      "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 6))"
  }

  /// "YYYY-MM-DDTHH:MM:SS.ffffff" (+ "Z") of microseconds since the epoch.
  static func timestamp(micros: Int64, utc: Bool) -> String {
    let days = floorDivide(micros, microsPerDay)
    let remainder = micros % microsPerDay  // computed apart: days * microsPerDay can overflow near Int64.min
    let rest = remainder < 0 ? remainder + microsPerDay : remainder
    return date(days: days) + "T" + timeOfDay(micros: rest) + (utc ? "Z" : "")
  }

  static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let (q, r) = a.quotientAndRemainder(dividingBy: b)
    return r < 0 ? q - 1 : q
  }

  /// Microseconds since the epoch of a DATE (days), saturating far outside any real date.
  static func micros(days: Int32) -> Int64 {
    let (product, overflow) = Int64(days).multipliedReportingOverflow(by: microsPerDay)
    return overflow ? (days < 0 ? .min : .max) : product
  }

  /// Microseconds of a value in `unit` (nanoseconds floor; millis that overflow saturate).
  static func micros(_ value: Int64, unit: TimeUnit) -> Int64 {
    switch unit {
    case .millis:
      let (product, overflow) = value.multipliedReportingOverflow(by: 1000)
      return overflow ? (value < 0 ? .min : .max) : product
    case .micros: return value
    case .nanos: return floorDivide(value, 1000)
    }
  }

  /// Microseconds since the epoch of an INT96 timestamp. Nanoseconds of the day are unsigned; absurd values wrap
  /// (as in Arrow's `Int96GetMicroSeconds`).
  static func micros(_ value: Int96) -> Int64 {
    let days = Int64(value.word2) &- julianDayOfEpoch
    return Int64(bitPattern: UInt64(bitPattern: days &* microsPerDay) &+ value.low64 / 1000)
  }
}
