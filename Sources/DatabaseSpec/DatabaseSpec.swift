// The annotated description of a relational database: `metadata.json`, format 1 (../shared/spec/metadata.md).
// This file holds the model; decoding with strict keys is in DatabaseSpec+Decoding.swift and the structural rules
// (names exist, keys match, tasks well-formed) in DatabaseSpec+Validation.swift. Checks that need the data itself
// (types against Parquet, key uniqueness, dangling links) belong to the layers that read the data.
import Foundation

/// The semantic type of a column; decides how preprocessing encodes it and how its cells are predicted.
public enum SemanticType: String, Codable, Sendable, CaseIterable {
  case identifier = "Identifier"
  case numerical = "Numerical"
  case timestamp = "Timestamp"
  case boolean = "Boolean"
  case categorical = "Categorical"
  case text = "Text"
  case ignored = "Ignored"
}

public struct DatabaseSpec: Sendable, Equatable {
  public static let currentFormat = 1

  public var format: Int
  public var name: String
  public var description: String?
  public var tables: [TableSpec]
  public var tasks: [TaskSpec]

  public init(
    format: Int = DatabaseSpec.currentFormat, name: String, description: String? = nil, tables: [TableSpec],
    tasks: [TaskSpec] = []
  ) {
    self.format = format
    self.name = name
    self.description = description
    self.tables = tables
    self.tasks = tasks
  }

  public func table(named name: String) -> TableSpec? { tables.first { $0.name == name } }
}

public struct TableSpec: Sendable, Equatable {
  public var name: String
  /// Parquet path relative to metadata.json; `<name>.parquet` when absent.
  public var file: String?
  public var description: String?
  public var primaryKey: [String]?
  /// The time at which a row became known; rows of a table without one are static.
  public var timeColumn: String?
  public var foreignKeys: [ForeignKeySpec]
  public var columns: [ColumnSpec]

  public init(
    name: String, file: String? = nil, description: String? = nil, primaryKey: [String]? = nil,
    timeColumn: String? = nil, foreignKeys: [ForeignKeySpec] = [], columns: [ColumnSpec]
  ) {
    self.name = name
    self.file = file
    self.description = description
    self.primaryKey = primaryKey
    self.timeColumn = timeColumn
    self.foreignKeys = foreignKeys
    self.columns = columns
  }

  public var fileName: String { file ?? "\(name).parquet" }
  public func column(named name: String) -> ColumnSpec? { columns.first { $0.name == name } }
  /// Semantic type of a column; a Parquet column not listed is Ignored.
  public func semanticType(of column: String) -> SemanticType { self.column(named: column)?.type ?? .ignored }
}

public struct ForeignKeySpec: Sendable, Equatable {
  public var columns: [String]
  public var referencedTable: String
  public var referencedColumns: [String]

  public init(columns: [String], referencedTable: String, referencedColumns: [String]) {
    self.columns = columns
    self.referencedTable = referencedTable
    self.referencedColumns = referencedColumns
  }
}

public struct ColumnSpec: Sendable, Equatable {
  public var name: String
  public var type: SemanticType
  /// Explicit `signal`; see `isSignal` for the default.
  public var signal: Bool?
  public var description: String?

  public init(name: String, type: SemanticType, signal: Bool? = nil, description: String? = nil) {
    self.name = name
    self.type = type
    self.signal = signal
    self.description = description
  }

  /// Worth masking and predicting in pretraining: explicit, else every column that carries a value.
  public var isSignal: Bool { signal ?? (type != .identifier && type != .ignored) }
}
