// `tributary inspect OUT_DIR`: what a processed database holds, or one row decoded with its neighbours.
import ArgumentParser
import DatabaseSpec
import Foundation
import Runtime
import Store

struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Summarize a processed database, or decode one row with its parents and children.")

  @Argument(help: "A folder written by `tributary preprocess`.")
  var database: String

  @Option(name: .long, help: "Table of the row to decode (with --row).")
  var table: String?

  @Option(name: .long, help: "Row index (0-based) to decode.")
  var row: Int?

  @Flag(name: .long, help: "Machine-readable JSON output.")
  var json = false

  func validate() throws {
    guard (table == nil) == (row == nil) else { throw ValidationError("--table and --row go together") }
  }

  func run() throws {
    let db = try ProcessedDatabase(directory: URL(fileURLWithPath: database))
    if let table, let row {
      let decoded = try db.decodeRow(table: table, row: row)
      print(json ? try Self.json(decoded) : InspectRendering.row(decoded))
    } else {
      let degrees = try db.degreeStatistics()
      if json {
        print(try Self.json(InspectSummary(metadata: db.metadata, degrees: degrees)))
      } else {
        print(InspectRendering.summary(db.metadata, degrees: degrees))
      }
    }
  }

  static func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

struct InspectSummary: Encodable {
  var metadata: ProcessedMetadata
  var degrees: [DegreeStatistics]
}

enum InspectRendering {
  static func summary(_ m: ProcessedMetadata, degrees: [DegreeStatistics]) -> String {
    var lines = [
      "\(m.name): \(m.tables.count) tables, \(count(m.graph.nodes)) rows, \(count(m.graph.edges)) edges, "
        + "\(m.columnCount) columns, vocabulary \(count(m.vocabularySize)) (\(m.embedder.name), d=\(m.embedder.dimension))",
      "time: \(m.time.minMicros.map(ISO8601Micros.format) ?? "-") .. \(m.time.maxMicros.map(ISO8601Micros.format) ?? "-") "
        + "over \(count(m.time.count)) timestamp cells",
    ]
    for table in m.tables {
      lines.append("")
      lines.append(
        "table \(table.name): \(count(table.rows)) rows"
          + (table.timeColumn.map { ", time column \($0)" } ?? ""))
      for column in table.columns { lines.append("  " + describe(column, rows: table.rows)) }
    }
    lines.append("")
    lines.append("edges (child -> parent via key: edges, dangling, null keys; children per parent mean/max)")
    for d in degrees {
      lines.append(
        "  \(d.childTable) -> \(d.parentTable) via \(d.via.joined(separator: ",")): \(count(d.edges)), "
          + "\(count(d.dangling)) dangling, \(count(d.nullKeys)) null; \(String(format: "%.2f", d.meanChildren))/\(d.maxChildren)"
      )
    }
    lines.append("")
    for task in m.tasks { lines.append(describe(task)) }
    return lines.joined(separator: "\n")
  }

  static func describe(_ column: ProcessedColumn, rows: Int) -> String {
    var text = pad(column.name, 24) + pad(column.type.rawValue, 12) + "nulls \(count(column.nullCount))"
    if let s = column.statistics {
      text += String(format: "  mean %.4g  std %.4g  min %.4g  max %.4g", s.mean, s.std, s.min, s.max)
    }
    if let distinct = column.distinctValues { text += "  distinct \(count(distinct))" }
    return text
  }

  static func describe(_ task: ProcessedTask) -> String {
    var text =
      "task \(task.name) (\(task.form), \(task.targetType.rawValue) \(task.seedTable).\(task.target)): "
    text += Split.allCases.map { "\($0.rawValue) \(count(task.splitCounts[$0.rawValue] ?? 0))" }.joined(
      separator: ", ")
    if let s = task.labelStatistics {
      text += String(format: "; label mean %.4g std %.4g (train)", s.mean, s.std)
    }
    if let rates = task.positiveRate {
      text +=
        "; positive "
        + Split.allCases.compactMap { s in
          rates[s.rawValue].map { "\(s.rawValue) \(String(format: "%.3f", $0))" }
        }.joined(separator: ", ")
    }
    if task.danglingEntities > 0 { text += "; \(count(task.danglingEntities)) dangling entities dropped" }
    return text
  }

  static func row(_ row: DecodedRow) -> String {
    var lines = ["\(row.table) row \(row.row)" + (row.time.map { " (time \($0))" } ?? "")]
    for cell in row.cells {
      lines.append("  " + pad(cell.column, 24) + pad(cell.type.rawValue, 12) + (cell.value ?? "null"))
    }
    lines.append("parents:")
    for parent in row.parents {
      lines.append("  \(parent.table) row \(parent.row) via \(parent.via.joined(separator: ","))")
    }
    lines.append("children:")
    for group in row.children {
      lines.append(
        "  \(count(group.count)) \(group.table) via \(group.via.joined(separator: ",")): rows \(group.rows.map(String.init).joined(separator: ", "))\(group.count > group.rows.count ? ", ..." : "")"
      )
    }
    return lines.joined(separator: "\n")
  }

  static func count(_ n: Int) -> String { ProgressReporter.count(n) }
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
