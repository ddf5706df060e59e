// Dictionary encoding for the writer: finds the distinct values of a column chunk (in first-seen order) and
// each value's index. Floats are keyed by bit pattern, so -0.0 and 0.0 (and distinct NaNs) stay distinct and
// every value round-trips bit for bit. Gives up (returns nil) as soon as the dictionary's PLAIN size passes the
// limit, so the caller falls back to PLAIN. Booleans are never dictionary-encoded.

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
      return build(count: v.count, limit: limit, size: { _ in 4 }, key: { v[$0] }).map {
        DictionaryEncoded(dictionary: .int32($0.firsts.map { v[$0] }), indices: $0.indices)
      }
    case .int64(let v):
      return build(count: v.count, limit: limit, size: { _ in 8 }, key: { v[$0] }).map {
        DictionaryEncoded(dictionary: .int64($0.firsts.map { v[$0] }), indices: $0.indices)
      }
    case .float(let v):
      return build(count: v.count, limit: limit, size: { _ in 4 }, key: { v[$0].bitPattern }).map {
        DictionaryEncoded(dictionary: .float($0.firsts.map { v[$0] }), indices: $0.indices)
      }
    case .double(let v):
      return build(count: v.count, limit: limit, size: { _ in 8 }, key: { v[$0].bitPattern }).map {
        DictionaryEncoded(dictionary: .double($0.firsts.map { v[$0] }), indices: $0.indices)
      }
    case .fixedWidth(let width, let data):
      guard width > 0 else { return nil }
      return build(
        count: data.count / width, limit: limit, size: { _ in width },
        key: { data[($0 * width)..<(($0 + 1) * width)] }
      ).map { found in
        var dictionary: [UInt8] = []
        dictionary.reserveCapacity(found.firsts.count * width)
        for first in found.firsts {
          dictionary.append(contentsOf: data[(first * width)..<((first + 1) * width)])
        }
        return DictionaryEncoded(
          dictionary: .fixedWidth(width: width, data: dictionary), indices: found.indices)
      }
    case .byteArray(let offsets, let data):
      return build(
        count: offsets.count - 1, limit: limit, size: { 4 + offsets[$0 + 1] - offsets[$0] },
        key: { data[offsets[$0]..<offsets[$0 + 1]] }
      ).map { found in
        var dictionaryOffsets = [0]
        var dictionaryData: [UInt8] = []
        for first in found.firsts {
          dictionaryData.append(contentsOf: data[offsets[first]..<offsets[first + 1]])
          dictionaryOffsets.append(dictionaryData.count)
        }
        return DictionaryEncoded(
          dictionary: .byteArray(offsets: dictionaryOffsets, data: dictionaryData), indices: found.indices)
      }
    }
  }

  /// Assigns indices by first occurrence; `firsts[i]` is the position of dictionary entry `i` in the input.
  private static func build<Key: Hashable>(
    count: Int, limit: Int, size: (Int) -> Int, key: (Int) -> Key
  ) -> (firsts: [Int], indices: [UInt32])? {
    var indexOf: [Key: UInt32] = [:]
    var firsts: [Int] = []
    var indices: [UInt32] = []
    indices.reserveCapacity(count)
    var dictionaryBytes = 0
    for position in 0..<count {
      let k = key(position)
      if let index = indexOf[k] {
        indices.append(index)
        continue
      }
      dictionaryBytes += size(position)
      guard dictionaryBytes <= limit, firsts.count < Int(UInt32.max) else { return nil }
      let index = UInt32(firsts.count)
      indexOf[k] = index
      firsts.append(position)
      indices.append(index)
    }
    return (firsts, indices)
  }
}
