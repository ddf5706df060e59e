// Which seed sample i of an epoch gets. Task mode: the split's examples in file order, or in a fresh permutation
// per epoch when shuffling (a stateless Feistel bijection, so nothing is stored per epoch). Pretraining: a
// database by mixture weight, a table by TableWeighting (tables with no token column are never seeds), a row
// uniformly; draws with replacement. Explicit seeds: the given rows and times, in order.
import DatabaseSpec

struct SeedTable: Sendable {
  struct Candidate: Sendable {
    var database: Int
    var nodeOffset: Int
    var rows: Int
  }

  let samplesPerEpoch: Int
  private let examples: [Int32]
  private let explicit: [SeedChoice]
  private let shuffle: Bool
  private let task: TaskView?
  private let taskNodeOffset: Int
  /// Pretraining: seed tables with cumulative weights (total 1).
  private let candidates: [Candidate]
  private let cumulative: [Double]
  private let views: [DatabaseView]
  private let seed: UInt64

  init(views: [DatabaseView], weights: [Double], task: TaskView?, settings: SamplerSettings) throws {
    self.views = views
    self.task = task
    seed = settings.seed
    switch settings.mode {
    case .task(_, let split, let shuffle):
      guard let task else { throw SamplerError.invalidSettings("task mode without a task") }
      examples = task.splits[Split.allCases.firstIndex(of: split) ?? 0]
      guard !examples.isEmpty else {
        throw SamplerError.noSeeds("task \(task.name) has no \(split.rawValue) examples")
      }
      self.shuffle = shuffle
      taskNodeOffset = views[0].tables[task.seedTable].nodeOffset
      samplesPerEpoch = examples.count
      (explicit, candidates, cumulative) = ([], [], [])
    case .seeds(_, let seeds):
      guard let task else { throw SamplerError.invalidSettings("seeds mode without a task") }
      explicit = try Self.explicitChoices(seeds, task: task, view: views[0])
      (examples, shuffle, candidates, cumulative) = ([], false, [], [])
      taskNodeOffset = views[0].tables[task.seedTable].nodeOffset
      samplesPerEpoch = explicit.count
    case .pretrain:
      examples = []
      explicit = []
      shuffle = false
      taskNodeOffset = 0
      (candidates, cumulative) = try Self.pretrainingTables(
        views: views, weights: weights, weighting: settings.tableWeighting)
      samplesPerEpoch = settings.samplesPerEpoch ?? views.reduce(0) { $0 + $1.nodeCount }
    }
  }

  var isExplicit: Bool { !explicit.isEmpty }

  func choose(epoch: Int, index: Int, random: inout SampleRandom) -> SeedChoice {
    if !explicit.isEmpty { return explicit[index] }
    if let task {
      let position =
        shuffle ? EpochPermutation(count: examples.count, seed: seed, epoch: epoch)(index) : index
      let example = Int(examples[position])
      return SeedChoice(
        database: 0, node: taskNodeOffset + Int(task.seedRow[example]), example: example,
        time: task.seedTime[example])
    }
    let u = random.unit()
    var pick = 0
    while pick < cumulative.count - 1 && u >= cumulative[pick] { pick += 1 }
    let candidate = candidates[pick]
    let node = candidate.nodeOffset + random.below(candidate.rows)
    return SeedChoice(
      database: candidate.database, node: node, example: -1, time: views[candidate.database].nodeTime[node])
  }

  /// Explicit seeds as choices numbered after the task's examples. Cell tasks take the row's own time (a given
  /// time must equal it: a previous prediction file names its seeds with their times); entity tasks need one.
  private static func explicitChoices(_ seeds: [ExplicitSeed], task: TaskView, view: DatabaseView) throws
    -> [SeedChoice]
  {
    guard !seeds.isEmpty else { throw SamplerError.noSeeds("no explicit seeds for task \(task.name)") }
    guard seeds.count < Int(Int32.max) - task.exampleCount else {
      throw SamplerError.invalidSettings("\(seeds.count) explicit seeds do not fit i32 example ids")
    }
    let table = view.tables[task.seedTable]
    return try seeds.enumerated().map { index, seed in
      guard seed.row >= 0, seed.row < table.rows else {
        throw SamplerError.invalidSeed(
          index: index, "row \(seed.row) outside table \(table.name)'s \(table.rows) rows")
      }
      let node = table.nodeOffset + seed.row
      let time: Int64
      switch (task.isEntity, seed.time) {
      case (true, .some(let given)) where given != Int64.min: time = given
      case (true, _):
        throw SamplerError.invalidSeed(index: index, "task \(task.name) predicts at a time; none given")
      case (false, nil): time = view.nodeTime[node]
      case (false, .some(let given)):
        time = view.nodeTime[node]
        guard given == time else {
          let own = time == Int64.min ? "it has none" : "its own time is \(ISO8601Micros.format(time))"
          throw SamplerError.invalidSeed(
            index: index,
            "task \(task.name) predicts a row as of its own time; \(ISO8601Micros.format(given)) differs (\(own))"
          )
        }
      }
      return SeedChoice(database: 0, node: node, example: task.exampleCount + index, time: time)
    }
  }

  private static func pretrainingTables(views: [DatabaseView], weights: [Double], weighting: TableWeighting)
    throws -> ([Candidate], [Double])
  {
    var candidates: [Candidate] = []
    var masses: [Double] = []
    for (database, view) in views.enumerated() {
      let weight = weights[database]
      guard weight.isFinite, weight >= 0 else {
        throw SamplerError.invalidSettings("database \(view.name): weight \(weight)")
      }
      let eligible = view.tables.filter { $0.rows > 0 && !$0.columns.isEmpty }
      let tableMasses = eligible.map { table -> Double in
        switch weighting {
        case .rows: return Double(table.rows)
        case .tables: return 1
        case .custom(let weights): return max(0, weights[table.name] ?? 0)
        }
      }
      let total = tableMasses.reduce(0, +)
      guard total > 0 else { continue }
      for (table, mass) in zip(eligible, tableMasses) where mass > 0 {
        candidates.append(Candidate(database: database, nodeOffset: table.nodeOffset, rows: table.rows))
        masses.append(weight * mass / total)
      }
    }
    let total = masses.reduce(0, +)
    guard total > 0, !candidates.isEmpty else {
      throw SamplerError.noSeeds("no table with rows, token columns and a positive weight")
    }
    var running = 0.0
    let cumulative = masses.map { mass -> Double in
      running += mass / total
      return running
    }
    return (candidates, cumulative)
  }
}
