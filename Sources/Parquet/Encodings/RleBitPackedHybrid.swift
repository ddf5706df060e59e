// The RLE / bit-packing hybrid (Encodings.md): definition levels, dictionary indices, RLE booleans.
//
//   rle-bit-packed-hybrid: <length> <encoded-data>   (the 4-byte length prefix only where the caller says so)
//   encoded-data := <run>*
//   run := <bit-packed-run> | <rle-run>
//   bit-packed-run := <bit-packed-header> <bit-packed-values>
//   bit-packed-header := varint-encode(<bit-pack-scaled-run-len> << 1 | 1)   (scaled: groups of 8 values)
//   rle-run := <rle-header> <repeated-value>
//   rle-header := varint-encode( (rle-run-len) << 1)
//   repeated-value := value repeated, in round-up-to-next-byte(bit-width) bytes, little-endian
//
// Refuses bit widths over 32, runs past the end of the data, and repeated values wider than the bit width.

/// Decodes hybrid-encoded unsigned integers of a fixed bit width.
struct RleBitPackedHybridDecoder {
  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  let bitWidth: Int
  private var rleRemaining = 0
  private var rleValue: UInt32 = 0
  /// Values left in the current bit-packed run, and the unpacked group being served.
  private var packedRemaining = 0
  private var group: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0, 0, 0, 0, 0, 0, 0, 0
  )
  private var groupIndex = 8
  private var padded = PaddedGroup()

  init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
    guard (0...32).contains(bitWidth) else {
      throw ParquetError(.corruptPage, "RLE/bit-packed bit width \(bitWidth) is over 32")
    }
    self.bytes = bytes
    self.bitWidth = bitWidth
  }

  /// Decodes exactly `count` values into `output`, or throws if the data ends first.
  mutating func decode(into output: UnsafeMutablePointer<UInt32>, count: Int) throws(ParquetError) {
    var done = 0
    while done < count {
      if rleRemaining > 0 {
        let n = min(rleRemaining, count - done)
        (output + done).update(repeating: rleValue, count: n)
        rleRemaining -= n
        done += n
      } else if packedRemaining > 0 {
        done += takePacked(into: output + done, count: count - done)
      } else {
        try readRunHeader()
      }
    }
  }

  /// Serves values from the current bit-packed run: whole groups straight from the data, the rest via `group`.
  private mutating func takePacked(into output: UnsafeMutablePointer<UInt32>, count: Int) -> Int {
    var done = 0
    while done < count && packedRemaining > 0 {
      if groupIndex < 8 {
        withUnsafeBytes(of: &group) {
          output[done] = $0.load(fromByteOffset: groupIndex * 4, as: UInt32.self)
        }
        groupIndex += 1
        packedRemaining -= 1
        done += 1
      } else if count - done >= 8 && packedRemaining >= 8 {
        unpackGroup(into: output + done)
        packedRemaining -= 8
        done += 8
      } else {
        var values = group
        withUnsafeMutableBytes(of: &values) { raw in
          if let base = raw.baseAddress { unpackGroup(into: base.assumingMemoryBound(to: UInt32.self)) }
        }
        group = values
        groupIndex = 0
      }
    }
    return done
  }

  /// Unpacks the next 8 values at `position` (bounds were checked when the run header was read).
  private mutating func unpackGroup(into output: UnsafeMutablePointer<UInt32>) {
    guard let base = bytes.baseAddress else { return }
    let available = bytes.count - position
    if available >= bitWidth + 8 {
      BitUnpacking.unpack8(base + position, width: bitWidth, into: output)
    } else {
      let width = bitWidth
      padded.with(base + position, available: available) {
        BitUnpacking.unpack8($0, width: width, into: output)
      }
    }
    position += bitWidth
  }

  private mutating func readRunHeader() throws(ParquetError) {
    let header = try readVarint()
    if header & 1 == 1 {
      let groups = header >> 1
      guard groups > 0 else { throw ParquetError(.corruptPage, "empty bit-packed run") }
      // The last run may be cut short of its declared groups (the values it needs are present): serve what
      // the bytes hold, zero-padded, and let the caller's counts decide.
      let left = max(0, bytes.count - position)
      let availableGroups = UInt64(bitWidth == 0 ? Int.max / 8 : left / bitWidth + 1)
      let usable = min(groups, availableGroups)
      guard usable <= UInt64(Int.max / 8) else { throw ParquetError(.corruptPage, "bit-packed run too long") }
      packedRemaining = Int(usable) * 8
      groupIndex = 8
    } else {
      let length = header >> 1
      guard length > 0, length <= UInt64(Int32.max) else {
        throw ParquetError(.corruptPage, "RLE run of \(length) values")
      }
      let width = (bitWidth + 7) / 8
      guard bytes.count - position >= width else {
        throw ParquetError(.corruptPage, "RLE run value past the end of the data")
      }
      var value: UInt32 = 0
      for i in 0..<width { value |= UInt32(bytes[position + i]) << UInt32(8 * i) }
      position += width
      guard bitWidth == 32 || value >> UInt32(bitWidth) == 0 else {
        throw ParquetError(.corruptPage, "RLE value \(value) wider than \(bitWidth) bits")
      }
      rleValue = value
      rleRemaining = Int(length)
    }
  }

  private mutating func readVarint() throws(ParquetError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < bytes.count else {
        throw ParquetError(.corruptPage, "RLE/bit-packed data ends before the values it should hold")
      }
      let byte = bytes[position]
      position += 1
      guard shift < 64 else { throw ParquetError(.corruptPage, "RLE/bit-packed varint too long") }
      result |= UInt64(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
  }
}
