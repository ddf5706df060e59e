// `describe --llm`: sends the heuristic proposal (schema, statistics, a few sample values) to an OpenAI-compatible
// chat endpoint (OpenRouter by default) and asks for corrected types, descriptions and suggested tasks as JSON.
// Every suggestion is checked against the spec and the data before it is applied: types that do not fit the
// column's values, changes to key or time columns, unknown names and tasks that break the spec are refused one by
// one, with a message. An unreachable endpoint or an answer that is not the JSON asked for leaves the heuristic
// proposal standing. The API key is sent only in the Authorization header, never logged or echoed.
import DatabaseSpec
import Foundation
import Logging

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

public struct LLMConfiguration: Sendable {
  public var endpoint: URL
  public var model: String
  public var apiKey: String?

  public init(endpoint: URL, model: String, apiKey: String?) {
    self.endpoint = endpoint
    self.model = model
    self.apiKey = apiKey
  }

  /// TRIBUTARY_LLM_URL (a base URL or the chat completions URL; default OpenRouter), TRIBUTARY_LLM_MODEL,
  /// OPENROUTER_API_KEY.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> LLMConfiguration
  {
    let base = environment["TRIBUTARY_LLM_URL"] ?? "https://openrouter.ai/api/v1"
    guard var url = URL(string: base), url.scheme == "http" || url.scheme == "https" else {
      throw DescribeError("TRIBUTARY_LLM_URL is not an http(s) URL")
    }
    if !url.path.hasSuffix("/chat/completions") { url = url.appendingPathComponent("chat/completions") }
    return LLMConfiguration(
      endpoint: url, model: environment["TRIBUTARY_LLM_MODEL"] ?? "openai/gpt-4o-mini",
      apiKey: environment["OPENROUTER_API_KEY"])
  }
}

/// What the model may answer (all optional).
struct LLMAnswer: Decodable {
  struct Column: Decodable {
    var table: String
    var column: String
    var type: String?
    var description: String?
  }
  struct Table: Decodable {
    var table: String
    var description: String?
  }
  struct Task: Decodable {
    var name: String
    var table: String
    var target: String
  }
  var columns: [Column]?
  var tables: [Table]?
  var tasks: [Task]?
}

public enum LLMReviewer {
  /// The reviewed proposal and one message per applied or refused suggestion (or why none were used).
  public static func review(
    _ proposal: DescribeProposal, profiles: [TableProfile], configuration: LLMConfiguration, logger: Logger
  ) async -> (DescribeProposal, [String]) {
    let content: String
    do {
      content = try await ask(prompt(proposal, profiles: profiles), configuration: configuration)
    } catch {
      return (proposal, ["LLM review skipped, the heuristic proposal stands: \(error)"])
    }
    guard let answer = parse(content) else {
      return (
        proposal, ["LLM review skipped, the heuristic proposal stands: the answer is not the JSON asked for"]
      )
    }
    var reviewed = proposal
    var messages: [String] = []
    apply(answer, to: &reviewed, profiles: profiles, messages: &messages)
    logger.info("LLM review: \(messages.count) suggestion(s) considered")
    return (reviewed, messages)
  }

  static func parse(_ content: String) -> LLMAnswer? {
    var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
    if let open = text.range(of: "{"), let close = text.range(of: "}", options: .backwards),
      open.lowerBound < close.upperBound
    {
      text = String(text[open.lowerBound..<close.upperBound])
    }
    return try? JSONDecoder().decode(LLMAnswer.self, from: Data(text.utf8))
  }

  static func ask(_ prompt: String, configuration: LLMConfiguration) async throws -> String {
    struct Message: Codable {
      var role: String
      var content: String
    }
    struct Body: Encodable {
      var model: String
      var messages: [Message]
      var temperature = 0.0
    }
    struct Reply: Decodable {
      struct Choice: Decodable { var message: Message }
      var choices: [Choice]
    }
    var request = URLRequest(url: configuration.endpoint, timeoutInterval: 120)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let key = configuration.apiKey {
      request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
    }
    request.httpBody = try JSONEncoder().encode(
      Body(
        model: configuration.model,
        messages: [Message(role: "system", content: systemPrompt), Message(role: "user", content: prompt)]))
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard status == 200 else {
      throw DescribeError("\(configuration.endpoint) answered HTTP \(status)")
    }
    guard let reply = try? JSONDecoder().decode(Reply.self, from: data), let first = reply.choices.first
    else {
      throw DescribeError("\(configuration.endpoint) did not answer as an OpenAI-compatible chat endpoint")
    }
    return first.message.content
  }

  static let systemPrompt = """
    You review the proposed annotation of a relational database for a foundation model. Semantic types: Identifier, \
    Numerical, Timestamp, Boolean, Categorical, Text, Ignored. Answer with one JSON object only: \
    {"columns": [{"table": ..., "column": ..., "type": ..., "description": ...}], \
    "tables": [{"table": ..., "description": ...}], "tasks": [{"name": ..., "table": ..., "target": ...}]}. \
    List only columns whose type you would change or that deserve a description; suggest a few prediction tasks \
    (a target column worth predicting in a table with a time column).
    """

  static func prompt(_ proposal: DescribeProposal, profiles: [TableProfile]) -> String {
    var lines = ["Database \(proposal.spec.name):"]
    for table in proposal.spec.tables {
      let profile = profiles.first { $0.name == table.name }
      lines.append(
        "table \(table.name) (\(profile?.rowCount ?? 0) rows), primary key \(table.primaryKey ?? []), time column "
          + "\(table.timeColumn ?? "none"), foreign keys "
          + table.foreignKeys.map { "\($0.columns) -> \($0.referencedTable)" }.joined(separator: "; "))
      for column in table.columns {
        guard let stats = profile?.column(column.name) else { continue }
        let samples = stats.samples.map { String($0.prefix(60)) }.joined(separator: " | ")
        lines.append(
          "  \(column.name): proposed \(column.type.rawValue); \(stats.kind.rawValue), \(stats.nullCount) nulls, "
            + "\(stats.distinctCount) distinct; samples: \(samples)")
      }
    }
    return lines.joined(separator: "\n")
  }
}
