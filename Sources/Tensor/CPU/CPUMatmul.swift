// Fast CPU matmul family over OpenBLAS `cblas_sgemm`: plain, batched, linear (x W^T + b) and their
// backward passes, plus the deterministic column reduction the bias gradients use.
// Refuses: its own GEMM (OpenBLAS reaches 70-90% of peak here, platform.md), and dims that do not fit a blasint.
import CBLAS

/// Pointers and dims of one GEMM: c[M,N] = alpha op(a) op(b) + beta c with leading dimensions.
struct GEMM {
  var transposeA = false, transposeB = false
  var m: Int, n: Int, k: Int
  var alpha: Float = 1, beta: Float = 0
  var lda: Int, ldb: Int, ldc: Int

  /// Row-major dense operands: leading dimensions follow from the stored shapes.
  init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
    (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
    (self.alpha, self.beta) = (alpha, beta)
    lda = transposeA ? m : k
    ldb = transposeB ? k : n
    ldc = n
  }

  init(
    m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float,
    lda: Int, ldb: Int, ldc: Int
  ) {
    self.init(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
    (self.lda, self.ldb, self.ldc) = (lda, ldb, ldc)
  }

  /// Runs the GEMM; throws when a dimension does not fit OpenBLAS's 32-bit integers.
  func run(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) throws {
    guard m > 0, n > 0 else { return }
    guard let m32 = Int32(exactly: m), let n32 = Int32(exactly: n), let k32 = Int32(exactly: k),
      let lda32 = Int32(exactly: max(lda, 1)), let ldb32 = Int32(exactly: max(ldb, 1)),
      let ldc32 = Int32(exactly: max(ldc, 1))
    else {
      throw TensorError.invalidArgument(what: "matmul", detail: "dims \(m)x\(n)x\(k) exceed Int32")
    }
    if k == 0 {
      scaleRows(c, by: beta)
      return
    }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      m32, n32, k32, alpha, a, lda32, b, ldb32, beta, c, ldc32)
  }

  private func scaleRows(_ c: UnsafeMutablePointer<Float>, by factor: Float) {
    for i in 0..<m {
      for j in 0..<n { c[i * ldc + j] = factor == 0 ? 0 : c[i * ldc + j] * factor }
    }
  }
}

/// The fast CPU kernels, one extension per family. Pointers come from validated tensors.
enum CPUKernels {}

extension CPUKernels {
  /// out[N,Out] = x[N,In] w[Out,In]^T + bias[Out]
  static func linearForward(
    _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
    _ out: UnsafeMutablePointer<Float>, n: Int, inDim: Int, outDim: Int, pool: WorkerPool
  ) throws {
    var beta: Float = 0
    if let bias {
      beta = 1
      pool.forEachChunk(n, grain: 64) { rows in
        for r in rows { (out + r * outDim).update(from: bias, count: outDim) }
      }
    }
    try GEMM(m: n, n: outDim, k: inDim, transposeA: false, transposeB: true, alpha: 1, beta: beta)
      .run(x, w, out)
  }

  /// dx[N,In] += dout w; dw[Out,In] += dout^T x; dbias[Out] += column sums of dout.
  static func linearBackward(
    dout: UnsafePointer<Float>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>?, dbias: UnsafeMutablePointer<Float>?,
    n: Int, inDim: Int, outDim: Int, pool: WorkerPool
  ) throws {
    if let dx {
      try GEMM(m: n, n: inDim, k: outDim, transposeA: false, transposeB: false, alpha: 1, beta: 1)
        .run(dout, w, dx)
    }
    if let dw {
      try GEMM(m: outDim, n: inDim, k: n, transposeA: true, transposeB: false, alpha: 1, beta: 1)
        .run(dout, x, dw)
    }
    if let dbias {
      addColumnSums(rows: n, columns: outDim, into: dbias, pool: pool) { r, acc in
        SIMDMath.axpy(1, dout + r * outDim, acc, outDim)
      }
    }
  }

  /// dst[C] += sum over rows r of contribution(r), where `contribution` adds row r's share into `acc`.
  /// Rows are summed in fixed blocks of 64, then the blocks in order: the result does not depend on the
  /// number of workers.
  static func addColumnSums(
    rows: Int, columns: Int, into dst: UnsafeMutablePointer<Float>, pool: WorkerPool,
    contribution: (Int, UnsafeMutablePointer<Float>) -> Void
  ) {
    let blockRows = 64
    let blocks = WorkerPool.blockCount(rows: rows, blockRows: blockRows)
    guard blocks > 0, columns > 0 else { return }
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: blocks * columns)
    defer { partial.deallocate() }
    partial.initialize(repeating: 0, count: blocks * columns)
    pool.forEachChunk(blocks) { blockRange in
      for block in blockRange {
        for r in (block * blockRows)..<min(rows, (block + 1) * blockRows) {
          contribution(r, partial + block * columns)
        }
      }
    }
    pool.forEachChunk(columns, grain: 256) { cols in
      for block in 0..<blocks {
        for j in cols { dst[j] += partial[block * columns + j] }
      }
    }
  }
}
