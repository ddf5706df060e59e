// The sampler: turns (epoch, batch index) into a filled batch of contexts, deterministically. Sample i of an
// epoch draws everything from a random stream seeded by (global seed, epoch, i), and writes only its own slice
// of the batch, so a batch is byte-identical whatever the number of threads that fill it. Several databases
// form a mixture: pretraining picks a database by weight, then a table (TableWeighting), then a row; their
// column and table ids are offset so they share one id space (docs/format.md, "Batches").
import DatabaseSpec
import Foundation
import Logging
import Runtime
import Store

public final class Sampler: Sendable {
  public let settings: SamplerSettings
  public let layout: BatchLayout
  let views: [DatabaseView]
  let task: TaskView?
  /// Per database: first global column id and table id in the mixture's id space.
  public let columnOffsets: [Int]
  public let tableOffsets: [Int]
  let seeds: SeedTable
  private let pool = ScratchPool()
  private static let logger = Logger(label: "tributary.sampler")

  /// A sampler over `databases` (task mode: exactly one), each with a mixture weight.
  public init(databases: [(database: ProcessedDatabase, weight: Double)], settings: SamplerSettings) throws {
    try settings.validate()
    guard !databases.isEmpty else { throw SamplerError.invalidSettings("no database") }
    self.settings = settings
    views = try databases.map { try DatabaseView($0.database) }
    var columns: [Int] = []
    var tables: [Int] = []
    var column = 0
    var table = 0
    for view in views {
      columns.append(column)
      tables.append(table)
      column += view.columnCount + 2
      table += view.tableCount + 1
    }
    columnOffsets = columns
    tableOffsets = tables
    if let name = settings.mode.taskName {
      guard views.count == 1 else { throw SamplerError.invalidSettings("task mode takes one database") }
      task = try TaskView(named: name, in: views[0])
    } else {
      task = nil
    }
    seeds = try SeedTable(views: views, weights: databases.map(\.weight), task: task, settings: settings)
    layout = BatchLayout(
      batchSize: settings.batchSize, contextLength: settings.contextLength,
      maxParents: views.map(\.maxParents).max() ?? 1)
    Self.logger.debug(
      "sampler over \(views.map(\.name).joined(separator: ", ")): \(settings.mode), \(seeds.samplesPerEpoch) samples per epoch, B=\(layout.batchSize) L=\(layout.contextLength) P=\(layout.maxParents), \(layout.byteCount) bytes per batch"
    )
  }

  public convenience init(database: ProcessedDatabase, settings: SamplerSettings) throws {
    try self.init(databases: [(database, 1)], settings: settings)
  }

  /// Names of the mixture's databases, in mixture order (the batch's `database` field indexes them).
  public var databaseNames: [String] { views.map(\.name) }
  public var samplesPerEpoch: Int { seeds.samplesPerEpoch }
  public var batchesPerEpoch: Int { (seeds.samplesPerEpoch + layout.batchSize - 1) / layout.batchSize }

  public func makeBatch() -> Batch { Batch(layout: layout) }

  public func makeScratch() -> SamplerScratch {
    SamplerScratch(
      contextLength: settings.contextLength, childCap: settings.childCap, nodeCounts: views.map(\.nodeCount))
  }

  /// Fills `batch` with batch `index` of `epoch` on `threads` workers. Contexts past the epoch's end are padding.
  public func fill(_ batch: Batch, epoch: Int, index: Int, threads: Int = 1) {
    batch.epoch = epoch
    batch.index = index
    let b = layout.batchSize
    let workers = max(1, min(threads, b))
    Parallel.forEach(workers, threads: workers) { worker in
      let scratch = pool.take() ?? makeScratch()
      for context in Parallel.block(worker, of: workers, count: b) {
        sample(epoch: epoch, index: index * b + context, into: ContextSlice(batch, context: context), scratch)
      }
      pool.give(scratch)
    }
  }

  /// Fills `batch` on the calling thread with a scratch of its own (the producers of BatchStream).
  public func fill(_ batch: Batch, epoch: Int, index: Int, scratch: SamplerScratch) {
    batch.epoch = epoch
    batch.index = index
    let b = layout.batchSize
    for context in 0..<b {
      sample(epoch: epoch, index: index * b + context, into: ContextSlice(batch, context: context), scratch)
    }
  }

  /// Builds sample `index` of `epoch` into `slice`.
  func sample(epoch: Int, index: Int, into slice: ContextSlice, _ scratch: SamplerScratch) {
    slice.clear()
    guard index < seeds.samplesPerEpoch else { return }
    var random = SampleRandom(seed: settings.seed, epoch: epoch, index: index)
    let seed = seeds.choose(epoch: epoch, index: index, random: &random)
    if seeds.isExplicit {
      random = SampleRandom(seed: settings.seed, epoch: epoch, node: seed.node, time: seed.time)
    }
    let view = views[seed.database]
    var gatherer = ContextGatherer(
      view: view, task: task, scratch: scratch, seed: seed, contextLength: settings.contextLength,
      childCap: settings.childCap)
    gatherer.gather(seedCells: CellWriter.seedCells(view: view, task: task, node: seed.node), random: &random)
    var writer = CellWriter(
      view: view, task: task, scratch: scratch, slice: slice, seed: seed,
      columnOffset: columnOffsets[seed.database], tableOffset: tableOffsets[seed.database])
    writer.write(rows: gatherer.rows)
    if task == nil { writer.maskCandidates(fraction: settings.maskFraction, random: &random) }
    slice.setSummary(
      seedId: Int64(task.map { $0.summaryId(ofExample: seed.example) } ?? seed.node), seedTime: seed.time,
      cells: writer.cells,
      rows: gatherer.rows, database: seed.database)
  }
}

/// Scratch memory reused across batches (a few per worker thread, never one per sample).
final class ScratchPool: @unchecked Sendable {
  // @unchecked: `free` is guarded by `lock`.
  private var free: [SamplerScratch] = []
  private let lock = NSLock()

  func take() -> SamplerScratch? { lock.withLock { free.popLast() } }
  func give(_ scratch: SamplerScratch) { lock.withLock { free.append(scratch) } }
}
