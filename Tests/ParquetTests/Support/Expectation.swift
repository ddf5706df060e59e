// Loads the JSON expectations written by tools/parquet_expect.py and compares a file's columns against them.
import Foundation
import Testing

@testable import Parquet

/// One file's expectations: rows, and per column either values (or first/last + digest) or "unsupported".
struct Expectation {
  let rows: Int?
  let columns: [String: [String: Any]]
  let error: String?

  init(url: URL) throws {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    let root = object as? [String: Any] ?? [:]
    rows = root["rows"] as? Int
    columns = root["columns"] as? [String: [String: Any]] ?? [:]
    error = root["error"] as? String
  }
}

/// Canonical JSON text of a value parsed back from the expectation file (to compare with our rendering).
func canonicalText(_ value: Any) -> String {
  if value is NSNull { return "null" }
  guard
    let data = try? JSONSerialization.data(
      withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]),
    let text = String(data: data, encoding: .utf8)
  else { return "?" }
  return text
}

/// Checks every column of `file` against `expected`; returns a list of mismatch descriptions.
func compare(_ file: ParquetFile, with expected: Expectation) -> [String] {
  var problems: [String] = []
  if let rows = expected.rows, rows != file.rowCount {
    problems.append("rows \(file.rowCount), expected \(rows)")
  }
  for (name, entry) in expected.columns.sorted(by: { $0.key < $1.key }) {
    guard let descriptor = file.schema.column(named: name) else {
      problems.append("\(name): missing column")
      continue
    }
    if entry["unsupported"] as? Bool == true {
      do {
        _ = try file.readChunk(descriptor, rowGroup: 0)
        problems.append("\(name): nested column read without error")
      } catch {
        if error.kind != .unsupported { problems.append("\(name): expected .unsupported, got \(error)") }
      }
      continue
    }
    do {
      let column = try file.readColumn(name)
      problems += compareColumn(column, entry, name: name)
    } catch {
      problems.append("\(name): \(error)")
    }
  }
  return problems
}

private func compareColumn(_ column: ColumnData, _ entry: [String: Any], name: String) -> [String] {
  let renderer = CanonicalRenderer(column)
  let rendered = (0..<column.count).map { renderer.render($0) }
  var problems: [String] = []
  if let count = entry["count"] as? Int, count != column.count {
    problems.append("\(name): \(column.count) values, expected \(count)")
  }
  let checks: [(String, [Any]?, Int)] = [
    ("values", entry["values"] as? [Any], 0),
    ("first", entry["first"] as? [Any], 0),
    ("last", entry["last"] as? [Any], max(0, column.count - ((entry["last"] as? [Any])?.count ?? 0))),
  ]
  for (label, values, start) in checks {
    guard let values else { continue }
    for (i, value) in values.enumerated() where start + i < rendered.count {
      let want = canonicalText(value)
      if !sameJSON(rendered[start + i], want) {
        problems.append("\(name) \(label)[\(start + i)]: got \(rendered[start + i]), expected \(want)")
        break
      }
    }
  }
  if let digest = entry["sha256"] as? String {
    let lines = rendered.map { $0 + "\n" }.joined()
    if SHA256.hex(Array(lines.utf8)) != digest {
      problems.append("\(name): SHA-256 of the rendering differs")
    }
  }
  return problems
}

/// Equal as JSON: identical text, or both numbers with the same value (Foundation re-prints floats its own way).
private func sameJSON(_ a: String, _ b: String) -> Bool {
  if a == b { return true }
  guard let x = Double(a), let y = Double(b) else {
    let parse = { (s: String) in
      try? JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed])
    }
    return (parse(a) as? String).map { $0 == (parse(b) as? String) } ?? false
  }
  return x == y
}
