// N replicas in one process, one thread each, exchanging host copies through a shared rendezvous. The sum is
// taken in rank order 0, 1, ..., N-1 by every rank, so every replica gets the same bits whatever the thread timing.
// A replica that fails calls `abort()`; the others' pending and later collectives then throw instead of waiting.
// Refuses: being fast (every collective copies through the host and waits for the slowest rank, as a CPU stand-in
// for NCCL), and groups across processes.
import Foundation

/// The shared state of an in-process group: one slot per rank and a reusable barrier.
public final class InProcessGroup: @unchecked Sendable {
  // @unchecked: every field is read and written under `condition`.
  public let worldSize: Int
  private let condition = NSCondition()
  private var slots: [[Float]?]
  private var arrived = 0
  private var generation = 0
  private var failure: String?

  public init(worldSize: Int) throws {
    guard worldSize > 0 else {
      throw TensorError.invalidArgument(what: "InProcessGroup", detail: "world size \(worldSize)")
    }
    self.worldSize = worldSize
    slots = Array(repeating: nil, count: worldSize)
  }

  /// One communicator per rank, in rank order.
  public func communicators() -> [InProcessCommunicator] {
    (0..<worldSize).map { InProcessCommunicator(rank: $0, group: self) }
  }

  /// Makes every pending and later collective throw (a replica failed; the others must not wait for it).
  public func abort(reason: String) {
    condition.lock()
    failure = failure ?? reason
    condition.broadcast()
    condition.unlock()
  }

  /// Deposits `values` as `rank`'s contribution and returns every rank's, in rank order, once all arrived.
  func exchange(_ values: [Float], rank: Int) throws -> [[Float]] {
    condition.lock()
    defer { condition.unlock() }
    slots[rank] = values
    try barrier()
    let all = slots.map { $0 ?? [] }
    // A second barrier before anyone may deposit the next collective's values into the slots just read.
    try barrier()
    return all
  }

  private func barrier() throws {
    let mine = generation
    arrived += 1
    if arrived == worldSize {
      arrived = 0
      generation += 1
      condition.broadcast()
    }
    while generation == mine, failure == nil { condition.wait() }
    if let failure {
      throw TensorError.invalidArgument(what: "collective", detail: "group aborted: \(failure)")
    }
  }
}

/// One rank of an `InProcessGroup`.
public struct InProcessCommunicator: Communicator {
  public let rank: Int
  let group: InProcessGroup
  public var worldSize: Int { group.worldSize }

  public func allReduceSum(_ tensor: Tensor, on backend: any Backend) throws {
    let all = try group.exchange(try backend.copyOut(tensor), rank: rank)
    guard all.allSatisfy({ $0.count == tensor.count }) else {
      throw TensorError.shapeMismatch(
        what: "allReduceSum on rank \(rank)", expected: "\(tensor.count) elements per rank",
        found: all.map(\.count))
    }
    var sum = all[0]
    sum.withUnsafeMutableBufferPointer { total in
      for contribution in all.dropFirst() {
        contribution.withUnsafeBufferPointer { values in
          for i in 0..<total.count { total[i] += values[i] }
        }
      }
    }
    try backend.copyIn(sum, to: tensor)
  }

  public func broadcast(_ tensor: Tensor, root: Int, on backend: any Backend) throws {
    guard (0..<worldSize).contains(root) else {
      throw TensorError.invalidArgument(what: "broadcast", detail: "root \(root) in a group of \(worldSize)")
    }
    let all = try group.exchange(try backend.copyOut(tensor), rank: rank)
    guard all[root].count == tensor.count else {
      throw TensorError.shapeMismatch(
        what: "broadcast on rank \(rank)", expected: "\(tensor.count) elements", found: [all[root].count])
    }
    if rank != root { try backend.copyIn(all[root], to: tensor) }
  }
}
