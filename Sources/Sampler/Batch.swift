// A batch of B contexts of L cells, laid out as one 64-byte-aligned allocation holding one contiguous array per
// field (struct of arrays), so the tensor engine can wrap each field without copying and a device can take the
// whole batch in one transfer. The layout is specified in docs/format.md ("Batches"); `BatchField` is its only
// implementation. Padding cells have type 0, column/table/row -1; unused row slots have table -1, parents -1.
import Foundation

/// Element type of a batch field.
public enum BatchElement: String, Sendable {
  case float32 = "f32", int32 = "i32", int64 = "i64", uint8 = "u8"

  public var width: Int {
    switch self {
    case .float32, .int32: return 4
    case .int64: return 8
    case .uint8: return 1
    }
  }
}

/// The fields of a batch, in storage order.
public enum BatchField: String, Sendable, CaseIterable {
  // Per cell, [B, L] (timestamp: [B, L, 15]).
  case number, timestamp, boolean, vocabulary
  case column, table, row, labelNumber = "label_number", labelVocabulary = "label_vocabulary"
  case type, masked, loss
  // Per row slot, [B, L] (parents: [B, L, P]).
  case rowId = "row_id", rowTable = "row_table", rowParents = "row_parents"
  // Per context, [B].
  case seedId = "seed_id", seedTime = "seed_time", cellCount = "cell_count", rowCount = "row_count"
  case database

  public var element: BatchElement {
    switch self {
    case .number, .timestamp, .boolean, .labelNumber: return .float32
    case .vocabulary, .column, .table, .row, .labelVocabulary, .rowTable, .rowParents, .cellCount, .rowCount,
      .database:
      return .int32
    case .seedId, .seedTime, .rowId: return .int64
    case .type, .masked, .loss: return .uint8
    }
  }

  /// Shape for batch size `b`, context length `l`, `p` parent slots per row.
  public func shape(b: Int, l: Int, p: Int) -> [Int] {
    switch self {
    case .timestamp: return [b, l, BatchLayout.timestampWidth]
    case .rowParents: return [b, l, p]
    case .seedId, .seedTime, .cellCount, .rowCount, .database: return [b]
    default: return [b, l]
    }
  }
}

/// Byte offsets of every field for one (B, L, P).
public struct BatchLayout: Sendable, Equatable {
  /// z-scored time, then the 14 cyclic features.
  public static let timestampWidth = 15
  public static let alignment = 64

  public let batchSize: Int
  public let contextLength: Int
  public let maxParents: Int
  public let offsets: [Int]
  public let byteCount: Int

  public init(batchSize: Int, contextLength: Int, maxParents: Int) {
    self.batchSize = batchSize
    self.contextLength = contextLength
    self.maxParents = maxParents
    var offsets: [Int] = []
    var next = 0
    for field in BatchField.allCases {
      offsets.append(next)
      let bytes =
        field.shape(b: batchSize, l: contextLength, p: maxParents).reduce(1, *) * field.element.width
      next += (bytes + Self.alignment - 1) / Self.alignment * Self.alignment
    }
    self.offsets = offsets
    byteCount = next
  }

  private static let order = BatchField.allCases

  public func offset(of field: BatchField) -> Int {
    offsets[Self.order.firstIndex(of: field) ?? 0]
  }

  public func count(of field: BatchField) -> Int {
    field.shape(b: batchSize, l: contextLength, p: maxParents).reduce(1, *)
  }
}

public final class Batch: @unchecked Sendable {
  // @unchecked: while a batch is being filled, each context is written by one worker into its own slice (disjoint
  // bytes); it is handed to readers only after every worker has finished.
  public let layout: BatchLayout
  let storage: UnsafeMutableRawPointer
  /// Which batch of which epoch this is.
  public internal(set) var epoch = 0
  public internal(set) var index = 0

  public init(layout: BatchLayout) {
    self.layout = layout
    storage = .allocate(byteCount: max(layout.byteCount, 1), alignment: BatchLayout.alignment)
    storage.initializeMemory(as: UInt8.self, repeating: 0, count: max(layout.byteCount, 1))
  }

  deinit { storage.deallocate() }

  public var batchSize: Int { layout.batchSize }
  public var contextLength: Int { layout.contextLength }
  public var maxParents: Int { layout.maxParents }

  /// The whole batch as bytes (every field at `layout.offset(of:)`), valid only during `body`.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: storage, count: layout.byteCount))
  }

  /// One field's elements, valid only during `body`; nil when `T` is not the field's element type.
  public func withField<T: BitwiseCopyable, R>(
    _ field: BatchField, as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
  ) rethrows -> R? {
    guard MemoryLayout<T>.size == field.element.width, Self.matches(T.self, field.element) else { return nil }
    let start = (storage + layout.offset(of: field)).assumingMemoryBound(to: T.self)
    return try body(UnsafeBufferPointer(start: start, count: layout.count(of: field)))
  }

  /// A copy of one field (tests and the debugging dump; the model wraps `withField`).
  public func array<T: BitwiseCopyable>(_ field: BatchField, as type: T.Type) -> [T] {
    withField(field, as: type) { Array($0) } ?? []
  }

  func pointer<T>(_ field: BatchField, as _: T.Type) -> UnsafeMutablePointer<T> {
    (storage + layout.offset(of: field)).assumingMemoryBound(to: T.self)
  }

  private static func matches<T>(_: T.Type, _ element: BatchElement) -> Bool {
    switch element {
    case .float32: return T.self == Float.self
    case .int32: return T.self == Int32.self
    case .int64: return T.self == Int64.self
    case .uint8: return T.self == UInt8.self
    }
  }
}
