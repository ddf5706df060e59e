// Forward-only kernels for BERT inference over raw row-major Float buffers.
// These belong in the tensor engine (module `Tensor`); they live here because the engine had not committed its
// forward ops when MiniLM was written. Swap them for the engine's ops once they exist and match.
// Shapes in comments: R = rows (batch x tokens), I = inputs, O = outputs, T = tokens per sequence.
// Refuses: nothing is checked here; callers (BertEncoder) guarantee the buffer sizes.
import CBLAS
import Foundation

enum BertKernels {
  /// out[R, O] = x[R, I] · weight[O, I]ᵀ + bias[O]
  static func linear(
    _ x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>,
    outputs: Int, into out: UnsafeMutablePointer<Float>
  ) {
    for row in 0..<rows { (out + row * outputs).update(from: bias, count: outputs) }
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1, x,
      Int32(inputs),
      weight, Int32(inputs), 1, out, Int32(outputs))
  }

  /// x[R, C] = LayerNorm(x + residual) · gamma + beta, per row (biased variance, as PyTorch).
  static func addLayerNorm(
    _ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Int, columns: Int,
    gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
  ) {
    for row in 0..<rows {
      let values = x + row * columns
      if let residual {
        let other = residual + row * columns
        for column in 0..<columns { values[column] += other[column] }
      }
      let mean = sum(values, columns) / Float(columns)
      var squares = SIMD8<Float>()
      var column = 0
      while column + 8 <= columns {
        let centered = load8(values + column) - SIMD8(repeating: mean)
        squares += centered * centered
        column += 8
      }
      var variance = squares.sum()
      while column < columns {
        variance += (values[column] - mean) * (values[column] - mean)
        column += 1
      }
      let inverse = 1 / (variance / Float(columns) + epsilon).squareRoot()
      for column in 0..<columns {
        values[column] = (values[column] - mean) * inverse * gamma[column] + beta[column]
      }
    }
  }

  /// x = 0.5 x (1 + erf(x / √2)), in place.
  static func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
    let inverseRoot2: Float = 0.707_106_77
    for index in 0..<count {
      let value = x[index]
      x[index] = 0.5 * value * (1 + erf(value * inverseRoot2))
    }
  }

  /// Row-wise softmax of scores[T, T] over the first `validKeys` columns; the padded keys get probability 0.
  static func maskedSoftmax(_ scores: UnsafeMutablePointer<Float>, tokens: Int, validKeys: Int) {
    for row in 0..<tokens {
      let values = scores + row * tokens
      var maximum = -Float.infinity
      for key in 0..<validKeys { maximum = max(maximum, values[key]) }
      var total: Float = 0
      for key in 0..<validKeys {
        let e = exp(values[key] - maximum)
        values[key] = e
        total += e
      }
      let inverse = 1 / total
      for key in 0..<validKeys { values[key] *= inverse }
      for key in validKeys..<tokens { values[key] = 0 }
    }
  }

  /// out[C] = normalize(mean of x[0..<count, C]) (L2); a zero vector stays zero.
  static func meanPoolNormalized(
    _ x: UnsafePointer<Float>, count: Int, columns: Int, into out: UnsafeMutablePointer<Float>
  ) {
    out.update(repeating: 0, count: columns)
    for row in 0..<count {
      let values = x + row * columns
      for column in 0..<columns { out[column] += values[column] }
    }
    let scale = 1 / Float(max(count, 1))
    for column in 0..<columns { out[column] *= scale }
    let norm = sum(squaresOf: out, columns).squareRoot()
    guard norm > 0 else { return }
    let inverse = 1 / norm
    for column in 0..<columns { out[column] *= inverse }
  }

  @inline(__always)
  private static func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
  }

  private static func sum(_ values: UnsafePointer<Float>, _ count: Int) -> Float {
    var accumulator = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
      accumulator += load8(values + index)
      index += 8
    }
    var total = accumulator.sum()
    while index < count {
      total += values[index]
      index += 1
    }
    return total
  }

  private static func sum(squaresOf values: UnsafePointer<Float>, _ count: Int) -> Float {
    var accumulator = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
      let chunk = load8(values + index)
      accumulator += chunk * chunk
      index += 8
    }
    var total = accumulator.sum()
    while index < count {
      total += values[index] * values[index]
      index += 1
    }
    return total
  }
}
