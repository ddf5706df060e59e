// Reference losses: Huber, BCE-with-logits, cross-entropy (ignoring negative targets), InfoNCE.
// Each returns the mean loss; backward returns d(loss)/d(input) times `dloss`.
extension Reference {
  /// mean over n of 0.5 r^2 (|r| <= delta) or delta (|r| - 0.5 delta), r = pred - target.
  public static func huberLoss<T: BinaryFloatingPoint>(_ pred: [T], _ target: [T], delta: T) -> T {
    let total = zip(pred, target).reduce(T(0)) { sum, pair in
      let r = abs(pair.0 - pair.1)
      return sum + (r <= delta ? r * r / 2 : delta * (r - delta / 2))
    }
    return total / T(max(pred.count, 1))
  }

  public static func huberLossBackward<T: BinaryFloatingPoint>(
    _ pred: [T], _ target: [T], delta: T, dloss: T
  ) -> [T] {
    let n = T(max(pred.count, 1))
    return zip(pred, target).map { p, t in
      let r = p - t
      return dloss * min(max(r, -delta), delta) / n
    }
  }

  /// mean of -(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))), computed stably.
  public static func bceWithLogits<T: BinaryFloatingPoint>(_ logits: [T], _ targets: [T]) -> T {
    let total = zip(logits, targets).reduce(T(0)) { sum, pair in
      let (z, t) = pair
      return sum + max(z, 0) - z * t + rLog1p(rExp(-abs(z)))
    }
    return total / T(max(logits.count, 1))
  }

  public static func bceWithLogitsBackward<T: BinaryFloatingPoint>(_ logits: [T], _ targets: [T], dloss: T)
    -> [T]
  {
    let n = T(max(logits.count, 1))
    return zip(logits, targets).map { dloss * (rSigmoid($0) - $1) / n }
  }

  /// Mean over rows with target >= 0 of -log softmax(logits)[target]; also the probabilities.
  public static func crossEntropy<T: BinaryFloatingPoint>(_ logits: [T], targets: [Int], n: Int, c: Int)
    -> (loss: T, probs: [T])
  {
    let probs = softmax(logits, n: n, c: c)
    var total: T = 0
    var kept = 0
    for r in 0..<n where targets[r] >= 0 {
      let row = logits[(r * c)..<(r * c + c)]
      let maxValue = row.max() ?? 0
      let logSum = rLog(row.reduce(T(0)) { $0 + rExp($1 - maxValue) }) + maxValue
      total += logSum - logits[r * c + targets[r]]
      kept += 1
    }
    return (kept == 0 ? 0 : total / T(kept), probs)
  }

  public static func crossEntropyBackward<T: BinaryFloatingPoint>(
    probs: [T], targets: [Int], n: Int, c: Int, dloss: T
  ) -> [T] {
    let kept = targets.filter { $0 >= 0 }.count
    var dlogits = [T](repeating: 0, count: n * c)
    guard kept > 0 else { return dlogits }
    for r in 0..<n where targets[r] >= 0 {
      for i in 0..<c {
        let onehot: T = i == targets[r] ? 1 : 0
        dlogits[r * c + i] = dloss * (probs[r * c + i] - onehot) / T(kept)
      }
    }
    return dlogits
  }

  /// Cross-entropy of logits[N,M] = queries[N,D] candidates[M,D]^T / temperature against targets[N].
  public static func infoNCE<T: BinaryFloatingPoint>(
    queries: [T], candidates: [T], targets: [Int], n: Int, m: Int, d: Int, temperature: T
  ) -> (loss: T, probs: [T]) {
    let logits = matmul(
      queries, candidates, [T](repeating: 0, count: n * m), m: n, n: m, k: d,
      transposeA: false, transposeB: true, alpha: 1 / temperature)
    return crossEntropy(logits, targets: targets, n: n, c: m)
  }

  public static func infoNCEBackward<T: BinaryFloatingPoint>(
    queries: [T], candidates: [T], probs: [T], targets: [Int], n: Int, m: Int, d: Int,
    temperature: T, dloss: T
  ) -> (dqueries: [T], dcandidates: [T]) {
    let dlogits = crossEntropyBackward(probs: probs, targets: targets, n: n, c: m, dloss: dloss)
      .map { $0 / temperature }
    let grads = matmulBackward(
      dc: dlogits, queries, candidates, m: n, n: m, k: d, transposeA: false, transposeB: true)
    return (grads.da, grads.db)
  }
}
