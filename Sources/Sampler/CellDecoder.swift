// Decodes batch cells back to readable values for ContextDump: numbers with their column's (or, for task
// labels, the task's train-split) statistics, timestamps from the stored µs where the cell is a table cell and
// from the z-score otherwise, vocabulary ids through the vocabulary's strings.
import DatabaseSpec
import Foundation
import Store

struct CellDecoder {
  let view: DatabaseView
  let task: TaskView?
  let metadata: ProcessedMetadata
  /// Global column id -> (table, column).
  let columns: [Int: (table: Int, column: ProcessedColumn)]

  init(view: DatabaseView, task: TaskView?) throws {
    self.view = view
    self.task = task
    metadata = view.database.metadata
    var columns: [Int: (Int, ProcessedColumn)] = [:]
    for (t, table) in metadata.tables.enumerated() {
      for column in table.columns { columns[column.globalId] = (t, column) }
    }
    self.columns = columns
  }

  func tableName(_ table: Int) -> String {
    table == view.tableCount
      ? "task \(task?.name ?? "?")"
      : (metadata.tables.indices.contains(table) ? metadata.tables[table].name : "?")
  }

  func tableRow(_ table: Int, id: Int) -> Int {
    table == view.tableCount || !metadata.tables.indices.contains(table)
      ? id : id - Int(metadata.tables[table].nodeOffset)
  }

  func rowTime(_ table: Int, id: Int) -> String? {
    if table == view.tableCount, let task {
      return id >= 0 && id < task.exampleCount ? ISO8601Micros.format(task.seedTime[id]) : nil
    }
    guard id >= 0, id < view.nodeCount, view.nodeTime[id] != Int64.min else { return nil }
    return ISO8601Micros.format(view.nodeTime[id])
  }

  private var labelStatistics: ColumnStatistics? {
    task.flatMap { task in metadata.tasks.first { $0.name == task.name }?.labelStatistics }
  }

  func decode(_ f: DumpFields, _ at: Int, column: Int, row: DumpedRow) throws -> DumpedCell {
    let type = CellType(rawValue: f.type[at]) ?? .padding
    let isMasked = f.masked[at] == 1
    let w = BatchLayout.timestampWidth
    let shown = type == .boolean ? f.boolean[at] : (type == .timestamp ? f.timestamp[at * w] : f.number[at])
    guard let (table, spec) = columns[column] else {
      // Task-row cells: the example's time (database time scale) and its label (the task's statistics).
      let isLabel = column == view.columnCount + 1
      let name = (isLabel ? "label of " : "time of ") + (task?.name ?? "task")
      let statistics = isLabel ? labelStatistics : nil
      let micros =
        !isLabel && row.row >= 0 && row.row < (task?.seedTime.count ?? 0) ? task?.seedTime[row.row] : nil
      let value =
        isMasked
        ? "[MASK]"
        : try render(
          type, number: shown, vocabulary: f.vocabulary[at], statistics: statistics, micros: micros)
      let label =
        isMasked
        ? try render(
          type, number: f.labelNumber[at], vocabulary: f.labelVocabulary[at], statistics: statistics,
          micros: nil)
        : nil
      return DumpedCell(column: name, type: type.name, value: value, label: label)
    }
    if isMasked {
      let isTarget = task != nil && row.slot == 0
      let label = try render(
        type, number: f.labelNumber[at], vocabulary: f.labelVocabulary[at],
        statistics: isTarget ? labelStatistics : spec.statistics, micros: nil)
      return DumpedCell(column: spec.name, type: type.name, value: "[MASK]", label: label)
    }
    var micros: Int64?
    if type == .timestamp {
      micros = try view.database.tables[table].withSection("\(spec.section).micros", as: Int64.self) {
        row.row >= 0 && row.row < $0.count ? $0[row.row] : nil
      }
    }
    let value = try render(
      type, number: shown, vocabulary: f.vocabulary[at], statistics: spec.statistics, micros: micros)
    return DumpedCell(column: spec.name, type: type.name, value: value, label: nil)
  }

  private func render(
    _ type: CellType, number: Float, vocabulary: Int32, statistics: ColumnStatistics?, micros: Int64?
  ) throws -> String {
    switch type {
    case .numerical:
      let value = statistics?.unscale(Double(number)) ?? Double(number)
      return String(format: "%.6g", value)
    case .timestamp:
      if let micros { return ISO8601Micros.format(micros) }
      let scale = statistics?.scale ?? view.timeScale
      let mean = statistics?.mean ?? view.timeMean
      let estimate = Double(number) * scale + mean
      guard let rounded = Int64(exactly: estimate.rounded()) else { return "?" }
      return "~" + ISO8601Micros.format(rounded)
    case .boolean: return number != 0 ? "true" : "false"
    case .categorical, .text:
      return vocabulary >= 0 ? try view.database.vocabularyValue(Int(vocabulary)) : "?"
    case .padding: return ""
    }
  }
}
