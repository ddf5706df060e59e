// Text forms shared by the canonical rendering: JSON strings (escaped like Python's json.dumps with
// ensure_ascii=False), base64, shortest round-trip doubles, decimals of any width, UUIDs, half floats.

enum TextFormats {
  /// A JSON string literal: escapes `"`, `\` and control characters only.
  static func jsonString<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let text = String(decoding: Array(bytes), as: UTF8.self)
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case let c where c.value < 0x20:
        let hex = String(c.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  private static let base64Alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func base64<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var iterator = bytes.makeIterator()
    while let a = iterator.next() {
      let b = iterator.next()
      let c = iterator.next()
      let triple = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
      out.append(base64Alphabet[Int(triple >> 18 & 63)])
      out.append(base64Alphabet[Int(triple >> 12 & 63)])
      out.append(b == nil ? UInt8(ascii: "=") : base64Alphabet[Int(triple >> 6 & 63)])
      out.append(c == nil ? UInt8(ascii: "=") : base64Alphabet[Int(triple & 63)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A JSON number (shortest round-trip), or "NaN" / "Infinity" / "-Infinity" as strings.
  static func number(_ value: Double) -> String {
    if value.isNaN { return "\"NaN\"" }
    if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
    return value.description
  }

  /// IEEE half-precision bits (little-endian bytes) to a double, exactly.
  static func float16(_ low: UInt8, _ high: UInt8) -> Double {
    let bits = UInt16(high) << 8 | UInt16(low)
    let sign: Double = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int(bits >> 10 & 0x1f)
    let mantissa = Double(bits & 0x3ff)
    switch exponent {
    case 0: return sign * mantissa * 0x1p-24
    case 31: return mantissa == 0 ? sign * .infinity : .nan
    default:
      return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }

  /// Lowercase 8-4-4-4-12 hex of 16 bytes.
  static func uuid<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let hex = bytes.map { byte -> String in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }
    guard hex.count == 16 else { return base64(bytes) }
    let groups = [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }
    return groups.joined(separator: "-")
  }

  /// Decimal text of an integer with exactly `scale` fraction digits (negative scale appends zeros).
  static func decimal(digits: String, negative: Bool, scale: Int) -> String {
    let sign = negative ? "-" : ""
    if scale <= 0 { return sign + digits + String(repeating: "0", count: -scale) }
    let padded =
      digits.count > scale ? digits : String(repeating: "0", count: scale + 1 - digits.count) + digits
    let split = padded.index(padded.endIndex, offsetBy: -scale)
    return sign + padded[..<split] + "." + padded[split...]
  }

  static func decimal(_ unscaled: Int64, scale: Int) -> String {
    decimal(digits: String(unscaled.magnitude), negative: unscaled < 0, scale: scale)
  }

  /// A big-endian two's-complement integer of any width, as decimal digits and a sign.
  static func bigEndianDigits<C: Collection>(_ bytes: C) -> (digits: String, negative: Bool)
  where C.Element == UInt8 {
    var magnitude = Array(bytes)
    let negative = (magnitude.first ?? 0) & 0x80 != 0
    if negative {  // two's complement negation: invert, add one
      var carry = 1
      for i in stride(from: magnitude.count - 1, through: 0, by: -1) {
        let sum = Int(~magnitude[i]) + carry
        magnitude[i] = UInt8(truncatingIfNeeded: sum)
        carry = sum >> 8
      }
    }
    var chunks: [UInt32] = []  // base 10^9, least significant first
    var start = magnitude.firstIndex { $0 != 0 } ?? magnitude.count
    while start < magnitude.count {
      var remainder: UInt64 = 0
      for i in start..<magnitude.count {
        let current = remainder << 8 | UInt64(magnitude[i])
        magnitude[i] = UInt8(current / 1_000_000_000)
        remainder = current % 1_000_000_000
      }
      chunks.append(UInt32(remainder))
      while start < magnitude.count && magnitude[start] == 0 { start += 1 }
    }
    guard let top = chunks.last else { return ("0", false) }
    var digits = String(top)
    for chunk in chunks.dropLast().reversed() {
      let part = String(chunk)
      digits += String(repeating: "0", count: 9 - part.count) + part
    }
    return (digits, negative)
  }
}
