// Embeds strings with the database's text embedder, through the on-disk cache: only strings the cache lacks are
// sent, in batches, with progress and ETA. Vectors are stored as f16 (docs/format.md).
import Foundation
import Logging
import Runtime
import TextEmbedding

struct VocabularyEmbedding {
  let embedder: any TextEmbedder
  let cache: EmbeddingCache?
  let batchSize: Int
  let logger: Logger

  /// [texts.count x dimension] f16, row-major, in the order of `texts`.
  func embed(_ texts: [String], what: String) async throws -> [Float16] {
    let dimension = embedder.dimension
    var missing: [String] = []
    var seen = Set<String>()
    for text in texts where cache?.vector(for: text) == nil && seen.insert(text).inserted {
      missing.append(text)
    }
    logger.info(
      "\(what): \(ProgressReporter.count(texts.count)) strings, \(ProgressReporter.count(texts.count - missing.count)) cached, embedding \(ProgressReporter.count(missing.count)) with \(embedder.name)"
    )
    var fresh: [String: [Float16]] = [:]
    let progress = ProgressReporter(
      "embedding \(what)", total: missing.count, unit: "strings", logger: logger)
    for start in stride(from: 0, to: missing.count, by: batchSize) {
      let batch = Array(missing[start..<min(start + batchSize, missing.count)])
      let matrix = try await embedBatch(batch)
      for (row, text) in batch.enumerated() {
        let vector = matrix.values[row * dimension..<(row + 1) * dimension].map { Float16($0) }
        if let cache { try cache.store(text, vector) } else { fresh[text] = vector }
      }
      progress.advance(by: batch.count)
    }
    if !missing.isEmpty { progress.finish() }
    var out = [Float16]()
    out.reserveCapacity(texts.count * dimension)
    for text in texts {
      guard let vector = cache?.vector(for: text) ?? fresh[text] else {
        throw PreprocessError.embedding(reason: "no vector for '\(text.prefix(40))' after embedding")
      }
      out += vector
    }
    return out
  }

  private func embedBatch(_ batch: [String]) async throws -> EmbeddingMatrix {
    let matrix: EmbeddingMatrix
    do {
      matrix = try await embedder.embed(batch)
    } catch {
      throw PreprocessError.embedding(reason: "\(embedder.name): \(error)")
    }
    guard matrix.count == batch.count, matrix.dimension == embedder.dimension else {
      throw PreprocessError.embedding(
        reason:
          "\(embedder.name) returned \(matrix.count)x\(matrix.dimension) for \(batch.count) strings of dimension \(embedder.dimension)"
      )
    }
    return matrix
  }
}
