// MiniLM on a given backend (`device`: the path a GPU takes, here exercised with a CPU backend so it runs anywhere)
// must match the float64 numpy reference (tools/minilm_reference.py) as the default CPU workers do.
import Foundation
import Tensor
import Testing

@testable import TextEmbedding

@Test func miniLMOnAGivenBackendMatchesTheFloat64Reference() async throws {
  let fixtures = try ReferenceFixtures.load()
  let embedder = try MiniLMEmbedder(
    files: try MiniLMLocator.locate(), tokensPerBatch: 4096, device: CPUBackend(threads: 2))
  #expect(embedder.device?.name == "cpu")
  let result = try await embedder.embed(fixtures.cases.map(\.text))
  var maxError: Float = 0
  for row in fixtures.cases.indices {
    for (x, y) in zip(result[row], fixtures.expected(row)) { maxError = max(maxError, abs(x - y)) }
  }
  #expect(maxError < 1e-5, "max abs error \(maxError) against numpy")
}
