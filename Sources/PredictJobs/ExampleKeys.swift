// What names an example in a prediction file: the key values of its seed row, read from the source database
// (the Parquet files and metadata.json the processed database was made from) — the entity columns of an entity
// task (values of the entity table's primary key, named as in the task file), the table's primary key for a
// cell task — and its label as stored before scaling (`label_raw` of the task file: original units, 0/1, µs,
// vocabulary ids). Key values keep their Parquet types; a seed row is the row number in its table's Parquet
// file, as preprocessing counts rows.
// Refuses: a source database that is gone or no longer matches the processed one (row count, key columns).
import DatabaseSpec
import Foundation
import Parquet
import Store

public struct ExampleKeys: Sendable {
  /// One column per key part, every row of the seed table, named for the output.
  public let columns: [ColumnData]
  let rows: Int
  /// Per example of the task: the label before scaling.
  let rawLabels: [Double]

  init(columns: [ColumnData], rows: Int, rawLabels: [Double]) {
    self.columns = columns
    self.rows = rows
    self.rawLabels = rawLabels
  }

  /// Reads the key columns of `task`'s seed table from the source database of `database`.
  public init(database: ProcessedDatabase, task name: String) throws {
    let rawLabels = try database.task(named: name).file.array("label_raw", as: Double.self)
    let source = URL(fileURLWithPath: database.metadata.source)
    let spec = try DatabaseSpec.load(contentsOf: source.appendingPathComponent("metadata.json"))
    guard let task = spec.tasks.first(where: { $0.name == name }) else {
      throw PredictionError.sourceMismatch(source.path, "no task '\(name)' in metadata.json")
    }
    let (tableName, outputNames): (String, [String]?) =
      switch task.form {
      case .cell(let table): (table, nil)
      case .entity(_, let table, let entityColumns, _, _, _): (table, entityColumns)
      }
    guard let table = spec.tables.first(where: { $0.name == tableName }),
      let processed = database.table(named: tableName)?.table
    else { throw PredictionError.sourceMismatch(source.path, "no table '\(tableName)'") }
    guard let key = table.primaryKey, !key.isEmpty else {
      self.init(columns: [], rows: processed.rows, rawLabels: rawLabels)
      return
    }
    let path = source.appendingPathComponent(table.fileName).path
    let file = try ParquetFile(path: path)
    guard file.rowCount == processed.rows else {
      throw PredictionError.sourceMismatch(
        path, "\(file.rowCount) rows, the processed table '\(tableName)' has \(processed.rows)")
    }
    let names = outputNames ?? key
    guard names.count == key.count else {
      throw PredictionError.sourceMismatch(
        path, "task '\(name)' has \(names.count) entity columns for a key of \(key.count)")
    }
    let read = try file.readColumns(key, threads: 1)
    self.init(
      columns: zip(read, names).map { column, name in column.renamed(PredictionOutput.keyName(name)) },
      rows: processed.rows, rawLabels: rawLabels)
  }

  /// The key values of `seedRows`, in order.
  func values(ofRows seedRows: [Int64]) throws -> [ColumnData] {
    var indexes: [Int] = []
    indexes.reserveCapacity(seedRows.count)
    for row in seedRows {
      guard let index = Int(exactly: row), index >= 0, index < rows else {
        throw PredictionError.badSeedRow(row, rows: rows)
      }
      indexes.append(index)
    }
    return columns.map { $0.gathering(indexes) }
  }

  /// The unscaled labels of `examples`, in order; 0 for an explicit seed (example -1), whose label is unknown.
  func labels(ofExamples examples: [Int64]) throws -> [Double] {
    try examples.map { example in
      if example == -1 { return 0 }
      guard let index = Int(exactly: example), index >= 0, index < rawLabels.count else {
        throw PredictionError.badExample(example, examples: rawLabels.count)
      }
      return rawLabels[index]
    }
  }
}

public enum PredictionError: Error, Sendable, CustomStringConvertible {
  case sourceMismatch(String, String)
  case badSeedRow(Int64, rows: Int)
  case badExample(Int64, examples: Int)

  public var description: String {
    switch self {
    case .sourceMismatch(let path, let reason): "source database \(path): \(reason)"
    case .badSeedRow(let row, let rows): "seed row \(row) outside the seed table's \(rows) rows"
    case .badExample(let example, let examples): "example \(example) outside the task's \(examples) examples"
    }
  }
}

extension ColumnData {
  /// The same column under another name, as a flat leaf.
  func renamed(_ name: String) -> ColumnData {
    var element = descriptor.element
    element.name = name
    let flat = ColumnDescriptor(
      index: 0, path: [name], element: element, maxDefinitionLevel: descriptor.maxDefinitionLevel,
      maxRepetitionLevel: 0)
    return ColumnData(descriptor: flat, values: values, validity: validity)
  }

  /// Rows `indexes` of this column, in that order (indexes already checked to lie within the column).
  func gathering(_ indexes: [Int]) -> ColumnData {
    func pick<T>(_ array: [T]) -> [T] {
      array.withUnsafeBufferPointer { source in indexes.map { source[$0] } }
    }
    let picked: ColumnValues =
      switch values {
      case .boolean(let v): .boolean(pick(v))
      case .int32(let v): .int32(pick(v))
      case .int64(let v): .int64(pick(v))
      case .int96(let v): .int96(pick(v))
      case .float(let v): .float(pick(v))
      case .double(let v): .double(pick(v))
      case .fixedLenByteArray(let v):
        .fixedLenByteArray(FixedWidthValues(width: v.width, data: indexes.flatMap { v[$0] }))
      case .byteArray(let v): .byteArray(Self.gather(v, indexes))
      }
    var bits: Bitmap?
    if let validity {
      var gathered = Bitmap()
      for index in indexes { gathered.append(validity[index]) }
      bits = gathered
    }
    return ColumnData(descriptor: descriptor, values: picked, validity: bits)
  }

  private static func gather(_ values: ByteArrayValues, _ indexes: [Int]) -> ByteArrayValues {
    var result = ByteArrayValues()
    result.offsets.reserveCapacity(indexes.count + 1)
    for index in indexes {
      result.data.append(contentsOf: values[index])
      result.offsets.append(result.data.count)
    }
    return result
  }
}
