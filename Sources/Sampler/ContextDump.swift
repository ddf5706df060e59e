// The debugging view of one context (`tributary sample`): its rows and cells decoded back to readable values
// (numbers un-z-scored, timestamps in ISO 8601, vocabulary strings), with masks, labels and relations — exactly
// what the model is given, read back from the batch. Not a hot path: it allocates freely.
import DatabaseSpec
import Foundation
import Store

public struct DumpedCell: Codable, Sendable {
  public var column: String
  public var type: String
  /// The value shown to the model; "[MASK]" for a masked cell.
  public var value: String
  /// The truth a masked cell is trained on.
  public var label: String?
}

public struct DumpedRow: Codable, Sendable {
  public var slot: Int
  public var table: String
  /// Row of the table, or the example index for a task row.
  public var row: Int
  public var time: String?
  public var parents: [Int]
  public var cells: [DumpedCell]
}

public struct DumpedContext: Codable, Sendable {
  public var database: String
  public var seed: String
  public var seedTime: String?
  public var cells: Int
  public var rows: [DumpedRow]
}

extension Sampler {
  /// Context `context` of a filled batch, decoded.
  public func dump(_ batch: Batch, context b: Int) throws -> DumpedContext {
    let f = DumpFields(batch)
    let databaseIndex = Int(f.database[b])
    guard databaseIndex >= 0, databaseIndex < views.count else {
      return DumpedContext(database: "-", seed: "padding", seedTime: nil, cells: 0, rows: [])
    }
    let decoder = try CellDecoder(view: views[databaseIndex], task: task)
    let l = batch.contextLength
    var rows: [DumpedRow] = []
    for slot in 0..<Int(f.rowCount[b]) {
      let table = Int(f.rowTable[b * l + slot]) - tableOffsets[databaseIndex]
      let id = Int(f.rowId[b * l + slot])
      let start = (b * l + slot) * batch.maxParents
      rows.append(
        DumpedRow(
          slot: slot, table: decoder.tableName(table), row: decoder.tableRow(table, id: id),
          time: decoder.rowTime(table, id: id),
          parents: f.rowParents[start..<start + batch.maxParents].filter { $0 >= 0 }.map(Int.init), cells: [])
      )
    }
    for cell in 0..<Int(f.cellCount[b]) {
      let at = b * l + cell
      let slot = Int(f.row[at])
      let column = Int(f.column[at]) - columnOffsets[databaseIndex]
      rows[slot].cells.append(try decoder.decode(f, at, column: column, row: rows[slot]))
    }
    let seed = Int(f.seedId[b])
    let time = f.seedTime[b]
    return DumpedContext(
      database: views[databaseIndex].name,
      seed: task.map { "example \(seed) of task \($0.name)" } ?? "node \(seed) (\(rows.first?.table ?? "?"))",
      seedTime: time == Int64.min ? nil : ISO8601Micros.format(time), cells: Int(f.cellCount[b]), rows: rows)
  }
}

struct DumpFields {
  let number, timestamp, boolean, labelNumber: [Float]
  let vocabulary, labelVocabulary, column, row, rowTable, rowParents, cellCount, rowCount, database: [Int32]
  let type, masked: [UInt8]
  let rowId, seedId, seedTime: [Int64]

  init(_ batch: Batch) {
    number = batch.array(.number, as: Float.self)
    timestamp = batch.array(.timestamp, as: Float.self)
    boolean = batch.array(.boolean, as: Float.self)
    labelNumber = batch.array(.labelNumber, as: Float.self)
    vocabulary = batch.array(.vocabulary, as: Int32.self)
    labelVocabulary = batch.array(.labelVocabulary, as: Int32.self)
    column = batch.array(.column, as: Int32.self)
    row = batch.array(.row, as: Int32.self)
    rowTable = batch.array(.rowTable, as: Int32.self)
    rowParents = batch.array(.rowParents, as: Int32.self)
    cellCount = batch.array(.cellCount, as: Int32.self)
    rowCount = batch.array(.rowCount, as: Int32.self)
    database = batch.array(.database, as: Int32.self)
    type = batch.array(.type, as: UInt8.self)
    masked = batch.array(.masked, as: UInt8.self)
    rowId = batch.array(.rowId, as: Int64.self)
    seedId = batch.array(.seedId, as: Int64.self)
    seedTime = batch.array(.seedTime, as: Int64.self)
  }
}
