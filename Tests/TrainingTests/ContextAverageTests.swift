// ContextAverage on hand-computed cases: two samples of a batch of two contexts (L = 32) whose target cells
// come in different orders; the averages must follow the context, not the position.
import Foundation
import Model
import Testing

@testable import Training

@Test func samplesAreAveragedPerContextWhateverTheCellOrder() {
  var first = LossTargets()
  first.regressionCells = [5, 40]  // contexts 0, 1
  first.binaryCells = [6, 41]
  first.contrastiveCells = [7, 42]
  var second = LossTargets()
  second.regressionCells = [33, 2]  // contexts 1, 0
  second.binaryCells = [34, 3]
  second.contrastiveCells = [35, 4]
  var a = HeadOutputs()
  a.regression = [1, 3]
  a.binary = [0, Float(log(3.0))]  // probabilities 0.5, 0.75
  a.contrastive = [0.2, 0.8, 0.6, 0.4]
  a.candidateCount = 2
  var b = HeadOutputs()
  b.regression = [9, 7]
  b.binary = [0, Float(log(3.0))]  // context 1: 0.5, context 0: 0.75
  b.contrastive = [0.4, 0.6, 0.6, 0.4]  // context 1, context 0
  b.candidateCount = 2
  var average = ContextAverage(contextLength: 32)
  average.add(a, targets: first)
  average.add(b, targets: second)
  let out = average.outputs(for: second)
  // Context 1: (3 + 9) / 2 = 6; context 0: (1 + 7) / 2 = 4.
  #expect(out.regression == [6, 4])
  // Both contexts: (0.5 + 0.75) / 2 = 0.625, logit ln(0.625 / 0.375) = ln(5/3).
  #expect(out.binary.allSatisfy { abs(Double($0) - log(5.0 / 3.0)) < 1e-6 })
  // Context 1: ([0.6, 0.4] + [0.4, 0.6]) / 2; context 0: ([0.2, 0.8] + [0.6, 0.4]) / 2.
  #expect(zip(out.contrastive, [0.5, 0.5, 0.4, 0.6] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
  #expect(out.candidateCount == 2)
}

@Test func aContextMissingFromASampleIsAveragedOverTheOthers() {
  var first = LossTargets()
  first.regressionCells = [5]  // context 0 only
  var second = LossTargets()
  second.regressionCells = [2, 33]
  var a = HeadOutputs()
  a.regression = [2]
  var b = HeadOutputs()
  b.regression = [4, 10]
  var average = ContextAverage(contextLength: 32)
  average.add(a, targets: first)
  average.add(b, targets: second)
  #expect(average.outputs(for: second).regression == [3, 10])
}
