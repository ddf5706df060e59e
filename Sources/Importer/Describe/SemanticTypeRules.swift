// Proposes a column's semantic type from its profile, its name and its role in the keys found, with the reason
// and a confidence in [0, 1] for the review table. The rules, in order: key columns are Identifiers (a time stays
// a Timestamp); times, booleans and floats follow the physical type; integers are Categorical when their name says
// so and they take few values, else Numerical; strings are Text when long, Categorical when named so or when
// values repeat, Text when named so or mostly distinct.
import DatabaseSpec
import Foundation

public struct ColumnProposal: Sendable, Equatable {
  public var table: String
  public var column: String
  public var type: SemanticType
  public var why: String
  public var confidence: Double
  /// Explicit `signal: false` for columns with nothing to learn (constant or almost always null).
  public var signal: Bool?
}

/// How a column takes part in the keys found.
struct KeyRole: Sendable {
  var inSinglePrimaryKey = false
  var inCompositePrimaryKey = false
  var inForeignKey = false
}

enum SemanticTypeRules {
  static let categoricalMaxDistinct = 64

  static func propose(_ column: ColumnProfile, table: String, role: KeyRole) -> ColumnProposal {
    var (type, why, confidence) = classify(column, role: role)
    var signal: Bool? = nil
    if type != .identifier && type != .ignored && isUninformative(column) {
      signal = false
      why += "; constant or almost always null, so not a signal"
    }
    if column.nonNullCount == 0 {
      type = .ignored
      why = "every value is null"
      confidence = 0.9
      signal = nil
    }
    return ColumnProposal(
      table: table, column: column.name, type: type, why: why, confidence: confidence, signal: signal)
  }

  static func classify(_ column: ColumnProfile, role: KeyRole) -> (SemanticType, String, Double) {
    if column.kind == .timestamp { return (.timestamp, "date/timestamp column", 0.95) }
    if role.inSinglePrimaryKey { return (.identifier, "primary key", 0.95) }
    if role.inForeignKey { return (.identifier, "foreign key", 0.9) }
    if role.inCompositePrimaryKey && ColumnNames.isIdentifierLike(column.name) {
      return (.identifier, "part of the primary key, named like an identifier", 0.85)
    }
    switch column.kind {
    case .boolean: return (.boolean, "boolean column", 0.95)
    case .float, .decimal: return (.numerical, "\(column.kind.rawValue) values", 0.9)
    case .integer: return classifyInteger(column)
    case .string: return classifyString(column)
    case .binary: return (.ignored, "binary values", 0.7)
    case .timestamp, .other:
      return (.ignored, "not a type Tributary encodes (nested, time of day, unreadable)", 0.6)
    }
  }

  static func classifyInteger(_ column: ColumnProfile) -> (SemanticType, String, Double) {
    if ColumnNames.hasAnyWord(column.name, ColumnNames.categoricalWords)
      && column.distinctCount <= categoricalMaxDistinct
    {
      return (
        .categorical, "integer codes: named like a category, \(column.distinctCount) distinct values", 0.75
      )
    }
    if ColumnNames.isIdentifierLike(column.name) {
      return (.identifier, "named like an identifier (no table it references was found)", 0.5)
    }
    if column.distinctCount == 2, column.minimum == 0, column.maximum == 1 {
      return (.boolean, "only 0 and 1", 0.6)
    }
    return (.numerical, "integers, \(column.distinctCount) distinct values", 0.8)
  }

  static func classifyString(_ column: ColumnProfile) -> (SemanticType, String, Double) {
    let distinct = column.distinctCount
    let ratio = column.distinctRatio
    let shape = String(
      format: "%d distinct (%.0f%%), mean %.0f chars", distinct, ratio * 100, column.meanLength)
    if column.meanLength >= 50 || column.meanWords >= 6 {
      return (.text, "long strings: \(shape)", 0.9)
    }
    if ColumnNames.hasAnyWord(column.name, ColumnNames.categoricalWords) {
      return (.categorical, "named like a category; \(shape)", 0.75)
    }
    if ratio <= 0.05 || (distinct <= categoricalMaxDistinct && ratio <= 0.5) {
      return (.categorical, "values repeat: \(shape)", 0.8)
    }
    if ColumnNames.hasAnyWord(column.name, ColumnNames.textWords) {
      return (.text, "named like text; \(shape)", 0.75)
    }
    if ratio >= 0.5 { return (.text, "mostly distinct: \(shape)", 0.6) }
    return (.categorical, "values repeat: \(shape)", 0.6)
  }

  static func isUninformative(_ column: ColumnProfile) -> Bool {
    column.distinctCount <= 1 || Double(column.nonNullCount) < 0.01 * Double(column.rowCount)
  }
}
