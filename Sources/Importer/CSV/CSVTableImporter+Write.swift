// Pass two of the CSV import: chunks of records gathered as byte ranges per column, converted column by column
// converted column by column (the columns of a chunk in parallel) and written as one row group each.
import Parquet
import Runtime

extension CSVTableImporter {
  static func writeChunks(
    _ start: CSVRecordReader, schema: [SchemaElement], types: [CSVType], writer: ParquetWriter,
    options: CSVImportOptions, progress: ProgressReporter
  ) throws -> Int {
    var reader = start
    var chunk = [CSVChunkColumn](repeating: CSVChunkColumn(), count: schema.count)
    var lines: [Int] = []
    var fields: [CSVField] = []
    var scratch: [UInt8] = []
    var rows = 0
    var reported = 0  // the header's bytes count too
    func flush() throws {
      guard !lines.isEmpty else { return }
      let gathered = chunk
      let columns = try scratch.withUnsafeBufferPointer { scratchBytes in
        try Parallel.map(schema.count, threads: options.threads) { index in
          try CSVColumnBuilder.build(
            gathered[index], type: types[index], element: schema[index], input: reader.bytes,
            scratch: scratchBytes, firstLine: lines, file: reader.file)
        }
      }
      try writer.write(columns)
      rows += lines.count
      lines.removeAll(keepingCapacity: true)
      for index in chunk.indices { chunk[index].removeAll() }
      scratch.removeAll(keepingCapacity: true)
      progress.advance(by: reader.position - reported)
      reported = reader.position
    }
    while try reader.next(into: &fields, scratch: &scratch) {
      if isBlank(fields, columns: schema.count) { continue }
      try checkWidth(fields, columns: schema.count, reader: reader)
      for (index, field) in fields.enumerated() {
        chunk[index].starts.append(field.inScratch ? -field.start - 1 : field.start)
        chunk[index].ends.append(field.end)
      }
      lines.append(reader.line)
      if lines.count == options.chunkRows { try flush() }
    }
    try flush()
    return rows
  }
}
