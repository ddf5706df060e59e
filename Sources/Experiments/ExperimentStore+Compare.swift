// `runs compare` and `runs summary`: configurations flattened to dotted keys and laid side by side with
// the keys whose values differ flagged; final metrics likewise; and counts over the whole store.
import Foundation
import GRDB

extension ExperimentStore {
  public func compare(_ keys: [String]) throws -> RunComparison {
    let runs = try keys.map(details(of:))
    let configs = runs.map {
      Dictionary($0.config.flattened().map { ($0.key, $0.value) }) { first, _ in first }
    }
    let configKeys = Set(configs.flatMap(\.keys)).sorted()
    let config = configKeys.map { key in line(key, configs.map { $0[key] }) }
    let metricKeys = Set(runs.flatMap(\.finalMetrics.keys)).sorted()
    let finals = metricKeys.map { key in
      line(key, runs.map { run in run.finalMetrics[key].map { NumberText.render($0) } })
    }
    return RunComparison(runs: runs.map(\.run), config: config, finalMetrics: finals)
  }

  private func line(_ key: String, _ values: [String?]) -> RunComparison.Line {
    RunComparison.Line(key: key, values: values, differs: Set(values.map { $0 ?? "\u{0}" }).count > 1)
  }

  public func summary() throws -> StoreSummary {
    try read { db in
      func counts(_ sql: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = row[1] }
        return result
      }
      func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
      return StoreSummary(
        path: location.databaseFile.path, runs: try count("SELECT count(*) FROM run"),
        byStatus: try counts("SELECT status, count(*) FROM run GROUP BY status"),
        byKind: try counts("SELECT kind, count(*) FROM run GROUP BY kind"),
        stepMetricRows: try count("SELECT count(*) FROM step_metric"),
        evaluationRows: try count("SELECT count(*) FROM evaluation_metric"),
        firstStart: try String.fetchOne(db, sql: "SELECT min(started_at) FROM run"),
        lastStart: try String.fetchOne(db, sql: "SELECT max(started_at) FROM run"),
        tags: try counts("SELECT tag, count(*) FROM run_tag GROUP BY tag"),
        metricNames: try String.fetchAll(
          db, sql: "SELECT name FROM step_metric UNION SELECT name FROM final_metric ORDER BY 1"),
        models: try count("SELECT count(*) FROM model"), databases: try count("SELECT count(*) FROM database")
      )
    }
  }
}
