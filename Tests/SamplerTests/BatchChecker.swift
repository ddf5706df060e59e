// Checks every rule of issue 5 on a filled batch against StoreReference (an independent reading of the store):
// padding and shapes, no row from the seed's future, no hidden or target value visible, no unknown task label
// visible, every relation equal to the graph's, every cell equal to the stored value (or masked with the stored
// value as its label). Returns readable issues; an empty list means the batch is sound.
import Foundation
import Store

@testable import Sampler

struct BatchChecker {
  let reference: StoreReference
  let task: TaskReference?

  struct Fields {
    let b: Int
    let l: Int
    let p: Int
    let number: [Float]
    let timestamp: [Float]
    let boolean: [Float]
    let vocabulary: [Int32]
    let column: [Int32]
    let table: [Int32]
    let row: [Int32]
    let labelNumber: [Float]
    let labelVocabulary: [Int32]
    let type: [UInt8]
    let masked: [UInt8]
    let loss: [UInt8]
    let rowId: [Int64]
    let rowTable: [Int32]
    let rowParents: [Int32]
    let seedId: [Int64]
    let seedTime: [Int64]
    let cellCount: [Int32]
    let rowCount: [Int32]
    let database: [Int32]

    init(_ batch: Batch) {
      b = batch.batchSize
      l = batch.contextLength
      p = batch.maxParents
      number = batch.array(.number, as: Float.self)
      timestamp = batch.array(.timestamp, as: Float.self)
      boolean = batch.array(.boolean, as: Float.self)
      vocabulary = batch.array(.vocabulary, as: Int32.self)
      column = batch.array(.column, as: Int32.self)
      table = batch.array(.table, as: Int32.self)
      row = batch.array(.row, as: Int32.self)
      labelNumber = batch.array(.labelNumber, as: Float.self)
      labelVocabulary = batch.array(.labelVocabulary, as: Int32.self)
      type = batch.array(.type, as: UInt8.self)
      masked = batch.array(.masked, as: UInt8.self)
      loss = batch.array(.loss, as: UInt8.self)
      rowId = batch.array(.rowId, as: Int64.self)
      rowTable = batch.array(.rowTable, as: Int32.self)
      rowParents = batch.array(.rowParents, as: Int32.self)
      seedId = batch.array(.seedId, as: Int64.self)
      seedTime = batch.array(.seedTime, as: Int64.self)
      cellCount = batch.array(.cellCount, as: Int32.self)
      rowCount = batch.array(.rowCount, as: Int32.self)
      database = batch.array(.database, as: Int32.self)
    }

    func parents(_ context: Int, _ slot: Int) -> [Int] {
      let start = (context * l + slot) * p
      return rowParents[start..<start + p].filter { $0 >= 0 }.map(Int.init)
    }
  }

  func issues(_ batch: Batch) -> [String] {
    let f = Fields(batch)
    var issues: [String] = []
    for context in 0..<f.b {
      issues += check(f, context).map { "context \(context): \($0)" }
    }
    return issues
  }

  private var tableCount: Int { reference.db.metadata.tables.count }
  private var columnCount: Int { reference.db.metadata.columnCount }

  private func check(_ f: Fields, _ b: Int) -> [String] {
    var issues = checkPadding(f, b)
    guard issues.isEmpty, f.database[b] >= 0 else { return issues }
    let rows = Int(f.rowCount[b])
    var slotOf: [Int: Int] = [:]
    for slot in 0..<rows where Int(f.rowTable[b * f.l + slot]) < tableCount {
      let node = Int(f.rowId[b * f.l + slot])
      if slotOf[node] != nil { issues.append("node \(node) appears twice") }
      slotOf[node] = slot
    }
    for slot in 0..<rows {
      issues += checkRow(f, b, slot, slotOf: slotOf).map { "row slot \(slot): \($0)" }
    }
    issues += checkCells(f, b)
    issues += checkSeed(f, b)
    return issues
  }

  /// Cells past cell_count and row slots past row_count are padding; counts within L.
  private func checkPadding(_ f: Fields, _ b: Int) -> [String] {
    let n = Int(f.cellCount[b])
    let r = Int(f.rowCount[b])
    guard n >= 0, n <= f.l, r >= 0, r <= f.l else { return ["counts \(n) cells, \(r) rows"] }
    if f.database[b] < 0 && (n != 0 || r != 0) { return ["padding context with cells"] }
    var issues: [String] = []
    for i in 0..<f.l {
      let at = b * f.l + i
      if i < n {
        if f.type[at] == 0 || f.row[at] < 0 || Int(f.row[at]) >= r || f.column[at] < 0 || f.table[at] < 0 {
          issues.append("cell \(i) is not a valid cell")
        }
        if i > 0 && f.row[at] < f.row[at - 1] { issues.append("cell \(i) goes back to an earlier row") }
      } else if f.type[at] != 0 || f.column[at] != -1 || f.table[at] != -1 || f.row[at] != -1
        || f.masked[at] != 0 || f.loss[at] != 0
      {
        issues.append("padding cell \(i) is not padding")
      }
      let parents = f.rowParents[(at * f.p)..<(at * f.p + f.p)]
      if i >= r && (f.rowTable[at] != -1 || f.rowId[at] != -1 || parents.contains { $0 != -1 }) {
        issues.append("unused row slot \(i) is not empty")
      }
    }
    return issues
  }

