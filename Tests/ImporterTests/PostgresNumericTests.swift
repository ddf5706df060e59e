// PostgresNumeric against numerics written by hand in PostgreSQL's binary layout (numeric_send in
// src/backend/utils/adt/numeric.c: ndigits, weight, sign, dscale, then base-10000 digits), no server needed.
import TestSupport
import Testing

@testable import Importer

struct PostgresNumericTests {
  /// The binary form of sign * sum(digits[i] * 10000^(weight - i)).
  func binary(
    _ digits: [Int16], weight: Int16, negative: Bool = false, sign: UInt16? = nil, dscale: Int16 = 0
  )
    -> [UInt8]
  {
    let header: [Int16] = [
      Int16(digits.count), weight, Int16(bitPattern: sign ?? (negative ? 0x4000 : 0)), dscale,
    ]
    return (header + digits).flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
  }

  func unscaled(_ bytes: [UInt8], precision: Int, scale: Int) -> Int128? {
    bytes.withUnsafeBytes { PostgresNumeric.unscaled($0, precision: precision, scale: scale) }
  }

  @Test func exactValuesAtTheColumnsScale() {
    // 1250000.50 = 125 * 10000 + 0 + 5000 / 10000
    #expect(unscaled(binary([125, 0, 5000], weight: 1, dscale: 2), precision: 12, scale: 2) == 125_000_050)
    #expect(
      unscaled(binary([3, 2500], weight: 0, negative: true, dscale: 2), precision: 12, scale: 2) == -325)
    // 0.001 = 10 / 10000; 0 has no digits at all.
    #expect(unscaled(binary([10], weight: -1, dscale: 3), precision: 3, scale: 3) == 1)
    #expect(unscaled(binary([], weight: 0), precision: 5, scale: 2) == 0)
    // 10^37 - 1 as 38 digits at scale 0 and 99999999999999999999 (20 nines).
    let twentyNines = binary([9999, 9999, 9999, 9999, 9999], weight: 4)
    #expect(unscaled(twentyNines, precision: 20, scale: 0) == Int128(10).power(20) - 1)
  }

  @Test func refusesWhatTheColumnCannotHold() {
    #expect(unscaled(binary([], weight: 0, sign: 0xC000), precision: 10, scale: 2) == nil)  // NaN
    #expect(unscaled(binary([], weight: 0, sign: 0xD000), precision: 10, scale: 2) == nil)  // +Infinity
    #expect(unscaled(binary([1, 1], weight: 0, dscale: 4), precision: 10, scale: 2) == nil)  // 1.0001
    #expect(unscaled(binary([100], weight: 0), precision: 2, scale: 0) == nil)  // 100 in numeric(2, 0)
    #expect(unscaled(Array(binary([1, 2], weight: 0).dropLast()), precision: 10, scale: 2) == nil)  // truncated
    #expect(unscaled(binary([10_000], weight: 0), precision: 10, scale: 0) == nil)  // not a base-10000 digit
  }
}
