// DELTA_BYTE_ARRAY (Encodings.md), incremental or front compression, for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY:
//   delta-byte-array := <prefix lengths: DELTA_BINARY_PACKED INT32> <suffixes: DELTA_LENGTH_BYTE_ARRAY>
//   value[i] := value[i-1][0..<prefix[i]] + suffix[i]
// Refuses prefixes longer than the previous value, count mismatches and (FLBA) values of the wrong width.

struct DeltaByteArrayDecoder: ValuesDecoder {
  private let prefixes: [Int32]
  private var suffixes: DeltaLengthByteArrayDecoder
  private var index = 0
  private var previous: [UInt8] = []
  private var suffix = ByteArrayValues()

  init(_ data: UnsafeRawBufferPointer) throws(ParquetError) {
    var prefixDecoder = try DeltaBinaryPackedDecoder<Int32>(data)
    prefixes = try prefixDecoder.decodeAll()
    prefixDecoder.finish()
    suffixes = try DeltaLengthByteArrayDecoder(
      UnsafeRawBufferPointer(rebasing: data[prefixDecoder.position...]))
    guard suffixes.count == prefixes.count else {
      throw ParquetError(
        .corruptPage, "DELTA_BYTE_ARRAY: \(prefixes.count) prefix lengths but \(suffixes.count) suffixes")
    }
  }

  mutating func decode(_ count: Int, into buffer: inout ByteArrayValues) throws(ParquetError) {
    guard count <= prefixes.count - index else {
      throw ParquetError(
        .corruptPage, "DELTA_BYTE_ARRAY holds \(prefixes.count - index) more values, \(count) asked for")
    }
    buffer.offsets.reserveCapacity(buffer.offsets.count + count)
    for _ in 0..<count {
      let prefix = Int(prefixes[index])
      guard prefix >= 0, prefix <= previous.count else {
        throw ParquetError(
          .corruptPage,
          "DELTA_BYTE_ARRAY: prefix \(prefix) longer than the previous value (\(previous.count))")
      }
      suffix.offsets.removeAll(keepingCapacity: true)
      suffix.offsets.append(0)
      suffix.data.removeAll(keepingCapacity: true)
      try suffixes.decode(1, into: &suffix)
      previous.removeSubrange(prefix...)
      previous.append(contentsOf: suffix.data)
      previous.withUnsafeBytes { buffer.append($0) }
      index += 1
    }
  }
}

/// DELTA_BYTE_ARRAY for FIXED_LEN_BYTE_ARRAY columns: every value must have the column's width.
struct FixedWidthDeltaByteArrayDecoder: ValuesDecoder {
  private var inner: DeltaByteArrayDecoder
  private let width: Int
  private var scratch = ByteArrayValues()

  init(_ data: UnsafeRawBufferPointer, width: Int) throws(ParquetError) {
    inner = try DeltaByteArrayDecoder(data)
    self.width = width
  }

  mutating func decode(_ count: Int, into buffer: inout FixedWidthValues) throws(ParquetError) {
    scratch = ByteArrayValues()
    try inner.decode(count, into: &scratch)
    guard scratch.data.count == count * width else {
      throw ParquetError(.corruptPage, "DELTA_BYTE_ARRAY: values are not all \(width) bytes wide")
    }
    buffer.data.append(contentsOf: scratch.data)
  }
}
