// The part of a batch that one context owns: typed pointers to row `b` of every field. A sample writes only
// here, so workers filling different contexts of one batch never touch the same bytes.
struct ContextSlice {
  let length: Int
  let parents: Int
  let number: UnsafeMutablePointer<Float>
  let timestamp: UnsafeMutablePointer<Float>
  let boolean: UnsafeMutablePointer<Float>
  let vocabulary: UnsafeMutablePointer<Int32>
  let column: UnsafeMutablePointer<Int32>
  let table: UnsafeMutablePointer<Int32>
  let row: UnsafeMutablePointer<Int32>
  let labelNumber: UnsafeMutablePointer<Float>
  let labelVocabulary: UnsafeMutablePointer<Int32>
  let type: UnsafeMutablePointer<UInt8>
  let masked: UnsafeMutablePointer<UInt8>
  let loss: UnsafeMutablePointer<UInt8>
  let rowId: UnsafeMutablePointer<Int64>
  let rowTable: UnsafeMutablePointer<Int32>
  let rowParents: UnsafeMutablePointer<Int32>
  let context: Int
  let batch: Batch

  init(_ batch: Batch, context b: Int) {
    let l = batch.contextLength
    let w = BatchLayout.timestampWidth
    length = l
    parents = batch.maxParents
    context = b
    self.batch = batch
    number = batch.pointer(.number, as: Float.self) + b * l
    timestamp = batch.pointer(.timestamp, as: Float.self) + b * l * w
    boolean = batch.pointer(.boolean, as: Float.self) + b * l
    vocabulary = batch.pointer(.vocabulary, as: Int32.self) + b * l
    column = batch.pointer(.column, as: Int32.self) + b * l
    table = batch.pointer(.table, as: Int32.self) + b * l
    row = batch.pointer(.row, as: Int32.self) + b * l
    labelNumber = batch.pointer(.labelNumber, as: Float.self) + b * l
    labelVocabulary = batch.pointer(.labelVocabulary, as: Int32.self) + b * l
    type = batch.pointer(.type, as: UInt8.self) + b * l
    masked = batch.pointer(.masked, as: UInt8.self) + b * l
    loss = batch.pointer(.loss, as: UInt8.self) + b * l
    rowId = batch.pointer(.rowId, as: Int64.self) + b * l
    rowTable = batch.pointer(.rowTable, as: Int32.self) + b * l
    rowParents = batch.pointer(.rowParents, as: Int32.self) + b * l * batch.maxParents
  }

  /// Every cell and row slot becomes padding; the per-context fields are zeroed.
  func clear() {
    let l = length
    number.update(repeating: 0, count: l)
    timestamp.update(repeating: 0, count: l * BatchLayout.timestampWidth)
    boolean.update(repeating: 0, count: l)
    labelNumber.update(repeating: 0, count: l)
    vocabulary.update(repeating: -1, count: l)
    column.update(repeating: -1, count: l)
    table.update(repeating: -1, count: l)
    row.update(repeating: -1, count: l)
    labelVocabulary.update(repeating: -1, count: l)
    rowTable.update(repeating: -1, count: l)
    rowId.update(repeating: -1, count: l)
    type.update(repeating: 0, count: l)
    masked.update(repeating: 0, count: l)
    loss.update(repeating: 0, count: l)
    rowParents.update(repeating: -1, count: l * parents)
    setSummary(seedId: 0, seedTime: 0, cells: 0, rows: 0, database: -1)
  }

  func setSummary(seedId: Int64, seedTime: Int64, cells: Int, rows: Int, database: Int) {
    batch.pointer(.seedId, as: Int64.self)[context] = seedId
    batch.pointer(.seedTime, as: Int64.self)[context] = seedTime
    batch.pointer(.cellCount, as: Int32.self)[context] = Int32(truncatingIfNeeded: cells)
    batch.pointer(.rowCount, as: Int32.self)[context] = Int32(truncatingIfNeeded: rows)
    batch.pointer(.database, as: Int32.self)[context] = Int32(truncatingIfNeeded: database)
  }
}
