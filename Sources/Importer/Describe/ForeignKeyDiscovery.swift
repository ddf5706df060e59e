// Finds foreign keys by inclusion: the distinct values of a column that (almost) all appear in another table's
// primary key, with name similarity deciding between candidates and lowering the bar ("tailnum" -> planes.tailnum
// may dangle; "ParentId" -> posts.Id must not). Composite keys: a table holding columns named like every part of
// another table's composite primary key, whose value tuples appear in it. The fraction of dangling values is kept
// for the review. Integer columns must be named like identifiers: counts and scores fall inside id ranges.
struct ForeignKeyProposal: Sendable, Equatable {
  var table: String
  var columns: [String]
  var referencedTable: String
  var referencedColumns: [String]
  /// Fraction of the distinct non-null local values found in the referenced key.
  var inclusion: Double
  var why: String
}

enum ForeignKeyDiscovery {
  static let inclusionWithName = 0.5
  static let inclusionWithoutName = 0.9
  static let minDistinctWithoutName = 10

  static func propose(_ tables: [TableProfile], primaryKeys: [String: KeyProposal]) -> [ForeignKeyProposal] {
    var found: [ForeignKeyProposal] = []
    for table in tables {
      for column in table.columns where isCandidate(column, table: table, primaryKeys: primaryKeys) {
        if let best = bestTarget(column, table: table, tables: tables, primaryKeys: primaryKeys) {
          found.append(best)
        }
      }
      found += composite(table, tables: tables, primaryKeys: primaryKeys)
    }
    return found
  }

  static func isCandidate(_ column: ColumnProfile, table: TableProfile, primaryKeys: [String: KeyProposal])
    -> Bool
  {
    guard column.kind == .integer || column.kind == .string, column.nonNullCount > 0 else { return false }
    if primaryKeys[table.name]?.columns == [column.name] { return false }
    if column.kind == .string { return column.meanLength <= 64 }
    return ColumnNames.isIdentifierLike(column.name)
  }

  static func bestTarget(
    _ column: ColumnProfile, table: TableProfile, tables: [TableProfile], primaryKeys: [String: KeyProposal]
  ) -> ForeignKeyProposal? {
    var best: (rank: (Int, Double), proposal: ForeignKeyProposal)?
    for target in tables {
      guard let key = primaryKeys[target.name], key.columns.count == 1,
        let referenced = target.column(key.columns[0]), referenced.kind == column.kind
      else { continue }
      let inclusion = fraction(of: column.distinct, in: referenced.distinct)
      // Type codes ("PostTypeId") mention their table but hold small numbers found in any id range.
      let typeCode = ColumnNames.hasAnyWord(column.name, ["type", "class", "kind"])
      let nameMatch = nameEvidence(column.name, target: target.name, key: referenced.name, typeCode: typeCode)
      let accepted =
        nameMatch.map { _ in inclusion >= inclusionWithName }
        ?? (!typeCode && inclusion >= inclusionWithoutName && enoughEvidence(column, inclusion: inclusion))
      guard accepted else { continue }
      let rank = (nameMatch == nil ? 0 : 1, inclusion)
      if let current = best, current.rank >= rank { continue }
      let why =
        (nameMatch ?? "values found in \(target.name).\(referenced.name)")
        + String(format: "; %.1f%% of distinct values found", inclusion * 100)
      best = (
        rank,
        ForeignKeyProposal(
          table: table.name, columns: [column.name], referencedTable: target.name,
          referencedColumns: [referenced.name], inclusion: inclusion, why: why)
      )
    }
    return best?.proposal
  }

  /// Why the name points at `target` (nil when it does not): same name as its key, or the table's name in it.
  static func nameEvidence(_ column: String, target: String, key: String, typeCode: Bool) -> String? {
    let name = ColumnNames.normalized(column)
    let stem = ColumnNames.stem(column)
    let keyStem = ColumnNames.stem(key)
    if stem == keyStem && keyStem != "id" { return "same name as \(target).\(key)" }
    if !typeCode, ColumnNames.singulars(target).contains(where: { name.contains($0) }) {
      return "name mentions \(target)"
    }
    return nil
  }

  /// Without a name to go by, a few values could be found by chance: ask for many, or for short codes all found.
  static func enoughEvidence(_ column: ColumnProfile, inclusion: Double) -> Bool {
    if column.distinctCount >= minDistinctWithoutName { return true }
    return column.kind == .string && inclusion == 1 && column.meanLength >= 2
  }

  static func composite(_ table: TableProfile, tables: [TableProfile], primaryKeys: [String: KeyProposal])
    -> [ForeignKeyProposal]
  {
    var found: [ForeignKeyProposal] = []
    for target in tables where target.name != table.name {
      guard let key = primaryKeys[target.name], key.columns.count > 1 else { continue }
      let local = key.columns.compactMap { part in
        table.columns.first { ColumnNames.stem($0.name) == ColumnNames.stem(part) }
      }
      let referenced = key.columns.compactMap { target.column($0) }
      guard local.count == key.columns.count, referenced.count == key.columns.count,
        zip(local, referenced).allSatisfy({ $0.kind == $1.kind })
      else { continue }
      let inclusion = fraction(
        of: tupleHashes(local, rows: table.rowCount), in: tupleHashes(referenced, rows: target.rowCount))
      guard inclusion >= inclusionWithName else { continue }
      found.append(
        ForeignKeyProposal(
          table: table.name, columns: local.map(\.name), referencedTable: target.name,
          referencedColumns: key.columns,
          inclusion: inclusion,
          why: String(
            format: "columns named like %@'s composite key; %.1f%% of distinct tuples found", target.name,
            inclusion * 100)))
    }
    return found
  }

  static func tupleHashes(_ columns: [ColumnProfile], rows: Int) -> Set<UInt64> {
    var hashes = Set<UInt64>()
    for row in 0..<rows {
      var hash: UInt64 = 0
      var hasNull = false
      for column in columns {
        if column.rowHashes[row] == 0 { hasNull = true }
        hash = ColumnProfile.mix(hash ^ column.rowHashes[row])
      }
      if !hasNull { hashes.insert(hash) }
    }
    return hashes
  }

  static func fraction(of values: Set<UInt64>, in key: Set<UInt64>) -> Double {
    guard !values.isEmpty else { return 0 }
    var found = 0
    for value in values where key.contains(value) { found += 1 }
    return Double(found) / Double(values.count)
  }
}
