// Contrastive candidates: the batch's true labels first, then either the vocabulary visible in the batch
// (pretraining) or a given pool (a categorical task's classes) — never both.
import Model
import Testing

private func fieldsWithOneCategoricalTarget() -> CellFields {
  var f = CellFields(batchSize: 1, contextLength: 4, maxParents: 1)
  // Cell 0: a masked categorical cell whose truth is vocabulary id 7; cells 1-3: visible values 1, 2, 7.
  f.type = [4, 4, 4, 4]
  f.masked = [1, 0, 0, 0]
  f.loss = [4, 0, 0, 0]
  f.labelVocabulary = [7, -1, -1, -1]
  f.vocabulary = [-1, 1, 2, 7]
  return f
}

@Test func contrastiveCandidatesComeFromTheBatchByDefault() throws {
  let targets = try LossTargets(fieldsWithOneCategoricalTarget())
  #expect(targets.candidateIds == [7, 1, 2])
  #expect(targets.contrastiveTargets == [0])
}

@Test func aCandidatePoolReplacesTheBatchVocabulary() throws {
  let targets = try LossTargets(fieldsWithOneCategoricalTarget(), candidatePool: [3, 7, 9, -1])
  #expect(targets.candidateIds == [7, 3, 9])
  #expect(targets.contrastiveTargets == [0])
}
