// Thread-safe slots for the results of parallel chunk decoding, and the shared task counter.
import Synchronization

/// One result slot per task, written once by a worker and read after all workers finish.
final class ChunkResults: Sendable {
  private let slots: Mutex<[Result<ColumnData, ParquetError>?]>
  let count: Int

  init(count: Int) {
    self.count = count
    slots = Mutex([Result<ColumnData, ParquetError>?](repeating: nil, count: count))
  }

  func set(_ index: Int, _ result: Result<ColumnData, ParquetError>) {
    slots.withLock { $0[index] = result }
  }

  func get(_ index: Int) throws(ParquetError) -> ColumnData {
    let result = slots.withLock { $0[index] }
    guard let result else { throw ParquetError(.invalidArgument, "chunk \(index) was never decoded") }
    return try result.get()
  }
}

final class AtomicCounter: Sendable {
  private let value = Atomic<Int>(0)

  /// Returns the current value and adds one.
  func increment() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
