// The rows of a prediction file, shared by `tributary predict` and `predict` jobs: one row per example with
// `item` (position in the split or the seed list), `example` (index in the task; null for explicit seeds), the
// seed row's key values (ExampleKeys),
// `seed_row`, `time` (TIMESTAMP µs UTC, null for rows without a time), `prediction` and `label` in the target's
// own terms (numbers in original units, timestamps as TIMESTAMP, booleans as the probability and a BOOLEAN
// label, categories and texts as the best candidate's string) and `rank` (of the truth among the candidates;
// 0 when not categorical).
// Refuses: vocabulary ids outside the database's vocabulary (a corrupt store), seed rows outside the table.
import Parquet
import Sampler
import Store
import Training

public enum PredictionOutput {
  static let fixedNames: Set<String> = ["item", "example", "seed_row", "time", "prediction", "label", "rank"]

  /// A key column keeps its name unless one of the fixed columns has it.
  static func keyName(_ name: String) -> String { fixedNames.contains(name) ? "key_\(name)" : name }

  /// The output columns of `predictions` (in their order).
  public static func columns(_ predictions: TaskPredictions, keys: ExampleKeys, database: ProcessedDatabase)
    throws -> [ColumnData]
  {
    let e = predictions.examples
    let timeValidity = Bitmap(e.map { $0.time != Int64.min })
    // Explicit seeds are no example of the task: their example and label are null.
    let exampleValidity = e.contains { $0.example < 0 } ? Bitmap(e.map { $0.example >= 0 }) : nil
    var columns = [
      column("item", .int64, .int64(e.map { Int64($0.item) })),
      column("example", .int64, .int64(e.map { max($0.example, 0) }), validity: exampleValidity),
    ]
    columns += try keys.values(ofRows: e.map(\.seedRow))
    columns += [
      column("seed_row", .int64, .int64(e.map(\.seedRow))),
      column(
        "time", .int64, .int64(e.map { $0.time == Int64.min ? 0 : $0.time }), logical: timestamp,
        validity: timeValidity),
    ]
    columns += try targetColumns(
      predictions, labels: try keys.labels(ofExamples: e.map(\.example)), validity: exampleValidity,
      database: database)
    columns.append(column("rank", .int64, .int64(e.map { Int64($0.rank) })))
    for index in columns.indices { columns[index].descriptor.index = index }
    return columns
  }

  /// Writes `predictions` as one Parquet file (write-then-rename).
  public static func write(
    _ predictions: TaskPredictions, keys: ExampleKeys, database: ProcessedDatabase, to path: String
  ) throws {
    var options = ParquetWriterOptions()
    options.useDictionary = false
    try ParquetWriter.write(
      try columns(predictions, keys: keys, database: database), to: path, options: options)
  }

  static let timestamp = LogicalType.timestamp(isAdjustedToUTC: true, unit: .micros)

  /// `labels`: unscaled, from the task file (the predictor's labels went through Float z-scores); `validity`:
  /// which are known (nil: all), the others are placeholders.
  private static func targetColumns(
    _ predictions: TaskPredictions, labels: [Double], validity: Bitmap?, database: ProcessedDatabase
  ) throws -> [ColumnData] {
    let e = predictions.examples
    switch predictions.kind {
    case .boolean:
      return [
        column("prediction", .double, .double(e.map(\.prediction))),
        column("label", .boolean, .boolean(labels.map { $0 != 0 }), validity: validity),
      ]
    case .timestamp:
      func micros(_ value: Double) -> Int64 { Int64(exactly: value.rounded()) ?? (value < 0 ? .min : .max) }
      return [
        column("prediction", .int64, .int64(e.map { micros($0.prediction) }), logical: timestamp),
        column("label", .int64, .int64(labels.map(micros)), logical: timestamp, validity: validity),
      ]
    case .categorical, .text:
      return [
        column(
          "prediction", .byteArray, .byteArray(try strings(e.map(\.prediction), database)), logical: .string),
        column(
          "label", .byteArray, .byteArray(try strings(labels, database, validity: validity)),
          logical: .string,
          validity: validity),
      ]
    case .numerical, .padding:
      return [
        column("prediction", .double, .double(e.map(\.prediction))),
        column("label", .double, .double(labels), validity: validity),
      ]
    }
  }

  /// Vocabulary strings of `ids`; an empty string where `validity` says the id is a placeholder.
  private static func strings(_ ids: [Double], _ database: ProcessedDatabase, validity: Bitmap? = nil) throws
    -> ByteArrayValues
  {
    var values = ByteArrayValues()
    values.offsets.reserveCapacity(ids.count + 1)
    for (k, id) in ids.enumerated() {
      if let validity, !validity[k] {
        values.offsets.append(values.data.count)
        continue
      }
      guard let index = Int(exactly: id) else {
        throw PredictionError.sourceMismatch(database.directory.path, "vocabulary id \(id) is not an integer")
      }
      values.data.append(contentsOf: Array(try database.vocabularyValue(index).utf8))
      values.offsets.append(values.data.count)
    }
    return values
  }

  private static func column(
    _ name: String, _ type: PhysicalType, _ values: ColumnValues, logical: LogicalType? = nil,
    validity: Bitmap? = nil
  ) -> ColumnData {
    let element = SchemaElement.leaf(name, type, optional: validity != nil, logicalType: logical)
    return ColumnData(
      descriptor: ColumnDescriptor(
        index: 0, path: [name], element: element, maxDefinitionLevel: validity == nil ? 0 : 1,
        maxRepetitionLevel: 0),
      values: values, validity: validity)
  }
}

extension Bitmap {
  init(_ flags: [Bool]) {
    self.init()
    for flag in flags { append(flag) }
  }
}
