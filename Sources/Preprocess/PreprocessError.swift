// Everything preprocessing can refuse, each naming the file, table, column and (where it applies) row.
import DatabaseSpec
import Store

public enum PreprocessError: Error, CustomStringConvertible {
  case invalidSpec([SpecError])
  case unreadable(file: String, table: String, reason: String)
  case missingColumn(file: String, table: String, column: String)
  case typeMismatch(file: String, table: String, column: String, semantic: SemanticType, reason: String)
  case duplicatePrimaryKey(file: String, table: String, key: [String], firstRow: Int, secondRow: Int)
  case keyTypeMismatch(table: String, columns: [String], referencedTable: String, reason: String)
  case taskProblem(task: String, reason: String)
  case embedding(reason: String)
  case output(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidSpec(let issues):
      let lines = issues.map { "  - \($0)" }.joined(separator: "\n")
      return "metadata.json has \(issues.count) problem(s):\n\(lines)"
    case .unreadable(let file, let table, let reason):
      return "\(file) (table \(table)): \(reason)"
    case .missingColumn(let file, let table, let column):
      return "\(file) (table \(table)): column '\(column)' named in metadata.json is not in the file"
    case .typeMismatch(let file, let table, let column, let semantic, let reason):
      return "\(file) (table \(table)): column '\(column)' is annotated \(semantic.rawValue) but \(reason)"
    case .duplicatePrimaryKey(let file, let table, let key, let first, let second):
      return "\(file) (table \(table)): primary key (\(key.joined(separator: ", "))) is not unique: "
        + "rows \(first) and \(second) have the same value"
    case .keyTypeMismatch(let table, let columns, let referenced, let reason):
      return "table \(table): foreign key (\(columns.joined(separator: ", "))) -> \(referenced): \(reason)"
    case .taskProblem(let task, let reason):
      return "task \(task): \(reason)"
    case .embedding(let reason):
      return "embedding the vocabulary failed: \(reason)"
    case .output(let path, let reason):
      return "\(path): \(reason)"
    }
  }
}
