// The model's input embeddings for a mixture of processed databases: column-name embeddings laid out in the
// sampler's shared column id space (database k's ids start at `columnOffsets[k]`; its two task columns have no
// stored embedding and stay zero), and the vocabularies concatenated, with each context's vocabulary ids moved
// into the concatenated space by its `database` field. Stored f16 vectors are widened to f32 once.
// Refuses: databases embedded with different widths, column embedding tables of the wrong length.
import Foundation
import Model
import Sampler
import Store
import Tensor

public struct StoreEmbeddings: Sendable {
  public let embeddings: ModelEmbeddings
  /// Added to the vocabulary ids of database k's contexts.
  public let vocabularyOffsets: [Int32]

  public init(databases: [ProcessedDatabase], columnOffsets: [Int]) throws {
    guard let width = databases.first?.metadata.embedder.dimension else {
      throw ModelError.invalidInput(what: "databases", detail: "none given")
    }
    var columns: [Float] = []
    var vocabulary: [Float] = []
    var offsets: [Int32] = []
    for (k, db) in databases.enumerated() {
      guard db.metadata.embedder.dimension == width else {
        throw ModelError.invalidInput(
          what: "database \(db.metadata.name)",
          detail: "embedding width \(db.metadata.embedder.dimension), the first database has \(width)")
      }
      let columnStart = columnOffsets.count == databases.count ? columnOffsets[k] : columns.count / width
      guard columns.count == columnStart * width else {
        throw ModelError.invalidInput(
          what: "\(db.directory.path)/column_embeddings.bin",
          detail: "column ids start at \(columnStart), the embeddings so far cover \(columns.count / width)")
      }
      columns += try Self.widen(db.columnEmbeddings, path: "column_embeddings.bin", width: width)
      columns += [Float](repeating: 0, count: 2 * width)  // the task example-time and label columns
      guard let offset = Int32(exactly: vocabulary.count / width) else {
        throw ModelError.invalidInput(what: "vocabulary", detail: "more than 2^31 entries in the mixture")
      }
      offsets.append(offset)
      vocabulary += try Self.widen(db.vocabulary, path: "vocab_embeddings.bin", width: width)
    }
    embeddings = try ModelEmbeddings(
      columns: EmbeddingTable(width: width, values: columns),
      vocabulary: EmbeddingTable(width: width, values: vocabulary))
    vocabularyOffsets = offsets
  }

  private static func widen(_ reader: ContainerReader, path: String, width: Int) throws -> [Float] {
    try reader.withSectionBytes("embeddings") { raw in
      let count = raw.count / 2
      guard count % width == 0 else {
        throw ModelError.invalidInput(what: path, detail: "\(count) values are not rows of width \(width)")
      }
      return (0..<count).map { i in
        halfToFloat(UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8)
      }
    }
  }

  /// The batch's cell fields with vocabulary ids (values and labels) moved into the mixture's space.
  public func fields(of batch: Batch) -> CellFields {
    var f = CellFields(batch: batch)
    let databases = batch.array(.database, as: Int32.self)
    let l = f.contextLength
    for b in 0..<f.batchSize {
      let db = Int(databases[b])
      guard db >= 0, db < vocabularyOffsets.count else { continue }
      let offset = vocabularyOffsets[db]
      for i in (b * l)..<((b + 1) * l) {
        if f.vocabulary[i] >= 0 { f.vocabulary[i] += offset }
        if f.labelVocabulary[i] >= 0 { f.labelVocabulary[i] += offset }
      }
    }
    return f
  }
}
