// Evaluation metrics over one split's predictions: AUROC and average precision (binary), MAE and R^2
// (regression, in original units), accuracy and mean reciprocal rank (multiclass). Plain definitions in f64;
// ties in AUROC count one half (the Mann-Whitney statistic), average precision as scikit-learn defines it.
// Refuses: nothing; an undefined metric (one class only, constant labels) is NaN.

public enum Metrics {
  /// Area under the ROC curve of `scores` for 0/1 `labels`.
  public static func auroc(scores: [Double], labels: [Double]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var ranks = [Double](repeating: 0, count: scores.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
      for k in i...j { ranks[order[k]] = Double(i + j) / 2 + 1 }
      i = j + 1
    }
    let positives = labels.filter { $0 > 0.5 }.count
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else { return .nan }
    let rankSum = zip(ranks, labels).reduce(0) { $0 + ($1.1 > 0.5 ? $1.0 : 0) }
    return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
  }

  /// Average precision: sum over thresholds of (recall step) * precision, scores descending, ties grouped.
  public static func averagePrecision(scores: [Double], labels: [Double]) -> Double {
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    let positives = Double(labels.filter { $0 > 0.5 }.count)
    guard positives > 0 else { return .nan }
    var (truePositives, seen, ap, previousRecall) = (0.0, 0.0, 0.0, 0.0)
    var i = 0
    while i < order.count {
      var j = i
      while j < order.count, scores[order[j]] == scores[order[i]] {
        truePositives += labels[order[j]] > 0.5 ? 1 : 0
        seen += 1
        j += 1
      }
      let recall = truePositives / positives
      ap += (recall - previousRecall) * truePositives / seen
      previousRecall = recall
      i = j
    }
    return ap
  }

  public static func meanAbsoluteError(predictions: [Double], labels: [Double]) -> Double {
    guard !labels.isEmpty else { return .nan }
    return zip(predictions, labels).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(labels.count)
  }

  /// Coefficient of determination 1 - SS_res / SS_tot.
  public static func rSquared(predictions: [Double], labels: [Double]) -> Double {
    guard !labels.isEmpty else { return .nan }
    let mean = labels.reduce(0, +) / Double(labels.count)
    let total = labels.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let residual = zip(predictions, labels).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    return total > 0 ? 1 - residual / total : .nan
  }

  /// Accuracy and mean reciprocal rank of the true class among `scores` rows (one row per example).
  public static func ranking(scores: [[Double]], truth: [Int]) -> (accuracy: Double, mrr: Double) {
    guard !truth.isEmpty else { return (.nan, .nan) }
    var (hits, reciprocal) = (0.0, 0.0)
    for (row, t) in zip(scores, truth) where t >= 0 && t < row.count {
      let rank = 1 + row.filter { $0 > row[t] }.count
      hits += rank == 1 ? 1 : 0
      reciprocal += 1 / Double(rank)
    }
    return (hits / Double(truth.count), reciprocal / Double(truth.count))
  }
}
