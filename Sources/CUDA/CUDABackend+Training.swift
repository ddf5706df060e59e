// GPU pieces of a training step beyond the op set: the AdamW update and the global gradient norm on device
// buffers (the engine's `AdamW` and `GradientClipping` run on host memory), the fused bias + activation, and
// asynchronous copies from pinned host buffers (the sampler's path onto the device).
// Refuses: keeping optimizer state itself (the caller owns the moment tensors, as with `AdamW`).
import Foundation
import Tensor

extension CUDABackend {
  /// One AdamW step on one parameter, as `AdamW.update` (decoupled decay when `decays`); `step` is 1-based.
  public func adamWUpdate(
    value: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, config: AdamWConfig,
    learningRate: Float, step: Int, decays: Bool
  ) throws {
    let count = value.count
    guard [gradient.count, firstMoment.count, secondMoment.count].allSatisfy({ $0 == count }) else {
      throw TensorError.shapeMismatch(what: "adamWUpdate", expected: "\(value.shape)", found: gradient.shape)
    }
    let c1 = 1 - Float(Foundation.pow(Double(config.beta1), Double(step)))
    let c2 = 1 - Float(Foundation.pow(Double(config.beta2), Double(step)))
    try device.makeCurrent()
    try launch(
      "adamw_update", .elements(count),
      [
        .pointer(address(value)), .pointer(address(gradient)), .pointer(address(firstMoment)),
        .pointer(address(secondMoment)), .int64(count), .float(config.beta1), .float(config.beta2),
        .float(config.epsilon), .float(learningRate),
        .float(decays ? 1 - learningRate * config.weightDecay : 1),
        .float(c1), .float(c2),
      ])
  }

  /// The global L2 norm of `gradients`; when it exceeds `maxNorm`, scales them by maxNorm / (norm + 1e-6)
  /// (as `GradientClipping.clip`). Returns the norm before clipping. Waits for the stream (one 8-byte read).
  public func clipGradients(_ gradients: [Tensor], maxNorm: Float) throws -> Float {
    try device.makeCurrent()
    let total = try allocate(shape: [2], dtype: .f32)  // one double
    let raw = try withExtendedLifetime(total) { () -> [Float] in
      for g in gradients {
        try launch(
          "sum_squares", .elements(g.count),
          [.pointer(address(g)), .int64(g.count), .pointer(address(total))])
      }
      return try copyOut(total)
    }
    let bits = UInt64(raw[0].bitPattern) | UInt64(raw[1].bitPattern) << 32
    let norm = Float(Double(bitPattern: bits).squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return norm }
    for g in gradients {
      try launch(
        "scale_in_place", .elements(g.count), [.pointer(address(g)), .int64(g.count), .float(coefficient)])
    }
    return norm
  }

  /// out[N, C] = f(x + bias): one pass instead of an add and an activation.
  public func biasActivation(_ kind: Activation, x: Tensor, bias: Tensor, out: Tensor) throws {
    let (n, c) = x.rowsAndColumns
    guard bias.count == c, out.count == x.count else {
      throw TensorError.shapeMismatch(
        what: "biasActivation", expected: "bias [\(c)], out \(x.shape)", found: bias.shape)
    }
    try device.makeCurrent()
    try launch(
      "bias_activation_forward", .elements(x.count),
      [
        .int32(Self.activationCode(kind)), .pointer(address(x)), .pointer(address(bias)),
        .pointer(address(out)), .int64(n), .int64(c),
      ])
  }
}

extension CUDABackend {
  /// A pinned host buffer of `byteCount` bytes for this backend's device (fill it, then `copyInAsync`).
  public func pinnedBuffer(byteCount: Int) throws -> PinnedHostBuffer {
    try PinnedHostBuffer(byteCount: byteCount, device: device)
  }

  /// Queues a copy of the first bytes of `buffer` into dense `tensor` (same dtype layout) on the stream and returns
  /// at once: the sampler's next batch moves while the current step computes. Do not rewrite `buffer` before the
  /// next `synchronize()` or `copyOut`.
  public func copyInAsync(from buffer: PinnedHostBuffer, to tensor: Tensor) throws {
    guard tensor.isContiguous else { throw TensorError.notContiguous(what: "copyInAsync") }
    try buffer.copyAsync(bytes: tensor.count * tensor.dtype.byteSize, to: address(tensor, "copyInAsync"))
  }
}
