// PLAIN encoding (Encodings.md) of gathered non-null values:
//   BOOLEAN: bit-packed, LSB first;  INT32/INT64/FLOAT/DOUBLE: little-endian;  INT96 / FIXED_LEN_BYTE_ARRAY: the
//   raw bytes;  BYTE_ARRAY: 4-byte little-endian length, then the bytes.
// Little-endian hosts only (x86-64, arm64): fixed-width values are copied as they lie in memory.
#if _endian(big)
  #error("the Parquet writer copies little-endian memory as is")
#endif

enum PlainEncoder {
  /// Appends values `range` of `values`, PLAIN-encoded, to `output`.
  static func append(_ values: EncodableValues, range: Range<Int>, into output: inout [UInt8]) {
    switch values {
    case .boolean(let v):
      v.withUnsafeBufferPointer { appendBooleans(UnsafeBufferPointer(rebasing: $0[range]), into: &output) }
    case .int32(let v): appendRaw(v, range: range, into: &output)
    case .int64(let v): appendRaw(v, range: range, into: &output)
    case .float(let v): appendRaw(v, range: range, into: &output)
    case .double(let v): appendRaw(v, range: range, into: &output)
    case .fixedWidth(let width, let data):
      output.append(contentsOf: data[(range.lowerBound * width)..<(range.upperBound * width)])
    case .byteArray(let offsets, let data):
      appendByteArrays(offsets: offsets, data: data, range: range, into: &output)
    }
  }

  /// Sizes the output once, then writes each 4-byte length and value through a pointer.
  private static func appendByteArrays(
    offsets: [Int], data: [UInt8], range: Range<Int>, into output: inout [UInt8]
  ) {
    guard !range.isEmpty else { return }
    let start = output.count
    let total = offsets[range.upperBound] - offsets[range.lowerBound] + 4 * range.count
    output.append(contentsOf: repeatElement(0, count: total))
    offsets.withUnsafeBufferPointer { offsets in
      data.withUnsafeBytes { data in
        output.withUnsafeMutableBytes { out in
          var position = start
          for index in range {
            let length = offsets[index + 1] - offsets[index]
            out.storeBytes(
              of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: position, as: UInt32.self)
            position += 4
            if length > 0, let source = data.baseAddress, let target = out.baseAddress {
              (target + position).copyMemory(from: source + offsets[index], byteCount: length)
            }
            position += length
          }
        }
      }
    }
  }

  static func appendRaw<T: BitwiseCopyable>(_ values: [T], range: Range<Int>, into output: inout [UInt8]) {
    values.withUnsafeBufferPointer { buffer in
      output.append(contentsOf: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[range])))
    }
  }

  static func appendBooleans(_ values: UnsafeBufferPointer<Bool>, into output: inout [UInt8]) {
    var byte: UInt8 = 0
    for (index, value) in values.enumerated() {
      if value { byte |= 1 << UInt8(index & 7) }
      if index & 7 == 7 {
        output.append(byte)
        byte = 0
      }
    }
    if values.count & 7 != 0 { output.append(byte) }
  }

  /// One BYTE_ARRAY value: callers have checked that lengths fit in a UInt32.
  static func appendByteArray(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
    let length = UInt32(truncatingIfNeeded: bytes.count)
    withUnsafeBytes(of: length.littleEndian) { output.append(contentsOf: $0) }
    output.append(contentsOf: bytes)
  }

  /// The PLAIN-encoded size of values `range`, without encoding them.
  static func encodedSize(_ values: EncodableValues, range: Range<Int>) -> Int {
    switch values {
    case .boolean: (range.count + 7) / 8
    case .int32, .float: range.count * 4
    case .int64, .double: range.count * 8
    case .fixedWidth(let width, _): range.count * width
    case .byteArray(let offsets, _): offsets[range.upperBound] - offsets[range.lowerBound] + 4 * range.count
    }
  }
}
