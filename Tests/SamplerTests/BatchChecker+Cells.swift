// BatchChecker: each cell against the stored value, and the seed's masking rules (task and pretraining).
import DatabaseSpec
import Foundation
import Store

@testable import Sampler

extension BatchChecker {
  func checkCells(_ f: BatchChecker.Fields, _ b: Int) -> [String] {
    var issues: [String] = []
    var lastColumn = (slot: -1, index: -1)
    for i in 0..<Int(f.cellCount[b]) {
      let at = b * f.l + i
      let slot = Int(f.row[at])
      let rowTable = Int(f.rowTable[b * f.l + slot])
      if Int(f.table[at]) != rowTable {
        issues.append("cell \(i): table \(f.table[at]) in a row of \(rowTable)")
      }
      if rowTable == reference.db.metadata.tables.count {
        issues += checkTaskCell(f, at, slot: slot).map { "cell \(i): \($0)" }
        continue
      }
      guard let column = reference.columns[Int(f.column[at])], column.table == rowTable else {
        issues.append("cell \(i): column \(f.column[at]) is not a column of table \(rowTable)")
        continue
      }
      if lastColumn.slot == slot && column.index <= lastColumn.index {
        issues.append("cell \(i): column order")
      }
      lastColumn = (slot, column.index)
      let row = Int(f.rowId[b * f.l + slot]) - Int(reference.db.metadata.tables[rowTable].nodeOffset)
      issues += checkValue(f, at, column: column, row: row).map { "cell \(i) (\(column.spec.name)): \($0)" }
    }
    return issues
  }

  private func checkValue(_ f: BatchChecker.Fields, _ at: Int, column: StoreReference.Column, row: Int)
    -> [String]
  {
    guard let type = CellType(column.spec.type), f.type[at] == type.rawValue else { return ["type"] }
    let isMasked = f.masked[at] == 1
    if isMasked && task != nil { return [] }  // the task target: checked with the seed
    guard reference.isValid(column, row: row) else { return ["null cell shown"] }
    let w = BatchLayout.timestampWidth
    let shown: (number: Float, timestamp: [Float], boolean: Float, vocabulary: Int32) = (
      f.number[at], Array(f.timestamp[at * w..<at * w + w]), f.boolean[at], f.vocabulary[at]
    )
    var stored: (number: Float, timestamp: [Float], boolean: Float, vocabulary: Int32) = (
      0, Array(repeating: 0, count: w), 0, -1
    )
    switch type {
    case .numerical: stored.number = column.number[row]
    case .timestamp:
      // The cyclic features come from the stored µs through TimestampFeatures (checked against Python's
      // datetime in the preprocessing tests).
      var cyclic = [Float](repeating: 0, count: TimestampFeatures.cyclicCount)
      cyclic.withUnsafeMutableBufferPointer { out in
        if let base = out.baseAddress { TimestampFeatures.cyclic(column.micros[row], into: base) }
      }
      stored.timestamp = [column.time[row]] + cyclic
    case .boolean: stored.boolean = Float(column.boolean[row])
    case .categorical, .text: stored.vocabulary = column.vocabulary[row]
    case .padding: break
    }
    if !isMasked {
      let same =
        shown.number == stored.number && shown.timestamp == stored.timestamp
        && shown.boolean == stored.boolean
        && shown.vocabulary == stored.vocabulary
      return same && f.loss[at] == 0 ? [] : ["value differs from the store"]
    }
    var issues: [String] = []
    if shown.number != 0 || shown.timestamp.contains(where: { $0 != 0 }) || shown.boolean != 0
      || shown.vocabulary != -1
    {
      issues.append("masked cell shows a value")
    }
    if !column.spec.signal { issues.append("masked cell of a non-signal column") }
    if f.loss[at] != type.rawValue { issues.append("loss kind \(f.loss[at])") }
    let label: (Float, Int32) = (f.labelNumber[at], f.labelVocabulary[at])
    let truth: (Float, Int32) =
      switch type {
      case .numerical: (stored.number, -1)
      case .timestamp: (stored.timestamp[0], -1)
      case .boolean: (stored.boolean, -1)
      default: (0, stored.vocabulary)
      }
    if label != truth { issues.append("label \(label) but the stored value is \(truth)") }
    return issues
  }

