// BERT forward pass for inference on the tensor engine: token ids in, mean-pooled L2-normalised sentence
// vectors out. A batch is padded to its longest sequence ([B, T] ids, pad id 0) with a key-padding mask, so
// padded tokens are invisible to attention and to the mean.
//   embeddings: word[id] + (position[t] + tokenType[0]), LayerNorm
//   per layer (post-LN): x = LN(x + Wo·attention(Wq x, Wk x, Wv x)); x = LN(x + W2·gelu_erf(W1 x))
//   pooling: mean over each sequence's real tokens, then L2 normalisation
// Every op writes into buffers of a per-worker `BertScratch`, reused across batches (no allocation per op), on the
// worker's backend (the CPU, or a GPU: ids and the padding mask are copied in, the vectors copied out).
// Refuses: sequences longer than the position table or ids outside the vocabulary (the engine checks ids).
import Foundation
import Tensor

struct BertEncoder: Sendable {
  let weights: BertWeights

  var hidden: Int { weights.configuration.hiddenSize }

  /// `sequences.count` x hidden Floats, row i for sequence i.
  func embed(_ sequences: [[Int32]], backend: any Backend, scratch: BertScratch) throws -> [Float] {
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
    let pooled = try scratch.tensor(.pooled, [batch, c.hiddenSize])
    let normalized = try scratch.tensor(.normalized, [batch, c.hiddenSize])
    try backend.run(.meanPoolForward(x: x.reshaped([batch, tokens, c.hiddenSize]), keep: keep, out: pooled))
    try backend.run(
      .l2NormalizeForward(
        x: pooled, out: normalized, norm: try scratch.tensor(.norm, [batch]), epsilon: 1e-12))
    return try backend.copyOut(normalized)
  }

  /// LN(word[id] + position/type[t]) as [B*T, C], in the scratch's `x`.
  private func embedTokens(_ sequences: [[Int32]], tokens: Int, backend: any Backend, scratch: BertScratch)
    throws
    -> Tensor
  {
    let c = weights.configuration
    let batch = sequences.count
    let ids = try scratch.tensor(.ids, [batch * tokens], dtype: .i32)
    var padded = [Int32](repeating: 0, count: batch * tokens)
    for (row, sequence) in sequences.enumerated() {
      for (position, id) in sequence.enumerated() { padded[row * tokens + position] = id }
    }
    try backend.copyIn(padded, to: ids)
    let words = try scratch.tensor(.y, [batch, tokens, c.hiddenSize])
    let summed = try scratch.tensor(.attended, [batch, tokens, c.hiddenSize])
    try backend.run(
      .embeddingForward(
        ids: ids, table: weights.wordEmbeddings, out: words.reshaped([batch * tokens, c.hiddenSize])))
    try backend.run(
      .addForward(a: words, b: weights.positionAndType.slice(axis: 0, 0..<tokens), out: summed))
    let x = try scratch.tensor(.x, [batch * tokens, c.hiddenSize])
    try layerNorm(
      weights.embeddingNorm, summed.reshaped([batch * tokens, c.hiddenSize]), into: x, backend, scratch)
    return x
  }

