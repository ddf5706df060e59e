// all-MiniLM-L6-v2 against the float64 numpy reference (tools/minilm_reference.py), and batching invariants.
import Foundation
import Testing

@testable import TextEmbedding

/// Loading the weights takes a moment in a debug build: load once for the whole suite.
enum SharedModel {
  static let embedder: Result<MiniLMEmbedder, Error> = Result { try MiniLMEmbedder(workers: 2) }
  static func get() throws -> MiniLMEmbedder { try embedder.get() }
}

private func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
  var dot = 0.0
  var normA = 0.0
  var normB = 0.0
  for (x, y) in zip(a, b) {
    dot += Double(x) * Double(y)
    normA += Double(x) * Double(x)
    normB += Double(y) * Double(y)
  }
  return dot / (normA.squareRoot() * normB.squareRoot())
}

@Test func embeddingsMatchFloat64Reference() async throws {
  let fixtures = try ReferenceFixtures.load()
  let embedder = try SharedModel.get()
  #expect(embedder.name == "all-MiniLM-L6-v2")
  #expect(embedder.dimension == fixtures.dimension)
  let result = try await embedder.embed(fixtures.cases.map(\.text))
  #expect(result.count == fixtures.cases.count)
  var maxError: Float = 0
  var minCosine = 1.0
  for (row, reference) in fixtures.cases.enumerated() {
    let similarity = cosine(result[row], fixtures.expected(row))
    #expect(similarity >= 0.9999, "\(reference.text.debugDescription): cosine \(similarity)")
    minCosine = min(minCosine, similarity)
    for (x, y) in zip(result[row], fixtures.expected(row)) { maxError = max(maxError, abs(x - y)) }
  }
  #expect(maxError < 1e-5)
  print(
    "MiniLM parity: max abs error \(maxError), min cosine \(minCosine) over \(fixtures.cases.count) strings")
}

@Test func batchedEqualsOneByOne() async throws {
  let fixtures = try ReferenceFixtures.load()
  let embedder = try SharedModel.get()
  let texts = fixtures.cases.prefix(24).map(\.text)
  let batched = try await embedder.embed(texts)
  for (row, text) in texts.enumerated() {
    let single = try await embedder.embed([text])
    let difference = zip(single[0], batched[row]).map { abs($0 - $1) }.max() ?? 0
    #expect(difference < 1e-6, "\(text.debugDescription): \(difference)")
  }
}

@Test func callerOrderIsRestoredAcrossBatches() async throws {
  let fixtures = try ReferenceFixtures.load()
  let embedder = try SharedModel.get()
  // Lengths out of order, duplicates, and a batch budget small enough to force many batches.
  let texts = ["x is a long-ish sentence with several words", "a", "", "b is 2", "a", "name is Alice"]
  let small = try MiniLMEmbedder(files: MiniLMLocator.locate(), workers: 3, tokensPerBatch: 1)
  let many = try await small.embed(texts)
  let reversed = try await embedder.embed(texts.reversed())
  for row in texts.indices {
    let mirrored = texts.count - 1 - row
    let difference = zip(many[row], reversed[mirrored]).map { abs($0 - $1) }.max() ?? 0
    #expect(difference < 1e-6, "row \(row)")
  }
  #expect(many[1] == many[4])
  let emptyIndex = try #require(fixtures.cases.firstIndex { $0.text.isEmpty })
  #expect(cosine(many[2], fixtures.expected(emptyIndex)) >= 0.9999)
  #expect(MiniLMEmbedder.batches(lengths: [5, 2, 9, 2], tokensPerBatch: 6) == [[1, 3], [0], [2]])
  #expect(try await embedder.embed([]).count == 0)
}
