// Every `tributary runs` report on a small store built here: the rows each command selects, the aligned
// text it prints, and its JSON. Run ids are random, so text checks split columns rather than compare bytes.
import Foundation
import TestSupport
import Testing

@testable import Experiments

/// alpha (succeeded, task driver-dnf, tag base), beta (succeeded, driver-top3), gamma (still running, tag wip).
func smallStore() throws -> (home: TemporaryHome, alpha: String, beta: String, gamma: String) {
  let home = try TemporaryHome()
  let alpha = try home.store.startRun(
    kind: .train, name: "alpha",
    config: TinyConfig(learningRate: 0.001, layers: 2, optimizer: ["beta1": 0.9]),
    databases: ["f1"], tasks: ["driver-dnf"], tags: ["base"])
  for step in 0..<5 { try alpha.logMetrics(step: step, ["loss": 1 / Double(step + 1)]) }
  try alpha.logEvaluation(split: "validation", step: 4, metrics: ["auroc": 0.7])
  try alpha.finish(finalMetrics: ["test/auroc": 0.75, "test/loss": 0.3])
  let beta = try home.store.startRun(
    kind: .train, name: "beta", config: TinyConfig(learningRate: 0.01, layers: 2, optimizer: ["beta1": 0.95]),
    databases: ["f1"], tasks: ["driver-top3"])
  for step in 0..<3 { try beta.logMetrics(step: step * 2, ["loss": 2 / Double(step + 1)]) }
  try beta.logEvaluation(split: "validation", step: 4, metrics: ["auroc": 0.65])
  try beta.finish(finalMetrics: ["test/auroc": 0.8])
  let gamma = try home.store.startRun(kind: .evaluate, name: "gamma", config: ["k": 1], tags: ["wip"])
  home.retained.append(gamma)
  return (home, alpha.id, beta.id, gamma.id)
}

/// The cells of a rendered table line (columns are separated by at least two spaces).
func cells(_ line: Substring) -> [String] {
  line.split(separator: /\s{2,}/).map { $0.trimmingCharacters(in: .whitespaces) }
}

@Suite(.removesTemporaryFiles) struct ReportTests {
  @Test func listFiltersAndAligns() throws {
    let (home, alpha, beta, gamma) = try smallStore()
    let all = try home.store.listRuns()
    #expect(all.map(\.id) == [alpha, beta, gamma])
    #expect(all.map(\.steps) == [4, 4, nil])
    #expect(try home.store.listRuns(status: .running).map(\.name) == ["gamma"])
    #expect(try home.store.listRuns(tag: "base").map(\.name) == ["alpha"])

    let lines = Reports.runList(all).split(separator: "\n")
    #expect(lines.count == 5)
    #expect(cells(lines[0]) == ["ID", "NAME", "KIND", "STATUS", "STARTED", "DURATION", "STEPS", "TAGS"])
    #expect(cells(lines[2]).prefix(4) == [alpha, "alpha", "train", "succeeded"])
    #expect(cells(lines[4]).prefix(4) == [gamma, "gamma", "evaluate", "running"])
    // Aligned: each name starts under the NAME header.
    func offset(_ line: Substring, _ text: String) -> Int? {
      line.range(of: text).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
    }
    let nameColumn = offset(lines[0], "NAME")
    #expect(nameColumn == alpha.count + 2)
    #expect(zip(lines[2...], ["alpha", "beta", "gamma"]).allSatisfy { offset($0, $1) == nameColumn })
    #expect(Reports.runList([]) == "no runs")
  }

