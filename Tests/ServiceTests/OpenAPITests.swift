// docs/openapi.yaml against the Codable types it describes: every JSON key a job spec can carry is documented
// under its schema, and nothing documented there is unknown to the decoder (a renamed or removed field fails here).
import Foundation
import JobQueue
import TestSupport
import Testing

@Suite struct OpenAPITests {
  static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")

  /// The property names of schema `name` (the keys indented under its `properties:`).
  static func properties(of name: String) throws -> Set<String> {
    let lines = try String(contentsOf: document, encoding: .utf8).split(separator: "\n").map(String.init)
    guard let start = lines.firstIndex(of: "    \(name):") else { throw TestFailure("no schema \(name)") }
    var names: Set<String> = []
    var inProperties = false
    for line in lines[(start + 1)...] {
      if line.hasPrefix("    ") && !line.hasPrefix("     ") { break }
      if line == "      properties:" { inProperties = true; continue }
      guard inProperties, line.hasPrefix("        "), !line.hasPrefix("         ") else { continue }
      let key = line.dropFirst(8).prefix { $0 != ":" }
      names.insert(String(key))
    }
    return names
  }

  /// The JSON keys of `value` encoded with every optional field set.
  static func keys(_ value: some Encodable) throws -> Set<String> {
    let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? [String: Any]
    return Set((object ?? [:]).keys)
  }

  @Test func predictInputAndSeedAreDocumentedFieldForField() throws {
    var input = PredictInput(
      checkpoint: "/c", database: "/d", task: "t", split: "test", seeds: [SeedInput(key: [.int(1)])],
      seedsPath: "/s.parquet", time: "2024-01-01", samples: 2, batchSize: 4)
    input.seedsStamp = "1:2.3"
    #expect(try Self.properties(of: "PredictInput") == Self.keys(input))
    #expect(
      try Self.properties(of: "Seed") == Self.keys(SeedInput(key: [.int(1)], row: 2, time: "2024-01-01")))
  }

  @Test func embedInputIsDocumentedFieldForField() throws {
    let input = EmbedInput(parquet: "/p.parquet", textColumn: "text", texts: ["a"], embedder: "hashing")
    #expect(try Self.properties(of: "EmbedInput") == Self.keys(input))
  }

  @Test func fieldsNoInputHasAreNamedByPath() throws {
    let body = #"""
      {"kind": "predict", "prio": 1, "embed": {"textcolumn": "t"},
       "predict": {"checkpoint": "/c", "database": "/d", "task": "t", "seed_rows": [1],
                   "seeds": [{"key": 1}, {"key": 2, "when": "2024-01-01"}]}}
      """#
    let json = try JSONSerialization.jsonObject(with: Data(body.utf8))
    #expect(
      JobSpec.unknownFields(in: json) == [
        "embed.textcolumn", "predict.seed_rows", "predict.seeds[1].when", "prio",
      ])
    let valid = try JSONSerialization.jsonObject(
      with: try JSONEncoder().encode(
        JobSpec(
          kind: .predict,
          predict: PredictInput(
            checkpoint: "/c", database: "/d", task: "t", seeds: [SeedInput(row: 1, time: "2024-01-01")],
            samples: 2),
          slaSeconds: 5, priority: 1, output: "/o.parquet", chunkSize: 3)))
    #expect(JobSpec.unknownFields(in: valid).isEmpty)
  }
}
