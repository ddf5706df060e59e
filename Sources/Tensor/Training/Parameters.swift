// Trainable parameters: a named value tensor with its gradient of the same shape, created on a backend
// with an explicit generator, and the workspace arena that activations are carved from each step.
// Refuses: hidden registration (a model lists its parameters itself) and a global generator.

/// How a parameter starts.
public enum Initializer: Sendable {
  case zeros
  case ones
  /// Normal with mean 0 and this standard deviation.
  case normal(std: Float)
}

/// One trainable tensor, its gradient, and whether AdamW decays it (not for norms and biases).
public struct Parameter: Sendable {
  public let name: String
  public let value: Tensor
  public let gradient: Tensor
  public let decays: Bool

  /// Allocates value and gradient on `backend`; the value drawn from `rng` per `initializer`.
  public init(
    name: String, shape: [Int], initializer: Initializer, decays: Bool, on backend: some Backend,
    rng: inout SplitMix64
  ) throws {
    self.name = name
    self.decays = decays
    value = try backend.allocate(shape: shape, dtype: .f32)
    gradient = try backend.allocate(shape: shape, dtype: .f32)
    let count = value.count
    switch initializer {
    case .zeros: break
    case .ones: try backend.copyIn([Float](repeating: 1, count: count), to: value)
    case .normal(let std):
      var values = [Float](repeating: 0, count: count)
      for i in 0..<count { values[i] = rng.nextNormal() * std }
      try backend.copyIn(values, to: value)
    }
  }
}

extension Array where Element == Parameter {
  /// Zeroes every gradient (backward passes accumulate).
  public func zeroGradients(on backend: some Backend) throws {
    for parameter in self { try backend.zero(parameter.gradient) }
  }

  /// Total number of scalars.
  public var scalarCount: Int { reduce(0) { $0 + $1.value.count } }
}

/// A workspace reused across steps: tensors are bump-allocated views of one storage and `reset()`
/// frees them all at once, so a training step allocates nothing after the first.
public final class Arena: @unchecked Sendable {
  // @unchecked: `used` is mutated by the single thread that owns the step; the arena is not shared.
  private let backing: Tensor
  private var used = 0
  /// The most bytes ever in use (size the arena from it after a first step).
  public private(set) var highWater = 0

  /// An arena of `byteCount` bytes on `backend`.
  public init(byteCount: Int, on backend: some Backend) throws {
    backing = try backend.allocate(shape: [(byteCount + 3) / 4], dtype: .f32)
  }

  public var capacity: Int { backing.count * 4 }

  /// A dense tensor in the arena, 64-byte aligned. Its contents are whatever the last step left;
  /// zero it through the backend when an op accumulates into it.
  public func tensor(_ shape: [Int], dtype: DType = .f32) throws -> Tensor {
    let bytes = shape.reduce(1, *) * dtype.byteSize
    let start = (used + 63) / 64 * 64
    guard start + bytes <= capacity else {
      throw TensorError.invalidArgument(
        what: "arena", detail: "needs \(start + bytes) bytes, has \(capacity) ---> HINT: grow the arena")
    }
    used = start + bytes
    highWater = max(highWater, used)
    return Tensor(storage: backing.storage, dtype: dtype, shape: shape, offset: start / dtype.byteSize)
  }

  /// Frees every tensor handed out since the last reset (their views must no longer be used).
  public func reset() { used = 0 }
}
