// The CPU backend: host memory, OpenBLAS for GEMMs, the worker pool for row/elementwise kernels.
// This file holds the memory verbs; `CPUBackend+Run.swift` dispatches op calls to the kernels.
// Refuses: device memory (throws `notHostMemory`), and changing thread counts behind the caller's back.
import CBLAS
import Logging

/// Runs ops on the host with `threads` workers (BLAS and the engine's own kernels).
public struct CPUBackend: Backend {
  public let pool: WorkerPool
  /// Per-op wall time, when given.
  public let profile: OpProfile?
  /// Whether sparse attention masks take the gather kernels (false: always the dense GEMM path, for comparison).
  public let sparseAttention: Bool
  public var name: String { "cpu" }
  public var apiVersion: Int { tensorBackendAPIVersion }

  /// `threads` workers for the engine's kernels, and the same for OpenBLAS. OpenBLAS keeps one
  /// process-wide setting: the most recently created CPU backend decides it.
  public init(threads: Int, profile: OpProfile? = nil, sparseAttention: Bool = true) {
    pool = WorkerPool(workers: threads)
    self.profile = profile
    self.sparseAttention = sparseAttention
    // Reconfiguring OpenBLAS's pool is not free (and races a GEMM running elsewhere): only on change.
    let blasThreads = Int32(clamping: max(1, threads))
    if openblas_get_num_threads() != blasThreads { openblas_set_num_threads(blasThreads) }
    Logger(label: "tributary.tensor").debug("cpu backend", metadata: ["threads": "\(pool.workers)"])
  }

  public func allocate(shape: [Int], dtype: DType) throws -> Tensor {
    let bytes = try denseByteCount(shape: shape, dtype: dtype)
    return Tensor(storage: Storage(hostByteCount: bytes), dtype: dtype, shape: shape)
  }

  public func copyIn(_ values: [Float], to tensor: Tensor) throws {
    try NullBackend.checkCount(values.count, tensor)
    switch tensor.dtype {
    case .f32:
      try tensor.withUnsafeMutableFloats(what: "copyIn") { dst in
        values.withUnsafeBufferPointer { src in
          for i in src.indices { dst[i] = src[i] }
        }
      }
    case .f16, .bf16:
      try tensor.withUnsafeMutableHalfBits(what: "copyIn") { dst in
        for i in values.indices {
          dst[i] =
            tensor.dtype == .f16 ? HalfPrecision.f32ToF16(values[i]) : HalfPrecision.f32ToBF16(values[i])
        }
      }
    case .i32:
      throw TensorError.dtypeMismatch(what: "copyIn of floats", expected: .f32, found: .i32)
    }
  }

  public func copyIn(_ values: [Int32], to tensor: Tensor) throws {
    try NullBackend.checkCount(values.count, tensor)
    try tensor.withUnsafeMutableInt32s(what: "copyIn") { dst in
      for i in values.indices { dst[i] = values[i] }
    }
  }

  public func copyOut(_ tensor: Tensor) throws -> [Float] {
    let out = try allocate(shape: tensor.shape, dtype: .f32)
    try copy(tensor, into: out)
    return try out.withUnsafeFloats { Array($0) }
  }

  public func copy(_ source: Tensor, into destination: Tensor) throws {
    guard source.shape == destination.shape else {
      throw TensorError.shapeMismatch(what: "copy", expected: "\(source.shape)", found: destination.shape)
    }
    guard source.dtype != .i32, destination.dtype == .f32 || destination.dtype == source.dtype else {
      throw TensorError.dtypeMismatch(what: "copy", expected: source.dtype, found: destination.dtype)
    }
    guard source.isInBounds else {
      throw TensorError.invalidArgument(what: "copy", detail: "source view runs past its storage")
    }
    if source.isContiguous, source.dtype != .i32, destination.dtype == .f32 {
      try copyDense(source, into: destination)
      return
    }
    let converted = try StridedReader.read(source)
    if destination.dtype == .f32 {
      try destination.withUnsafeMutableFloats(what: "copy") { dst in
        for i in converted.indices { dst[i] = converted[i] }
      }
    } else {
      try copyIn(converted, to: destination)
    }
  }

  /// Dense float source into dense f32 destination: a memcpy or one conversion pass.
  private func copyDense(_ source: Tensor, into destination: Tensor) throws {
    try destination.withUnsafeMutableFloats(what: "copy") { dst in
      guard let out = dst.baseAddress else { return }
      switch source.dtype {
      case .f32:
        try source.withUnsafeFloats(what: "copy") { src in
          if let from = src.baseAddress, from != UnsafePointer(out) {
            out.update(from: from, count: src.count)
          }
        }
      case .f16, .bf16:
        try source.withUnsafeMutableHalfBits(what: "copy") { src in
          guard let from = src.baseAddress else { return }
          if source.dtype == .f16 {
            HalfPrecision.f16ToF32(from, out, count: src.count)
          } else {
            HalfPrecision.bf16ToF32(from, out, count: src.count)
          }
        }
      case .i32:
        throw TensorError.dtypeMismatch(what: "copy", expected: .f32, found: .i32)
      }
    }
  }

  public func zero(_ tensor: Tensor) throws {
    guard tensor.isContiguous else { throw TensorError.notContiguous(what: "zero") }
    try tensor.storage.withUnsafeMutableBytes(what: "zero") { bytes in
      let start = tensor.byteOffset
      let end = start + tensor.count * tensor.dtype.byteSize
      guard end <= bytes.count else {
        throw TensorError.invalidArgument(what: "zero", detail: "view runs past its storage")
      }
      UnsafeMutableRawBufferPointer(rebasing: bytes[start..<end]).initializeMemory(
        as: UInt8.self, repeating: 0)
    }
  }

  public func supports(_ op: Op) -> Bool { true }
}

/// Reads any float view (strides, f16/bf16) into a row-major f32 array.
enum StridedReader {
  static func read(_ t: Tensor) throws -> [Float] {
    try t.storage.withUnsafeMutableBytes(what: "read") { bytes in
      guard let base = bytes.baseAddress else { throw TensorError.notHostMemory(what: "read") }
      var out = [Float](repeating: 0, count: t.count)
      var index = [Int](repeating: 0, count: t.rank)
      for flat in 0..<t.count {
        var element = t.offset
        for axis in 0..<t.rank { element += index[axis] * t.strides[axis] }
        switch t.dtype {
        case .f32: out[flat] = base.load(fromByteOffset: element * 4, as: Float.self)
        case .f16: out[flat] = HalfPrecision.f16ToF32(base.load(fromByteOffset: element * 2, as: UInt16.self))
        case .bf16:
          out[flat] = HalfPrecision.bf16ToF32(base.load(fromByteOffset: element * 2, as: UInt16.self))
        case .i32: out[flat] = Float(base.load(fromByteOffset: element * 4, as: Int32.self))
        }
        var axis = t.rank - 1
        while axis >= 0 {
          index[axis] += 1
          if index[axis] < t.shape[axis] { break }
          index[axis] = 0
          axis -= 1
        }
      }
      return out
    }
  }
}
