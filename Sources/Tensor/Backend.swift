// The backend boundary: a few verbs (allocate, copy in/out, copy between layouts, zero, run an op,
// supports, and the two optimizer verbs a training step needs beyond the op set: the AdamW update and
// global-norm gradient clipping) that the CPU, the null backend and the CUDA backend implement. Backends are passed
// explicitly; there is no default or shared instance.
// Refuses: op-specific entry points (every op goes through `run(_:)` and `OpCall`).

/// The version a backend plugin (the CUDA library loaded with dlopen) must report to be accepted.
/// 2: the optimizer verbs (`adamWUpdate`, `clipGradients`) joined the protocol.
public let tensorBackendAPIVersion = 2

/// A place where tensors live and ops run.
public protocol Backend: Sendable {
  /// A short name for logs and errors ("cpu", "null", "cuda:0").
  var name: String { get }
  /// `tensorBackendAPIVersion` of the code the backend was built against.
  var apiVersion: Int { get }
  /// A zero-filled dense tensor.
  func allocate(shape: [Int], dtype: DType) throws -> Tensor
  /// Writes `values` (converted to the tensor's float dtype) into a dense tensor.
  func copyIn(_ values: [Float], to tensor: Tensor) throws
  /// Writes i32 `values` into a dense i32 tensor.
  func copyIn(_ values: [Int32], to tensor: Tensor) throws
  /// Reads the elements of a float tensor (any layout and float dtype) as f32, row-major.
  func copyOut(_ tensor: Tensor) throws -> [Float]
  /// Copies `source` (any strides, any float dtype) into dense `destination` of the same shape,
  /// converting dtypes: the way to make a view contiguous or to widen f16/bf16 weights to f32.
  func copy(_ source: Tensor, into destination: Tensor) throws
  /// Sets every element of a dense tensor to zero (gradients before a step).
  func zero(_ tensor: Tensor) throws
  /// Whether `run` implements `op`.
  func supports(_ op: Op) -> Bool
  /// Validates and runs one op call.
  func run(_ call: OpCall) throws
  /// One AdamW step on one parameter (as torch.optim.AdamW; decoupled decay when `decays`); `step` is
  /// 1-based. A default runs on host copies (`AdamW+Backend.swift`); CPU and CUDA update in place.
  func adamWUpdate(
    value: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, config: AdamWConfig,
    learningRate: Float, step: Int, decays: Bool) throws
  /// The global L2 norm of `gradients`; when it exceeds `maxNorm`, scales them by maxNorm / (norm + 1e-6)
  /// (as torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
  func clipGradients(_ gradients: [Tensor], maxNorm: Float) throws -> Float
}

extension Backend {
  /// A dense f32 (or f16/bf16) tensor holding `values`.
  public func tensor(_ values: [Float], shape: [Int], dtype: DType = .f32) throws -> Tensor {
    let t = try allocate(shape: shape, dtype: dtype)
    try copyIn(values, to: t)
    return t
  }

  /// A dense i32 tensor holding `values` (token ids, class targets).
  public func tensor(ids values: [Int32], shape: [Int]) throws -> Tensor {
    let t = try allocate(shape: shape, dtype: .i32)
    try copyIn(values, to: t)
    return t
  }

  /// A zero-filled f32 tensor.
  public func zeros(_ shape: [Int]) throws -> Tensor {
    try allocate(shape: shape, dtype: .f32)
  }

  /// `t` itself when it is dense f32, else a dense f32 copy.
  public func contiguous(_ t: Tensor) throws -> Tensor {
    if t.isContiguous, t.dtype == .f32 { return t }
    let out = try allocate(shape: t.shape, dtype: .f32)
    try copy(t, into: out)
    return out
  }
}

/// Bytes of a dense tensor of `shape`, or a typed error for negative dimensions and overflow.
public func denseByteCount(shape: [Int], dtype: DType) throws -> Int {
  var total = dtype.byteSize
  for dimension in shape {
    guard dimension >= 0 else {
      throw TensorError.invalidArgument(what: "allocate", detail: "negative dimension in \(shape)")
    }
    let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
    guard !overflow else {
      throw TensorError.invalidArgument(what: "allocate", detail: "\(shape) is too big")
    }
    total = product
  }
  return total
}

/// A backend that tracks shapes only: allocations hold no memory, `run` validates shapes and does
/// nothing. For tests of scheduling and shape logic on any machine.
public struct NullBackend: Backend {
  public init() {}
  public var name: String { "null" }
  public var apiVersion: Int { tensorBackendAPIVersion }

  public func allocate(shape: [Int], dtype: DType) throws -> Tensor {
    let storage = Storage(byteCount: try denseByteCount(shape: shape, dtype: dtype), location: .none)
    return Tensor(storage: storage, dtype: dtype, shape: shape)
  }

  public func copyIn(_ values: [Float], to tensor: Tensor) throws {
    try Self.checkCount(values.count, tensor)
  }

  public func copyIn(_ values: [Int32], to tensor: Tensor) throws {
    try Self.checkCount(values.count, tensor)
  }

  /// Zeros of the right count: there is no data to read.
  public func copyOut(_ tensor: Tensor) throws -> [Float] {
    [Float](repeating: 0, count: tensor.count)
  }

  public func copy(_ source: Tensor, into destination: Tensor) throws {
    guard source.shape == destination.shape else {
      throw TensorError.shapeMismatch(what: "copy", expected: "\(source.shape)", found: destination.shape)
    }
  }

  public func zero(_ tensor: Tensor) throws {}
  public func supports(_ op: Op) -> Bool { true }
  public func run(_ call: OpCall) throws { try call.validate() }

  static func checkCount(_ count: Int, _ tensor: Tensor) throws {
    guard count == tensor.count else {
      throw TensorError.shapeMismatch(
        what: "copyIn of \(count) values", expected: "\(count) elements", found: tensor.shape)
    }
  }
}