  /// One post-LN transformer layer; returns the new x (alternating between the scratch's x and y buffers).
  private func forward(
    _ layer: BertLayerWeights, x: Tensor, batch: Int, tokens: Int, keep: Tensor, backend: any Backend,
    scratch: BertScratch
  ) throws -> Tensor {
    let c = weights.configuration
    let rows = batch * tokens
    let shape3 = [batch, tokens, c.hiddenSize]
    let q = try scratch.tensor(.q, [rows, c.hiddenSize])
    let k = try scratch.tensor(.k, [rows, c.hiddenSize])
    let v = try scratch.tensor(.v, [rows, c.hiddenSize])
    let context = try scratch.tensor(.context, [rows, c.hiddenSize])
    let attended = try scratch.tensor(.attended, [rows, c.hiddenSize])
    let next = try scratch.tensor(x.storage === scratch.storage(.x) ? .y : .x, [rows, c.hiddenSize])
    try linear(layer.query, x, into: q, backend)
    try linear(layer.key, x, into: k, backend)
    try linear(layer.value, x, into: v, backend)
    try backend.run(
      .attentionForward(
        q: q.reshaped(shape3), k: k.reshaped(shape3), v: v.reshaped(shape3), mask: .keyPadding(keep),
        heads: c.heads, out: context.reshaped(shape3),
        probs: try scratch.tensor(.probabilities, [batch, c.heads, tokens, tokens])))
    try linear(layer.attentionOutput, context, into: attended, backend)
    try backend.run(.addForward(a: attended, b: x, out: q))
    try layerNorm(layer.attentionNorm, q, into: next, backend, scratch)
    let intermediate = try scratch.tensor(.intermediate, [rows, c.intermediateSize])
    try linear(layer.intermediate, next, into: intermediate, backend)
    try backend.run(.activationForward(.geluErf, x: intermediate, out: intermediate))
    try linear(layer.output, intermediate, into: attended, backend)
    try backend.run(.addForward(a: attended, b: next, out: q))
    try layerNorm(layer.outputNorm, q, into: next, backend, scratch)
    return next
  }

  private func linear(_ weights: LinearWeights, _ x: Tensor, into out: Tensor, _ backend: any Backend) throws
  {
    try backend.run(.linearForward(x: x, weight: weights.weight, bias: weights.bias, out: out))
  }

  private func layerNorm(
    _ norm: LayerNormWeights, _ x: Tensor, into out: Tensor, _ backend: any Backend, _ scratch: BertScratch
  ) throws {
    let rows = x.rowsAndColumns.rows
    try backend.run(
      .layerNormForward(
        x: x, weight: norm.gamma, bias: norm.beta, out: out, mean: try scratch.tensor(.mean, [rows]),
        rstd: try scratch.tensor(.rstd, [rows]), epsilon: weights.configuration.layerNormEpsilon))
  }
}

/// Activation buffers of one worker on its backend, reused across batches and grown when a batch needs more.
/// Owned by one task at a time.
final class BertScratch {
  enum Slot: Int, CaseIterable {
    case ids, keep, x, y, q, k, v, context, attended, intermediate, probabilities, mean, rstd, pooled,
      normalized, norm
  }

  let backend: any Backend
  private var storages: [Storage?]

  init(backend: any Backend) {
    self.backend = backend
    storages = Slot.allCases.map { _ in nil }
  }

  func storage(_ slot: Slot) -> Storage? { storages[slot.rawValue] }

  /// A dense tensor of `shape` over the slot's storage (its contents are whatever the last batch left).
  func tensor(_ slot: Slot, _ shape: [Int], dtype: DType = .f32) throws -> Tensor {
    let bytes = try denseByteCount(shape: shape, dtype: dtype)
    let current = storages[slot.rawValue]?.byteCount ?? 0
    if current < bytes {
      // Batches arrive sorted by length, so needs grow steadily: double to reallocate only a few times.
      let words = (max(bytes, 2 * current) + 3) / 4
      storages[slot.rawValue] = try backend.allocate(shape: [words], dtype: .f32).storage
    }
    guard let storage = storages[slot.rawValue] else {
      throw TensorError.invalidArgument(what: "BERT scratch", detail: "no storage for \(slot)")
    }
    return Tensor(storage: storage, dtype: dtype, shape: shape)
  }

  /// keep[B, T]: 1 for real tokens, 0 for padding.
  func keep(_ sequences: [[Int32]], tokens: Int) throws -> Tensor {
    let keep = try tensor(.keep, [sequences.count, tokens])
    var values = [Float](repeating: 0, count: sequences.count * tokens)
    for (row, sequence) in sequences.enumerated() {
      for position in 0..<sequence.count { values[row * tokens + position] = 1 }
    }
    try backend.copyIn(values, to: keep)
    return keep
  }
}
