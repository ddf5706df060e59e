// BYTE_STREAM_SPLIT (Encodings.md), for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY:
//   byte-stream-split := <stream 0> <stream 1> ... <stream K-1>   (K = the value's width in bytes)
//   stream j := byte j of value 0, byte j of value 1, ..., byte j of value N-1
// N is the page's number of non-null values: the data must be exactly N * K bytes.

/// Gathers `count` values of `width` bytes from `streams` (N values per stream) into `output`.
private func unsplit(
  _ streams: UnsafeRawBufferPointer, valuesInPage: Int, from first: Int, count: Int, width: Int,
  into output: UnsafeMutableRawPointer
) {
  guard let base = streams.baseAddress else { return }
  let out = output.assumingMemoryBound(to: UInt8.self)
  for byte in 0..<width {
    let stream = base.advanced(by: byte * valuesInPage + first).assumingMemoryBound(to: UInt8.self)
    for i in 0..<count { out[i * width + byte] = stream[i] }
  }
}

private func checkSplit(_ data: UnsafeRawBufferPointer, width: Int) throws(ParquetError) -> Int {
  guard width > 0, data.count % width == 0 else {
    throw ParquetError(
      .corruptPage, "BYTE_STREAM_SPLIT data of \(data.count) bytes is not a multiple of \(width)")
  }
  return data.count / width
}

struct ByteStreamSplitDecoder<Value: FixedValue>: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private let valuesInPage: Int
  private var index = 0

  init(_ data: UnsafeRawBufferPointer) throws(ParquetError) {
    self.data = data
    valuesInPage = try checkSplit(data, width: MemoryLayout<Value>.size)
  }

  mutating func decode(_ count: Int, into buffer: inout [Value]) throws(ParquetError) {
    guard count <= valuesInPage - index else {
      throw ParquetError(
        .corruptPage, "BYTE_STREAM_SPLIT holds \(valuesInPage - index) more values, \(count) asked for")
    }
    let start = buffer.count
    buffer.append(contentsOf: repeatElement(Value.zero, count: count))
    let (data, valuesInPage, first) = (self.data, self.valuesInPage, index)
    buffer.withUnsafeMutableBytes { out in
      guard let target = out.baseAddress else { return }
      unsplit(
        data, valuesInPage: valuesInPage, from: first, count: count, width: MemoryLayout<Value>.size,
        into: target + start * MemoryLayout<Value>.stride)
    }
    index += count
  }
}

struct ByteStreamSplitFixedWidthDecoder: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  private let width: Int
  private let valuesInPage: Int
  private var index = 0

  init(_ data: UnsafeRawBufferPointer, width: Int) throws(ParquetError) {
    self.data = data
    self.width = width
    valuesInPage = try checkSplit(data, width: width)
  }

  mutating func decode(_ count: Int, into buffer: inout FixedWidthValues) throws(ParquetError) {
    guard count <= valuesInPage - index else {
      throw ParquetError(
        .corruptPage, "BYTE_STREAM_SPLIT holds \(valuesInPage - index) more values, \(count) asked for")
    }
    let start = buffer.data.count
    buffer.data.append(contentsOf: repeatElement(0, count: count * width))
    let (data, valuesInPage, first, width) = (self.data, self.valuesInPage, index, self.width)
    buffer.data.withUnsafeMutableBytes { out in
      guard let target = out.baseAddress else { return }
      unsplit(data, valuesInPage: valuesInPage, from: first, count: count, width: width, into: target + start)
    }
    index += count
  }
}
