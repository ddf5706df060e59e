import Foundation
import TestSupport
import Testing

@testable import TextEmbedding

extension FakeHTTPServer {
  /// tools/fake_openai_server.py on a loopback port, for the lifetime of one test.
  static func embeddings() throws -> FakeHTTPServer { try FakeHTTPServer(script: "fake_openai_server.py") }

  func configuration(model: String, key: String? = nil, dimensions: Int? = nil) -> OpenAIEmbedderConfiguration
  {
    var configuration = OpenAIEmbedderConfiguration(
      endpoint: OpenAIEmbedderConfiguration.embeddingsURL(baseURL),
      apiKey: key,
      model: model, dimensions: dimensions)
    configuration.batchSize = 3
    configuration.initialBackoffSeconds = 0.01
    return configuration
  }
}

@Test func embedsInBatchesAndRestoresOrder() async throws {
  let server = try FakeHTTPServer.embeddings()
  let embedder = try await OpenAIEmbedder(configuration: server.configuration(model: "ok"))
  #expect(embedder.dimension == 8)
  let texts = (0..<10).map { String(repeating: "a ", count: $0) }
  let matrix = try await embedder.embed(texts)
  #expect(matrix.count == 10)
  for (row, text) in texts.enumerated() {
    #expect(matrix[row].prefix(3) == [Float(text.count), Float(row), Float(row % 3)])
  }
}

@Test func retriesServerErrorsAndRateLimits() async throws {
  let server = try FakeHTTPServer.embeddings()
  for model in ["flaky", "ratelimit"] {
    let embedder = try await OpenAIEmbedder(configuration: server.configuration(model: model, dimensions: 4))
    let matrix = try await embedder.embed(["x", "yy", "zzz", "w"])
    #expect(matrix.rows.map { $0[0] } == [1, 2, 3, 1], "\(model)")
  }
}

@Test func nonsenseWrongCountsAndBadKeysAreClearErrors() async throws {
  let server = try FakeHTTPServer.embeddings()
  for (model, message) in [
    ("nonsense", "not an embeddings response"), ("short", "2 embeddings for 3 texts"), ("auth", "HTTP 401"),
  ] {
    do {
      let embedder = try await OpenAIEmbedder(
        configuration: server.configuration(model: model, dimensions: 4))
      _ = try await embedder.embed(["a", "b", "c"])
      Issue.record("\(model) did not fail")
    } catch {
      #expect("\(error)".contains(message), "\(model): \(error)")
    }
  }
  let authorized = try await OpenAIEmbedder(
    configuration: server.configuration(model: "auth", key: "secret", dimensions: 4))
  #expect(try await authorized.embed(["a"]).count == 1)
}

@Test func unreachableEndpointSaysSo() async throws {
  var configuration = OpenAIEmbedderConfiguration(
    endpoint: URL(string: "http://127.0.0.1:9/v1/embeddings")!, apiKey: nil, model: "m", dimensions: 4)
  configuration.maxAttempts = 2
  configuration.initialBackoffSeconds = 0.01
  let embedder = try await OpenAIEmbedder(configuration: configuration)
  await #expect(throws: TextEmbeddingError.self) { try await embedder.embed(["a"]) }
}

@Test func configurationComesFromTheEnvironment() throws {
  let tributary = try OpenAIEmbedderConfiguration.fromEnvironment(
    model: "m", dimensions: nil,
    environment: [
      "TRIBUTARY_EMBEDDER_URL": "https://x.example/v1", "TRIBUTARY_EMBEDDER_API_KEY": "k",
      "BASETEN_API_KEY": "b",
    ])
  #expect(tributary.endpoint.absoluteString == "https://x.example/v1/embeddings")
  #expect(tributary.apiKey == "k")
  let baseten = try OpenAIEmbedderConfiguration.fromEnvironment(
    model: "m", dimensions: 64,
    environment: ["BASETEN_EMBEDDER_URL": "https://b.example", "BASETEN_API_KEY": "b"])
  #expect(baseten.endpoint.absoluteString == "https://b.example/v1/embeddings")
  #expect(baseten.apiKey == "b")
  #expect(throws: TextEmbeddingError.self) {
    try OpenAIEmbedderConfiguration.fromEnvironment(model: "m", dimensions: nil, environment: [:])
  }
}
