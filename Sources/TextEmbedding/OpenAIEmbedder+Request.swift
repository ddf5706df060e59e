// One embeddings request with retries, and the validation of its answer.
import Foundation
import Logging

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

extension OpenAIEmbedder {
  struct RequestBody: Encodable {
    var input: [String]
    var model: String
    var dimensions: Int?
    var encoding_format = "float"
  }

  struct ResponseBody: Decodable {
    struct Item: Decodable {
      var embedding: [Float]
      var index: Int
    }
    var data: [Item]
  }

  static func request(
    _ texts: [String], configuration: OpenAIEmbedderConfiguration, session: URLSession, logger: Logger
  ) async throws -> [[Float]] {
    var request = URLRequest(url: configuration.endpoint)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let key = configuration.apiKey {
      request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
    }
    request.httpBody = try JSONEncoder().encode(
      RequestBody(input: texts, model: configuration.model, dimensions: configuration.dimensions))
    var delay = configuration.initialBackoffSeconds
    var lastProblem = ""
    for attempt in 1...configuration.maxAttempts {
      do {
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status == 200 { return try decode(data, count: texts.count, endpoint: configuration.endpoint) }
        lastProblem = "HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))"
        guard status == 429 || status >= 500 else {
          throw TextEmbeddingError.remote("\(configuration.endpoint) answered \(lastProblem)")
        }
        if let retryAfter = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After"),
          let seconds = Double(retryAfter)
        {
          delay = max(delay, min(seconds, 60))
        }
      } catch let error as TextEmbeddingError {
        throw error
      } catch {
        lastProblem = "\(error.localizedDescription)"
      }
      guard attempt < configuration.maxAttempts else { break }
      logger.warning("embedding request failed (\(lastProblem)); retry \(attempt) in \(delay) s")
      try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
      delay *= 2
    }
    throw TextEmbeddingError.remote(
      "\(configuration.endpoint) unreachable or failing after \(configuration.maxAttempts) attempts: \(lastProblem)"
    )
  }

  static func decode(_ data: Data, count: Int, endpoint: URL) throws -> [[Float]] {
    let body: ResponseBody
    do {
      body = try JSONDecoder().decode(ResponseBody.self, from: data)
    } catch {
      throw TextEmbeddingError.remote(
        "\(endpoint) answered something that is not an embeddings response: \(String(decoding: data.prefix(200), as: UTF8.self))"
      )
    }
    guard body.data.count == count, Set(body.data.map(\.index)) == Set(0..<count) else {
      throw TextEmbeddingError.remote("\(endpoint) returned \(body.data.count) embeddings for \(count) texts")
    }
    let vectors = body.data.sorted { $0.index < $1.index }.map(\.embedding)
    guard let dimension = vectors.first?.count, dimension > 0,
      vectors.allSatisfy({ $0.count == dimension && $0.allSatisfy(\.isFinite) })
    else {
      throw TextEmbeddingError.remote("\(endpoint) returned empty, ragged or non-finite vectors")
    }
    return vectors
  }
}
