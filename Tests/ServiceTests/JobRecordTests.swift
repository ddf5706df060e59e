// Throughput, ETA and SLA risk from hand-computed cases; the constant-time key comparison; API keys from the
// environment.
import Foundation
import JobQueue
import Parquet
import TestSupport
import Testing

@testable import Service

@Suite struct JobRecordTests {
  static func job(
    done: Int, total: Int, state: JobState = .running, sla: Double? = nil, finished: Double? = nil
  )
    -> JobRecord
  {
    JobRecord(
      id: "j", spec: JobSpec(kind: .embed, slaSeconds: sla), state: state, totalItems: total, doneItems: done,
      chunkCount: 1, doneChunks: 0, submittedAt: 1000, startedAt: 1010, finishedAt: finished,
      outputPath: "/o",
      error: nil)
  }

  @Test func rateAndETAComeFromTheMeasuredProgress() throws {
    // 50 items in the 10 s since start: 5 items/s, 150 left: 30 s.
    let job = Self.job(done: 50, total: 200)
    #expect(job.itemsPerSecond(now: 1020) == 5)
    #expect(job.etaSeconds(now: 1020) == 30)
    #expect(Self.job(done: 0, total: 200).etaSeconds(now: 1020) == nil)
  }

  @Test func theStatusPageShowsItemsAndCellsPerSecond() {
    // 5 items/s (above) of 1,024-cell contexts: 5,120 cells/s.
    var job = Self.job(done: 50, total: 200)
    #expect(StatusPage.row(job, now: 1020).contains("<td>5.0 items/s</td>"))
    job.spec.cellsPerItem = 1024
    #expect(
      StatusPage.row(job, now: 1020).contains("5.0 items/s<br><span class=\"muted\">5.1k cells/s</span>"))
    #expect(StatusPage.count(950) == "950" && StatusPage.count(4_560_000) == "4.56M")
  }

  @Test func embedJobsReportTokensPerSecondFromTheirTextsMeanTokenCount() async throws {
    let registry = ExecutorRegistry([EmbedExecutor(embedders: EmbedderCatalog.resolver(hashingDimension: 8))])
    func tokensPerItem(_ texts: [String]) async throws -> Double? {
      try await registry.resolve(JobSpec(kind: .embed, embed: EmbedInput(texts: texts, embedder: "hashing")))
        .tokensPerItem
    }
    // The hashing embedder's tokens are words: 3, 2, 4 and 1.
    #expect(try await tokensPerItem(["a b c", "d e", "f g h i", "j"]) == 2.5)
    // 5,000 texts of 1, 2, 3, 4, 1, ... words: every second one is counted (2,000 at most), 1 and 3 words.
    let many = (0..<5000).map { i in Array(repeating: "w", count: i % 4 + 1).joined(separator: " ") }
    #expect(try await tokensPerItem(many) == 2)
    // A Parquet column: its first row group is sampled (words 1, 2, 3, 4, 1, ...: mean 2.5 over 8 texts).
    let path = TemporaryFiles.path("texts.parquet")
    var values = ByteArrayValues()
    for i in 0..<8 {
      values.data += Array(Array(repeating: "w", count: i % 4 + 1).joined(separator: " ").utf8)
      values.offsets.append(values.data.count)
    }
    let element = SchemaElement.leaf("t", .byteArray, optional: false, logicalType: .string)
    let descriptor = ColumnDescriptor(
      index: 0, path: ["t"], element: element, maxDefinitionLevel: 0, maxRepetitionLevel: 0)
    try ParquetWriter.write(
      [ColumnData(descriptor: descriptor, values: .byteArray(values), validity: nil)], to: path)
    let fromFile = try await registry.resolve(
      JobSpec(kind: .embed, embed: EmbedInput(parquet: path, textColumn: "t", embedder: "hashing")))
    #expect(fromFile.tokensPerItem == 2.5)
    var job = Self.job(done: 50, total: 200)
    job.spec.tokensPerItem = 2.5
    #expect(job.tokensPerSecond(now: 1020) == 12.5)
    #expect(
      StatusPage.row(job, now: 1020).contains("5.0 items/s<br><span class=\"muted\">12 tokens/s</span>"))
  }

  @Test func atRiskWhenTheETAPassesTheDeadline() {
    // Deadline 1000 + 45 = 1045; at 1020 the ETA of 30 s ends at 1050: at risk. With 60 s of SLA: 1060, on time.
    #expect(Self.job(done: 50, total: 200, sla: 45).atRisk(now: 1020))
    #expect(!Self.job(done: 50, total: 200, sla: 60).atRisk(now: 1020))
    #expect(!Self.job(done: 50, total: 200).atRisk(now: 1020))
    // No rate yet: at risk only once the deadline has passed.
    #expect(!Self.job(done: 0, total: 200, sla: 60).atRisk(now: 1050))
    #expect(Self.job(done: 0, total: 200, sla: 60).atRisk(now: 1061))
    // Finished: late if it finished after the deadline.
    #expect(Self.job(done: 200, total: 200, state: .succeeded, sla: 60, finished: 1070).atRisk(now: 2000))
    #expect(!Self.job(done: 200, total: 200, state: .succeeded, sla: 60, finished: 1050).atRisk(now: 2000))
  }

  @Test func keysCompareExactly() {
    let keys = APIKeys(["alpha", "beta-2"])
    #expect(keys.accepts(Array("alpha".utf8)) && keys.accepts(Array("beta-2".utf8)))
    for wrong in ["", "alph", "alphaa", "Alpha", "beta-3", "alpha,beta-2"] {
      #expect(!keys.accepts(Array(wrong.utf8)), "\(wrong)")
    }
    #expect(!APIKeys([]).isEnabled)
    let fromEnvironment = APIKeys.fromEnvironment(["TRIBUTARY_API_KEYS": " one , two,, "])
    #expect(fromEnvironment.accepts(Array("one".utf8)) && fromEnvironment.accepts(Array("two".utf8)))
    #expect(!fromEnvironment.accepts(Array(" one ".utf8)))
    #expect(!APIKeys.fromEnvironment([:]).isEnabled)
  }
}