  @Test func showPrintsSectionsAndJSON() throws {
    let (home, alpha, _, _) = try smallStore()
    let details = try home.store.details(of: "alpha")
    let text = Reports.runDetails(details)
    #expect(text.contains("id:         \(alpha)"))
    #expect(text.contains("\nconfig\n  layers:          2\n  learningRate:    0.001\n  optimizer.beta1: 0.9"))
    #expect(
      text.contains(
        "final metrics\n  METRIC      VALUE\n  ----------  -----\n  test/auroc   0.75\n  test/loss     0.3"))
    #expect(text.contains("\n  validation  auroc      4    0.7\n"))
    #expect(text.contains("\n  loss         5          4   0.2  0.2    1\n"))
    let json = try JSONSerialization.jsonObject(with: Data(Reports.json(details).utf8)) as? [String: Any]
    #expect((json?["final_metrics"] as? [String: Double]) == ["test/auroc": 0.75, "test/loss": 0.3])
    #expect((json?["run"] as? [String: Any])?["status"] as? String == "succeeded")
  }

  @Test func compareMarksDifferences() throws {
    let (home, _, _, _) = try smallStore()
    let comparison = try home.store.compare(["alpha", "beta"])
    #expect(comparison.config.map(\.key) == ["layers", "learningRate", "optimizer.beta1"])
    #expect(comparison.config.map(\.differs) == [false, true, true])
    #expect(comparison.finalMetrics.first { $0.key == "test/loss" }?.values == ["0.3", nil])
    let lines = Reports.comparison(comparison).split(separator: "\n")
    #expect(lines[0] == "config (2 of 3 keys differ, marked *)")
    #expect(lines.contains { cells($0) == ["*", "learningRate", "0.001", "0.01"] })
    #expect(lines.contains { cells($0) == ["layers", "2", "2"] && !$0.hasPrefix("*") })
    #expect(lines.contains { cells($0) == ["*", "test/loss", "0.3", "-"] })
  }

  @Test func bestRanksByFinalOrSplitMetric() throws {
    let (home, _, _, _) = try smallStore()
    #expect(try home.store.best(metric: "test/auroc").map(\.name) == ["beta", "alpha"])
    #expect(try home.store.best(metric: "test/auroc", lowest: true).map(\.name) == ["alpha", "beta"])
    #expect(try home.store.best(metric: "test/auroc", task: "driver-dnf").map(\.name) == ["alpha"])
    #expect(try home.store.best(metric: "test/auroc", top: 1).map(\.value) == [0.8])
    #expect(try home.store.best(metric: "auroc", split: "validation").map(\.value) == [0.7, 0.65])
    #expect(try home.store.best(metric: "missing").isEmpty)
    let lines = Reports.best(try home.store.best(metric: "test/auroc"), metric: "test/auroc").split(
      separator: "\n")
    #expect(cells(lines[0]) == ["RANK", "ID", "NAME", "TEST/AUROC", "TASKS", "STARTED"])
    #expect(Array(cells(lines[2])[2...4]) == ["beta", "0.8", "driver-top3"])
  }

  @Test func summaryCountsTheStore() throws {
    let (home, _, _, _) = try smallStore()
    let summary = try home.store.summary()
    #expect(summary.runs == 3)
    #expect(summary.byStatus == ["succeeded": 2, "running": 1])
    #expect(summary.byKind == ["train": 2, "evaluate": 1])
    #expect(summary.stepMetricRows == 8 && summary.evaluationRows == 2)
    #expect(summary.tags == ["base": 1, "wip": 1])
    #expect(summary.metricNames == ["loss", "test/auroc", "test/loss"])
    #expect(Reports.summary(summary).contains("by status:       running 1, succeeded 2"))
  }

  @Test func tagAndDeleteChangeTheList() throws {
    let (home, _, beta, _) = try smallStore()
    try home.store.tag(run: "beta", ["sweep", "base"])
    #expect(try home.store.listRuns(tag: "base").map(\.name) == ["alpha", "beta"])
    #expect(try home.store.details(of: beta).run.tags == ["base", "sweep"])
    try home.store.deleteRun(beta)
    #expect(try home.store.listRuns().map(\.name) == ["alpha", "gamma"])
  }

  @Test func queryReturnsRowsAndTextAndJSON() throws {
    let (home, _, _, _) = try smallStore()
    let result = try home.store.query(
      sql:
        "SELECT run_name, count(*) AS n, max(value) AS worst FROM metrics GROUP BY run_name ORDER BY run_name"
    )
    #expect(result.columns == ["run_name", "n", "worst"])
    #expect(
      result.rows == [[.text("alpha"), .integer(5), .real(1)], [.text("beta"), .integer(3), .real(2)]])
    #expect(
      Reports.queryResult(result).split(separator: "\n").map(cells) == [
        ["run_name", "n", "worst"], ["--------", "-", "-----"], ["alpha", "5", "1"], ["beta", "3", "2"],
        ["(2 rows)"],
      ])
    let decoded = try JSONSerialization.jsonObject(with: Data(Reports.json(result).utf8)) as? [String: Any]
    #expect(decoded?["columns"] as? [String] == ["run_name", "n", "worst"])
    #expect((decoded?["rows"] as? [[Any]])?.first?.first as? String == "alpha")
  }

  @Test func badSQLReturnsSQLitesMessage() throws {
    let (home, _, _, _) = try smallStore()
    #expect(
      throws: ExperimentsError.sql(
        message: "no such table: missing_table", statement: "SELECT * FROM missing_table")
    ) {
      try home.store.query(sql: "SELECT * FROM missing_table")
    }
    #expect(throws: ExperimentsError.sql(message: "near \"SELEC\": syntax error", statement: "SELEC 1")) {
      try home.store.query(sql: "SELEC 1")
    }
    #expect(
      throws: ExperimentsError.sql(
        message: "attempt to write a readonly database", statement: "DELETE FROM run")
    ) {
      try home.store.query(sql: "DELETE FROM run")
    }
    #expect(
      throws: ExperimentsError.sql(
        message: "give one SQL statement at a time", statement: "SELECT 1; SELECT 2")
    ) {
      try home.store.query(sql: "SELECT 1; SELECT 2")
    }
    #expect(try home.store.listRuns().count == 3)
  }

  @Test func viewsExposeDocumentedColumns() throws {
    let (home, _, _, _) = try smallStore()
    let expected: [String: [String]] = [
      "runs": [
        "run_id", "name", "kind", "status", "started_at", "ended_at", "duration_s", "host", "pid",
        "tool_version",
        "git_commit", "config", "databases", "tasks", "hardware", "cpu_model", "threads", "gpu", "checkpoint",
        "outputs", "failure", "tags", "final_metrics",
      ],
      "metrics": ["run_id", "run_name", "step", "metric", "value", "recorded_at"],
      "evaluations": ["run_id", "run_name", "step", "split", "metric", "value", "recorded_at"],
      "final_metrics": ["run_id", "run_name", "metric", "value"],
      "tags": ["run_id", "tag"],
    ]
    for (view, columns) in expected {
      #expect(try home.store.query(sql: "SELECT * FROM \(view) LIMIT 0").columns == columns, "\(view)")
    }
    let finals = try home.store.query(
      sql: "SELECT json_extract(final_metrics, '$.\"test/auroc\"') FROM runs WHERE name = 'beta'")
    #expect(finals.rows == [[.real(0.8)]])
  }
}
