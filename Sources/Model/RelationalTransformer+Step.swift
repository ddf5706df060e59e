// The public entry points: the loss (forward only), the loss and gradients (forward + backward, gradients zeroed
// first), and predictions for evaluation. Each resets the caller's arena at the start; tensors of a previous call
// must no longer be used.
import Tensor

/// Per-cell outputs of the heads, for evaluation and prediction (host arrays, in `LossTargets` order).
public struct HeadOutputs: Sendable {
  /// Regression cells: predicted z-scored values.
  public var regression: [Float] = []
  /// Binary cells: logits.
  public var binary: [Float] = []
  /// Contrastive cells: probabilities over the candidates, row-major [M, K].
  public var contrastive: [Float] = []
  public var candidateCount = 0

  public init() {}
}

extension RelationalTransformer {
  /// Forward pass only: the losses of `input`.
  public func loss(_ input: ModelInput, arena: Arena, backend: any Backend) throws -> LossBreakdown {
    arena.reset()
    let state = try forward(input, arena: arena, backend: backend)
    return try breakdown(state, input: input, backend: backend)
  }

  /// Forward and backward: the losses, with d(total)/d(parameter) in every `parameters[i].gradient`.
  /// `keepAttention`: keep every sublayer's attention probabilities (nil: when `keepsAttention(for:)`).
  public func lossAndGradients(
    _ input: ModelInput, arena: Arena, backend: any Backend, keepAttention: Bool? = nil
  ) throws -> LossBreakdown {
    arena.reset()
    try parameters.zeroGradients(on: backend)
    let keep = keepAttention ?? keepsAttention(for: input)
    let state = try forward(input, arena: arena, backend: backend, keepAttention: keep)
    try backward(input, state: state, arena: arena, backend: backend)
    return try breakdown(state, input: input, backend: backend)
  }

  /// The heads' outputs for every loss cell of `input`.
  public func predict(_ input: ModelInput, arena: Arena, backend: any Backend) throws -> HeadOutputs {
    arena.reset()
    let state = try forward(input, arena: arena, backend: backend)
    var out = HeadOutputs()
    if let r = state.regression { out.regression = try backend.copyOut(r.output) }
    if let b = state.binary { out.binary = try backend.copyOut(b.output) }
    if let c = state.contrastive, let probs = c.probs {
      out.contrastive = try backend.copyOut(probs)
      out.candidateCount = probs.shape[1]
    }
    return out
  }

  private func breakdown(_ state: ForwardState, input: ModelInput, backend: any Backend) throws
    -> LossBreakdown
  {
    func value(_ head: HeadSaved?) throws -> Float? {
      guard let head else { return nil }
      return try backend.copyOut(head.loss).first
    }
    var result = LossBreakdown()
    result.regression = try value(state.regression)
    result.binary = try value(state.binary)
    result.contrastive = try value(state.contrastive)
    result.regressionCount = input.targets.regressionCells.count
    result.binaryCount = input.targets.binaryCells.count
    result.contrastiveCount = input.targets.contrastiveCells.count
    return result
  }

  /// Bytes of every sublayer's attention probabilities for `input`.
  func attentionBytes(for input: ModelInput) -> Int {
    4 * config.blocks * input.batchSize * config.heads * input.contextLength * input.contextLength * 4
  }

  /// Whether a training step keeps attention probabilities (up to 2 GiB) instead of recomputing them.
  public func keepsAttention(for input: ModelInput) -> Bool { attentionBytes(for: input) <= 1 << 31 }

  /// Bytes of arena one step needs for `input` (forward + backward), with slack for alignment.
  public func arenaBytes(for input: ModelInput) -> Int {
    let (n, d, h) = (input.cellCount, config.width, config.ffnWidth)
    let perBlock = 4 * (7 * n * d + n) + (2 * n * d + n + 3 * n * h)
    let t = input.targets
    let m = t.regressionCells.count + t.binaryCells.count + t.contrastiveCells.count
    let k = t.candidateIds.count
    let heads = 4 * m * d + 4 * m + 2 * k * d + 2 * t.contrastiveCells.count * k
    let shared = input.batchSize * config.heads * input.contextLength * input.contextLength + 4 * n * d + n
    let backward = 9 * n * d + 3 * n * h
    let floats = config.blocks * perBlock + heads + shared + backward
    let tensors = config.blocks * 40 + 64
    let kept = keepsAttention(for: input) ? attentionBytes(for: input) : 0
    return floats * 4 + kept + tensors * 64 + (1 << 16)
  }
}
