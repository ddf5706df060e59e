// cuBLASLt, bound at run time: row-major GEMMs (plain and strided-batched) on f32 buffers with a chosen compute
// precision: bf16 inputs with f32 accumulation (the default, tensor cores), tf32, or exact f32 for debugging.
// Row-major c[M,N] = op(a) op(b) is computed as the column-major c^T[N,M] = op(b)^T op(a)^T, so no data moves.
// Algorithms come from cuBLASLt's heuristic once per shape and are cached.
// Refuses: row-order layouts (fewer algorithms) and epilogues (bias is added by our own kernel for now).
import Foundation

/// How a GEMM multiplies f32 buffers.
public enum MatmulPrecision: String, Sendable, CaseIterable {
  /// Inputs rounded to bf16, products accumulated in f32 (CUBLAS_COMPUTE_32F_FAST_16BF).
  case bf16
  /// Inputs rounded to tf32 (CUBLAS_COMPUTE_32F_FAST_TF32).
  case tf32
  /// Plain f32 (CUBLAS_COMPUTE_32F): slow, for parity debugging.
  case f32

  var computeType: Int32 {
    switch self {
    case .bf16: return 75
    case .tf32: return 77
    case .f32: return 68
    }
  }
}

/// One row-major GEMM: c[M,N] = alpha op(a)[M,K] op(b)[K,N] + beta c, `batch` times with element strides.
struct GEMMShape: Hashable {
  var m: Int, n: Int, k: Int
  var transposeA: Bool, transposeB: Bool
  var lda: Int, ldb: Int, ldc: Int
  var batch = 1
  var strideA = 0, strideB = 0, strideC = 0
  /// Alignment in bytes (up to 16) of the a, b and c pointers: the heuristic must not pick a kernel needing more.
  var alignA = 16, alignB = 16, alignC = 16
}

/// The cuBLASLt functions and one handle.
final class CuBLASLt: @unchecked Sendable {
  // @unchecked: the handle is thread-safe per cuBLASLt's documentation; the algorithm cache is behind `lock`.
  typealias Handle = OpaquePointer
  typealias SetAttribute = @convention(c) (Handle?, Int32, UnsafeRawPointer, Int) -> Int32
  typealias Destroy = @convention(c) (Handle?) -> Int32
  let library: DynamicLibrary
  let handle: Handle?
  let cublasLtGetVersion: @convention(c) () -> Int
  let cublasLtGetStatusString: @convention(c) (Int32) -> UnsafePointer<CChar>?
  let cublasLtMatmulDescCreate: @convention(c) (UnsafeMutablePointer<Handle?>, Int32, Int32) -> Int32
  let cublasLtMatmulDescSetAttribute: SetAttribute
  let cublasLtMatmulDescDestroy: Destroy
  let cublasLtMatrixLayoutCreate:
    @convention(c) (UnsafeMutablePointer<Handle?>, Int32, UInt64, UInt64, Int64) -> Int32
  let cublasLtMatrixLayoutSetAttribute: SetAttribute
  let cublasLtMatrixLayoutDestroy: Destroy
  let cublasLtMatmulPreferenceCreate: @convention(c) (UnsafeMutablePointer<Handle?>) -> Int32
  let cublasLtMatmulPreferenceSetAttribute: SetAttribute
  let cublasLtMatmulPreferenceDestroy: Destroy
  let cublasLtMatmulAlgoGetHeuristic:
    @convention(c) (
      Handle?, Handle?, Handle?, Handle?, Handle?, Handle?, Handle?, Int32, UnsafeMutableRawPointer,
      UnsafeMutablePointer<Int32>
    ) -> Int32
  let cublasLtMatmul:
    @convention(c) (
      Handle?, Handle?, UnsafeRawPointer, DevicePointer, Handle?, DevicePointer, Handle?, UnsafeRawPointer,
      DevicePointer, Handle?, DevicePointer, Handle?, UnsafeRawPointer?, DevicePointer, Int, OpaquePointer?
    ) -> Int32
  private let lock = NSLock()
  private var algorithms: [GEMMShape: [UInt8]] = [:]
  /// sizeof(cublasLtMatmulHeuristicResult_t): algo (64 bytes), workspaceSize, state, wavesCount, reserved[4].
  static let heuristicResultBytes = 96

