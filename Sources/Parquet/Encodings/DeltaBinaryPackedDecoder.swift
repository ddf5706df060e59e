// DELTA_BINARY_PACKED (Encodings.md), for INT32 and INT64 (arithmetic wraps, as the spec requires):
//   delta-binary-packed := <header> <block>*
//   header := <block size in values: varint> <miniblocks per block: varint> <total value count: varint>
//             <first value: zigzag varint>
//   block := <min delta: zigzag varint> <bit width of each miniblock: 1 byte each> <miniblocks>
//   miniblock := <values per miniblock> deltas, bit-packed LSB first at the miniblock's width
// Refuses block sizes that are not a multiple of 128, miniblocks that are not a multiple of 8 values,
// bit widths over 64 and more values asked for than the header's total. A truncated last miniblock reads as
// zero-padded (some writers omit its padding).

struct DeltaBinaryPackedDecoder<Value: FixedWidthInteger & FixedValue>: ValuesDecoder {
  private let data: UnsafeRawBufferPointer
  /// Byte offset just past the values decoded so far (the end of the encoding once all are read).
  private(set) var position = 0
  private let valuesPerMiniblock: Int
  private let miniblocksPerBlock: Int
  let totalCount: Int
  private var remaining: Int
  private var previous: UInt64
  private var firstPending = true
  private var minDelta: UInt64 = 0
  private var widths: [UInt8] = []
  private var miniblock = 0
  private var deltas = [UInt64](repeating: 0, count: 8)
  private var deltaIndex = 8
  private var leftInMiniblock = 0
  private var padded = PaddedGroup()

  init(_ data: UnsafeRawBufferPointer) throws(ParquetError) {
    self.data = data
    var reader = VarintReader(data)
    let blockSize = try reader.uvarint()
    let miniblocks = try reader.uvarint()
    let total = try reader.uvarint()
    let first = try reader.zigzag()
    guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0,
      blockSize % miniblocks == 0,
      (blockSize / miniblocks) % 8 == 0, total <= UInt64(Int32.max)
    else {
      throw ParquetError(
        .corruptPage,
        "DELTA_BINARY_PACKED header: block \(blockSize), miniblocks \(miniblocks), total \(total)")
    }
    valuesPerMiniblock = Int(blockSize / miniblocks)
    miniblocksPerBlock = Int(miniblocks)
    totalCount = Int(total)
    remaining = Int(total)
    previous = UInt64(bitPattern: first)
    position = reader.position
    miniblock = miniblocksPerBlock
  }

  mutating func decode(_ count: Int, into buffer: inout [Value]) throws(ParquetError) {
    guard count <= remaining else {
      throw ParquetError(
        .corruptPage, "DELTA_BINARY_PACKED holds \(remaining) more values, \(count) asked for")
    }
    buffer.reserveCapacity(buffer.count + count)
    for _ in 0..<count { buffer.append(Value(truncatingIfNeeded: try next())) }
  }

  /// Decodes all remaining values into a new array (used for the lengths of the byte-array encodings).
  mutating func decodeAll() throws(ParquetError) -> [Value] {
    var values: [Value] = []
    try decode(remaining, into: &values)
    return values
  }

  @inline(__always)
  private mutating func next() throws(ParquetError) -> UInt64 {
    remaining -= 1
    if firstPending {
      firstPending = false
      return previous
    }
    if deltaIndex == 8 { try refill() }
    previous = previous &+ minDelta &+ deltas[deltaIndex]
    deltaIndex += 1
    leftInMiniblock -= 1
    return previous
  }

  /// Unpacks the next 8 deltas, starting a new miniblock or block when the current one is used up.
  private mutating func refill() throws(ParquetError) {
    if leftInMiniblock == 0 {
      miniblock += 1
      if miniblock >= miniblocksPerBlock { try readBlockHeader() }
      leftInMiniblock = valuesPerMiniblock
    }
    let width = Int(widths[miniblock])
    guard let base = data.baseAddress else {
      throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED: no data")
    }
    let available = data.count - position
    if available < width + 8 {
      guard available > 0 || width == 0 else {
        throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED: miniblock past the end of the data")
      }
      deltas.withUnsafeMutableBufferPointer { out in
        padded.with(base + position, available: available) { source in
          if let target = out.baseAddress { BitUnpacking.unpack8x64(source, width: width, into: target) }
        }
      }
    } else {
      deltas.withUnsafeMutableBufferPointer { out in
        if let target = out.baseAddress {
          BitUnpacking.unpack8x64(base + position, width: width, into: target)
        }
      }
    }
    position = min(position + width, data.count)
    deltaIndex = 0
  }

  private mutating func readBlockHeader() throws(ParquetError) {
    var reader = VarintReader(data, position: position)
    minDelta = UInt64(bitPattern: try reader.zigzag())
    guard data.count - reader.position >= miniblocksPerBlock else {
      throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED: miniblock widths past the end of the data")
    }
    widths = Array(data[reader.position..<reader.position + miniblocksPerBlock])
    position = reader.position + miniblocksPerBlock
    for width in widths where width > 64 {
      throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED: miniblock bit width \(width) over 64")
    }
    miniblock = 0
  }

  /// Skips the padding of the current miniblock, so `position` ends at the encoding's end after the last value.
  mutating func finish() {
    guard leftInMiniblock > 0, deltaIndex == 8 || leftInMiniblock > 8 - deltaIndex else { return }
    let groupsLeft = (leftInMiniblock - (8 - deltaIndex)) / 8
    let width = miniblock < widths.count ? Int(widths[miniblock]) : 0
    position = min(data.count, position + groupsLeft * width)
    leftInMiniblock = 0
  }
}

/// Reads unsigned and zigzag varints from a byte buffer, with bounds checks.
struct VarintReader {
  let data: UnsafeRawBufferPointer
  var position: Int

  init(_ data: UnsafeRawBufferPointer, position: Int = 0) {
    self.data = data
    self.position = position
  }

  mutating func uvarint() throws(ParquetError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < data.count else { throw ParquetError(.corruptPage, "varint past the end of the data") }
      let byte = data[position]
      position += 1
      guard shift < 64 else { throw ParquetError(.corruptPage, "varint longer than 10 bytes") }
      result |= UInt64(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
  }

  mutating func zigzag() throws(ParquetError) -> Int64 {
    let raw = try uvarint()
    return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
  }
}
