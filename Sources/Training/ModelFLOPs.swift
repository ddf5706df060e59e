// Model FLOPs of a training step of the relational transformer, for model FLOP utilisation (MFU = model FLOPs per
// step / step time / the device's peak dense FLOP/s), counted as PaLM's appendix B does: the matrix multiplications
// of the model (2 FLOPs per multiply-add), attention counted dense (every query against every key of its context,
// as the PyTorch reference computes it, whatever the relation masks hide), backward twice the forward. Norms,
// activations, softmax and the heads are left out (under 1% at RT size).
// Refuses: counting what an implementation recomputes (activation checkpointing does not raise model FLOPs).
import Model

public enum ModelFLOPs {
  /// Peak dense bf16 tensor-core FLOP/s of an H100 SXM (NVIDIA's datasheet, without sparsity).
  public static let h100SXMBF16 = 989e12

  /// Forward FLOPs for `batchSize` contexts.
  public static func forward(_ c: ModelConfig, batchSize: Int) -> Double {
    let n = Double(batchSize * c.contextLength)
    let (d, h, l) = (Double(c.width), Double(c.ffnWidth), Double(c.contextLength))
    let input = 2 * n * Double(c.featureWidth) * d
    // q, k, v, o projections, then scores q k^T and probabilities times v, per relation kind.
    let attention = 4 * (2 * n * d * d) + 2 * (2 * Double(batchSize) * l * l * d)
    // SwiGLU: w1 [2h, d] then w2 [d, h].
    let ffn = 2 * n * d * (2 * h) + 2 * n * h * d
    return input + Double(c.blocks) * (4 * attention + ffn)
  }

  /// Forward plus backward (twice the forward: gradients of inputs and of weights).
  public static func trainingStep(_ c: ModelConfig, batchSize: Int) -> Double {
    3 * forward(c, batchSize: batchSize)
  }

  /// Model FLOP utilisation of a step that took `seconds` on a device of `peak` FLOP/s.
  public static func utilisation(_ c: ModelConfig, batchSize: Int, seconds: Double, peak: Double) -> Double {
    trainingStep(c, batchSize: batchSize) / seconds / peak
  }
}
