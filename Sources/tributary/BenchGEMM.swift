// `tributary bench gemm`: throughput of the tensor engine's matmul (OpenBLAS sgemm through the CPU
// backend) on 1024^3 and transformer shapes, against the machine's f32 peak, and the bandwidth of one
// LayerNorm, softmax and GELU pass. Benchmarks only: nothing here is asserted.
import ArgumentParser
import Tensor

struct BenchGEMM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "GFLOP/s of the engine's matmul and GB/s of its row kernels.")

  @Option(help: "Worker threads (BLAS and kernels). Default: 1 and 2.")
  var threads: Int?

  @Option(help: "Timed repetitions per shape (the best is reported).")
  var repeats: Int = 3

  @Option(help: "Peak f32 GFLOP/s of one core, for the percentage column (Zen 3 with AVX2 FMA: ~100).")
  var peakPerCore: Double = 100

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
  }

  /// M x K x N: c[M,N] = a[M,K] b[K,N].
  static let shapes: [(m: Int, k: Int, n: Int, what: String)] = [
    (1024, 1024, 1024, "square"),
    (32768, 256, 1024, "FFN up, d=256, 32x1024 tokens"),
    (32768, 1024, 256, "FFN down, d=256, 32x1024 tokens"),
    (512, 384, 1536, "MiniLM FFN up, 512 tokens"),
  ]

  func run() throws {
    for count in threads.map({ [$0] }) ?? [1, 2] {
      let cpu = CPUBackend(threads: count)
      print("threads \(count) (peak ~\(Int(peakPerCore * Double(count))) GFLOP/s)")
      for shape in Self.shapes {
        let gflops = try timeMatmul(cpu, m: shape.m, k: shape.k, n: shape.n)
        let percent = 100 * gflops / (peakPerCore * Double(count))
        print(
          "  matmul \(shape.m)x\(shape.k)x\(shape.n)  \(format(gflops)) GFLOP/s  \(format(percent))% of peak"
            + "  (\(shape.what))")
      }
      for (name, gbps) in try rowKernels(cpu) {
        print("  \(name)  \(format(gbps)) GB/s")
      }
      for shape in Self.attentionShapes {
        let gflops = try timeAttention(
          cpu, batch: shape.batch, tokens: shape.tokens, width: shape.width, heads: shape.heads)
        print(
          "  attention B=\(shape.batch) T=\(shape.tokens) C=\(shape.width) H=\(shape.heads)  \(format(gflops)) GFLOP/s"
        )
      }
    }
  }

  /// MiniLM (batch of 32 sentences of 128 tokens) and the relational transformer (4 contexts of 1024 cells).
  static let attentionShapes: [(batch: Int, tokens: Int, width: Int, heads: Int)] = [
    (32, 128, 384, 12), (4, 1024, 256, 8),
  ]

  /// Forward attention with a key-padding mask; FLOPs counted as the two GEMMs (4 B T^2 C).
  private func timeAttention(_ cpu: CPUBackend, batch: Int, tokens: Int, width: Int, heads: Int) throws
    -> Double
  {
    var rng = SplitMix64(seed: 3)
    let shape = [batch, tokens, width]
    let count = batch * tokens * width
    let (q, k, v) = try (
      cpu.tensor((0..<count).map { _ in rng.nextSignedUnit() }, shape: shape),
      cpu.tensor((0..<count).map { _ in rng.nextSignedUnit() }, shape: shape),
      cpu.tensor((0..<count).map { _ in rng.nextSignedUnit() }, shape: shape)
    )
    let mask = try AttentionMasks.keyPadding(
      lengths: [Int](repeating: tokens * 3 / 4, count: batch), keys: tokens, on: cpu)
    let (out, probs) = (try cpu.zeros(shape), try cpu.zeros([batch, heads, tokens, tokens]))
    let call = OpCall.attentionForward(q: q, k: k, v: v, mask: mask, heads: heads, out: out, probs: probs)
    let seconds = try best { try cpu.run(call) }
    return 4 * Double(batch) * Double(tokens * tokens) * Double(width) / seconds / 1e9
  }

  private func timeMatmul(_ cpu: CPUBackend, m: Int, k: Int, n: Int) throws -> Double {
    var rng = SplitMix64(seed: 1)
    let a = try cpu.tensor((0..<(m * k)).map { _ in rng.nextSignedUnit() }, shape: [m, k])
    let b = try cpu.tensor((0..<(k * n)).map { _ in rng.nextSignedUnit() }, shape: [k, n])
    let c = try cpu.zeros([m, n])
    let call = OpCall.matmul(a: a, b: b, c: c, transposeA: false, transposeB: false, alpha: 1, beta: 0)
    let seconds = try best { try cpu.run(call) }
    return 2 * Double(m) * Double(k) * Double(n) / seconds / 1e9
  }

  /// One forward pass each; bytes counted as one read of the input and one write of the output.
  private func rowKernels(_ cpu: CPUBackend) throws -> [(String, Double)] {
    let (rows, columns) = (32768, 256)
    var rng = SplitMix64(seed: 2)
    let x = try cpu.tensor(
      (0..<(rows * columns)).map { _ in rng.nextSignedUnit() * 3 }, shape: [rows, columns])
    let out = try cpu.zeros([rows, columns])
    let (w, bias) = (
      try cpu.tensor([Float](repeating: 1, count: columns), shape: [columns]), try cpu.zeros([columns])
    )
    let (mean, rstd) = (try cpu.zeros([rows]), try cpu.zeros([rows]))
    let bytes = Double(2 * rows * columns * 4)
    let wide = try x.reshaped([rows / 4, columns * 4])
    let wideOut = try out.reshaped([rows / 4, columns * 4])
    let calls: [(String, OpCall)] = [
      (
        "layerNorm [32768, 256]    ",
        .layerNormForward(x: x, weight: w, bias: bias, out: out, mean: mean, rstd: rstd, epsilon: 1e-5)
      ),
      ("softmax   [8192, 1024]    ", .softmaxForward(x: wide, probs: wideOut)),
      ("geluErf   [32768, 256]    ", .activationForward(.geluErf, x: x, out: out)),
      ("geluTanh  [32768, 256]    ", .activationForward(.geluTanh, x: x, out: out)),
    ]
    return try calls.map { name, call in (name, bytes / (try best { try cpu.run(call) }) / 1e9) }
  }

  /// The fastest of `repeats` timed runs after one warm-up run, in seconds.
  private func best(_ body: () throws -> Void) throws -> Double {
    try body()
    var fastest = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<repeats {
      let elapsed = try clock.measure(body)
      fastest = min(
        fastest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    return fastest
  }

  private func format(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return "\(scaled)"
  }
}
