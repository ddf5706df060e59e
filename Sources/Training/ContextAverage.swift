// Test-time averaging over several sampled contexts of each example: which children a context holds is random
// when a row has more than fit, so one sample's prediction carries that noise (f1 drivers: 0.05 mean absolute
// difference in probability between two samples). Sample k of a batch is the sampler's epoch k; the heads'
// outputs are averaged per context — regression values, boolean probabilities, categorical probability rows —
// and laid out again in the cell order of the last sample for `TaskPredictor.collect`.
// Refuses: nothing; a context missing from a sample is averaged over the samples that have it.
import Foundation
import Model

struct ContextAverage {
  let contextLength: Int
  private var regression: [Int: (sum: Double, count: Int)] = [:]
  private var probability: [Int: (sum: Double, count: Int)] = [:]
  private var candidates: [Int: (sum: [Double], count: Int)] = [:]
  private var candidateCount = -1

  init(contextLength: Int) { self.contextLength = contextLength }

  /// Adds one sample's outputs, keyed by the context each target cell is in.
  mutating func add(_ outputs: HeadOutputs, targets: LossTargets) {
    let l = contextLength
    for (k, cell) in targets.regressionCells.enumerated() where k < outputs.regression.count {
      let entry = regression[Int(cell) / l] ?? (0, 0)
      regression[Int(cell) / l] = (entry.sum + Double(outputs.regression[k]), entry.count + 1)
    }
    for (k, cell) in targets.binaryCells.enumerated() where k < outputs.binary.count {
      let entry = probability[Int(cell) / l] ?? (0, 0)
      let p = 1 / (1 + Foundation.exp(-Double(outputs.binary[k])))
      probability[Int(cell) / l] = (entry.sum + p, entry.count + 1)
    }
    let m = outputs.candidateCount
    // The candidates are the batch's true labels and the task's classes: the same in every sample of a batch.
    guard m > 0, candidateCount == -1 || candidateCount == m else { return }
    candidateCount = m
    for (k, cell) in targets.contrastiveCells.enumerated() where (k + 1) * m <= outputs.contrastive.count {
      var entry = candidates[Int(cell) / l] ?? ([Double](repeating: 0, count: m), 0)
      for j in 0..<m { entry.sum[j] += Double(outputs.contrastive[k * m + j]) }
      candidates[Int(cell) / l] = (entry.sum, entry.count + 1)
    }
  }

  /// The averages in the cell order of `targets` (binary outputs as the logits of the mean probabilities).
  func outputs(for targets: LossTargets) -> HeadOutputs {
    let l = contextLength
    var out = HeadOutputs()
    out.regression = targets.regressionCells.map { cell in
      regression[Int(cell) / l].map { Float($0.sum / Double($0.count)) } ?? Float.nan
    }
    out.binary = targets.binaryCells.map { cell in
      guard let entry = probability[Int(cell) / l] else { return .nan }
      let p = min(max(entry.sum / Double(entry.count), 1e-12), 1 - 1e-12)
      return Float(Foundation.log(p / (1 - p)))
    }
    guard candidateCount > 0 else { return out }
    out.candidateCount = candidateCount
    for cell in targets.contrastiveCells {
      guard let entry = candidates[Int(cell) / l] else {
        out.contrastive += [Float](repeating: .nan, count: candidateCount)
        continue
      }
      out.contrastive += entry.sum.map { Float($0 / Double(entry.count)) }
    }
    return out
  }
}
