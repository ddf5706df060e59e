// Writes a gathered context into its batch slice: each row's non-null token cells in column order (Identifier
// columns are structure, not tokens), the seed row (cell task: the row; entity task: the entity's row) without
// its hidden columns and with a cell task's target masked, task
// example rows as two cells (time, label), each row slot's table and parents within the context, and in
// pretraining a random fraction of signal cells masked. A masked cell keeps its type, column, table and row; its
// value fields are zero (vocabulary -1) and its truth moves to the label fields, with `loss` naming its kind.
import Store

struct CellWriter {
  let view: DatabaseView
  let task: TaskView?
  let scratch: SamplerScratch
  let slice: ContextSlice
  let seed: SeedChoice
  let columnOffset: Int32
  let tableOffset: Int32
  var cells = 0
  var candidates = 0

  init(
    view: DatabaseView, task: TaskView?, scratch: SamplerScratch, slice: ContextSlice, seed: SeedChoice,
    columnOffset: Int, tableOffset: Int
  ) {
    self.view = view
    self.task = task
    self.scratch = scratch
    self.slice = slice
    self.seed = seed
    self.columnOffset = Int32(truncatingIfNeeded: columnOffset)
    self.tableOffset = Int32(truncatingIfNeeded: tableOffset)
  }

  /// Token cells of the seed row (a cell task's hidden columns do not count; its target does).
  static func seedCells(view: DatabaseView, task: TaskView?, node: Int) -> Int {
    guard let task else { return Int(view.rowCells[node]) }
    let table = view.tables[task.seedTable]
    let row = node - table.nodeOffset
    var count = 0
    for (index, column) in table.columns.enumerated() {
      if index == task.targetColumn || (!task.hidden[index] && column.valid.isSet(row)) { count += 1 }
    }
    return count
  }

  mutating func write(rows: Int) {
    for slot in 0..<rows {
      let node = Int(scratch.rowNode[slot])
      if node >= 0 {
        writeRow(node: node, slot: slot)
      } else {
        writeExample(-1 - node, slot: slot)
      }
      writeRelations(slot: slot, node: node)
    }
  }

  private mutating func writeRow(node: Int, slot: Int) {
    let tableIndex = Int(view.nodeTable[node])
    let row = node - view.tableNodeOffset[tableIndex]
    let isSeed = node == seed.node && task != nil
    let first = Int(view.columnStart[tableIndex])
    let count = Int(view.columnStart[tableIndex + 1]) - first
    // Validity first, in one pass of independent loads: the rows are scattered, so each load is likely a cache
    // miss, and letting them overlap (instead of load -> branch -> load per column) is most of the speed here.
    var valid: UInt64 = 0
    for index in 0..<min(count, 64) where view.allColumns[first + index].valid.isSet(row) {
      valid |= 1 << UInt64(index)
    }
    for index in 0..<count {
      let column = view.allColumns[first + index]
      guard cells < slice.length else { return }
      if isSeed, let task, task.hidden[index] {
        if index == task.targetColumn { writeTarget(column.type, column: column.globalId, slot: slot) }
        continue
      }
      let isValid = index < 64 ? valid & (1 << UInt64(index)) != 0 : column.valid.isSet(row)
      guard isValid else { continue }
      let n = begin(column.type, column: column.globalId, table: tableIndex, slot: slot)
      switch column.type {
      case .numerical: slice.number[n] = column.number[row]
      case .timestamp:
        let out = slice.timestamp + n * BatchLayout.timestampWidth
        out[0] = column.time[row]
        scratch.cyclic(column.micros[row], into: out + 1)
      case .boolean: slice.boolean[n] = Float(column.boolean[row])
      case .categorical, .text: slice.vocabulary[n] = column.vocabulary[row]
      case .padding: break
      }
      if task == nil && column.signal {
        scratch.candidates[candidates] = Int32(n)
        candidates += 1
      }
    }
  }

  /// Starts cell `cells` with its structural fields; returns its position.
  @inline(__always) private mutating func begin(_ type: CellType, column: Int32, table: Int, slot: Int) -> Int
  {
    let n = cells
    cells += 1
    slice.type[n] = type.rawValue
    slice.column[n] = column &+ columnOffset
    slice.table[n] = Int32(truncatingIfNeeded: table) &+ tableOffset
    slice.row[n] = Int32(truncatingIfNeeded: slot)
    return n
  }

