// `runs query --sql`: user SQL over the documented views, on a read-only connection. SQLite's error message
// comes back as `ExperimentsError.sql`; writes fail ("attempt to write a readonly database"). Results
// are materialised (the CLI prints them all), so it is not meant for millions of rows.
import Foundation
import GRDB

public enum SQLValue: Codable, Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob(Data)

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .integer(let value): try container.encode(value)
    case .real(let value): try container.encode(value)
    case .text(let value): try container.encode(value)
    case .blob(let value): try container.encode(value.base64EncodedString())
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .real(value)
    } else {
      self = .text(try container.decode(String.self))
    }
  }

  init(_ value: DatabaseValue) {
    switch value.storage {
    case .null: self = .null
    case .int64(let value): self = .integer(value)
    case .double(let value): self = .real(value)
    case .string(let value): self = .text(value)
    case .blob(let value): self = .blob(value)
    }
  }

  public var rendered: String {
    switch self {
    case .null: return "NULL"
    case .integer(let value): return String(value)
    case .real(let value): return NumberText.render(value)
    case .text(let value): return value
    case .blob(let value): return "<\(value.count) bytes>"
    }
  }
}

public struct QueryResult: Codable, Sendable, Equatable {
  public var columns: [String]
  public var rows: [[SQLValue]]
}

extension ExperimentStore {
  /// Runs one statement read-only and returns every row.
  public func query(sql: String, arguments: [String] = []) throws -> QueryResult {
    let connection = try readOnlyConnection()
    do {
      return try connection.read { db in
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(StatementArguments(arguments))
        let columns = statement.columnNames
        let rows = try Row.fetchAll(statement).map { row in
          (0..<row.count).map { SQLValue(row[$0] as DatabaseValue) }
        }
        return QueryResult(columns: columns, rows: rows)
      }
    } catch let error as DatabaseError {
      let message = error.message ?? "\(error)"
      // GRDB's wording names its own API; the user typed SQL on a command line.
      let shown =
        message.hasPrefix("Multiple statements found") ? "give one SQL statement at a time" : message
      throw ExperimentsError.sql(message: shown, statement: sql)
    }
  }
}
