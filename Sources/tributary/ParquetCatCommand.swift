// `tributary parquet cat FILE`: rows as JSON lines (canonical rendering) or CSV.
import ArgumentParser
import Foundation
import Parquet

enum RowFormat: String, ExpressibleByArgument, CaseIterable {
  case jsonl
  case csv
}

struct ParquetCatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Print rows: one JSON object per row (canonical rendering) or CSV.")

  @Argument(help: "The Parquet file.") var file: String
  @Option(help: "Comma-separated column names (default: every flat column).") var columns: String?
  @Option(help: "Print at most this many rows.") var limit: Int?
  @Option(help: "Output format: jsonl or csv.") var format: RowFormat = .jsonl

  func validate() throws {
    if let limit, limit < 0 { throw ValidationError("--limit must be zero or more") }
  }

  func run() throws {
    let parquet = try ParquetFile(path: file)
    let names =
      columns?.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
      ?? parquet.columns.filter { $0.unsupportedReason == nil }.map(\.name)
    let data = try parquet.readColumns(names, threads: 2)
    let renderers = data.map { CanonicalRenderer($0) }
    let rows = min(limit ?? Int.max, data.first?.count ?? 0)
    var output = OutputBuffer()
    switch format {
    case .jsonl:
      let keys = names.map { jsonKey($0) }
      for row in 0..<rows {
        output.write("{")
        for (i, renderer) in renderers.enumerated() {
          output.write(i == 0 ? keys[i] : "," + keys[i])
          output.write(renderer.render(row))
        }
        output.write("}\n")
      }
    case .csv:
      output.write(names.map(csvField).joined(separator: ",") + "\n")
      for row in 0..<rows {
        output.write(renderers.map { csvField($0.renderPlain(row)) }.joined(separator: ",") + "\n")
      }
    }
    output.flush()
  }

  private func jsonKey(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      + "\":"
  }

  private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// Buffers stdout writes (print per cell is slow).
struct OutputBuffer {
  private var buffer: [UInt8] = []

  mutating func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 { flush() }
  }

  mutating func flush() {
    buffer.withUnsafeBytes { raw in
      if let base = raw.baseAddress {
        _ = FileHandle.standardOutput.write(Data(bytes: base, count: raw.count))
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