  static let sonames = ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"]

  /// Loads the library; `createHandle: false` only resolves the functions (for `gpu info` without a GPU).
  init(environment: [String: String] = ProcessInfo.processInfo.environment, createHandle: Bool = true) throws
  {
    let lib = try DynamicLibrary.open(
      "libcublasLt", candidates: LibrarySearch.candidates(sonames: Self.sonames, environment: environment))
    library = lib
    cublasLtGetVersion = try lib.function("cublasLtGetVersion")
    cublasLtGetStatusString = try lib.function("cublasLtGetStatusString")
    cublasLtMatmulDescCreate = try lib.function("cublasLtMatmulDescCreate")
    cublasLtMatmulDescSetAttribute = try lib.function("cublasLtMatmulDescSetAttribute")
    cublasLtMatmulDescDestroy = try lib.function("cublasLtMatmulDescDestroy")
    cublasLtMatrixLayoutCreate = try lib.function("cublasLtMatrixLayoutCreate")
    cublasLtMatrixLayoutSetAttribute = try lib.function("cublasLtMatrixLayoutSetAttribute")
    cublasLtMatrixLayoutDestroy = try lib.function("cublasLtMatrixLayoutDestroy")
    cublasLtMatmulPreferenceCreate = try lib.function("cublasLtMatmulPreferenceCreate")
    cublasLtMatmulPreferenceSetAttribute = try lib.function("cublasLtMatmulPreferenceSetAttribute")
    cublasLtMatmulPreferenceDestroy = try lib.function("cublasLtMatmulPreferenceDestroy")
    cublasLtMatmulAlgoGetHeuristic = try lib.function("cublasLtMatmulAlgoGetHeuristic")
    cublasLtMatmul = try lib.function("cublasLtMatmul")
    let create: @convention(c) (UnsafeMutablePointer<Handle?>) -> Int32 = try lib.function("cublasLtCreate")
    var h: Handle?
    let status = createHandle ? create(&h) : 0
    handle = h
    try check(status, "cublasLtCreate")
  }

  /// The library version (e.g. 120903 for 12.9.3).
  var version: Int { cublasLtGetVersion() }

  func check(_ status: Int32, _ function: String) throws {
    guard status != 0 else { return }
    let message = cublasLtGetStatusString(status).map { String(cString: $0) } ?? "unknown status"
    throw CUDAError.call(function: function, status: status, message: message)
  }

  /// Runs `shape` on device pointers a, b, c on `stream`, with `workspace` of `workspaceBytes`.
  func matmul(
    _ shape: GEMMShape, a: DevicePointer, b: DevicePointer, c: DevicePointer, alpha: Float, beta: Float,
    precision: MatmulPrecision, workspace: DevicePointer, workspaceBytes: Int, stream: OpaquePointer?
  ) throws {
    guard shape.m > 0, shape.n > 0, shape.batch > 0 else { return }
    let plan = try MatmulPlan(shape, precision: precision, lt: self)
    defer { plan.destroy(self) }
    let algorithm = try cachedAlgorithm(shape, plan: plan, workspaceBytes: workspaceBytes)
    var (alphaValue, betaValue) = (alpha, beta)
    try algorithm.withUnsafeBytes { algo in
      // Swapped operands: the column-major product is b^T a^T (see the file header).
      try check(
        cublasLtMatmul(
          handle, plan.description, &alphaValue, b, plan.first, a, plan.second, &betaValue, c, plan.result, c,
          plan.result, algo.baseAddress, workspace, workspaceBytes, stream), "cublasLtMatmul")
    }
  }

  private func cachedAlgorithm(_ shape: GEMMShape, plan: MatmulPlan, workspaceBytes: Int) throws -> [UInt8] {
    lock.lock()
    let cached = algorithms[shape]
    lock.unlock()
    if let cached { return cached }
    let found = try heuristic(plan, shape: shape, workspaceBytes: workspaceBytes)
    lock.lock()
    algorithms[shape] = found
    lock.unlock()
    return found
  }

