// `tributary gpu bench [--device cuda|cpu|auto] [--model small|rt] [--batch B] [--steps N] [--peak FLOPS]`: full
// training steps of the relational transformer (forward, backward, clipping, AdamW: `Trainer.train`) on synthetic
// relational batches, on the chosen backend: step time, cells/s, model FLOPs per step and MFU (`ModelFLOPs`). The
// number to compare with `tools/rt_reference.py bench --device cuda` on the same GPU.
// Refuses: timing the first step (kernel compilation, allocator warm-up, cuBLASLt heuristics).
import ArgumentParser
import CUDA
import Foundation
import Model
import Tensor
import Training

struct GPUBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Training step time, cells/s and MFU of the relational transformer.")
  @Option(help: "cpu, cuda or auto.") var device = DeviceChoice.cuda
  @Option(help: "small (d=64, 2 blocks, L=128) or rt (d=256, 12 blocks, 8 heads, FFN 1024, L=1024).")
  var model = "rt"
  @Option(help: "Contexts per batch.") var batch = 32
  @Option(help: "Timed steps (after two warm-up steps).") var steps = 10
  @Option(help: "CPU threads (the CPU backend's workers).") var threads = 2
  @Option(help: "Peak dense FLOP/s of the device for MFU (default: H100 SXM bf16, 989e12).")
  var peak = ModelFLOPs.h100SXMBF16
  @Flag(help: "Print one JSON line instead of text.") var json = false

  func run() throws {
    let config =
      model == "rt"
      ? ModelConfig.rtSize : ModelConfig(width: 64, blocks: 2, heads: 4, ffnWidth: 128, contextLength: 128)
    let backend = try device.backend(threads: threads)
    let training = TrainingConfig(
      model: config, steps: steps + 2, batchSize: batch, warmupSteps: 1, threads: threads)
    let trainer = try Trainer(config: training, backend: backend)
    let (fields, embeddings) = try SyntheticBatches.filled(
      seed: 2, batchSize: batch, contextLength: config.contextLength, embeddingWidth: config.embeddingWidth)
    let input = try ModelInput(fields: fields, embeddings: embeddings, config: config, on: backend)
    var times: [Double] = []
    for step in 0..<(steps + 2) {
      let start = Date()
      _ = try trainer.train(on: input)
      try (backend as? CUDABackend)?.synchronize()
      if step >= 2 { times.append(Date().timeIntervalSince(start)) }
    }
    report(config: config, backend: backend, times: times)
  }

  private func report(config: ModelConfig, backend: any Backend, times: [Double]) {
    let sorted = times.sorted()
    let median = sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    let cells = Double(batch * config.contextLength)
    let flops = ModelFLOPs.trainingStep(config, batchSize: batch)
    let mfu = flops / median / peak
    if json {
      print(
        "{\"implementation\":\"tributary\",\"backend\":\"\(backend.name)\",\"model\":\"\(model)\",\"batch\":\(batch),"
          + "\"L\":\(config.contextLength),\"step_s\":\(median),\"cells_per_s\":\(cells / median),"
          + "\"model_flops_per_step\":\(flops),\"peak_flops\":\(peak),\"mfu\":\(mfu)}")
      return
    }
    print(
      "train step \(model) on \(backend.name): B=\(batch), L=\(config.contextLength): "
        + String(
          format:
            "median %.4f s/step over %d steps, %.0f cells/s, %.3g model FLOPs/step, MFU %.1f%% of %.3g FLOP/s",
          median, times.count, cells / median, flops, 100 * mfu, peak))
  }
}
