// ISO-8601 dates and times <-> microseconds since the Unix epoch (UTC), proleptic Gregorian calendar.
// Accepts YYYY-MM-DD, optionally followed by 'T' or ' ' and HH:MM[:SS[.f...]] and an optional 'Z' or +HH:MM offset.
// Pure integer arithmetic: no Foundation calendars, no locale, no time zone database.
public enum ISO8601Micros {
  public static let microsPerDay: Int64 = 86_400_000_000

  public static func parse(_ text: String) -> Int64? {
    var scanner = DigitScanner(Array(text.utf8))
    guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2),
      scanner.skip("-"), let day = scanner.number(digits: 2), (1...12).contains(month),
      (1...daysIn(month: month, year: year)).contains(day)
    else { return nil }
    var micros = daysFromCivil(year: year, month: month, day: day) * microsPerDay
    if scanner.atEnd { return micros }
    guard scanner.skip("T") || scanner.skip(" "), let hour = scanner.number(digits: 2), hour < 24,
      scanner.skip(":"), let minute = scanner.number(digits: 2), minute < 60
    else { return nil }
    var second: Int64 = 0
    var fraction: Int64 = 0
    if scanner.skip(":") {
      guard let s = scanner.number(digits: 2), s < 61 else { return nil }
      second = s
      if scanner.skip(".") {
        guard let f = scanner.fractionMicros() else { return nil }
        fraction = f
      }
    }
    micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
    guard let offset = scanner.zoneOffsetMicros(), scanner.atEnd else { return nil }
    return micros - offset
  }

  /// `YYYY-MM-DD` when the time is midnight, else `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
  public static func format(_ micros: Int64) -> String {
    let days = floorDiv(micros, microsPerDay)
    // Within a day of Int64.min the day's start is not representable: say the raw value rather than trap.
    let (dayStart, overflow) = days.multipliedReportingOverflow(by: microsPerDay)
    guard !overflow else { return "\(micros) µs since 1970-01-01" }
    let (year, month, day) = civilFromDays(days)
    let date = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    let rest = micros - dayStart
    if rest == 0 { return date }
    let seconds = rest / 1_000_000
    let time = "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
    return "\(date)T\(time).\(pad(rest % 1_000_000, 6))Z"
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
  public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDiv(y, 400)
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = floorDiv(z, 146_097)
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  public static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(abs(value))
    let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
    return value < 0 ? "-" + padded : padded
  }
}

private struct DigitScanner {
  let bytes: [UInt8]
  var index = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { index == bytes.count }

  mutating func skip(_ character: Character) -> Bool {
    guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
    index += 1
    return true
  }

  mutating func number(digits: Int) -> Int64? {
    guard index + digits <= bytes.count else { return nil }
    var value: Int64 = 0
    for byte in bytes[index..<index + digits] {
      guard byte >= 48, byte <= 57 else { return nil }
      value = value * 10 + Int64(byte - 48)
    }
    index += digits
    return value
  }

  /// Up to 9 fraction digits, truncated to microseconds.
  mutating func fractionMicros() -> Int64? {
    var value: Int64 = 0
    var count = 0
    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
      if count < 6 { value = value * 10 + Int64(bytes[index] - 48) }
      count += 1
      index += 1
    }
    guard count > 0, count <= 9 else { return nil }
    for _ in count..<6 where count < 6 { value *= 10 }
    return value
  }

  /// `Z`, `+HH:MM`, `-HH:MM` or nothing (UTC).
  mutating func zoneOffsetMicros() -> Int64? {
    if atEnd || skip("Z") { return 0 }
    let sign: Int64 = skip("+") ? 1 : (skip("-") ? -1 : 0)
    guard sign != 0, let hours = number(digits: 2), skip(":"), let minutes = number(digits: 2) else {
      return nil
    }
    return sign * (hours * 60 + minutes) * 60_000_000
  }
}
