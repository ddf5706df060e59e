// BERT forward pass for inference on the tensor engine: token ids in, mean-pooled L2-normalised sentence
// vectors out. A batch is padded to its longest sequence ([B, T] ids, pad id 0) with a key-padding mask, so
// padded tokens are invisible to attention and to the mean.
//   embeddings: word[id] + (position[t] + tokenType[0]), LayerNorm
//   per layer (post-LN): x = LN(x + Wo·attention(Wq x, Wk x, Wv x)); x = LN(x + W2·gelu_erf(W1 x))
//   pooling: mean over each sequence's real tokens, then L2 normalisation
// Every op writes into buffers of a per-worker `BertScratch`, reused across batches (no allocation per op).
// Refuses: sequences longer than the position table or ids outside the vocabulary (the engine checks ids).
import Foundation
import Tensor

struct BertEncoder: Sendable {
  let weights: BertWeights

  var hidden: Int { weights.configuration.hiddenSize }

  /// `sequences.count` x hidden Floats, row i for sequence i.
  func embed(_ sequences: [[Int32]], backend: CPUBackend, scratch: BertScratch) throws -> [Float] {
    let c = weights.configuration
    let batch = sequences.count
    let tokens = sequences.map(\.count).max() ?? 0
    guard batch > 0, tokens > 0 else { return [Float](repeating: 0, count: batch * c.hiddenSize) }
    guard tokens <= c.maxPositions else {
      throw TensorError.invalidArgument(
        what: "BERT input", detail: "\(tokens) tokens, at most \(c.maxPositions)")
    }
    let keep = try scratch.keep(sequences, tokens: tokens)
    var x = try embedTokens(sequences, tokens: tokens, backend: backend, scratch: scratch)
    for layer in weights.layers {
      x = try forward(
        layer, x: x, batch: batch, tokens: tokens, keep: keep, backend: backend, scratch: scratch)
    }
    let pooled = scratch.tensor(.pooled, [batch, c.hiddenSize])
    let normalized = scratch.tensor(.normalized, [batch, c.hiddenSize])
    try backend.run(.meanPoolForward(x: x.reshaped([batch, tokens, c.hiddenSize]), keep: keep, out: pooled))
    try backend.run(
      .l2NormalizeForward(x: pooled, out: normalized, norm: scratch.tensor(.norm, [batch]), epsilon: 1e-12))
    return try normalized.withUnsafeFloats { Array($0) }
  }

  /// LN(word[id] + position/type[t]) as [B*T, C], in the scratch's `x`.
  private func embedTokens(_ sequences: [[Int32]], tokens: Int, backend: CPUBackend, scratch: BertScratch)
    throws
    -> Tensor
  {
    let c = weights.configuration
    let batch = sequences.count
    let ids = scratch.tensor(.ids, [batch * tokens], dtype: .i32)
    try ids.withUnsafeMutableInt32s { buffer in
      buffer.update(repeating: 0)
      for (row, sequence) in sequences.enumerated() {
        for (position, id) in sequence.enumerated() { buffer[row * tokens + position] = id }
      }
    }
    let words = scratch.tensor(.y, [batch, tokens, c.hiddenSize])
    let summed = scratch.tensor(.attended, [batch, tokens, c.hiddenSize])
    try backend.run(
      .embeddingForward(
        ids: ids, table: weights.wordEmbeddings, out: words.reshaped([batch * tokens, c.hiddenSize])))
    try backend.run(
      .addForward(a: words, b: weights.positionAndType.slice(axis: 0, 0..<tokens), out: summed))
    let x = scratch.tensor(.x, [batch * tokens, c.hiddenSize])
    try layerNorm(
      weights.embeddingNorm, summed.reshaped([batch * tokens, c.hiddenSize]), into: x, backend, scratch)
    return x
  }

