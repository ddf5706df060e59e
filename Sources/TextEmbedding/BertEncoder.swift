// BERT forward pass for inference: token ids in, mean-pooled L2-normalised sentence vectors out.
// A batch is packed, not padded: the tokens of all its sequences are rows of one [R, hidden] matrix (R = total
// tokens), so the linear layers run once per batch with no padding rows, and attention runs per sequence over
// its own rows. That equals padding to the longest sequence with a key mask, without the wasted rows.
//   embeddings: word[id] + position[t] + tokenType[0], LayerNorm
//   per layer (post-LN): x = LN(x + Wo·attention(Wq x, Wk x, Wv x)); x = LN(x + W2·gelu(W1 x))
//   pooling: mean over each sequence's tokens, then L2 normalisation
// Refuses: sequences longer than the position table or ids outside the vocabulary (checked by the caller).
import CBLAS
import Foundation

struct BertEncoder: Sendable {
  let weights: BertWeights

  var hidden: Int { weights.configuration.hiddenSize }

  /// Writes `sequences.count` x hidden vectors to `out`, row i for sequence i.
  func embed(_ sequences: [[Int32]], into out: UnsafeMutablePointer<Float>) {
    let c = weights.configuration
    let rows = sequences.reduce(0) { $0 + $1.count }
    let longest = sequences.map(\.count).max() ?? 0
    guard rows > 0 else { return }
    var scratch = Scratch(
      rows: rows, hidden: c.hiddenSize, intermediate: c.intermediateSize, longest: longest)
    defer { scratch.deallocate() }
    embedTokens(sequences, into: scratch.x)
    weights.embeddingNorm.gamma.withPointer { gamma in
      weights.embeddingNorm.beta.withPointer { beta in
        BertKernels.addLayerNorm(
          scratch.x, residual: nil, rows: rows, columns: c.hiddenSize, gamma: gamma, beta: beta,
          epsilon: c.layerNormEpsilon)
      }
    }
    for layer in weights.layers {
      forward(layer, sequences: sequences, rows: rows, scratch: &scratch)
    }
    var start = 0
    for (index, sequence) in sequences.enumerated() {
      BertKernels.meanPoolNormalized(
        scratch.x + start * c.hiddenSize, count: sequence.count, columns: c.hiddenSize,
        into: out + index * c.hiddenSize)
      start += sequence.count
    }
  }

  private func embedTokens(_ sequences: [[Int32]], into x: UnsafeMutablePointer<Float>) {
    let hidden = self.hidden
    weights.wordEmbeddings.withPointer { words in
      weights.positionEmbeddings.withPointer { positions in
        weights.tokenType0.withPointer { tokenType in
          var row = 0
          for sequence in sequences {
            for (position, id) in sequence.enumerated() {
              let destination = x + row * hidden
              let word = words + Int(id) * hidden
              let place = positions + position * hidden
              for column in 0..<hidden {
                destination[column] = word[column] + place[column] + tokenType[column]
              }
              row += 1
            }
          }
        }
      }
    }
  }

  private func forward(_ layer: BertLayerWeights, sequences: [[Int32]], rows: Int, scratch: inout Scratch) {
    let epsilon = weights.configuration.layerNormEpsilon
    linear(layer.query, scratch.x, rows, scratch.q)
    linear(layer.key, scratch.x, rows, scratch.k)
    linear(layer.value, scratch.x, rows, scratch.v)
    attention(sequences: sequences, scratch: scratch)
    linear(layer.attentionOutput, scratch.context, rows, scratch.y)
    layerNorm(layer.attentionNorm, scratch.y, residual: scratch.x, rows: rows, epsilon: epsilon)
    swap(&scratch.x, &scratch.y)
    linear(layer.intermediate, scratch.x, rows, scratch.intermediate)
    BertKernels.geluErf(scratch.intermediate, count: rows * layer.intermediate.outputs)
    linear(layer.output, scratch.intermediate, rows, scratch.y)
    layerNorm(layer.outputNorm, scratch.y, residual: scratch.x, rows: rows, epsilon: epsilon)
    swap(&scratch.x, &scratch.y)
  }

  /// context = softmax(q kᵀ / √d) v per sequence and head, over that sequence's rows only.
  private func attention(sequences: [[Int32]], scratch: Scratch) {
    let heads = weights.configuration.heads
    let hidden = self.hidden
    let headSize = hidden / heads
    let scale = 1 / Float(headSize).squareRoot()
    var start = 0
    for sequence in sequences {
      let n = sequence.count
      let offset = start * hidden
      for head in 0..<heads {
        let column = offset + head * headSize
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(headSize), scale,
          scratch.q + column,
          Int32(hidden), scratch.k + column, Int32(hidden), 0, scratch.scores, Int32(n))
        BertKernels.maskedSoftmax(scratch.scores, tokens: n, validKeys: n)
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(headSize), Int32(n), 1, scratch.scores,
          Int32(n),
          scratch.v + column, Int32(hidden), 0, scratch.context + column, Int32(hidden))
      }
      start += n
    }
  }

  private func linear(
    _ weights: LinearWeights, _ x: UnsafeMutablePointer<Float>, _ rows: Int,
    _ out: UnsafeMutablePointer<Float>
  ) {
    weights.weight.withPointer { weight in
      weights.bias.withPointer { bias in
        BertKernels.linear(
          x, rows: rows, inputs: weights.inputs, weight: weight, bias: bias, outputs: weights.outputs,
          into: out)
      }
    }
  }

  private func layerNorm(
    _ norm: LayerNormWeights, _ x: UnsafeMutablePointer<Float>, residual: UnsafeMutablePointer<Float>,
    rows: Int,
    epsilon: Float
  ) {
    norm.gamma.withPointer { gamma in
      norm.beta.withPointer { beta in
        BertKernels.addLayerNorm(
          x, residual: residual, rows: rows, columns: hidden, gamma: gamma, beta: beta, epsilon: epsilon)
      }
    }
  }
}

/// Activation buffers of one batch, allocated once per batch and freed by the caller's defer.
private struct Scratch {
  var x: UnsafeMutablePointer<Float>
  var y: UnsafeMutablePointer<Float>
  let q: UnsafeMutablePointer<Float>
  let k: UnsafeMutablePointer<Float>
  let v: UnsafeMutablePointer<Float>
  let context: UnsafeMutablePointer<Float>
  let intermediate: UnsafeMutablePointer<Float>
  let scores: UnsafeMutablePointer<Float>

  init(rows: Int, hidden: Int, intermediate intermediateSize: Int, longest: Int) {
    func make(_ count: Int) -> UnsafeMutablePointer<Float> {
      let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
      pointer.initialize(repeating: 0, count: max(count, 1))
      return pointer
    }
    x = make(rows * hidden)
    y = make(rows * hidden)
    q = make(rows * hidden)
    k = make(rows * hidden)
    v = make(rows * hidden)
    context = make(rows * hidden)
    intermediate = make(rows * intermediateSize)
    scores = make(longest * longest)
  }

  func deallocate() {
    for pointer in [x, y, q, k, v, context, intermediate, scores] { pointer.deallocate() }
  }
}
