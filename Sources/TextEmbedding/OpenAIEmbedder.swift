// Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, TEI, Baseten, ...).
// Texts go in batches, a bounded number of requests at a time; 429 and 5xx answers and transport errors are
// retried with exponential backoff (honouring Retry-After); every answer is checked (count, order, dimension,
// finite numbers) so a misbehaving server gives a clear error instead of wrong vectors. The API key is sent as a
// bearer token and never logged.
import Foundation
import Logging

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

public struct OpenAIEmbedderConfiguration: Sendable {
  public var endpoint: URL
  public var apiKey: String?
  public var model: String
  /// Requested output dimension (`dimensions` in the request); nil: the model's own.
  public var dimensions: Int?
  public var batchSize: Int = 128
  public var maxConcurrentRequests: Int = 4
  public var maxAttempts: Int = 5
  public var timeoutSeconds: Double = 60
  public var initialBackoffSeconds: Double = 0.5

  public init(endpoint: URL, apiKey: String?, model: String, dimensions: Int? = nil) {
    self.endpoint = endpoint
    self.apiKey = apiKey
    self.model = model
    self.dimensions = dimensions
  }

  /// From TRIBUTARY_EMBEDDER_URL / TRIBUTARY_EMBEDDER_API_KEY, else BASETEN_EMBEDDER_URL / BASETEN_API_KEY.
  public static func fromEnvironment(
    model: String, dimensions: Int?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> OpenAIEmbedderConfiguration {
    let url = environment["TRIBUTARY_EMBEDDER_URL"] ?? environment["BASETEN_EMBEDDER_URL"]
    guard let url, let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https" else {
      throw TextEmbeddingError.remote(
        "set TRIBUTARY_EMBEDDER_URL (or BASETEN_EMBEDDER_URL) to an http(s) OpenAI-compatible endpoint")
    }
    let key = environment["TRIBUTARY_EMBEDDER_API_KEY"] ?? environment["BASETEN_API_KEY"]
    return OpenAIEmbedderConfiguration(
      endpoint: embeddingsURL(parsed), apiKey: key, model: model, dimensions: dimensions)
  }

  /// `.../v1/embeddings` from a base URL given with or without the path.
  public static func embeddingsURL(_ base: URL) -> URL {
    let path = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
    if path.hasSuffix("/embeddings") { return base }
    if path.hasSuffix("/v1") { return base.appendingPathComponent("embeddings") }
    return base.appendingPathComponent("v1").appendingPathComponent("embeddings")
  }
}

public struct OpenAIEmbedder: TextEmbedder {
  public let configuration: OpenAIEmbedderConfiguration
  public let dimension: Int
  public var name: String { "openai:\(configuration.model)" }
  private let session: URLSession
  private let logger = Logger(label: "tributary.embedder.openai")

  /// Asks the endpoint once to learn the dimension (or trusts `configuration.dimensions`).
  public init(configuration: OpenAIEmbedderConfiguration) async throws {
    self.configuration = configuration
    let sessionConfiguration = URLSessionConfiguration.ephemeral
    sessionConfiguration.timeoutIntervalForRequest = configuration.timeoutSeconds
    session = URLSession(configuration: sessionConfiguration)
    if let dimensions = configuration.dimensions {
      dimension = dimensions
    } else {
      let probe = try await Self.request(
        ["dimension probe"], configuration: configuration, session: session, logger: logger)
      dimension = probe[0].count
    }
  }

  public func embed(_ texts: [String]) async throws -> EmbeddingMatrix {
    let batches = stride(from: 0, to: texts.count, by: configuration.batchSize).map {
      Array(texts[$0..<min($0 + configuration.batchSize, texts.count)])
    }
    var results = [[[Float]]](repeating: [], count: batches.count)
    try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
      var next = 0
      func launch() {
        let index = next
        next += 1
        group.addTask { [configuration, session, logger] in
          (
            index,
            try await Self.request(
              batches[index], configuration: configuration, session: session, logger: logger)
          )
        }
      }
      while next < min(configuration.maxConcurrentRequests, batches.count) { launch() }
      while let (index, vectors) = try await group.next() {
        results[index] = vectors
        if next < batches.count { launch() }
      }
    }
    var values = [Float]()
    values.reserveCapacity(texts.count * dimension)
    for vector in results.joined() {
      guard vector.count == dimension else {
        throw TextEmbeddingError.remote(
          "endpoint returned a vector of \(vector.count) values, expected \(dimension)")
      }
      values += vector
    }
    return EmbeddingMatrix(count: texts.count, dimension: dimension, values: values)
  }
}
