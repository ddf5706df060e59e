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
    typealias M = VectorMath
    pool.forEachChunk(count, grain: 8192) { range in
      let (xs, os, n) = (x + range.lowerBound, out + range.lowerBound, range.count)
      switch kind {
      case .geluErf:
        M.map(xs, os, n) { v in 0.5 * v * (1 + M.erf(v * 0.70710678118654752)) }
      case .geluTanh:
        M.map(xs, os, n) { v in 0.5 * v * (1 + M.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))) }
      case .silu:
        M.map(xs, os, n) { v in v * M.sigmoid(v) }
      }
    }
  }

  /// dx += dout * f'(x).
  static func activationBackward(
    _ kind: Activation, dout: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool
  ) {
    typealias M = VectorMath
    pool.forEachChunk(count, grain: 8192) { range in
      let (xs, gs, ds, n) = (
        x + range.lowerBound, dout + range.lowerBound, dx + range.lowerBound, range.count
      )
      switch kind {
      case .geluErf:
        M.accumulate(xs, gs, ds, n) { v, g in
          let cdf = 0.5 * (1 + M.erf(v * 0.70710678118654752))
          return g * (cdf + v * M.exp(-0.5 * v * v) * 0.3989422804014327)
        }
      case .geluTanh:
        M.accumulate(xs, gs, ds, n) { v, g in
          let th = M.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))
          let inner = 0.7978845608028654 * (1 + 3 * 0.044715 * v * v)
          return g * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * inner)
        }
      case .silu:
        M.accumulate(xs, gs, ds, n) { v, g in
          let s = M.sigmoid(v)
          return g * s * (1 + v * (1 - s))
        }
      }
    }
  }

  /// x[N,2H] = [gate | up] -> out[N,H] = silu(gate) * up
  static func swigluForward(
    _ x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, rows: Int, hidden: Int, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(hidden, 1))) { range in
      for r in range {
        let (gate, up, o) = (x + r * 2 * hidden, x + r * 2 * hidden + hidden, out + r * hidden)
        VectorMath.map(gate, o, hidden) { g in g * VectorMath.sigmoid(g) }
        for j in 0..<hidden { o[j] *= up[j] }
      }
    }
  }

  /// dx[N,2H] += d/dx of silu(gate) * up, given dout[N,H]
  static func swigluBackward(
    _ x: UnsafePointer<Float>, dout: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, rows: Int,
    hidden: Int, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 2048 / max(hidden, 1))) { range in
      let sig = UnsafeMutablePointer<Float>.allocate(capacity: max(hidden, 1))
      defer { sig.deallocate() }
      for r in range {
        let (gate, up, g) = (x + r * 2 * hidden, x + r * 2 * hidden + hidden, dout + r * hidden)
        let (dgate, dup) = (dx + r * 2 * hidden, dx + r * 2 * hidden + hidden)
        VectorMath.map(gate, sig, hidden, VectorMath.sigmoid)
        for j in 0..<hidden {
          let s = sig[j]
          dgate[j] += g[j] * up[j] * s * (1 + gate[j] * (1 - s))
          dup[j] += g[j] * gate[j] * s
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
