// Dictionary encoding for the writer: finds the distinct values of a column chunk (in first-seen order) and
// each value's index, through `HashIndex`. Fixed-width values are keyed by bit pattern, so -0.0 and 0.0 (and
// distinct NaNs) stay distinct and every value round-trips bit for bit. Gives up (returns nil) as soon as the
// dictionary's PLAIN size passes the limit, so the caller falls back to PLAIN. Booleans are never
// dictionary-encoded.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct DictionaryEncoded: Sendable {
  /// The distinct values, PLAIN-encodable like any other values.
  var dictionary: EncodableValues
  /// One index into `dictionary` per non-null value.
  var indices: [UInt32]
  var bitWidth: Int { RleHybridEncoder.bitWidth(forMaximum: UInt32(max(dictionary.count - 1, 0))) }
}

enum DictionaryBuilder {
  /// Dictionary-encodes `values`, or returns nil when its PLAIN size would exceed `limit` bytes.
  static func encode(_ values: EncodableValues, limit: Int) -> DictionaryEncoded? {
    switch values {
    case .boolean: return nil
    case .int32(let v):
      return fixed(v, limit: limit) { UInt64(UInt32(bitPattern: $0)) }.map {
        .init(dictionary: .int32($0), indices: $1)
      }
    case .int64(let v):
      return fixed(v, limit: limit) { UInt64(bitPattern: $0) }.map {
        .init(dictionary: .int64($0), indices: $1)
      }
    case .float(let v):
      return fixed(v, limit: limit) { UInt64($0.bitPattern) }.map {
        .init(dictionary: .float($0), indices: $1)
      }
    case .double(let v):
      return fixed(v, limit: limit) { $0.bitPattern }.map { .init(dictionary: .double($0), indices: $1) }
    case .fixedWidth(let width, let data):
      guard width > 0 else { return nil }
      let offsets = Array(stride(from: 0, through: data.count, by: width))
      return bytes(offsets: offsets, data: data, limit: limit, lengthPrefix: 0).map {
        DictionaryEncoded(dictionary: .fixedWidth(width: width, data: $0.data), indices: $0.indices)
      }
    case .byteArray(let offsets, let data):
      return bytes(offsets: offsets, data: data, limit: limit, lengthPrefix: 4).map {
        DictionaryEncoded(dictionary: .byteArray(offsets: $0.offsets, data: $0.data), indices: $0.indices)
      }
    }
  }

  private static func fixed<T: BitwiseCopyable>(_ values: [T], limit: Int, bits: (T) -> UInt64)
    -> ([T], [UInt32])?
  {
    var index = HashIndex()
    var keys: [UInt64] = []
    var dictionary: [T] = []
    var indices = [UInt32](repeating: 0, count: values.count)
    let maxEntries = limit / MemoryLayout<T>.size
    let complete = values.withUnsafeBufferPointer { values in
      indices.withUnsafeMutableBufferPointer { indices in
        for position in 0..<values.count {
          let key = bits(values[position])
          let (entry, inserted) = index.findOrInsert(hash: HashIndex.hash(key)) { keys[$0] == key }
          if inserted {
            guard keys.count < maxEntries else { return false }
            keys.append(key)
            dictionary.append(values[position])
          }
          indices[position] = UInt32(truncatingIfNeeded: entry)
        }
        return true
      }
    }
    return complete ? (dictionary, indices) : nil
  }

  private static func bytes(offsets: [Int], data: [UInt8], limit: Int, lengthPrefix: Int)
    -> (offsets: [Int], data: [UInt8], indices: [UInt32])?
  {
    var index = HashIndex()
    var dictionaryOffsets = [0]
    var dictionaryData: [UInt8] = []
    var encodedSize = 0
    let count = offsets.count - 1
    var indices = [UInt32](repeating: 0, count: max(count, 0))
    let complete = offsets.withUnsafeBufferPointer { offsets in
      data.withUnsafeBytes { data in
        indices.withUnsafeMutableBufferPointer { indices in
          for position in 0..<count {
            let value = UnsafeRawBufferPointer(rebasing: data[offsets[position]..<offsets[position + 1]])
            let (entry, inserted) = index.findOrInsert(hash: HashIndex.hash(value)) { entry in
              let start = dictionaryOffsets[entry]
              guard dictionaryOffsets[entry + 1] - start == value.count else { return false }
              return dictionaryData.withUnsafeBytes { stored in
                guard let storedBase = stored.baseAddress, let valueBase = value.baseAddress else {
                  return true
                }
                return memcmp(storedBase + start, valueBase, value.count) == 0
              }
            }
            if inserted {
              encodedSize += lengthPrefix + value.count
              guard encodedSize <= limit, dictionaryOffsets.count <= Int(UInt32.max) else { return false }
              dictionaryData.append(contentsOf: value)
              dictionaryOffsets.append(dictionaryData.count)
            }
            indices[position] = UInt32(truncatingIfNeeded: entry)
          }
          return true
        }
      }
    }
    return complete ? (dictionaryOffsets, dictionaryData, indices) : nil
  }
}
