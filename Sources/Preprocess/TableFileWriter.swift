// Writes one table file (docs/format.md, "Table files") column by column, as TablePass hands over encoded columns.
// A Timestamp column's scaled time is computed here, a block of rows at a time (split over the workers) and
// streamed into the file; its exact µs are stored too, and the 14 cyclic features are left to the sampler, which
// computes them from the µs for the cells it writes (storing them was 56 bytes a cell, most of the output and a
// fifth of the preprocessing time). The bytes written do not depend on the number of workers or the block size.
// Refuses nothing: the container writer checks names and sizes.
import Runtime
import Store

struct TableFileWriter {
  let relativePath: String
  let rowCount: Int
  let timeScale: TimeScale
  let threads: Int
  private let writer: ContainerWriter
  /// Rows per block of streamed features, large enough for long writes.
  static let blockRows = 1 << 17

  init(path: String, relativePath: String, rowCount: Int, timeScale: TimeScale, threads: Int) throws {
    writer = try ContainerWriter(path: path, kind: .table)
    self.relativePath = relativePath
    self.rowCount = rowCount
    self.timeScale = timeScale
    self.threads = threads
  }

  func addRowTime(_ rowTime: [Int64]) throws { try writer.addSection(name: "row_time", values: rowTime) }

  /// Writes the k-th encoded column; `vocabularyIds` are the global ids of a Categorical or Text column.
  func addColumn(_ k: Int, _ column: EncodedColumn, vocabularyIds: [Int32]?) throws {
    try writer.addBitmap(name: "c\(k).valid", count: rowCount, bits: column.validity)
    switch column.payload {
    case .none: break
    case .numbers(let values): try writer.addSection(name: "c\(k).num", values: values)
    case .booleans(let values): try writer.addSection(name: "c\(k).bool", values: values)
    case .timestamps(let micros):
      try writer.addSection(name: "c\(k).micros", values: micros)
      try addTimestampFeatures(k, micros: micros, validity: column.validity)
    case .values:
      try writer.addSection(name: "c\(k).vocab", values: vocabularyIds ?? [])
    }
  }

  func finish() throws -> String {
    try writer.finish()
    return relativePath
  }

  private func addTimestampFeatures(_ k: Int, micros: [Int64], validity: [UInt8]) throws {
    let (mean, scale) = (timeScale.meanMicros, timeScale.scaleMicros)
    try micros.withUnsafeBufferPointer { micros in
      try validity.withUnsafeBufferPointer { validity in
        try writer.addSection(name: "c\(k).time", type: .float32, shape: [rowCount]) { write in
          try streamBlocks(width: 1, write: write) { rows, out in
            for row in rows {
              let valid = validity[row >> 3] & (1 << UInt8(row & 7)) != 0
              out[row - rows.lowerBound] = valid ? Float((Double(micros[row]) - mean) / scale) : 0
            }
          }
        }
      }
    }
  }

  /// Fills a zeroed block of `width` floats per row for each block of rows (the block's rows split over the
  /// workers, each filling its own rows) and hands it to `write`, in row order.
  private func streamBlocks(
    width: Int, write: (UnsafeRawBufferPointer) throws -> Void,
    fill: (Range<Int>, UnsafeMutablePointer<Float>) -> Void
  ) throws {
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: min(rowCount, Self.blockRows) * width)
    defer { buffer.deallocate() }
    guard let base = buffer.baseAddress else { return }
    for start in stride(from: 0, to: rowCount, by: Self.blockRows) {
      let rows = start..<min(start + Self.blockRows, rowCount)
      let block = UnsafeMutableBufferPointer(rebasing: buffer[0..<(rows.count * width)])
      block.initialize(repeating: 0)
      let workers = max(1, min(threads, rows.count / 4096))
      Parallel.forEach(workers, threads: workers) { worker in
        let part = Parallel.block(worker, of: workers, count: rows.count)
        fill(
          (rows.lowerBound + part.lowerBound)..<(rows.lowerBound + part.upperBound),
          base + part.lowerBound * width)
      }
      try write(UnsafeRawBufferPointer(block))
    }
  }
}
