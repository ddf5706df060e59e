// Fast CPU elementwise kernels: broadcasting add/mul, scale, activations, SwiGLU, dropout, embedding.
// Chunks of elements or rows run on the worker pool; broadcast forms other than "same shape" and
// "trailing dims" fall back to an index table (correct, slower).
// Refuses: per-element dispatch on the activation kind (the switch sits outside the loops).
import Foundation

/// How an operand of a broadcasting op lines up with the output.
enum BroadcastLayout: Equatable {
  case same
  /// The operand is the output's trailing `length` elements, repeated for every leading index.
  case trailing(length: Int)
  case general

  init(_ shape: [Int], to outShape: [Int]) {
    let trimmed = Array(shape.drop(while: { $0 == 1 }))
    let count = shape.reduce(1, *)
    if shape.count <= outShape.count, count == outShape.reduce(1, *) {
      self = .same
    } else if trimmed.count <= outShape.count, Array(outShape.suffix(trimmed.count)) == trimmed {
      self = .trailing(length: count)
    } else {
      self = .general
    }
  }
}

extension CPUKernels {
  /// out = a + b or a * b with numpy broadcasting.
  static func broadcastForward(
    _ a: UnsafePointer<Float>, aShape: [Int], _ b: UnsafePointer<Float>, bShape: [Int],
    _ out: UnsafeMutablePointer<Float>, outShape: [Int], multiply: Bool, pool: WorkerPool
  ) {
    let total = outShape.reduce(1, *)
    switch (BroadcastLayout(aShape, to: outShape), BroadcastLayout(bShape, to: outShape)) {
    case (.same, .same):
      pool.forEachChunk(total, grain: 4096) { range in
        for i in range { out[i] = multiply ? a[i] * b[i] : a[i] + b[i] }
      }
    case (.same, .trailing(let length)) where length > 0:
      pool.forEachChunk(total / length, grain: max(1, 4096 / length)) { rows in
        for r in rows {
          for j in 0..<length {
            let i = r * length + j
            out[i] = multiply ? a[i] * b[j] : a[i] + b[j]
          }
        }
      }
    case (.trailing, .same):
      broadcastForward(
        b, aShape: bShape, a, bShape: aShape, out, outShape: outShape, multiply: multiply, pool: pool)
    default:
      let ai = Reference.broadcastIndices(from: aShape, to: outShape)
      let bi = Reference.broadcastIndices(from: bShape, to: outShape)
      for i in 0..<total { out[i] = multiply ? a[ai[i]] * b[bi[i]] : a[ai[i]] + b[bi[i]] }
    }
  }

  /// grad += dout * other (or dout for add), summed over the dimensions `operand` was broadcast along.
  static func broadcastBackward(
    dout: UnsafePointer<Float>, outShape: [Int], grad: UnsafeMutablePointer<Float>, shape: [Int],
    other: UnsafePointer<Float>?, otherShape: [Int], pool: WorkerPool
  ) {
    let total = outShape.reduce(1, *)
    let layout = BroadcastLayout(shape, to: outShape)
    let otherLayout = BroadcastLayout(otherShape, to: outShape)
    switch (layout, otherLayout) {
    case (.same, .same):
      pool.forEachChunk(total, grain: 4096) { range in
        for i in range { grad[i] += dout[i] * (other?[i] ?? 1) }
      }
    case (.same, .trailing(let length)) where length > 0:
      pool.forEachChunk(total / length, grain: max(1, 4096 / length)) { rows in
        for r in rows {
          for j in 0..<length { grad[r * length + j] += dout[r * length + j] * (other?[j] ?? 1) }
        }
      }
    case (.trailing(let length), .same) where length > 0:
      addColumnSums(rows: total / length, columns: length, into: grad, pool: pool) { r, acc in
        for j in 0..<length { acc[j] += dout[r * length + j] * (other?[r * length + j] ?? 1) }
      }
    default:
      let gi = Reference.broadcastIndices(from: shape, to: outShape)
      let oi = Reference.broadcastIndices(from: otherShape, to: outShape)
      for i in 0..<total { grad[gi[i]] += dout[i] * (other?[oi[i]] ?? 1) }
    }
  }

