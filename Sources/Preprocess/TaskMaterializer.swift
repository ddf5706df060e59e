// Materializes a task into examples: the seed row (cell task: the row itself; entity task: the entity's row, found
// through the entity table's primary key), the time, the label, the split. Examples without a label are dropped;
// entities with no row are dangling, counted and dropped. Numerical labels are z-scored with train-split
// statistics, kept in the metadata so predictions map back to the original units.
import DatabaseSpec
import Foundation
import Parquet
import Store

struct TaskExamples {
  var seedRows: [Int32] = []
  var times: [Int64] = []
  var rawLabels: [Double] = []
  /// Categorical targets: vocabulary id of the label.
  var labelVocabulary: [Int32]? = nil
  var splits: [UInt8] = []
  var dangling = 0
  var droppedNullLabels = 0

  mutating func append(row: Int, time: Int64, label: Double, split: Split) {
    seedRows.append(Int32(truncatingIfNeeded: row))
    times.append(time)
    rawLabels.append(label)
    splits.append(Self.code(split))
  }

  static func code(_ split: Split) -> UInt8 {
    switch split {
    case .train: return 0
    case .validation: return 1
    case .test: return 2
    }
  }
}

enum SplitAssignment {
  static func split(_ spec: SplitSpec, time: Int64, key: UInt64) -> Split {
    switch spec {
    case .temporal(let validationStart, let testStart):
      if time == RowGraph.staticTime { return .train }
      return time >= testStart ? .test : (time >= validationStart ? .validation : .train)
    case .random(let validation, let test, let seed):
      let u = Double(SplitMix64.mix(seed ^ SplitMix64.mix(key)) >> 11) / Double(1 << 53)
      return u < test ? .test : (u < test + validation ? .validation : .train)
    }
  }
}

enum SplitMix64 {
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

enum TaskMaterializer {
  /// Labels as numbers: Numerical and Timestamp values, Boolean 0/1; Categorical labels go through `vocabulary`.
  static func cellTask(
    _ task: TaskSpec, table: LoadedTable, directory: URL, vocabulary: inout VocabularyBuilder,
    columnIds: [String: Int32]
  ) throws -> TaskExamples {
    let target = try readColumns([task.target], file: table.file, task: task)[0]
    let type = table.spec.semanticType(of: task.target)
    let labels = try labelValues(
      target, type: type, task: task, vocabulary: &vocabulary, columnId: columnIds[task.target] ?? -1)
    var examples = TaskExamples()
    if type == .categorical || type == .text { examples.labelVocabulary = [] }
    for row in 0..<table.rowCount {
      guard !target.isNull(row), labels.numbers[row].isFinite else {
        examples.droppedNullLabels += 1
        continue
      }
      let time = table.rowTime?[row] ?? RowGraph.staticTime
      examples.append(
        row: row, time: time, label: labels.numbers[row],
        split: SplitAssignment.split(task.split, time: time, key: UInt64(row)))
      if let ids = labels.vocabulary { examples.labelVocabulary?.append(ids[row]) }
    }
    return examples
  }

  static func entityTask(
    _ task: TaskSpec, file: String, entityColumns: [String], timeColumn: String, type: SemanticType,
    entityTable: LoadedTable, index: KeyIndex, vocabulary: inout VocabularyBuilder
  ) throws -> TaskExamples {
    let columns = try readColumns(entityColumns + [timeColumn, task.target], file: file, task: task)
    let keyParts = try columns.prefix(entityColumns.count).map { column in
      do { return try CellConversion.keyPart(column) } catch let error as CellConversion.Mismatch {
        throw PreprocessError.taskProblem(
          task: task.name, reason: "\(file): entity column '\(column.descriptor.name)' \(error.message)")
      }
    }
    let timeData = columns[entityColumns.count]
    let target = columns[entityColumns.count + 1]
    let times: [Int64]
    do { times = try CellConversion.micros(timeData) } catch {
      throw PreprocessError.taskProblem(
        task: task.name, reason: "\(file): time column '\(timeColumn)' \(error.message)")
    }
    let labels = try labelValues(target, type: type, task: task, vocabulary: &vocabulary, columnId: -1)
    var examples = TaskExamples()
    if type == .categorical || type == .text { examples.labelVocabulary = [] }
    for row in 0..<target.count {
      guard !target.isNull(row), !timeData.isNull(row), labels.numbers[row].isFinite else {
        examples.droppedNullLabels += 1
        continue
      }
      guard columns.prefix(entityColumns.count).allSatisfy({ !$0.isNull(row) }),
        let seed = index.lookup(keyParts, row: row)
      else {
        examples.dangling += 1
        continue
      }
      examples.append(
        row: seed, time: times[row], label: labels.numbers[row],
        split: SplitAssignment.split(task.split, time: times[row], key: UInt64(row)))
      if let ids = labels.vocabulary { examples.labelVocabulary?.append(ids[row]) }
    }
    return examples
  }

  private static func labelValues(
    _ column: ColumnData, type: SemanticType, task: TaskSpec, vocabulary: inout VocabularyBuilder,
    columnId: Int32
  ) throws -> (numbers: [Double], vocabulary: [Int32]?) {
    do {
      switch type {
      case .numerical: return (try CellConversion.numbers(column), nil)
      case .timestamp: return (try CellConversion.micros(column).map(Double.init), nil)
      case .boolean: return (try CellConversion.booleans(column).map { $0 ? 1 : 0 }, nil)
      case .categorical, .text:
        let strings = try CellConversion.strings(column)
        let kind: VocabularyBuilder.EmbeddedKind = type == .text ? .text : .categorical
        let ids = strings.map {
          vocabulary.id(value: $0, columnName: task.target, type: kind, column: columnId)
        }
        return (ids.map(Double.init), ids)
      case .identifier, .ignored:
        throw PreprocessError.taskProblem(
          task: task.name, reason: "target type \(type.rawValue) cannot be predicted")
      }
    } catch let error as CellConversion.Mismatch {
      throw PreprocessError.taskProblem(task: task.name, reason: "target '\(task.target)' \(error.message)")
    }
  }

  private static func readColumns(_ names: [String], file: String, task: TaskSpec) throws -> [ColumnData] {
    do {
      return try ParquetFile(path: file).readColumns(names)
    } catch {
      throw PreprocessError.taskProblem(task: task.name, reason: "\(file): \(error)")
    }
  }
}
