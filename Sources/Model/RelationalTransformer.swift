// The relational transformer's parameters: the cell-token projection, blocks of four relation attentions
// (column, feature, neighbour, full) and a SwiGLU feed-forward, each sublayer pre-norm RMSNorm with a residual,
// a final RMSNorm, and three heads (regression, binary, contrastive query) plus the candidate projection of
// vocabulary embeddings. Names are stable: they are the safetensors keys of a checkpoint and of the PyTorch
// reference (tools/rt_reference.py).
// Refuses: hidden parameter registration (every parameter is listed here, in one order).
import Tensor

/// One attention sublayer's weights.
struct AttentionWeights: Sendable {
  let norm: Parameter, wq: Parameter, wk: Parameter, wv: Parameter, wo: Parameter
}

/// One feed-forward sublayer's weights: w1 [2H, d] = [gate | up], w2 [d, H].
struct FeedForwardWeights: Sendable {
  let norm: Parameter, w1: Parameter, w2: Parameter
}

struct BlockWeights: Sendable {
  let attentions: [AttentionWeights]
  let ffn: FeedForwardWeights
}

public final class RelationalTransformer: Sendable {
  public let config: ModelConfig
  public let parameters: [Parameter]
  let input: (weight: Parameter, bias: Parameter)
  let blocks: [BlockWeights]
  let finalNorm: Parameter
  let regression: (weight: Parameter, bias: Parameter)
  let binary: (weight: Parameter, bias: Parameter)
  let query: Parameter
  let candidate: Parameter

  public init(config: ModelConfig, seed: UInt64, on backend: some Backend) throws {
    try config.validate()
    self.config = config
    var rng = SplitMix64(seed: seed)
    var all: [Parameter] = []
    func make(_ name: String, _ shape: [Int], _ initializer: Initializer, decays: Bool) throws -> Parameter {
      let p = try Parameter(
        name: name, shape: shape, initializer: initializer, decays: decays, on: backend, rng: &rng)
      all.append(p)
      return p
    }
    let (d, h, f, e) = (config.width, config.ffnWidth, config.featureWidth, config.embeddingWidth)
    let std: Float = 0.02
    let residualStd = std / Float(2 * config.blocks * 5).squareRoot()
    input = (
      try make("input.weight", [d, f], .normal(std: std), decays: true),
      try make("input.bias", [d], .zeros, decays: false)
    )
    var blocks: [BlockWeights] = []
    for b in 0..<config.blocks {
      var attentions: [AttentionWeights] = []
      for kind in RelationKind.allCases {
        let prefix = "blocks.\(b).\(kind).attention"
        attentions.append(
          AttentionWeights(
            norm: try make("\(prefix).norm", [d], .ones, decays: false),
            wq: try make("\(prefix).wq", [d, d], .normal(std: std), decays: true),
            wk: try make("\(prefix).wk", [d, d], .normal(std: std), decays: true),
            wv: try make("\(prefix).wv", [d, d], .normal(std: std), decays: true),
            wo: try make("\(prefix).wo", [d, d], .normal(std: residualStd), decays: true)))
      }
      let ffn = FeedForwardWeights(
        norm: try make("blocks.\(b).ffn.norm", [d], .ones, decays: false),
        w1: try make("blocks.\(b).ffn.w1", [2 * h, d], .normal(std: std), decays: true),
        w2: try make("blocks.\(b).ffn.w2", [d, h], .normal(std: residualStd), decays: true))
      blocks.append(BlockWeights(attentions: attentions, ffn: ffn))
    }
    self.blocks = blocks
    finalNorm = try make("final_norm", [d], .ones, decays: false)
    regression = (
      try make("head.regression.weight", [1, d], .normal(std: std), decays: true),
      try make("head.regression.bias", [1], .zeros, decays: false)
    )
    binary = (
      try make("head.binary.weight", [1, d], .normal(std: std), decays: true),
      try make("head.binary.bias", [1], .zeros, decays: false)
    )
    query = try make("head.contrastive.query", [d, d], .normal(std: std), decays: true)
    candidate = try make("head.contrastive.candidate", [d, e], .normal(std: std), decays: true)
    parameters = all
  }

  public var parameterCount: Int { parameters.scalarCount }
}
