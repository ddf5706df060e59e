// Scores a proposed annotation against a human one (the accuracy table of docs/results.md): semantic types over
// every Parquet column (unlisted columns count as Ignored), primary keys and time columns per table (exact match),
// foreign keys as (table, columns, referenced table) with precision and recall. Lists every disagreement.
import DatabaseSpec

public struct AnnotationScore: Sendable {
  public var typesCorrect = 0
  public var typesTotal = 0
  public var primaryKeysCorrect = 0
  public var timeColumnsCorrect = 0
  public var tables = 0
  public var foreignKeysProposed = 0
  public var foreignKeysTrue = 0
  public var foreignKeysFound = 0
  public var disagreements: [String] = []

  public var typeAccuracy: Double { typesTotal == 0 ? 1 : Double(typesCorrect) / Double(typesTotal) }
  public var foreignKeyPrecision: Double {
    foreignKeysProposed == 0 ? 1 : Double(foreignKeysFound) / Double(foreignKeysProposed)
  }
  public var foreignKeyRecall: Double {
    foreignKeysTrue == 0 ? 1 : Double(foreignKeysFound) / Double(foreignKeysTrue)
  }
}

public enum AnnotationComparison {
  /// The proposal lists every Parquet column, so columns the human left out are scored as Ignored.
  public static func score(proposed: DatabaseSpec, truth: DatabaseSpec) -> AnnotationScore {
    var score = AnnotationScore()
    for table in truth.tables {
      score.tables += 1
      guard let mine = proposed.table(named: table.name) else {
        score.disagreements.append("table \(table.name): not proposed")
        continue
      }
      compareColumns(mine, table, into: &score)
      if mine.primaryKey == table.primaryKey {
        score.primaryKeysCorrect += 1
      } else {
        score.disagreements.append(
          "\(table.name): primary key \(render(mine.primaryKey)), expected \(render(table.primaryKey))")
      }
      if mine.timeColumn == table.timeColumn {
        score.timeColumnsCorrect += 1
      } else {
        score.disagreements.append(
          "\(table.name): time column \(mine.timeColumn ?? "none"), expected \(table.timeColumn ?? "none")")
      }
    }
    compareForeignKeys(proposed, truth, into: &score)
    return score
  }

  static func compareColumns(_ mine: TableSpec, _ truth: TableSpec, into score: inout AnnotationScore) {
    let names = mine.columns.map(\.name) + truth.columns.map(\.name).filter { mine.column(named: $0) == nil }
    for name in names {
      let expected = truth.semanticType(of: name)
      let proposed = mine.semanticType(of: name)
      score.typesTotal += 1
      if expected == proposed {
        score.typesCorrect += 1
      } else {
        score.disagreements.append(
          "\(truth.name).\(name): \(proposed.rawValue), expected \(expected.rawValue)")
      }
    }
  }

  static func compareForeignKeys(
    _ proposed: DatabaseSpec, _ truth: DatabaseSpec, into score: inout AnnotationScore
  ) {
    func keys(_ spec: DatabaseSpec) -> Set<String> {
      Set(
        spec.tables.flatMap { table in
          table.foreignKeys.map {
            "\(table.name)(\($0.columns.joined(separator: ", "))) -> \($0.referencedTable)"
          }
        })
    }
    let mine = keys(proposed)
    let expected = keys(truth)
    score.foreignKeysProposed = mine.count
    score.foreignKeysTrue = expected.count
    score.foreignKeysFound = mine.intersection(expected).count
    for key in mine.subtracting(expected).sorted() { score.disagreements.append("false foreign key \(key)") }
    for key in expected.subtracting(mine).sorted() { score.disagreements.append("missed foreign key \(key)") }
  }

  static func render(_ key: [String]?) -> String { key.map { "(\($0.joined(separator: ", ")))" } ?? "none" }
}
