// The queue abstraction shared by the SQLite (embedded) and PostgreSQL (scale-out) back ends. A job is cut into
// work chunks plus one final `assemble` chunk that becomes claimable once every work chunk is done. Workers
// claim chunks under a lease with an expiry; a lease that is not renewed in time is taken over by another
// worker. Completing a chunk checks the lease token, so a chunk is counted once whatever crashes.
// Refuses: to hold job state in memory; every transition is committed before the call returns.
import Foundation

public protocol JobQueue: Sendable {
  /// Queues a validated job of `totalItems` items cut into chunks of `chunkSize`.
  func submit(_ spec: JobSpec, totalItems: Int, chunkSize: Int, outputPath: String, id: String) async throws
    -> JobRecord
  func job(_ id: String) async throws -> JobRecord?
  /// Most recent first.
  func jobs(state: JobState?, limit: Int) async throws -> [JobRecord]
  /// Cancels a job that is not final yet; returns the job as it now is (nil: no such job).
  func cancel(_ id: String) async throws -> JobRecord?

  /// Takes the next chunk: highest priority first, then oldest job, then chunk order. Nil when none is ready
  /// or when `globalLimit` chunks are already leased across all workers.
  func claim(worker: String, leaseSeconds: Double, globalLimit: Int?) async throws -> ChunkLease?
  /// Extends a lease; false when it was lost (expired and taken) or the job is no longer running.
  func renew(_ lease: ChunkLease, leaseSeconds: Double) async throws -> Bool
  /// Marks a chunk done (its output is already in place); false when the lease was lost.
  func complete(_ lease: ChunkLease) async throws -> Bool
  /// Fails the job with `message` (an executor error that retrying will not fix).
  func fail(_ lease: ChunkLease, message: String) async throws
  /// Gives a chunk back untouched (graceful shutdown), so another worker takes it at once.
  func release(_ lease: ChunkLease) async throws
  func counts() async throws -> QueueCounts
}

public enum JobQueueError: Error, Sendable, CustomStringConvertible {
  case invalidLocation(String)
  case corruptRecord(job: String, field: String)

  public var description: String {
    switch self {
    case .invalidLocation(let text): return "queue location \(text): expected sqlite:PATH or postgres://..."
    case .corruptRecord(let job, let field): return "job \(job): stored field \(field) is unreadable"
    }
  }
}

public enum JobIDs {
  /// Sortable by submission time, unique across processes.
  public static func make(now: Date = Date()) -> String {
    let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
    let random = UInt32.random(in: 0...UInt32.max)
    return "job-" + String(millis, radix: 36) + "-" + String(random, radix: 36)
  }
}
