// The read side behind `tributary runs list|show|best|summary|compare|plot`, and tag/delete. Runs are named
// on the command line by id, unique id prefix, or name (the newest run of that name wins only when the
// name is unique; otherwise the candidates are listed).
import Foundation
import GRDB

extension ExperimentStore {
  /// The id of the run that `key` names: exact id, exact name (if unique), or unique id prefix.
  public func resolveRun(_ key: String) throws -> String {
    try read { db in
      if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", arguments: [key])
        == true
      {
        return key
      }
      for sql in [
        "SELECT id FROM run WHERE name = ? ORDER BY started_at",
        "SELECT id FROM run WHERE substr(id, 1, length(?1)) = ?1 ORDER BY started_at",
      ] {
        let ids = try String.fetchAll(db, sql: sql, arguments: [key])
        if ids.count == 1 { return ids[0] }
        if ids.count > 1 { throw ExperimentsError.ambiguousRun(key, candidates: ids) }
      }
      throw ExperimentsError.runNotFound(key)
    }
  }

  public func listRuns(status: RunStatus? = nil, tag: String? = nil) throws -> [RunSummaryRow] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT r.*, (SELECT max(step) FROM step_metric m WHERE m.run_id = r.run_id) AS steps FROM runs r
          WHERE (?1 IS NULL OR r.status = ?1)
            AND (?2 IS NULL OR EXISTS (SELECT 1 FROM run_tag t WHERE t.run_id = r.run_id AND t.tag = ?2))
          ORDER BY r.started_at, r.run_id
          """,
        arguments: [status?.rawValue, tag]
      ).map(summaryRow)
    }
  }

  public func details(of key: String) throws -> RunDetails {
    let id = try resolveRun(key)
    return try read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT r.*, (SELECT max(step) FROM step_metric m WHERE m.run_id = r.run_id) AS steps FROM runs r WHERE run_id = ?",
          arguments: [id])
      else { throw ExperimentsError.runNotFound(key) }
      return RunDetails(
        run: summaryRow(row), host: row["host"], pid: row["pid"], toolVersion: row["tool_version"],
        gitCommit: row["git_commit"], config: JSONValue.parse(row["config"]),
        databases: JSONValue.parse(row["databases"]).stringArray,
        tasks: JSONValue.parse(row["tasks"]).stringArray,
        hardware: JSONValue.parse(row["hardware"]), checkpoint: row["checkpoint"],
        outputs: JSONValue.parse(row["outputs"]).stringArray, failure: row["failure"],
        finalMetrics: try finalMetrics(db, id), metrics: try latestMetrics(db, id),
        evaluations: try lastEvaluations(db, id))
    }
  }

  /// Runs ranked by a final metric, or by the last evaluation of it on `split` when a split is given.
  public func best(
    metric: String, task: String? = nil, split: String? = nil, top: Int = 10, lowest: Bool = false
  ) throws -> [BestRun] {
    let valueSQL =
      split == nil
      ? "SELECT value FROM final_metric f WHERE f.run_id = r.id AND f.name = ?1"
      : """
      SELECT value FROM evaluation_metric e WHERE e.run_id = r.id AND e.name = ?1 AND e.split = ?3
      ORDER BY e.step DESC, e.recorded_at DESC, e.rowid DESC LIMIT 1
      """
    return try read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM (SELECT r.id, r.name, r.tasks, r.started_at, (\(valueSQL)) AS value FROM run r
            WHERE (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(r.tasks) WHERE json_each.value = ?2)))
          WHERE value IS NOT NULL ORDER BY value \(lowest ? "ASC" : "DESC"), started_at LIMIT ?4
          """,
        arguments: [metric, task, split, max(0, top)])
      return rows.enumerated().map { index, row in
        BestRun(
          rank: index + 1, id: row["id"], name: row["name"], value: row["value"],
          tasks: JSONValue.parse(row["tasks"]).stringArray, startedAt: row["started_at"])
      }
    }
  }

  public func tag(run key: String, _ tags: [String]) throws {
    let id = try resolveRun(key)
    try write { db in
      for tag in tags {
        try db.execute(
          sql: "INSERT OR IGNORE INTO run_tag (run_id, tag) VALUES (?, ?)", arguments: [id, tag])
      }
    }
  }

  /// Deletes a run with its metrics, evaluations and tags; returns the id deleted.
  @discardableResult
  public func deleteRun(_ key: String) throws -> String {
    let id = try resolveRun(key)
    try write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id]) }
    return id
  }

  /// The curve of `metric` for each run, over steps; evaluations of `split` when given.
  public func series(runs keys: [String], metric: String, split: String? = nil) throws -> [MetricSeries] {
    let ids = try keys.map(resolveRun)
    return try read { db in
      try ids.map { id in
        let name = try String.fetchOne(db, sql: "SELECT name FROM run WHERE id = ?", arguments: [id]) ?? id
        let rows =
          split == nil
          ? try Row.fetchAll(
            db, sql: "SELECT step, value FROM step_metric WHERE run_id = ? AND name = ? ORDER BY step, rowid",
            arguments: [id, metric])
          : try Row.fetchAll(
            db,
            sql: """
              SELECT step, value FROM evaluation_metric WHERE run_id = ? AND name = ? AND split = ?
                AND step IS NOT NULL ORDER BY step, rowid
              """, arguments: [id, metric, split])
        let points = rows.compactMap { row -> (step: Double, value: Double)? in
          guard let step = row["step"] as Double?, let value = row["value"] as Double?, value.isFinite else {
            return nil
          }
          return (step, value)
        }
        return MetricSeries(runID: id, runName: name, points: points)
      }
    }
  }

  func summaryRow(_ row: Row) -> RunSummaryRow {
    let tags: String? = row["tags"]
    return RunSummaryRow(
      id: row["run_id"], name: row["name"], kind: row["kind"], status: row["status"],
      startedAt: row["started_at"], endedAt: row["ended_at"], durationSeconds: row["duration_s"],
      steps: row["steps"], tags: tags.map { $0.split(separator: ",").map(String.init) } ?? [])
  }

  private func finalMetrics(_ db: Database, _ id: String) throws -> [String: Double?] {
    var result: [String: Double?] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT name, value FROM final_metric WHERE run_id = ?", arguments: [id])
    {
      result[row["name"]] = .some(row["value"])
    }
    return result
  }

  private func latestMetrics(_ db: Database, _ id: String) throws -> [MetricLatest] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT name, count(*) AS points, max(step) AS last_step, min(value) AS min_value, max(value) AS max_value,
          (SELECT value FROM step_metric l WHERE l.run_id = m.run_id AND l.name = m.name
            ORDER BY step DESC, rowid DESC LIMIT 1) AS last_value
        FROM step_metric m WHERE run_id = ? GROUP BY name ORDER BY name
        """, arguments: [id]
    ).map { row in
      MetricLatest(
        metric: row["name"], points: row["points"], lastStep: row["last_step"], lastValue: row["last_value"],
        minValue: row["min_value"], maxValue: row["max_value"])
    }
  }

  /// The last evaluation of each (split, metric).
  private func lastEvaluations(_ db: Database, _ id: String) throws -> [EvaluationValue] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT split, step, name, value FROM evaluation_metric e WHERE run_id = ?1 AND rowid = (
          SELECT rowid FROM evaluation_metric l WHERE l.run_id = ?1 AND l.split = e.split AND l.name = e.name
          ORDER BY l.step DESC, l.rowid DESC LIMIT 1)
        ORDER BY split, name
        """, arguments: [id]
    ).map { row in
      EvaluationValue(split: row["split"], step: row["step"], metric: row["name"], value: row["value"])
    }
  }
}
