// Which cells carry which loss, and their targets, gathered once per batch from the `loss` and label fields:
// regression (Numerical, Timestamp: Huber on the z-scored value), binary (Boolean: BCE on logits) and
// contrastive (Categorical, Text: InfoNCE against vocabulary embeddings). Contrastive candidates are the true
// ids of the batch's contrastive cells plus, as negatives, either every vocabulary id visible in the batch
// (pretraining) or a given pool (a categorical task: its classes, so training and metrics rank among them).
// A contrastive cell without a label (an explicit seed's target, label -1) is allowed with a pool: it is ranked
// against the pool only, and its target index is a placeholder (0) that predictions must not read.
// Refuses: a contrastive cell without a vocabulary label and no pool, a batch of more than 2^31 cells.

public struct LossTargets: Sendable {
  public var regressionCells: [Int32] = []
  public var regressionTargets: [Float] = []
  public var binaryCells: [Int32] = []
  public var binaryTargets: [Float] = []
  public var contrastiveCells: [Int32] = []
  /// Index into `candidateIds` of each contrastive cell's true value.
  public var contrastiveTargets: [Int32] = []
  public var candidateIds: [Int] = []

  public init() {}

  public init(_ fields: CellFields, maxCandidates: Int = 8192, candidatePool: [Int32]? = nil) throws {
    guard fields.cellCount <= Int(Int32.max), maxCandidates <= Int(Int32.max) else {
      throw ModelError.invalidInput(what: "batch", detail: "\(fields.cellCount) cells do not fit i32 indices")
    }
    var candidateIndex: [Int32: Int32] = [:]
    func candidate(_ id: Int32) -> Int32 {
      if let index = candidateIndex[id] { return index }
      let index = Int32(candidateIds.count)
      candidateIndex[id] = index
      candidateIds.append(Int(id))
      return index
    }
    for i in 0..<fields.cellCount {
      switch fields.loss[i] {
      case 1, 2:
        regressionCells.append(Int32(i))
        regressionTargets.append(fields.labelNumber[i])
      case 3:
        binaryCells.append(Int32(i))
        binaryTargets.append(fields.labelNumber[i])
      case 4, 5:
        let id = fields.labelVocabulary[i]
        // An unknown label (an explicit seed's) is ranked against the pool alone; its target is a placeholder.
        guard id >= 0 || candidatePool != nil else {
          throw ModelError.invalidInput(
            what: "label_vocabulary", detail: "cell \(i) has loss 4/5 but no label")
        }
        contrastiveCells.append(Int32(i))
        contrastiveTargets.append(id >= 0 ? candidate(id) : 0)
      default: continue
      }
    }
    if let candidatePool {
      for id in candidatePool where id >= 0 && candidateIds.count < maxCandidates { _ = candidate(id) }
      guard !candidateIds.isEmpty || contrastiveCells.isEmpty else {
        throw ModelError.invalidInput(
          what: "candidates", detail: "unknown labels and an empty candidate pool")
      }
      return
    }
    for i in 0..<fields.cellCount where candidateIds.count < maxCandidates {
      let id = fields.vocabulary[i]
      if id >= 0, fields.masked[i] == 0 { _ = candidate(id) }
    }
  }
}
