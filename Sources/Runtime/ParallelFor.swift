// Bounded data parallelism: a fixed number of workers (never a task per item), each taking a contiguous block of
// indices, with results written into per-index slots so the outcome does not depend on the number of threads.
import Dispatch
import Foundation

public enum Parallel {
  /// Threads to use when the user did not say: every core.
  public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Calls `body(i)` for every i in 0..<count on at most `threads` workers.
  public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = max(1, min(threads, count))
    guard workers > 1 else {
      for index in 0..<count { body(index) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let range = block(worker, of: workers, count: count)
        for index in range { box.value(index) }
      }
    }
  }

  /// `body(i)` for every i, in parallel, collected in index order; the first error thrown is rethrown.
  public static func map<T>(_ count: Int, threads: Int, _ body: (Int) throws -> T) throws -> [T] {
    let slots = Slots<Result<T, any Error>>(count: count)
    forEach(count, threads: threads) { index in slots.set(index, Result { try body(index) }) }
    return try slots.collect().map { try $0.get() }
  }

  /// The contiguous block of `0..<count` that worker `worker` of `workers` handles.
  public static func block(_ worker: Int, of workers: Int, count: Int) -> Range<Int> {
    (count * worker / workers)..<(count * (worker + 1) / workers)
  }
}

/// Write-once slots for concurrent workers: each index is set by one worker, read after all have finished.
final class Slots<T>: @unchecked Sendable {
  // @unchecked: disjoint indices are written concurrently through a raw buffer, read only after the join.
  private let buffer: UnsafeMutableBufferPointer<T?>

  init(count: Int) {
    buffer = .allocate(capacity: count)
    buffer.initialize(repeating: nil)
  }

  deinit {
    buffer.deinitialize()
    buffer.deallocate()
  }

  func set(_ index: Int, _ value: T) { buffer[index] = value }

  func collect() -> [T] { buffer.compactMap { $0 } }
}

struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
