// The describe proposal as people and files see it: the review table (table, column, type, why, confidence, then
// each table's key and time decisions) and metadata.json, written atomically and never over an existing file
// unless asked to.
import DatabaseSpec
import FileSupport
import Foundation

extension DescribeProposal {
  public func reviewTable() -> String {
    var lines: [String] = []
    let widthTable = max(5, columns.map(\.table.count).max() ?? 0)
    let widthColumn = max(6, columns.map(\.column.count).max() ?? 0)
    func pad(_ text: String, _ width: Int) -> String {
      text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
    lines.append("\(pad("table", widthTable))  \(pad("column", widthColumn))  \(pad("type", 11))  conf  why")
    for column in columns {
      lines.append(
        "\(pad(column.table, widthTable))  \(pad(column.column, widthColumn))  \(pad(column.type.rawValue, 11))  "
          + String(format: "%.2f", column.confidence) + "  \(column.why)")
    }
    lines.append("")
    for table in spec.tables {
      for note in tableNotes[table.name] ?? [] { lines.append("\(table.name): \(note)") }
    }
    return lines.joined(separator: "\n")
  }

  /// metadata.json text: pretty-printed, keys in the spec's order.
  public func metadataJSON() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
    return try encoder.encode(spec)
  }

  /// Writes `directory/metadata.json`; an existing one (likely written or reviewed by a person) only with `force`.
  public func write(to directory: URL, force: Bool) throws {
    let path = directory.appendingPathComponent("metadata.json").path
    if FileManager.default.fileExists(atPath: path) && !force {
      throw DescribeError(
        "\(path) exists; pass --force to replace it (review it first: it may be hand-written)")
    }
    let issues = spec.validate()
    guard issues.isEmpty else {
      throw DescribeError(
        "the proposal breaks the spec: \(issues.map(\.description).joined(separator: "; "))")
    }
    let writer = try AtomicFileWriter(path: path)
    try writer.write(Array(try metadataJSON()) + [0x0a])
    try writer.commit()
  }
}