  /// The two cells of an entity-task row: the example's time, then its label (masked for the seed).
  private func checkTaskCell(_ f: BatchChecker.Fields, _ at: Int, slot: Int) -> [String] {
    guard let task else { return ["task cell outside a task"] }
    let example = Int(f.rowId[(at / f.l) * f.l + slot])
    let columns = reference.db.metadata.columnCount
    let time = reference.db.metadata.time
    if Int(f.column[at]) == columns {
      let z = Float((Double(task.seedTime[example]) - time.meanMicros) / time.scaleMicros)
      let w = BatchLayout.timestampWidth
      return f.type[at] == CellType.timestamp.rawValue
        && abs(f.timestamp[at * w] - z) <= 1e-6 * max(1, abs(z))
        ? [] : ["task time cell"]
    }
    guard Int(f.column[at]) == columns + 1, let type = CellType(task.task.targetType),
      f.type[at] == type.rawValue
    else { return ["task cell column \(f.column[at])"] }
    if slot == 0 { return f.masked[at] == 1 ? [] : ["the seed's label is not masked"] }
    if f.masked[at] == 1 { return ["an earlier example's label is masked"] }
    switch type {
    case .numerical: return f.number[at] == task.label[example] ? [] : ["earlier label value"]
    case .boolean: return f.boolean[at] == task.label[example] ? [] : ["earlier label value"]
    case .categorical, .text:
      return f.vocabulary[at] == task.labelVocabulary[example] ? [] : ["earlier label value"]
    default: return []
    }
  }

  /// Task: slot 0 is the seed, its hidden columns absent, its target the only masked cell, with the task's
  /// label. Pretraining: slot 0 is the seed node and at least one signal cell is masked.
  func checkSeed(_ f: BatchChecker.Fields, _ b: Int) -> [String] {
    let n = Int(f.cellCount[b])
    let masked = (0..<n).filter { f.masked[b * f.l + $0] == 1 }
    let seed = Int(f.seedId[b])
    guard let task else {
      var issues: [String] = []
      if f.rowId[b * f.l] != Int64(seed) { issues.append("slot 0 is not the seed node") }
      let signal = (0..<n).contains { reference.columns[Int(f.column[b * f.l + $0])]?.spec.signal ?? false }
      if signal && masked.isEmpty { issues.append("no masked cell") }
      return issues
    }
    guard masked.count == 1, let target = masked.first else { return ["\(masked.count) masked cells"] }
    let at = b * f.l + target
    var issues: [String] = []
    if f.row[at] != 0 { issues.append("the masked cell is not in the seed's row") }
    if f.seedTime[b] != task.seedTime[seed] { issues.append("seed time") }
    let isVocabulary = task.task.targetType == .categorical || task.task.targetType == .text
    let label = isVocabulary ? Float(f.labelVocabulary[at]) : f.labelNumber[at]
    let truth = isVocabulary ? Float(task.labelVocabulary[seed]) : task.label[seed]
    if label != truth { issues.append("target label \(label), task says \(truth)") }
    if f.loss[at] == 0 { issues.append("target without a loss") }
    let entityTable = reference.db.metadata.tables[task.seedTable]
    if task.isEntity {
      // The entity's row (the task row's parent) shows none of the task's hidden columns.
      let entity = entityTable.nodeOffset + Int64(task.seedRow[seed])
      let hidden = Set(
        entityTable.columns.filter { task.task.hiddenColumns.contains($0.name) }.map(\.globalId))
      for i in 0..<n
      where f.rowId[b * f.l + Int(f.row[b * f.l + i])] == entity
        && f.rowTable[b * f.l + Int(f.row[b * f.l + i])] == Int32(task.seedTable)
        && hidden.contains(Int(f.column[b * f.l + i]))
      {
        issues.append("hidden column \(f.column[b * f.l + i]) of the entity row is visible")
      }
      return issues
    }
    let table = reference.db.metadata.tables[task.seedTable]
    if f.rowId[b * f.l] != table.nodeOffset + Int64(task.seedRow[seed]) {
      issues.append("slot 0 is not the seed")
    }
    let hidden = Set(table.columns.filter { task.task.hiddenColumns.contains($0.name) }.map(\.globalId))
    let targetId = table.columns.first { $0.name == task.task.target }?.globalId
    for i in 0..<n where f.row[b * f.l + i] == 0 && hidden.contains(Int(f.column[b * f.l + i])) {
      if Int(f.column[b * f.l + i]) != targetId || f.masked[b * f.l + i] != 1 {
        issues.append("hidden column \(f.column[b * f.l + i]) of the seed row is visible")
      }
    }
    if Int(f.column[at]) != targetId { issues.append("masked cell is not the target column") }
    return issues
  }
}
