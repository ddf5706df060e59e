// One CSV file (header row) into one Parquet file (zstd), in two passes over the mapped file: the first finds each
// column's type, widening on every value that does not fit (so a bad value late in the file gives a wider type,
// never a failure); the second converts chunks of rows column by column and writes them as row groups, so memory
// stays bounded by the chunk. The Parquet file appears only when complete (the writer renames on close).
// Refuses: an empty file, a record with a different number of fields than the header (named by line).
import FileSupport
import Foundation
import Logging
import Parquet
import Runtime

public struct CSVImportOptions: Sendable {
  public var delimiter: UInt8 = UInt8(ascii: ",")
  /// Rows per chunk and row group.
  public var chunkRows: Int = 65_536
  /// Threads that convert the columns of a chunk.
  public var threads: Int = Parallel.defaultThreads
  /// PostgreSQL sources: the schema whose tables are imported.
  public var postgresSchema: String = "public"
  public init() {}
}

public struct ImportedColumn: Sendable, Equatable {
  public var name: String
  public var type: String
}

public struct ImportedTable: Sendable {
  public var name: String
  public var file: String
  public var rows: Int
  public var columns: [ImportedColumn]
}

enum CSVTableImporter {
  struct ColumnState {
    var type: CSVType? = nil
    var zoned = false
  }

  static func importTable(
    csv path: String, name: String, to parquetPath: String, options: CSVImportOptions, logger: Logger
  ) throws -> ImportedTable {
    let mapped = try MemoryMappedFile(path: path)
    return try mapped.withBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var reader = CSVRecordReader(bytes: bytes, delimiter: options.delimiter, file: path)
      let header = try readHeader(&reader, bytes: bytes, path: path)
      let states = try inferTypes(reader, columns: header.count)
      let schema = zip(header, states).map { name, state in
        CSVColumnBuilder.schemaElement(name: name, type: state.type ?? .string, zoned: state.zoned)
      }
      var writerOptions = ParquetWriterOptions()
      writerOptions.codec = .zstd
      writerOptions.rowGroupRows = options.chunkRows
      let writer = try ParquetWriter(path: parquetPath, schema: schema, options: writerOptions)
      let progress = ProgressReporter("import \(name)", total: bytes.count, unit: "bytes", logger: logger)
      let rows = try writeChunks(
        reader, schema: schema, types: states.map { $0.type ?? .string }, writer: writer, options: options,
        progress: progress)
      try writer.close()
      progress.finish()
      return ImportedTable(
        name: name, file: (parquetPath as NSString).lastPathComponent, rows: rows,
        columns: zip(header, states).map { ImportedColumn(name: $0, type: ($1.type ?? .string).rawValue) })
    }
  }

  static func readHeader(_ reader: inout CSVRecordReader, bytes: UnsafeBufferPointer<UInt8>, path: String)
    throws
    -> [String]
  {
    var fields: [CSVField] = []
    var scratch: [UInt8] = []
    guard try reader.next(into: &fields, scratch: &scratch) else {
      throw CSVError(file: path, line: 1, message: "empty file: a header row is needed")
    }
    var seen = Set<String>()
    return fields.enumerated().map { index, field in
      let source =
        field.inScratch ? Array(scratch[field.start..<field.end]) : Array(bytes[field.start..<field.end])
      var name = String(decoding: source, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if name.isEmpty { name = "column_\(index + 1)" }
      while !seen.insert(name).inserted { name += "_\(index + 1)" }
      return name
    }
  }

  /// Pass one: the narrowest type holding every value of each column.
  static func inferTypes(_ start: CSVRecordReader, columns: Int) throws -> [ColumnState] {
    var reader = start
    var states = [ColumnState](repeating: ColumnState(), count: columns)
    var fields: [CSVField] = []
    var scratch: [UInt8] = []
    var number: [CChar] = []
    while try reader.next(into: &fields, scratch: &scratch) {
      if isBlank(fields, columns: columns) { continue }
      try checkWidth(fields, columns: columns, reader: reader)
      for (index, field) in fields.enumerated() where field.end > field.start && states[index].type != .string
      {
        let value =
          field.inScratch ? nil : UnsafeBufferPointer(rebasing: reader.bytes[field.start..<field.end])
        guard let value else {
          states[index].type = .string  // only fields with doubled quotes land in scratch: not numbers or times
          continue
        }
        widen(&states[index], value, number: &number)
      }
      scratch.removeAll(keepingCapacity: true)
    }
    return states
  }

  static func widen(_ state: inout ColumnState, _ value: UnsafeBufferPointer<UInt8>, number: inout [CChar]) {
    switch state.type {
    case .integer? where CSVValues.integer(value) != nil: return
    case .float? where CSVValues.float(value, buffer: &number) != nil: return
    case .date? where value.count == 10 && CSVValues.date(value) != nil: return
    case .boolean? where CSVValues.boolean(value) != nil: return
    case .timestamp?:
      if let parsed = CSVValues.timestamp(value) {
        if parsed.zoned { state.zoned = true }
        return
      }
      if value.count == 10 && CSVValues.date(value) != nil { return }
    default: break
    }
    var sniffed = CSVValues.sniff(value, number: &number)
    if sniffed == .timestamp || (sniffed == .date && state.type == .timestamp) {
      if let parsed = CSVValues.timestamp(value), parsed.zoned { state.zoned = true }
      sniffed = .timestamp
    }
    state.type = state.type.map { $0.join(sniffed) } ?? sniffed
  }

  static func isBlank(_ fields: [CSVField], columns: Int) -> Bool {
    columns > 1 && fields.count == 1 && fields[0].end == fields[0].start
  }

  static func checkWidth(_ fields: [CSVField], columns: Int, reader: CSVRecordReader) throws {
    guard fields.count == columns else {
      throw CSVError(
        file: reader.file, line: reader.line,
        message: "\(fields.count) fields where the header has \(columns)")
    }
  }
}
