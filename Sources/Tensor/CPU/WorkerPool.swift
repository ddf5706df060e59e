// A fixed number of workers for row and elementwise kernels: work is cut into contiguous chunks run by
// `DispatchQueue.concurrentPerform`. Results never depend on the worker count: chunks only partition
// independent rows, and cross-row sums use fixed-size blocks (see `blockCount`).
// Refuses: a Task per row, unbounded fan-out, and global thread settings.
import Dispatch

/// Runs chunked loops over a fixed number of workers.
public struct WorkerPool: Sendable {
  /// How many chunks run at once (1 runs everything inline on the caller's thread).
  public let workers: Int

  public init(workers: Int) {
    self.workers = max(1, workers)
  }

  /// Calls `body` on disjoint ranges covering `0..<count`, each at least `grain` long (except the last).
  /// `body` must write only to the elements of its own range.
  public func forEachChunk(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = min(workers, (count + max(grain, 1) - 1) / max(grain, 1))
    if chunks <= 1 {
      body(0..<count)
      return
    }
    let size = (count + chunks - 1) / chunks
    // concurrentPerform wants a @Sendable closure; kernels capture raw pointers to disjoint ranges,
    // which is the data-race freedom the compiler cannot see. The closure does not outlive this call.
    withoutActuallyEscaping(body) { escapable in
      nonisolated(unsafe) let chunkBody = escapable
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = chunk * size
        let end = min(count, start + size)
        if start < end { chunkBody(start..<end) }
      }
    }
  }

  /// Fixed-size row blocks for deterministic cross-row reductions: the block count depends on the
  /// row count only, so partial sums are added in the same order on any number of workers.
  public static func blockCount(rows: Int, blockRows: Int = 64) -> Int {
    (rows + blockRows - 1) / blockRows
  }
}