  private func horizon(_ f: Fields, _ b: Int) -> Int64 { f.seedTime[b] == .min ? .max : f.seedTime[b] }

  private func checkRow(_ f: Fields, _ b: Int, _ slot: Int, slotOf: [Int: Int]) -> [String] {
    let at = b * f.l + slot
    let table = Int(f.rowTable[at])
    let parents = f.parents(b, slot)
    if table == tableCount { return checkTaskRow(f, b, slot, parents: parents, slotOf: slotOf) }
    let node = Int(f.rowId[at])
    guard table >= 0, table < tableCount, node >= 0, node < reference.nodeTime.count,
      reference.table(ofNode: node) == table
    else { return ["row id \(node) is not a row of table \(table)"] }
    var issues: [String] = []
    let t = reference.nodeTime[node]
    if t != .min && t > horizon(f, b) { issues.append("row from the future (\(t) > \(f.seedTime[b]))") }
    if let task, !task.isEntity, table == task.seedTable, slot > 0,
      t == .min || f.seedTime[b] == .min || t >= f.seedTime[b]
    {
      issues.append("example row of the task's table whose label is not known yet")
    }
    var graphParents = reference.parents(of: node)
    if slot == 0, let task, !task.isEntity {
      // The seed must not reach, nor point at, a parent through a hidden foreign key.
      let edges = reference.parentEdges(of: node)
      let isHidden = { (columns: [String]) in columns.contains { task.task.hiddenColumns.contains($0) } }
      let open = Set(edges.filter { !isHidden($0.columns) }.map(\.parent))
      for edge in edges
      where isHidden(edge.columns) && !open.contains(edge.parent) && slotOf[edge.parent] != nil {
        issues.append("parent \(edge.parent), reached through hidden \(edge.columns), is in the context")
      }
      graphParents = edges.filter { !isHidden($0.columns) }.map(\.parent)
    }
    let expected = graphParents.compactMap { slotOf[$0] }.prefix(f.p)
    if Array(expected) != parents { issues.append("parents \(parents), graph says \(Array(expected))") }
    if slot > 0 {
      let graphParents = Set(reference.parents(of: node))
      let reached = (0..<slot).contains { earlier in
        let earlierTable = Int(f.rowTable[b * f.l + earlier])
        guard earlierTable < tableCount else { return f.parents(b, earlier) == [slot] }
        let earlierNode = Int(f.rowId[b * f.l + earlier])
        return graphParents.contains(earlierNode) || reference.parents(of: earlierNode).contains(node)
      }
      if !reached { issues.append("not linked to any earlier row") }
    }
    return issues
  }

  /// Entity-task rows: one example of the entity in its parent slot whose label is known at the seed's time.
  private func checkTaskRow(_ f: Fields, _ b: Int, _ slot: Int, parents: [Int], slotOf: [Int: Int])
    -> [String]
  {
    guard let task, task.isEntity else { return ["task row outside an entity task"] }
    let example = Int(f.rowId[b * f.l + slot])
    guard example >= 0, example < task.seedRow.count else { return ["task row names example \(example)"] }
    let entity = Int(reference.db.metadata.tables[task.seedTable].nodeOffset) + Int(task.seedRow[example])
    var issues: [String] = []
    if let entitySlot = slotOf[entity] {
      if parents != [entitySlot] {
        issues.append("task row parents \(parents), entity at slot \(entitySlot)")
      }
      if slot > 0 && entitySlot >= slot { issues.append("task row before its entity") }
    } else if slot > 0 || !parents.isEmpty {
      issues.append("task row without its entity")
    }
    if slot == 0 {
      if f.seedId[b] != Int64(example) { issues.append("seed task row names example \(example)") }
      return issues
    }
    let t = task.seedTime[example]
    let known = t < f.seedTime[b] && t + task.horizonMicros <= f.seedTime[b]
    if !known { issues.append("example \(example) at \(t) is not known at \(f.seedTime[b])") }
    return issues
  }
}
