// Reading columns: one chunk, one column over all row groups, a projection, and a parallel read that decodes
// the (column, row group) chunks on a fixed number of workers (`DispatchQueue.concurrentPerform`).
import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ParquetFile {
  /// Decodes one column of one row group.
  public func readColumn(_ name: String, rowGroup: Int) throws(ParquetError) -> ColumnData {
    try readChunk(column(named: name), rowGroup: rowGroup)
  }

  /// Decodes one column over all row groups, concatenated.
  public func readColumn(_ name: String) throws(ParquetError) -> ColumnData {
    let descriptor = try column(named: name)
    var parts: [ColumnData] = []
    for group in 0..<rowGroupCount { parts.append(try readChunk(descriptor, rowGroup: group)) }
    return try ColumnData.concatenate(parts, descriptor: descriptor)
  }

  /// Decodes the named columns (all columns when nil), row groups concatenated, on `threads` workers (default:
  /// every online core). Nested columns throw `.unsupported`: pass the names of the flat ones to skip them.
  public func readColumns(_ names: [String]? = nil, threads: Int = ParquetFile.defaultThreads)
    throws(ParquetError)
    -> [ColumnData]
  {
    let descriptors: [ColumnDescriptor]
    if let names {
      var found: [ColumnDescriptor] = []
      for name in names { found.append(try column(named: name)) }
      descriptors = found
    } else {
      descriptors = schema.columns
    }
    let groups = rowGroupCount
    let chunks = ChunkResults(count: descriptors.count * groups)
    let work: @Sendable (Int) -> Void = { task in
      let (column, group) = task.quotientAndRemainder(dividingBy: max(groups, 1))
      chunks.set(
        task, Result { () throws(ParquetError) in try readChunk(descriptors[column], rowGroup: group) })
    }
    if threads <= 1 {
      for task in 0..<chunks.count { work(task) }
    } else {
      runBounded(tasks: chunks.count, workers: threads, work)
    }
    var columns: [ColumnData] = []
    for (index, descriptor) in descriptors.enumerated() {
      var parts: [ColumnData] = []
      for group in 0..<groups { parts.append(try chunks.get(index * groups + group)) }
      columns.append(try ColumnData.concatenate(parts, descriptor: descriptor))
    }
    return columns
  }
}

extension ParquetFile {
  /// The number of online cores (at least 1): the default worker count of `readColumns`.
  public static var defaultThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Runs `tasks` closures on at most `workers` threads; each worker takes the next task from a shared counter.
func runBounded(tasks: Int, workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
  let next = AtomicCounter()
  DispatchQueue.concurrentPerform(iterations: min(workers, tasks)) { _ in
    while true {
      let task = next.increment()
      if task >= tasks { return }
      body(task)
    }
  }
}
