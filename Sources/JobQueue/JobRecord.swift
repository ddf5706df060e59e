// A job as the queue sees it (state, progress, timing) and the derived figures clients ask for: throughput,
// ETA from the measured rate, and whether that ETA misses the SLA deadline.
// Refuses: nothing; it only reports.
import Foundation

public enum JobState: String, Codable, Sendable, CaseIterable {
  case queued, running, succeeded, failed, cancelled

  public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

public struct JobRecord: Sendable, Equatable {
  public var id: String
  public var spec: JobSpec
  public var state: JobState
  public var totalItems: Int
  public var doneItems: Int
  public var chunkCount: Int
  public var doneChunks: Int
  /// Unix seconds.
  public var submittedAt: Double
  public var startedAt: Double?
  public var finishedAt: Double?
  public var outputPath: String
  public var error: String?

  public init(
    id: String, spec: JobSpec, state: JobState, totalItems: Int, doneItems: Int, chunkCount: Int,
    doneChunks: Int, submittedAt: Double, startedAt: Double?, finishedAt: Double?, outputPath: String,
    error: String?
  ) {
    self.id = id
    self.spec = spec
    self.state = state
    self.totalItems = totalItems
    self.doneItems = doneItems
    self.chunkCount = chunkCount
    self.doneChunks = doneChunks
    self.submittedAt = submittedAt
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.outputPath = outputPath
    self.error = error
  }

  /// Items per second since the first chunk was claimed (nil before any item is done).
  public func itemsPerSecond(now: Double) -> Double? {
    guard let startedAt, doneItems > 0 else { return nil }
    let elapsed = (finishedAt ?? now) - startedAt
    return elapsed > 0 ? Double(doneItems) / elapsed : nil
  }

  /// Model cells per second (items/s times the job's cells per item; nil when either is unknown).
  public func cellsPerSecond(now: Double) -> Double? {
    guard let cells = spec.cellsPerItem, let rate = itemsPerSecond(now: now) else { return nil }
    return rate * Double(cells)
  }

  public func tokensPerSecond(now: Double) -> Double? {
    guard let tokens = spec.tokensPerItem, let rate = itemsPerSecond(now: now) else { return nil }
    return rate * tokens
  }

  /// Seconds until done at the measured rate (0 once final, nil while no rate is known).
  public func etaSeconds(now: Double) -> Double? {
    if state.isFinal { return 0 }
    guard let rate = itemsPerSecond(now: now), rate > 0 else { return nil }
    return Double(totalItems - doneItems) / rate
  }

  /// Unix seconds by which the SLA wants the job finished.
  public var deadline: Double? { spec.slaSeconds.map { submittedAt + $0 } }

  /// The ETA (or the finish time) falls after the deadline. Unknown ETA past the deadline counts as at risk.
  public func atRisk(now: Double) -> Bool {
    guard let deadline else { return false }
    if let finishedAt { return state == .succeeded ? finishedAt > deadline : false }
    guard let eta = etaSeconds(now: now) else { return now > deadline }
    return now + eta > deadline
  }
}

/// One claimed chunk: the holder owns it until `expiresAt` unless it renews; `token` proves ownership.
public struct ChunkLease: Sendable, Equatable {
  public enum Phase: String, Sendable {
    /// Run the executor on items `firstItem ..< firstItem + itemCount`.
    case work
    /// All work chunks are done: write their ordered union as the job's output.
    case assemble
  }

  public var jobID: String
  public var index: Int
  public var phase: Phase
  public var firstItem: Int
  public var itemCount: Int
  public var token: String
  public var attempt: Int

  public var items: Range<Int> { firstItem..<(firstItem + itemCount) }

  public init(
    jobID: String, index: Int, phase: Phase, firstItem: Int, itemCount: Int, token: String, attempt: Int
  ) {
    self.jobID = jobID
    self.index = index
    self.phase = phase
    self.firstItem = firstItem
    self.itemCount = itemCount
    self.token = token
    self.attempt = attempt
  }
}

/// Jobs by state and chunks waiting or running, for metrics and back-pressure.
public struct QueueCounts: Sendable, Equatable {
  public var jobsByState: [JobState: Int]
  public var pendingChunks: Int
  public var leasedChunks: Int
  public var pendingItems: Int

  public init(jobsByState: [JobState: Int], pendingChunks: Int, leasedChunks: Int, pendingItems: Int) {
    self.jobsByState = jobsByState
    self.pendingChunks = pendingChunks
    self.leasedChunks = leasedChunks
    self.pendingItems = pendingItems
  }
}
