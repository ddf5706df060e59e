// Type sniffing and parsing of CSV text values, on bytes (no String per value). Types form a lattice that only
// widens: integer -> float -> string, date -> timestamp -> string, boolean -> string; an empty field is null and
// fits every type. Integers that overflow Int64 are strings (ids must not lose digits as doubles).
// Dates are YYYY-MM-DD; timestamps YYYY-MM-DD[T ]HH:MM[:SS[.fraction]] with an optional Z or ±HH[:]MM offset
// (converted to UTC). Booleans are true/false in any case. Floats: decimal or exponent notation, NaN, Infinity.
import DatabaseSpec
import Glibc

public enum CSVType: String, Sendable, Equatable {
  case boolean, integer, float, date, timestamp, string

  /// The narrowest type that holds values of both.
  func join(_ other: CSVType) -> CSVType {
    if self == other { return self }
    switch (self, other) {
    case (.integer, .float), (.float, .integer): return .float
    case (.date, .timestamp), (.timestamp, .date): return .timestamp
    default: return .string
    }
  }
}

enum CSVValues {
  /// The narrowest type of one non-empty value.
  static func sniff(_ v: UnsafeBufferPointer<UInt8>, number: inout [CChar]) -> CSVType {
    if integer(v) != nil { return .integer }
    if isDigits(v) { return .string }  // an integer beyond Int64: keep its digits rather than round it
    if float(v, buffer: &number) != nil { return .float }
    if boolean(v) != nil { return .boolean }
    if v.count == 10, date(v) != nil { return .date }
    if timestamp(v) != nil { return .timestamp }
    return .string
  }

  static func isDigits(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
    let body =
      v.first == UInt8(ascii: "-") || v.first == UInt8(ascii: "+")
      ? UnsafeBufferPointer(rebasing: v.dropFirst()) : v
    return !body.isEmpty && body.allSatisfy { $0 >= 48 && $0 <= 57 }
  }

  static func integer(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard !v.isEmpty else { return nil }
    var index = 0
    let negative = v[0] == UInt8(ascii: "-")
    if negative || v[0] == UInt8(ascii: "+") { index = 1 }
    guard index < v.count, v.count - index <= 19 else { return nil }
    var value: Int64 = 0
    while index < v.count {
      let digit = Int64(v[index]) - 48
      guard digit >= 0, digit <= 9 else { return nil }
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) =
        negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
      guard !overflow1, !overflow2 else { return nil }
      value = sum
      index += 1
    }
    return value
  }

  /// strtod on a NUL-terminated copy in `buffer` (reused), after checking the characters: no hex, no spaces.
  static func float(_ v: UnsafeBufferPointer<UInt8>, buffer: inout [CChar]) -> Double? {
    guard !v.isEmpty, v.count < 64 else { return nil }
    var digits = 0
    for byte in v {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
        break
      default: return special(v)
      }
    }
    guard digits > 0 else { return nil }
    if buffer.count < 65 { buffer = [CChar](repeating: 0, count: 65) }
    return buffer.withUnsafeMutableBufferPointer { out -> Double? in
      for index in 0..<v.count { out[index] = CChar(bitPattern: v[index]) }
      out[v.count] = 0
      guard let base = out.baseAddress else { return nil }
      var end: UnsafeMutablePointer<CChar>? = nil
      let value = strtod(base, &end)
      guard let end, end - base == v.count else { return nil }
      return value
    }
  }

  private static func special(_ v: UnsafeBufferPointer<UInt8>) -> Double? {
    switch String(decoding: v, as: UTF8.self) {
    case "NaN", "nan": return .nan
    case "Infinity", "inf", "+Infinity": return .infinity
    case "-Infinity", "-inf": return -.infinity
    default: return nil
    }
  }

  static func boolean(_ v: UnsafeBufferPointer<UInt8>) -> Bool? {
    // ASCII letters lower-cased by setting bit 5, compared as one integer (no allocation per value).
    var word: UInt64 = 0
    switch v.count {
    case 4, 5: for byte in v { word = word << 8 | UInt64(byte | 0x20) }
    default: return nil
    }
    if word == 0x74_72_75_65 { return true }  // "true"
    if word == 0x66_61_6C_73_65 { return false }  // "false"
    return nil
  }

  /// Days since 1970-01-01.
  static func date(_ v: UnsafeBufferPointer<UInt8>) -> Int32? {
    guard v.count >= 10, v[4] == UInt8(ascii: "-"), v[7] == UInt8(ascii: "-"),
      let year = digits(v, 0, 4), let month = digits(v, 5, 2), let day = digits(v, 8, 2),
      (1...12).contains(month),
      (1...ISO8601Micros.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    return Int32(exactly: ISO8601Micros.daysFromCivil(year: year, month: month, day: day))
  }

  /// Microseconds since the epoch (UTC when an offset is given) and whether an offset was given.
  static func timestamp(_ v: UnsafeBufferPointer<UInt8>) -> (micros: Int64, zoned: Bool)? {
    guard v.count >= 16, let days = date(v), v[10] == UInt8(ascii: "T") || v[10] == UInt8(ascii: " "),
      let hour = digits(v, 11, 2), hour < 24, v[13] == UInt8(ascii: ":"), let minute = digits(v, 14, 2),
      minute < 60
    else { return nil }
    var index = 16
    var second: Int64 = 0
    var fraction: Int64 = 0
    if index < v.count, v[index] == UInt8(ascii: ":") {
      guard let s = digits(v, 17, 2), s < 61 else { return nil }
      second = s
      index = 19
      if index < v.count, v[index] == UInt8(ascii: ".") {
        index += 1
        var scale: Int64 = 100_000
        let first = index
        while index < v.count, v[index] >= 48, v[index] <= 57 {
          fraction += Int64(v[index] - 48) * scale
          scale /= 10
          index += 1
        }
        guard index > first else { return nil }
      }
    }
    guard let (offset, zoned) = zone(v, from: index) else { return nil }
    let micros =
      Int64(days) * ISO8601Micros.microsPerDay + ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
    return (micros - offset, zoned)
  }

  private static func zone(_ v: UnsafeBufferPointer<UInt8>, from index: Int) -> (Int64, Bool)? {
    if index == v.count { return (0, false) }
    if index == v.count - 1, v[index] == UInt8(ascii: "Z") { return (0, true) }
    let sign: Int64
    switch v[index] {
    case UInt8(ascii: "+"): sign = 1
    case UInt8(ascii: "-"): sign = -1
    default: return nil
    }
    let rest = v.count - index - 1
    guard let hours = digits(v, index + 1, 2) else { return nil }
    let minutes: Int64?
    switch rest {
    case 2: minutes = 0
    case 4: minutes = digits(v, index + 3, 2)
    case 5: minutes = v[index + 3] == UInt8(ascii: ":") ? digits(v, index + 4, 2) : nil
    default: minutes = nil
    }
    guard let minutes else { return nil }
    return (sign * (hours * 60 + minutes) * 60_000_000, true)
  }

  private static func digits(_ v: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int64? {
    guard start + count <= v.count else { return nil }
    var value: Int64 = 0
    for index in start..<start + count {
      let digit = Int64(v[index]) - 48
      guard digit >= 0, digit <= 9 else { return nil }
      value = value * 10 + digit
    }
    return value
  }
}
