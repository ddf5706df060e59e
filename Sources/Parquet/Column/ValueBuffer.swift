// The growable value stores a column is decoded into, behind one protocol: typed arrays for fixed-width
// values, `ByteArrayValues` and `FixedWidthValues` for byte strings. Decoders append non-null values;
// `spread` then moves them to their row slots and zero-fills the null slots (dense layout).

/// A fixed-width value that decodes by copying its little-endian bytes.
protocol FixedValue: BitwiseCopyable, Sendable {
  static var zero: Self { get }
}

extension Int32: FixedValue {}
extension Int64: FixedValue {}
extension Float: FixedValue {}
extension Double: FixedValue {}
extension Int96: FixedValue {
  static var zero: Int96 { Int96(word0: 0, word1: 0, word2: 0) }
}
extension Bool: FixedValue {
  static var zero: Bool { false }
}

/// A store that decoders append to.
protocol ValueBuffer: Sendable {
  var count: Int { get }
  /// Makes room for `count` values in all (one allocation for the whole chunk).
  mutating func reserve(_ count: Int)
  /// Places the last `nonNull` values at the slots whose flag is non-zero among `flags.count` new slots.
  mutating func spread(nonNull: Int, flags: UnsafeBufferPointer<UInt8>)
  /// Appends `dictionary[i]` for each index; throws if an index is out of range.
  mutating func appendGathered(from dictionary: Self, indices: UnsafeBufferPointer<UInt32>)
    throws(ParquetError)
}

func checkIndices(_ indices: UnsafeBufferPointer<UInt32>, below count: Int) throws(ParquetError) {
  var maximum: UInt32 = 0
  for index in indices { maximum = max(maximum, index) }
  guard indices.isEmpty || Int(maximum) < count else {
    throw ParquetError(
      .corruptPage, "dictionary index \(maximum) out of range (dictionary has \(count) values)")
  }
}

extension Array: ValueBuffer where Element: FixedValue {
  mutating func reserve(_ count: Int) { reserveCapacity(count) }

  mutating func spread(nonNull: Int, flags: UnsafeBufferPointer<UInt8>) {
    let base = count - nonNull
    append(contentsOf: repeatElement(Element.zero, count: flags.count - nonNull))
    withUnsafeMutableBufferPointer { values in
      var source = base + nonNull - 1
      var slot = flags.count - 1
      while slot >= 0 && source >= base {
        if flags[slot] != 0 {
          values[base + slot] = values[source]
          source -= 1
        } else {
          values[base + slot] = Element.zero
        }
        slot -= 1
      }
      while slot >= 0 {
        values[base + slot] = Element.zero
        slot -= 1
      }
    }
  }

  mutating func appendGathered(from dictionary: [Element], indices: UnsafeBufferPointer<UInt32>)
    throws(ParquetError)
  {
    try checkIndices(indices, below: dictionary.count)
    let start = count
    append(contentsOf: repeatElement(Element.zero, count: indices.count))
    dictionary.withUnsafeBufferPointer { dict in
      withUnsafeMutableBufferPointer { out in
        for i in 0..<indices.count { out[start + i] = dict[Int(indices[i])] }
      }
    }
  }

  /// Appends `n` values copied from unaligned little-endian bytes.
  mutating func appendRaw(_ bytes: UnsafeRawPointer, count n: Int) {
    let start = count
    append(contentsOf: repeatElement(Element.zero, count: n))
    withUnsafeMutableBytes { out in
      out.baseAddress?.advanced(by: start * MemoryLayout<Element>.stride)
        .copyMemory(from: bytes, byteCount: n * MemoryLayout<Element>.stride)
    }
  }
}

extension ByteArrayValues: ValueBuffer {
  mutating func reserve(_ count: Int) { offsets.reserveCapacity(count + 1) }

  mutating func spread(nonNull: Int, flags: UnsafeBufferPointer<UInt8>) {
    let tail = Array(offsets[(offsets.count - nonNull - 1)...])
    offsets.removeLast(nonNull)
    offsets.reserveCapacity(offsets.count + flags.count)
    tail.withUnsafeBufferPointer { tail in
      var next = 0
      for flag in flags {
        if flag != 0 { next += 1 }
        offsets.append(tail[min(next, tail.count - 1)])
      }
    }
  }

  mutating func appendGathered(from dictionary: ByteArrayValues, indices: UnsafeBufferPointer<UInt32>)
    throws(ParquetError)
  {
    try checkIndices(indices, below: dictionary.count)
    let firstOffset = offsets.count
    let firstByte = data.count
    var total = 0
    dictionary.offsets.withUnsafeBufferPointer { dictOffsets in
      for index in indices { total += dictOffsets[Int(index) + 1] - dictOffsets[Int(index)] }
    }
    offsets.append(contentsOf: repeatElement(0, count: indices.count))
    data.append(contentsOf: repeatElement(0, count: total))
    // One pass of raw copies into the space just added (no per-value append bookkeeping).
    dictionary.offsets.withUnsafeBufferPointer { dictOffsets in
      dictionary.data.withUnsafeBytes { dictData in
        offsets.withUnsafeMutableBufferPointer { outOffsets in
          data.withUnsafeMutableBytes { outData in
            guard let source = dictData.baseAddress, let target = outData.baseAddress else {
              for i in 0..<indices.count { outOffsets[firstOffset + i] = firstByte }
              return
            }
            var end = firstByte
            for i in 0..<indices.count {
              let index = Int(indices[i])
              let from = dictOffsets[index]
              let length = dictOffsets[index + 1] - from
              (target + end).copyMemory(from: source + from, byteCount: length)
              end += length
              outOffsets[firstOffset + i] = end
            }
          }
        }
      }
    }
  }

  /// Appends one value.
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    data.append(contentsOf: bytes)
    offsets.append(data.count)
  }
}

extension FixedWidthValues: ValueBuffer {
  mutating func reserve(_ count: Int) { data.reserveCapacity(count * width) }

  mutating func spread(nonNull: Int, flags: UnsafeBufferPointer<UInt8>) {
    guard width > 0 else { return }
    let base = count - nonNull
    data.append(contentsOf: repeatElement(0, count: (flags.count - nonNull) * width))
    let width = self.width
    data.withUnsafeMutableBytes { bytes in
      guard let start = bytes.baseAddress else { return }
      var source = base + nonNull - 1
      for slot in stride(from: flags.count - 1, through: 0, by: -1) {
        let target = start + (base + slot) * width
        if flags[slot] != 0 && source >= base {
          if source != base + slot { target.copyMemory(from: start + source * width, byteCount: width) }
          source -= 1
        } else {
          target.initializeMemory(as: UInt8.self, repeating: 0, count: width)
        }
      }
    }
  }

  mutating func appendGathered(from dictionary: FixedWidthValues, indices: UnsafeBufferPointer<UInt32>)
    throws(ParquetError)
  {
    try checkIndices(indices, below: dictionary.count)
    data.reserveCapacity(data.count + indices.count * width)
    let width = self.width
    dictionary.data.withUnsafeBufferPointer { dict in
      for index in indices {
        let from = Int(index) * width
        data.append(contentsOf: UnsafeBufferPointer(rebasing: dict[from..<from + width]))
      }
    }
  }
}
