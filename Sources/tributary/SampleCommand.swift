// `tributary sample OUT_DIR (--task T [--split S] | --pretrain) --index N [--json]`: one context as the model
// sees it, decoded to readable values (rows, cells, masks, labels, relations) — the sampler's debugging view.
import ArgumentParser
import DatabaseSpec
import Foundation
import Sampler
import Store

extension Split: ExpressibleByArgument {}

struct SampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample", abstract: "Show one context of the sampler, decoded (rows, cells, masks, labels).")

  @Argument(help: "A folder written by `tributary preprocess`.") var database: String
  @Option(help: "Sample this task's examples.") var task: String?
  @Option(help: "Split of the task's examples: train, validation or test.") var split: Split = .train
  @Flag(help: "Sample pretraining contexts (seeds from every table, signal cells masked).") var pretrain =
    false
  @Option(help: "Sample index within the epoch (task mode: the split's examples in file order).") var index =
    0
  @Option(help: "Epoch (changes pretraining seeds, child sampling and masks).") var epoch = 0
  @Option(help: "Global random seed.") var seed: UInt64 = 0
  @Option(help: "Context length L in cells.") var context = 1024
  @Flag(help: "Machine-readable JSON output.") var json = false

  func validate() throws {
    guard (task != nil) != pretrain else { throw ValidationError("give either --task T or --pretrain") }
    guard index >= 0, epoch >= 0 else { throw ValidationError("--index and --epoch must be at least 0") }
  }

  func run() throws {
    let db = try ProcessedDatabase(directory: URL(fileURLWithPath: database))
    let mode: SamplingMode = task.map { .task(name: $0, split: split, shuffle: false) } ?? .pretrain
    let sampler = try Sampler(
      database: db, settings: SamplerSettings(mode: mode, contextLength: context, batchSize: 1, seed: seed))
    guard index < sampler.samplesPerEpoch else {
      throw ValidationError("--index \(index): the epoch has \(sampler.samplesPerEpoch) samples")
    }
    let batch = sampler.makeBatch()
    sampler.fill(batch, epoch: epoch, index: index)
    let dumped = try sampler.dump(batch, context: 0)
    print(json ? try InspectCommand.json(dumped) : Self.render(dumped))
  }

  static func render(_ context: DumpedContext) -> String {
    var lines = [
      "\(context.database): \(context.seed)" + (context.seedTime.map { " at \($0)" } ?? "")
        + ", \(context.rows.count) rows, \(context.cells) cells"
    ]
    for row in context.rows {
      let parents =
        row.parents.isEmpty ? "" : " parents \(row.parents.map(String.init).joined(separator: ","))"
      lines.append(
        "[\(row.slot)] \(row.table) row \(row.row)" + (row.time.map { " @ \($0)" } ?? "") + parents)
      for cell in row.cells {
        let label = cell.label.map { "  (label \($0))" } ?? ""
        lines.append(
          "    " + InspectRendering.pad(cell.column, 24) + InspectRendering.pad(cell.type, 12) + cell.value
            + label)
      }
    }
    return lines.joined(separator: "\n")
  }
}
