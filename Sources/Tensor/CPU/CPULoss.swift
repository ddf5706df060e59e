// Fast CPU losses: Huber, BCE-with-logits, cross-entropy (negative targets ignored) and InfoNCE.
// Per-row terms run in parallel; the final mean is summed serially in Double (deterministic).
import Foundation

extension CPUKernels {
  /// Mean Huber loss of pred - target.
  static func huberLoss(
    _ pred: UnsafePointer<Float>, _ target: UnsafePointer<Float>, count: Int, delta: Float
  )
    -> Float
  {
    var total: Double = 0
    for i in 0..<count {
      let r = abs(pred[i] - target[i])
      total += Double(r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta))
    }
    return Float(total / Double(max(count, 1)))
  }

  /// dpred += dloss * clamp(pred - target, -delta, delta) / count
  static func huberLossBackward(
    _ pred: UnsafePointer<Float>, _ target: UnsafePointer<Float>, dpred: UnsafeMutablePointer<Float>,
    count: Int, delta: Float, dloss: Float
  ) {
    let scale = dloss / Float(max(count, 1))
    for i in 0..<count { dpred[i] += scale * min(max(pred[i] - target[i], -delta), delta) }
  }

  /// Mean of max(z,0) - z t + log(1 + exp(-|z|)).
  static func bceWithLogits(_ logits: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, count: Int)
    -> Float
  {
    var total: Double = 0
    for i in 0..<count {
      let z = logits[i]
      total += Double(max(z, 0) - z * targets[i] + log1pf(expf(-abs(z))))
    }
    return Float(total / Double(max(count, 1)))
  }

  /// dlogits += dloss * (sigmoid(z) - t) / count
  static func bceWithLogitsBackward(
    _ logits: UnsafePointer<Float>, _ targets: UnsafePointer<Float>, dlogits: UnsafeMutablePointer<Float>,
    count: Int, dloss: Float
  ) {
    let scale = dloss / Float(max(count, 1))
    for i in 0..<count { dlogits[i] += scale * (1 / (1 + expf(-logits[i])) - targets[i]) }
  }

  /// probs[N,C] = softmax(logits); returns the mean of -log probs[target] over rows with target >= 0.
  static func crossEntropy(
    _ logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, probs: UnsafeMutablePointer<Float>,
    rows: Int, columns c: Int, pool: WorkerPool
  ) -> Float {
    var rowLoss = [Float](repeating: 0, count: rows)
    rowLoss.withUnsafeMutableBufferPointer { lossBuffer in
      guard let rowLoss = lossBuffer.baseAddress else { return }
      pool.forEachChunk(rows, grain: max(1, 2048 / max(c, 1))) { range in
        for r in range {
          let z = logits + r * c
          var maxValue = -Float.infinity
          for i in 0..<c { maxValue = max(maxValue, z[i]) }
          var sum: Float = 0
          for i in 0..<c { sum += expf(z[i] - maxValue) }
          let t = Int(targets[r])
          rowLoss[r] = t >= 0 ? logf(sum) + maxValue - z[t] : 0
          if UnsafePointer(probs + r * c) != z { (probs + r * c).update(from: z, count: c) }
          softmaxRow(probs + r * c, c)
        }
      }
    }
    var kept = 0
    var total: Double = 0
    for r in 0..<rows where targets[r] >= 0 {
      kept += 1
      total += Double(rowLoss[r])
    }
    return kept == 0 ? 0 : Float(total / Double(kept))
  }

  /// dlogits[N,C] += scale * (probs - onehot(target)) for kept rows, scale = dloss / kept rows.
  static func crossEntropyBackward(
    probs: UnsafePointer<Float>, targets: UnsafePointer<Int32>, dlogits: UnsafeMutablePointer<Float>,
    rows: Int, columns c: Int, dloss: Float, pool: WorkerPool
  ) {
    var kept = 0
    for r in 0..<rows where targets[r] >= 0 { kept += 1 }
    guard kept > 0 else { return }
    let scale = dloss / Float(kept)
    pool.forEachChunk(rows, grain: max(1, 2048 / max(c, 1))) { range in
      for r in range where targets[r] >= 0 {
        SIMDMath.axpy(scale, probs + r * c, dlogits + r * c, c)
        dlogits[r * c + Int(targets[r])] -= scale
      }
    }
  }
}
