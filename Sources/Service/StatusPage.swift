// The HTML status page at `/`: recent jobs with progress bars, throughput, ETA and SLA risk, reloaded every
// two seconds. Server-rendered (no script), so it works behind the same bearer auth as the API.
// Refuses: nothing; every value is HTML-escaped.
import Foundation
import JobQueue

enum StatusPage {
  static func render(_ jobs: [JobRecord], counts: QueueCounts, now: Double) -> String {
    let rows = jobs.map { row($0, now: now) }.joined(separator: "\n")
    let states = JobState.allCases.map { "\($0.rawValue) \(counts.jobsByState[$0] ?? 0)" }.joined(
      separator: " · ")
    return """
      <!doctype html>
      <html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
      <title>Tributary jobs</title>
      <style>
      body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #ddd; }
      .bar { width: 220px; height: 14px; background: #eee; border-radius: 3px; overflow: hidden; }
      .fill { height: 100%; background: #3a7bd5; }
      .succeeded .fill { background: #2e9e5b; } .failed .fill { background: #c0392b; }
      .risk { color: #c0392b; font-weight: 600; } .muted { color: #888; }
      </style></head><body>
      <h1>Tributary batch jobs</h1>
      <p class="muted">\(escape(states)) · \(counts.pendingChunks) chunks waiting, \(counts.leasedChunks) running</p>
      <table><tr><th>job</th><th>kind</th><th>state</th><th>progress</th><th>throughput</th><th>ETA</th><th>SLA</th></tr>
      \(rows)
      </table></body></html>
      """
  }

  static func row(_ job: JobRecord, now: Double) -> String {
    let fraction = job.totalItems == 0 ? 1 : Double(job.doneItems) / Double(job.totalItems)
    let rate = throughput(job, now: now)
    let eta = job.state.isFinal ? "–" : job.etaSeconds(now: now).map(duration) ?? "–"
    let sla: String
    if job.deadline == nil {
      sla = "<span class=\"muted\">none</span>"
    } else if job.atRisk(now: now) {
      sla = "<span class=\"risk\">at risk</span>"
    } else {
      sla = "on time"
    }
    return """
      <tr class="\(job.state.rawValue)"><td>\(escape(job.id))</td><td>\(job.spec.kind.rawValue)</td>\
      <td>\(job.state.rawValue)\(job.error.map { " <span class=\"muted\">" + escape($0) + "</span>" } ?? "")</td>\
      <td><div class="bar"><div class="fill" style="width: \(Int(fraction * 100))%"></div></div>\
      \(job.doneItems) / \(job.totalItems)</td><td>\(rate)</td><td>\(eta)</td><td>\(sla)</td></tr>
      """
  }

  /// Items/s, and model cells/s (predict: contexts of the model's length) or tokens/s (embed: the texts' mean
  /// token count) when the job has it.
  static func throughput(_ job: JobRecord, now: Double) -> String {
    guard let items = job.itemsPerSecond(now: now) else { return "–" }
    let text = String(format: "%.1f items/s", items)
    if let cells = job.cellsPerSecond(now: now) {
      return text + "<br><span class=\"muted\">" + count(cells) + " cells/s</span>"
    }
    if let tokens = job.tokensPerSecond(now: now) {
      return text + "<br><span class=\"muted\">" + count(tokens) + " tokens/s</span>"
    }
    return text
  }

  /// 950, 12.3k, 4.56M.
  static func count(_ value: Double) -> String {
    if value < 1e3 { return String(format: "%.0f", value) }
    if value < 1e6 { return String(format: "%.1fk", value / 1e3) }
    return String(format: "%.2fM", value / 1e6)
  }

  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total) s" }
    if total < 3600 { return "\(total / 60) min \(total % 60) s" }
    return "\(total / 3600) h \(total % 3600 / 60) min"
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
