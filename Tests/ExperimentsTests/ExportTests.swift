// `runs export` read back with pyarrow (tools/read_experiments_export.py): the Arrow schema, and every row
// of both files against what the store's views hold.
import Foundation
import TestSupport
import Testing

@testable import Experiments

@Suite(.removesTemporaryFiles) struct ExportTests {
  /// The committed reader script.
  static let script = TestPaths.tool("read_experiments_export.py").path

  func readWithPyarrow(_ directory: String) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Self.script, directory]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
  }

  @Test func exportedFilesReadBackWithPyarrow() throws {
    let (home, alpha, beta, gamma) = try smallStore()
    let directory = home.url.appendingPathComponent("export").path
    let summary = try home.store.export(to: directory)
    #expect(summary.runs == 3 && summary.metricRows == 8 + 2 + 3)
    let read = try readWithPyarrow(directory)
    let runs = read["runs"] as? [String: Any]
    let metrics = read["metrics"] as? [String: Any]

    let runSchema = runs?["schema"] as? [String: String]
    #expect(runSchema?["run_id"] == "string" && runSchema?["started_at"] == "timestamp[us, tz=UTC]")
    #expect(runSchema?["pid"] == "int64" && runSchema?["duration_s"] == "double")
    #expect(
      metrics?["schema"] as? [String: String] == [
        "run_id": "string", "step": "int64", "split": "string", "metric": "string", "value": "double",
      ])
    #expect((runs?["nullable"] as? [String: Bool])?["run_id"] == false)

    let runRows = runs?["rows"] as? [[Any]] ?? []
    #expect(runRows.map { $0[0] as? String } == [alpha, beta, gamma])
    #expect(runRows.map { $0[3] as? String } == ["succeeded", "succeeded", "running"])
    let started = try home.store.query(sql: "SELECT started_at FROM runs ORDER BY started_at, run_id").rows
    // The store's "2026-11-23T15:10:03.123Z" is 1795…123000 µs; pyarrow gives the timestamp as integer µs.
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let expected = started.map { row in
      parser.date(from: row.first?.rendered ?? "").map {
        Int(($0.timeIntervalSince1970 * 1000).rounded()) * 1000
      }
    }
    #expect(runRows.map { $0[4] as? Int } == expected)
    #expect(expected.allSatisfy { $0 != nil })
    #expect(runRows[2][5] is NSNull)
    #expect(runRows[0][22] as? String == #"{"test/auroc":0.75,"test/loss":0.3}"#)

    let metricRows = metrics?["rows"] as? [[Any]] ?? []
    #expect(metricRows.count == 13)
    let alphaLoss = metricRows.filter {
      $0[0] as? String == alpha && $0[3] as? String == "loss" && $0[2] is NSNull
    }
    #expect(alphaLoss.map { $0[1] as? Int } == [0, 1, 2, 3, 4])
    #expect(alphaLoss.map { $0[4] as? Double } == [1, 0.5, 1 / 3, 0.25, 0.2])
    let evaluation = metricRows.filter { $0[2] as? String == "validation" }
    #expect(evaluation.map { $0[4] as? Double } == [0.7, 0.65])
    let finals = metricRows.filter { $0[2] as? String == "final" }
    #expect(finals.count == 3 && finals.allSatisfy { $0[1] is NSNull })
  }
}
