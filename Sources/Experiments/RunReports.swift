// The human-readable output of `tributary runs ...`: each report turns the store's records into aligned
// tables and labelled sections. The CLI prints these strings as they are; `--json` bypasses them and
// encodes the records instead (see `Reports.json`).
import Foundation

public enum Reports {
  public static func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self)
    } catch {
      throw ExperimentsError.unencodable(what: "the report", reason: "\(error)")
    }
  }

  public static func runList(_ runs: [RunSummaryRow]) -> String {
    guard !runs.isEmpty else { return "no runs" }
    return TextTable(
      headers: ["ID", "NAME", "KIND", "STATUS", "STARTED", "DURATION", "STEPS", "TAGS"],
      rows: runs.map { run in
        [
          run.id, run.name, run.kind, run.status, shortTime(run.startedAt), duration(run.durationSeconds),
          run.steps.map(String.init) ?? "", run.tags.joined(separator: ","),
        ]
      }
    ).render()
  }

  public static func runDetails(_ details: RunDetails) -> String {
    let run = details.run
    var fields: [(String, String)] = [
      ("id", run.id), ("name", run.name), ("kind", run.kind), ("status", run.status),
      ("started", run.startedAt), ("ended", run.endedAt ?? ""), ("duration", duration(run.durationSeconds)),
      ("tags", run.tags.joined(separator: ", ")), ("host", "\(details.host) (pid \(details.pid))"),
      ("tool", details.toolVersion + (details.gitCommit.map { " (git \($0.prefix(12)))" } ?? "")),
      ("databases", details.databases.joined(separator: ", ")),
      ("tasks", details.tasks.joined(separator: ", ")),
      ("checkpoint", details.checkpoint ?? ""), ("outputs", details.outputs.joined(separator: ", ")),
    ]
    if let failure = details.failure { fields.append(("failure", failure)) }
    var sections = [keyValues(fields)]
    sections.append(
      "hardware\n" + indented(keyValues(details.hardware.flattened().map { ($0.key, $0.value) })))
    sections.append("config\n" + indented(keyValues(details.config.flattened().map { ($0.key, $0.value) })))
    if !details.metrics.isEmpty {
      sections.append("metrics\n" + indented(metricTable(details.metrics)))
    }
    if !details.evaluations.isEmpty {
      let rows = details.evaluations.map {
        [$0.split, $0.metric, $0.step.map(String.init) ?? "", NumberText.render($0.value)]
      }
      sections.append(
        "evaluations (last per split and metric)\n"
          + indented(TextTable(headers: ["SPLIT", "METRIC", "STEP", "VALUE"], rows: rows).render()))
    }
    if !details.finalMetrics.isEmpty {
      let rows = details.finalMetrics.keys.sorted().map {
        [$0, NumberText.render(details.finalMetrics[$0] ?? nil)]
      }
      sections.append(
        "final metrics\n" + indented(TextTable(headers: ["METRIC", "VALUE"], rows: rows).render()))
    }
    return sections.joined(separator: "\n\n")
  }

  public static func best(_ runs: [BestRun], metric: String) -> String {
    guard !runs.isEmpty else { return "no run recorded \(metric)" }
    return TextTable(
      headers: ["RANK", "ID", "NAME", metric.uppercased(), "TASKS", "STARTED"],
      rows: runs.map {
        [
          String($0.rank), $0.id, $0.name, NumberText.render($0.value), $0.tasks.joined(separator: ","),
          shortTime($0.startedAt),
        ]
      }
    ).render()
  }

  /// Differing lines are marked with `*` in the first column.
  public static func comparison(_ comparison: RunComparison) -> String {
    let headers = ["", "KEY"] + comparison.runs.map { "\($0.name) (\($0.id))" }
    func table(_ lines: [RunComparison.Line]) -> String {
      TextTable(
        headers: headers,
        rows: lines.map { [$0.differs ? "*" : "", $0.key] + $0.values.map { $0 ?? "-" } }
      ).render()
    }
    let differing = comparison.config.filter(\.differs).count
    return "config (\(differing) of \(comparison.config.count) keys differ, marked *)\n"
      + table(comparison.config) + "\n\nfinal metrics\n"
      + (comparison.finalMetrics.isEmpty ? "(none)" : table(comparison.finalMetrics))
  }

  public static func summary(_ summary: StoreSummary) -> String {
    func counts(_ values: [String: Int]) -> String {
      values.keys.sorted().map { "\($0) \(values[$0] ?? 0)" }.joined(separator: ", ")
    }
    return keyValues([
      ("store", summary.path), ("runs", String(summary.runs)), ("by status", counts(summary.byStatus)),
      ("by kind", counts(summary.byKind)), ("first run", summary.firstStart ?? ""),
      ("last run", summary.lastStart ?? ""), ("metric rows", String(summary.stepMetricRows)),
      ("evaluation rows", String(summary.evaluationRows)), ("tags", counts(summary.tags)),
      ("metrics", summary.metricNames.joined(separator: ", ")), ("models", String(summary.models)),
      ("databases", String(summary.databases)),
    ])
  }

  public static func queryResult(_ result: QueryResult) -> String {
    TextTable(headers: result.columns, rows: result.rows.map { $0.map(\.rendered) }).render()
      + "\n(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))"
  }

  static func metricTable(_ metrics: [MetricLatest]) -> String {
    TextTable(
      headers: ["METRIC", "POINTS", "LAST STEP", "LAST", "MIN", "MAX"],
      rows: metrics.map {
        [
          $0.metric, String($0.points), String($0.lastStep), NumberText.render($0.lastValue),
          NumberText.render($0.minValue), NumberText.render($0.maxValue),
        ]
      }
    ).render()
  }

  static func keyValues(_ fields: [(String, String)]) -> String {
    let width = fields.map(\.0.count).max() ?? 0
    return fields.map { key, value in
      "\(key):" + String(repeating: " ", count: width - key.count + 1) + value
    }.map { $0.replacing(/\s+$/, with: "") }.joined(separator: "\n")
  }

  static func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
  }

  /// "2026-11-23T15:10:03.123Z" -> "2026-11-23 15:10:03".
  static func shortTime(_ iso: String) -> String {
    String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
  }

  static func duration(_ seconds: Double?) -> String {
    guard let seconds, seconds.isFinite, seconds >= 0, seconds < 1e12 else { return "" }
    if seconds < 60 { return String(format: "%.1fs", seconds) }
    let total = Int(seconds.rounded())
    if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
    return "\(total / 3600)h\(String(format: "%02d", total / 60 % 60))m"
  }
}