  /// out = factor * x, or out += factor * x when `accumulate`.
  static func scale(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, factor: Float,
    accumulate: Bool, pool: WorkerPool
  ) {
    pool.forEachChunk(count, grain: 8192) { range in
      if accumulate {
        SIMDMath.axpy(factor, x + range.lowerBound, out + range.lowerBound, range.count)
      } else {
        for i in range { out[i] = factor * x[i] }
      }
    }
  }

  /// out = f(x) elementwise.
  static func activationForward(
    _ kind: Activation, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
    pool: WorkerPool
  ) {
    pool.forEachChunk(count, grain: 4096) { range in
      switch kind {
      case .geluErf:
        for i in range { out[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.70710678118654752)) }
      case .geluTanh:
        for i in range {
          let v = x[i]
          out[i] = 0.5 * v * (1 + tanhf(0.7978845608028654 * (v + 0.044715 * v * v * v)))
        }
      case .silu:
        for i in range { out[i] = x[i] / (1 + expf(-x[i])) }
      }
    }
  }

  /// dx += dout * f'(x).
  static func activationBackward(
    _ kind: Activation, dout: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool
  ) {
    pool.forEachChunk(count, grain: 4096) { range in
      switch kind {
      case .geluErf:
        for i in range {
          let v = x[i]
          let cdf = 0.5 * (1 + erff(v * 0.70710678118654752))
          dx[i] += dout[i] * (cdf + v * expf(-0.5 * v * v) * 0.3989422804014327)
        }
      case .geluTanh:
        for i in range {
          let v = x[i]
          let th = tanhf(0.7978845608028654 * (v + 0.044715 * v * v * v))
          let inner = 0.7978845608028654 * (1 + 3 * 0.044715 * v * v)
          dx[i] += dout[i] * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * inner)
        }
      case .silu:
        for i in range {
          let s = 1 / (1 + expf(-x[i]))
          dx[i] += dout[i] * s * (1 + x[i] * (1 - s))
        }
      }
    }
  }

  /// x[N,2H] = [gate | up] -> out[N,H] = silu(gate) * up; backward when `dout`/`dx` are given.
  static func swiglu(
    _ x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>?,
    dx: UnsafeMutablePointer<Float>?, rows: Int, hidden: Int, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 2048 / max(hidden, 1))) { range in
      for r in range {
        let gate = x + r * 2 * hidden
        let up = gate + hidden
        for j in 0..<hidden {
          let s = 1 / (1 + expf(-gate[j]))
          out?[r * hidden + j] = gate[j] * s * up[j]
          if let dout, let dx {
            let g = dout[r * hidden + j]
            dx[r * 2 * hidden + j] += g * up[j] * s * (1 + gate[j] * (1 - s))
            dx[r * 2 * hidden + hidden + j] += g * gate[j] * s
          }
        }
      }
    }
  }

  /// out (+)= x * keep / (1 - p), keep from (seed, index).
  static func dropout(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, probability: Float,
    seed: UInt64, accumulate: Bool, pool: WorkerPool
  ) {
    let scale = 1 / (1 - probability)
    pool.forEachChunk(count, grain: 8192) { range in
      for i in range {
        let keep = DropoutMask.keeps(index: UInt64(i), seed: seed, probability: probability)
        let value = keep ? x[i] * scale : 0
        if accumulate { out[i] += value } else { out[i] = value }
      }
    }
  }

  /// out[N,D] = table[ids[n], :]; ids already checked to lie in [0, V).
  static func embeddingForward(
    ids: UnsafePointer<Int32>, table: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
    count: Int, dim: Int, pool: WorkerPool
  ) {
    pool.forEachChunk(count, grain: 64) { rows in
      for r in rows { (out + r * dim).update(from: table + Int(ids[r]) * dim, count: dim) }
    }
  }

  /// dtable[ids[n], :] += dout[n, :], in row order (deterministic).
  static func embeddingBackward(
    dout: UnsafePointer<Float>, ids: UnsafePointer<Int32>, dtable: UnsafeMutablePointer<Float>,
    count: Int, dim: Int
  ) {
    for r in 0..<count { SIMDMath.axpy(1, dout + r * dim, dtable + Int(ids[r]) * dim, dim) }
  }
}
