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

public enum Describer {
  public static func propose(directory: URL, threads: Int = Parallel.defaultThreads) throws
    -> DescribeProposal
  {
    let profiles = try DatabaseProfiler.profile(directory: directory, threads: threads)
    return propose(profiles, name: directory.standardizedFileURL.lastPathComponent)
  }

  public static func propose(_ profiles: [TableProfile], name: String) -> DescribeProposal {
    var primaryKeys: [String: KeyProposal] = [:]
    for table in profiles {
      primaryKeys[table.name] = PrimaryKeyDiscovery.propose(table, all: profiles)
    }
    let foreignKeys = ForeignKeyDiscovery.propose(profiles, primaryKeys: primaryKeys)
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
      if profile.nullCount == 0 { score += 1 }
      if score > (best?.score ?? 0) { best = (score, Choice(column: proposal.column, why: why)) }
    }
    return best?.choice
  }
}
