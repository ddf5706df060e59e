// PLAIN encoding (Encodings.md), one decoder per value shape:
//   BOOLEAN: bit-packed, LSB first; INT32/INT64/INT96/FLOAT/DOUBLE: little-endian, back to back;
//   BYTE_ARRAY: <length: 4 bytes LE> <bytes> per value; FIXED_LEN_BYTE_ARRAY: the bytes, back to back.
// Refuses data shorter than the values it must hold.

struct PlainFixedDecoder<Value: FixedValue>: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private var position = 0

  init(_ data: UnsafeRawBufferPointer) { self.data = data }

  mutating func decode(_ count: Int, into buffer: inout [Value]) throws(ParquetError) {
    let bytes = count * MemoryLayout<Value>.stride
    guard let base = data.baseAddress, data.count - position >= bytes else {
      if count == 0 { return }
      throw ParquetError(
        .corruptPage,
        "PLAIN data holds \(data.count - position) bytes, \(count) \(Value.self) values need \(bytes)")
    }
    buffer.appendRaw(base + position, count: count)
    position += bytes
  }
}

struct PlainBooleanDecoder: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private var bit = 0

  init(_ data: UnsafeRawBufferPointer) { self.data = data }

  mutating func decode(_ count: Int, into buffer: inout [Bool]) throws(ParquetError) {
    guard (bit + count + 7) / 8 <= data.count else {
      throw ParquetError(.corruptPage, "PLAIN booleans: \(data.count) bytes hold fewer than \(count) values")
    }
    buffer.reserveCapacity(buffer.count + count)
    for i in bit..<(bit + count) { buffer.append(data[i >> 3] & (1 << UInt8(i & 7)) != 0) }
    bit += count
  }
}

struct PlainByteArrayDecoder: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private var position = 0

  init(_ data: UnsafeRawBufferPointer) { self.data = data }

  mutating func decode(_ count: Int, into buffer: inout ByteArrayValues) throws(ParquetError) {
    // Pass 1 checks every length against the bytes left and sums them; pass 2 copies into space made once.
    var scan = position
    var total = 0
    for _ in 0..<count {
      guard data.count - scan >= 4 else {
        throw ParquetError(.corruptPage, "PLAIN byte array: length past the end of the page data")
      }
      let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: scan, as: UInt32.self)))
      guard data.count - scan - 4 >= length else {
        throw ParquetError(
          .corruptPage, "PLAIN byte array of \(length) bytes, only \(data.count - scan - 4) left")
      }
      scan += 4 + length
      total += length
    }
    let firstOffset = buffer.offsets.count
    var end = buffer.data.count
    buffer.offsets.append(contentsOf: repeatElement(0, count: count))
    buffer.data.append(contentsOf: repeatElement(0, count: total))
    let (data, start) = (self.data, position)
    buffer.offsets.withUnsafeMutableBufferPointer { offsets in
      buffer.data.withUnsafeMutableBytes { out in
        var read = start
        for i in 0..<count {
          let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: read, as: UInt32.self)))
          if length > 0, let target = out.baseAddress, let source = data.baseAddress {
            (target + end).copyMemory(from: source + read + 4, byteCount: length)
          }
          read += 4 + length
          end += length
          offsets[firstOffset + i] = end
        }
      }
    }
    position = scan
  }
}

struct PlainFixedWidthDecoder: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private let width: Int
  private var position = 0

  init(_ data: UnsafeRawBufferPointer, width: Int) {
    self.data = data
    self.width = width
  }

  mutating func decode(_ count: Int, into buffer: inout FixedWidthValues) throws(ParquetError) {
    let bytes = count * width
    guard data.count - position >= bytes else {
      throw ParquetError(
        .corruptPage,
        "PLAIN fixed-width data holds \(data.count - position) bytes, \(count) values need \(bytes)")
    }
    buffer.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[position..<position + bytes]))
    position += bytes
  }
}