  /// The seed's target: masked, the task's label as truth.
  private mutating func writeTarget(_ type: CellType, column: Int32, slot: Int) {
    guard let task else { return }
    let table = task.isEntity ? view.tableCount : task.seedTable
    let n = begin(type, column: column, table: table, slot: slot)
    slice.masked[n] = 1
    slice.loss[n] = type.rawValue
    if task.isExplicitSeed(seed.example) {
      slice.labelVocabulary[n] = -1
      slice.labelNumber[n] = .nan
    } else if type == .categorical || type == .text {
      slice.labelVocabulary[n] = task.labelVocabulary[seed.example]
    } else {
      slice.labelNumber[n] = task.label[seed.example]
    }
  }

  /// A task example row: its time, then its label (masked for the seed's own example).
  private mutating func writeExample(_ example: Int, slot: Int) {
    guard let task, cells + 2 <= slice.length else { return }
    let timeColumn = Int32(truncatingIfNeeded: view.columnCount)
    let n = begin(.timestamp, column: timeColumn, table: view.tableCount, slot: slot)
    if slot == 0 {
      writeTime(seed.time, at: n)
      writeTarget(task.targetType, column: timeColumn + 1, slot: slot)
      return
    }
    writeTime(task.seedTime[example], at: n)
    let m = begin(task.targetType, column: timeColumn + 1, table: view.tableCount, slot: slot)
    switch task.targetType {
    case .numerical: slice.number[m] = task.label[example]
    case .boolean: slice.boolean[m] = task.label[example]
    case .categorical, .text: slice.vocabulary[m] = task.labelVocabulary[example]
    case .timestamp: writeTime(Int64(exactly: task.labelRaw[example].rounded()) ?? 0, at: m)
    case .padding: break
    }
  }

  private func writeTime(_ micros: Int64, at n: Int) {
    let out = slice.timestamp + n * BatchLayout.timestampWidth
    out[0] = Float((Double(micros) - view.timeMean) / view.timeScale)
    TimestampFeatures.cyclic(micros, into: out + 1)
  }

  /// The slot's table and its parents that are in the context (one per foreign key, or the task row's entity).
  private func writeRelations(slot: Int, node: Int) {
    slice.rowTable[slot] = scratch.rowTable[slot] &+ tableOffset
    slice.rowId[slot] = Int64(node >= 0 ? node : -1 - node)
    let out = slice.rowParents + slot * slice.parents
    guard node >= 0 else {
      out[0] = scratch.rowEntity[slot]
      return
    }
    let stamps = scratch.nodeStamp[seed.database]
    let slots = scratch.nodeSlot[seed.database]
    var count = 0
    for edge in Int(view.parentOffsets[node])..<Int(view.parentOffsets[node + 1]) where count < slice.parents
    {
      if node == seed.node, let task, task.hiddenEdgeTypes[Int(view.parentEdgeTypes[edge])] { continue }
      let parent = Int(view.parentNodes[edge])
      guard stamps[parent] == scratch.generation else { continue }
      out[count] = slots[parent]
      count += 1
    }
  }

  /// Pretraining: masks each candidate with probability `fraction`, at least one when there is any.
  mutating func maskCandidates(fraction: Double, random: inout SampleRandom) {
    var masked = 0
    for index in 0..<candidates where random.unit() < fraction {
      mask(Int(scratch.candidates[index]))
      masked += 1
    }
    if masked == 0 && candidates > 0 { mask(Int(scratch.candidates[random.below(candidates)])) }
  }

  private func mask(_ n: Int) {
    guard let type = CellType(rawValue: slice.type[n]) else { return }
    slice.masked[n] = 1
    slice.loss[n] = type.rawValue
    switch type {
    case .numerical:
      slice.labelNumber[n] = slice.number[n]
      slice.number[n] = 0
    case .timestamp:
      let values = slice.timestamp + n * BatchLayout.timestampWidth
      slice.labelNumber[n] = values[0]
      values.update(repeating: 0, count: BatchLayout.timestampWidth)
    case .boolean:
      slice.labelNumber[n] = slice.boolean[n]
      slice.boolean[n] = 0
    case .categorical, .text:
      slice.labelVocabulary[n] = slice.vocabulary[n]
      slice.vocabulary[n] = -1
    case .padding: break
    }
  }
}
