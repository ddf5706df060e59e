// The reader's output: one column as contiguous typed arrays plus a validity bitmap (Arrow-like, no per-cell
// boxing). Dense layout: a null slot holds a zero value (an empty byte string for byte arrays).

/// One INT96 value: 12 little-endian bytes (legacy timestamps: 8 bytes of nanoseconds of the day, then a 4-byte
/// Julian day).
public struct Int96: Sendable, Equatable, Hashable, BitwiseCopyable {
  public var word0: UInt32
  public var word1: UInt32
  public var word2: UInt32

  public init(word0: UInt32, word1: UInt32, word2: UInt32) {
    self.word0 = word0
    self.word1 = word1
    self.word2 = word2
  }

  /// The low 8 bytes as an integer (nanoseconds of the day for INT96 timestamps).
  public var low64: UInt64 { UInt64(word0) | UInt64(word1) << 32 }
}

/// Variable-length byte strings: value `i` is `data[offsets[i]..<offsets[i + 1]]`; `offsets.count == count + 1`.
public struct ByteArrayValues: Sendable, Equatable {
  public var offsets: [Int]
  public var data: [UInt8]

  public init(offsets: [Int] = [0], data: [UInt8] = []) {
    self.offsets = offsets
    self.data = data
  }

  public var count: Int { offsets.count - 1 }

  /// The bytes of value `index` (a slice: no copy).
  public subscript(index: Int) -> ArraySlice<UInt8> { data[offsets[index]..<offsets[index + 1]] }
}

/// Fixed-width byte strings: value `i` is `data[i * width..<(i + 1) * width]`.
public struct FixedWidthValues: Sendable, Equatable {
  public var width: Int
  public var data: [UInt8]

  public init(width: Int, data: [UInt8] = []) {
    self.width = width
    self.data = data
  }

  public var count: Int { width == 0 ? 0 : data.count / width }

  public subscript(index: Int) -> ArraySlice<UInt8> { data[index * width..<(index + 1) * width] }
}

/// The values of a column, one contiguous array per physical type.
public enum ColumnValues: Sendable, Equatable {
  case boolean([Bool])
  case int32([Int32])
  case int64([Int64])
  case int96([Int96])
  case float([Float])
  case double([Double])
  case byteArray(ByteArrayValues)
  case fixedLenByteArray(FixedWidthValues)

  public var count: Int {
    switch self {
    case .boolean(let v): return v.count
    case .int32(let v): return v.count
    case .int64(let v): return v.count
    case .int96(let v): return v.count
    case .float(let v): return v.count
    case .double(let v): return v.count
    case .byteArray(let v): return v.count
    case .fixedLenByteArray(let v): return v.count
    }
  }
}

/// One column's values (all row groups asked for, concatenated) and which slots are valid.
public struct ColumnData: Sendable, Equatable {
  public var descriptor: ColumnDescriptor
  public var values: ColumnValues
  /// Set bit = a value; clear bit = null. Nil when the column has no nulls.
  public var validity: Bitmap?

  public init(descriptor: ColumnDescriptor, values: ColumnValues, validity: Bitmap?) {
    self.descriptor = descriptor
    self.values = values
    self.validity = validity
  }

  public var count: Int { values.count }

  public func isNull(_ index: Int) -> Bool { validity.map { !$0[index] } ?? false }

  public var nullCount: Int { validity.map { $0.count - $0.setCount } ?? 0 }
}
