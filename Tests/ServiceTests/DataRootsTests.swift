// Job paths must lie inside the data roots once links, `.` and `..` are resolved: unit checks of DataRoots, and
// the HTTP API refusing inputs and outputs outside them with 422 naming the field.
import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import Service
import Testing

@Suite struct DataRootsTests {
  /// tmp/inside (the root), tmp/outside, tmp/inside-not (a sibling sharing the prefix), tmp/inside/escape -> outside,
  /// tmp/alias -> inside.
  static func layout() throws -> (TemporaryDataDirectory, inside: String, outside: String) {
    let data = TemporaryDataDirectory()
    let inside = data.path + "/inside"
    let outside = data.path + "/outside"
    for directory in [inside, outside, data.path + "/inside-not"] {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    try FileManager.default.createSymbolicLink(atPath: inside + "/escape", withDestinationPath: outside)
    try FileManager.default.createSymbolicLink(atPath: data.path + "/alias", withDestinationPath: inside)
    return (data, inside, outside)
  }

  static func refused(_ roots: DataRoots, _ path: String) -> Bool {
    do {
      try roots.check(path, field: "output")
      return false
    } catch { return error.field == "output" && error.message.contains(path) }
  }

  @Test func pathsResolveBeforeTheyAreCompared() throws {
    let (data, inside, outside) = try Self.layout()
    defer { withExtendedLifetime(data) {} }
    let roots = DataRoots([inside])
    #expect(!Self.refused(roots, inside + "/a.parquet"))
    #expect(!Self.refused(roots, inside + "/new/deeper/a.parquet"))
    #expect(!Self.refused(roots, data.path + "/alias/a.parquet"))
    #expect(!Self.refused(roots, inside + "/./x/../a.parquet"))
    #expect(Self.refused(roots, outside + "/a.parquet"))
    #expect(Self.refused(roots, inside + "/../outside/a.parquet"))
    #expect(Self.refused(roots, inside + "/escape/a.parquet"))
    #expect(Self.refused(roots, inside + "/escape/new/a.parquet"))
    #expect(Self.refused(roots, data.path + "/inside-not/a.parquet"))
    #expect(!Self.refused(DataRoots([data.path + "/alias"]), inside + "/a.parquet"))
  }

  @Test func everyPathOfASpecIsChecked() throws {
    let (data, inside, outside) = try Self.layout()
    defer { withExtendedLifetime(data) {} }
    let roots = DataRoots([inside])
    func field(_ spec: JobSpec) -> String? {
      do {
        try roots.check(spec)
        return nil
      } catch { return error.field }
    }
    let texts = EmbedInput(texts: ["a"], embedder: "hashing")
    #expect(field(JobSpec(kind: .embed, embed: texts, output: inside + "/r.parquet")) == nil)
    #expect(field(JobSpec(kind: .embed, embed: texts, output: outside + "/r.parquet")) == "output")
    let parquet = EmbedInput(parquet: outside + "/t.parquet", textColumn: "t", embedder: "hashing")
    #expect(field(JobSpec(kind: .embed, embed: parquet)) == "embed.parquet")
    let predict = PredictInput(checkpoint: outside + "/c", database: inside + "/d", task: "t")
    #expect(field(JobSpec(kind: .predict, predict: predict)) == "predict.checkpoint")
    let database = PredictInput(checkpoint: inside + "/c", database: inside + "/escape/d", task: "t")
    #expect(field(JobSpec(kind: .predict, predict: database)) == "predict.database")
    #expect(DataRoots.fromEnvironment(["TRIBUTARY_DATA_ROOTS": "/a::/b"]) == ["/a", "/b"])
    #expect(DataRoots.fromEnvironment(["TRIBUTARY_DATA_ROOTS": ""]) == nil)
  }

  @Test func theAPIRefusesPathsOutsideTheRoots() async throws {
    let (data, inside, outside) = try Self.layout()
    var configuration = ServiceConfiguration()
    configuration.port = 0
    configuration.workers = 0
    configuration.dataRoots = [inside]
    let service = BatchService(
      queue: try data.queue(), executors: TemporaryDataDirectory.executors(), files: data.files,
      configuration: configuration)
    try await service.application().test(.live) { client in
      let cases: [(String, HTTPResponse.Status, String?)] = [
        (
          #"{"kind": "embed", "embed": {"texts": ["a"], "embedder": "hashing"}, "output": "\#(outside)/r.parquet"}"#,
          .unprocessableContent, "output"
        ),
        (
          #"{"kind": "embed", "embed": {"parquet": "\#(inside)/escape/t.parquet", "text_column": "t", "embedder": "hashing"}}"#,
          .unprocessableContent, "embed.parquet"
        ),
        (
          #"{"kind": "embed", "embed": {"texts": ["a"], "embedder": "hashing"}, "output": "\#(inside)/r.parquet"}"#,
          .accepted, nil
        ),
      ]
      for (json, status, field) in cases {
        try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(string: json)) { response in
          #expect(response.status == status, "\(json)")
          if field != nil {
            let checked = try HTTPTests.errorField(response)
            #expect(checked == field, "\(json)")
          }
        }
      }
    }
  }
}
