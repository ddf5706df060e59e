// The HTTP API end to end on loopback (a live Hummingbird server and client): submit, poll, fetch the result,
// cancel, auth, bad input naming the field, size limits, metrics, health and the status page.
import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import Service
import Testing

@Suite struct HTTPTests {
  static func service(
    _ data: TemporaryDataDirectory, keys: [String] = [], maxBody: Int = 1 << 20, workers: Int = 1,
    pause: Duration = .zero
  ) throws -> BatchService {
    var configuration = ServiceConfiguration()
    configuration.port = 0
    configuration.apiKeys = APIKeys(keys)
    configuration.maxBodyBytes = maxBody
    configuration.workers = workers
    configuration.worker = WorkerOptions(id: "http-test", leaseSeconds: 5, pollSeconds: 0.02)
    return BatchService(
      queue: try data.queue(), executors: TemporaryDataDirectory.executors(pause: pause), files: data.files,
      configuration: configuration)
  }

  static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

  static func object(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(buffer: response.body)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func errorField(_ response: TestResponse) throws -> String? {
    let error = try #require(try object(response)["error"] as? [String: Any])
    return error["field"] as? String
  }

  static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

  @Test func submitPollAndFetchTheResult() async throws {
    let data = TemporaryDataDirectory()
    let texts = Texts.numbered(30)
    let payload = try JSONEncoder().encode(
      JobSpec(
        kind: .embed, embed: EmbedInput(texts: texts, embedder: "hashing"), slaSeconds: 600, chunkSize: 7))
    try await Self.service(data).application().test(.live) { client in
      let id = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: Self.jsonHeaders, body: ByteBuffer(data: payload)
      ) { response in
        #expect(response.status == .accepted)
        return try #require(try Self.object(response)["id"] as? String)
      }
      let finished = try await waitUntil(seconds: 20) {
        try await client.execute(uri: "/v1/jobs/\(id)", method: .get) { response in
          try Self.object(response)["state"] as? String == "succeeded"
        }
      }
      #expect(finished)
      try await client.execute(uri: "/v1/jobs/\(id)", method: .get) { response in
        let job = try Self.object(response)
        let progress = try #require(job["progress"] as? [String: Any])
        #expect(progress["items_done"] as? Int == 30 && progress["chunks_total"] as? Int == 5)
        #expect(job["at_risk"] as? Bool == false)
        #expect(job["eta_seconds"] as? Double == 0)
        #expect(job["result"] as? String == "/v1/jobs/\(id)/result")
      }
      let output = data.path + "/downloaded.parquet"
      try await client.execute(uri: "/v1/jobs/\(id)/result", method: .get) { response in
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/vnd.apache.parquet")
        try Data(buffer: response.body).write(to: URL(fileURLWithPath: output))
      }
      try await EmbeddingResult.expectComplete(path: output, texts: texts)
      try await client.execute(uri: "/v1/jobs?state=succeeded", method: .get) { response in
        let jobs = try #require(try Self.object(response)["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["id"] as? String } == [id])
      }
    }
  }

