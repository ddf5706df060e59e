// PostgreSQL's binary `numeric` (int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits base-10000
// digits, most significant first: value = sum of digit[i] * 10000^(weight - i)) as the unscaled integer of a Parquet
// DECIMAL at a given scale. Exact: no floating point on the way.
// Refuses (nil, the caller names the row): NaN and infinities, a value with more fraction digits than the scale,
// and one with more digits than the precision.

enum PostgresNumeric {
  /// Bytes of a FIXED_LEN_BYTE_ARRAY decimal: 16 hold any 38-digit value.
  static let fixedWidth = 16

  static let powersOf10: [Int128] = {
    var powers: [Int128] = [1]
    for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
    return powers
  }()

  /// The unscaled value of one binary numeric at `scale`, if it fits `precision` digits.
  static func unscaled(_ bytes: UnsafeRawBufferPointer, precision: Int, scale: Int) -> Int128? {
    guard bytes.count >= 8 else { return nil }
    let count = Int(int16(bytes, 0))
    let weight = Int(int16(bytes, 2))
    let sign = UInt16(bitPattern: int16(bytes, 4))
    guard count >= 0, bytes.count == 8 + 2 * count, sign == 0 || sign == 0x4000 else { return nil }
    var value: Int128 = 0
    for index in 0..<count {
      let digit = Int128(int16(bytes, 8 + 2 * index))
      guard digit >= 0, digit < 10_000 else { return nil }
      if digit == 0 { continue }
      let exponent = 4 * (weight - index) + scale
      let term: Int128
      if exponent >= 0 {
        guard exponent <= 38 else { return nil }
        let (product, overflow) = digit.multipliedReportingOverflow(by: powersOf10[exponent])
        guard !overflow else { return nil }
        term = product
      } else {
        // Digits below the scale must be zeros (the server rounds stored values to the column's scale).
        guard exponent > -4, digit % powersOf10[-exponent] == 0 else { return nil }
        term = digit / powersOf10[-exponent]
      }
      let (sum, overflow) = value.addingReportingOverflow(term)
      guard !overflow else { return nil }
      value = sum
    }
    guard precision <= 38, value < powersOf10[precision] else { return nil }
    return sign == 0x4000 ? -value : value
  }

  private static func int16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Int16 {
    Int16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self))
  }
}
