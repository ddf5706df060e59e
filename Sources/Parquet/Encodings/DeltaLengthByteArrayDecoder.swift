// DELTA_LENGTH_BYTE_ARRAY (Encodings.md): all lengths first, then all bytes.
//   delta-length-byte-array := <lengths: DELTA_BINARY_PACKED INT32> <the values' bytes, concatenated>
// Refuses negative lengths and lengths whose sum exceeds the bytes present.

struct DeltaLengthByteArrayDecoder: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private let lengths: [Int32]
  private var index = 0
  private var position: Int
  /// Byte offset just past the last value's bytes (the end of this encoding).
  let end: Int

  init(_ data: UnsafeRawBufferPointer) throws(ParquetError) {
    var lengthDecoder = try DeltaBinaryPackedDecoder<Int32>(data)
    lengths = try lengthDecoder.decodeAll()
    lengthDecoder.finish()
    self.data = data
    position = lengthDecoder.position
    var total = 0
    for length in lengths {
      guard length >= 0 else {
        throw ParquetError(.corruptPage, "DELTA_LENGTH_BYTE_ARRAY: negative length \(length)")
      }
      total += Int(length)
    }
    guard total <= data.count - position else {
      throw ParquetError(
        .corruptPage, "DELTA_LENGTH_BYTE_ARRAY: lengths sum to \(total), \(data.count - position) bytes left")
    }
    end = position + total
  }

  var count: Int { lengths.count }

  mutating func decode(_ count: Int, into buffer: inout ByteArrayValues) throws(ParquetError) {
    guard count <= lengths.count - index else {
      throw ParquetError(
        .corruptPage, "DELTA_LENGTH_BYTE_ARRAY holds \(lengths.count - index) more values, \(count) asked for"
      )
    }
    buffer.offsets.reserveCapacity(buffer.offsets.count + count)
    for _ in 0..<count {
      let length = Int(lengths[index])
      buffer.append(UnsafeRawBufferPointer(rebasing: data[position..<position + length]))
      position += length
      index += 1
    }
  }
}
