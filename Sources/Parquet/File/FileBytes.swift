// The bytes of a Parquet file: FileSupport's memory mapping of the file (read into memory where mmap is refused),
// or a private copy of a caller's buffer. Pointers are lent only to closures.
import FileSupport

/// Immutable bytes of a whole file (or of a caller's buffer), shared safely across threads.
final class FileBytes: @unchecked Sendable {
  // @unchecked: the memory is written only in init and never after; reads from any thread are safe.
  private enum Source {
    case mapped(MemoryMappedFile)
    case owned(UnsafeMutableRawPointer)
  }
  private let source: Source
  let count: Int

  /// Copies `bytes` into memory this object owns.
  init(copying bytes: UnsafeRawBufferPointer) {
    count = bytes.count
    let memory = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    if let start = bytes.baseAddress { memory.copyMemory(from: start, byteCount: count) }
    source = .owned(memory)
  }

  /// Maps the file at `path`.
  init(path: String) throws(ParquetError) {
    do {
      let file = try MemoryMappedFile(path: path)
      count = file.count
      source = .mapped(file)
    } catch let error as FileError {
      throw ParquetError(.io, error.message, file: path)
    } catch {
      throw ParquetError(.io, "\(error)", file: path)
    }
  }

  deinit {
    if case .owned(let memory) = source { memory.deallocate() }
  }

  /// Lends the bytes to `body`; the pointer must not escape it.
  func withBytes<T, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
    switch source {
    case .owned(let memory): return try body(UnsafeRawBufferPointer(start: memory, count: count))
    case .mapped(let file): return try file.withBytes(body)
    }
  }
}
