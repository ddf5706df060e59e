// What one forward pass keeps for its backward pass and for predictions: every sublayer's input, normalized
// input, projections and outputs, and the heads' gathered rows, predictions and losses. All tensors are views
// of the step's arena. Attention probabilities are kept per sublayer when they fit (`keepsAttention`);
// otherwise backward recomputes them into one shared buffer, trading one attention forward per sublayer for
// B*H*L*L floats per sublayer of memory.
import Tensor

struct AttentionSaved {
  let x: Tensor, n: Tensor, rstd: Tensor, q: Tensor, k: Tensor, v: Tensor, att: Tensor, y: Tensor
  /// This sublayer's own probabilities when they are kept; nil: backward recomputes them.
  let probs: Tensor?
}

struct FeedForwardSaved {
  let x: Tensor, n: Tensor, rstd: Tensor, u: Tensor, s: Tensor, y: Tensor
}

/// A head over gathered final rows: `gathered` [M, d], `output` (predictions, or contrastive queries), `loss` [1].
struct HeadSaved {
  let gathered: Tensor, output: Tensor, loss: Tensor
  /// Contrastive only: projected candidates [K, d] and probabilities [M, K].
  var projected: Tensor? = nil
  var probs: Tensor? = nil
}

struct ForwardState {
  var attentions: [[AttentionSaved]] = []
  var ffns: [FeedForwardSaved] = []
  var last: Tensor
  var final: Tensor
  var finalRstd: Tensor
  var regression: HeadSaved?
  var binary: HeadSaved?
  var contrastive: HeadSaved?
  /// Shared attention probabilities [B, H, L, L] and output scratch [N, d] for recomputation.
  let probs: Tensor
  let scratch: Tensor
}

/// Mean losses of one batch per kind (nil when the batch has no such cell) and their sum, the trained objective.
public struct LossBreakdown: Sendable, Equatable, Codable {
  public var regression: Float?
  public var binary: Float?
  public var contrastive: Float?
  public var regressionCount = 0
  public var binaryCount = 0
  public var contrastiveCount = 0

  public var total: Float { (regression ?? 0) + (binary ?? 0) + (contrastive ?? 0) }
}
