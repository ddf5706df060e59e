// Finds each table's primary key from the data: a unique, non-null integer, string or time column, chosen by its
// name (`id`, `<table>Id`, `...Id`), by other tables naming a column the same, and by position; failing that the
// first unique combination of two or three identifier-like, time or small-counter columns. A table with no such
// column or combination gets none (event tables often have none).
struct KeyProposal: Sendable, Equatable {
  var columns: [String]
  var why: String
}

enum PrimaryKeyDiscovery {
  /// Integer columns with more distinct values than this are measurements, not parts of a composite key.
  static let counterMaxDistinct = 1_000

  static func propose(_ table: TableProfile, all: [TableProfile]) -> KeyProposal? {
    if let single = bestSingle(table, all: all) { return single }
    return composite(table)
  }

  static func bestSingle(_ table: TableProfile, all: [TableProfile]) -> KeyProposal? {
    var best: (score: Int, proposal: KeyProposal)?
    for (position, column) in table.columns.enumerated()
    where column.canBeKey && column.kind != .timestamp && column.nullCount == 0 && column.isUnique
      && column.meanLength <= 64
    {
      var score = 0
      var reasons: [String] = ["unique and never null"]
      let name = ColumnNames.normalized(column.name)
      if name == "id" || ColumnNames.singulars(table.name).contains(where: { name == $0 + "id" }) {
        score += 4
        reasons.append("named as the table's id")
      } else if ColumnNames.isIdentifierLike(column.name) {
        score += 2
        reasons.append("named like an identifier")
      }
      let stem = ColumnNames.stem(column.name)
      let sameNamed = all.filter { other in
        other.name != table.name && other.columns.contains { ColumnNames.stem($0.name) == stem }
      }
      if !sameNamed.isEmpty && name != "id" {
        score += 2
        reasons.append("other tables have a column of this name")
      }
      if position == 0 {
        score += 1
        reasons.append("first column")
      }
      if score >= 1, score > (best?.score ?? 0) {
        best = (score, KeyProposal(columns: [column.name], why: reasons.joined(separator: ", ")))
      }
    }
    return best?.proposal
  }

  static func composite(_ table: TableProfile) -> KeyProposal? {
    let parts = table.columns.filter { column in
      guard column.canBeKey, column.nullCount == 0, column.rowCount > 0 else { return false }
      if column.kind == .timestamp || ColumnNames.isIdentifierLike(column.name) { return true }
      if column.kind == .string { return column.meanLength <= 16 }
      return column.distinctCount <= counterMaxDistinct
    }
    guard parts.count >= 2 else { return nil }
    for size in 2...min(3, parts.count) {
      for combination in combinations(parts.count, size) {
        let columns = combination.map { parts[$0] }
        guard columns.contains(where: { ColumnNames.isIdentifierLike($0.name) || $0.kind == .string }) else {
          continue
        }
        if isUnique(columns, rows: table.rowCount) {
          return KeyProposal(
            columns: columns.map(\.name),
            why: "no single key column; this combination is unique and never null")
        }
      }
    }
    return nil
  }

  static func isUnique(_ columns: [ColumnProfile], rows: Int) -> Bool {
    var seen = Set<UInt64>(minimumCapacity: rows)
    for row in 0..<rows {
      var hash: UInt64 = 0
      for column in columns { hash = ColumnProfile.mix(hash ^ column.rowHashes[row]) }
      if !seen.insert(hash).inserted { return false }
    }
    return true
  }

  /// Index combinations in lexicographic order.
  static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
    guard k > 0, k <= n else { return k == 0 ? [[]] : [] }
    var result: [[Int]] = []
    var current: [Int] = []
    func extend(from start: Int) {
      if current.count == k {
        result.append(current)
        return
      }
      for index in start..<n {
        current.append(index)
        extend(from: index + 1)
        current.removeLast()
      }
    }
    extend(from: 0)
    return result
  }
}
