import Foundation
import Testing

@testable import TextEmbedding

/// tools/fake_openai_server.py on a loopback port, for the lifetime of one test.
final class FakeEmbeddingServer {
  let process = Process()
  let input = Pipe()
  let port: Int

  init() throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("tools/fake_openai_server.py")
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path]
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    var line = Data()
    while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty,
      byte != Data("\n".utf8)
    {
      line += byte
    }
    guard let port = Int(String(decoding: line, as: UTF8.self)) else {
      throw TextEmbeddingError.remote("fake server did not start")
    }
    self.port = port
  }

  deinit {
    try? input.fileHandleForWriting.close()
    // SIGKILL, not terminate(): a child spawned from a test thread can inherit a mask that blocks SIGTERM, and
    // its stdin may stay open in other children spawned concurrently, so neither would end it.
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  func configuration(model: String, key: String? = nil, dimensions: Int? = nil) -> OpenAIEmbedderConfiguration
  {
    var configuration = OpenAIEmbedderConfiguration(
      endpoint: OpenAIEmbedderConfiguration.embeddingsURL(URL(string: "http://127.0.0.1:\(port)")!),
      apiKey: key,
      model: model, dimensions: dimensions)
    configuration.batchSize = 3
    configuration.initialBackoffSeconds = 0.01
    return configuration
  }
}

@Test func embedsInBatchesAndRestoresOrder() async throws {
  let server = try FakeEmbeddingServer()
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
  let server = try FakeEmbeddingServer()
  for model in ["flaky", "ratelimit"] {
    let embedder = try await OpenAIEmbedder(configuration: server.configuration(model: model, dimensions: 4))
    let matrix = try await embedder.embed(["x", "yy", "zzz", "w"])
    #expect(matrix.rows.map { $0[0] } == [1, 2, 3, 1], "\(model)")
  }
}

@Test func nonsenseWrongCountsAndBadKeysAreClearErrors() async throws {
  let server = try FakeEmbeddingServer()
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
