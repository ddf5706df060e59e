// Parallel producers with a bounded prefetch queue: a fixed number of threads fill whole batches of one epoch
// (each with its own scratch), and the consumer takes them in batch order. A producer may start batch i only
// when i < consumed + prefetch, so at most `prefetch` batches exist at once (back-pressure, bounded memory);
// batches handed back with `recycle` are reused. `stop()` (also run on deinit) wakes and joins every producer.
// Batch i is the same whichever thread fills it (Sampler.sample is deterministic per sample).
import Foundation

public final class BatchStream: Sendable {
  private let producers: Producers

  /// Batches `first ..< first + count` (default: to the end of the epoch) of `epoch`, on `threads` producers.
  public init(
    sampler: Sampler, epoch: Int, threads: Int, prefetch: Int = 4, first: Int = 0, count: Int? = nil
  ) {
    producers = Producers(
      sampler: sampler, epoch: epoch, threads: threads, prefetch: prefetch, first: first, count: count)
  }

  var producersForTesting: Producers { producers }

  /// Dropping the stream stops its producers (they hold the shared state, not the stream).
  deinit { producers.stop() }

  /// The next batch in order; nil at the end of the range or after `stop()`. Blocks until it is ready.
  public func next() -> Batch? { producers.next() }

  /// Hands a consumed batch back for reuse (optional; without it producers allocate fresh ones).
  public func recycle(_ batch: Batch) { producers.recycle(batch) }

  /// Stops producing and waits until every producer has returned. Idempotent.
  public func stop() { producers.stop() }
}

/// The state shared by the consumer and the producer threads.
final class Producers: @unchecked Sendable {
  // @unchecked: all mutable state below is guarded by `condition`.
  private let sampler: Sampler
  private let epoch: Int
  private let end: Int
  private let prefetch: Int
  private let condition = NSCondition()
  private var nextToClaim: Int
  private var consumed: Int
  private var ready: [Batch?]
  private var spare: [Batch] = []
  private var stopped = false
  private var running = 0

  init(sampler: Sampler, epoch: Int, threads: Int, prefetch: Int, first: Int, count: Int?) {
    self.sampler = sampler
    self.epoch = epoch
    self.prefetch = max(1, prefetch)
    nextToClaim = first
    consumed = first
    end = count.map { first + max(0, $0) } ?? max(first, sampler.batchesPerEpoch)
    ready = Array(repeating: nil, count: self.prefetch)
    let workers = max(1, threads)
    running = workers
    for worker in 0..<workers {
      let thread = Thread { [self] in produce() }
      thread.name = "tributary.sampler.\(worker)"
      thread.start()
    }
  }

  func next() -> Batch? {
    condition.lock()
    defer { condition.unlock() }
    while !stopped && consumed < end && ready[consumed % prefetch] == nil { condition.wait() }
    guard !stopped, consumed < end, let batch = ready[consumed % prefetch] else { return nil }
    ready[consumed % prefetch] = nil
    consumed += 1
    condition.broadcast()
    return batch
  }

  func recycle(_ batch: Batch) {
    condition.lock()
    if spare.count < prefetch && batch.layout == sampler.layout { spare.append(batch) }
    condition.unlock()
  }

  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    while running > 0 { condition.wait() }
    condition.unlock()
  }

  private func produce() {
    let scratch = sampler.makeScratch()
    while let (index, batch) = claim() {
      sampler.fill(batch, epoch: epoch, index: index, scratch: scratch)
      condition.lock()
      ready[index % prefetch] = batch
      condition.broadcast()
      condition.unlock()
    }
    condition.lock()
    running -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// The next batch index to fill and a batch to fill it in, once the queue has room; nil when done.
  private func claim() -> (Int, Batch)? {
    condition.lock()
    defer { condition.unlock() }
    while !stopped && nextToClaim < end && nextToClaim >= consumed + prefetch { condition.wait() }
    guard !stopped, nextToClaim < end else { return nil }
    let index = nextToClaim
    nextToClaim += 1
    return (index, spare.popLast() ?? sampler.makeBatch())
  }
}
