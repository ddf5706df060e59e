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

/// The text `parquet schema` prints for one file.
struct SchemaReport {
  let file: ParquetFile

  var text: String {
    let meta = file.metadata
    let name = (file.path as NSString).lastPathComponent
    var lines = [
      "\(name): \(file.rowCount) rows, \(file.columns.count) columns, \(meta.rowGroups.count) row groups, "
        + "\(byteText(compressedSize)) compressed, \(byteText(uncompressedSize)) uncompressed"
    ]
    if let createdBy = meta.createdBy { lines.append("  created by \(createdBy)") }
    let width = min(40, file.columns.map { $0.name.count }.max() ?? 0)
    for column in file.columns { lines.append("  " + columnLine(column, nameWidth: width)) }
    return lines.joined(separator: "\n") + "\n"
  }

  private var compressedSize: Int64 {
    file.metadata.rowGroups.flatMap(\.columns).reduce(0) { $0 + ($1.metaData?.totalCompressedSize ?? 0) }
  }
  private var uncompressedSize: Int64 {
    file.metadata.rowGroups.flatMap(\.columns).reduce(0) { $0 + ($1.metaData?.totalUncompressedSize ?? 0) }
  }

  private func columnLine(_ column: ColumnDescriptor, nameWidth: Int) -> String {
    let repetition = column.element.repetitionType.map { "\($0)" } ?? "required"
    var type = "\(column.physicalType)"
    if column.physicalType == .fixedLenByteArray { type += "(\(column.typeLength))" }
    if let logical = column.logicalType {
      type += " \(logicalText(logical))"
    } else if let converted = column.convertedType {
      type += " \(converted)"
    }
    let chunks = file.metadata.rowGroups.compactMap { $0.columns[column.index].metaData }
    let codecs = Set(chunks.map { "\($0.codec)" }).sorted().joined(separator: "/")
    let encodings = Set(chunks.flatMap { $0.encodings.map { "\($0)" } }).sorted().joined(separator: ",")
    let size = chunks.reduce(Int64(0)) { $0 + $1.totalCompressedSize }
    let nulls = chunks.compactMap { $0.statistics?.nullCount }
    let nullText = nulls.count == chunks.count && !chunks.isEmpty ? ", \(nulls.reduce(0, +)) nulls" : ""
    let note = column.unsupportedReason.map { "  [not readable: nested]" + ($0.isEmpty ? "" : "") } ?? ""
    let padded = column.name.padding(toLength: max(nameWidth, column.name.count), withPad: " ", startingAt: 0)
    return "\(padded)  \(repetition) \(type)  [\(codecs); \(encodings); \(byteText(size))\(nullText)]\(note)"
  }

  private func logicalText(_ logical: LogicalType) -> String {
    switch logical {
    case .decimal(let scale, let precision): return "DECIMAL(\(precision),\(scale))"
    case .timestamp(let utc, let unit): return "TIMESTAMP(\(unit)\(utc ? ", UTC" : ""))"
    case .time(let utc, let unit): return "TIME(\(unit)\(utc ? ", UTC" : ""))"
    case .integer(let bits, let signed): return "\(signed ? "INT" : "UINT")(\(bits))"
    default: return "\(logical)".uppercased()
    }
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
