// Typed access for consumers (preprocessing): numeric columns as doubles, string columns as Swift strings.
// Dense layout as everywhere: null slots hold 0 / "" — check `validity` (or `isNull`).

extension ColumnData {
  /// Every value as a Double, for integer (signed or unsigned), floating-point, FLOAT16 and DECIMAL columns
  /// (decimals divided by 10^scale); nil for other columns. DATE/TIMESTAMP: see `epochMicroseconds()`.
  public func doubleValues() -> [Double]? {
    let interpretation = descriptor.interpretation
    switch (values, interpretation) {
    case (.int32(let v), .signedInteger): return v.map { Double($0) }
    case (.int32(let v), .unsignedInteger): return v.map { Double(UInt32(bitPattern: $0)) }
    case (.int64(let v), .signedInteger): return v.map { Double($0) }
    case (.int64(let v), .unsignedInteger): return v.map { Double(UInt64(bitPattern: $0)) }
    case (.int32(let v), .decimal(let scale, _)): return v.map { Double($0) / pow10(scale) }
    case (.int64(let v), .decimal(let scale, _)): return v.map { Double($0) / pow10(scale) }
    case (.float(let v), _): return v.map { Double($0) }
    case (.double(let v), _): return v
    case (.fixedLenByteArray(let v), .float16):
      return (0..<v.count).map { i in
        let bytes = v[i]
        return TextFormats.float16(bytes[bytes.startIndex], bytes[bytes.startIndex + 1])
      }
    case (.fixedLenByteArray(let v), .decimal(let scale, _)):
      return (0..<v.count).map { decimalDouble(v[$0], scale: scale) }
    case (.byteArray(let v), .decimal(let scale, _)):
      return (0..<v.count).map { decimalDouble(v[$0], scale: scale) }
    default: return nil
    }
  }

  /// The value at `index` as a String, for string columns (UTF8/STRING/ENUM/JSON); nil for nulls and other
  /// columns. Invalid UTF-8 is repaired with U+FFFD.
  public func string(at index: Int) -> String? {
    guard case .byteArray(let v) = values, descriptor.interpretation == .string, !isNull(index) else {
      return nil
    }
    return String(decoding: v[index], as: UTF8.self)
  }
}

private func pow10(_ exponent: Int) -> Double {
  var result = 1.0
  for _ in 0..<min(exponent, 400) { result *= 10 }
  return result
}

/// A big-endian two's-complement decimal as a Double (exact digits, then one rounding).
private func decimalDouble(_ bytes: ArraySlice<UInt8>, scale: Int) -> Double {
  let (digits, negative) = TextFormats.bigEndianDigits(bytes)
  let text = TextFormats.decimal(digits: digits, negative: negative, scale: scale)
  return Double(text) ?? .nan
}