  /// One post-LN transformer layer; returns the new x (alternating between the scratch's x and y buffers).
  private func forward(
    _ layer: BertLayerWeights, x: Tensor, batch: Int, tokens: Int, keep: Tensor, backend: CPUBackend,
    scratch: BertScratch
  ) throws -> Tensor {
    let c = weights.configuration
    let rows = batch * tokens
    let shape3 = [batch, tokens, c.hiddenSize]
    let q = scratch.tensor(.q, [rows, c.hiddenSize])
    let k = scratch.tensor(.k, [rows, c.hiddenSize])
    let v = scratch.tensor(.v, [rows, c.hiddenSize])
    let context = scratch.tensor(.context, [rows, c.hiddenSize])
    let attended = scratch.tensor(.attended, [rows, c.hiddenSize])
    let next = scratch.tensor(x.storage === scratch.storage(.x) ? .y : .x, [rows, c.hiddenSize])
    try linear(layer.query, x, into: q, backend)
    try linear(layer.key, x, into: k, backend)
    try linear(layer.value, x, into: v, backend)
    try backend.run(
      .attentionForward(
        q: q.reshaped(shape3), k: k.reshaped(shape3), v: v.reshaped(shape3), mask: .keyPadding(keep),
        heads: c.heads, out: context.reshaped(shape3),
        probs: scratch.tensor(.probabilities, [batch, c.heads, tokens, tokens])))
    try linear(layer.attentionOutput, context, into: attended, backend)
    try backend.run(.addForward(a: attended, b: x, out: q))
    try layerNorm(layer.attentionNorm, q, into: next, backend, scratch)
    let intermediate = scratch.tensor(.intermediate, [rows, c.intermediateSize])
    try linear(layer.intermediate, next, into: intermediate, backend)
    try backend.run(.activationForward(.geluErf, x: intermediate, out: intermediate))
    try linear(layer.output, intermediate, into: attended, backend)
    try backend.run(.addForward(a: attended, b: next, out: q))
    try layerNorm(layer.outputNorm, q, into: next, backend, scratch)
    return next
  }

  private func linear(_ weights: LinearWeights, _ x: Tensor, into out: Tensor, _ backend: CPUBackend) throws {
    try backend.run(.linearForward(x: x, weight: weights.weight, bias: weights.bias, out: out))
  }

  private func layerNorm(
    _ norm: LayerNormWeights, _ x: Tensor, into out: Tensor, _ backend: CPUBackend, _ scratch: BertScratch
  ) throws {
    let rows = x.rowsAndColumns.rows
    try backend.run(
      .layerNormForward(
        x: x, weight: norm.gamma, bias: norm.beta, out: out, mean: scratch.tensor(.mean, [rows]),
        rstd: scratch.tensor(.rstd, [rows]), epsilon: weights.configuration.layerNormEpsilon))
  }
}

/// Activation buffers of one worker, reused across batches and grown when a batch needs more.
/// Owned by one task at a time.
final class BertScratch {
  enum Slot: Int, CaseIterable {
    case ids, keep, x, y, q, k, v, context, attended, intermediate, probabilities, mean, rstd, pooled,
      normalized, norm
  }

  private var storages: [Storage]

  init() {
    storages = Slot.allCases.map { _ in Storage(hostByteCount: 0) }
  }

  func storage(_ slot: Slot) -> Storage { storages[slot.rawValue] }

  /// A dense tensor of `shape` over the slot's storage (its contents are whatever the last batch left).
  func tensor(_ slot: Slot, _ shape: [Int], dtype: DType = .f32) -> Tensor {
    let bytes = shape.reduce(1, *) * dtype.byteSize
    if storages[slot.rawValue].byteCount < bytes {
      // Batches arrive sorted by length, so needs grow steadily: double to reallocate only a few times.
      storages[slot.rawValue] = Storage(hostByteCount: max(bytes, 2 * storages[slot.rawValue].byteCount))
    }
    return Tensor(storage: storages[slot.rawValue], dtype: dtype, shape: shape)
  }

  /// keep[B, T]: 1 for real tokens, 0 for padding.
  func keep(_ sequences: [[Int32]], tokens: Int) throws -> Tensor {
    let keep = tensor(.keep, [sequences.count, tokens])
    try keep.withUnsafeMutableFloats { buffer in
      buffer.update(repeating: 0)
      for (row, sequence) in sequences.enumerated() {
        for position in 0..<sequence.count { buffer[row * tokens + position] = 1 }
      }
    }
    return keep
  }
}
