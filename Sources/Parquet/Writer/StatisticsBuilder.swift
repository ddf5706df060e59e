// Column chunk statistics for the writer: null count, and min/max (`min_value`/`max_value`) in the sort order
// parquet.thrift's ColumnOrder (TypeDefinedOrder) prescribes for the column's logical type:
//   signed integers, dates, times, timestamps, INT decimals: signed;  UINT_8..64: unsigned;
//   FLOAT/DOUBLE/FLOAT16: numeric, NaN ignored, a zero min written as -0.0 and a zero max as +0.0;
//   DECIMAL on byte arrays: signed big-endian two's complement;  other byte arrays: unsigned lexicographic;
//   BOOLEAN: false < true.
// INT96 and INTERVAL have no defined order: only the null count is written. Values are not truncated.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum StatisticsBuilder {
  static func statistics(for chunk: WriterColumnChunk) -> Statistics {
    var statistics = Statistics(nullCount: Int64(chunk.nullCount))
    if let (min, max) = minMax(chunk.values, element: chunk.element) {
      statistics.minValue = min
      statistics.maxValue = max
    }
    return statistics
  }

  /// The PLAIN bytes (no length prefix) of the smallest and largest value, or nil when there is no ordered value.
  static func minMax(_ values: EncodableValues, element: SchemaElement) -> ([UInt8], [UInt8])? {
    switch values {
    case .boolean(let v):
      guard !v.isEmpty else { return nil }
      return ([v.contains(false) ? 0 : 1], [v.contains(true) ? 1 : 0])
    case .int32(let v):
      return isUnsigned(element)
        ? extremes(v.lazy.map { UInt32(bitPattern: $0) }).map { (bytes($0.0), bytes($0.1)) }
        : extremes(v[...]).map { (bytes($0.0), bytes($0.1)) }
    case .int64(let v):
      return isUnsigned(element)
        ? extremes(v.lazy.map { UInt64(bitPattern: $0) }).map { (bytes($0.0), bytes($0.1)) }
        : extremes(v[...]).map { (bytes($0.0), bytes($0.1)) }
    case .float(let v):
      return extremes(v.lazy.filter { !$0.isNaN }).map {
        (bytes($0.0 == 0 ? -0.0 : $0.0), bytes($0.1 == 0 ? 0.0 : $0.1))
      }
    case .double(let v):
      return extremes(v.lazy.filter { !$0.isNaN }).map {
        (bytes($0.0 == 0 ? -0.0 : $0.0), bytes($0.1 == 0 ? 0.0 : $0.1))
      }
    case .fixedWidth(let width, let data):
      if element.type == .int96 || element.convertedType == .interval || width == 0 { return nil }
      if isPlainBytes(element) {
        return unsignedExtremes(data: data, count: data.count / width) { ($0 * width)..<(($0 + 1) * width) }
      }
      let slices = (0..<(data.count / width)).lazy.map { data[($0 * width)..<(($0 + 1) * width)] }
      return byteExtremes(slices, element: element)
    case .byteArray(let offsets, let data):
      if isPlainBytes(element) {
        return offsets.withUnsafeBufferPointer { offsets in
          unsignedExtremes(data: data, count: offsets.count - 1) { offsets[$0]..<offsets[$0 + 1] }
        }
      }
      let slices = (0..<(offsets.count - 1)).lazy.map { data[offsets[$0]..<offsets[$0 + 1]] }
      return byteExtremes(slices, element: element)
    }
  }

  private static func byteExtremes(_ slices: some Sequence<ArraySlice<UInt8>>, element: SchemaElement)
    -> ([UInt8], [UInt8])?
  {
    if element.logicalType == .float16 {
      let halves = slices.compactMap { halfFloat($0) }.filter { !$0.isNaN }
      guard let minimum = halves.min(), let maximum = halves.max() else { return nil }
      return (halfBytes(minimum == 0 ? -0.0 : minimum), halfBytes(maximum == 0 ? 0.0 : maximum))
    }
    let isDecimal: Bool
    if case .decimal = element.logicalType {
      isDecimal = true
    } else {
      isDecimal = element.convertedType == .decimal
    }
    let less: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Bool =
      isDecimal ? { signedBigEndianLess($0, $1) } : { $0.lexicographicallyPrecedes($1) }
    var iterator = slices.makeIterator()
    guard var minimum = iterator.next() else { return nil }
    var maximum = minimum
    while let value = iterator.next() {
      if less(value, minimum) { minimum = value }
      if less(maximum, value) { maximum = value }
    }
    return (Array(minimum), Array(maximum))
  }

  /// Byte strings ordered as unsigned bytes (neither decimals nor half floats).
  private static func isPlainBytes(_ element: SchemaElement) -> Bool {
    if case .decimal = element.logicalType { return false }
    return element.logicalType != .float16 && element.convertedType != .decimal
  }

  /// Min and max under unsigned lexicographic order, comparing through `memcmp`.
  private static func unsignedExtremes(data: [UInt8], count: Int, bounds: (Int) -> Range<Int>)
    -> ([UInt8], [UInt8])?
  {
    guard count > 0 else { return nil }
    return data.withUnsafeBytes { data in
      var minimum = bounds(0)
      var maximum = minimum
      for index in 1..<count {
        let value = bounds(index)
        if compareBytes(data, value, minimum) < 0 { minimum = value }
        if compareBytes(data, value, maximum) > 0 { maximum = value }
      }
      return (Array(data[minimum]), Array(data[maximum]))
    }
  }

  @inline(__always)
  private static func compareBytes(_ data: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Int32
  {
    guard let base = data.baseAddress else { return 0 }
    let common = min(a.count, b.count)
    let order = common == 0 ? 0 : memcmp(base + a.lowerBound, base + b.lowerBound, common)
    if order != 0 { return order }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
  }

  static func isUnsigned(_ element: SchemaElement) -> Bool {
    if case .integer(_, let signed) = element.logicalType { return !signed }
    return [.uint8, .uint16, .uint32, .uint64].contains(element.convertedType)
  }

  /// Two's complement big-endian comparison of byte strings of possibly different lengths.
  static func signedBigEndianLess(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    let aNegative = (a.first ?? 0) & 0x80 != 0
    let bNegative = (b.first ?? 0) & 0x80 != 0
    if aNegative != bNegative { return aNegative }
    let length = max(a.count, b.count)
    let fill: UInt8 = aNegative ? 0xFF : 0
    let aPadded = repeatElement(fill, count: length - a.count) + a
    let bPadded = repeatElement(fill, count: length - b.count) + b
    return aPadded.lexicographicallyPrecedes(bPadded)
  }

  private static func extremes<S: Sequence>(_ values: S) -> (S.Element, S.Element)?
  where S.Element: Comparable {
    var iterator = values.makeIterator()
    guard var minimum = iterator.next() else { return nil }
    var maximum = minimum
    while let value = iterator.next() {
      if value < minimum { minimum = value }
      if value > maximum { maximum = value }
    }
    return (minimum, maximum)
  }

  private static func bytes<T: BitwiseCopyable>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
  }

  private static func halfFloat(_ bytes: ArraySlice<UInt8>) -> Float? {
    guard bytes.count == 2, let low = bytes.first, let high = bytes.last else { return nil }
    return Float(Float16(bitPattern: UInt16(low) | UInt16(high) << 8))
  }

  private static func halfBytes(_ value: Float) -> [UInt8] {
    let bits = Float16(value).bitPattern
    return [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)]
  }
}
