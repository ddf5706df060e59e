// `tributary bench model [--config small|rt] [--batch B] [--threads 2] [--steps N]`: forward+backward step time
// and cells/s of the relational transformer on synthetic relational batches (relation masks as the sampler's).
import ArgumentParser
import Foundation
import Model
import Tensor

struct BenchModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model", abstract: "Forward+backward step time of the relational transformer.")
  @Option(help: "small (d=64, 2 blocks, L=128) or rt (d=256, 12 blocks, 8 heads, FFN 1024, L=1024).")
  var config =
    "small"
  @Option(help: "Contexts per batch (default 8 small, 1 rt).") var batch: Int?
  @Option(help: "Threads.") var threads = 2
  @Option(help: "Timed steps (after one warm-up).") var steps = 3
  @Flag(help: "Print time per op (forward and backward).") var profile = false
  @Flag(help: "Dense attention kernels only (the sparse-mask gather kernels off), for comparison.")
  var denseAttention = false

  func run() throws {
    let model =
      config == "rt"
      ? ModelConfig.rtSize : ModelConfig(width: 64, blocks: 2, heads: 4, ffnWidth: 128, contextLength: 128)
    let b = batch ?? (config == "rt" ? 1 : 8)
    let opProfile = profile ? OpProfile() : nil
    let cpu = CPUBackend(threads: threads, profile: opProfile, sparseAttention: !denseAttention)
    let transformer = try RelationalTransformer(config: model, seed: 1, on: cpu)
    let (fields, embeddings) = try SyntheticBatches.filled(
      seed: 2, batchSize: b, contextLength: model.contextLength, embeddingWidth: model.embeddingWidth)
    let input = try ModelInput(fields: fields, embeddings: embeddings, config: model, on: cpu)
    let arena = try Arena(byteCount: transformer.arenaBytes(for: input), on: cpu)
    _ = try transformer.lossAndGradients(input, arena: arena, backend: cpu)
    opProfile?.reset()
    var best = Double.infinity
    for _ in 0..<steps {
      let start = Date()
      _ = try transformer.lossAndGradients(input, arena: arena, backend: cpu)
      best = min(best, Date().timeIntervalSince(start))
    }
    let cells = b * model.contextLength
    print(
      "model \(config)\(denseAttention ? " (dense attention)" : ""): \(transformer.parameterCount) parameters, B=\(b), L=\(model.contextLength), \(threads) threads: "
        + String(
          format: "%.3f s/step, %.0f cells/s, arena %.2f GiB", best, Double(cells) / best,
          Double(arena.capacity) / Double(1 << 30)))
    if let opProfile { print(opProfile.report()) }
  }
}
