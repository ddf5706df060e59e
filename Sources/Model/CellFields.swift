// The per-cell fields of one batch on the host, as the model reads them (docs/format.md, "Batches"): values,
// types, mask flags, labels, column ids, row slots and per-row parent slots. Built from a sampler `Batch` by one
// copy per field, or directly by tests and tools (synthetic batches, the PyTorch parity fixture).
// Refuses: fields whose lengths disagree with B, L and P.
import Sampler

public struct CellFields: Sendable {
  public let batchSize: Int
  public let contextLength: Int
  public let maxParents: Int
  public var number: [Float]
  /// [B*L*15]: z-scored time then 14 cyclic features.
  public var timestamp: [Float]
  public var boolean: [Float]
  public var vocabulary: [Int32]
  public var column: [Int32]
  public var row: [Int32]
  /// Cell type code (`CellType`), 0 padding.
  public var type: [UInt8]
  public var masked: [UInt8]
  /// Loss code per cell (type code of the loss), 0 none.
  public var loss: [UInt8]
  public var labelNumber: [Float]
  public var labelVocabulary: [Int32]
  /// [B*L*P]: parent row slots of each row slot, -1 filled.
  public var rowParents: [Int32]

  public static let timestampWidth = BatchLayout.timestampWidth

  /// Empty (all padding) fields for B contexts of L cells and P parent slots.
  public init(batchSize: Int, contextLength: Int, maxParents: Int) {
    (self.batchSize, self.contextLength, self.maxParents) = (batchSize, contextLength, maxParents)
    let n = batchSize * contextLength
    number = [Float](repeating: 0, count: n)
    timestamp = [Float](repeating: 0, count: n * Self.timestampWidth)
    boolean = number
    labelNumber = number
    vocabulary = [Int32](repeating: -1, count: n)
    column = vocabulary
    row = vocabulary
    labelVocabulary = vocabulary
    type = [UInt8](repeating: 0, count: n)
    masked = type
    loss = type
    rowParents = [Int32](repeating: -1, count: n * maxParents)
  }

  /// One copy of every field the model needs from a sampler batch.
  public init(batch: Batch) {
    self.init(batchSize: batch.batchSize, contextLength: batch.contextLength, maxParents: batch.maxParents)
    number = batch.array(.number, as: Float.self)
    timestamp = batch.array(.timestamp, as: Float.self)
    boolean = batch.array(.boolean, as: Float.self)
    vocabulary = batch.array(.vocabulary, as: Int32.self)
    column = batch.array(.column, as: Int32.self)
    row = batch.array(.row, as: Int32.self)
    type = batch.array(.type, as: UInt8.self)
    masked = batch.array(.masked, as: UInt8.self)
    loss = batch.array(.loss, as: UInt8.self)
    labelNumber = batch.array(.labelNumber, as: Float.self)
    labelVocabulary = batch.array(.labelVocabulary, as: Int32.self)
    rowParents = batch.array(.rowParents, as: Int32.self)
  }

  public var cellCount: Int { batchSize * contextLength }

  /// Checks every field's length against B, L and P.
  public func validate() throws {
    let n = cellCount
    let lengths: [(String, Int, Int)] = [
      ("number", number.count, n), ("timestamp", timestamp.count, n * Self.timestampWidth),
      ("boolean", boolean.count, n), ("vocabulary", vocabulary.count, n), ("column", column.count, n),
      ("row", row.count, n), ("type", type.count, n), ("masked", masked.count, n), ("loss", loss.count, n),
      ("label_number", labelNumber.count, n), ("label_vocabulary", labelVocabulary.count, n),
      ("row_parents", rowParents.count, n * maxParents),
    ]
    for (name, found, expected) in lengths where found != expected {
      throw ModelError.invalidInput(what: name, detail: "\(found) elements, expected \(expected)")
    }
  }
}
