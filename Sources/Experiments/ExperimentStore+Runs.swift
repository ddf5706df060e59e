// Starting runs and finding dead ones. A run row is written once at start with everything known then
// (configuration, environment, hardware); crash detection compares the recorded pid and its start time
// with the live processes of this host, and uses the heartbeat age for runs of other hosts.
import Foundation
import GRDB

extension ExperimentStore {
  /// Records a new run as `running` and starts its heartbeat. `config` is stored as JSON (sorted keys).
  public func startRun(
    kind: RunKind, name: String, config: some Encodable, databases: [String] = [], tasks: [String] = [],
    tags: [String] = [], threads: Int? = nil
  ) throws -> Run {
    let configJSON = try JSONText.encode(config, what: "the configuration of run '\(name)'")
    let hardware = try JSONText.encode(Hardware.current(threads: threads), what: "hardware")
    let pid = ProcessProbe.currentPID
    let commit = GitCommit.current()
    let id = try write { db -> String in
      let id = try freshRunID(db)
      let now = Clock.nowUnix()
      try db.execute(
        sql: """
          INSERT INTO run (id, name, kind, status, started_at, heartbeat_unix, host, pid, pid_start, config,
            tool_version, git_commit, databases, tasks, hardware, outputs)
          VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]')
          """,
        arguments: [
          id, name, kind.rawValue, Clock.iso8601(unix: now), now, ProcessProbe.hostName, pid,
          ProcessProbe.startTicks(pid: pid), configJSON, options.toolVersion, commit,
          try JSONText.encode(databases, what: "databases"), try JSONText.encode(tasks, what: "tasks"),
          hardware,
        ])
      for tag in Set(tags) {
        try db.execute(sql: "INSERT INTO run_tag (run_id, tag) VALUES (?, ?)", arguments: [id, tag])
      }
      return id
    }
    return Run(id: id, name: name, store: self)
  }

  /// Marks `running` runs whose process is gone as failed, keeping their metrics; returns their ids.
  @discardableResult
  public func markCrashedRuns() throws -> [String] {
    let host = ProcessProbe.hostName
    let now = Clock.nowUnix()
    let running = "SELECT id, host, pid, pid_start, heartbeat_unix FROM run WHERE status = 'running'"
    // Most opens find nothing to mark: look first without taking the write lock.
    guard try read({ db in try Row.fetchOne(db, sql: running) }) != nil else { return [] }
    return try write { db in
      let rows = try Row.fetchAll(db, sql: running)
      var crashed: [String] = []
      for row in rows {
        let id: String = row["id"]
        let heartbeat: Double = row["heartbeat_unix"]
        let reason: String
        if (row["host"] as String) == host {
          let pid: Int = row["pid"]
          guard !ProcessProbe.isAlive(pid: pid, startTicks: row["pid_start"]) else { continue }
          reason = "crashed: process \(pid) on \(host) ended without finishing the run"
        } else {
          guard now - heartbeat > options.remoteLease else { continue }
          reason =
            "crashed: no heartbeat from host \(row["host"] as String) for \(String(format: "%.0f", now - heartbeat)) s"
        }
        try db.execute(
          sql:
            "UPDATE run SET status = 'failed', ended_at = ?, failure = ? WHERE id = ? AND status = 'running'",
          arguments: [Clock.iso8601(unix: heartbeat), reason, id])
        crashed.append(id)
      }
      return crashed
    }
  }

  /// "YYYYMMDD-HHMMSS-xxxxxx": sortable by start time, unique with 24 random bits per second.
  private func freshRunID(_ db: Database) throws -> String {
    let stamp = Clock.nowISO8601().prefix(19).replacingOccurrences(of: "-", with: "")
      .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "T", with: "-")
    while true {
      let suffix = String(UInt32.random(in: 0..<(1 << 24)), radix: 16)
      let id = "\(stamp)-\(String(repeating: "0", count: 6 - suffix.count))\(suffix)"
      let taken = try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", arguments: [id])
      if taken != true { return id }
    }
  }
}

enum JSONText {
  static func encode(_ value: some Encodable, what: String) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self)
    } catch {
      throw ExperimentsError.unencodable(what: what, reason: "\(error)")
    }
  }
}
