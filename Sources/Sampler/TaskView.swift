// One task of a processed database as the sampler reads it: the examples of each split, the seed row's hidden
// columns and target, and, for entity tasks, every entity's examples sorted by time, so the examples whose label
// is known at a seed's time (time + horizon <= seed time) are a prefix found by binary search.
import DatabaseSpec
import Store

struct TaskView: Sendable {
  let name: String
  /// Keeps the task file's mapping alive for the views below.
  let file: ContainerReader
  let isEntity: Bool
  let seedTable: Int
  let targetType: CellType
  /// Cell tasks: index of the target among the seed table's token columns.
  let targetColumn: Int
  /// Per token column of the seed table: hidden from the seed row (the target is shown masked instead).
  let hidden: [Bool]
  /// Per edge type: a foreign key of the seed table made of hidden columns. The seed row does not
  /// follow it, or the parent's row would reveal the hidden key (f1 result-position hides `statusId`).
  let hiddenEdgeTypes: [Bool]
  let horizonMicros: Int64
  let seedRow: MappedArray<Int32>
  let seedTime: MappedArray<Int64>
  let label: MappedArray<Float>
  let labelRaw: MappedArray<Double>
  let labelVocabulary: MappedArray<Int32>
  /// Example indexes of each split (train, validation, test), in file order.
  let splits: [[Int32]]
  /// Entity tasks: the examples of seed row r are `entityExamples[entityOffsets[r] ..< entityOffsets[r + 1]]`,
  /// sorted by (time, index).
  let entityOffsets: OwnedBuffer<Int32>
  let entityExamples: OwnedBuffer<Int32>

  init(named name: String, in view: DatabaseView) throws {
    let database = view.database
    guard let task = database.metadata.tasks.first(where: { $0.name == name }) else {
      throw SamplerError.unknownTask(
        database: view.name, name: name, known: database.metadata.tasks.map(\.name))
    }
    let (_, file) = try database.task(named: name)
    guard let seedTable = database.metadata.tables.firstIndex(where: { $0.name == task.seedTable }),
      let targetType = CellType(task.targetType)
    else { throw SamplerError.unknownTable(database: view.name, name: task.seedTable) }
    self.name = name
    self.file = file
    self.seedTable = seedTable
    self.targetType = targetType
    isEntity = task.form == "entity"
    let columns = view.tables[seedTable].columnNames
    targetColumn = isEntity ? -1 : (columns.firstIndex { $0 == task.target } ?? -1)
    if !isEntity && targetColumn < 0 {
      throw SamplerError.inconsistent(
        path: file.path, section: "target", reason: "target '\(task.target)' is not a token column")
    }
    hidden = columns.map { task.hiddenColumns.contains($0) }
    hiddenEdgeTypes = database.metadata.graph.edgeTypes.map { edge in
      edge.childTable == seedTable
        && edge.foreignKeyColumns.contains { task.hiddenColumns.contains($0) }
    }
    let horizon = (task.horizonDays ?? 0) * 86_400_000_000
    guard horizon.isFinite, horizon >= 0, horizon < 1e18, task.examples >= 0, task.examples < Int(Int32.max)
    else {
      throw SamplerError.inconsistent(
        path: file.path, section: "metadata.json",
        reason: "task \(name): horizon \(task.horizonDays ?? 0) days, \(task.examples) examples")
    }
    horizonMicros = Int64(horizon)
    let n = task.examples
    seedRow = try MappedArray(file, "seed_row", as: Int32.self, expected: n)
    seedTime = try MappedArray(file, "seed_time", as: Int64.self, expected: n)
    label = try MappedArray(file, "label", as: Float.self, expected: n)
    labelRaw = try MappedArray(file, "label_raw", as: Double.self, expected: n)
    labelVocabulary =
      targetType == .categorical || targetType == .text
      ? try MappedArray(file, "label_vocab", as: Int32.self, expected: n) : .empty
    let split = try MappedArray(file, "split", as: UInt8.self, expected: n)
    let rows = view.tables[seedTable].rows
    var splits: [[Int32]] = [[], [], []]
    for example in 0..<n {
      guard seedRow[example] >= 0, Int(seedRow[example]) < rows, split[example] < 3 else {
        throw SamplerError.inconsistent(
          path: file.path, section: "seed_row",
          reason: "example \(example) names row \(seedRow[example]) of \(rows)")
      }
      if labelVocabulary.count > 0,
        labelVocabulary[example] < 0 || Int(labelVocabulary[example]) >= database.metadata.vocabularySize
      {
        throw SamplerError.inconsistent(
          path: file.path, section: "label_vocab",
          reason: "example \(example): id \(labelVocabulary[example])")
      }
      splits[Int(split[example])].append(Int32(example))
    }
    self.splits = splits
    (entityOffsets, entityExamples) = Self.indexByEntity(
      seedRow: seedRow, seedTime: seedTime, rows: isEntity ? rows : 0)
  }

  /// Examples in the task file. Explicit seeds (SamplingMode.seeds) are numbered after them, as examples whose
  /// label is unknown.
  var exampleCount: Int { seedRow.count }

  func isExplicitSeed(_ example: Int) -> Bool { example >= seedRow.count }

  /// The batch's `seedId` of an example: its index in the task file, or an explicit seed's position in its list.
  func summaryId(ofExample example: Int) -> Int { isExplicitSeed(example) ? example - exampleCount : example }

  /// Counting sort of examples by seed row, then by time within a row.
  private static func indexByEntity(seedRow: MappedArray<Int32>, seedTime: MappedArray<Int64>, rows: Int)
    -> (OwnedBuffer<Int32>, OwnedBuffer<Int32>)
  {
    guard rows > 0 else { return (OwnedBuffer(count: 1, repeating: 0), OwnedBuffer(count: 0, repeating: 0)) }
    var offsets = [Int32](repeating: 0, count: rows + 1)
    for example in 0..<seedRow.count { offsets[Int(seedRow[example]) + 1] += 1 }
    for row in 0..<rows { offsets[row + 1] += offsets[row] }
    var cursor = offsets
    var examples = [Int32](repeating: 0, count: seedRow.count)
    for example in 0..<seedRow.count {
      let row = Int(seedRow[example])
      examples[Int(cursor[row])] = Int32(example)
      cursor[row] += 1
    }
    for row in 0..<rows {
      examples[Int(offsets[row])..<Int(offsets[row + 1])].sort {
        (seedTime[Int($0)], $0) < (seedTime[Int($1)], $1)
      }
    }
    return (OwnedBuffer(offsets), OwnedBuffer(examples))
  }

  /// Entity tasks: how many of `row`'s examples have a known label at `time` (time_e + horizon <= time and
  /// time_e < time), a prefix of its list.
  func knownExamples(ofRow row: Int, at time: Int64) -> Range<Int> {
    let start = Int(entityOffsets[row])
    var low = start
    var high = Int(entityOffsets[row + 1])
    while low < high {
      let middle = (low + high) / 2
      let t = seedTime[Int(entityExamples[middle])]
      let (knownAt, overflow) = t.addingReportingOverflow(horizonMicros)
      let known = t < time && !overflow && knownAt <= time
      if known { low = middle + 1 } else { high = middle }
    }
    return start..<low
  }
}
