// One batch made ready for the engine: input feature rows, the four relation masks, and the loss targets with
// their index tensors. Built once per batch on the host; every block and head reads it.
// Refuses: fields inconsistent with the model's context length, embeddings of another width.
import Tensor

public struct ModelInput: Sendable {
  public let batchSize: Int
  public let contextLength: Int
  /// [B*L, F]
  public let features: Tensor
  /// In `RelationKind` order.
  public let masks: [AttentionMask]
  public let targets: LossTargets
  let regressionCells: Tensor?
  let regressionTargets: Tensor?
  let binaryCells: Tensor?
  let binaryTargets: Tensor?
  let contrastiveCells: Tensor?
  let contrastiveTargets: Tensor?
  /// [K, E]: vocabulary embeddings of the candidates.
  let candidates: Tensor?

  /// `candidatePool`: the contrastive negatives (a categorical task's classes); nil: the batch's vocabulary.
  public init(
    fields: CellFields, embeddings: ModelEmbeddings, config: ModelConfig, on backend: some Backend,
    candidatePool: [Int32]? = nil
  ) throws {
    try fields.validate()
    guard fields.contextLength == config.contextLength, embeddings.width == config.embeddingWidth else {
      throw ModelError.invalidInput(
        what: "batch",
        detail: "L \(fields.contextLength), embedding width \(embeddings.width); the model expects "
          + "L \(config.contextLength), width \(config.embeddingWidth)")
    }
    (batchSize, contextLength) = (fields.batchSize, fields.contextLength)
    let n = fields.cellCount
    features = try backend.tensor(
      try CellFeatures.encode(fields, embeddings: embeddings), shape: [n, config.featureWidth])
    masks = try RelationMasks.tensors(fields, on: backend)
    let t = try LossTargets(fields, candidatePool: candidatePool)
    targets = t
    func ids(_ values: [Int32]) throws -> Tensor? {
      values.isEmpty ? nil : try backend.tensor(ids: values, shape: [values.count])
    }
    func floats(_ values: [Float]) throws -> Tensor? {
      values.isEmpty ? nil : try backend.tensor(values, shape: [values.count])
    }
    regressionCells = try ids(t.regressionCells)
    regressionTargets = try floats(t.regressionTargets)
    binaryCells = try ids(t.binaryCells)
    binaryTargets = try floats(t.binaryTargets)
    contrastiveCells = try ids(t.contrastiveCells)
    contrastiveTargets = try ids(t.contrastiveTargets)
    if t.candidateIds.isEmpty || t.contrastiveCells.isEmpty {
      candidates = nil
    } else {
      let e = embeddings.width
      var rows = [Float](repeating: 0, count: t.candidateIds.count * e)
      try rows.withUnsafeMutableBufferPointer { r in
        guard let base = r.baseAddress else { return }
        for (k, id) in t.candidateIds.enumerated() {
          try embeddings.vocabulary.copyRow(id, into: base + k * e, zeroIfMissing: false)
        }
      }
      candidates = try backend.tensor(rows, shape: [t.candidateIds.count, e])
    }
  }

  public var cellCount: Int { batchSize * contextLength }
}
