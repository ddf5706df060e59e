// Prediction tasks of metadata.json: cell tasks (a column of a table) and entity tasks (RelBench style, a Parquet
// table of entity keys, times and targets).
import Foundation

public struct TaskSpec: Sendable, Equatable {
  public enum Form: Sendable, Equatable {
    /// Predict `target`, a column of `table`, from everything known at the row's time.
    case cell(table: String)
    /// Each row of `file` asks for the target of the entity (`entityColumns` of `entityTable`) as of its time.
    case entity(
      file: String, entityTable: String, entityColumns: [String], timeColumn: String, type: SemanticType,
      horizonDays: Double?)
  }

  public var name: String
  public var description: String?
  public var form: Form
  public var target: String
  /// Columns of the seed row never shown for this task's examples.
  public var hide: [String]
  public var split: SplitSpec

  public init(
    name: String, description: String? = nil, form: Form, target: String, hide: [String] = [],
    split: SplitSpec
  ) {
    self.name = name
    self.description = description
    self.form = form
    self.target = target
    self.hide = hide
    self.split = split
  }
}

public enum SplitSpec: Sendable, Equatable {
  /// Rows with time >= testStart are test, >= validationStart validation, the rest train (µs since the epoch).
  case temporal(validationStartMicros: Int64, testStartMicros: Int64)
  /// Seeded random split for rows without a time.
  case random(validation: Double, test: Double, seed: UInt64)
}

/// The split a task example falls into.
public enum Split: String, Sendable, CaseIterable, Codable {
  case train, validation, test
}
