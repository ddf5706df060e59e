// Primary-key values -> row of a task's seed table, for explicit seeds named by key. Built once per loaded
// prediction from the key columns ExampleKeys read from the source database. Integer columns (INT32/INT64) match
// integers and strings of digits; string columns match strings and integers written in decimal.
// Refuses: key columns of other types (name the row instead), a table without a primary key. Null keys never
// match; of duplicated keys the first row wins.
import JobQueue
import Parquet

final class SeedKeyIndex: Sendable {
  enum Kind: Sendable { case integer, string }

  /// The key's column names as the prediction output names them.
  let names: [String]
  let kinds: [Kind]
  private let rows: [[KeyPart]: Int]

  init(keys: ExampleKeys) throws(JobSpecError) {
    let columns = keys.columns
    guard !columns.isEmpty else {
      throw JobSpecError(field: "predict.seeds", "the seed table has no primary key: name seeds by row")
    }
    var kinds: [Kind] = []
    for column in columns {
      switch column.values {
      case .int32, .int64: kinds.append(.integer)
      case .byteArray: kinds.append(.string)
      default:
        throw JobSpecError(
          field: "predict.seeds",
          "key column '\(column.descriptor.name)' is \(column.descriptor.physicalType): name seeds by row")
      }
    }
    var rows: [[KeyPart]: Int] = [:]
    rows.reserveCapacity(keys.rows)
    for row in 0..<keys.rows {
      guard let key = Self.key(of: columns, at: row) else { continue }
      if rows[key] == nil { rows[key] = row }
    }
    (self.names, self.kinds, self.rows) = (columns.map(\.descriptor.name), kinds, rows)
  }

  /// The row whose key is `key` (converted to the columns' kinds), or nil.
  func row(of key: [KeyPart]) -> Int? { normalized(key).flatMap { rows[$0] } }

  func normalized(_ key: [KeyPart]) -> [KeyPart]? {
    guard key.count == kinds.count else { return nil }
    var result: [KeyPart] = []
    for (value, kind) in zip(key, kinds) {
      switch (value, kind) {
      case (.int, .integer), (.string, .string): result.append(value)
      case (.int(let number), .string): result.append(.string(String(number)))
      case (.string(let text), .integer):
        guard let number = Int64(text) else { return nil }
        result.append(.int(number))
      }
    }
    return result
  }

  /// Row `row`'s key, nil when a part is null.
  static func key(of columns: [ColumnData], at row: Int) -> [KeyPart]? {
    var key: [KeyPart] = []
    for column in columns {
      guard !column.isNull(row), let value = value(of: column, at: row) else { return nil }
      key.append(value)
    }
    return key
  }

  static func value(of column: ColumnData, at row: Int) -> KeyPart? {
    switch column.values {
    case .int32(let v): .int(Int64(v[row]))
    case .int64(let v): .int(v[row])
    case .byteArray(let v): .string(String(decoding: v[row], as: UTF8.self))
    default: nil
    }
  }
}
