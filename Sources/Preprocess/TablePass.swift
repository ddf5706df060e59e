// One table from its Parquet file into its table file: key and time columns are read first and kept (compactly,
// as key parts and row times) for the graph and the tasks; then the encoded columns, a group of `threads` columns
// at a time, are read, encoded in parallel, written in metadata order and freed, so memory holds one group of
// columns besides the keys. Vocabulary ids are assigned as columns are written, in metadata order, so they never
// depend on the number of threads. Refuses what the loader and the encoder refuse, naming file, table and column.
import DatabaseSpec
import Foundation
import Parquet
import Runtime
import Store

struct TablePass {
  let directory: URL
  let threads: Int
  let timeScale: TimeScale
  let output: OutputWriter

  struct Result {
    var table: LoadedTable
    var description: ProcessedTable
    /// Global column id of each encoded column.
    var columnIds: [Int32]
  }

  func run(
    _ spec: TableSpec, index: Int, nodeOffset: Int64, firstColumnId: Int32,
    vocabulary: inout VocabularyBuilder
  ) throws -> Result {
    let (file, path) = try TableLoader.open(spec, directory: directory)
    let structureNames = TableLoader.structureColumns(spec)
    let structureData = Dictionary(
      uniqueKeysWithValues: zip(
        structureNames,
        try TableLoader.read(structureNames, from: file, spec: spec, path: path, threads: threads)))
    let table = try TableLoader.structure(
      spec, index: index, path: path, rowCount: file.rowCount, structureData)
    let writer = try output.tableFile(
      spec.name, rowCount: table.rowCount, timeScale: timeScale, threads: threads)
    if let rowTime = table.rowTime { try writer.addRowTime(rowTime) }
    let specs = spec.columns.filter { $0.type != .ignored }
    let columnIds = specs.indices.map { firstColumnId + Int32(truncatingIfNeeded: $0) }
    var columns: [ProcessedColumn] = []
    for groupStart in stride(from: 0, to: specs.count, by: max(1, threads)) {
      let group = Array(specs[groupStart..<min(groupStart + max(1, threads), specs.count)])
      let encoded = try encode(group, file: file, path: path, table: spec, known: structureData)
      for (offset, column) in encoded.enumerated() {
        let k = groupStart + offset
        let vocabularyIds = Self.globalIds(column, vocabulary: &vocabulary, columnId: columnIds[k])
        try writer.addColumn(k, column, vocabularyIds: vocabularyIds)
        columns.append(Self.describe(column, k: k, globalId: columnIds[k]))
      }
    }
    let description = ProcessedTable(
      name: spec.name, file: try writer.finish(), rows: table.rowCount, nodeOffset: nodeOffset,
      primaryKey: spec.primaryKey, timeColumn: spec.timeColumn, columns: columns)
    return Result(table: table, description: description, columnIds: columnIds)
  }

  /// Reads the group's columns (those not read already) and encodes them, one column per worker.
  private func encode(
    _ group: [ColumnSpec], file: ParquetFile, path: String, table: TableSpec, known: [String: ColumnData]
  ) throws -> [EncodedColumn] {
    let missing = group.map(\.name).filter { known[$0] == nil }
    var data = known
    for (name, column) in zip(
      missing, try TableLoader.read(missing, from: file, spec: table, path: path, threads: threads))
    {
      data[name] = column
    }
    return try Parallel.map(group.count, threads: threads) { index in
      let columnSpec = group[index]
      guard let column = data[columnSpec.name] else {
        throw PreprocessError.missingColumn(file: path, table: table.name, column: columnSpec.name)
      }
      do {
        return try ColumnEncoder.encode(column, spec: columnSpec)
      } catch let error as CellConversion.Mismatch {
        throw PreprocessError.typeMismatch(
          file: path, table: table.name, column: columnSpec.name, semantic: columnSpec.type,
          reason: error.message)
      }
    }
  }

  /// Row -> global vocabulary id of a Categorical or Text column (nil for other columns).
  static func globalIds(_ column: EncodedColumn, vocabulary: inout VocabularyBuilder, columnId: Int32)
    -> [Int32]?
  {
    guard case .values(let localIds, let values) = column.payload else { return nil }
    let kind: VocabularyBuilder.EmbeddedKind = column.spec.type == .text ? .text : .categorical
    let global = values.map {
      vocabulary.id(value: $0, columnName: column.spec.name, type: kind, column: columnId)
    }
    return localIds.map { $0 < 0 ? -1 : global[Int($0)] }
  }

  static func describe(_ column: EncodedColumn, k: Int, globalId: Int32) -> ProcessedColumn {
    var distinct: Int?
    if case .values(_, let values) = column.payload { distinct = values.count }
    return ProcessedColumn(
      name: column.spec.name, type: column.spec.type, globalId: Int(globalId), section: "c\(k)",
      signal: column.spec.isSignal, nullCount: column.nullCount, statistics: column.statistics,
      distinctValues: distinct)
  }
}
