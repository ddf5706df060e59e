// The recording API: what a run writes is what the views return; finishing twice, NaN values, run lookup,
// heartbeats, remote-host leases and deletion.
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Experiments

struct TinyConfig: Codable, Equatable {
  var learningRate: Double
  var layers: Int
  var optimizer: [String: Double]
}

@Suite(.removesTemporaryFiles) struct RecordingTests {
  @Test func runRecordsConfigEnvironmentMetricsAndOutcome() throws {
    let home = try TemporaryHome()
    let config = TinyConfig(learningRate: 0.001, layers: 2, optimizer: ["beta1": 0.9])
    let run = try home.store.startRun(
      kind: .train, name: "alpha", config: config, databases: ["f1"], tasks: ["driver-dnf"], tags: ["base"],
      threads: 2)
    for step in 0..<5 {
      try run.logMetrics(step: step, ["loss/numerical": 1 / Double(step + 1), "lr": 1e-3])
    }
    try run.logEvaluation(split: "validation", step: 4, metrics: ["auroc": 0.7])
    try run.finish(
      status: .succeeded, finalMetrics: ["test/auroc": 0.75], outputs: ["/tmp/predictions.parquet"])

    let details = try home.store.details(of: run.id)
    #expect(details.run.status == "succeeded")
    #expect(details.run.steps == 4)
    #expect(details.run.tags == ["base"])
    #expect(details.toolVersion == "test")
    #expect(details.pid == Int(ProcessInfo.processInfo.processIdentifier))
    #expect(details.databases == ["f1"] && details.tasks == ["driver-dnf"])
    #expect(details.outputs == ["/tmp/predictions.parquet"])
    #expect(
      details.config
        == .object([
          "learningRate": .number(0.001), "layers": .number(2), "optimizer": .object(["beta1": .number(0.9)]),
        ]))
    guard case .object(let hardware) = details.hardware else {
      Issue.record("hardware is not an object"); return
    }
    #expect(hardware["threads"] == .number(2))
    #expect(details.metrics.map(\.metric) == ["loss/numerical", "lr"])
    #expect(details.metrics.first?.lastValue == 0.2)
    #expect(details.metrics.first?.points == 5)
    #expect(
      details.evaluations == [EvaluationValue(split: "validation", step: 4, metric: "auroc", value: 0.7)])
    #expect(details.finalMetrics == ["test/auroc": 0.75])
    #expect(details.run.endedAt != nil && details.run.durationSeconds != nil)
  }

  @Test func finishingTwiceThrowsAndNaNIsStoredAsNull() throws {
    let home = try TemporaryHome()
    let run = try home.store.startRun(kind: .evaluate, name: "once", config: [String: Int]())
    try run.logMetrics(step: 0, ["loss": .nan, "inf": .infinity])
    try run.finish(status: .failed, failure: "diverged")
    #expect(throws: ExperimentsError.runNotRunning(id: run.id, status: "failed")) {
      try run.finish()
    }
    let values = try home.store.query(sql: "SELECT metric, value FROM metrics ORDER BY metric")
    #expect(values.rows == [[.text("inf"), .real(.infinity)], [.text("loss"), .null]])
    #expect(try home.store.details(of: "once").failure == "diverged")
  }

  @Test func runReleasedWithoutFinishIsMarkedFailed() throws {
    let home = try TemporaryHome()
    func trainThatThrows() throws -> String {
      let run = try home.store.startRun(kind: .train, name: "unwound", config: [String: Int]())
      try run.logMetrics(step: 0, ["loss": 1])
      return run.id
    }
    let id = try trainThatThrows()
    let details = try home.store.details(of: id)
    #expect(details.run.status == "failed")
    #expect(details.failure == "abandoned: released without finish()")
    #expect(details.metrics.count == 1)
  }

  @Test func runsAreFoundByIdPrefixOrUniqueName() throws {
    let home = try TemporaryHome()
    let first = try home.store.startRun(kind: .train, name: "same", config: [String: Int]())
    let second = try home.store.startRun(kind: .train, name: "same", config: [String: Int]())
    let other = try home.store.startRun(kind: .train, name: "other", config: [String: Int]())
    #expect(try home.store.resolveRun(first.id) == first.id)
    #expect(try home.store.resolveRun("other") == other.id)
    #expect(try home.store.resolveRun(String(second.id.dropLast(1))) == second.id)
    #expect(throws: ExperimentsError.ambiguousRun("same", candidates: [first.id, second.id])) {
      try home.store.resolveRun("same")
    }
    #expect(throws: ExperimentsError.runNotFound("nope")) { try home.store.resolveRun("nope") }
    // Every id starts with the date, so the date alone is an ambiguous prefix.
    #expect(throws: ExperimentsError.self) { try home.store.resolveRun(String(first.id.prefix(8))) }
  }

  @Test func heartbeatAdvancesWhileTheRunLives() throws {
    let home = try TemporaryHome(options: .init(toolVersion: "test", heartbeatInterval: 0.05))
    let run = try home.store.startRun(kind: .train, name: "beating", config: [String: Int]())
    let heartbeat = {
      try home.store.read { db in try Double.fetchOne(db, sql: "SELECT heartbeat_unix FROM run") }
    }
    let first = try heartbeat()
    Thread.sleep(forTimeInterval: 0.4)
    let later = try heartbeat()
    #expect((later ?? 0) > (first ?? .infinity))
    try run.finish()
  }

  @Test func runOfAnotherHostIsCrashedOnlyAfterItsLease() throws {
    let home = try TemporaryHome(options: .init(toolVersion: "test", remoteLease: 60))
    let now = Clock.nowUnix()
    try home.store.write { db in
      for (id, age) in [("stale", 600.0), ("fresh", 5.0)] {
        try db.execute(
          sql: """
            INSERT INTO run (id, name, kind, status, started_at, heartbeat_unix, host, pid, config, tool_version,
              databases, tasks, hardware, outputs)
            VALUES (?, ?, 'train', 'running', ?, ?, 'elsewhere', 1, '{}', 'x', '[]', '[]', '{}', '[]')
            """, arguments: [id, id, Clock.iso8601(unix: now - 700), now - age])
        try db.execute(
          sql:
            "INSERT INTO step_metric (run_id, step, name, value, recorded_at) VALUES (?, 0, 'loss', 1, 'x')",
          arguments: [id])
      }
    }
    #expect(try home.store.markCrashedRuns() == ["stale"])
    let stale = try home.store.details(of: "stale")
    #expect(stale.run.status == "failed")
    #expect(stale.failure?.contains("no heartbeat from host elsewhere") == true)
    #expect(stale.metrics.count == 1)
    #expect(try home.store.details(of: "fresh").run.status == "running")
  }

  @Test func deletingARunDeletesItsRows() throws {
    let home = try TemporaryHome()
    let run = try home.store.startRun(kind: .train, name: "gone", config: [String: Int](), tags: ["x"])
    try run.logMetrics(step: 0, ["loss": 1])
    try run.logEvaluation(split: "test", metrics: ["auroc": 0.5])
    try run.finish(finalMetrics: ["auroc": 0.5])
    try home.store.deleteRun("gone")
    for view in ["runs", "metrics", "evaluations", "final_metrics", "tags"] {
      #expect(try scalar(home.store, "SELECT count(*) FROM \(view)") == 0, "\(view)")
    }
  }

  @Test func storeIsWALAndReopensWithoutMigratingAgain() throws {
    let home = try TemporaryHome()
    #expect(try home.store.query(sql: "PRAGMA journal_mode").rows == [[.text("wal")]])
    let again = try ExperimentStore.open(home.store.location)
    #expect(try scalar(again, "SELECT count(*) FROM grdb_migrations") == 2)
  }

  @Test func homeComesFromTheEnvironment() {
    #expect(
      StoreLocation.fromEnvironment(["TRIBUTARY_HOME": "/data/t"]).databaseFile.path
        == "/data/t/experiments.sqlite")
    #expect(StoreLocation.fromEnvironment(["HOME": "/home/u"]).home.path == "/home/u/.tributary")
  }
}
