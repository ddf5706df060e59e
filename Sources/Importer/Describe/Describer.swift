// `describe`: proposes the annotation (metadata.json) of a folder of Parquet files from the data alone, with a
// reason and a confidence for every decision so that a person can review it. Order: profile every column; find
// primary keys, then foreign keys against them; type every column knowing its key role; pick each table's time
// column. Never reads an existing metadata.json: the proposal must stand on the data.
import DatabaseSpec
import Foundation
import Runtime

public struct DescribeProposal: Sendable {
  public var spec: DatabaseSpec
  public var columns: [ColumnProposal]
  /// Per table: why its key and time column were chosen.
  public var tableNotes: [String: [String]]
  public var foreignKeyInclusion: [String: Double]
}

/// Keys a source declares (PostgreSQL and SQLite constraints); they replace inference for their table.
public struct DeclaredKeys: Sendable, Equatable {
  public var primaryKey: [String]?
  public var foreignKeys: [ForeignKeySpec]

  public init(primaryKey: [String]?, foreignKeys: [ForeignKeySpec]) {
    self.primaryKey = primaryKey
    self.foreignKeys = foreignKeys
  }

  /// A table without constraints: its keys are inferred.
  var isEmpty: Bool { primaryKey == nil && foreignKeys.isEmpty }
}

public enum Describer {
  public static func propose(
    directory: URL, declared: [String: DeclaredKeys] = [:], threads: Int = Parallel.defaultThreads
  ) throws -> DescribeProposal {
    let profiles = try DatabaseProfiler.profile(directory: directory, threads: threads)
    return propose(profiles, name: directory.standardizedFileURL.lastPathComponent, declared: declared)
  }

  public static func propose(_ profiles: [TableProfile], name: String, declared: [String: DeclaredKeys] = [:])
    -> DescribeProposal
  {
    var primaryKeys: [String: KeyProposal] = [:]
    for table in profiles {
      if let key = declared[table.name]?.primaryKey {
        primaryKeys[table.name] = KeyProposal(columns: key, why: "declared by the source")
      } else if declared[table.name]?.isEmpty ?? true {
        primaryKeys[table.name] = PrimaryKeyDiscovery.propose(table, all: profiles)
      }
    }
    let inferred = ForeignKeyDiscovery.propose(profiles, primaryKeys: primaryKeys).filter {
      declared[$0.table]?.isEmpty ?? true
    }
    let foreignKeys = inferred + declaredForeignKeys(declared, primaryKeys: primaryKeys)
    var tables: [TableSpec] = []
    var proposals: [ColumnProposal] = []
    var notes: [String: [String]] = [:]
    var inclusion: [String: Double] = [:]
    for table in profiles {
      let keys = foreignKeys.filter { $0.table == table.name }
      let key = primaryKeys[table.name]
      let columns = table.columns.map { column in
        SemanticTypeRules.propose(
          column, table: table.name, role: role(column.name, key: key, foreignKeys: keys))
      }
      proposals += columns
      let time = TimeColumnRules.propose(table, types: columns)
      notes[table.name] =
        [
          key.map { "primary key (\($0.columns.joined(separator: ", "))): \($0.why)" }
            ?? "no primary key found"
        ]
        + keys.map {
          "foreign key (\($0.columns.joined(separator: ", "))) -> \($0.referencedTable): \($0.why)"
        }
        + [time.map { "time column \($0.column): \($0.why)" } ?? "no time column: rows are static"]
      for foreignKey in keys {
        inclusion["\(table.name)(\(foreignKey.columns.joined(separator: ",")))"] = foreignKey.inclusion
      }
      tables.append(
        TableSpec(
          name: table.name, file: table.file == "\(table.name).parquet" ? nil : table.file,
          primaryKey: key?.columns, timeColumn: time?.column,
          foreignKeys: keys.map {
            ForeignKeySpec(
              columns: $0.columns, referencedTable: $0.referencedTable,
              referencedColumns: $0.referencedColumns)
          },
          columns: columns.map { ColumnSpec(name: $0.column, type: $0.type, signal: $0.signal) }))
    }
    return DescribeProposal(
      spec: DatabaseSpec(name: name, tables: tables), columns: proposals, tableNotes: notes,
      foreignKeyInclusion: inclusion)
  }

  /// Declared foreign keys that reference a table's primary key (the spec's rule); others are dropped.
  static func declaredForeignKeys(_ declared: [String: DeclaredKeys], primaryKeys: [String: KeyProposal])
    -> [ForeignKeyProposal]
  {
    declared.keys.sorted().flatMap { table in
      (declared[table]?.foreignKeys ?? []).compactMap { key -> ForeignKeyProposal? in
        guard primaryKeys[key.referencedTable]?.columns == key.referencedColumns else { return nil }
        return ForeignKeyProposal(
          table: table, columns: key.columns, referencedTable: key.referencedTable,
          referencedColumns: key.referencedColumns, inclusion: 1, why: "declared by the source")
      }
    }
  }

  static func role(_ column: String, key: KeyProposal?, foreignKeys: [ForeignKeyProposal]) -> KeyRole {
    var role = KeyRole()
    if let key, key.columns.contains(column) {
      if key.columns.count == 1 { role.inSinglePrimaryKey = true } else { role.inCompositePrimaryKey = true }
    }
    role.inForeignKey = foreignKeys.contains { $0.columns.contains(column) }
    return role
  }
}

enum TimeColumnRules {
  struct Choice {
    var column: String
    var why: String
  }

  /// The Timestamp column that says when a row became known: named like a time of record, not a birth date.
  static func propose(_ table: TableProfile, types: [ColumnProposal]) -> Choice? {
    var best: (score: Int, choice: Choice)?
    for proposal in types where proposal.type == .timestamp {
      guard !ColumnNames.hasAnyWord(proposal.column, ColumnNames.staticTimeWords),
        let profile = table.column(proposal.column), profile.nonNullCount > 0
      else { continue }
      var score = 1
      var why = "the table's timestamp"
      if ColumnNames.hasAnyWord(proposal.column, ColumnNames.timeWords) {
        score += 2
        why = "a timestamp named like a time of record"
      }
      if ColumnNames.hasAnyWord(proposal.column, ColumnNames.revisedTimeWords) {
        score -= 2
        why = "a timestamp, though named like a time that is revised later"
      }
      if profile.nullCount == 0 { score += 1 }
      if score > (best?.score ?? 0) { best = (score, Choice(column: proposal.column, why: why)) }
    }
    return best?.choice
  }
}
