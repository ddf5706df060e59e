// The comparisons `tributary gpu check` prints: each parity case's outputs on the GPU against the CPU backend,
// the flash attention path against the CPU's attention op, and a relational-transformer training step (losses and
// every parameter gradient) on both backends from the same initial weights.
import CUDA
import Foundation
import Model
import Tensor

enum GPUParity {
  /// Tolerance on the relative error: GEMMs in bf16 round inputs to 8 bits of mantissa.
  static func tolerance(usesMatmul: Bool, precision: MatmulPrecision) -> Double {
    guard usesMatmul else { return 1e-4 }
    switch precision {
    case .bf16: return 3e-2
    case .tf32: return 5e-3
    case .f32: return 1e-4
    }
  }

  /// "ok   name       output     relative error 1.2e-03 (limit 3e-02)"
  static func line(_ ok: Bool, _ name: String, _ output: String, _ error: Double, _ limit: Double) -> String {
    (ok ? "ok   " : "FAIL ") + padded(name, 28) + " " + padded(output, 12)
      + String(format: " relative error %.2e (limit %.0e)", error, limit)
  }

  static func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  static func checkOps(gpu: CUDABackend, cpu: CPUBackend, seed: UInt64, precision: MatmulPrecision) throws
    -> Int
  {
    var failures = 0
    for parity in ParityCase.all {
      let limit = tolerance(usesMatmul: parity.usesMatmul, precision: precision)
      do {
        let reference = try parity.run(on: cpu, seed: seed)
        let start = Date()
        let result = try parity.run(on: gpu, seed: seed)
        let milliseconds = Date().timeIntervalSince(start) * 1000
        for ((name, value), (_, expected)) in zip(result, reference) {
          let error = relativeError(value, expected)
          let ok = error <= limit
          if !ok { failures += 1 }
          print(line(ok, parity.name, name, error, limit) + String(format: "  %.1f ms", milliseconds))
        }
      } catch {
        failures += 1
        print("FAIL \(parity.name): \(error)")
      }
    }
    return failures
  }

  /// CUDA's flash attention (no stored probabilities) against the CPU's attention op, packed mask.
  static func checkFlashAttention(gpu: CUDABackend, cpu: CPUBackend, seed: UInt64) throws -> Int {
    let (b, h, tq, tk, dh) = (2, 4, 65, 100, 32)
    var random = SplitMix64(seed: seed)
    func values(_ count: Int) -> [Float] { (0..<count).map { _ in random.nextSignedUnit() } }
    let (q, k, v, g) = (
      values(b * tq * h * dh), values(b * tk * h * dh), values(b * tk * h * dh), values(b * tq * h * dh)
    )
    let keep = (0..<(b * tq * tk)).map { i in (i / tk) % 9 != 8 && random.next() % 3 == 0 }
    func run(_ backend: any Backend, flash: Bool) throws -> [[Float]] {
      let mask = try AttentionMasks.packed(fromKeep: keep, shape: [b, 1, tq, tk], on: backend)
      let (qt, kt, vt) = (
        try backend.tensor(q, shape: [b, tq, h * dh]), try backend.tensor(k, shape: [b, tk, h * dh]),
        try backend.tensor(v, shape: [b, tk, h * dh])
      )
      let dout = try backend.tensor(g, shape: [b, tq, h * dh])
      let out = try backend.zeros([b, tq, h * dh])
      let (dq, dk, dv) = (
        try backend.zeros([b, tq, h * dh]), try backend.zeros([b, tk, h * dh]),
        try backend.zeros([b, tk, h * dh])
      )
      if flash, let gpu = backend as? CUDABackend {
        let lse = try gpu.zeros([b, h, tq])
        try gpu.flashAttentionForward(q: qt, k: kt, v: vt, mask: mask, heads: h, out: out, lse: lse)
        try gpu.flashAttentionBackward(
          dout: dout, q: qt, k: kt, v: vt, mask: mask, heads: h, out: out, lse: lse, dq: dq, dk: dk, dv: dv)
      } else {
        let probs = try backend.zeros([b, h, tq, tk])
        try backend.run(.attentionForward(q: qt, k: kt, v: vt, mask: mask, heads: h, out: out, probs: probs))
        try backend.run(
          .attentionBackward(dout: dout, q: qt, k: kt, v: vt, probs: probs, heads: h, dq: dq, dk: dk, dv: dv))
      }
      return try [out, dq, dk, dv].map { try backend.copyOut($0) }
    }
    let (reference, result) = (try run(cpu, flash: false), try run(gpu, flash: true))
    var failures = 0
    for (name, (x, y)) in zip(["out", "dq", "dk", "dv"], zip(result, reference)) {
      let error = relativeError(x, y)
      if error > 1e-4 { failures += 1 }
      print(line(error <= 1e-4, "flash attention packed", name, error, 1e-4))
    }
    return failures
  }

  /// One forward + backward of the relational transformer on both backends from the same seeds.
  static func checkModelStep(gpu: CUDABackend, cpu: CPUBackend, config name: String, batch: Int) throws -> Int
  {
    let config =
      name == "rt"
      ? ModelConfig.rtSize : ModelConfig(width: 64, blocks: 2, heads: 4, ffnWidth: 128, contextLength: 128)
    let (fields, embeddings) = try SyntheticBatches.filled(
      seed: 2, batchSize: batch, contextLength: config.contextLength, embeddingWidth: config.embeddingWidth)
    func step(_ backend: any Backend) throws -> (LossBreakdown, [(String, [Float])], Double) {
      let model = try RelationalTransformer(config: config, seed: 1, on: backend)
      let input = try ModelInput(fields: fields, embeddings: embeddings, config: config, on: backend)
      let arena = try Arena(byteCount: model.arenaBytes(for: input), on: backend)
      _ = try model.lossAndGradients(input, arena: arena, backend: backend)
      let start = Date()
      let losses = try model.lossAndGradients(input, arena: arena, backend: backend)
      let seconds = Date().timeIntervalSince(start)
      return (losses, try model.parameters.map { ($0.name, try backend.copyOut($0.gradient)) }, seconds)
    }
    let (cpuLoss, cpuGradients, cpuSeconds) = try step(cpu)
    let (gpuLoss, gpuGradients, gpuSeconds) = try step(gpu)
    let cells = Double(batch * config.contextLength)
    print(
      "model \(name) B=\(batch): "
        + String(
          format: "loss cpu %.6f gpu %.6f; step cpu %.3f s, gpu %.4f s (%.0f cells/s)", cpuLoss.total,
          gpuLoss.total,
          cpuSeconds, gpuSeconds, cells / gpuSeconds))
    var failures =
      abs(Double(cpuLoss.total - gpuLoss.total)) <= 2e-2 * max(1, abs(Double(cpuLoss.total))) ? 0 : 1
    let errors = zip(gpuGradients, cpuGradients).map { ($0.0, relativeError($0.1, $1.1)) }.sorted {
      $0.1 > $1.1
    }
    for (parameter, error) in errors.prefix(8) {
      print("  gradient " + padded(parameter, 44) + String(format: " relative error %.2e", error))
    }
    failures += errors.filter { $0.1 > 5e-2 }.count
    print(
      "model step: \(errors.count) gradients, worst relative error \(String(format: "%.2e", errors.first?.1 ?? 0))"
    )
    return failures
  }
}