  @Test func badInputIsRefusedNamingTheField() async throws {
    let data = TemporaryDataDirectory()
    try await Self.service(data, maxBody: 2048, workers: 0).application().test(.live) { client in
      let cases: [(String, HTTPResponse.Status, String?)] = [
        (#"{"embed": {"texts": ["a"]}}"#, .badRequest, "kind"),
        (#"{"kind": "translate"}"#, .badRequest, "kind"),
        (#"{"kind": "embed", "sla_seconds": "soon", "embed": {"texts": ["a"]}}"#, .badRequest, "sla_seconds"),
        (#"{"kind": "embed", "embed": {"texts": [1]}}"#, .badRequest, "embed.texts[0]"),
        (
          #"{"kind": "embed", "embed": {"texts": ["a"], "embeder": "hashing"}}"#, .unprocessableContent,
          "embed.embeder"
        ),
        (
          #"{"kind": "embed", "embed": {"texts": [], "embedder": "hashing"}}"#, .unprocessableContent,
          "embed.texts"
        ),
        (
          #"{"kind": "embed", "embed": {"texts": ["a"], "embedder": "gpt"}}"#, .unprocessableContent,
          "embed.embedder"
        ),
        (
          #"{"kind": "embed", "embed": {"texts": ["a"], "embedder": "hashing"}, "sla_seconds": 0}"#,
          .unprocessableContent, "sla_seconds"
        ),
        (
          #"{"kind": "predict", "predict": {"checkpoint": "/c", "database": "/d"}}"#, .unprocessableContent,
          "kind"
        ),
        ("not json", .badRequest, nil),
      ]
      for (json, status, field) in cases {
        try await client.execute(
          uri: "/v1/jobs", method: .post, headers: Self.jsonHeaders, body: Self.body(json)
        ) {
          response in
          #expect(response.status == status, "\(json)")
          let checked = try Self.errorField(response)
          #expect(checked == field, "\(json)")
        }
      }
      let large = #"{"kind": "embed", "embed": {"texts": [""# + String(repeating: "x", count: 4096) + #""]}}"#
      try await client.execute(uri: "/v1/jobs", method: .post, body: Self.body(large)) { response in
        #expect(response.status == .contentTooLarge)
      }
      try await client.execute(uri: "/v1/jobs/job-none", method: .get) { response in
        #expect(response.status == .notFound)
        let checked = try Self.errorField(response)
        #expect(checked == "id")
      }
      try await client.execute(uri: "/v1/jobs?state=done", method: .get) { response in
        #expect(response.status == .badRequest)
        let checked = try Self.errorField(response)
        #expect(checked == "state")
      }
      let queued = #"{"kind": "embed", "embed": {"texts": ["a"], "embedder": "hashing"}}"#
      let id = try await client.execute(uri: "/v1/jobs", method: .post, body: Self.body(queued)) { response in
        try #require(try Self.object(response)["id"] as? String)
      }
      try await client.execute(uri: "/v1/jobs/\(id)/result", method: .get) { response in
        #expect(response.status == .conflict)
      }
    }
  }

  @Test func bearerTokensAreRequiredWhenKeysAreSet() async throws {
    let data = TemporaryDataDirectory()
    try await Self.service(data, keys: ["alpha-key", "beta-key"], workers: 0).application().test(.live) {
      client in
      try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
      try await client.execute(uri: "/v1/jobs", method: .get) { response in
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate] == "Bearer")
      }
      for wrong in ["Bearer alpha-ke", "Bearer alpha-keyy", "alpha-key", "Bearer "] {
        try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: wrong]) {
          #expect($0.status == .unauthorized, "\(wrong)")
        }
      }
      try await client.execute(uri: "/v1/jobs", method: .get, headers: [.authorization: "Bearer beta-key"]) {
        #expect($0.status == .ok)
      }
    }
  }

  @Test func cancelStopsARunningJob() async throws {
    let data = TemporaryDataDirectory()
    let texts = Texts.numbered(40)
    let payload = try JSONEncoder().encode(
      JobSpec(kind: .embed, embed: EmbedInput(texts: texts, embedder: "hashing"), chunkSize: 2))
    try await Self.service(data, pause: .milliseconds(50)).application().test(.live) { client in
      let id = try await client.execute(uri: "/v1/jobs", method: .post, body: ByteBuffer(data: payload)) {
        try #require(try Self.object($0)["id"] as? String)
      }
      try await client.execute(uri: "/v1/jobs/\(id)", method: .delete) { response in
        #expect(response.status == .ok)
        let checked = try Self.object(response)["state"] as? String
        #expect(checked == "cancelled")
      }
      try await Task.sleep(for: .milliseconds(200))
      try await client.execute(uri: "/v1/jobs/\(id)", method: .get) { response in
        let job = try Self.object(response)
        #expect(job["state"] as? String == "cancelled")
        let done = try #require((job["progress"] as? [String: Any])?["items_done"] as? Int)
        #expect(done < 40)
      }
    }
  }

  @Test func metricsHealthAndStatusPage() async throws {
    let data = TemporaryDataDirectory()
    try await Self.service(data, workers: 0).application().test(.live) { client in
      let job =
        #"{"kind": "embed", "embed": {"texts": ["<b>x</b>", "y"], "embedder": "hashing"}, "chunk_size": 1}"#
      try await client.execute(uri: "/v1/jobs", method: .post, body: Self.body(job)) {
        #expect($0.status == .accepted)
      }
      try await client.execute(uri: "/metrics", method: .get) { response in
        let text = String(buffer: response.body)
        #expect(text.contains("tributary_jobs_submitted_total 1"))
        #expect(text.contains(#"tributary_jobs{state="queued"} 1"#))
        #expect(text.contains("tributary_queue_pending_chunks 3"))
        #expect(text.contains("tributary_queue_pending_items 2"))
      }
      try await client.execute(uri: "/", method: .get) { response in
        let html = String(buffer: response.body)
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        #expect(html.contains("queued 1") && html.contains("0 / 2"))
      }
    }
  }
}
