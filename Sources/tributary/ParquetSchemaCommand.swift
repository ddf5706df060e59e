// `tributary parquet schema FILE|DIR`: schema, row count, row groups, codecs, encodings and sizes; for a
// directory, every `*.parquet` in it, one table each.
import ArgumentParser
import Foundation
import Parquet

struct ParquetSchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Show the schema and layout of a Parquet file, or of every file in a directory.")

  @Argument(help: "A Parquet file, or a directory of them.") var path: String

  func run() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ValidationError("no such file or directory: \(path)")
    }
    guard isDirectory.boolValue else {
      print(try SchemaReport(file: ParquetFile(path: path)).text, terminator: "")
      return
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".parquet") }
      .sorted()
    var totalRows = 0
    for name in files {
      let file = try ParquetFile(path: (path as NSString).appendingPathComponent(name))
      totalRows += file.rowCount
      print(SchemaReport(file: file).text)
    }
    print("\(files.count) tables, \(totalRows) rows in all")
  }
}

/// The text `parquet schema` prints for one file: a summary line, then an aligned table of its leaf columns.
struct SchemaReport {
  let file: ParquetFile

  var text: String {
    let meta = file.metadata
    let name = (file.path as NSString).lastPathComponent
    var lines = [
      "\(name): \(file.rowCount) rows, \(file.columns.count) columns, \(meta.rowGroups.count) row group"
        + "\(meta.rowGroups.count == 1 ? "" : "s"), \(byteText(compressedSize)) compressed, "
        + "\(byteText(uncompressedSize)) uncompressed" + (meta.createdBy.map { " (\($0))" } ?? "")
    ]
    let header = ["column", "type", "nulls", "size", "codec", "encodings"]
    let rows = [header] + file.columns.map(columnCells)
    let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
    for row in rows {
      let cells = row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
      }
      lines.append("  " + cells.joined(separator: "  "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private var compressedSize: Int64 {
    file.metadata.rowGroups.flatMap(\.columns).reduce(0) { $0 + ($1.metaData?.totalCompressedSize ?? 0) }
  }
  private var uncompressedSize: Int64 {
    file.metadata.rowGroups.flatMap(\.columns).reduce(0) { $0 + ($1.metaData?.totalUncompressedSize ?? 0) }
  }

  /// name, type (repetition, physical, logical), nulls, compressed size, codecs, encodings.
  private func columnCells(_ column: ColumnDescriptor) -> [String] {
    let repetition = column.element.repetitionType ?? .required
    var type = "\(repetition) \(column.physicalType)"
    if column.physicalType == .fixedLenByteArray { type += "(\(column.typeLength))" }
    if let logical = column.logicalType {
      type += " \(logical)"
    } else if let converted = column.convertedType {
      type += " \(converted)"
    }
    if column.unsupportedReason != nil { type += " (nested: not readable)" }
    let chunks = file.metadata.rowGroups.compactMap { $0.columns[column.index].metaData }
    let codecs = Set(chunks.map { "\($0.codec)" }).sorted().joined(separator: "/")
    let encodings = Set(chunks.flatMap { $0.encodings.map { "\($0)" } }).sorted().joined(separator: ",")
    let size = chunks.reduce(Int64(0)) { $0 + $1.totalCompressedSize }
    let nulls = chunks.compactMap { $0.statistics?.nullCount }
    let nullText = nulls.count == chunks.count && !chunks.isEmpty ? "\(nulls.reduce(0, +))" : "?"
    return [column.name, type, nullText, byteText(size), codecs, encodings]
  }

  private func byteText(_ bytes: Int64) -> String {
    let units = ["B", "KB", "MB", "GB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }
}