  private func heuristic(_ plan: MatmulPlan, shape: GEMMShape, workspaceBytes: Int) throws -> [UInt8] {
    var preference: Handle?
    try check(cublasLtMatmulPreferenceCreate(&preference), "cublasLtMatmulPreferenceCreate")
    defer { _ = cublasLtMatmulPreferenceDestroy(preference) }
    var workspace = UInt64(workspaceBytes)
    try check(
      cublasLtMatmulPreferenceSetAttribute(preference, 1, &workspace, 8),
      "cublasLtMatmulPreferenceSetAttribute")
    // Operand alignments (attributes 5-8: A, B, C, D; A and B are swapped, see the header).
    for (attribute, alignment) in [
      (5, shape.alignB), (6, shape.alignA), (7, shape.alignC), (8, shape.alignC),
    ] {
      var value = UInt32(alignment)
      try check(
        cublasLtMatmulPreferenceSetAttribute(preference, Int32(attribute), &value, 4),
        "cublasLtMatmulPreferenceSetAttribute")
    }
    var results = [UInt8](repeating: 0, count: Self.heuristicResultBytes)
    var returned: Int32 = 0
    try results.withUnsafeMutableBytes { raw in
      guard let base = raw.baseAddress else { return }
      try check(
        cublasLtMatmulAlgoGetHeuristic(
          handle, plan.description, plan.first, plan.second, plan.result, plan.result, preference, 1, base,
          &returned), "cublasLtMatmulAlgoGetHeuristic")
    }
    guard returned > 0 else {
      throw CUDAError.unsupported(what: "GEMM \(shape)", detail: "cuBLASLt's heuristic found no algorithm")
    }
    return Array(results.prefix(64))
  }
}

/// The descriptors of one GEMM: the operation and the layouts of its swapped operands and result.
struct MatmulPlan {
  var description: OpaquePointer?
  var first: OpaquePointer?
  var second: OpaquePointer?
  var result: OpaquePointer?

  init(_ s: GEMMShape, precision: MatmulPrecision, lt: CuBLASLt) throws {
    let f32: Int32 = 0
    try lt.check(
      lt.cublasLtMatmulDescCreate(&description, precision.computeType, f32), "cublasLtMatmulDescCreate")
    // Column-major view: first = b (op = transposeB), second = a (op = transposeA), result [N, M].
    var opFirst: Int32 = s.transposeB ? 1 : 0
    var opSecond: Int32 = s.transposeA ? 1 : 0
    try lt.check(
      lt.cublasLtMatmulDescSetAttribute(description, 3, &opFirst, 4), "cublasLtMatmulDescSetAttribute")
    try lt.check(
      lt.cublasLtMatmulDescSetAttribute(description, 4, &opSecond, 4), "cublasLtMatmulDescSetAttribute")
    first = try Self.layout(
      rows: s.transposeB ? s.k : s.n, columns: s.transposeB ? s.n : s.k, ld: s.ldb, batch: s.batch,
      stride: s.strideB, lt: lt)
    second = try Self.layout(
      rows: s.transposeA ? s.m : s.k, columns: s.transposeA ? s.k : s.m, ld: s.lda, batch: s.batch,
      stride: s.strideA, lt: lt)
    result = try Self.layout(rows: s.n, columns: s.m, ld: s.ldc, batch: s.batch, stride: s.strideC, lt: lt)
  }

  private static func layout(rows: Int, columns: Int, ld: Int, batch: Int, stride: Int, lt: CuBLASLt) throws
    -> OpaquePointer?
  {
    var layout: OpaquePointer?
    try lt.check(
      lt.cublasLtMatrixLayoutCreate(
        &layout, 0, UInt64(max(rows, 1)), UInt64(max(columns, 1)), Int64(max(ld, 1))),
      "cublasLtMatrixLayoutCreate")
    if batch > 1 {
      var count = Int32(clamping: batch)
      var offset = Int64(stride)
      try lt.check(
        lt.cublasLtMatrixLayoutSetAttribute(layout, 5, &count, 4), "cublasLtMatrixLayoutSetAttribute")
      try lt.check(
        lt.cublasLtMatrixLayoutSetAttribute(layout, 6, &offset, 8), "cublasLtMatrixLayoutSetAttribute")
    }
    return layout
  }

  func destroy(_ lt: CuBLASLt) {
    _ = lt.cublasLtMatmulDescDestroy(description)
    for layout in [first, second, result] { _ = lt.cublasLtMatrixLayoutDestroy(layout) }
  }
}
