// Statistics of one Parquet column that the describe heuristics read: its kind, nulls, distinct values, string
// lengths and words, and per-row value hashes for key discovery (uniqueness, inclusion).
// Distinct values are counted by 64-bit hashes (integers and times by their bits, strings by FNV-1a): a hash
// collision can only make a unique column look non-unique or add a false inclusion with probability ~n²/2⁶⁴.
// Refuses nothing: a column it cannot interpret is profiled as `.other` and proposed Ignored.
import Parquet

/// What a column physically holds, as far as the annotation cares.
public enum ValueKind: String, Sendable, Equatable {
  case integer, float, decimal, boolean, string, timestamp, binary, other
}

public struct ColumnProfile: Sendable {
  public var name: String
  public var kind: ValueKind
  public var rowCount: Int
  public var nullCount: Int
  public var distinctCount: Int
  /// Mean UTF-8 length and mean number of space-separated words of the non-null strings.
  public var meanLength: Double = 0
  public var meanWords: Double = 0
  /// Smallest and largest integer (integers only).
  public var minimum: Int64?
  public var maximum: Int64?
  /// A few distinct non-null values as text, for the review table and the LLM prompt.
  public var samples: [String] = []
  /// Hash of each row's value (0 for nulls), for key columns; empty for kinds that cannot be keys.
  var rowHashes: [UInt64] = []
  /// Distinct non-null value hashes (key-eligible kinds only).
  var distinct: Set<UInt64> = []

  public var nonNullCount: Int { rowCount - nullCount }
  public var isUnique: Bool { nonNullCount > 0 && distinctCount == nonNullCount }
  /// Distinct values per non-null value (1: all different).
  public var distinctRatio: Double { nonNullCount == 0 ? 0 : Double(distinctCount) / Double(nonNullCount) }
  /// Kinds that can hold identifiers.
  public var canBeKey: Bool { kind == .integer || kind == .string || kind == .timestamp }
}

extension ColumnProfile {
  static let sampleCount = 5

  init(_ column: ColumnData) {
    name = column.descriptor.name
    kind = Self.kind(column.descriptor)
    rowCount = column.count
    nullCount = column.nullCount
    distinctCount = 0
    switch (kind, column.values) {
    case (.integer, .int32(let v)): profileIntegers(v.map { Int64($0) }, column)
    case (.integer, .int64(let v)): profileIntegers(v, column)
    case (.string, .byteArray(let v)): profileStrings(v, column)
    case (.timestamp, _):
      if let micros = column.epochMicroseconds() { profileTimes(micros, column) }
    default: profileOther(column)
    }
  }

  static func kind(_ descriptor: ColumnDescriptor) -> ValueKind {
    switch descriptor.interpretation {
    case .boolean: return .boolean
    case .signedInteger, .unsignedInteger: return .integer
    case .floatingPoint, .float16: return .float
    case .decimal: return .decimal
    case .string: return .string
    case .date, .timestamp, .int96Timestamp: return .timestamp
    case .binary, .uuid: return .binary
    case .time: return .other
    }
  }

  private mutating func profileIntegers(_ values: [Int64], _ column: ColumnData) {
    rowHashes = [UInt64](repeating: 0, count: values.count)
    var low = Int64.max
    var high = Int64.min
    for row in values.indices where !column.isNull(row) {
      let value = values[row]
      low = min(low, value)
      high = max(high, value)
      rowHashes[row] = Self.mix(UInt64(bitPattern: value))
      if distinct.insert(rowHashes[row]).inserted, samples.count < Self.sampleCount {
        samples.append(String(value))
      }
    }
    distinctCount = distinct.count
    if low <= high {
      minimum = low
      maximum = high
    }
  }

  private mutating func profileTimes(_ micros: [Int64], _ column: ColumnData) {
    rowHashes = [UInt64](repeating: 0, count: micros.count)
    for row in micros.indices where !column.isNull(row) {
      rowHashes[row] = Self.mix(UInt64(bitPattern: micros[row]))
      distinct.insert(rowHashes[row])
    }
    distinctCount = distinct.count
    let renderer = CanonicalRenderer(column)
    for row in 0..<min(column.count, 50) where !column.isNull(row) && samples.count < Self.sampleCount {
      samples.append(renderer.render(row))
    }
  }

  private mutating func profileStrings(_ values: ByteArrayValues, _ column: ColumnData) {
    rowHashes = [UInt64](repeating: 0, count: values.count)
    var totalLength = 0
    var totalWords = 0
    values.data.withUnsafeBufferPointer { data in
      values.offsets.withUnsafeBufferPointer { offsets in
        for row in 0..<values.count where !column.isNull(row) {
          let bytes = data[offsets[row]..<offsets[row + 1]]
          totalLength += bytes.count
          totalWords += 1
          for byte in bytes where byte == 0x20 { totalWords += 1 }
          rowHashes[row] = Self.fnv1a(bytes)
          if distinct.insert(rowHashes[row]).inserted, samples.count < Self.sampleCount {
            samples.append(String(decoding: bytes, as: UTF8.self))
          }
        }
      }
    }
    distinctCount = distinct.count
    meanLength = nonNullCount == 0 ? 0 : Double(totalLength) / Double(nonNullCount)
    meanWords = nonNullCount == 0 ? 0 : Double(totalWords) / Double(nonNullCount)
  }

  /// Booleans, floats, decimals, binary: only the distinct count (for near-constant columns) and samples.
  private mutating func profileOther(_ column: ColumnData) {
    if case .boolean(let values) = column.values {
      var seen = (false, false)
      for row in values.indices where !column.isNull(row) {
        if values[row] { seen.1 = true } else { seen.0 = true }
      }
      distinctCount = (seen.0 ? 1 : 0) + (seen.1 ? 1 : 0)
      samples = (seen.0 ? ["false"] : []) + (seen.1 ? ["true"] : [])
      return
    }
    let renderer = CanonicalRenderer(column)
    var seen = Set<String>()
    for row in 0..<column.count where !column.isNull(row) {
      let text = renderer.render(row)
      if seen.insert(text).inserted, samples.count < Self.sampleCount { samples.append(text) }
      if seen.count > 1_000 { break }
    }
    distinctCount = seen.count
  }

  static func fnv1a(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash | 1  // never 0, which marks a null
  }

  /// splitmix64 finalizer: spreads integer keys so that composite hashes do not cancel.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return (z ^ (z >> 31)) | 1
  }
}
